Feature: Selecting the social-security application
  The SSSE is selected by its name "sx1.sh." + GBK 社会保障; inside it the
  sub-applications DF01 public, DF02 employment, DF03 social insurance and
  DF04 medical are selected by their AIDs D156000005 00…03. The FCI of the
  SSSE tells the algorithm of its keys (3DES or SM4).

  @req:CARD-SSSE-SEL-01
  Scenario: The SSSE is selected by its full name
    When I send the APDU "00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF 00"
    Then the status word is 9000
    And the response is an FCI template with the DF name "73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF"

  @req:CARD-SSSE-SEL-03
  Scenario: The FCI of the SSSE indicates the algorithm of its keys
    When I send the APDU "00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF 00"
    Then the status word is 9000
    And the FCI indicates the algorithm of the SSSE keys

  @req:CARD-SSSE-SEL-01
  Scenario: The SSSE is selected without asking for its FCI
    When I send the APDU "00 A4 04 0C 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF"
    Then the status word is 9000
    And the response data is empty

  @req:CARD-SSSE-SEL-01
  Scenario: The SSSE is selected by the first bytes of its name
    When I select the DF named "73 78 31 2E 73 68 2E"
    Then the status word is 9000
    And the response is an FCI template with the DF name "73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF"

  @req:CARD-SSSE-SEL-01
  Scenario: A name that differs in its last byte is not the SSSE
    When I select the DF named "73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CE"
    Then the status word is 6A82

  @req:CARD-SSSE-SEL-02
  Scenario Outline: The sub-application <df> is selected by its AID <aid>
    When I select the SSSE
    And I select the DF named "<aid>"
    Then the status word is 9000
    And the response is an FCI template with the DF name "<aid>"

    Examples:
      | df   | aid               |
      | DF01 | D1 56 00 00 05 00 |
      | DF02 | D1 56 00 00 05 01 |
      | DF03 | D1 56 00 00 05 02 |
      | DF04 | D1 56 00 00 05 03 |

  @req:CARD-SSSE-SEL-02
  Scenario: A sub-application is inside the SSSE: its parent is the SSSE
    When I select the DF named "D1 56 00 00 05 03"
    And I select the parent DF
    And I select the EF EF05 under the current DF
    Then the status word is 9000

  @req:CARD-SSSE-SEL-02 @req:CARD-FW-01
  Scenario: An AID that is not a sub-application is not found
    When I select the SSSE
    And I select the DF named "D1 56 00 00 05 09"
    Then the status word is 6A82
