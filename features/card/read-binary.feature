Feature: READ BINARY
  ISO/IEC 7816-4:2005 §7.2.3. The card reads a transparent EF at an offset,
  through the current EF or through its short EF identifier, and refuses what
  it cannot read with the status word the standard gives.

  @req:CARD-RB-01
  Scenario: READ BINARY reads the current EF from offset 0
    When I select the file 2F02
    And I read 12 bytes at offset 0
    Then the status word is 9000
    And the response data is 12 bytes of 3F00/2F02 from offset 0

  @req:CARD-RB-01
  Scenario: READ BINARY reads from an offset
    When I select the file 2F02
    And I read 8 bytes at offset 30
    Then the status word is 9000
    And the response data is 8 bytes of 3F00/2F02 from offset 30

  @req:CARD-RB-01
  Scenario: READ BINARY reads an EF through its SFI, which becomes the current EF
    When I select the MF
    And I read 10 bytes at offset 2 of SFI 2
    Then the status word is 9000
    And the response data is 10 bytes of 3F00/2F02 from offset 2
    When I read 2 bytes at offset 0
    Then the response data is 2 bytes of 3F00/2F02 from offset 0

  @req:CARD-RB-01
  Scenario: READ BINARY reads a whole EF
    When I select the file 2F02
    And I read 40 bytes at offset 0
    Then the status word is 9000
    And the response data is the content of 3F00/2F02

  @req:CARD-RB-02
  Scenario: READ BINARY without a current EF gives 6986
    When I select the MF
    And I read 4 bytes at offset 0
    Then the status word is 6986

  @req:CARD-RB-02
  Scenario: READ BINARY on a record EF gives 6981
    When I select the file 0016
    And I read 4 bytes at offset 0
    Then the status word is 6981

  @req:CARD-RB-01
  Scenario: READ BINARY reads the last byte of the EF
    When I select the file 2F02
    And I read 1 bytes at offset 39
    Then the status word is 9000
    And the response data is 1 bytes of 3F00/2F02 from offset 39

  @req:CARD-RB-02
  Scenario Outline: READ BINARY at offset <offset>, at or beyond the end of the 40-byte EF, gives 6B00 and no data
    When I select the file 2F02
    And I read 1 bytes at offset <offset>
    Then the status word is 6B00
    And the response data is empty

    Examples:
      | offset |
      | 40     |
      | 41     |
      | 200    |
      | 32767  |

  @req:CARD-RB-02
  Scenario: READ BINARY across the end of the EF gives 6Cxx or 6282 with the bytes left, as the profile declares
    When I select the file 2F02
    And I read 16 bytes at offset 32 without transport handling
    Then the card answers reading past the end of 3F00/2F02 from offset 32 as its profile declares

  @req:CARD-RB-02
  Scenario: READ BINARY of an EF that is never readable gives 6982
    When I select the file 0015
    And I read 4 bytes at offset 0
    Then the status word is 6982
    And the response data is empty

  @req:CARD-RB-02
  Scenario: READ BINARY through an SFI that does not exist gives 6A82
    When I select the MF
    And I read 4 bytes at offset 0 of SFI 9
    Then the status word is 6A82
