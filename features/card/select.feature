Feature: SELECT
  ISO/IEC 7816-4:2005 §7.1.1. The card selects the MF, DFs and EFs by
  identifier, by DF name and by path, returns FCI or FCP as P2 asks, and keeps
  the current selection when a SELECT fails.

  @req:CARD-SEL-01
  Scenario: The MF is selected by its identifier 3F00
    When I select the MF
    Then the status word is 9000
