Feature: SELECT
  ISO/IEC 7816-4:2005 §7.1.1. The card selects the MF, DFs and EFs by
  identifier, by DF name and by path, returns FCI or FCP as P2 asks, and keeps
  the current selection when a SELECT fails.

  @req:CARD-SEL-01
  Scenario: The MF is selected by its identifier 3F00
    When I select the MF
    Then the status word is 9000
    And the response holds tag 6F

  @req:CARD-SEL-01
  Scenario: The MF is selected by a SELECT without data
    When I send the APDU "00 A4 00 00 00"
    Then the status word is 9000

  @req:CARD-SEL-01
  Scenario: The MF is reached back from inside an application
    When I select the DF of 3F00/DDF2 by its name
    And I select the file 3F00
    Then the status word is 9000
    When I select the file 2F02
    Then the status word is 9000

  @req:CARD-ENV-01 @req:CARD-SEL-02
  Scenario: The SSSE is selected by its name and returns its FCI
    When I select the DF named "73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF"
    Then the status word is 9000
    And the response is an FCI template with the DF name "73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF"

  @req:CARD-ENV-01 @req:CARD-SEL-02
  Scenario: The PSE is selected by its name and returns its FCI
    When I select the application "1PAY.SYS.DDF01"
    Then the status word is 9000
    And the response is an FCI template with the DF name of 3F00/DDF2
    And the response holds tag 88

  @req:CARD-SEL-02
  Scenario: The sub-applications of the SSSE are found by a truncated name, one after the other
    When I select the first occurrence of the DF named "D1 56 00 00 05"
    Then the status word is 9000
    And the response is an FCI template with the DF name "D1 56 00 00 05 00"
    When I select the next occurrence of the DF named "D1 56 00 00 05"
    Then the response is an FCI template with the DF name "D1 56 00 00 05 01"
    When I select the next occurrence of the DF named "D1 56 00 00 05"
    Then the response is an FCI template with the DF name "D1 56 00 00 05 02"
    When I select the next occurrence of the DF named "D1 56 00 00 05"
    Then the response is an FCI template with the DF name "D1 56 00 00 05 03"

  @req:CARD-SEL-02 @req:CARD-SEL-04
  Scenario: There is no occurrence after the last one
    When I select the last occurrence of the DF named "D1 56 00 00 05"
    Then the status word is 9000
    When I select the next occurrence of the DF named "D1 56 00 00 05"
    Then the status word is 6A82

  @req:CARD-SEL-03
  Scenario: An EF is selected by its identifier under the current DF
    When I select the file 3F00
    And I select the EF 2F02 under the current DF
    Then the status word is 9000
    When I read 4 bytes at offset 0
    Then the response data is 4 bytes of 3F00/2F02 from offset 0

  @req:CARD-SEL-03
  Scenario: An EF is selected by its path from the MF
    Given I have read access to the SSSE basic data
    When I select the path "DD F1 EF 05" from the MF
    Then the status word is 9000
    When I read record 1
    Then the status word is 9000
    And the response data is record 1 of 3F00/DDF1/EF05

  @req:CARD-SEL-03
  Scenario: An EF is selected by its path from the current DF
    Given I have read access to the SSSE basic data
    When I select the file DDF1
    And I select the path "EF 06" from the current DF
    Then the status word is 9000
    When I read record 2
    Then the response data is record 2 of 3F00/DDF1/EF06

  @req:CARD-SEL-03
  Scenario: SELECT with P2 = 04 returns the FCP of an EF
    When I select the file 2F02 asking for its FCP
    Then the status word is 9000
    And the response is an FCP template for the file 2F02
    And the response holds tag 80 with value "00 28"

  @req:CARD-SEL-03
  Scenario: SELECT with P2 = 0C returns no data
    When I select the file DDF1 asking for no response data
    Then the status word is 9000
    And the response data is empty

  @req:CARD-SEL-03
  Scenario: The parent DF and a child DF are selected relative to the current DF
    When I select the file DDF1
    And I select the child DF DF01
    Then the status word is 9000
    When I select the parent DF
    Then the status word is 9000
    When I select the EF EF05 under the current DF
    Then the status word is 9000

  @req:CARD-SEL-04
  Scenario: A file that does not exist gives 6A82
    When I select the file 1234
    Then the status word is 6A82

  @req:CARD-SEL-04
  Scenario: An application that does not exist gives 6A82
    When I select the DF named "A0 00 00 03 33 01 01 02"
    Then the status word is 6A82

  @req:CARD-SEL-04
  Scenario: A file identifier of the wrong length gives 6700
    When I send the raw APDU "00 A4 00 00 03 3F 00 01"
    Then the status word is 6700

  @req:CARD-SEL-04
  Scenario Outline: An unsupported P1-P2 <p1p2> gives 6A86
    When I send the raw APDU "00 A4 <p1p2> 02 3F 00"
    Then the status word is 6A86

    Examples:
      | p1p2  |
      | 05 00 |
      | 00 10 |
      | 00 02 |

  @req:CARD-SEL-04
  Scenario: A failed SELECT keeps the current EF
    When I select the file 2F02
    And I select the file 1234
    Then the status word is 6A82
    When I read 4 bytes at offset 0
    Then the status word is 9000
    And the response data is 4 bytes of 3F00/2F02 from offset 0
