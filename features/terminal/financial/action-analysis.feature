Feature: Terminal action analysis of the financial terminal
  EMV 4.3 Book 3 §10.7 (JR/T 0025.6 the same): a TVR bit in the terminal or
  issuer action code – denial asks for an AAC; else in an action code –
  online, an online-capable terminal asks for an ARQC; else a TC. A terminal
  unable to go online decides with the action codes – default. The condition
  used is "ICC and terminal have different application versions", set by a
  terminal one version above the card's and named in none of the lab cards'
  issuer action codes, so that the terminal's action codes alone decide; each
  purchase follows an online one, so that nothing else is set in the TVR.

  Background:
    Given a financial terminal
    And the terminal has completed a purchase of amount "000000001000" online
    And the terminal's application version becomes one above the card's

  @req:TERM-FIN-06
  Scenario: A TVR bit in no action code leaves the small purchase offline
    When the terminal performs a purchase of amount "000000000100" with the PIN
    Then the TVR says "ICC and terminal have different application versions"
    And the first GENERATE AC asked for TC
    And the transaction is approved offline

  @req:TERM-FIN-06
  Scenario: The same bit in the terminal action code denial declines offline
    Given the terminal action code denial has the bit "ICC and terminal have different application versions"
    When the terminal performs a purchase of amount "000000000100" with the PIN
    Then the first GENERATE AC asked for AAC
    And the terminal sent no second GENERATE AC
    And the transaction is declined offline

  @req:TERM-FIN-06
  Scenario: The same bit in the terminal action code online sends the purchase online
    Given the terminal action code online has the bit "ICC and terminal have different application versions"
    When the terminal performs a purchase of amount "000000000100" with the PIN
    Then the first GENERATE AC asked for ARQC
    And the transaction is approved online

  @req:TERM-FIN-06
  Scenario: Another bit in the terminal action code denial does not decline
    Given the terminal action code denial has the bit "Expired application"
    When the terminal performs a purchase of amount "000000000100" with the PIN
    Then the first GENERATE AC asked for TC
    And the transaction is approved offline

  @req:TERM-FIN-06
  Scenario: An online-capable terminal does not use the action code default
    Given the terminal action code default has the bit "ICC and terminal have different application versions"
    When the terminal performs a purchase of amount "000000000100" with the PIN
    Then the first GENERATE AC asked for TC
    And the transaction is approved offline

  @req:TERM-FIN-06
  Scenario: Unable to go online, the bit in the terminal action code default declines
    Given the terminal loses its link to the issuer
    And the terminal action code default has the bit "ICC and terminal have different application versions"
    When the terminal performs a purchase of amount "000000000100" with the PIN
    Then the first GENERATE AC asked for AAC
    And the transaction is declined offline

  @req:TERM-FIN-06
  Scenario: Unable to go online, the bit only in the terminal action code online does not decline
    Given the terminal loses its link to the issuer
    And the terminal action code online has the bit "ICC and terminal have different application versions"
    When the terminal performs a purchase of amount "000000000100" with the PIN
    Then the first GENERATE AC asked for TC
    And the transaction is approved offline
