Feature: The social-security terminal reads the SSSE
  社会保障卡加载金融功能通用规范, terminals: a social-security terminal reads
  the city code, social security number, card number, card identification
  code, name, ATR, specification version, issue and expiry dates. The
  reference terminal of ssc-lab reads them as real terminals do, through its
  PSAM for every key it needs.

  Background:
    Given a social-security terminal with its PSAM

  @req:TERM-SS-01
  Scenario: The terminal shows the card's basic information
    When the terminal initialises the card
    And the terminal reads the basic information
    Then the terminal shows the basic data and the ATR of the card

  @req:TERM-SS-01 @req:CARD-SSSE-EF06-01
  Scenario: The terminal reads the layout of the card's specification version
    When the terminal initialises the card
    And the terminal reads the basic information
    Then the terminal shows the name extension only for specification 2.00 and later

  @req:TERM-SS-01 @req:CARD-SSSE-V3-01 @needs:ssse-v3
  Scenario: On a 3.00 card the terminal authenticates with the read key before it reads the basic data
    When the terminal initialises the card
    And the terminal reads the basic information
    Then the terminal authenticated with the read key before it read the basic data
    And the terminal shows the basic data and the ATR of the card

  @req:TERM-SS-01 @req:CARD-SSSE-V3-01 @needs:ssse-v3
  Scenario: A terminal without the read key cannot read a 3.00 card
    Given a social-security terminal with its PSAM but without the read key
    When the terminal tries to initialise the card
    Then the terminal reports that the card answered 6982
