Feature: READ RECORD
  ISO/IEC 7816-4:2005 §7.3.3. The card reads records by number and by record
  identifier, from the current EF or through a short EF identifier; the
  social-security basic data files EF05 and EF06 are TLV records whose tag is
  the record identifier.

  @req:CARD-RR-01
  Scenario: READ RECORD by number on the current EF
    When I select the file 0016
    And I read record 2
    Then the status word is 9000
    And the response data is record 2 of 3F00/0016

  @req:CARD-RR-01
  Scenario: READ RECORD by number through the SFI
    Given I have read access to the SSSE basic data
    When I select the DF of 3F00/DDF1 by its name
    And I read record 3 of SFI 5
    Then the status word is 9000
    And the response data is record 3 of 3F00/DDF1/EF05

  @req:CARD-RR-01
  Scenario: READ RECORD by record identifier finds the TLV record with that tag
    Given I have read access to the SSSE basic data
    When I select the DF of 3F00/DDF1 by its name
    And I read the first record with identifier "03" of SFI 5
    Then the status word is 9000
    And the response holds tag 03 with the specification version of the profile

  @req:CARD-RR-01
  Scenario: READ RECORD by record identifier on the current EF
    Given I have read access to the SSSE basic data
    When I select the path "DD F1 EF 06" from the MF
    And I read the first record with identifier "09"
    Then the status word is 9000
    And the response data is record 2 of 3F00/DDF1/EF06

  @req:CARD-RR-01
  Scenario: READ RECORD with record number 00 reads the current record
    When I select the file 0016
    And I read record 3
    And I read record 0
    Then the status word is 9000
    And the response data is record 3 of 3F00/0016

  @req:CARD-RR-02
  Scenario: A record that does not exist gives 6A83
    Given I have read access to the SSSE basic data
    When I select the DF of 3F00/DDF1 by its name
    And I read record 9 of SFI 5
    Then the status word is 6A83

  @req:CARD-RR-02
  Scenario Outline: The last record of <path> is read; the one after it gives 6A83
    Given I have read access to the SSSE basic data
    When I select the DF of 3F00/DDF1 by its name
    And I read the last record of <path> through its SFI
    Then the status word is 9000
    And the response data is the last record of <path>
    When I read the record after the last of <path> through its SFI
    Then the status word is 6A83

    Examples:
      | path           |
      | 3F00/DDF1/EF05 |
      | 3F00/DDF1/EF06 |

  @req:CARD-RR-02
  Scenario: A record identifier that no record carries gives 6A83
    Given I have read access to the SSSE basic data
    When I select the DF of 3F00/DDF1 by its name
    And I read the first record with identifier "7F" of SFI 6
    Then the status word is 6A83

  @req:CARD-RR-02
  Scenario: READ RECORD on a transparent EF gives 6981
    When I select the MF
    And I read record 1 of SFI 2
    Then the status word is 6981

  @req:CARD-RR-02
  Scenario: READ RECORD without a current EF gives 6986
    When I select the file DDF1
    And I read record 1
    Then the status word is 6986

  @req:CARD-RR-02
  Scenario: READ RECORD through an SFI that does not exist gives 6A82
    When I select the MF
    And I read record 1 of SFI 7
    Then the status word is 6A82

  @req:CARD-RR-02
  Scenario: READ RECORD with the reserved P2 b3-b1 = 111 gives 6A86
    When I select the file 0016
    And I send the raw APDU "00 B2 01 07 00"
    Then the status word is 6A86
