Feature: Near misses of PINs, cryptograms and MACs in the social-security application
  A card must compare PINs, cryptograms and MACs in full: a value wrong only
  in its last digit or byte, or in one of its first four bytes, a PIN one
  digit short or long or padded otherwise, a key of a type that has no right
  to the command — each is refused like any wrong value, and it costs a try
  where the reference data has a counter. Length limits are checked on both
  sides: the last valid length is accepted, the first invalid one refused
  without costing a try (ISO/IEC 7816-4 §7.5.4, §7.5.6, §5.1.3).

  Background:
    When I select the SSSE

  # --- PINs ----------------------------------------------------------------------------------------

  @req:CARD-SSSE-PIN-01
  Scenario Outline: VERIFY with <miss> costs a try and ends the verified state
    When I verify the SSSE PIN
    And I verify the SSSE PIN giving <miss>
    Then the status word is 63C2
    And the SSSE PIN is not verified
    And the SSSE PIN has 2 tries left

    Examples:
      | miss                                |
      | the PIN with its last digit changed |
      | the PIN without its last digit      |
      | the PIN with one digit more         |
      | the right digits padded with 00     |

  @req:CARD-SSSE-PIN-02
  Scenario Outline: CHANGE PIN giving <miss> as the old PIN costs a try and sets nothing
    When I change the SSSE PIN to "654321" giving <miss> as the old PIN
    Then the status word is 63C2
    And the SSSE PIN has 2 tries left
    When I verify the SSSE PIN
    Then the status word is 9000

    Examples:
      | miss                                |
      | the PIN with its last digit changed |
      | the PIN without its last digit      |
      | the PIN with one digit more         |

  @req:CARD-SSSE-PIN-02
  Scenario Outline: CHANGE PIN after a right VERIFY still checks the old PIN: <miss> costs a try and sets nothing
    When I verify the SSSE PIN
    And I change the SSSE PIN to "654321" giving <miss> as the old PIN
    Then the status word is 63C2
    When I verify the SSSE PIN "654321"
    Then the status word is 63C1
    When I verify the SSSE PIN
    Then the status word is 9000

    Examples:
      | miss                                |
      | the PIN with its last digit changed |
      | the PIN without its last digit      |

  @req:CARD-SSSE-PIN-01
  Scenario Outline: A PIN block of <n> bytes is <verdict>
    When I send the APDU "<apdu>"
    Then the status word is <sw>
    And the SSSE PIN has <left> tries left

    Examples:
      | n | verdict                                | apdu                                  | sw   | left |
      | 6 | compared (the longest PIN, 12 digits)  | 00 20 00 00 06 98 76 54 32 10 98      | 63C2 | 2    |
      | 7 | refused for its length, costing no try | 00 20 00 00 07 98 76 54 32 10 98 76   | 6700 | 3    |

  @req:CARD-SSSE-PIN-02
  Scenario Outline: CHANGE PIN to a new PIN of <n> digits answers <sw>
    When I change the SSSE PIN to "<new>"
    Then the status word is <sw>

    Examples:
      | n  | new          | sw   |
      | 5  | 24680        | 6A80 |
      | 6  | 246802       | 9000 |
      | 12 | 246802135791 | 9000 |

  @req:CARD-SSSE-PIN-02
  Scenario Outline: After CHANGE PIN to a PIN of <n> digits, that PIN is verified in full
    When I change the SSSE PIN to "<new>"
    And I verify the SSSE PIN "<new>"
    Then the status word is 9000
    When I verify the SSSE PIN "<prefix>"
    Then the status word is 63C2

    Examples:
      | n  | new          | prefix      |
      | 6  | 246802       | 24680       |
      | 12 | 246802135791 | 24680213579 |

  @req:CARD-SSSE-PIN-02
  Scenario: CHANGE PIN to a PIN that is too short keeps the old PIN
    When I change the SSSE PIN to "24680"
    And I verify the SSSE PIN
    Then the status word is 9000

  # --- external authentication ---------------------------------------------------------------------

  @req:KEY-AUTH-01
  Scenario Outline: <cryptogram> is refused and costs a try
    When I authenticate with the SSSE key 1 giving <cryptogram>
    Then the status word is 63C4
    And the SSSE key 1 is not in the security state

    Examples:
      | cryptogram                                |
      | a cryptogram wrong only in its first byte  |
      | a cryptogram wrong only in its fourth byte |
      | a cryptogram wrong only in its fifth byte  |
      | a cryptogram wrong only in its last byte   |

  @req:KEY-AUTH-01
  Scenario Outline: <cryptogram> of the PSE is refused and costs a try
    When I select the PSE
    And I authenticate with the PSE key 1 giving <cryptogram>
    Then the status word is 63C4

    Examples:
      | cryptogram                                |
      | a cryptogram wrong only in its fourth byte |
      | a cryptogram wrong only in its last byte   |

  @req:KEY-AUTH-01
  Scenario Outline: <cryptogram> is refused for its length and costs no try
    When I authenticate with the SSSE key 1 giving <cryptogram>
    Then the status word is 6700
    When I authenticate with a wrong value for the SSSE key 1
    Then the status word is 63C4

    Examples:
      | cryptogram                         |
      | a cryptogram one byte shorter      |
      | a cryptogram one byte longer       |
      | a cryptogram cut to its first half |

  @req:KEY-AUTH-01
  Scenario Outline: <cryptogram> of the PSE is refused for its length and costs no try
    When I select the PSE
    And I authenticate with the PSE key 1 giving <cryptogram>
    Then the status word is 6700
    When I authenticate with a wrong value for the PSE key 1
    Then the status word is 63C4

    Examples:
      | cryptogram                         |
      | a cryptogram one byte shorter      |
      | a cryptogram cut to its first half |

  @req:KEY-AUTH-01
  Scenario Outline: A <type> key of the <env> cannot authenticate the terminal
    When I select the <env>
    And I authenticate with the <env> key of type <type>
    Then the status word is 6985

    Examples:
      | env  | type          |
      | SSSE | internal-auth |
      | SSSE | pin-unblock   |
      | SSSE | pin-reload    |
      | SSSE | card-block    |
      | PSE  | internal-auth |
      | PSE  | pin-unblock   |
      | PSE  | pin-reload    |
      | PSE  | application   |

  @req:KEY-AUTH-01
  Scenario Outline: The cryptogram of the SSSE key <other> does not authenticate the SSSE key 1
    When I authenticate as key 1 of the SSSE with the SSSE key <other>
    Then the status word is 63C4
    And the SSSE key 1 is not in the security state

    Examples:
      | other |
      | 6     |
      | 3     |
      | 2     |

  @req:KEY-AUTH-01
  Scenario: The cryptogram of the SSSE key 1 does not authenticate the SSSE key 6, and costs it a try
    When I authenticate as key 6 of the SSSE with the SSSE key 1
    Then the status word is 63CX
    When I authenticate with the SSSE key 6
    Then the status word is 9000

  @req:KEY-AUTH-01
  Scenario Outline: Authentication with the <type> key does not open what key 1 protects
    When I authenticate with the SSSE key of type <type>
    Then the SSSE key 1 is not in the security state

    Examples:
      | type          |
      | internal-auth |
      | maintenance   |
      | read          |
      | card-block    |

  # --- MACs of secured commands --------------------------------------------------------------------

  @req:CARD-SSSE-BLK-01
  Scenario Outline: APPLICATION BLOCK <fault> blocks nothing
    When I block the SSSE application <fault>
    Then the status word is 6988
    When I select the SSSE
    Then the status word is 9000

    Examples:
      | fault                                   |
      | with a wrong MAC                        |
      | with a MAC wrong only in its first byte |

  @req:CARD-SSSE-BLK-02
  Scenario: CARD BLOCK with a MAC wrong only in its first byte blocks nothing
    When I block the card in the SSSE with a MAC wrong only in its first byte
    Then the status word is 6988
    When I select the SSSE
    Then the status word is 9000

  @req:CARD-SSSE-BLK-01
  Scenario Outline: APPLICATION BLOCK with a MAC made with the <type> key blocks nothing
    When I block the SSSE application with a MAC made with its <type> key
    Then the status word is 6988
    When I select the SSSE
    Then the status word is 9000

    Examples:
      | type          |
      | external-auth |
      | internal-auth |
      | pin-unblock   |
      | pin-reload    |
      | read          |
      | card-block    |

  @req:CARD-SSSE-PIN-03
  Scenario Outline: PIN <mode> with a MAC wrong only in its first byte changes nothing
    When I <mode> the SSSE PIN with the new PIN "112233" with a MAC wrong only in its first byte
    Then the status word is 6988
    When I verify the SSSE PIN "112233"
    Then the status word is 63C2
    When I verify the SSSE PIN
    Then the status word is 9000

    Examples:
      | mode    |
      | unblock |
      | reload  |
