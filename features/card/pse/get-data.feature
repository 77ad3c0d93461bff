Feature: GET DATA
  JR/T 0025: GET DATA 80 CA returns the card's risk data as tag ‖ length ‖ value.

  Background:
    Given I select the debit application

  @req:CARD-PBOC-DATA-01
  Scenario Outline: GET DATA returns <object>
    When I get the data object <tag>
    Then the status word is 9000
    And the response holds tag <tag>

    Examples:
      | tag  | object                  |
      | 9F36 | the ATC                 |
      | 9F13 | the last online ATC     |
      | 9F17 | the PIN try counter     |
      | 9F4F | the log format          |
      | 9F14 | the lower consecutive offline limit |
      | 9F23 | the upper consecutive offline limit |

  @req:CARD-PBOC-DATA-01 @req:CARD-PBOC-ATC-01
  Scenario: GET DATA tells the ATC the GENERATE AC answers
    When I start a transaction
    And I ask for an ARQC
    Then the ATC in the cryptogram response is the one GET DATA tells

  @req:CARD-PBOC-DATA-01
  Scenario Outline: A data object the card does not hold gives 6A88
    When I get the data object <tag>
    Then the status word is 6A88

    Examples:
      | tag  |
      | 9F7F |
      | DF69 |

  @req:CARD-PBOC-DATA-01
  Scenario: GET DATA outside the debit application is not the PBOC command
    When I select the application "1PAY.SYS.DDF01"
    And I get the data object 9F36
    Then the status word signals an error
