Feature: Environment master keys update themselves
  社会保障卡加载金融功能通用规范: environment master keys are not controlled by
  the card master key and can be updated by themselves (自主更新): the new key
  is sent encrypted under the current one, with its MAC.

  @req:KEY-EMK-03 @req:KEY-ALG-01
  Scenario Outline: The <env> master key replaces itself with a new <alg> key
    When I select the <env>
    And I replace the <env> master key with a new <alg> key of version 2
    Then the status word is 9000
    When I authenticate with the new key
    Then the status word is 9000

    Examples:
      | env  | alg  |
      | SSSE | 3DES |
      | SSSE | SM4  |
      | PSE  | 3DES |
      | PSE  | SM4  |

  @req:KEY-EMK-03
  Scenario Outline: After the update the previous <env> master key no longer authenticates
    When I select the <env>
    And I replace the <env> master key with a new key of version 2
    And I authenticate with the previous <env> master key
    Then the status word is 63CX

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:KEY-EMK-03 @req:KEY-INFO-01 @needs:key-info
  Scenario: The updated master key shows its new version and check value
    When I select the SSSE
    And I replace the SSSE master key with a new SM4 key of version 7
    Then key 0 of the current environment has version 7 and the KCV of the new key

  @req:KEY-EMK-03
  Scenario: The updated master key goes on loading application keys
    When I select the PSE
    And I replace the PSE master key with a new 3DES key of version 2
    And I load a new SM4 external-auth key 39 into the PSE under its master key
    Then the status word is 9000
    When I authenticate with the new key
    Then the status word is 9000

  @req:KEY-EMK-03 @req:KEY-CMK-03
  Scenario: The card master key cannot update an environment master key
    When I select the SSSE
    And I load the SSSE master key under the card master key
    Then the status word is 6982

  @req:KEY-EMK-03
  Scenario: A master key update with a wrong MAC leaves the old master key
    When I select the SSSE
    And I load a new 3DES master key 0 into the SSSE under its master key with a wrong MAC
    Then the status word is 6988
    When I authenticate with the SSSE master key
    Then the status word is 9000

  @req:KEY-EMK-03
  Scenario: An environment has one master key
    When I select the SSSE
    And I load a new 3DES master key 40 into the SSSE under its master key
    Then the status word is 6985
