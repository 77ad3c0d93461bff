Feature: Cardholder verification by the financial terminal
  EMV 4.3 Book 3 §10.5 (JR/T 0025.6 the same): the lab cards' CVM List asks
  for the offline plaintext PIN, processing failing when it fails. The
  terminal reads the PIN Try Counter first and does not present a PIN the
  card reports blocked; the CVM results 9F34, the TVR byte 3 and the TSI tell
  what happened each time.

  @req:TERM-FIN-04
  Scenario: The right PIN verifies the cardholder
    Given a financial terminal
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the cardholder was verified by the offline PIN
    And the CVM results record the offline plaintext PIN as successful
    And the terminal sent one VERIFY, answered 9000
    And the TVR does not say "cardholder verification was not successful"
    And the TSI says "Cardholder verification was performed"

  @req:TERM-FIN-04
  Scenario: A wrong PIN fails cardholder verification
    Given a financial terminal
    When the terminal performs a purchase of amount "000000001000" with a wrong PIN
    Then the TVR says "cardholder verification was not successful"
    And the TVR does not say "PIN try limit exceeded"
    And the CVM results record the offline plaintext PIN as failed
    And the terminal sent one VERIFY, answered 63C2
    And the TSI says "Cardholder verification was performed"

  @req:TERM-FIN-04 @req:TERM-IF-04
  Scenario: A blocked PIN is not presented and is reported in the TVR
    Given a financial terminal
    And the card's offline PIN is blocked
    When the terminal performs a purchase of amount "000000001000" with the PIN
    Then the TVR says "PIN try limit exceeded"
    And the TVR says "cardholder verification was not successful"
    And the CVM results record the offline plaintext PIN as failed
    And the terminal sent no VERIFY
    And the TSI says "Cardholder verification was performed"

  @req:TERM-FIN-04
  Scenario: A bypassed PIN entry is reported and no PIN is sent
    Given a financial terminal
    When the terminal performs a purchase of amount "000000001000" with the PIN entry bypassed
    Then the TVR says "PIN entry required, PIN pad present, but PIN was not entered"
    And the TVR says "cardholder verification was not successful"
    And the CVM results record the offline plaintext PIN as failed
    And the terminal sent no VERIFY
