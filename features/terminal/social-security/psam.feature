Feature: The PSAM of the social-security terminal
  社会保障卡加载金融功能通用规范: the terminal's PSAM (application
  D1 56 00 00 05 90) holds the social-security master keys and computes the
  cryptograms and MACs for the SSSE; it holds no key of the financial
  application, which the terminal reaches only through the PBOC key system.

  Background:
    Given a social-security terminal that has initialised the card

  @req:TERM-SS-04
  Scenario: The PSAM application is selected by its AID
    When the terminal selects its PSAM application
    Then the PSAM answers with the FCI of its application

  @req:TERM-SS-04 @req:CARD-SSSE-UPD-01
  Scenario: A record update MAC'd by the PSAM with the maintenance key is written
    When the terminal writes the tag 0A record of SFI 6 with "0A 01 32" and a MAC from its PSAM
    Then the status word is 9000
    And the PSAM diversified every key with the card's factors
    When I read the tag 0A record of SFI 6 by its number
    Then the response data is "0A 01 32"

  @req:TERM-SS-04 @req:CARD-SSSE-UPD-01
  Scenario: A MAC the PSAM made with another key is refused and the record stays
    When the terminal writes the tag 0A record of SFI 6 with "0A 01 32" and a MAC of its PSAM's external-auth key
    Then the status word is 6988
    When I read the tag 0A record of SFI 6 by its number
    Then the response data is the record with tag 0A of 3F00/DDF1/EF06

  @req:TERM-SS-04 @req:CARD-FW-03
  Scenario: No key of the PSAM opens the financial application
    When I try every key of the terminal's PSAM on the PSE key 1
    Then the financial application accepts none of them

  @req:TERM-SS-04
  Scenario: The PSAM refuses a key it does not hold
    When the terminal asks its PSAM for the key of usage "45" index 99
    Then the PSAM refuses with 6A88
