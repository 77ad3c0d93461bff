Feature: Issuer script processing by the financial terminal
  EMV 4.3 Book 3 §10.10 (JR/T 0025.6 the same): the commands of a script in
  template 72 are sent after the final GENERATE AC; the TSI then says
  "Script processing was performed", and a command the card refuses sets
  "Script processing failed after final GENERATE AC" (never the bit of
  template 71 scripts, sent before it).

  @req:TERM-FIN-07
  Scenario: The issuer's script is sent after the second GENERATE AC and succeeds
    Given a financial terminal whose issuer sends the script "PIN unblock"
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the transaction is approved online
    And the issuer script was processed
    And the issuer script was sent after the second GENERATE AC
    And the TSI says "Script processing was performed"
    And the TVR does not say "script processing failed after final GENERATE AC"
    And the TVR does not say "script processing failed before final GENERATE AC"

  @req:TERM-FIN-07 @req:CARD-PBOC-SCR-01
  Scenario: A script the card refuses is reported in the TVR and the TSI
    Given a financial terminal whose issuer sends the script "PIN unblock" with a wrong MAC
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "script processing failed after final GENERATE AC"
    And the TVR does not say "script processing failed before final GENERATE AC"
    And the TSI says "Script processing was performed"
    And the issuer script was sent after the second GENERATE AC

  @req:TERM-FIN-07
  Scenario: Without a script the terminal reports no script processing
    Given a financial terminal
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR does not say "script processing failed after final GENERATE AC"
    And the TSI does not say "Script processing was performed"

  @req:TERM-FIN-07 @req:CARD-PBOC-SCR-02
  Scenario: An issuer that blocks the application
    Given a financial terminal whose issuer sends the script "application block"
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the issuer script was processed
    And the issuer script was sent after the second GENERATE AC
    And the card's financial application is blocked
