Feature: Offline PIN of the financial application
  JR/T 0025: VERIFY 00 20 00 80 with the plaintext PIN block 2N PIN F…
  checks the offline PIN and counts the tries (GET DATA 9F17). The key set's
  offline PIN allows 3 tries.

  Background:
    Given I select the debit application
    And I start a transaction

  @req:CARD-PBOC-PIN-01
  Scenario: The right offline PIN is accepted
    When I verify the offline PIN
    Then the status word is 9000
    And the PIN try counter is 3

  @req:CARD-PBOC-PIN-01
  Scenario: A wrong offline PIN costs a try
    When I verify a wrong offline PIN
    Then the status word is 63C2
    And the PIN try counter is 2

  @req:CARD-PBOC-PIN-01
  Scenario: The offline PIN blocks after its last try
    When I verify a wrong offline PIN
    And I verify a wrong offline PIN
    And I verify a wrong offline PIN
    Then the status word is 63C0
    When I verify the offline PIN
    Then the status word is 6983
    And the PIN try counter is 0

  @req:CARD-PBOC-PIN-01
  Scenario: The right PIN restores the tries
    When I verify a wrong offline PIN
    And I verify the offline PIN
    Then the PIN try counter is 3

  @req:CARD-PBOC-PIN-01
  Scenario Outline: A malformed PIN block is refused and costs no try
    When I send the APDU "00 20 00 80 08 <block>"
    Then the status word is 6A80
    And the PIN try counter is 3

    Examples:
      | block                   |
      | 16 88 88 88 FF FF FF FF |
      | 23 88 8F FF FF FF FF FF |
      | 26 88 88 8A FF FF FF FF |
      | 26 88 88 88 F0 FF FF FF |
