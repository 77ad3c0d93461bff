Feature: Offline data authentication by the financial terminal
  EMV 4.3 Book 3 §10.3 (JR/T 0025.6 the same): the terminal performs CDA, DDA
  or SDA, the first that the AIP says the card supports and that the terminal
  supports, and sets "Offline data authentication was performed" in the TSI. A
  failed method sets its TVR bit; the issuer action codes of the lab cards
  (IAC-online and IAC-default name SDA, DDA and CDA failed) then forbid an
  offline approval: an online-capable terminal goes online, an offline-only
  terminal declines.

  @req:TERM-FIN-02
  Scenario: CDA is requested with the first GENERATE AC when card and terminal support it
    Given a financial terminal
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the terminal performed "CDA"
    And the TSI says "Offline data authentication was performed"
    And the TVR says nothing about offline data authentication
    And the TVR does not say "SDA selected"
    And the first GENERATE AC requested a CDA signature
    And the terminal sent no INTERNAL AUTHENTICATE

  @req:TERM-FIN-02
  Scenario: DDA sends INTERNAL AUTHENTICATE and no CDA request
    Given a financial terminal without CDA
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the terminal performed "DDA"
    And the TSI says "Offline data authentication was performed"
    And the TVR says nothing about offline data authentication
    And the TVR does not say "SDA selected"
    And the terminal sent INTERNAL AUTHENTICATE
    And the first GENERATE AC omitted a CDA signature

  @req:TERM-FIN-02
  Scenario: SDA sends neither INTERNAL AUTHENTICATE nor a CDA request
    Given a financial terminal with SDA only
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the terminal performed "SDA"
    And the TSI says "Offline data authentication was performed"
    And the TVR says "SDA selected"
    And the TVR says nothing about offline data authentication
    And the terminal sent no INTERNAL AUTHENTICATE
    And the first GENERATE AC omitted a CDA signature

  @req:TERM-FIN-02
  Scenario: A failed CDA is reported and the small purchase is not approved offline
    Given a financial terminal
    And the terminal has completed a purchase of amount "000000001000" online
    And the terminal loses the CA key of the card
    When the terminal performs a purchase of amount "000000000100" with the PIN
    Then the TVR says "CDA failed"
    And the TVR does not say "DDA failed"
    And the TSI says "Offline data authentication was performed"
    And the first GENERATE AC asked for ARQC
    And the first GENERATE AC omitted a CDA signature
    And the transaction is approved online

  @req:TERM-FIN-02
  Scenario: A failed DDA is reported and the small purchase is not approved offline
    Given a financial terminal without CDA
    And the terminal has completed a purchase of amount "000000001000" online
    And the terminal loses the CA key of the card
    When the terminal performs a purchase of amount "000000000100" with the PIN
    Then the TVR says "DDA failed"
    And the TVR does not say "CDA failed"
    And the first GENERATE AC asked for ARQC
    And the transaction is approved online

  @req:TERM-FIN-02
  Scenario: A failed SDA is reported and the small purchase is not approved offline
    Given a financial terminal with SDA only
    And the terminal has completed a purchase of amount "000000001000" online
    And the terminal loses the CA key of the card
    When the terminal performs a purchase of amount "000000000100" with the PIN
    Then the TVR says "SDA failed"
    And the TVR says "SDA selected"
    And the first GENERATE AC asked for ARQC
    And the transaction is approved online

  @req:TERM-FIN-02
  Scenario: With its CA key the same small purchase is approved offline
    Given a financial terminal with SDA only
    And the terminal has completed a purchase of amount "000000001000" online
    When the terminal performs a purchase of amount "000000000100" with the PIN
    Then the TVR says nothing about offline data authentication
    And the first GENERATE AC asked for TC
    And the transaction is approved offline

  @req:TERM-FIN-02
  Scenario: Offline only, a failed DDA declines as the default action codes say
    Given a financial terminal without CDA
    And the terminal has completed a purchase of amount "000000001000" online
    And the terminal loses its link to the issuer
    And the terminal loses the CA key of the card
    When the terminal performs a purchase of amount "000000000100" with the PIN
    Then the TVR says "DDA failed"
    And the first GENERATE AC asked for AAC
    And the transaction is declined offline
