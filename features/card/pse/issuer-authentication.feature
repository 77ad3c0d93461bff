Feature: Issuer authentication and the second GENERATE AC
  JR/T 0025: after an ARQC the issuer answers the ARPC (method 1:
  E_SK(ARQC ⊕ ARC ‖ 00…)); the card checks it with EXTERNAL AUTHENTICATE and
  decides the second GENERATE AC with the issuer's answer.

  Background:
    Given I select the debit application
    And I start a transaction
    And I ask for an ARQC

  @req:CARD-PBOC-IA-01
  Scenario: The issuer's ARPC is accepted
    When the issuer approves the transaction
    Then the status word is 9000

  @req:CARD-PBOC-IA-01
  Scenario: A wrong ARPC is refused with 6300
    When the issuer approves the transaction with a wrong ARPC
    Then the status word is 6300

  @req:CARD-PBOC-IA-01
  Scenario Outline: An ARPC wrong in its <byte> byte is refused and the card then declines
    When the issuer approves the transaction with an ARPC wrong in its <byte> byte
    Then the status word is 6300
    When I complete the transaction asking for a TC
    Then the card answers an AAC
    And the application cryptogram verifies with the issuer master key
    And the card verification results say "issuer authentication failed"

    Examples:
      | byte  |
      | first |
      | last  |

  @req:CARD-PBOC-IA-01
  Scenario: Issuer authentication is accepted once per transaction
    When the issuer approves the transaction
    And the issuer approves the transaction
    Then the status word is 6985

  @req:CARD-PBOC-IA-01 @req:CARD-PBOC-AC-01
  Scenario: After the issuer's approval the card approves with a TC
    When the issuer approves the transaction
    And I complete the transaction asking for a TC
    Then the card answers a TC
    And the application cryptogram verifies with the issuer master key

  @req:CARD-PBOC-IA-01
  Scenario: After a failed issuer authentication the card declines
    When the issuer approves the transaction with a wrong ARPC
    And I complete the transaction asking for a TC
    Then the card answers an AAC
    And the card verification results say "issuer authentication failed"

  @req:CARD-PBOC-IA-01
  Scenario: The issuer's decline makes the card decline
    When the issuer declines the transaction
    And I complete the transaction asking for a TC
    Then the card answers an AAC

  @req:CARD-PBOC-IA-02
  Scenario: A declining response code with its genuine ARPC passes issuer authentication but never approves
    When the issuer declines the transaction
    Then the status word is 9000
    When I complete the transaction asking for a TC
    Then the status word is 9000
    And the card answers an AAC
    And the application cryptogram verifies with the issuer master key
    And the card verification results do not say "issuer authentication failed"

  @req:CARD-PBOC-IA-02
  Scenario: After a declined transaction the card has not been online for its next offline decision
    When the issuer declines the transaction
    And I complete the transaction asking for a TC
    And I select the debit application
    And I start a transaction
    And I ask for a TC
    Then the card answers an ARQC

  @req:CARD-PBOC-IA-01
  Scenario: Asked for an AAC the card declines even after approval
    When the issuer approves the transaction
    And I complete the transaction asking for an AAC
    Then the card answers an AAC

  @req:CARD-PBOC-IA-01
  Scenario: An ARPC of the wrong length is refused with 6700
    When I send the APDU "00 82 00 00 08 11 22 33 44 55 66 77 88"
    Then the status word is 6700

  @req:CARD-PBOC-IA-03
  Scenario Outline: After an ARPC wrong in its <byte> byte the right ARPC is refused and the card still declines
    When the issuer approves the transaction with an ARPC wrong in its <byte> byte
    Then the status word is 6300
    When the issuer approves the transaction
    Then the status word is 6985
    When I complete the transaction asking for a TC
    Then the card answers an AAC
    And the application cryptogram verifies with the issuer master key
    And the card verification results say "issuer authentication failed"

    Examples:
      | byte  |
      | first |
      | last  |

  @req:CARD-PBOC-IA-03
  Scenario: After a failed issuer authentication a second wrong ARPC is refused without a new comparison
    When the issuer approves the transaction with a wrong ARPC
    And the issuer approves the transaction with an ARPC wrong in its last byte
    Then the status word is 6985

  @req:CARD-PBOC-IA-03
  Scenario: The transaction after a failed issuer authentication goes online and says why
    When the issuer approves the transaction with a wrong ARPC
    And the issuer approves the transaction
    And I complete the transaction asking for a TC
    And I select the debit application
    And I start a transaction
    And I ask for a TC
    Then the card answers an ARQC
    And the card verification results say "issuer authentication failed last time"
