Feature: Issuer scripts
  JR/T 0025: the issuer's scripts reach the card after an online
  authorisation; each command carries a MAC (session key from UDK-MAC and the
  ATC, over header, ATC, ARQC and data — observed). A wrong MAC is 6988 and
  changes nothing; a command without MAC is 6982. The MAC binds a script to
  its transaction: recorded and sent again in a later one it is refused. (It
  has no script counter, so a repeat within the same transaction is not
  asserted.) The CVR of the second GENERATE AC counts the script commands
  processed before it and tells a refused one (JR/T 0025.5 Annex CVR byte 4).

  Background:
    Given I select the debit application
    And I start a transaction
    And I ask for an ARQC

  @req:CARD-PBOC-SCR-01 @req:CARD-PBOC-SCR-02
  Scenario: APPLICATION BLOCK blocks the financial application
    When the issuer sends the script "application block"
    Then the status word is 9000
    When I select the debit application
    Then the status word is 6283

  @req:CARD-PBOC-SCR-02
  Scenario: A blocked financial application starts no transaction
    When the issuer sends the script "application block"
    And I select the debit application
    And I start a transaction
    Then the status word is 6A81

  @req:CARD-PBOC-SCR-02
  Scenario: APPLICATION UNBLOCK restores the financial application
    When the issuer sends the script "application block"
    And the issuer sends the script "application unblock"
    Then the status word is 9000
    When I select the debit application
    Then the status word is 9000

  @req:CARD-PBOC-SCR-03
  Scenario: CARD BLOCK stops the financial application for good
    When the issuer sends the script "card block"
    Then the status word is 9000
    When I select the debit application
    Then the status word is 9303

  @req:CARD-PBOC-SCR-03 @req:CARD-FW-03
  Scenario: CARD BLOCK of the financial issuer leaves the social-security application working
    When the issuer sends the script "card block"
    And I select the SSSE
    Then the status word is 9000
    When I authenticate with the SSSE key 1
    Then the status word is 9000

  @req:CARD-PBOC-SCR-04
  Scenario: PIN UNBLOCK restores the offline PIN tries
    When I verify a wrong offline PIN
    And I verify a wrong offline PIN
    And the issuer sends the script "PIN unblock"
    Then the status word is 9000
    And the PIN try counter is 3

  @req:CARD-PBOC-SCR-05
  Scenario: PUT DATA changes the upper consecutive offline limit
    When the issuer sets the data object 9F23 to "0A"
    Then the status word is 9000
    When I get the data object 9F23
    Then the response holds tag 9F23 with value "0A"

  @req:CARD-PBOC-SCR-05
  Scenario Outline: PUT DATA cannot change <object>
    When the issuer sets the data object <tag> to "<value>"
    Then the status word is 6A88

    Examples:
      | tag  | value | object              |
      | 9F36 | 0000  | the ATC             |
      | 9F13 | 0000  | the last online ATC |

  @req:CARD-PBOC-SCR-01
  Scenario Outline: The script "<script>" with a MAC wrong in its last byte is refused and changes nothing
    When the issuer sends the script "<script>" with a wrong MAC
    Then the status word is 6988
    When I select the debit application
    Then the status word is 9000
    When I start a transaction
    Then the status word is 9000

    Examples:
      | script            |
      | application block |
      | card block        |

  @req:CARD-PBOC-SCR-01
  Scenario: APPLICATION UNBLOCK with a wrong MAC leaves the application blocked
    When the issuer sends the script "application block"
    And the issuer sends the script "application unblock" with a wrong MAC
    Then the status word is 6988
    When I select the debit application
    Then the status word is 6283

  @req:CARD-PBOC-SCR-01
  Scenario: PIN UNBLOCK with a wrong MAC leaves the try counter where it was
    When I verify a wrong offline PIN
    And I verify a wrong offline PIN
    And the issuer sends the script "PIN unblock" with a wrong MAC
    Then the status word is 6988
    And the PIN try counter is 1

  @req:CARD-PBOC-SCR-01
  Scenario: PIN CHANGE with a wrong MAC leaves the old PIN
    When the issuer changes the offline PIN to a new PIN with a wrong MAC
    Then the status word is 6988
    When I verify the new offline PIN
    Then the status word is 63C2
    When I verify the offline PIN
    Then the status word is 9000

  @req:CARD-PBOC-SCR-01
  Scenario: PUT DATA with a wrong MAC leaves the data object as it was
    When the issuer sets the data object 9F23 to "0A" with a wrong MAC
    Then the status word is 6988
    And the data object 9F23 has the value of the profile

  @req:CARD-PBOC-SCR-04
  Scenario: PIN CHANGE replaces the offline PIN: the new one verifies, the old one no longer
    When the issuer changes the offline PIN to a new PIN
    Then the status word is 9000
    When I verify the offline PIN
    Then the status word is 63C2
    When I verify the new offline PIN
    Then the status word is 9000
    And the PIN try counter is 3

  @req:CARD-PBOC-SCR-01
  Scenario Outline: The script "<script>" without MAC is refused with 6982
    When the issuer sends the script "<script>" without a MAC
    Then the status word is 6982

    Examples:
      | script              |
      | application block   |
      | application unblock |
      | card block          |
      | PIN unblock         |
      | PIN change          |
      | put data            |

  @req:CARD-PBOC-SCR-01
  Scenario: A script outside an online transaction is refused
    When I select the debit application
    And the issuer sends the script "application block"
    Then the status word is 6985

  @req:CARD-PBOC-SCR-06
  Scenario: APPLICATION BLOCK made for an earlier transaction is refused in the next one and blocks nothing
    When the issuer sends the script "application block"
    And the issuer sends the script "application unblock"
    And I complete the transaction asking for a TC
    And I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer sends again the script "application block" of the earlier transaction
    Then the status word is 6988
    When I select the debit application
    Then the status word is 9000
    When I start a transaction
    Then the status word is 9000

  @req:CARD-PBOC-SCR-06
  Scenario: APPLICATION UNBLOCK made for an earlier transaction does not unblock the application
    When the issuer sends the script "application block"
    And the issuer sends the script "application unblock"
    And I complete the transaction asking for a TC
    And I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer sends the script "application block"
    And the issuer sends again the script "application unblock" of the earlier transaction
    Then the status word is 6988
    When I select the debit application
    Then the status word is 6283

  @req:CARD-PBOC-SCR-06
  Scenario: PIN UNBLOCK made for an earlier transaction leaves the try counter where it is
    When I verify a wrong offline PIN
    And the issuer sends the script "PIN unblock"
    And I complete the transaction asking for a TC
    And I select the debit application
    And I start a transaction
    And I verify a wrong offline PIN
    And I verify a wrong offline PIN
    And I ask for an ARQC
    And the issuer sends again the script "PIN unblock" of the earlier transaction
    Then the status word is 6988
    And the PIN try counter is 1

  @req:CARD-PBOC-SCR-06
  Scenario: PIN CHANGE made for an earlier transaction changes neither the PIN nor its try counter
    When the issuer changes the offline PIN to a new PIN
    And I complete the transaction asking for a TC
    And I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer changes the offline PIN to "1234"
    And I verify a wrong offline PIN
    And the issuer sends again the script "PIN change" of the earlier transaction
    Then the status word is 6988
    And the PIN try counter is 2
    When I verify the offline PIN "1234"
    Then the status word is 9000

  @req:CARD-PBOC-SCR-06
  Scenario: PUT DATA made for an earlier transaction leaves the data object as it is
    When the issuer sets the data object 9F23 to "0A"
    And the issuer sets the data object 9F23 back to the value of the profile
    And I complete the transaction asking for a TC
    And I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer sends again the script "put data" of the earlier transaction
    Then the status word is 6988
    And the data object 9F23 has the value of the profile

  @req:CARD-PBOC-CVR-02
  Scenario: Without issuer scripts the CVR counts none and no failure
    When the issuer approves the transaction
    And I complete the transaction asking for a TC
    Then the card verification results count 0 issuer script commands
    And the card verification results do not say "issuer script processing failed"

  @req:CARD-PBOC-CVR-02
  Scenario: One issuer script command processed is counted in the CVR
    When the issuer approves the transaction
    And the issuer sends the script "PIN unblock"
    Then the status word is 9000
    When I complete the transaction asking for a TC
    Then the card verification results count 1 issuer script command
    And the card verification results do not say "issuer script processing failed"
    And the application cryptogram verifies with the issuer master key

  @req:CARD-PBOC-CVR-02
  Scenario: Two issuer script commands processed are counted in the CVR
    When the issuer approves the transaction
    And the issuer sends the script "PIN unblock"
    And the issuer sets the data object 9F23 to "0A"
    Then the status word is 9000
    When I complete the transaction asking for a TC
    Then the card verification results count 2 issuer script commands
    And the card verification results do not say "issuer script processing failed"

  @req:CARD-PBOC-CVR-02
  Scenario Outline: The script "<script>" refused for its wrong MAC is reported in the CVR as failed
    When the issuer approves the transaction
    And the issuer sends the script "<script>" with a wrong MAC
    Then the status word is 6988
    When I complete the transaction asking for a TC
    Then the card verification results say "issuer script processing failed"

    Examples:
      | script            |
      | PIN unblock       |
      | application block |
