Feature: Card risk data after each outcome of online processing
  JR/T 0025.5 card risk management (EMV 4.3 Book 3 §10.6.3, §10.9, Annex A):
  the last online ATC register 9F13 holds the ATC of the last transaction
  that went online, was approved by the issuer and passed issuer
  authentication. A wrong ARPC, the issuer's decline, a terminal that could not
  go online and a transaction the card decided offline leave it unchanged. The
  harness knows which transactions it made and checks GET DATA 9F13 against them.

  @req:CARD-PBOC-RISK-01 @req:CARD-PBOC-DATA-01
  Scenario: An online transaction approved with a genuine ARPC becomes the last online transaction
    Given the card has completed an online transaction
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer approves the transaction
    And I complete the transaction asking for a TC
    Then the card answers a TC
    And the last online ATC is the ATC of this transaction
    And the last online ATC is that of the last transaction approved online

  @req:CARD-PBOC-RISK-01 @req:CARD-PBOC-IA-01
  Scenario Outline: After the issuer <answer> the last online ATC stays that of the earlier online transaction
    Given the card has completed an online transaction
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer <answer>
    And I complete the transaction asking for a TC
    Then the card answers an AAC
    And the last online ATC is that of the last transaction approved online

    Examples:
      | answer                                                        |
      | approves the transaction with a wrong ARPC                    |
      | approves the transaction with an ARPC wrong in its last byte |
      | declines the transaction                                      |

  @req:CARD-PBOC-RISK-01
  Scenario: On a card never approved online a failed issuer authentication leaves the last online ATC as personalised
    Given I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer approves the transaction with an ARPC wrong in its last byte
    And I complete the transaction asking for a TC
    Then the card answers an AAC
    And the last online ATC is that of the last transaction approved online

  @req:CARD-PBOC-RISK-01
  Scenario: A transaction the terminal could not send online leaves the last online ATC unchanged
    Given the card has completed an online transaction
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And I complete the transaction unable to go online asking for a TC
    Then the status word is 9000
    And the last online ATC is that of the last transaction approved online

  @req:CARD-PBOC-RISK-01
  Scenario Outline: A transaction the card decides offline with an <type> leaves the last online ATC unchanged
    Given the card has completed an online transaction
    When I select the debit application
    And I start a transaction
    And I ask for an <type>
    Then the card answers an <type>
    And the last online ATC is that of the last transaction approved online

    Examples:
      | type |
      | TC   |
      | AAC  |

  @req:CARD-PBOC-RISK-01
  Scenario: Across transactions the last online ATC follows the last approved one, not a later failed one
    Given the card has completed an online transaction
    And the card has completed an online transaction
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer approves the transaction with a wrong ARPC
    And I complete the transaction asking for a TC
    And I select the debit application
    And I start a transaction
    And I ask for an AAC
    Then the last online ATC is that of the last transaction approved online
