Feature: Security state of the social-security application after failures, resets and selections
  ISO/IEC 7816-4 §5.4.1: the security state is what the card achieved since
  the answer to reset. A PIN counts as verified only while its last
  presentation succeeded; a reset or entering the other environment clears
  verified PINs and authenticated keys; try counters are persistent, stop at
  0 (6983) and a right presentation restores their maximum. The reference
  card's SSSE PIN allows 3 tries, its keys 5. Every specification version
  must behave so: nothing here depends on the profile.

  Background:
    When I select the SSSE

  # --- the PIN -------------------------------------------------------------------------------------

  @req:CARD-SEC-01
  Scenario: A wrong PIN after the right one leaves the PIN not verified
    When I verify the SSSE PIN
    And I verify the SSSE PIN with a wrong PIN
    Then the status word is 63C2
    And the SSSE PIN is not verified
    And the SSSE PIN has 2 tries left
    When I select the file EF0C
    And I write "01 02" at offset 0 of the current EF
    Then the status word is 6982

  @req:CARD-SEC-01
  Scenario: Every wrong PIN is read back as one try less
    When I verify the SSSE PIN with a wrong PIN
    Then the SSSE PIN has 2 tries left
    When I verify the SSSE PIN with a wrong PIN
    Then the SSSE PIN has 1 tries left
    When I verify the SSSE PIN with a wrong PIN
    Then the SSSE PIN has 0 tries left

  @req:CARD-SEC-01
  Scenario: At one try left a wrong PIN blocks the PIN for good, and the counter stays at 0
    When I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    Then the SSSE PIN has 1 tries left
    When I verify the SSSE PIN with a wrong PIN
    Then the status word is 63C0
    When I verify the SSSE PIN with a wrong PIN
    Then the status word is 6983
    When I verify the SSSE PIN
    Then the status word is 6983
    And the SSSE PIN has 0 tries left
    And the SSSE PIN is not verified

  @req:CARD-SEC-01
  Scenario: At one try left the right PIN restores the maximum
    When I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN
    Then the status word is 9000
    And the SSSE PIN is verified
    When the card is reset
    And I select the SSSE
    Then the SSSE PIN has 3 tries left

  @req:CARD-SEC-01
  Scenario: The PIN try counter survives a reset
    When I verify the SSSE PIN with a wrong PIN
    And the card is reset
    And I select the SSSE
    Then the SSSE PIN has 2 tries left

  @req:CARD-SEC-01
  Scenario: A blocked PIN stays blocked after a reset
    When I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And the card is reset
    And I select the SSSE
    And I verify the SSSE PIN
    Then the status word is 6983

  @req:CARD-SEC-01
  Scenario: A reset clears the verified PIN
    When I verify the SSSE PIN
    And the card is reset
    And I select the SSSE
    Then the SSSE PIN is not verified
    And the SSSE PIN has 3 tries left
    When I select the file EF0C
    And I write "01 02" at offset 0 of the current EF
    Then the status word is 6982

  @req:CARD-SEC-01
  Scenario Outline: Entering the <other> and coming back clears the verified PIN
    When I verify the SSSE PIN
    And I select the <other>
    And I select the SSSE
    Then the SSSE PIN is not verified
    And the SSSE PIN has 3 tries left

    Examples:
      | other |
      | PSE   |
      | MF    |

  # --- PIN change and unblock ----------------------------------------------------------------------

  @req:CARD-SSSE-PIN-02
  Scenario: CHANGE PIN with a wrong old PIN costs one try and sets nothing
    When I change the SSSE PIN to "654321" giving a wrong old PIN
    Then the status word is 63C2
    And the SSSE PIN has 2 tries left
    When I verify the SSSE PIN "654321"
    Then the status word is 63C1
    When I verify the SSSE PIN
    Then the status word is 9000

  @req:CARD-SSSE-PIN-02
  Scenario: At one try left CHANGE PIN with a wrong old PIN blocks the PIN
    When I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I change the SSSE PIN to "654321" giving a wrong old PIN
    Then the status word is 63C0
    And the SSSE PIN has 0 tries left
    When I change the SSSE PIN to "654321"
    Then the status word is 6983
    When I verify the SSSE PIN "654321"
    Then the status word is 6983

  @req:CARD-SSSE-PIN-02
  Scenario: At one try left CHANGE PIN with the right old PIN restores the maximum
    When I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I change the SSSE PIN to "654321"
    Then the status word is 9000
    When I verify the SSSE PIN with a wrong PIN
    Then the status word is 63C2

  @req:CARD-SSSE-PIN-03
  Scenario Outline: PIN <mode> with a <fault> leaves a blocked PIN blocked
    When I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I <mode> the SSSE PIN with the new PIN "112233" <fault>
    Then the status word signals an error
    And the SSSE PIN has 0 tries left
    When I verify the SSSE PIN "112233"
    Then the status word is 6983

    Examples:
      | mode    | fault                                   |
      | unblock | with a wrong MAC                        |
      | unblock | with a MAC wrong only in its first byte |
      | unblock | without a MAC                           |
      | reload  | with a wrong MAC                        |
      | reload  | with a MAC wrong only in its first byte |

  @req:CARD-SSSE-PIN-03
  Scenario Outline: PIN <mode> at one try left restores the maximum
    When I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I <mode> the SSSE PIN with the new PIN "112233"
    Then the status word is 9000
    And the SSSE PIN has 3 tries left

    Examples:
      | mode    |
      | unblock |
      | reload  |

  # --- keys ----------------------------------------------------------------------------------------

  @req:CARD-SEC-01
  Scenario: A failed external authentication leaves the key unauthenticated
    When I authenticate with a wrong value for the SSSE key 1
    Then the status word is 63C4
    And the SSSE key 1 is not in the security state

  @req:CARD-SEC-01
  Scenario: A reset clears an external authentication
    When I authenticate with the SSSE key 1
    Then the SSSE key 1 is in the security state
    When the card is reset
    And I select the SSSE
    Then the SSSE key 1 is not in the security state

  @req:CARD-SEC-01
  Scenario Outline: Entering the <other> and coming back clears an external authentication
    When I authenticate with the SSSE key 1
    And I select the <other>
    And I select the SSSE
    Then the SSSE key 1 is not in the security state

    Examples:
      | other |
      | PSE   |
      | MF    |

  @req:CARD-SEC-01
  Scenario: An external authentication stays while the terminal works inside the SSSE
    When I authenticate with the SSSE key 1
    And I select the file EF0B
    And I read 4 bytes at offset 0
    Then the SSSE key 1 is in the security state

  @req:CARD-SEC-01
  Scenario: A reset clears the PIN and the key together
    When I verify the SSSE PIN
    And I authenticate with the SSSE key 1
    And the card is reset
    And I select the SSSE
    And I select the file EF0E
    And I write "01 02" at offset 0 of the current EF
    Then the status word is 6982

  @req:KEY-AUTH-01
  Scenario: At one try left the right cryptogram restores the maximum
    When I authenticate with a wrong value for the SSSE key 1
    And I authenticate with a wrong value for the SSSE key 1
    And I authenticate with a wrong value for the SSSE key 1
    And I authenticate with a wrong value for the SSSE key 1
    Then the status word is 63C1
    When I authenticate with the SSSE key 1
    Then the status word is 9000
    When I authenticate with a wrong value for the SSSE key 1
    Then the status word is 63C4

  @req:KEY-AUTH-01
  Scenario: A blocked key stays blocked, at 0, across a reset
    When I authenticate with a wrong value for the SSSE key 1
    And I authenticate with a wrong value for the SSSE key 1
    And I authenticate with a wrong value for the SSSE key 1
    And I authenticate with a wrong value for the SSSE key 1
    And I authenticate with a wrong value for the SSSE key 1
    And I authenticate with a wrong value for the SSSE key 1
    Then the status word is 6983
    When the card is reset
    And I select the SSSE
    And I authenticate with the SSSE key 1
    Then the status word is 6983
    And the SSSE key 1 is not in the security state

  @req:KEY-AUTH-01 @needs:key-info
  Scenario: Every wrong cryptogram is read back from the key information as one try less
    When I authenticate with a wrong value for the SSSE key 1
    Then key 1 of the SSSE has 4 tries left
    When I authenticate with a wrong value for the SSSE key 1
    Then key 1 of the SSSE has 3 tries left
    When I authenticate with the SSSE key 1
    Then key 1 of the SSSE has 5 tries left

  @req:KEY-AUTH-01 @needs:key-info
  Scenario: The key try counter survives a reset
    When I authenticate with a wrong value for the SSSE key 1
    And the card is reset
    Then key 1 of the SSSE has 4 tries left
