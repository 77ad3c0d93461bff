Feature: Processing restrictions of the financial terminal
  EMV 4.3 Book 3 §10.4 (JR/T 0025.6 the same): the application version
  number of the card (9F08) against the terminal's (9F09), the application
  usage control (9F07) against the terminal's country, and the transaction
  date against the effective (5F25) and expiration (5F24) dates — each
  condition on both sides of its boundary, its TVR bit set or clear. The lab
  cards' IAC-denial names "Expired application" and "Requested service not
  allowed for card product"; their IAC-online names "Application not yet
  effective".

  @req:TERM-FIN-03
  Scenario: On the card's expiry date the application is not expired
    Given a financial terminal whose date is the card's expiry date
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR does not say "expired application"
    And the first GENERATE AC asked for ARQC
    And the transaction is approved online

  @req:TERM-FIN-03
  Scenario: The day after the card's expiry date the application is expired and declined
    Given a financial terminal whose date is the day after the card's expiry date
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "expired application"
    And the first GENERATE AC asked for AAC
    And the terminal sent no second GENERATE AC
    And the transaction is declined offline

  @req:TERM-FIN-03
  Scenario: On the card's effective date the application is effective
    Given a financial terminal whose date is the card's effective date
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR does not say "application not yet effective"
    And the TVR does not say "expired application"
    And the transaction is approved online

  @req:TERM-FIN-03
  Scenario: The day before the card's effective date the application is not yet effective
    Given a financial terminal whose date is the day before the card's effective date
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "application not yet effective"
    And the TVR does not say "expired application"
    And the first GENERATE AC asked for ARQC

  @req:TERM-FIN-03
  Scenario: A terminal of the card's application version finds no difference
    Given a financial terminal whose application version is the card's
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR does not say "ICC and terminal have different application versions"
    And the transaction is approved online

  @req:TERM-FIN-03
  Scenario: A terminal one version above the card's reports different application versions
    Given a financial terminal whose application version is one above the card's
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "ICC and terminal have different application versions"

  @req:TERM-FIN-03 @req:CARD-PBOC-DOM-01
  Scenario: A domestic terminal may use the domestic-only card
    Given a financial terminal in country "0156"
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR does not say "requested service not allowed for card product"
    And the transaction is approved online

  @req:TERM-FIN-03 @req:CARD-PBOC-DOM-01
  Scenario: A terminal of another country finds the card not allowed for international use
    Given a financial terminal in country "0840"
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "requested service not allowed for card product"
    And the first GENERATE AC asked for AAC
    And the transaction is declined offline

  @req:TERM-FIN-03 @req:CARD-PBOC-DOM-01
  Scenario: A country code one above the card's issuer country is international use
    Given a financial terminal in country "0157"
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "requested service not allowed for card product"
    And the transaction is declined offline
