Feature: Independent key systems
  The social-security keys are managed by the HR and social-security
  authority, the financial keys by the bank; the key systems are separate
  (joint notice, 六(三)) and one application's keys never work in the other.

  @req:KEY-IND-01
  Scenario Outline: The <env> master key is not the master key of the <other>
    When I select the <other>
    And I authenticate as key 0 of the <other> with the <env> key 0
    Then the status word is 63CX

    Examples:
      | env  | other |
      | SSSE | PSE   |
      | PSE  | SSSE  |

  @req:KEY-IND-01 @req:KEY-EMK-02
  Scenario Outline: Application keys cannot be loaded into the <other> with the <env> master key
    When I select the <other>
    And I load a new SM4 external-auth key 41 into the <other> under the <env> master key
    Then the status word is 6988

    Examples:
      | env  | other |
      | SSSE | PSE   |
      | PSE  | SSSE  |

  @req:KEY-IND-01
  Scenario: A key loaded into the SSSE does not exist in the PSE
    When I select the SSSE
    And I load a new 3DES external-auth key 42 into the SSSE under its master key
    And I select the PSE
    And I authenticate with the new key
    Then the status word is 6A88

  @req:KEY-IND-01
  Scenario: Updating the SSSE master key leaves the PSE master key as it was
    When I select the SSSE
    And I replace the SSSE master key with a new SM4 key of version 2
    And I select the PSE
    And I authenticate with the PSE master key
    Then the status word is 9000
