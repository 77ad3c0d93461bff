Feature: Transactions of the financial terminal
  JR/T 0025: read application data, offline data authentication, processing
  restrictions, cardholder verification, terminal risk management, terminal
  action analysis, online processing with the issuer host, issuer scripts.
  The terminal's date is the card's effective date plus one year unless a
  scenario says otherwise.

  @req:TERM-FIN-06 @req:TERM-FIN-08
  Scenario: A first transaction goes online and is approved
    Given a financial terminal
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the transaction is approved online
    And the terminal sent the ARQC to the issuer, which found it valid
    And the card accepted the issuer's ARPC

  @req:TERM-FIN-06
  Scenario: After an online approval, a small purchase is approved offline
    Given a financial terminal
    And the terminal has completed a purchase of amount "000000001000" online
    When the terminal performs a purchase of amount "000000000100" with the PIN
    Then the transaction is approved offline

  @req:TERM-FIN-05
  Scenario: A purchase over the floor limit goes online
    Given a financial terminal
    And the terminal has completed a purchase of amount "000000001000" online
    When the terminal performs a purchase of amount "000000900000" with the PIN
    Then the TVR says "transaction exceeds floor limit"
    And the transaction is approved online

  @req:TERM-FIN-06
  Scenario: The issuer declines
    Given a financial terminal whose issuer declines
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the transaction is declined online

  @req:TERM-FIN-06
  Scenario: Unable to go online, the terminal declines as its default action codes say
    Given a financial terminal that cannot go online
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the transaction is declined offline
    And the TVR says "new card"

  @req:TERM-FIN-02
  Scenario: The terminal authenticates the card with CDA
    Given a financial terminal
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the terminal performed "CDA"
    And the TVR says nothing about offline data authentication

  @req:TERM-FIN-02
  Scenario: A terminal without CDA authenticates the card with DDA
    Given a financial terminal without CDA
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the terminal performed "DDA"
    And the TVR says nothing about offline data authentication

  @req:TERM-FIN-02
  Scenario: A terminal that only knows SDA authenticates the card with SDA
    Given a financial terminal with SDA only
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the terminal performed "SDA"
    And the TVR says nothing about offline data authentication

  @req:TERM-FIN-02
  Scenario: A terminal without the card's CA key cannot authenticate the card offline
    Given a financial terminal without the CA key of the card
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "CDA failed"
    And the transaction is approved online

  @req:TERM-FIN-03
  Scenario: An expired card is declined
    Given a financial terminal whose date is the day after the card's expiry date
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "expired application"
    And the transaction is declined offline

  @req:TERM-FIN-03 @req:CARD-PBOC-DOM-01
  Scenario: A foreign terminal finds the card not allowed for international use
    Given a financial terminal in country "0840"
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "requested service not allowed for card product"
    And the transaction is declined offline

  @req:TERM-FIN-04
  Scenario: The terminal verifies the offline PIN
    Given a financial terminal
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the cardholder was verified by the offline PIN

  @req:TERM-FIN-04
  Scenario: A wrong PIN is reported in the TVR
    Given a financial terminal
    When the terminal performs a purchase of amount "000000001000" with a wrong PIN
    Then the TVR says "cardholder verification was not successful"

  @req:TERM-FIN-04
  Scenario: A blocked PIN is reported in the TVR
    Given a financial terminal
    And the card's offline PIN is blocked
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "PIN try limit exceeded"

  @req:TERM-FIN-07
  Scenario: The issuer's script is sent to the card and succeeds
    Given a financial terminal whose issuer sends the script "PIN unblock"
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the transaction is approved online
    And the issuer script was processed

  @req:TERM-FIN-07
  Scenario: A script the card refuses is reported in the TVR
    Given a financial terminal whose issuer sends the script "PIN unblock" with a wrong MAC
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "script processing failed after final GENERATE AC"

  @req:TERM-FIN-07 @req:CARD-PBOC-SCR-02
  Scenario: An issuer that blocks the application
    Given a financial terminal whose issuer sends the script "application block"
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the issuer script was processed
    And the card's financial application is blocked

  @req:TERM-FIN-03
  Scenario: A terminal that does not know the card's application version says so in the TVR
    Given a financial terminal that does not accept the card's application version
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "ICC and terminal have different application versions"
