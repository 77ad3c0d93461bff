Feature: Access conditions of the social-security files
  LD/T 6001 part 2: every EF has an update condition — free, PIN, key, PIN or
  key, PIN and key, never — and the card refuses an update whose condition is
  not met (6982). The reference card carries one test EF of each kind: EF0B
  free, EF0C PIN, EF0A key 1, EF0E PIN or key 1, EF0F PIN and key 1, EF05 never.

  Background:
    Given I have read access to the SSSE basic data

  @req:CARD-SSSE-AC-01
  Scenario: A free EF is updated without anything
    When I select the file EF0B
    And I write "01 02 03 04" at offset 0 of the current EF
    Then the status word is 9000
    When I read 4 bytes at offset 0
    Then the response data is "01 02 03 04"

  @req:CARD-SSSE-AC-01
  Scenario: A PIN EF is refused without the PIN
    When I select the file EF0C
    And I write "01 02" at offset 0 of the current EF
    Then the status word is 6982

  @req:CARD-SSSE-AC-01
  Scenario: A PIN EF is updated after the PIN
    When I verify the SSSE PIN
    And I select the file EF0C
    And I write "01 02" at offset 0 of the current EF
    Then the status word is 9000

  @req:CARD-SSSE-AC-01
  Scenario: A PIN EF is not updated after a wrong PIN
    When I verify the SSSE PIN with a wrong PIN
    And I select the file EF0C
    And I write "01 02" at offset 0 of the current EF
    Then the status word is 6982

  @req:CARD-SSSE-AC-01
  Scenario: A key EF is refused without external authentication
    When I select the file EF0A
    And I write "01 02" at offset 0 of the current EF
    Then the status word is 6982

  @req:CARD-SSSE-AC-01
  Scenario: A key EF is not opened by another key
    When I authenticate with the SSSE key 6
    And I select the file EF0A
    And I write "01 02" at offset 0 of the current EF
    Then the status word is 6982

  @req:CARD-SSSE-AC-01
  Scenario: A key EF is not opened by the PIN
    When I verify the SSSE PIN
    And I select the file EF0A
    And I write "01 02" at offset 0 of the current EF
    Then the status word is 6982

  @req:CARD-SSSE-AC-01
  Scenario Outline: A PIN-or-key EF is updated after the <what>
    When <action>
    And I select the file EF0E
    And I write "01 02" at offset 0 of the current EF
    Then the status word is 9000

    Examples:
      | what | action                             |
      | PIN  | I verify the SSSE PIN              |
      | key  | I authenticate with the SSSE key 1 |

  @req:CARD-SSSE-AC-01
  Scenario: A PIN-or-key EF is refused with neither
    When I select the file EF0E
    And I write "01 02" at offset 0 of the current EF
    Then the status word is 6982

  @req:CARD-SSSE-AC-01
  Scenario Outline: A PIN-and-key EF is refused after the <what> alone
    When <action>
    And I select the file EF0F
    And I write "01 02" at offset 0 of the current EF
    Then the status word is 6982

    Examples:
      | what | action                             |
      | PIN  | I verify the SSSE PIN              |
      | key  | I authenticate with the SSSE key 1 |

  @req:CARD-SSSE-AC-01
  Scenario: A PIN-and-key EF is updated after both
    When I verify the SSSE PIN
    And I authenticate with the SSSE key 1
    And I select the file EF0F
    And I write "01 02" at offset 0 of the current EF
    Then the status word is 9000

  @req:CARD-SSSE-AC-01
  Scenario: EF05 is never updated, whatever was presented
    When I verify the SSSE PIN
    And I authenticate with the SSSE key 1
    And I authenticate with the SSSE key 3
    And I update record 2 of SFI 5 with "02 01 33"
    Then the status word is 6982
