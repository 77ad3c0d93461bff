Feature: Transaction log
  JR/T 0025: the card logs its approved transactions in the log format 9F4F
  in the file 9F4D names; the newest is record 1.

  @req:CARD-PBOC-LOG-01
  Scenario: An approved transaction is logged with its amount
    Given the card has completed an online transaction of amount "000000001234"
    When I read the transaction log
    Then the log holds 1 record
    And the newest log record holds the amount "000000001234"

  @req:CARD-PBOC-LOG-01
  Scenario: The newest transaction comes first
    Given the card has completed an online transaction of amount "000000000100"
    And the card has completed an online transaction of amount "000000000200"
    When I read the transaction log
    Then the log holds 2 records
    And the newest log record holds the amount "000000000200"

  @req:CARD-PBOC-LOG-01
  Scenario: A declined transaction is not logged
    Given I select the debit application
    And I start a transaction
    And I ask for an AAC
    When I read the transaction log
    Then the log holds 0 records
