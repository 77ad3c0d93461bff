Feature: Selecting the financial application
  JR/T 0025: the payment system environment 1PAY.SYS.DDF01 (contact) lists
  the card's payment applications; the UnionPay debit application
  A000000333010101 answers its FCI with the PDOL. The card is RMB debit only.

  @req:CARD-PBOC-SEL-01
  Scenario: The PSE answers its FCI with the directory SFI
    When I select the application "1PAY.SYS.DDF01"
    Then the status word is 9000
    And the response is an FCI template with the DF name "31 50 41 59 2E 53 59 53 2E 44 44 46 30 31"
    And the FCI names the directory SFI 1

  @req:CARD-PBOC-SEL-01 @req:CARD-PBOC-DEBIT-01
  Scenario: The PSE directory lists the debit application, and only it
    When I select the application "1PAY.SYS.DDF01"
    And I read record 1 of SFI 1
    Then the status word is 9000
    And the directory lists the applications "A000000333010101"

  @req:CARD-PBOC-SEL-02
  Scenario: The debit application is selected by its AID
    When I send the APDU "00 A4 04 00 08 A0 00 00 03 33 01 01 01 00"
    Then the status word is 9000
    And the response is an FCI template with the DF name "A0 00 00 03 33 01 01 01"
    And the response holds tag 50
    And the response holds tag 87 with value "01"

  @req:CARD-PBOC-SEL-02 @req:CARD-PBOC-SM-01
  Scenario: The PDOL of the debit application requests the SM algorithm support indicator
    When I select the debit application
    Then the PDOL requests tag DF69

  @req:CARD-PBOC-DEBIT-01
  Scenario Outline: The card holds no <kind> application
    When I send the APDU "00 A4 04 00 08 A0 00 00 03 33 01 01 <last> 00"
    Then the status word is 6A82

    Examples:
      | kind         | last |
      | credit       | 02   |
      | quasi-credit | 03   |

  @req:CARD-PBOC-SEL-03 @needs:ppse
  Scenario: The PPSE lists the debit application for contactless use
    When I select the application "2PAY.SYS.DDF01"
    Then the status word is 9000
    And the FCI directory lists the applications "A000000333010101"
