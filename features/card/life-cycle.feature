Feature: Card life cycle
  A card leaves the factory holding only the card master key. The
  personaliser creates the SSSE and the PSE with it, loads their master keys,
  and each environment master key then sets up its own environment and
  activates it; from then on the access conditions of every file apply.

  @req:CARD-LC-01 @needs:simulator
  Scenario: A blank card has neither an SSSE nor a PSE
    Given a blank card
    When I select the SSSE
    Then the status word is 6A82
    When I select the PSE
    Then the status word is 6A82

  @req:CARD-LC-01 @needs:simulator @needs:key-info
  Scenario: The key file of a blank card holds the card master key
    Given a blank card
    When I send the APDU "80 CA 00 00 00"
    Then the status word is 9000
    When I authenticate with the card master key
    Then the status word is 9000

  @req:CARD-LC-01 @req:KEY-AUTH-01 @needs:simulator
  Scenario: A wrong card master key is refused with the tries left
    Given a blank card
    When I authenticate with a wrong card master key
    Then the status word is 63CE

  @req:CARD-LC-02 @needs:simulator
  Scenario: A new environment has no keys until its master key is loaded
    Given a blank card
    When I authenticate with the card master key
    And I create the SSSE environment
    And I select the SSSE
    And I authenticate with the SSSE master key
    Then the status word is 6A88

  @req:CARD-LC-02 @needs:simulator
  Scenario: A new environment cannot take application keys under its own master key before it has one
    Given a blank card
    When I authenticate with the card master key
    And I create the PSE environment
    And I select the PSE
    And I load a new 3DES external-auth key 1 into the PSE under its master key
    Then the status word is 6A88

  @req:CARD-LC-04 @req:CARD-COS-01 @needs:simulator
  Scenario: The personalisation script turns a blank card into the card of the profile
    Given a blank card
    When I personalise the card with the profile script
    And I have read access to the SSSE basic data
    And I read the basic data
    Then the basic data are those of the profile
    When I select the PSE
    And I read record 1 of SFI 1
    Then the response data is record 1 of 3F00/DDF2/EF01

  @req:CARD-LC-03
  Scenario: After activation an EF whose update condition is never cannot be written, even with the master key
    When I select the SSSE
    And I authenticate with the SSSE master key
    And I select the file EF05
    And I send the APDU "00 DC 01 04 12 01 10 31 01 00 44 31 35 36 30 30 30 30 30 35 41 31 42"
    Then the status word is 6982

  @req:CARD-LC-03
  Scenario: After activation an EF whose update condition is a key needs that key, not the master key
    When I select the SSSE
    And I authenticate with the SSSE master key
    And I select the file EF0A
    And I write "11 22 33 44" at offset 0 of the current EF
    Then the status word is 6982
    When I authenticate with the SSSE key 1
    And I write "11 22 33 44" at offset 0 of the current EF
    Then the status word is 9000

  @req:CARD-LC-03
  Scenario Outline: The <env> cannot be activated twice
    When I select the <env>
    And I authenticate with the <env> master key
    And I activate the current environment
    Then the status word is 6985

    Examples:
      | env  |
      | SSSE |
      | PSE  |

  @req:CARD-LC-03 @needs:simulator
  Scenario: Activation needs the environment master key: without it 6982, and the environment stays in personalisation
    Given a blank card
    When I authenticate with the card master key
    And I create the SSSE environment
    And I select the SSSE
    And I load the SSSE master key under the card master key
    And I activate the current environment
    Then the status word is 6982
    When I authenticate with the SSSE master key
    And I activate the current environment
    Then the status word is 9000

  @req:CARD-LC-03 @needs:simulator
  Scenario: Before activation the environment master key writes files whatever their update condition
    Given a blank card
    When I authenticate with the card master key
    And I create the SSSE environment
    And I select the SSSE
    And I load the SSSE master key under the card master key
    And I authenticate with the SSSE master key
    And I create a transparent EF 0E01 in the current DF
    And I select the file 0E01
    And I write "AA BB" at offset 0 of the current EF
    Then the status word is 9000
