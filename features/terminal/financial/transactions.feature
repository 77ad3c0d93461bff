Feature: Transactions of the financial terminal
  JR/T 0025.6 (EMV 4.3 Book 3 chapter 10): read application data, offline
  data authentication, processing restrictions, cardholder verification,
  terminal risk management, terminal action analysis, online processing with
  the issuer host, issuer scripts — a whole purchase, first online (a new
  card), then offline. Each step has its own feature beside this one. The
  terminal's date is the card's effective date plus one year unless a
  scenario says otherwise.

  @req:TERM-FIN-06 @req:TERM-FIN-08
  Scenario: A first transaction goes online and is approved
    Given a financial terminal
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "new card"
    And the first GENERATE AC asked for ARQC
    And the transaction is approved online
    And the terminal sent the ARQC to the issuer, which found it valid
    And the card accepted the issuer's ARPC
    And the TSI says "Offline data authentication was performed"
    And the TSI says "Cardholder verification was performed"
    And the TSI says "Terminal risk management was performed"
    And the TSI says "Card risk management was performed"

  @req:TERM-FIN-06
  Scenario: After an online approval, a small purchase is approved offline
    Given a financial terminal
    And the terminal has completed a purchase of amount "000000001000" online
    When the terminal performs a purchase of amount "000000000100" with the PIN
    Then the TVR does not say "new card"
    And the first GENERATE AC asked for TC
    And the terminal sent no second GENERATE AC
    And the card's final cryptogram is TC
    And the transaction is approved offline

  @req:TERM-FIN-02
  Scenario: A terminal without the card's CA key cannot authenticate the card offline
    Given a financial terminal without the CA key of the card
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "CDA failed"
    And the transaction is approved online
