Feature: The PIN of the social-security application
  VERIFY counts wrong PINs (63Cx) and blocks the PIN (6983); CHANGE PIN needs
  the old PIN; PIN RELOAD and PIN UNBLOCK carry the new PIN encrypted under
  their key, with a MAC. The reference card's SSSE PIN allows 3 tries.

  Background:
    When I select the SSSE

  @req:CARD-SSSE-PIN-01
  Scenario: The right PIN is accepted
    When I verify the SSSE PIN
    Then the status word is 9000
    And the SSSE PIN is verified

  @req:CARD-SSSE-PIN-01
  Scenario: Each wrong PIN costs a try
    When I verify the SSSE PIN with a wrong PIN
    Then the status word is 63C2
    And the SSSE PIN has 2 tries left
    When I verify the SSSE PIN with a wrong PIN
    Then the status word is 63C1
    And the SSSE PIN has 1 tries left
    When I verify the SSSE PIN with a wrong PIN
    Then the status word is 63C0
    And the SSSE PIN has 0 tries left

  @req:CARD-SSSE-PIN-01
  Scenario: A blocked PIN refuses the right PIN
    When I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN
    Then the status word is 6983
    And the SSSE PIN has 0 tries left

  @req:CARD-SSSE-PIN-01
  Scenario: The right PIN restores the tries
    When I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN
    Then the status word is 9000
    When I verify the SSSE PIN with a wrong PIN
    Then the status word is 63C2

  @req:CARD-SSSE-PIN-01
  Scenario: A PIN block that is not BCD is refused without costing a try
    When I send the APDU "00 20 00 00 03 12 3A 56"
    Then the status word is 6A80
    And the SSSE PIN has 3 tries left

  @req:CARD-SSSE-PIN-01
  Scenario: A PIN longer than 12 digits is refused with 6700
    When I send the APDU "00 20 00 00 07 12 34 56 78 90 12 34"
    Then the status word is 6700
    And the SSSE PIN has 3 tries left

  @req:CARD-SSSE-PIN-02
  Scenario: CHANGE PIN with the old PIN sets the new one
    When I change the SSSE PIN to "654321"
    Then the status word is 9000
    When I verify the SSSE PIN "654321"
    Then the status word is 9000

  @req:CARD-SSSE-PIN-02
  Scenario: After CHANGE PIN the old PIN is wrong
    When I change the SSSE PIN to "654321"
    And I verify the SSSE PIN
    Then the status word is 63C2

  @req:CARD-SSSE-PIN-02
  Scenario: CHANGE PIN with a wrong old PIN keeps the PIN and costs a try
    When I change the SSSE PIN to "654321" giving a wrong old PIN
    Then the status word is 63C2
    And the SSSE PIN has 2 tries left
    When I verify the SSSE PIN
    Then the status word is 9000

  @req:CARD-SSSE-PIN-02
  Scenario: CHANGE PIN refuses a new PIN shorter than 6 digits
    When I change the SSSE PIN to "1234"
    Then the status word is 6A80
    And the SSSE PIN has 3 tries left

  @req:CARD-SSSE-PIN-03
  Scenario Outline: PIN <mode> sets a new PIN and unblocks a blocked PIN
    When I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I <mode> the SSSE PIN with the new PIN "112233"
    Then the status word is 9000
    And the SSSE PIN has 3 tries left
    When I verify the SSSE PIN "112233"
    Then the status word is 9000

    Examples:
      | mode    |
      | unblock |
      | reload  |

  @req:CARD-SSSE-PIN-03
  Scenario Outline: PIN <mode> with a wrong MAC changes nothing
    When I <mode> the SSSE PIN with the new PIN "112233" with a wrong MAC
    Then the status word is 6988
    And the SSSE PIN has 3 tries left
    When I verify the SSSE PIN "112233"
    Then the status word is 63C2
    When I verify the SSSE PIN
    Then the status word is 9000

    Examples:
      | mode    |
      | unblock |
      | reload  |

  @req:CARD-SSSE-PIN-03
  Scenario: PIN unblock without a MAC is refused
    When I unblock the SSSE PIN with the new PIN "112233" without a MAC
    Then the status word is 6982
    When I verify the SSSE PIN "112233"
    Then the status word is 63C2

  @req:CARD-SSSE-PIN-03
  Scenario Outline: PIN <mode> to a new PIN of <n> digits answers <sw>
    When I <mode> the SSSE PIN with the new PIN "<new>"
    Then the status word is <sw>
    When I verify the SSSE PIN "<new>"
    Then the status word is <after>

    Examples:
      | mode    | n  | new          | sw   | after |
      | unblock | 5  | 24680        | 6A80 | 63C2  |
      | unblock | 6  | 246802       | 9000 | 9000  |
      | unblock | 12 | 246802135791 | 9000 | 9000  |
      | reload  | 5  | 24680        | 6A80 | 63C2  |
      | reload  | 12 | 246802135791 | 9000 | 9000  |

  @req:CARD-SSSE-PIN-03
  Scenario Outline: PIN <mode> to a PIN that is too short leaves a blocked PIN blocked
    When I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I <mode> the SSSE PIN with the new PIN "24680"
    Then the status word is 6A80
    And the SSSE PIN has 0 tries left

    Examples:
      | mode    |
      | unblock |
      | reload  |
