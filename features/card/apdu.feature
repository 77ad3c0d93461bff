Feature: Command APDU structure
  ISO/IEC 7816-4:2005 §5.1. A command whose length fields do not match its
  body is refused with 6700; unknown class bytes with 6E00 (6881 for a
  logical channel the card does not support); unknown instructions with 6D00.

  @req:CARD-APDU-01
  Scenario: Lc larger than the data that follows is refused with 6700
    When I send the raw APDU "00 A4 00 00 04 3F 00"
    Then the status word is 6700
    And the response data is empty

  @req:CARD-APDU-01
  Scenario: Lc smaller than the data that follows is refused with 6700
    When I send the raw APDU "00 A4 00 00 01 3F 00 00 00"
    Then the status word is 6700

  @req:CARD-APDU-01
  Scenario: A command shorter than its header is refused with 6700
    When I send the raw APDU "00 A4 00"
    Then the status word is 6700

  @req:CARD-APDU-01
  Scenario: A malformed command changes nothing
    When I select the file 2F02
    And I send the raw APDU "00 B0 00 00 00 02"
    Then the status word is 6700
    When I read 2 bytes at offset 0
    Then the status word is 9000
    And the response data is 2 bytes of 3F00/2F02 from offset 0

  @req:CARD-APDU-02
  Scenario Outline: An unsupported class byte <cla> is refused with <sw>
    When I send the raw APDU "<cla> A4 00 00 02 3F 00"
    Then the status word is <sw>

    Examples:
      | cla | sw   |
      | FF  | 6E00 |
      | 40  | 6E00 |
      | A0  | 6E00 |
      | 01  | 6881 |
      | 03  | 6881 |

  @req:CARD-APDU-03
  Scenario Outline: An unknown instruction <ins> is refused with 6D00
    When I send the raw APDU "00 <ins> 00 00 00"
    Then the status word is 6D00

    Examples:
      | ins |
      | 02  |
      | 6A  |
      | FE  |
