Feature: Application initialisation of the social-security terminal
  社会保障卡加载金融功能通用规范, terminals, application initialisation: the
  terminal selects the SSSE first, reads the card identification code and
  authenticates with keys its PSAM diversifies with the card's factors (card
  factor, city factor). Internal authentication lets the terminal check that
  the card holds the keys of its issuer.

  Background:
    Given a social-security terminal with its PSAM

  @req:TERM-SS-02
  Scenario: The terminal selects the SSSE by its name before anything else
    When the terminal initialises the card
    Then the first command the terminal sent to the card selects the SSSE by its name

  @req:TERM-SS-02
  Scenario: The terminal reads the card identification code before other basic data
    When the terminal initialises the card
    Then the terminal read the card identification code before any other basic data

  @req:TERM-SS-02 @req:CARD-SSSE-DIV-01
  Scenario: External authentication with the PSAM's diversified key succeeds
    When the terminal initialises the card
    And the terminal authenticates itself to the card
    Then the status word is 9000
    And the PSAM diversified every key with the card's factors
    And the terminal authenticated with the PSAM's cryptogram of the card's challenge, diversified with the card's factors

  @req:TERM-SS-02 @req:CARD-SSSE-DIV-01
  Scenario: The card refuses a cryptogram made with the undiversified master key
    When the terminal initialises the card
    And a cryptogram of the terminal's external-auth key made with the undiversified master key is sent to the card
    Then the card refuses the cryptogram with 63CX
    When the terminal authenticates itself to the card
    Then the status word is 9000
    And the PSAM diversified every key with the card's factors

  @req:TERM-SS-02 @req:CARD-SSSE-DIV-01
  Scenario: The card refuses a cryptogram of a key diversified for another card
    When the terminal initialises the card
    And a cryptogram of the terminal's external-auth key made with the factors of another card is sent to the card
    Then the card refuses the cryptogram with 63CX
    When the terminal authenticates itself to the card
    Then the status word is 9000

  @req:TERM-SS-02 @req:CARD-SSSE-IA-01
  Scenario: Internal authentication shows the card genuine
    When the terminal initialises the card
    And the terminal checks the card with internal authentication
    Then the terminal finds the card genuine
    And the terminal compared the card's answer with the PSAM's encryption of its random, diversified with the card's factors

  @req:TERM-SS-02 @req:CARD-SSSE-IA-01 @needs:simulator
  Scenario: A card whose internal authentication key its issuer never had is not genuine
    Given the card's SSSE key 2 is replaced by a key its issuer never had
    When the terminal initialises the card
    And the terminal checks the card with internal authentication
    Then the terminal finds the card not genuine

  @req:TERM-SS-02 @req:CARD-SSSE-IA-01
  Scenario: A card whose internal authentication answer is wrong in its last byte is not genuine
    Given the card's answer to INTERNAL AUTHENTICATE is wrong in its last byte
    When the terminal initialises the card
    And the terminal checks the card with internal authentication
    Then the terminal finds the card not genuine
