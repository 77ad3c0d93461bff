Feature: Anti-tear
  LD/T 6001 part 2, 防拔: when the power fails during a command that writes
  persistent memory, the data afterwards are the old or the new value, never a
  mix, and a try counter is decremented before the result of a comparison is
  revealed. The simulator cuts the power at a chosen persistent write of each
  command that writes: UPDATE BINARY, UPDATE RECORD, APPEND RECORD, WRITE KEY,
  the PIN commands of both applications, the financial issuer's scripts and
  GENERATE AC; a cut beyond the command's last write lets it complete before
  the answer.

  Background:
    Given the card is reset

  @req:CARD-AT-01 @needs:simulator
  Scenario Outline: An UPDATE BINARY of 16 bytes torn at write <k> leaves the old content
    When I select the SSSE
    And I authenticate with the SSSE key 1
    And I select the file EF0A
    And the card loses power at persistent write <k> while I write "11 11 11 11 22 22 22 22 33 33 33 33 44 44 44 44" at offset 0 of the current EF
    And I select the SSSE
    And I select the file EF0A
    And I read 16 bytes at offset 0
    Then the response data is "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |
      | 4 |

  @req:CARD-AT-01 @needs:simulator
  Scenario: An UPDATE BINARY torn after its last write leaves the new content
    When I select the SSSE
    And I authenticate with the SSSE key 1
    And I select the file EF0A
    And the card loses power at persistent write 5 while I write "11 11 11 11 22 22 22 22 33 33 33 33 44 44 44 44" at offset 0 of the current EF
    And I select the SSSE
    And I select the file EF0A
    And I read 16 bytes at offset 0
    Then the response data is "11 11 11 11 22 22 22 22 33 33 33 33 44 44 44 44"

  @req:CARD-AT-02 @needs:simulator
  Scenario Outline: The <env> master key update torn at write <k> leaves the old key working
    When I select the <env>
    And the card loses power at persistent write <k> while I replace the <env> master key with a new SM4 key of version 2
    And I select the <env>
    And I authenticate with the previous <env> master key
    Then the status word is 9000

    Examples:
      | env  | k |
      | SSSE | 1 |
      | SSSE | 2 |
      | SSSE | 3 |
      | PSE  | 1 |
      | PSE  | 2 |
      | PSE  | 3 |

  @req:CARD-AT-02 @needs:simulator
  Scenario: A master key update torn after its last write leaves the complete new key
    When I select the SSSE
    And the card loses power at persistent write 6 while I replace the SSSE master key with a new SM4 key of version 2
    And I select the SSSE
    And I authenticate with the new key
    Then the status word is 9000

  @req:CARD-AT-03 @needs:simulator
  Scenario: A wrong PIN torn before the answer still costs a try
    When I select the SSSE
    And the card loses power at persistent write 2 while I verify the SSSE PIN with a wrong PIN
    And I select the SSSE
    Then the SSSE PIN has 2 tries left

  @req:CARD-AT-03 @needs:simulator
  Scenario: The right PIN torn before the counter is restored still costs a try
    When I select the SSSE
    And the card loses power at persistent write 2 while I verify the SSSE PIN
    And I select the SSSE
    Then the SSSE PIN has 2 tries left

  @req:CARD-AT-03 @needs:simulator
  Scenario: A PIN verification torn before the decrement changes nothing
    When I select the SSSE
    And the card loses power at persistent write 1 while I verify the SSSE PIN with a wrong PIN
    And I select the SSSE
    Then the SSSE PIN has 3 tries left

  @req:CARD-AT-03 @needs:simulator
  Scenario: The right PIN restores the try counter once the power is back
    When I select the SSSE
    And the card loses power at persistent write 2 while I verify the SSSE PIN
    And I select the SSSE
    And I verify the SSSE PIN
    Then the status word is 9000
    And the SSSE PIN is verified

  @req:CARD-AT-03 @needs:simulator @needs:key-info
  Scenario: An external authentication torn before the counter is restored still costs a try
    When I select the PSE
    And the card loses power at persistent write 2 while I authenticate with the PSE key 1
    Then key 1 of the PSE has 4 tries left

  @req:CARD-AT-04 @needs:simulator
  Scenario Outline: An UPDATE RECORD torn at write <k> leaves the old or the new record, whole
    Given I have read access to the SSSE basic data
    When the card loses power at persistent write <k> while I update the tag 08 record of SFI 6 with "08 12 31 31 30 31 30 31 31 39 39 30 30 31 30 31 30 30 31 58" and a MAC of the SSSE key 3
    And I have read access to the SSSE basic data
    And I read the tag 08 record of SFI 6 by its number
    Then the response data is the old or the new record, whole

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |
      | 5 |
      | 6 |

  @req:CARD-AT-04 @needs:simulator
  Scenario Outline: An APPEND RECORD torn at write <k> leaves the old records or them and the new one
    Given I have read access to the SSSE basic data
    When the card loses power at persistent write <k> while I append "0E 02 31 32" to the records of SFI 6 with a MAC made with the SSSE key 3
    And I have read access to the SSSE basic data
    Then the records of SFI 6 are the old ones or the old ones and the new one, whole

    Examples:
      | k |
      | 1 |
      | 2 |

  @req:CARD-AT-04 @needs:simulator
  Scenario Outline: An APPEND RECORD of a long record torn at write <k> leaves the old records or them and the new one, whole
    When I select the SSSE
    And I authenticate with the SSSE master key
    And the current DF has a free linear variable EF 0E03 with SFI 19 for records of up to 32 bytes
    And the card loses power at persistent write <k> while I append "01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13 14 15 16 17 18" to the records of SFI 19
    And I select the SSSE
    Then the records of SFI 19 are the old ones or the old ones and the new one, whole

    Examples:
      | k  |
      | 1  |
      | 2  |
      | 3  |
      | 4  |
      | 5  |
      | 6  |
      | 7  |
      | 8  |

  @req:CARD-AT-04 @needs:simulator
  Scenario Outline: An APPEND RECORD to a full cyclic EF torn at write <k> keeps the oldest record or adds the new one
    When I select the SSSE
    And I authenticate with the SSSE master key
    And the current DF has a free cyclic EF 0E04 with SFI 20 for 2 records of 8 bytes
    And I append "11 11 11 11 11 11 11 11" to the records of SFI 20
    And I append "22 22 22 22 22 22 22 22" to the records of SFI 20
    And the card loses power at persistent write <k> while I append "33 33 33 33 33 33 33 33" to the records of SFI 20
    And I select the SSSE
    Then the records of the full cyclic SFI 20 are the old ones or the new one and the old ones but the oldest

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |

  @req:CARD-AT-05 @needs:simulator
  Scenario Outline: An SSSE PIN UNBLOCK torn at write <k> leaves the old PIN with its counter or the new PIN with full tries
    When I select the SSSE
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    And the card loses power at persistent write <k> while I unblock the SSSE PIN with a new PIN
    And I select the SSSE
    Then the SSSE PIN is the old one with its try counter or the new one, never a mix

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |

  @req:CARD-AT-05 @needs:simulator
  Scenario Outline: An SSSE CHANGE PIN torn at write <k> leaves the old or the new PIN
    When I select the SSSE
    And the card loses power at persistent write <k> while I change the SSSE PIN to a new PIN
    And I select the SSSE
    Then the SSSE PIN is the old one with its try counter or the new one, never a mix

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |
      | 4 |

  @req:CARD-AT-05 @needs:simulator
  Scenario Outline: An SSSE CHANGE PIN to a 12-digit PIN torn at write <k> leaves the old or the new PIN, whole
    When I select the SSSE
    And the card loses power at persistent write <k> while I change the SSSE PIN to "908172635445"
    And I select the SSSE
    Then the SSSE PIN is the old one with its try counter or the new one, never a mix

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |
      | 4 |

  @req:CARD-AT-05 @needs:simulator
  Scenario Outline: An SSSE CHANGE PIN torn at write <k> after a wrong PIN leaves the old PIN with its counter or the new one
    When I select the SSSE
    And I verify the SSSE PIN with a wrong PIN
    And the card loses power at persistent write <k> while I change the SSSE PIN to a new PIN
    And I select the SSSE
    Then the SSSE PIN is the old one with its try counter or the new one, never a mix

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |
      | 4 |
      | 5 |

  @req:CARD-AT-05 @needs:simulator
  Scenario Outline: The issuer's PIN CHANGE torn at write <k> leaves the old offline PIN with its counter or the new one with full tries
    When I select the debit application
    And I start a transaction
    And I verify a wrong offline PIN
    And I verify a wrong offline PIN
    And I ask for an ARQC
    And the card loses power at persistent write <k> while the issuer changes the offline PIN to a new PIN
    And I select the debit application
    Then the offline PIN is the old one with its try counter or the new one, never a mix

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |

  @req:CARD-AT-05 @needs:simulator
  Scenario Outline: The issuer's PIN UNBLOCK torn at write <k> leaves the try counter old or restored
    When I select the debit application
    And I start a transaction
    And I verify a wrong offline PIN
    And I verify a wrong offline PIN
    And I ask for an ARQC
    And the card loses power at persistent write <k> while the issuer sends the script "PIN unblock"
    And I select the debit application
    Then the offline PIN is the old one with its try counter or the new one, never a mix

    Examples:
      | k |
      | 1 |
      | 2 |

  @req:CARD-AT-06 @needs:simulator
  Scenario Outline: The issuer's PUT DATA torn at write <k> leaves the old or the new value
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the card loses power at persistent write <k> while the issuer sets the data object 9F23 to "0A"
    And I select the debit application
    Then the data object 9F23 has its old or its new value

    Examples:
      | k |
      | 1 |
      | 2 |

  @req:CARD-AT-06 @needs:simulator
  Scenario Outline: The issuer's PUT DATA of a 6-byte object torn at write <k> leaves the old or the new value, whole
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the card loses power at persistent write <k> while the issuer sets the data object 9F79 to "12 34 56 78 90 12"
    And I select the debit application
    Then the data object 9F79 has its old or its new value

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |
      | 4 |
      | 5 |
      | 6 |
      | 7 |

  @req:CARD-AT-06 @needs:simulator
  Scenario Outline: The issuer's APPLICATION BLOCK torn at write <k> leaves the application blocked or not, and consistent
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the card loses power at persistent write <k> while the issuer sends the script "application block"
    Then the debit application is blocked or not, and answers as such

    Examples:
      | k |
      | 1 |
      | 2 |

  @req:CARD-AT-07 @needs:simulator
  Scenario Outline: The first GENERATE AC torn at write <k> leaves the risk data all before or all after it
    Given the card has completed an online transaction
    When I select the debit application
    And I start a transaction
    And the card loses power at persistent write <k> while I ask for an ARQC
    Then the next transaction finds the risk data all as before or all as after the torn GENERATE AC

    Examples:
      | k |
      | 1 |
      | 2 |

  @req:CARD-AT-07 @needs:simulator
  Scenario Outline: The second GENERATE AC of an approved transaction torn at write <k> leaves the risk data all before or all after it
    Given the card has completed an online transaction
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer approves the transaction
    And the card loses power at persistent write <k> while I complete the transaction asking for a TC
    Then the next transaction finds the risk data all as before or all as after the torn GENERATE AC

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |
      | 4 |
      | 5 |

  @req:CARD-AT-07 @needs:simulator
  Scenario Outline: The second GENERATE AC after a failed issuer authentication torn at write <k> leaves the risk data before or after
    Given the card has completed an online transaction
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer approves the transaction with an ARPC wrong in its last byte
    And the card loses power at persistent write <k> while I complete the transaction asking for a TC
    Then the next transaction finds the risk data all as before or all as after the torn GENERATE AC

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |

  @req:CARD-AT-07 @needs:simulator
  Scenario Outline: The second GENERATE AC of a declined transaction torn at write <k> leaves the risk data all before or all after it
    Given the card has completed an online transaction
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer declines the transaction
    And the card loses power at persistent write <k> while I complete the transaction asking for a TC
    Then the next transaction finds the risk data all as before or all as after the torn GENERATE AC

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |

  @req:CARD-AT-08 @req:CARD-PBOC-LOG-01 @needs:simulator
  Scenario Outline: An offline TC torn at write <k> leaves the transaction log as before or with the new record first
    Given the card has completed 2 online transactions
    When I select the debit application
    And I start a transaction
    And the card loses power at persistent write <k> while I ask for a TC
    Then the transaction log holds its records of before, or the new record first and them, every record whole

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |
      | 4 |

  @req:CARD-AT-08 @req:CARD-PBOC-LOG-01 @needs:simulator
  Scenario Outline: An approved second GENERATE AC torn at write <k> leaves the log as before or with the new record first
    Given the card has completed 2 online transactions
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer approves the transaction
    And the card loses power at persistent write <k> while I complete the transaction asking for a TC
    Then the transaction log holds its records of before, or the new record first and them, every record whole

    Examples:
      | k |
      | 1 |
      | 2 |
      | 3 |
      | 4 |
      | 5 |
      | 6 |
      | 7 |

  @req:CARD-AT-08 @req:CARD-PBOC-LOG-01 @needs:simulator
  Scenario Outline: A GENERATE AC torn at write <k> on a full log leaves it as before or with the new record first and the oldest dropped
    Given the card has completed 10 online transactions
    When I select the debit application
    And I start a transaction
    And the card loses power at persistent write <k> while I ask for a TC
    Then the transaction log holds its records of before, or the new record first and them, every record whole

    Examples:
      | k |
      | 1 |
      | 2 |
      | 6 |
      | 11 |
