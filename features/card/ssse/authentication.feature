Feature: Keys and authentication of the social-security application
  The card's social-security keys are the master keys of the PSAM diversified
  in two levels with the card's own factors (card identification code, city
  code); internal authentication lets the terminal check the card.

  Background:
    When I select the SSSE

  @req:CARD-SSSE-DIV-01 @req:KEY-AUTH-01
  Scenario: The card accepts its diversified external authentication key
    When I authenticate with the SSSE key 1
    Then the status word is 9000

  @req:CARD-SSSE-DIV-01 @req:KEY-AUTH-01
  Scenario: External authentication without a fresh challenge is refused with 6984
    When I authenticate with the SSSE key 1 without a fresh challenge
    Then the status word is 6984
    And the SSSE key 1 is not in the security state

  @req:CARD-SSSE-DIV-01 @req:KEY-AUTH-01
  Scenario: A challenge serves one external authentication only
    When I authenticate with the SSSE key 1
    Then the status word is 9000
    When I authenticate with the SSSE key 1 again with the same challenge
    Then the status word is 6984

  @req:CARD-SSSE-DIV-01 @req:KEY-AUTH-01
  Scenario: External authentication with a key id the SSSE does not hold gives 6A88
    When I authenticate as key 63 with the value of the SSSE key 1
    Then the status word is 6A88

  @req:CARD-SSSE-DIV-01
  Scenario: The card refuses the undiversified master key
    When I authenticate with the undiversified SSSE master key 1
    Then the status word is 63C4
    And the SSSE key 1 is not in the security state

  @req:CARD-SSSE-DIV-01
  Scenario: A key diversified for another card is refused
    When I authenticate with the SSSE key 1 diversified for the card identification code "31010000000000000000000000000099"
    Then the status word is 63C4
    And the SSSE key 1 is not in the security state

  @req:CARD-SSSE-IA-01
  Scenario Outline: Internal authentication returns the cryptogram of the card's key for <random>
    When I authenticate the card with its internal authentication key 2 and the random "<random>"
    Then the card answers with the cryptogram of that key

    Examples:
      | random                  |
      | 11 22 33 44 55 66 77 88 |
      | 00 00 00 00 00 00 00 00 |

  @req:CARD-SSSE-IA-01
  Scenario: Internal authentication with P2 = 00 uses the card's internal authentication key
    When I authenticate the card with its internal authentication key 0 and the random "A1 B2 C3 D4 E5 F6 07 18"
    Then the card answers with the cryptogram of that key

  @req:CARD-SSSE-IA-01
  Scenario: Internal authentication with a key that is not for it is refused
    When I send the APDU "00 88 00 01 08 11 22 33 44 55 66 77 88 00"
    Then the status word is 6985

  @req:CARD-SSSE-IA-01
  Scenario: Internal authentication with a random of the wrong length is refused
    When I send the APDU "00 88 00 02 04 11 22 33 44 00"
    Then the status word is 6700

  @req:CARD-SSSE-IA-01 @req:CARD-FW-05
  Scenario: Internal authentication is a command of the SSSE only
    When I select the PSE
    And I send the APDU "00 88 00 02 08 11 22 33 44 55 66 77 88 00"
    Then the status word is 6D00
