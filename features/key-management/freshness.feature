Feature: Freshness of challenges and replay of secured commands
  The card's challenge (GET CHALLENGE) serves the next external
  authentication or secured command only, whether that succeeds or fails; a
  reset or entering another environment discards it; each GET CHALLENGE gives
  a new value. A secured command sent again byte for byte — its MAC made over
  a challenge already used — is refused and changes nothing. Every
  specification version must behave so.

  @req:KEY-FRESH-01
  Scenario Outline: After a failed external authentication in the <env> the same challenge is refused
    When I select the <env>
    And I authenticate with a wrong value for the <env> key 1
    Then the status word is 63C4
    When I authenticate with the <env> key 1 again with the same challenge
    Then the status word is 6984

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:KEY-FRESH-01
  Scenario: After a failed external authentication the right cryptogram of the old challenge costs nothing and opens nothing
    When I select the SSSE
    And I authenticate with the SSSE key 1 giving a cryptogram wrong only in its last byte
    And I authenticate with the SSSE key 1 again with the same challenge
    Then the status word is 6984
    And the SSSE key 1 is not in the security state
    When I authenticate with a wrong value for the SSSE key 1
    Then the status word is 63C3

  @req:KEY-FRESH-01
  Scenario: GET CHALLENGE gives a new value each time
    When I select the SSSE
    And I get a challenge of 8 bytes
    And I get a challenge of 8 bytes
    Then the last two challenges differ

  @req:KEY-FRESH-01
  Scenario Outline: The first challenge after a reset of the <env> is not the one before it
    When I select the <env>
    And I get a challenge of 8 bytes
    And the card is reset
    And I select the <env>
    And I get a challenge of 8 bytes
    Then the last two challenges differ

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:KEY-FRESH-01
  Scenario Outline: Every byte of the <env>'s challenges varies, and no challenge repeats
    When I select the <env>
    And I get 8 challenges of 8 bytes
    Then no two of the last 8 challenges are equal
    And every byte position of the last 8 challenges takes more than one value

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:KEY-FRESH-01
  Scenario: After a failed external authentication GET CHALLENGE gives a new value
    When I select the SSSE
    And I authenticate with a wrong value for the SSSE key 1
    And I get a challenge of 8 bytes
    Then the last two challenges differ

  @req:KEY-FRESH-01
  Scenario: Only the latest challenge counts
    When I select the SSSE
    And I get a challenge of 8 bytes
    And I get a challenge of 8 bytes
    And I authenticate with the SSSE key 1 again with the same challenge
    Then the status word is 9000
    When I authenticate with the SSSE key 1 again with the same challenge
    Then the status word is 6984

  @req:KEY-FRESH-01
  Scenario Outline: A challenge used by a secured command <how> cannot serve an external authentication
    When I select the SSSE
    And <command>
    And I authenticate with the SSSE key 1 again with the same challenge
    Then the status word is 6984

    Examples:
      | how                  | command                                                     |
      | with a right MAC     | I reload the SSSE PIN with the new PIN "112233"             |
      | with a wrong MAC     | I block the SSSE application with a wrong MAC               |
      | with a wrong MAC key | I block the SSSE application with a MAC made with its read key |

  @req:KEY-FRESH-01
  Scenario Outline: A challenge is discarded when <event>
    When I select the SSSE
    And I get a challenge of 8 bytes
    And <action>
    And I select the SSSE
    And I authenticate with the SSSE key 1 again with the same challenge
    Then the status word is 6984

    Examples:
      | event                            | action               |
      | the card is reset                | the card is reset    |
      | the terminal enters the PSE      | I select the PSE     |

  @req:KEY-FRESH-01
  Scenario: A replayed PIN reload is refused and does not set its PIN again
    When I select the SSSE
    And I reload the SSSE PIN with the new PIN "112233"
    Then the status word is 9000
    When I change the SSSE PIN from "112233" to "654321"
    Then the status word is 9000
    When I send the last secured command again
    Then the status word signals an error
    When I verify the SSSE PIN "654321"
    Then the status word is 9000

  @req:KEY-FRESH-01
  Scenario: A replayed PIN reload after a new challenge is refused with 6988
    When I select the SSSE
    And I reload the SSSE PIN with the new PIN "112233"
    And I change the SSSE PIN from "112233" to "654321"
    And I send the last secured command again after a new challenge
    Then the status word is 6988
    When I verify the SSSE PIN "654321"
    Then the status word is 9000

  @req:KEY-FRESH-01
  Scenario: A replayed PIN unblock does not unblock the PIN again
    When I select the SSSE
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I unblock the SSSE PIN with the new PIN "112233"
    Then the status word is 9000
    When I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I send the first secured command again after a new challenge
    Then the status word signals an error
    And the SSSE PIN has 0 tries left

  @req:KEY-FRESH-01
  Scenario: A replayed APPLICATION UNBLOCK does not undo a later block
    When I select the SSSE
    And I block the SSSE application
    And I unblock the SSSE application
    Then the status word is 9000
    When I block the SSSE application
    And I select the SSSE
    Then the status word is 6283
    When I send the second secured command again
    Then the status word signals an error
    When I select the SSSE
    Then the status word is 6283
