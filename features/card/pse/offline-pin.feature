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

  @req:CARD-PBOC-PIN-01
  Scenario Outline: GET DATA tells the try counter after <n> wrong offline PINs, and after a reset
    When I verify <n> wrong offline PINs
    Then the PIN try counter is <left>
    When the card is reset
    And I select the debit application
    Then the PIN try counter is <left>

    Examples:
      | n | left |
      | 1 | 2    |
      | 2 | 1    |
      | 3 | 0    |

  @req:CARD-PBOC-CVR-01
  Scenario Outline: The card verification results tell an offline PIN <outcome>
    When I verify <wrong> wrong offline PINs
    And I verify the offline PIN <right> times
    And I ask for an ARQC
    Then the card answers an ARQC
    And the card verification results <performed> "offline PIN performed"
    And the card verification results <failed> "offline PIN failed"
    And the card verification results <blocked> "PIN try limit exceeded"

    Examples:
      | outcome                      | wrong | right | performed  | failed     | blocked    |
      | not performed                | 0     | 0     | do not say | do not say | do not say |
      | passed                       | 0     | 1     | say        | do not say | do not say |
      | failed                       | 1     | 0     | say        | say        | do not say |
      | failed with tries left       | 2     | 0     | say        | say        | do not say |
      | failed on its last try       | 3     | 0     | say        | say        | say        |
      | presented when blocked       | 3     | 1     | say        | say        | say        |
