Feature: Transmission under T=0
  ISO/IEC 7816-3:2006 §10.3.5 and ISO/IEC 7816-4:2005 §7.6.1. Under T=0 the
  card cannot send response data for a command that carried data: it answers
  61xx and the terminal fetches the bytes with GET RESPONSE. A case 2 command
  with the wrong Le is answered with 6Cxx and the exact length.

  @req:CARD-T0-01 @needs:t0
  Scenario: A case 4 SELECT is answered with 61xx, and GET RESPONSE returns the FCI
    When I send the raw APDU "00 A4 04 00 0E 31 50 41 59 2E 53 59 53 2E 44 44 46 30 31 00"
    Then the status word is 61XX
    When I send GET RESPONSE with Le 28
    Then the status word is 9000
    And the response is an FCI template with the DF name of 3F00/DDF2

  @req:CARD-T0-01 @needs:t0
  Scenario: GET RESPONSE with a smaller Le returns part of the data and 61xx for the rest
    When I send the raw APDU "00 A4 04 00 0E 31 50 41 59 2E 53 59 53 2E 44 44 46 30 31 00"
    Then the status word is 611C
    When I send GET RESPONSE with Le 16
    Then the status word is 610C
    And the response data has 16 bytes
    When I send GET RESPONSE with Le 12
    Then the status word is 9000
    And the response data has 12 bytes

  @req:CARD-T0-01 @needs:t0
  Scenario: The terminal's transport layer fetches the data transparently
    When I send the APDU "00 A4 04 00 0E 31 50 41 59 2E 53 59 53 2E 44 44 46 30 31 00"
    Then the status word is 9000
    And the response is an FCI template with the DF name of 3F00/DDF2

  @req:CARD-T0-02 @needs:t0
  Scenario: READ RECORD with a wrong Le is answered with 6Cxx, and succeeds with that Le
    When I select the file 0016
    And I read record 1 of SFI 22 with Le 4 without transport handling
    Then the status word is 6C08
    When I read record 1 of SFI 22 with Le 8 without transport handling
    Then the status word is 9000
    And the response data is record 1 of 3F00/0016

  @req:CARD-T0-02 @needs:t0
  Scenario: GET RESPONSE with a larger Le than pending is answered with 6Cxx
    When I send the raw APDU "00 A4 04 00 0E 31 50 41 59 2E 53 59 53 2E 44 44 46 30 31 00"
    Then the status word is 611C
    When I send GET RESPONSE with Le 40
    Then the status word is 6C1C
    When I send GET RESPONSE with Le 28
    Then the status word is 9000

  @req:CARD-GR-01
  Scenario: GET RESPONSE with nothing pending is refused without data
    When I select the file 2F02 asking for no response data
    And I send GET RESPONSE with Le 16
    Then the status word signals an error
    And the response data is empty

  @req:CARD-GR-01 @needs:t0
  Scenario: Another command drops the pending response
    When I send the raw APDU "00 A4 04 00 0E 31 50 41 59 2E 53 59 53 2E 44 44 46 30 31 00"
    Then the status word is 61XX
    When I send the raw APDU "00 A4 00 0C 02 2F 02"
    And I send GET RESPONSE with Le 28
    Then the status word signals an error
    And the response data is empty

  @req:CARD-GR-01
  Scenario: GET RESPONSE with P1-P2 other than 0000 gives 6A86
    When I send the raw APDU "00 C0 01 00 10"
    Then the status word is 6A86
