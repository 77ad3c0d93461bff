Feature: Terminal risk management of the financial terminal
  EMV 4.3 Book 3 §10.6.1 (JR/T 0025.6 the same): an amount equal to or
  above the floor limit sets "Transaction exceeds floor limit"; one below
  does not. Each purchase follows an online one, so that the card is not new
  and the velocity limits are not reached.

  Background:
    Given a financial terminal whose floor limit is 500000
    And the terminal has completed a purchase of amount "000000001000" online

  @req:TERM-FIN-05
  Scenario: One below the floor limit is approved offline
    When the terminal performs a purchase of amount "000000499999" with the PIN
    Then the TVR does not say "transaction exceeds floor limit"
    And the TSI says "Terminal risk management was performed"
    And the first GENERATE AC asked for TC
    And the transaction is approved offline

  @req:TERM-FIN-05
  Scenario: The floor limit itself exceeds the floor limit and goes online
    When the terminal performs a purchase of amount "000000500000" with the PIN
    Then the TVR says "transaction exceeds floor limit"
    And the first GENERATE AC asked for ARQC
    And the transaction is approved online

  @req:TERM-FIN-05
  Scenario: One above the floor limit goes online
    When the terminal performs a purchase of amount "000000500001" with the PIN
    Then the TVR says "transaction exceeds floor limit"
    And the first GENERATE AC asked for ARQC
    And the transaction is approved online
