Feature: Answer to reset
  ISO/IEC 7816-3:2006 §8.2. The card answers a reset with a well-formed ATR
  that declares the protocol it offers, and a reset brings it back to its
  initial state (ISO/IEC 7816-4 §5.3.1.1: the MF is implicitly selected).

  @req:CARD-ATR-01
  Scenario: The ATR is well formed
    Then the ATR is well formed

  @req:CARD-ATR-01 @needs:t0
  Scenario: A T=0 card declares T=0 in its ATR
    Then the ATR declares the protocol T=0

  @req:CARD-ATR-01 @needs:t1
  Scenario: A T=1 card declares T=1 in its ATR and carries a correct TCK
    Then the ATR declares the protocol T=1
    And the ATR is well formed

  @req:CARD-ATR-02
  Scenario: A warm reset gives the same ATR
    Given the card is reset
    Then the ATR is the one of the first power-up

  @req:CARD-ATR-02
  Scenario: A reset forgets the current EF
    When I select the file 2F02
    And I read 2 bytes at offset 0
    Then the status word is 9000
    Given the card is reset
    When I read 2 bytes at offset 0
    Then the status word is 6986
