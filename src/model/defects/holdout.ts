/**
 * The hold-out set: card defects written apart from the scenarios, by reading
 * the simulator and the standards only, to measure the suite on faults it was
 * not written against (`ssc-lab mutation --set holdout`). They are not part
 * of the default campaign, whose defects the scenarios were written to catch.
 * Their `requirements` are left empty on purpose: which scenarios catch them
 * is what the mutation run measures.
 */
import type { DefectInfo } from './info.ts';

const FIREWALL = 'the overall scheme of 人社部发〔2011〕83号 一(一)2 (firewall between the applications)';
/** The 3.00 SM4 profile: the defects of the SM suite (and of the read key of 3.00 cards) show only there. */
const SM4_PROFILE = 'profiles/ssc-3.0-sm4.json';
const TEAR = 'LD/T 6001 part 2 (anti-tear): a write interrupted by a power loss leaves the old or the new data, never a mix';

export const HOLDOUT_DEFECTS = [
  // --- ISO/IEC 7816 basics ---------------------------------------------------------------------
  {
    id: 'failed-select-resets-current-df',
    class: 'iso7816',
    rule: 'a SELECT that fails (6A82) leaves the current DF and EF as they were (ISO/IEC 7816-4 §7.1.1)',
    requirements: [],
  },
  {
    id: 'read-binary-sfi-not-made-current',
    class: 'iso7816',
    rule: 'READ BINARY with a short EF identifier in P1 makes that EF the current EF (ISO/IEC 7816-4 §7.2.2, §7.2.3)',
    requirements: [],
  },
  {
    id: 'blocked-application-selects-9000',
    class: 'iso7816',
    rule: 'selecting a temporarily blocked application answers the warning 6283 (ISO/IEC 7816-4 §5.1.3 Table 5; docs/ssse.md §4)',
    requirements: [],
  },
  {
    id: 'append-record-full-linear-overwrites-last',
    class: 'iso7816',
    rule: 'APPEND RECORD to a full linear EF is refused with 6A84 and changes nothing (ISO/IEC 7816-4 §7.3.6)',
    requirements: [],
  },
  {
    id: 'read-record-sfi-skips-read-condition',
    class: 'iso7816',
    rule:
      'READ RECORD checks the read condition of the EF however it is addressed, by SFI too ' +
      '(ISO/IEC 7816-4 §5.4, §7.3.3; docs/ssse.md §4: EF05/EF06 behind the read key on 3.00 cards)',
    requirements: [],
    profiles: [SM4_PROFILE],
  },
  // --- state after a failure -------------------------------------------------------------------
  {
    id: 'pin-try-counter-volatile',
    class: 'state-after-failure',
    rule: 'the PIN try counter is persistent: a reset does not give back the tries spent (ISO/IEC 7816-4 §7.5.6; docs/ssse.md §4)',
    requirements: [],
  },
  {
    id: 'change-pin-wrong-old-not-counted',
    class: 'state-after-failure',
    rule: 'a CHANGE PIN with a wrong old PIN decrements the PIN try counter like a wrong VERIFY (ISO/IEC 7816-4 §7.5.7; docs/ssse.md §4)',
    requirements: [],
  },
  {
    id: 'pin-length-mismatch-not-counted',
    class: 'state-after-failure',
    rule: 'a wrong PIN decrements the try counter whatever its length (ISO/IEC 7816-4 §7.5.6): a length check first is a free try',
    requirements: [],
  },
  {
    id: 'key-blocked-still-authenticates',
    class: 'state-after-failure',
    rule: 'a key whose try counter reached zero is blocked (6983): not even the right cryptogram is accepted (ISO/IEC 7816-4 §7.5.4)',
    requirements: [],
  },
  {
    id: 'issuer-auth-retry-after-failure',
    class: 'state-after-failure',
    rule:
      'issuer authentication is attempted once per transaction: after a failed ' +
      'ARPC a second EXTERNAL AUTHENTICATE is refused (EMV 4.3 Book 3 §6.5.4)',
    requirements: [],
  },
  // --- near misses -----------------------------------------------------------------------------
  {
    id: 'update-binary-one-past-end',
    class: 'near-miss',
    rule: 'UPDATE BINARY whose data run past the end of the EF, even by one byte, is refused and writes nothing (ISO/IEC 7816-4 §7.2.5)',
    requirements: [],
  },
  {
    id: 'read-record-one-past-end',
    class: 'near-miss',
    rule: 'READ RECORD of the record number after the last one answers 6A83 (ISO/IEC 7816-4 §7.3.3), not erased memory',
    requirements: [],
  },
  {
    id: 'pin-extra-digits-accepted',
    class: 'near-miss',
    rule: 'a PIN longer than the reference PIN is wrong (ISO/IEC 7816-4 §7.5.6), also when it begins with the reference PIN',
    requirements: [],
  },
  {
    id: 'internal-auth-random-truncated',
    class: 'near-miss',
    rule: "the SSSE's INTERNAL AUTHENTICATE enciphers the whole 8-byte random of the terminal (docs/ssse.md §4), not its first 4 bytes",
    requirements: [],
  },
  {
    id: 'sm4-arpc-compared-on-4-bytes',
    class: 'near-miss',
    rule:
      'on an SM suite card issuer authentication compares the whole 8-byte ' +
      'ARPC (EMV 4.3 Book 3 §6.5.4; JR/T 0025.17; docs/pboc-design.md)',
    requirements: [],
    profiles: [SM4_PROFILE],
  },
  // --- freshness and replay --------------------------------------------------------------------
  {
    id: 'challenge-kept-after-wrong-mac',
    class: 'freshness',
    rule:
      'the challenge under a secured command serves that command whatever its ' +
      'outcome: a wrong MAC uses it up too (ISO/IEC 7816-4 §7.5.3; docs/ssse.md §6)',
    requirements: [],
  },
  {
    id: 'challenge-half-constant',
    class: 'freshness',
    rule:
      'GET CHALLENGE returns an unpredictable number of the length asked ' +
      '(ISO/IEC 7816-4 §7.5.3): no byte of an 8-byte challenge is fixed',
    requirements: [],
  },
  {
    id: 'script-mac-from-earlier-transaction',
    class: 'freshness',
    rule:
      'an issuer script command is accepted only with a MAC made for the current ' +
      'transaction, its ATC and ARQC (JR/T 0025.5 §16; docs/pboc-design.md Keys)',
    requirements: [],
  },
  {
    id: 'cryptogram-ignores-unpredictable-number',
    class: 'freshness',
    rule:
      'the application cryptogram covers all the CDOL data, the unpredictable ' +
      'number 9F37 included (EMV 4.3 Book 2 §8.1.1; docs/pboc-design.md)',
    requirements: [],
  },
  {
    id: 'gac-without-gpo',
    class: 'freshness',
    rule:
      'GENERATE AC without a transaction started by GET PROCESSING OPTIONS (which ' +
      'counts the ATC) is refused with 6985 (EMV 4.3 Book 3 §6.5.5, §10.1)',
    requirements: [],
  },
  // --- firewall --------------------------------------------------------------------------------
  {
    id: 'challenge-crosses-firewall',
    class: 'firewall',
    rule: `a challenge obtained in one environment is cleared when another is entered and serves no command there (${FIREWALL})`,
    requirements: [],
  },
  {
    id: 'verify-pin-lookup-card-wide',
    class: 'firewall',
    rule: `VERIFY looks the PIN up only in the current environment: the SSSE does not verify the PSE's offline PIN (${FIREWALL})`,
    requirements: [],
  },
  {
    id: 'ssse-unblock-unblocks-pse',
    class: 'firewall',
    rule: `the SSSE APPLICATION UNBLOCK unblocks the SSSE only, not a financial application blocked by its issuer (${FIREWALL})`,
    requirements: [],
  },
  {
    id: 'ssse-internal-auth-in-pse',
    class: 'firewall',
    rule:
      `the SSSE's INTERNAL AUTHENTICATE (00 88) answers only in the SSSE ` +
      `and the debit ADF's DDA, not in the PSE directory (${FIREWALL})`,
    requirements: [],
  },
  // --- PBOC debit application ------------------------------------------------------------------
  {
    id: 'sm-card-ignores-terminal-suite',
    class: 'pboc',
    rule:
      'an SM-only card refuses GET PROCESSING OPTIONS from a terminal ' +
      'announcing DF69 = 00 (6985) (docs/pboc-design.md Suites; JR/T 0025.17)',
    requirements: [],
    profiles: [SM4_PROFILE],
  },
  {
    id: 'sm4-ac-without-session-key',
    class: 'pboc',
    rule:
      'on the SM suite the application cryptogram is made with the session key from ' +
      'UDK-AC and the ATC, not with the UDK (docs/pboc-design.md Keys; JR/T 0025.17)',
    requirements: [],
    profiles: [SM4_PROFILE],
  },
  {
    id: 'sm4-iad-names-3des',
    class: 'pboc',
    rule:
      'the issuer application data of an SM suite card names the SM algorithm ' +
      '(04), not 3DES (JR/T 0025.17; JR/T 0025.5 issuer application data)',
    requirements: [],
    profiles: [SM4_PROFILE],
  },
  {
    id: 'cvr-issuer-auth-failure-not-set',
    class: 'pboc',
    rule:
      'a failed issuer authentication sets "issuer authentication failed" in the ' +
      'CVR of the next cryptogram (JR/T 0025.5 Annex CVR; docs/pboc-design.md)',
    requirements: [],
  },
  {
    id: 'cvr-script-counter-not-set',
    class: 'pboc',
    rule: 'the CVR counts the issuer script commands processed in the transaction (JR/T 0025.5 Annex CVR byte 4; EMV 4.3 Book 3 §10.10)',
    requirements: [],
  },
  {
    id: 'second-gac-after-offline-decision',
    class: 'pboc',
    rule:
      'after a TC or AAC in the first GENERATE AC the transaction is over: a ' +
      'further GENERATE AC is refused with 6985 (EMV 4.3 Book 3 §6.5.5; JR/T 0025.5 card action analysis)',
    requirements: [],
  },
  {
    id: 'offline-pin-blocked-accepts-right-pin',
    class: 'pboc',
    rule:
      'an offline PIN whose try counter reached zero is blocked (6983): ' +
      'the right PIN is refused too (EMV 4.3 Book 3 §6.5.12; JR/T 0025.5)',
    requirements: [],
  },
  // --- anti-tear -------------------------------------------------------------------------------
  {
    id: 'journal-overflow-commits-early',
    class: 'anti-tear',
    rule:
      `a command's writes go through the journal together whatever their ` +
      `number; a journal of 4 entries must not commit early (${TEAR})`,
    requirements: [],
  },
  {
    id: 'no-anti-tear-second-gac',
    class: 'anti-tear',
    rule:
      `the second GENERATE AC updates the risk data (last online ATC, "online ` +
      `not completed", issuer authentication result) together (${TEAR})`,
    requirements: [],
  },
  // --- life cycle and key loading --------------------------------------------------------------
  {
    id: 'write-key-version-kept',
    class: 'life-cycle',
    rule: 'WRITE KEY replacing a key loads its new version with its value (LD/T 6001 part 3, key loading and KEY_VER)',
    requirements: [],
  },
  {
    id: 'write-key-keeps-try-counter',
    class: 'life-cycle',
    rule:
      'WRITE KEY replacing a key sets its try counter to the new maximum: ' +
      'reloading a blocked key unblocks it (LD/T 6001 part 3, key loading)',
    requirements: [],
  },
  {
    id: 'blocked-application-accepts-updates',
    class: 'life-cycle',
    rule:
      'a temporarily blocked application refuses UPDATE BINARY and UPDATE RECORD ' +
      '(6A81) until it is unblocked (docs/ssse.md §4; EMV 4.3 Book 3 §6.5.1)',
    requirements: [],
  },
] as const satisfies readonly DefectInfo[];
