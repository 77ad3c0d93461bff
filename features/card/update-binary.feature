Feature: UPDATE BINARY
  ISO/IEC 7816-4 §7.2.5: UPDATE BINARY writes the bytes it carries at the
  offset P1-P2 gives, inside the current transparent EF. Both sides of the end
  of the EF are tested: the last bytes can be written; data reaching one byte
  past the end are refused whole, nothing of them written. The reference card's
  EF0B in the SSSE is free to update and 8 bytes long, all 00.

  Background:
    Given I have read access to the SSSE basic data
    When I select the file EF0B

  @req:CARD-UB-01
  Scenario: UPDATE BINARY writes only the bytes it carries
    When I write "A1 A2" at offset 3 of the current EF
    Then the status word is 9000
    When I read 8 bytes at offset 0
    Then the response data is "00 00 00 A1 A2 00 00 00"

  @req:CARD-UB-01
  Scenario Outline: UPDATE BINARY up to the last byte of the EF is written: <data> at offset <offset>
    When I write "<data>" at offset <offset> of the current EF
    Then the status word is 9000
    When I read 8 bytes at offset 0
    Then the response data is "<after>"

    Examples:
      | offset | data                    | after                   |
      | 7      | A1                      | 00 00 00 00 00 00 00 A1 |
      | 6      | A1 A2                   | 00 00 00 00 00 00 A1 A2 |
      | 0      | A1 A2 A3 A4 A5 A6 A7 A8 | A1 A2 A3 A4 A5 A6 A7 A8 |

  @req:CARD-UB-01
  Scenario Outline: UPDATE BINARY reaching past the end of the EF is refused and writes nothing: <data> at offset <offset>
    When I write "<data>" at offset <offset> of the current EF
    Then the status word signals an error
    When I read 8 bytes at offset 0
    Then the response data is "00 00 00 00 00 00 00 00"

    Examples:
      | offset | data                       |
      | 7      | A1 A2                      |
      | 6      | A1 A2 A3                   |
      | 0      | A1 A2 A3 A4 A5 A6 A7 A8 A9 |
      | 8      | A1                         |
