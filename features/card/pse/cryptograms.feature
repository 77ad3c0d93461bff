Feature: Application cryptograms
  JR/T 0025: GENERATE AC answers the cryptogram information data, the ATC,
  the application cryptogram and the issuer application data. The harness
  checks every cryptogram with the issuer's master key and the published
  algorithms (Option A UDK, PBOC session key, ISO 9797-1 MAC algorithm 3 or
  SM4 CBC-MAC), not with the card's own keys.

  Background:
    Given I select the debit application
    And I start a transaction

  @req:CARD-PBOC-AC-01 @req:KEY-PBOC-01
  Scenario Outline: The card answers <type> to a request for <type> and the cryptogram verifies
    When I ask for an <type>
    Then the status word is 9000
    And the card answers an <type>
    And the application cryptogram verifies with the issuer master key

    Examples:
      | type |
      | ARQC |
      | AAC  |

  @req:CARD-PBOC-AC-02
  Scenario: A card that has never been online answers a request for TC with an ARQC
    When I ask for a TC
    Then the card answers an ARQC
    And the card verification results say "new card"

  @req:CARD-PBOC-AC-02 @req:CARD-PBOC-AC-01
  Scenario: After an online approval the card approves offline with a TC
    Given the card has completed an online transaction
    When I select the debit application
    And I start a transaction
    And I ask for a TC
    Then the card answers a TC
    And the application cryptogram verifies with the issuer master key

  @req:CARD-PBOC-AC-02
  Scenario: Beyond its upper consecutive offline limit the card goes online
    Given the card has completed an online transaction
    And the card has approved 5 transactions offline
    When I select the debit application
    And I start a transaction
    And I ask for a TC
    Then the card answers an ARQC
    And the card verification results say "velocity exceeded"

  @req:CARD-PBOC-AC-02
  Scenario: An online transaction left unfinished makes the next one go online
    Given the card has completed an online transaction
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the card is reset
    And I select the debit application
    And I start a transaction
    And I ask for a TC
    Then the card answers an ARQC
    And the card verification results say "last online transaction not completed"

  @req:CARD-PBOC-IAD-01
  Scenario: The issuer application data name the card's algorithm
    When I ask for an ARQC
    Then the issuer application data name the algorithm of the card

  @req:KEY-PBOC-01
  Scenario: The card's cryptogram is not that of the issuer master key itself
    When I ask for an ARQC
    Then the application cryptogram does not verify with the issuer master key used as the card key

  @req:KEY-PBOC-01
  Scenario: The card's cryptogram is not that of another card's key
    When I ask for an ARQC
    Then the application cryptogram does not verify with the key of PAN "6217000000000000001"

  @req:CARD-PBOC-AC-03
  Scenario: GENERATE AC before GET PROCESSING OPTIONS is refused
    When I select the debit application
    And I ask for an ARQC
    Then the status word is 6985

  @req:CARD-PBOC-AC-03
  Scenario Outline: GENERATE AC with CDOL1 data <n> bytes off is refused with 6700
    When I ask for an ARQC with <n> bytes of CDOL1 data too many
    Then the status word is 6700

    Examples:
      | n  |
      | 1  |
      | -1 |

  @req:CARD-PBOC-AC-03
  Scenario: Reference control parameter 11 is refused with 6A86
    When I send GENERATE AC with reference control parameter "C0"
    Then the status word is 6A86

  @req:CARD-PBOC-AC-03
  Scenario: No GENERATE AC after the transaction ended
    When I ask for an AAC
    And I ask for an AAC
    Then the status word is 6985

  @req:CARD-PBOC-AC-03
  Scenario: The second GENERATE AC does not give an ARQC
    When I ask for an ARQC
    And I complete the transaction asking for an ARQC
    Then the status word is 6985

  @req:CARD-PBOC-ATC-01
  Scenario: The ATC rises across GENERATE ACs, transactions and a reset
    When I ask for an ARQC
    And the issuer approves the transaction
    And I complete the transaction asking for a TC
    And I select the debit application
    And I start a transaction
    And I ask for an AAC
    And the card is reset
    And I select the debit application
    And I start a transaction
    And I ask for an ARQC
    Then every cryptogram carries a higher ATC than the transaction before and GET DATA tells the last

  @req:CARD-PBOC-ATC-01
  Scenario: A transaction abandoned after GET PROCESSING OPTIONS still uses up its ATC
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    Then every cryptogram carries a higher ATC than the transaction before and GET DATA tells the last
    And the ATC has increased by 2

  @req:CARD-PBOC-SM-01 @req:CARD-PBOC-AC-01 @needs:sm-suite
  Scenario Outline: The SM card's <type> is the SM4 cryptogram of the issuer master key in all its bytes
    When I ask for an <type>
    Then the card answers an <type>
    And the application cryptogram is the full SM4 cryptogram of the issuer master key

    Examples:
      | type |
      | ARQC |
      | AAC  |

  @req:CARD-PBOC-SM-01 @req:CARD-PBOC-AC-01 @needs:sm-suite
  Scenario Outline: The SM card's second cryptogram after the issuer's <answer> is the SM4 cryptogram of the issuer master key
    When I ask for an ARQC
    And the issuer <answer> the transaction
    And I complete the transaction asking for a TC
    Then the card answers a <type>
    And the application cryptogram is the full SM4 cryptogram of the issuer master key

    Examples:
      | answer   | type |
      | approves | TC   |
      | declines | AAC  |

  @req:CARD-PBOC-CVR-03
  Scenario Outline: Asked for <asked> in the first GENERATE AC the CVR tells the type returned and no second GENERATE AC
    When I ask for <asked>
    Then the card answers <answered>
    And the card verification results tell the cryptogram types the card returned

    Examples:
      | asked   | answered |
      | an ARQC | an ARQC  |
      | an AAC  | an AAC   |
      | a TC    | an ARQC  |

  @req:CARD-PBOC-CVR-03
  Scenario: The CVR of an offline TC tells a TC and no second GENERATE AC
    Given the card has completed an online transaction
    When I select the debit application
    And I start a transaction
    And I ask for a TC
    Then the card answers a TC
    And the card verification results tell the cryptogram types the card returned

  @req:CARD-PBOC-CVR-03
  Scenario Outline: After the issuer <answer> the CVR of the second GENERATE AC tells the ARQC and the <type> returned
    When I ask for an ARQC
    And the issuer <answer>
    And I complete the transaction asking for <asked>
    Then the card answers <type>
    And the card verification results tell the cryptogram types the card returned

    Examples:
      | answer                                                        | asked  | type   |
      | approves the transaction                                      | a TC   | a TC   |
      | approves the transaction                                      | an AAC | an AAC |
      | declines the transaction                                      | a TC   | an AAC |
      | approves the transaction with an ARPC wrong in its last byte | a TC   | an AAC |

  @req:CARD-PBOC-CVR-03
  Scenario: When the terminal could not go online the CVR of the second GENERATE AC tells the type returned
    Given the card has completed an online transaction
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And I complete the transaction unable to go online asking for a TC
    Then the status word is 9000
    And the card verification results tell the cryptogram types the card returned
