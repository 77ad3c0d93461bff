/** What the catalogue says of a deliberate defect (model/defects.ts). */
/** The classes of defect the suite must close (what real cards and terminals ship). */
export type DefectClass =
  | 'iso7816' //             ISO/IEC 7816 basics: status words, APDU cases, ATR, selection
  | 'state-after-failure' // the state a failing command leaves: try counters, security state
  | 'near-miss' //           a PIN, key, MAC or cryptogram wrong in its last digit or byte; both sides of a boundary
  | 'freshness' //           challenges single-use; replayed secured commands refused
  | 'firewall' //            data, keys, commands and blocking kept apart between the SSSE and the PSE
  | 'pboc' //                the PBOC debit application: scripts, issuer authentication, ATC, CVR, CDA
  | 'anti-tear' //           every persistent write all-or-nothing under a power loss
  | 'life-cycle' //          blocking, unblocking, key loading and the life-cycle states
  | 'terminal'; //           the reference terminals' processing

export interface DefectInfo {
  readonly id: string;
  readonly class: DefectClass;
  /** The rule the defect breaks, in one sentence, with its source. */
  readonly rule: string;
  /** Catalogue requirement ids whose scenarios are expected to catch it. */
  readonly requirements: readonly string[];
  /**
   * The profiles (paths from the project root) the defect runs on instead of
   * the campaign's: a defect that can show only on one cipher suite or
   * version (an SM4 cryptogram on the 3.00 SM4 profile).
   */
  readonly profiles?: readonly string[];
}
