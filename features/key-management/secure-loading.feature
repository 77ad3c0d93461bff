Feature: Secure key loading
  A key travels encrypted under the authorising key, the command carries a
  MAC made with it over a fresh challenge of the card, and the card checks the
  key check value after decrypting. Anything wrong changes nothing.

  @req:KEY-SM-01 @req:KEY-ALG-01
  Scenario Outline: A <alg> key loaded into the <env> with a wrong MAC is refused with 6988
    When I select the <env>
    And I load a new <alg> external-auth key 36 into the <env> under its master key with a wrong MAC
    Then the status word is 6988
    When I authenticate with the new key
    Then the status word is 6A88

    Examples:
      | env  | alg  |
      | SSSE | 3DES |
      | SSSE | SM4  |
      | PSE  | 3DES |
      | PSE  | SM4  |

  @req:KEY-SM-01
  Scenario: A key replaced with a wrong MAC keeps its old value
    When I select the SSSE
    And I load a new 3DES external-auth key 1 into the SSSE under its master key with a wrong MAC
    Then the status word is 6988
    When I authenticate with the SSSE key 1
    Then the status word is 9000

  @req:KEY-SM-01 @needs:simulator
  Scenario: An environment master key loaded with a wrong MAC is refused and the environment stays keyless
    Given a blank card
    When I authenticate with the card master key
    And I create the PSE environment
    And I select the PSE
    And I load the PSE master key under the card master key with a wrong MAC
    Then the status word is 6988
    When I authenticate with the PSE master key
    Then the status word is 6A88

  @req:KEY-SM-02 @req:KEY-ALG-01
  Scenario Outline: A <alg> key with a wrong check value is refused with 6A80
    When I select the <env>
    And I load a new <alg> maintenance key 37 into the <env> under its master key with a wrong KCV
    Then the status word is 6A80
    When I authenticate with the new key
    Then the status word is 6A88

    Examples:
      | env  | alg  |
      | SSSE | 3DES |
      | PSE  | SM4  |

  @req:KEY-SM-02
  Scenario Outline: A key with a try limit of <tries> is refused with 6A80 and not loaded
    When I select the SSSE
    And I load a new 3DES external-auth key 38 into the SSSE under its master key with a try limit of <tries>
    Then the status word is 6A80
    When I authenticate with the new key
    Then the status word is 6A88

    Examples:
      | tries |
      | 0     |
      | 16    |

  @req:KEY-SM-02
  Scenario Outline: A key with a try limit of <tries> is loaded with exactly that many tries
    When I select the SSSE
    And I load a new 3DES external-auth key 38 into the SSSE under its master key with a try limit of <tries>
    Then the status word is 9000
    When I authenticate with a wrong value for the new key
    Then the status word is <sw>

    Examples:
      | tries | sw   |
      | 1     | 63C0 |
      | 15    | 63CE |

  @req:KEY-SM-03
  Scenario Outline: A key sent to the <env> without a MAC is refused with 6982
    When I select the <env>
    And I load a new 3DES external-auth key 38 into the <env> under its master key without a MAC
    Then the status word is 6982

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:KEY-SM-03
  Scenario: A MAC without a fresh challenge is refused with 6984
    When I select the SSSE
    And I load a new 3DES external-auth key 38 into the SSSE under its master key without a fresh challenge
    Then the status word is 6984

  @req:KEY-SM-03
  Scenario: A challenge serves one command only
    When I select the SSSE
    And I authenticate with the SSSE key 1
    Then the status word is 9000
    When I authenticate with the SSSE key 1 without a fresh challenge
    Then the status word is 6984

  @req:KEY-SM-03
  Scenario: GET CHALLENGE gives 4 or 8 bytes and refuses other lengths
    When I get a challenge of 8 bytes
    Then the status word is 9000
    And the response data has 8 bytes
    When I get a challenge of 4 bytes
    Then the response data has 4 bytes
    When I get a challenge of 5 bytes
    Then the status word is 6700
