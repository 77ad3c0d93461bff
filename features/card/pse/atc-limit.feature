Feature: The ATC at its limit
  JR/T 0025.5 (EMV 4.3 Book 3 §6.5.8, Annex A 9F36): the application
  transaction counter is two bytes and only rises. At its maximum FFFF the
  card starts no further transaction — GET PROCESSING OPTIONS is refused
  (6985) or the application is blocked — and the ATC never rolls over to
  0000, which would repeat the session keys of the card's first transactions.
  The card is the profile's own, personalised by its script on a blank card
  with the ATC 9F36 near the limit (a simulator capability).

  @req:CARD-PBOC-ATC-02 @req:CARD-PBOC-AC-01 @needs:simulator
  Scenario: At ATC FFFD and FFFE the card still transacts, its last transaction with the ATC FFFF
    Given a card of the profile personalised with the ATC "FFFD"
    When I select the debit application
    And I start a transaction
    Then the status word is 9000
    And the ATC is "FFFE"
    When I ask for an AAC
    And I select the debit application
    And I start a transaction
    Then the status word is 9000
    And the ATC is "FFFF"
    When I ask for an ARQC
    Then the card answers an ARQC
    And the application cryptogram verifies with the issuer master key
    And every cryptogram carries a higher ATC than the transaction before and GET DATA tells the last

  @req:CARD-PBOC-ATC-02 @needs:simulator
  Scenario: After the transaction with the ATC FFFF the card starts no other and the ATC stays FFFF
    Given a card of the profile personalised with the ATC "FFFE"
    When I select the debit application
    And I start a transaction
    And I ask for an AAC
    And I select the debit application
    And I start a transaction
    Then the card refuses to start the transaction
    And the ATC is "FFFF"
    When I ask for an ARQC
    Then the status word signals an error
    And the ATC is "FFFF"

  @req:CARD-PBOC-ATC-02 @needs:simulator
  Scenario: A card at ATC FFFF refuses every new transaction, after a reset too
    Given a card of the profile personalised with the ATC "FFFF"
    When I select the debit application
    And I start a transaction
    Then the card refuses to start the transaction
    When the card is reset
    And I select the debit application
    And I start a transaction
    Then the card refuses to start the transaction
    And the ATC is "FFFF"
