Feature: Reading the application data by the financial terminal
  EMV 4.3 Book 3 §10.2 (JR/T 0025.6 the same): the terminal reads every
  record the AFL names; when the card does not return one of them the
  transaction is terminated — no cardholder verification, no GENERATE AC.

  @req:TERM-FIN-09
  Scenario: The card cannot return the first record of the AFL
    Given a financial terminal
    And the card answers 6A83 to the terminal's READ RECORD number 1 of the AFL
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the transaction is terminated
    And the terminal sent nothing to the card after the failed READ RECORD

  @req:TERM-FIN-09
  Scenario: The card cannot return the second record of the AFL
    Given a financial terminal
    And the card answers 6A82 to the terminal's READ RECORD number 2 of the AFL
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the transaction is terminated
    And the terminal sent nothing to the card after the failed READ RECORD

  @req:TERM-FIN-09
  Scenario: Every record returned, the transaction goes on
    Given a financial terminal
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the transaction is approved online
