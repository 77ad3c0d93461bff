Feature: Application selection by the financial terminal
  JR/T 0025: the terminal reads the PSE directory and selects the debit
  application; without a PSE it tries its list of AIDs. It never selects a
  credit application.

  @req:TERM-FIN-01
  Scenario: The terminal selects the debit application from the PSE
    Given a financial terminal
    When the terminal selects the application
    Then the terminal selected "A000000333010101" through the PSE

  @req:TERM-FIN-01
  Scenario: Without the PSE the terminal selects from its AID list
    Given a financial terminal that does not use the PSE
    When the terminal selects the application
    Then the terminal selected "A000000333010101" through its AID list

  @req:TERM-FIN-01 @req:CARD-PBOC-DEBIT-01
  Scenario: A terminal that prefers credit still finds only the debit application
    Given a financial terminal whose AID list starts with "A000000333010102"
    When the terminal selects the application
    Then the terminal selected "A000000333010101" through the PSE

  @req:TERM-IF-03 @req:TERM-FIN-01
  Scenario: The terminal does not use a debit application the card reports blocked
    Given a financial terminal whose issuer sends the script "application block"
    And the terminal has completed a purchase of amount "000000001000" online
    And a financial terminal
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the transaction is terminated
    And the terminal sent no business command after the SELECT that reported the block
