Feature: Offline data authentication
  JR/T 0025 (EMV Book 2): the card's certificates chain to the lab's test CA
  (8F names the CA key); static data authentication checks the signed static
  data 93, dynamic data authentication the card's signature over the
  terminal's unpredictable number, CDA the signature over the cryptogram.
  DES/RSA cards use RSA with SHA-1, SM cards SM2 with SM3.

  Background:
    Given I select the debit application
    And I start a transaction
    And I read the records the AFL names

  @req:CARD-PBOC-ODA-01 @req:CARD-PBOC-SM-01
  Scenario: The issuer certificate chains to the test CA
    Then the issuer public key is recovered with the CA key the card names

  @req:CARD-PBOC-ODA-01
  Scenario: The signed static application data verify
    Then the signed static application data verify

  @req:CARD-PBOC-ODA-02 @req:CARD-PBOC-SM-01
  Scenario: The ICC certificate chains to the issuer key
    Then the ICC public key is recovered with the issuer key

  @req:CARD-PBOC-ODA-02 @req:CARD-PBOC-SM-01
  Scenario Outline: Dynamic data authentication signs the unpredictable number <un>
    When I authenticate the card dynamically with the unpredictable number "<un>"
    Then the status word is 9000
    And the signed dynamic application data verify with the ICC key and hold that number

    Examples:
      | un          |
      | 11 22 33 44 |
      | 00 00 00 00 |
      | FF FF FF FF |

  @req:CARD-PBOC-ODA-02
  Scenario: Two dynamic signatures differ by the card's dynamic number
    When I authenticate the card dynamically with the unpredictable number "01 02 03 04"
    And I authenticate the card dynamically again with the same number
    Then the two dynamic signatures differ

  @req:CARD-PBOC-ODA-03 @req:CARD-PBOC-AC-01
  Scenario: CDA signs the ARQC
    When I ask for an ARQC with CDA
    Then the status word is 9000
    And the card answers an ARQC
    And the signed dynamic data verify and hold the application cryptogram

  @req:CARD-PBOC-ODA-01
  Scenario: Static data changed by one bit do not verify
    Then the signed static application data do not verify when the PAN is changed

  @req:CARD-PBOC-ODA-03 @req:CARD-PBOC-IA-01
  Scenario: CDA signs the TC of the second GENERATE AC
    When I ask for an ARQC with CDA
    Then the signed dynamic data verify and hold the application cryptogram
    When the issuer approves the transaction
    Then the status word is 9000
    When I complete the transaction asking for a TC with CDA
    Then the status word is 9000
    And the card answers a TC
    And the signed dynamic data of the second GENERATE AC verify and hold its application cryptogram

  @req:CARD-PBOC-ODA-03
  Scenario: CDA asked on the second GENERATE AC only signs that cryptogram
    When I ask for an ARQC
    And the issuer approves the transaction
    And I complete the transaction asking for a TC with CDA
    Then the card answers a TC
    And the signed dynamic data of the second GENERATE AC verify and hold its application cryptogram

  @req:CARD-PBOC-ODA-04 @req:CARD-PBOC-AC-01
  Scenario: An AAC asked for with CDA in the first GENERATE AC is not signed
    When I ask for an AAC with CDA
    Then the status word is 9000
    And the card answers an AAC
    And the response holds the application cryptogram 9F26 and no signed dynamic data 9F4B
    And the application cryptogram verifies with the issuer master key

  @req:CARD-PBOC-ODA-04 @req:CARD-PBOC-AC-01
  Scenario Outline: The AAC of the second GENERATE AC asked for with CDA after the issuer <answer> is not signed
    When I ask for an ARQC with CDA
    Then the signed dynamic data verify and hold the application cryptogram
    When the issuer <answer>
    And I complete the transaction asking for <asked> with CDA
    Then the status word is 9000
    And the card answers an AAC
    And the response holds the application cryptogram 9F26 and no signed dynamic data 9F4B
    And the application cryptogram verifies with the issuer master key

    Examples:
      | answer                                                        | asked  |
      | declines the transaction                                      | a TC   |
      | approves the transaction                                      | an AAC |
      | approves the transaction with an ARPC wrong in its last byte | a TC   |

  @req:CARD-PBOC-ODA-04 @req:CARD-PBOC-ODA-03
  Scenario: An offline TC asked for with CDA is signed
    Given the card has completed an online transaction
    When I select the debit application
    And I start a transaction
    And I read the records the AFL names
    And I ask for a TC with CDA
    Then the status word is 9000
    And the card answers a TC
    And the signed dynamic data verify and hold the application cryptogram

  @req:CARD-PBOC-ODA-04 @req:CARD-PBOC-ODA-03
  Scenario: A TC asked for with CDA on a card that must go online gives a signed ARQC
    When I ask for a TC with CDA
    Then the status word is 9000
    And the card answers an ARQC
    And the signed dynamic data verify and hold the application cryptogram
