Feature: Anti-tear
  LD/T 6001 part 2, 防拔: when the power fails during a command that writes
  persistent memory, the data afterwards are the old or the new value, never a
  mix, and a try counter is decremented before the result of a comparison is
  revealed. The simulator cuts the power at a chosen persistent write.

  Background:
    Given the card is reset

  @req:CARD-AT-01 @needs:simulator
  Scenario Outline: An UPDATE BINARY of 16 bytes torn at write <k> leaves the old content
    When I select the SSSE
    And I authenticate with the SSSE key 1
    And I select the file EF0A
    And the card loses power at persistent write <k> while I write "11 11 11 11 22 22 22 22 33 33 33 33 44 44 44 44" at offset 0 of the current EF
    And I select the SSSE
    And I select the file EF0A
    And I read 16 bytes at offset 0
    Then the response data is "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |
      | 4 |

  @req:CARD-AT-01 @needs:simulator
  Scenario: An UPDATE BINARY torn after its last write leaves the new content
    When I select the SSSE
    And I authenticate with the SSSE key 1
    And I select the file EF0A
    And the card loses power at persistent write 5 while I write "11 11 11 11 22 22 22 22 33 33 33 33 44 44 44 44" at offset 0 of the current EF
    And I select the SSSE
    And I select the file EF0A
    And I read 16 bytes at offset 0
    Then the response data is "11 11 11 11 22 22 22 22 33 33 33 33 44 44 44 44"

  @req:CARD-AT-02 @needs:simulator
  Scenario Outline: A master key update torn at write <k> leaves the old key working
    When I select the SSSE
    And the card loses power at persistent write <k> while I replace the SSSE master key with a new SM4 key of version 2
    And I select the SSSE
    And I authenticate with the previous SSSE master key
    Then the status word is 9000

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |

  @req:CARD-AT-02 @needs:simulator
  Scenario: A master key update torn after its last write leaves the complete new key
    When I select the SSSE
    And the card loses power at persistent write 6 while I replace the SSSE master key with a new SM4 key of version 2
    And I select the SSSE
    And I authenticate with the new key
    Then the status word is 9000

  @req:CARD-AT-03 @needs:simulator
  Scenario: A wrong PIN torn before the answer still costs a try
    When I select the SSSE
    And the card loses power at persistent write 2 while I verify the SSSE PIN with a wrong PIN
    And I select the SSSE
    Then the SSSE PIN has 2 tries left

  @req:CARD-AT-03 @needs:simulator
  Scenario: The right PIN torn before the counter is restored still costs a try
    When I select the SSSE
    And the card loses power at persistent write 2 while I verify the SSSE PIN
    And I select the SSSE
    Then the SSSE PIN has 2 tries left

  @req:CARD-AT-03 @needs:simulator
  Scenario: A PIN verification torn before the decrement changes nothing
    When I select the SSSE
    And the card loses power at persistent write 1 while I verify the SSSE PIN with a wrong PIN
    And I select the SSSE
    Then the SSSE PIN has 3 tries left

  @req:CARD-AT-03 @needs:simulator
  Scenario: The right PIN restores the try counter once the power is back
    When I select the SSSE
    And the card loses power at persistent write 2 while I verify the SSSE PIN
    And I select the SSSE
    And I verify the SSSE PIN
    Then the status word is 9000
    And the SSSE PIN is verified

  @req:CARD-AT-03 @needs:simulator @needs:key-info
  Scenario: An external authentication torn before the counter is restored still costs a try
    When I select the PSE
    And the card loses power at persistent write 2 while I authenticate with the PSE key 1
    Then key 1 of the PSE has 4 tries left
