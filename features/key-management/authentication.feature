Feature: External authentication
  ISO/IEC 7816-4 §7.5.4: the terminal proves a key by encrypting the card's
  challenge; the card counts failures and blocks the key when none are left.

  @req:KEY-AUTH-01 @req:KEY-ALG-01
  Scenario Outline: The <env> application key <id> authenticates
    When I select the <env>
    And I authenticate with the <env> key <id>
    Then the status word is 9000

    Examples:
      | env  | id |
      | SSSE | 1  |
      | SSSE | 6  |
      | PSE  | 1  |

  @req:KEY-AUTH-01
  Scenario: A wrong cryptogram is answered with the tries left
    When I select the SSSE
    And I authenticate with a wrong value for the SSSE key 1
    Then the status word is 63C4
    And the SSSE key 1 is not in the security state
    When I authenticate with a wrong value for the SSSE key 1
    Then the status word is 63C3

  @req:KEY-AUTH-01
  Scenario: The right key restores the try counter
    When I select the PSE
    And I authenticate with a wrong value for the PSE key 1
    And I authenticate with the PSE key 1
    Then the status word is 9000
    When I authenticate with a wrong value for the PSE key 1
    Then the status word is 63C4

  @req:KEY-AUTH-01
  Scenario: A key is blocked when no tries are left, and then refuses the right cryptogram
    When I select the SSSE
    And I authenticate with a wrong value for the SSSE key 1
    And I authenticate with a wrong value for the SSSE key 1
    And I authenticate with a wrong value for the SSSE key 1
    And I authenticate with a wrong value for the SSSE key 1
    And I authenticate with a wrong value for the SSSE key 1
    Then the status word is 63C0
    When I authenticate with the SSSE key 1
    Then the status word is 6983
    And the SSSE key 1 is not in the security state
    When I authenticate with a wrong value for the SSSE key 1
    Then the status word is 6983

  @req:KEY-AUTH-01
  Scenario: A key that does not exist is answered with 6A88
    When I select the SSSE
    And I authenticate as key 99 of the SSSE with the SSSE key 1
    Then the status word is 6A88

  @req:KEY-AUTH-01
  Scenario: A cryptogram of the wrong length is refused with 6700
    When I select the SSSE
    And I get a challenge of 8 bytes
    And I send the APDU "00 82 00 01 04 01 02 03 04"
    Then the status word is 6700
    When I authenticate with a wrong value for the SSSE key 1
    Then the status word is 63C4

  @req:KEY-AUTH-01
  Scenario: A key that is not for external authentication is refused
    When I select the SSSE
    And I authenticate with the SSSE key 2
    Then the status word is 6985
