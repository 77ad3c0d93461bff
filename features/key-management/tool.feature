Feature: Key-management tool
  The lab's key-management tool (`ssc-lab keys`) computes key check values,
  diversified keys, card keys from issuer master keys, session keys and MACs.
  Each computation is checked against values published by a public source;
  the vector files in vectors/ name them.

  @req:KEY-KCV-01
  Scenario Outline: The tool reproduces the published key check value <id>
    When the key-management tool recomputes the published vector "<id>"
    Then the result is the published value

    Examples:
      | id           |
      | imk-kcv      |
      | visa-imk-kcv |

  @req:KEY-UDK-01
  Scenario Outline: The tool derives the published Option A card key <id>
    When the key-management tool recomputes the published vector "<id>"
    Then the result is the published value

    Examples:
      | id                      |
      | option-a-psn-01         |
      | option-a-psn-45         |
      | option-a-psn-45-kcv     |
      | option-a-pan16-kcv      |
      | visa-option-a-pan16-kcv |

  @req:KEY-DIV-01
  Scenario: One level of key dispersion reproduces the published derivation
    When the key-management tool recomputes the published vector "option-a-psn-01-as-dispersion"
    Then the result is the published value

  @req:KEY-SES-01 @req:KEY-UDK-01 @req:KEY-MAC-01
  Scenario Outline: The PBOC session key gives the published cryptogram <id>
    When the key-management tool recomputes the published vector "<id>"
    Then the result is the published value

    Examples:
      | id   |
      | arqc |
      | arpc |

  @req:KEY-MAC-01
  Scenario Outline: The tool reproduces the published MAC <id>
    When the key-management tool recomputes the published vector "<id>"
    Then the result is the published value

    Examples:
      | id                          |
      | m3-hello-world-pad1         |
      | m3-hello-world-pad2         |
      | m3-hello-world-pad3         |
      | b4-now-is-the-time-for-all  |
      | b4-now-is-the-time-for-it   |
      | daa-7654321-now-is-the-time |
      | cbc-now-is-the-time-as-mac  |
      | tcbc-mmt3-2-blocks-as-mac   |
      | a.2.2.1-as-cbc-mac          |

  @req:KEY-ALG-01
  Scenario Outline: The tool's block ciphers reproduce the published example <id>
    When the key-management tool recomputes the published vector "<id>"
    Then the result is the published value

    Examples:
      | id                   |
      | sm4-example-1        |
      | a.1.4                |
      | tdea-ecb-3-blocks    |
      | ecb-now-is-the-time  |

  @req:KEY-COMP-01
  Scenario Outline: A <alg> key split into <n> components combines back to the same key
    When the key-management tool splits a random <alg> key into <n> components
    Then the <alg> components combine to the same key

    Examples:
      | alg  | n |
      | 3DES | 2 |
      | 3DES | 3 |
      | SM4  | 3 |
