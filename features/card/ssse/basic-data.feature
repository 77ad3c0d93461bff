Feature: SSSE basic data — EF05 issuer data and EF06 holder data
  LD/T 32: the basic data files of the social-security application hold one
  field a record, tag ‖ length ‖ value, the tag being the record identifier:
  EF05 (SFI 05) the card identification code, card type, specification
  version, initialising organisation, issue and expiry dates and card number;
  EF06 (SFI 06) social security number, name (GBK, 00-padded), name extension
  4E (specifications 2.00 and 3.00), sex, ethnicity, birthplace and birth date.
  Field lengths and formats follow the card's specification version.

  Background:
    Given I have read access to the SSSE basic data

  @req:CARD-SSSE-EF05-01
  Scenario Outline: EF05 record <tag> holds the <field>
    When I read the first record with identifier "<tag>" of SFI 5
    Then the status word is 9000
    And the response is the tag <tag> field of SFI 5, well formed
    And the response data is the record with tag <tag> of 3F00/DDF1/EF05

    Examples:
      | tag | field                            |
      | 01  | card identification code         |
      | 02  | card type                        |
      | 03  | specification version            |
      | 04  | initialising-organisation number |
      | 05  | issue date                       |
      | 06  | expiry date                      |
      | 07  | card number                      |

  @req:CARD-SSSE-EF05-01
  Scenario: EF05 holds the issuer-data fields of the card's specification version, in table order
    When I read every record of SFI 5
    Then the records carry the tags of the SFI 5 layout of the card's specification version
    And every record is a well-formed field of SFI 5

  @req:CARD-SSSE-EF05-01
  Scenario: The specification version in EF05 is the one the card claims
    When I read the first record with identifier "03" of SFI 5
    Then the status word is 9000
    And the response holds tag 03 with the specification version of the profile

  @req:CARD-SSSE-EF05-01 @req:CARD-SSSE-EF06-01
  Scenario: The basic data decode to the cardholder of the sample, and the card expires after its issue
    When I read the basic data
    Then the basic data are those of the profile
    And the expiry date follows the issue date

  @req:CARD-SSSE-EF06-01
  Scenario Outline: EF06 record <tag> holds the <field>
    When I read the first record with identifier "<tag>" of SFI 6
    Then the status word is 9000
    And the response is the tag <tag> field of SFI 6, well formed
    And the response data is the record with tag <tag> of 3F00/DDF1/EF06

    Examples:
      | tag | field                  |
      | 08  | social security number |
      | 09  | name                   |
      | 0A  | sex                    |
      | 0B  | ethnicity              |
      | 0C  | birthplace             |
      | 0D  | birth date             |

  @req:CARD-SSSE-EF06-01
  Scenario: EF06 holds the holder-data fields of the card's specification version, in table order
    When I read every record of SFI 6
    Then the records carry the tags of the SFI 6 layout of the card's specification version
    And every record is a well-formed field of SFI 6

  @req:CARD-SSSE-EF06-01
  Scenario: The name extension 4E exists from specification 2.00 on, and only there
    When I read the first record with identifier "4E" of SFI 6
    Then the name extension is there as the card's specification version requires

  @req:CARD-SSSE-RR-01
  Scenario Outline: READ RECORD P2 <p2> — <form>
    When I send the APDU "00 B2 <p1> <p2> 00"
    Then the status word is 9000
    And the response data is the record with tag <tag> of 3F00/DDF1/<ef>

    Examples:
      | p1 | p2 | form                                      | tag | ef   |
      | 01 | 2C | EF05 through SFI 05, record number 1      | 01  | EF05 |
      | 07 | 2C | EF05 through SFI 05, record number 7      | 07  | EF05 |
      | 06 | 28 | EF05 through SFI 05, record identifier 06 | 06  | EF05 |
      | 01 | 34 | EF06 through SFI 06, record number 1      | 08  | EF06 |
      | 09 | 30 | EF06 through SFI 06, record identifier 09 | 09  | EF06 |
      | 0D | 30 | EF06 through SFI 06, record identifier 0D | 0D  | EF06 |

  @req:CARD-SSSE-RR-01
  Scenario: READ RECORD P2 04 reads by number in the current EF
    When I select the EF EF05 under the current DF
    And I send the APDU "00 B2 02 04 00"
    Then the status word is 9000
    And the response data is the record with tag 02 of 3F00/DDF1/EF05

  @req:CARD-SSSE-RR-01
  Scenario: READ RECORD P2 00 reads by record identifier in the current EF
    When I select the EF EF06 under the current DF
    And I send the APDU "00 B2 0C 00 00"
    Then the status word is 9000
    And the response data is the record with tag 0C of 3F00/DDF1/EF06

  @req:CARD-SSSE-RR-01 @req:CARD-RR-02
  Scenario: A record identifier that EF05 does not hold gives 6A83
    When I send the APDU "00 B2 08 28 00"
    Then the status word is 6A83
