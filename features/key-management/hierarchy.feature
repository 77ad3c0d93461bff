Feature: Key hierarchy — card master key and environment master keys
  社会保障卡加载金融功能通用规范, key management: the card master key creates the
  SSSE and the PSE and loads each one's environment master key; after that it
  has no control over either environment. Each environment master key creates
  files and loads application keys in its own environment only.

  @req:KEY-CMK-01 @needs:simulator
  Scenario Outline: The card master key creates the <env> on a blank card
    Given a blank card
    When I authenticate with the card master key
    Then the status word is 9000
    When I create the <env> environment
    Then the status word is 9000
    When I select the <env>
    Then the status word is 9000

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:KEY-CMK-01 @req:CARD-LC-02 @needs:simulator
  Scenario: Without the card master key no environment can be created
    Given a blank card
    When I create the SSSE environment
    Then the status word is 6982

  @req:KEY-CMK-02 @needs:simulator
  Scenario Outline: The card master key loads the <env> master key, which then authenticates
    Given a blank card
    When I authenticate with the card master key
    And I create the <env> environment
    And I select the <env>
    And I load the <env> master key under the card master key
    Then the status word is 9000
    When I authenticate with the <env> master key
    Then the status word is 9000

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:KEY-CMK-02 @needs:simulator
  Scenario: The card master key loads only the environment master key
    Given a blank card
    When I authenticate with the card master key
    And I create the SSSE environment
    And I select the SSSE
    And I load a new 3DES external-auth key 1 into the SSSE under the card master key
    Then the status word is 6985

  @req:KEY-CMK-03
  Scenario Outline: The card master key cannot load keys into the <env>
    When I select the <env>
    And I load a new 3DES external-auth key 33 into the <env> under the card master key
    Then the status word is 6982

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:KEY-CMK-03
  Scenario Outline: The card master key cannot replace the <env> master key
    When I select the <env>
    And I load a new 3DES master key 0 into the <env> under the card master key
    Then the status word is 6982
    When I authenticate with the <env> master key
    Then the status word is 9000

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:KEY-CMK-03
  Scenario Outline: The card master key cannot delete the <env>
    When I authenticate with the card master key
    And I delete the <env> environment
    Then the status word is 6982
    When I select the <env>
    Then the status word is 9000

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:KEY-CMK-03 @req:CARD-FW-02
  Scenario Outline: Authentication with the card master key does not carry into the <env>
    When I authenticate with the card master key
    Then the status word is 9000
    When I select the <env>
    And I create a transparent EF 0E01 in the current DF
    Then the status word is 6982

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:KEY-CMK-03
  Scenario: The card master key is not a key of the SSSE
    When I select the SSSE
    And I authenticate with the card master key as key 0
    Then the status word is 63CX

  @req:KEY-EMK-01
  Scenario Outline: The <env> master key creates and deletes files in the <env>
    When I select the <env>
    And I authenticate with the <env> master key
    And I create a transparent EF 0E01 in the current DF
    Then the status word is 9000
    When I select the file 0E01
    Then the status word is 9000
    When I delete the file 0E01
    Then the status word is 9000
    When I select the file 0E01
    Then the status word is 6A82

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:KEY-EMK-01 @req:CARD-FW-05
  Scenario Outline: The <env> master key does not create files in the MF
    When I select the <env>
    And I authenticate with the <env> master key
    Then the status word is 9000
    When I select the MF
    And I create a transparent EF 0E01 in the current DF
    Then the status word is 6982

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:CARD-SEC-01
  Scenario Outline: The <env> master key authentication does not survive a visit to the MF
    When I select the <env>
    And I authenticate with the <env> master key
    And I select the MF
    And I select the <env>
    And I create a transparent EF 0E01 in the current DF
    Then the status word is 6982

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:KEY-EMK-01
  Scenario: Creating a file needs the master key, not an application key
    When I select the SSSE
    And I authenticate with the SSSE key 1
    And I create a transparent EF 0E01 in the current DF
    Then the status word is 6982

  @req:KEY-EMK-01
  Scenario Outline: Deleting an EF of the <env> without its master key is refused with 6982 and the EF stays (after: <how>)
    When I select the <env>
    And <how>
    And I delete the file <fid>
    Then the status word is 6982
    When I select the file <fid>
    Then the status word is 9000

    Examples:
      | env  | fid  | how                                |
      | SSSE | EF0B | I get a challenge of 8 bytes       |
      | SSSE | EF0B | I authenticate with the SSSE key 1 |
      | PSE  | EF02 | I get a challenge of 8 bytes       |
      | PSE  | EF02 | I authenticate with the PSE key 1  |

  @req:KEY-EMK-01
  Scenario: A file identifier cannot be created twice
    When I select the SSSE
    And I authenticate with the SSSE master key
    And I create a transparent EF EF0A in the current DF
    Then the status word is 6A89

  @req:KEY-EMK-02
  Scenario Outline: The <env> master key loads a <alg> application key, which then authenticates
    When I select the <env>
    And I load a new <alg> external-auth key 33 into the <env> under its master key
    Then the status word is 9000
    When I authenticate with the new key
    Then the status word is 9000

    Examples:
      | env  | alg  |
      | SSSE | 3DES |
      | SSSE | SM4  |
      | PSE  | 3DES |
      | PSE  | SM4  |

  @req:KEY-EMK-02 @req:KEY-INFO-01 @needs:key-info
  Scenario Outline: A loaded <alg> key shows its version and check value
    When I select the <env>
    And I load a new <alg> maintenance key 34 into the <env> under its master key
    Then the status word is 9000
    And key 34 of the current environment has version 1 and the KCV of the new key

    Examples:
      | env  | alg  |
      | SSSE | 3DES |
      | PSE  | SM4  |

  @req:KEY-INFO-01 @req:KEY-EMK-02 @needs:key-info
  Scenario Outline: The personalised keys of the <env> are those of the key set
    When I select the <env>
    Then key 1 of the <env> has the version and KCV of the key set
    And key 2 of the <env> has the version and KCV of the key set
    And key 0 of the <env> has the version and KCV of the key set

    Examples:
      | env  |
      | SSSE |
      | PSE  |
