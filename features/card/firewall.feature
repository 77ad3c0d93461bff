Feature: Firewall between the social-security and the financial application
  社会保障卡加载金融功能通用规范: one COS, two applications; a firewall inside
  the COS keeps them independent in security, file system and commands. The
  SSSE holds the social-security files (EF05, EF06, EF0A, DF01–DF04), the PSE
  the payment files (directory EF01, EF02, the debit ADF).

  @req:CARD-FW-01
  Scenario: An EF of the PSE cannot be selected by its identifier from the SSSE
    When I select the SSSE
    And I select the file EF02
    Then the status word is 6A82

  @req:CARD-FW-01
  Scenario: An EF of the SSSE cannot be selected by its identifier from the PSE
    When I select the PSE
    And I select the file EF05
    Then the status word is 6A82

  @req:CARD-FW-01
  Scenario: The PSE directory cannot be read through its SFI from the SSSE
    When I select the SSSE
    And I read record 1 of SFI 1
    Then the status word is 6A82

  @req:CARD-FW-01
  Scenario: The SSSE basic data cannot be read through their SFI from the PSE
    When I select the PSE
    And I read record 1 of SFI 5
    Then the status word is 6A82
    When I read record 1 of SFI 6
    Then the status word is 6A82

  @req:CARD-FW-01
  Scenario: An EF of the PSE cannot be updated through its SFI from the SSSE
    When I select the SSSE
    And I authenticate with the SSSE key 1
    And I send the APDU "00 D6 82 00 02 11 22"
    Then the status word is 6A82

  @req:CARD-FW-01 @req:CARD-FW-02
  Scenario: Selecting a PSE file by path from the MF enters the PSE and leaves the SSSE state behind
    When I select the SSSE
    And I authenticate with the SSSE master key
    And I select the path "DD F2 EF 02" from the MF
    Then the status word is 9000
    When I select the SSSE
    And I create a transparent EF 0E01 in the current DF
    Then the status word is 6982

  @req:CARD-FW-02
  Scenario: An external authentication in the SSSE is lost when the PSE is selected
    When I select the SSSE
    And I authenticate with the SSSE key 1
    And I select the PSE
    And I select the SSSE
    And I select the file EF0A
    And I write "11 22 33 44" at offset 0 of the current EF
    Then the status word is 6982

  @req:CARD-FW-02
  Scenario: An external authentication in the SSSE stays while the SSSE is current
    When I select the SSSE
    And I authenticate with the SSSE key 1
    And I select the child DF DF01
    And I select the parent DF
    And I select the file EF0A
    And I write "11 22 33 44" at offset 0 of the current EF
    Then the status word is 9000

  @req:CARD-FW-02
  Scenario: The master key authentication of the PSE does not survive a visit to the SSSE
    When I select the PSE
    And I authenticate with the PSE master key
    And I select the SSSE
    And I select the PSE
    And I create a transparent EF 0E01 in the current DF
    Then the status word is 6982

  @req:CARD-FW-02
  Scenario: A challenge obtained in the SSSE cannot be used in the PSE
    When I select the SSSE
    And I get a challenge of 8 bytes
    And I select the PSE
    And I authenticate with the PSE key 1 without a fresh challenge
    Then the status word is 6984

  @req:CARD-FW-02
  Scenario: Selecting the debit application by its AID from the SSSE leaves the SSSE state behind
    When I select the SSSE
    And I verify the SSSE PIN
    Then the SSSE PIN is verified
    When I select the DF named "A0 00 00 03 33 01 01 01"
    And I select the SSSE
    Then the SSSE PIN has 3 tries left

  @req:CARD-FW-03
  Scenario: The SSSE read key is not found in the PSE
    When I select the PSE
    And I authenticate as key 6 of the PSE with the SSSE key 6
    Then the status word is 6A88

  @req:CARD-FW-03
  Scenario: A key id only the PSE holds is not found by the SSSE's external authentication
    When I select the SSSE
    And I authenticate naming a key id only the PSE holds, with that key
    Then the status word is 6A88

  @req:CARD-FW-03
  Scenario: A key id only the PSE holds is not found by the SSSE's internal authentication
    When I select the SSSE
    And I ask for an internal authentication with the random "5A 3C 96 0F E1 22 7B 48", naming a key id only the PSE holds
    Then the status word is 6A88
    And the response data is empty

  @req:CARD-COS-01 @req:CARD-FW-03
  Scenario: One COS, two key files: each environment's key 1 authenticates there and only there
    When I select the SSSE
    And I authenticate with the SSSE key 1
    Then the status word is 9000
    When I authenticate as key 1 of the SSSE with the PSE key 1
    Then the status word is 63CX
    When I select the PSE
    And I authenticate with the PSE key 1
    Then the status word is 9000
    When I authenticate as key 1 of the PSE with the SSSE key 1
    Then the status word is 63CX

  @req:CARD-FW-03
  Scenario Outline: The <env> key 1 does not authenticate as key 1 of the <other>
    When I select the <other>
    And I authenticate as key 1 of the <other> with the <env> key 1
    Then the status word is 63CX

    Examples:
      | env  | other |
      | SSSE | PSE   |
      | PSE  | SSSE  |

  @req:CARD-FW-03 @req:KEY-EMK-02
  Scenario: A key MAC'd with the SSSE master key is refused by the PSE
    When I select the PSE
    And I load a new 3DES maintenance key 35 into the PSE under the SSSE master key
    Then the status word is 6988

  @req:CARD-FW-03
  Scenario: An update of a PSE file MAC'd with the SSSE key is refused
    When I select the PSE
    And I select the file EF02
    And I write "11 22" at offset 0 of the current EF with a MAC made with the SSSE key 1
    Then the status word is 6988
    When I read 2 bytes at offset 0
    Then the response data is "00 00"

  @req:CARD-FW-03
  Scenario: An update of a PSE file MAC'd with the PSE key is accepted
    When I select the PSE
    And I select the file EF02
    And I write "11 22" at offset 0 of the current EF with a MAC made with the PSE key 1
    Then the status word is 9000
    When I read 2 bytes at offset 0
    Then the response data is "11 22"

  @req:CARD-FW-03 @req:KEY-INFO-01 @needs:key-info
  Scenario: Key information of one environment does not show the other's keys
    When I select the PSE
    And I send the APDU "80 CA 00 06 00"
    Then the status word is 6A88
    When I select the SSSE
    And I send the APDU "80 CA 00 06 00"
    Then the status word is 9000

  @req:CARD-FW-04
  Scenario: A verified SSSE PIN does not count in the PSE
    When I select the SSSE
    And I verify the SSSE PIN
    Then the status word is 9000
    When I select the PSE
    Then the PSE PIN has 3 tries left

  @req:CARD-FW-04
  Scenario: The SSSE PIN presented to the PSE PIN reference fails
    When I select the PSE
    And I present the SSSE PIN to the PIN reference of the PSE
    Then the status word is 63C2

  @req:CARD-FW-04
  Scenario Outline: The PIN reference of the <other> does not exist in the <env>, and presenting it there costs the <other> nothing
    When I select the <env>
    And I present the <other> PIN to the PIN reference of the <other>
    Then the status word is 6A88
    When I select the <other>
    Then the <other> PIN has 3 tries left
    And the <other> PIN is not verified

    Examples:
      | env  | other |
      | PSE  | SSSE  |
      | SSSE | PSE   |

  @req:CARD-FW-04
  Scenario: Failed PIN tries in the SSSE do not change the PSE try counter
    When I select the SSSE
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    Then the SSSE PIN has 1 tries left
    When I select the PSE
    Then the PSE PIN has 3 tries left

  @req:CARD-FW-05
  Scenario: The SSSE master key does not delete files of the PSE
    When I select the SSSE
    And I authenticate with the SSSE master key
    And I select the PSE
    And I delete the file EF02
    Then the status word is 6982

  @req:CARD-FW-05
  Scenario: The PSE master key does not create files in the SSSE
    When I select the PSE
    And I authenticate with the PSE master key
    And I select the SSSE
    And I create a transparent EF 0E02 in the current DF
    Then the status word is 6982

  @req:CARD-FW-06
  Scenario Outline: The SSSE's "<command>" sent while the <where> is current is refused and changes nothing in the SSSE
    When I select the SSSE
    And I verify the SSSE PIN with a wrong PIN
    And I select the <where>
    And I <command>
    Then the status word signals an error
    When I select the SSSE
    Then the status word is 9000
    And the SSSE PIN has 2 tries left
    When I verify the SSSE PIN
    Then the status word is 9000

    Examples:
      | command                           | where             |
      | block the SSSE application        | PSE               |
      | block the SSSE application        | debit application |
      | block the card in the SSSE        | PSE               |
      | block the card in the SSSE        | debit application |
      | unblock the SSSE PIN with a new PIN | PSE             |
      | unblock the SSSE PIN with a new PIN | debit application |
      | change the SSSE PIN to a new PIN  | PSE               |
      | change the SSSE PIN to a new PIN  | debit application |

  @req:CARD-FW-06
  Scenario Outline: The SSSE's "<command>" sent in the debit application does not block it
    When I select the debit application
    And I <command>
    Then the status word signals an error
    When I select the debit application
    Then the status word is 9000
    When I start a transaction
    Then the status word is 9000

    Examples:
      | command                    |
      | block the SSSE application |
      | block the card in the SSSE |

  @req:CARD-FW-06
  Scenario: GET PROCESSING OPTIONS sent while the SSSE is current is refused and uses up no ATC
    When I select the debit application
    And I start a transaction
    And I select the SSSE
    And I start a transaction
    Then the status word signals an error
    When I select the debit application
    Then the ATC has increased by 1

  @req:CARD-FW-06
  Scenario: GENERATE AC sent while the SSSE is current is refused and leaves no transaction behind
    When I select the debit application
    And I start a transaction
    And I select the SSSE
    And I ask for an ARQC
    Then the status word signals an error
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    Then the card answers an ARQC
    And the card verification results do not say "last online transaction not completed"

  @req:CARD-FW-06
  Scenario Outline: GET DATA <tag> sent while the SSSE is current is refused
    When I select the SSSE
    And I get the data object <tag>
    Then the status word signals an error

    Examples:
      | tag  |
      | 9F36 |
      | 9F17 |
      | 9F13 |

  @req:CARD-FW-06
  Scenario Outline: The financial issuer's script "<script>" sent while the SSSE is current is refused and blocks nothing
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And I select the SSSE
    And the issuer sends the script "<script>"
    Then the status word signals an error
    When I select the SSSE
    Then the status word is 9000
    When I select the debit application
    Then the status word is 9000

    Examples:
      | script              |
      | application block   |
      | application unblock |
      | card block          |

  @req:CARD-FW-06
  Scenario: The financial issuer's PUT DATA sent while the SSSE is current is refused and changes nothing
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And I select the SSSE
    And the issuer sets the data object 9F23 to "0A"
    Then the status word signals an error
    When I select the debit application
    Then the data object 9F23 has the value of the profile

  @req:CARD-FW-06
  Scenario: The financial issuer's PIN UNBLOCK sent while the SSSE is current restores neither PIN's tries
    When I select the debit application
    And I verify a wrong offline PIN
    And I start a transaction
    And I ask for an ARQC
    And I select the SSSE
    And I verify the SSSE PIN with a wrong PIN
    And the issuer sends the script "PIN unblock"
    Then the status word signals an error
    And the SSSE PIN has 2 tries left
    When I select the debit application
    Then the PIN try counter is 2

  @req:CARD-FW-06
  Scenario: The SSSE's CHANGE PIN sent to the offline PIN reference in the debit application is refused and changes nothing
    When I select the debit application
    And I verify a wrong offline PIN
    Then the PIN try counter is 2
    When I send the SSSE's CHANGE PIN on the offline PIN reference with the offline PIN
    Then the status word signals an error
    When I select the debit application
    Then the PIN try counter is 2
    When I start a transaction
    And I verify the offline PIN
    Then the status word is 9000

  @req:CARD-FW-07
  Scenario Outline: The financial issuer's <script> leaves the SSSE working
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer sends the script "<script>"
    Then the status word is 9000
    When I select the debit application
    Then the status word is <sw>
    Given I have read access to the SSSE basic data
    When I read record 1 of SFI 5
    Then the status word is 9000
    When I verify the SSSE PIN
    Then the status word is 9000
    When I authenticate with the SSSE key 1
    Then the status word is 9000

    Examples:
      | script            | sw   |
      | application block | 6283 |
      | card block        | 9303 |

  @req:CARD-FW-07
  Scenario: The financial issuer's PIN UNBLOCK leaves the SSSE PIN's try counter as it was
    When I select the SSSE
    And I verify the SSSE PIN with a wrong PIN
    And I verify the SSSE PIN with a wrong PIN
    Then the SSSE PIN has 1 tries left
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer sends the script "PIN unblock"
    Then the status word is 9000
    When I select the SSSE
    Then the SSSE PIN has 1 tries left

  @req:CARD-FW-07
  Scenario: The SSSE's PIN UNBLOCK leaves the offline PIN's try counter as it was
    When I select the debit application
    And I start a transaction
    And I verify a wrong offline PIN
    And I verify a wrong offline PIN
    Then the PIN try counter is 1
    When I select the SSSE
    And I unblock the SSSE PIN with a new PIN
    Then the status word is 9000
    When I select the debit application
    And I start a transaction
    Then the PIN try counter is 1

  @req:CARD-FW-07
  Scenario: The financial issuer's APPLICATION BLOCK survives a reset, and the SSSE still works after it
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer sends the script "application block"
    Then the status word is 9000
    Given the card is reset
    When I select the debit application
    Then the status word is 6283
    When I select the SSSE
    And I verify the SSSE PIN
    Then the status word is 9000

  @req:CARD-FW-07
  Scenario: The SSSE's APPLICATION UNBLOCK does not lift the financial issuer's APPLICATION BLOCK
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer sends the script "application block"
    Then the status word is 9000
    When I select the SSSE
    And I block the SSSE application
    And I select the SSSE
    And I unblock the SSSE application
    Then the status word is 9000
    When I select the SSSE
    Then the status word is 9000
    When I select the debit application
    Then the status word is 6283

  @req:CARD-FW-07
  Scenario: The financial issuer's APPLICATION UNBLOCK does not lift the SSSE's APPLICATION BLOCK
    When I select the SSSE
    And I block the SSSE application
    Then the status word is 9000
    When I select the debit application
    And I start a transaction
    And I ask for an ARQC
    And the issuer sends the script "application unblock"
    Then the status word is 9000
    When I select the SSSE
    Then the status word is 6283

  @req:CARD-FW-07
  Scenario Outline: The SSSE's <block> leaves the debit application transacting
    When I select the SSSE
    And I <block>
    Then the status word is 9000
    When I select the SSSE
    Then the status word is <sw>
    When I select the debit application
    Then the status word is 9000
    When I start a transaction
    And I verify the offline PIN
    Then the status word is 9000
    When I ask for an ARQC
    Then the card answers an ARQC
    And the application cryptogram verifies with the issuer master key

    Examples:
      | block                      | sw   |
      | block the SSSE application | 6283 |
      | block the card in the SSSE | 9303 |
