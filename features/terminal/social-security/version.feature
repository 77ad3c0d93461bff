Feature: The social-security terminal and the card's specification version
  社会保障卡加载金融功能通用规范 and docs/ssse.md §2: the layout of the basic
  data (EF05, EF06) depends on the specification version in EF05 tag 03
  ("1.00", "2.00", "3.00"). A terminal reads the layout of a version it
  knows, and refuses a card whose version it does not know rather than read
  its data with a guessed layout. EF05 is never updated, so the card's
  version is shown to the terminal by an interposed channel.

  Background:
    Given a social-security terminal that has initialised the card

  @req:TERM-SS-06
  Scenario: A card of a version the terminal knows is accepted
    When the terminal tries to check the card's validity on its issue date
    Then the terminal accepts the card

  @req:TERM-SS-06
  Scenario: A card of the version after the last one the terminal knows is refused
    Given the card's EF05 says specification version "3.01"
    When the terminal tries to check the card's validity on its issue date
    Then the terminal refuses the card for its specification version

  @req:TERM-SS-06
  Scenario: A card of an unknown major version is refused
    Given the card's EF05 says specification version "4.00"
    When the terminal tries to check the card's validity on its issue date
    Then the terminal refuses the card for its specification version
