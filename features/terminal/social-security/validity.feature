Feature: Validity check of the social-security terminal
  社会保障卡加载金融功能通用规范, terminals, validity check: the terminal
  refuses a card past its expiry date (EF05 tag 06) and a card whose
  social-security application is blocked (SELECT answers 6283, or 9303 for a
  card blocked for good). Dates are the terminal's, set by each scenario
  relative to the card's issue and expiry dates.

  Background:
    Given a social-security terminal that has initialised the card

  @req:TERM-SS-03
  Scenario: The card is accepted on its issue date
    When the terminal checks the card's validity on its issue date
    Then the terminal accepts the card

  @req:TERM-SS-03
  Scenario: The card is accepted on its expiry date, the last day it is valid
    When the terminal checks the card's validity on its expiry date
    Then the terminal accepts the card
    And the terminal read the dates from the card for the check

  @req:TERM-SS-03
  Scenario: The card is refused the day after its expiry date
    When the terminal checks the card's validity on the day after its expiry date
    Then the terminal refuses the card as expired
    And the terminal read the dates from the card for the check

  @req:TERM-SS-03
  Scenario: The card is refused before its issue date
    When the terminal checks the card's validity on the day before its issue date
    Then the terminal refuses the card as not-yet-valid

  @req:TERM-SS-03 @req:CARD-SSSE-BLK-01
  Scenario: A card whose social-security application is blocked is refused
    When I block the SSSE application
    Then the status word is 9000
    When the terminal checks the card's validity on its issue date
    Then the terminal refuses the card as blocked
    And the terminal sent no business command after the SELECT that reported the block

  @req:TERM-SS-03 @req:CARD-SSSE-BLK-01
  Scenario: An unblocked card is accepted again
    When I block the SSSE application
    And I unblock the SSSE application
    Then the status word is 9000
    When the terminal checks the card's validity on its issue date
    Then the terminal accepts the card

  @req:TERM-SS-03 @req:CARD-SSSE-BLK-02
  Scenario: A card blocked for good is refused
    When I block the card in the SSSE
    Then the status word is 9000
    When the terminal checks the card's validity on its issue date
    Then the terminal refuses the card as blocked
    And the terminal sent no business command after the SELECT that reported the block
