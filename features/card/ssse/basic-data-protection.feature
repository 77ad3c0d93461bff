@needs:ssse-v3
Feature: Specification 3.00 — basic data only after external authentication with the read key
  LD/T 32 (3.0): on a card of specification 3.00 the basic data files EF05
  and EF06 are read only after external authentication with the SSSE read key
  (RKSSSE); before it the card answers 6982. Scenarios here apply to 3.00
  cards only; other cards report them as not applicable.

  Background:
    Given I select the DF of 3F00/DDF1 by its name

  @req:CARD-SSSE-V3-01
  Scenario Outline: Before authentication, READ RECORD of SFI <sfi> gives 6982
    When I read record 1 of SFI <sfi>
    Then the status word is 6982

    Examples:
      | sfi |
      | 5   |
      | 6   |

  @req:CARD-SSSE-V3-01
  Scenario: Before authentication, reading the selected EF05 gives 6982 too
    When I select the EF EF05 under the current DF
    And I read record 1
    Then the status word is 6982

  @req:CARD-SSSE-V3-01
  Scenario: After external authentication with the read key the basic data are read
    Given I have read access to the SSSE basic data
    When I read record 1 of SFI 5
    Then the status word is 9000
    And the response data is record 1 of 3F00/DDF1/EF05
    When I read record 2 of SFI 6
    Then the status word is 9000
    And the response data is record 2 of 3F00/DDF1/EF06

  @req:CARD-SSSE-V3-01
  Scenario: Authentication with another SSSE key does not open the basic data
    When I authenticate with the SSSE key 1
    Then the status word is 9000
    When I read record 1 of SFI 5
    Then the status word is 6982

  @req:CARD-SSSE-V3-01
  Scenario: The read access ends with a reset
    Given I have read access to the SSSE basic data
    And the card is reset
    When I select the DF of 3F00/DDF1 by its name
    And I read record 1 of SFI 5
    Then the status word is 6982

  @req:CARD-SSSE-V3-01 @req:CARD-FW-02
  Scenario: The read access ends when the terminal leaves the SSSE for the PSE
    Given I have read access to the SSSE basic data
    When I select the application "1PAY.SYS.DDF01"
    And I select the DF of 3F00/DDF1 by its name
    And I read record 1 of SFI 5
    Then the status word is 6982
