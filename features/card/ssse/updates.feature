Feature: Protected updates of the social-security records
  EF06 (holder data) is updated with the maintenance key: after external
  authentication with it, or in a command MAC'd with it. Each record is TLV
  whose tag is the record identifier; an update keeps tag and length. Records
  are named by their tag: their numbers depend on the specification version's
  layout (no name extension 4E before 2.00).

  Background:
    Given I have read access to the SSSE basic data

  @req:CARD-SSSE-UPD-01
  Scenario: A record is updated with a MAC made with the maintenance key
    When I update the tag 0A record of SFI 6 with "0A 01 32" and a MAC made with the SSSE key 3
    Then the status word is 9000
    When I read the tag 0A record of SFI 6 by its number
    Then the response data is "0A 01 32"

  @req:CARD-SSSE-UPD-01
  Scenario: A record is updated after external authentication with the maintenance key
    When I authenticate with the SSSE key 3
    And I update the tag 0A record of SFI 6 with "0A 01 32"
    Then the status word is 9000

  @req:CARD-SSSE-UPD-01
  Scenario: A record update without authentication or MAC is refused
    When I update the tag 0A record of SFI 6 with "0A 01 32"
    Then the status word is 6982
    When I read the tag 0A record of SFI 6 by its number
    Then the response data is the record with tag 0A of 3F00/DDF1/EF06

  @req:CARD-SSSE-UPD-01
  Scenario: A record update with a wrong MAC is refused and changes nothing
    When I update the tag 0A record of SFI 6 with "0A 01 32" and a MAC made with the SSSE key 3 with a wrong MAC
    Then the status word is 6988
    When I read the tag 0A record of SFI 6 by its number
    Then the response data is the record with tag 0A of 3F00/DDF1/EF06

  @req:CARD-SSSE-UPD-01
  Scenario: A MAC made with another key of the SSSE is refused
    When I update the tag 0A record of SFI 6 with "0A 01 32" and a MAC made with the SSSE key 1
    Then the status word is 6988

  @req:CARD-UR-01
  Scenario: UPDATE RECORD of the record after the last is refused with 6A83 and adds no record
    When I update the record after the last of 3F00/DDF1/EF06 with "0A 01 32" and a MAC made with the SSSE key 3
    Then the status word is 6A83
    When I read the last record of 3F00/DDF1/EF06 through its SFI
    Then the response data is the last record of 3F00/DDF1/EF06
    When I read the record after the last of 3F00/DDF1/EF06 through its SFI
    Then the status word is 6A83

  @req:CARD-SSSE-UPD-02
  Scenario: An update whose tag is not the record's identifier is refused
    When I authenticate with the SSSE key 3
    And I update the tag 0A record of SFI 6 with "0B 01 32"
    Then the status word is 6A80

  @req:CARD-SSSE-UPD-02
  Scenario: An update whose length is not the record's is refused
    When I authenticate with the SSSE key 3
    And I update the tag 0A record of SFI 6 with "0A 02 32 32"
    Then the status word is 6700

  @req:CARD-SSSE-UPD-02
  Scenario: A name longer than its 30-byte field is refused and the name stays
    When I authenticate with the SSSE key 3
    And I update the tag 09 record of SFI 6 with "09 20 D5 C5 C8 FD D5 C5 C8 FD D5 C5 C8 FD D5 C5 C8 FD D5 C5 C8 FD D5 C5 C8 FD D5 C5 C8 FD D5 C5 C8 FD"
    Then the status word is 6700
    When I read the tag 09 record of SFI 6 by its number
    Then the response data is the record with tag 09 of 3F00/DDF1/EF06

  @req:CARD-SSSE-UPD-02
  Scenario: A record whose length byte does not match its value is refused
    When I authenticate with the SSSE key 3
    And I update the tag 0A record of SFI 6 with "0A 05 32"
    Then the status word is 6A80

  @req:CARD-SSSE-UPD-01
  Scenario Outline: A record update MAC'd with the SSSE key <id> instead of the maintenance key is refused and changes nothing
    When I update the tag 0A record of SFI 6 with "0A 01 32" and a MAC made with the SSSE key <id>
    Then the status word is 6988
    When I read the tag 0A record of SFI 6 by its number
    Then the response data is the record with tag 0A of 3F00/DDF1/EF06

    Examples:
      | id |
      | 1  |
      | 2  |
      | 4  |
      | 5  |
      | 6  |
      | 7  |

  @req:CARD-SSSE-UPD-01
  Scenario: A record update with a MAC wrong only in its first byte is refused and changes nothing
    When I update the tag 0A record of SFI 6 with "0A 01 32" and a MAC made with the SSSE key 3 with a MAC wrong only in its first byte
    Then the status word is 6988
    When I read the tag 0A record of SFI 6 by its number
    Then the response data is the record with tag 0A of 3F00/DDF1/EF06

  @req:KEY-FRESH-01
  Scenario Outline: A replayed MAC'd record update is refused and does not overwrite a later value (<replay>)
    When I update the tag 0A record of SFI 6 with "0A 01 32" and a MAC made with the SSSE key 3
    And I update the tag 0A record of SFI 6 with "0A 01 31" and a MAC made with the SSSE key 3
    Then the status word is 9000
    When <replay>
    Then the status word signals an error
    When I read the tag 0A record of SFI 6 by its number
    Then the response data is "0A 01 31"

    Examples:
      | replay                                                         |
      | I send the first secured command again                         |
      | I send the first secured command again after a new challenge   |
