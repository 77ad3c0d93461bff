Feature: GET PROCESSING OPTIONS and the application data
  JR/T 0025: GPO with the PDOL data starts a transaction, answers the AIP and
  the AFL and increments the ATC; the records the AFL names hold the
  application data.

  Background:
    Given I select the debit application

  @req:CARD-PBOC-GPO-01
  Scenario: GPO answers the AIP and the AFL
    When I start a transaction
    Then the status word is 9000
    And the response is a template 77 with the AIP and the AFL of the profile

  @req:CARD-PBOC-GPO-01 @req:CARD-PBOC-ATC-01
  Scenario: Each GPO increments the ATC by one
    When I start a transaction
    Then the ATC has increased by 1
    When I start a transaction
    Then the ATC has increased by 2

  @req:CARD-PBOC-ATC-01
  Scenario: A reset does not bring the ATC back
    When I start a transaction
    And the card is reset
    And I select the debit application
    And I start a transaction
    Then the ATC has increased by 2

  @req:CARD-PBOC-GPO-02
  Scenario: PDOL data outside template 83 are refused
    When I send GET PROCESSING OPTIONS with the PDOL data in template 80
    Then the status word is 6A80
    And the ATC has increased by 0

  @req:CARD-PBOC-GPO-02
  Scenario Outline: PDOL data of the wrong length are refused with 6700
    When I send GET PROCESSING OPTIONS with <n> bytes of PDOL data too many
    Then the status word is 6700
    And the ATC has increased by 0

    Examples:
      | n  |
      | 1  |
      | -1 |

  @req:CARD-PBOC-GPO-02 @req:CARD-PBOC-SM-01 @needs:sm-suite
  Scenario: An SM card refuses a terminal without the SM suite with 6985
    When I start a transaction with a terminal without the SM suite
    Then the status word is 6985
    And the ATC has increased by 0

  @req:CARD-PBOC-GPO-01 @req:CARD-PBOC-SM-01
  Scenario: A terminal with the SM suite gets the card's suite
    When I start a transaction with a terminal with the SM suite
    Then the status word is 9000
    And the transaction uses the card's algorithm suite

  @req:CARD-PBOC-REC-01
  Scenario: Every record the AFL names is a template 70
    When I start a transaction
    And I read the records the AFL names
    Then every record read is a template 70
    And the records are those of the profile

  @req:CARD-PBOC-REC-01
  Scenario Outline: The application data hold <element>
    When I start a transaction
    And I read the records the AFL names
    Then the application data hold tag <tag>

    Examples:
      | tag  | element                      |
      | 5A   | the PAN                      |
      | 5F34 | the PAN sequence number      |
      | 5F24 | the expiry date              |
      | 5F25 | the effective date           |
      | 8C   | CDOL1                        |
      | 8D   | CDOL2                        |
      | 8E   | the CVM list                 |
      | 9F07 | the application usage control |
      | 5F28 | the issuer country code      |
      | 9F42 | the application currency code |
      | 9F08 | the application version      |
      | 57   | the track 2 equivalent data  |
      | 8F   | the CA public key index      |
      | 90   | the issuer public key certificate |
      | 9F46 | the ICC public key certificate |

  @req:CARD-PBOC-DOM-01
  Scenario: The card is for domestic use, in RMB
    When I start a transaction
    And I read the records the AFL names
    Then the application data hold tag 5F28 with value "01 56"
    And the application data hold tag 9F42 with value "01 56"
    And the application usage control allows domestic and forbids international use

  @req:CARD-PBOC-REC-01
  Scenario: A record outside the AFL is not found
    When I start a transaction
    And I read record 9 of SFI 2
    Then the status word is 6A83
