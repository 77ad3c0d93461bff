Feature: Online processing and completion by the financial terminal
  EMV 4.3 Book 3 §10.9 and §10.11 (JR/T 0025.6 the same): the ARQC goes to
  the issuer; the card, whose AIP says it supports issuer authentication,
  gets the ARPC with EXTERNAL AUTHENTICATE before the second GENERATE AC;
  the second GENERATE AC carries the issuer's Authorisation Response Code in
  its CDOL2 data and asks for a TC when the issuer approves, an AAC when it
  declines. Unable to go online, the action codes – default decide (the lab
  cards' IAC-default names "New card").

  @req:TERM-FIN-08 @req:TERM-FIN-06
  Scenario: An approving issuer's ARC goes to the card, which gives a TC
    Given a financial terminal
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the first GENERATE AC asked for ARQC
    And the terminal sent the ARQC to the issuer, which found it valid
    And the card accepted the issuer's ARPC
    And the terminal sent the ARPC with EXTERNAL AUTHENTICATE before the second GENERATE AC
    And the TSI says "Issuer authentication was performed"
    And the TVR does not say "issuer authentication failed"
    And the second GENERATE AC carried the issuer's ARC and asked for TC
    And the card's final cryptogram is TC
    And the transaction is approved online

  @req:TERM-FIN-06
  Scenario: A declining issuer's ARC goes to the card, which gives an AAC
    Given a financial terminal whose issuer declines
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the card accepted the issuer's ARPC
    And the second GENERATE AC carried the issuer's ARC and asked for AAC
    And the card's final cryptogram is AAC
    And the transaction is declined online

  @req:TERM-FIN-06
  Scenario: Unable to go online, a new card is declined as the action codes default say
    Given a financial terminal that cannot go online
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "new card"
    And the first GENERATE AC asked for AAC
    And the terminal sent no second GENERATE AC
    And the transaction is declined offline

  @req:TERM-FIN-10 @req:TERM-FIN-06
  Scenario: An ARPC wrong in its last byte is refused by the card and reported as issuer authentication failed
    Given a financial terminal whose issuer answers with an ARPC wrong in its last byte
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the terminal sent the ARQC to the issuer, which found it valid
    And the card refused the issuer's ARPC with 6300
    And the terminal sent the ARPC with EXTERNAL AUTHENTICATE before the second GENERATE AC
    And the TVR says "issuer authentication failed"
    And the TSI says "Issuer authentication was performed"
