Feature: PIN services of the social-security terminal
  LD/T 6001 part 5, terminal interface: the terminal verifies, changes,
  reloads and unblocks the PIN of the social-security application; PIN
  RELOAD and PIN UNBLOCK carry the new PIN encrypted and MAC'd by the PSAM
  with the card's diversified reload and unblock keys.

  Background:
    Given a social-security terminal that has initialised the card

  @req:TERM-SS-05 @req:CARD-SSSE-PIN-01
  Scenario: The terminal verifies the cardholder's PIN
    When the terminal verifies the cardholder's PIN
    Then the status word is 9000

  @req:TERM-SS-05 @req:CARD-SSSE-PIN-01
  Scenario: A wrong PIN costs a try
    When the terminal verifies a wrong PIN
    Then the status word is 63C2

  @req:TERM-SS-05 @req:CARD-SSSE-PIN-02
  Scenario: The terminal changes the PIN
    When the terminal changes the cardholder's PIN to "246810"
    Then the status word is 9000
    When the terminal verifies the PIN "246810"
    Then the status word is 9000
    When the terminal verifies the cardholder's PIN
    Then the status word is 63C2

  @req:TERM-SS-05 @req:CARD-SSSE-PIN-03
  Scenario: The terminal reloads the PIN through its PSAM
    When the terminal reloads the PIN with the new PIN "135790"
    Then the status word is 9000
    And the PSAM diversified every key with the card's factors
    When the terminal verifies the PIN "135790"
    Then the status word is 9000

  @req:TERM-SS-05 @req:CARD-SSSE-PIN-03
  Scenario: The terminal unblocks a blocked PIN through its PSAM
    When the terminal verifies a wrong PIN
    And the terminal verifies a wrong PIN
    And the terminal verifies a wrong PIN
    And the terminal verifies the cardholder's PIN
    Then the status word is 6983
    When the terminal unblocks the PIN with the new PIN "975310"
    Then the status word is 9000
    And the PSAM diversified every key with the card's factors
    When the terminal verifies the PIN "975310"
    Then the status word is 9000
