Feature: Blocking the social-security application and the card
  APPLICATION BLOCK and APPLICATION UNBLOCK are MAC'd with the maintenance
  key; CARD BLOCK with the card block key. A blocked application is selected
  with 6283 and answers 6A81 to other commands; a card blocked in the SSSE
  answers 9303 there for good. The payment environment is not affected.

  Background:
    When I select the SSSE

  @req:CARD-SSSE-BLK-01
  Scenario: APPLICATION BLOCK blocks the SSSE: SELECT warns with 6283
    When I block the SSSE application
    Then the status word is 9000
    When I select the SSSE
    Then the status word is 6283

  @req:CARD-SSSE-BLK-01
  Scenario: A blocked SSSE refuses READ RECORD with 6A81
    When I block the SSSE application
    And I select the SSSE
    And I read record 1 of SFI 6
    Then the status word is 6A81

  @req:CARD-SSSE-BLK-01
  Scenario: A blocked SSSE refuses VERIFY with 6A81
    When I block the SSSE application
    And I verify the SSSE PIN
    Then the status word is 6A81

  @req:CARD-SSSE-BLK-01
  Scenario: A blocked SSSE refuses a MAC'd record update with 6A81 and keeps the record
    When I block the SSSE application
    And I select the SSSE
    And I update the tag 0A record of SFI 6 with "0A 01 32" and a MAC made with the SSSE key 3
    Then the status word is 6A81
    When I select the SSSE
    And I unblock the SSSE application
    Given I have read access to the SSSE basic data
    When I read the tag 0A record of SFI 6 by its number
    Then the response data is the record with tag 0A of 3F00/DDF1/EF06

  @req:CARD-SSSE-BLK-01
  Scenario: A blocked SSSE refuses UPDATE BINARY of a free EF with 6A81 and keeps its content
    When I block the SSSE application
    And I select the SSSE
    And I select the file EF0B
    And I write "01 02 03 04" at offset 0 of the current EF
    Then the status word is 6A81
    When I select the SSSE
    And I unblock the SSSE application
    And I select the file EF0B
    And I read 4 bytes at offset 0
    Then the response data is "00 00 00 00"

  @req:CARD-SSSE-BLK-01
  Scenario: APPLICATION BLOCK survives a reset
    When I block the SSSE application
    Then the status word is 9000
    Given the card is reset
    When I select the SSSE
    Then the status word is 6283
    When I verify the SSSE PIN
    Then the status word is 6A81

  @req:CARD-SSSE-BLK-01
  Scenario: APPLICATION UNBLOCK does not unblock a blocked PIN, nor give a PIN its tries back
    When I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    Then the status word is 63C0
    When I block the SSSE application
    And I select the SSSE
    And I unblock the SSSE application
    Then the status word is 9000
    When I select the SSSE
    And I verify the SSSE PIN
    Then the status word is 6983

  @req:CARD-SSSE-BLK-01
  Scenario: APPLICATION UNBLOCK leaves a PIN's try counter where it was
    When I verify the SSSE PIN with a wrong PIN
    Then the SSSE PIN has 2 tries left
    When I block the SSSE application
    And I select the SSSE
    And I unblock the SSSE application
    Then the status word is 9000
    When I select the SSSE
    Then the SSSE PIN has 2 tries left

  @req:CARD-SSSE-BLK-01
  Scenario: APPLICATION UNBLOCK restores the SSSE
    When I block the SSSE application
    And I unblock the SSSE application
    Then the status word is 9000
    When I select the SSSE
    Then the status word is 9000
    When I verify the SSSE PIN
    Then the status word is 9000

  @req:CARD-SSSE-BLK-01
  Scenario: APPLICATION BLOCK with a wrong MAC blocks nothing
    When I block the SSSE application with a wrong MAC
    Then the status word is 6988
    When I select the SSSE
    Then the status word is 9000

  @req:CARD-SSSE-BLK-01
  Scenario: APPLICATION BLOCK without a MAC is refused
    When I block the SSSE application without a MAC
    Then the status word is 6982
    When I select the SSSE
    Then the status word is 9000

  @req:CARD-SSSE-BLK-02
  Scenario: CARD BLOCK blocks the SSSE for good
    When I block the card in the SSSE
    Then the status word is 9000
    When I select the SSSE
    Then the status word is 9303
    Given the card is reset
    When I select the SSSE
    Then the status word is 9303

  @req:CARD-SSSE-BLK-02
  Scenario: A card blocked in the SSSE cannot be unblocked
    When I block the card in the SSSE
    And I unblock the SSSE application
    Then the status word is 9303

  @req:CARD-SSSE-BLK-02 @req:CARD-FW-05
  Scenario: A card blocked in the SSSE leaves the payment environment working
    When I block the card in the SSSE
    And I select the PSE
    Then the status word is 9000
    When I read record 1 of SFI 1
    Then the status word is 9000

  @req:CARD-SSSE-BLK-01 @req:CARD-FW-05
  Scenario: A blocked SSSE leaves the PSE PIN working
    When I block the SSSE application
    And I select the PSE
    And I verify the PSE PIN
    Then the status word is 9000

  @req:CARD-SSSE-BLK-02
  Scenario: CARD BLOCK with a wrong MAC blocks nothing
    When I block the card in the SSSE with a wrong MAC
    Then the status word is 6988
    When I select the SSSE
    Then the status word is 9000
    When I verify the SSSE PIN
    Then the status word is 9000
