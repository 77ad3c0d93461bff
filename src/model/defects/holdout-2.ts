/**
 * The second hold-out set: like model/defects/holdout.ts, card defects written
 * from the simulator and the standards without reading the scenarios, after
 * the scenarios had been strengthened against the first set — a fresh measure
 * (`ssc-lab mutation --set holdout-2`). Their `requirements` are left empty on
 * purpose: which scenarios catch them is what the mutation run measures.
 */
import type { DefectInfo } from './info.ts';

const FIREWALL = 'the overall scheme of 人社部发〔2011〕83号 一(一)2 (firewall between the applications)';
/** The 3.00 SM4 profile: the defects of the SM suite and of SM4 keys show only there. */
const SM4_PROFILE = 'profiles/ssc-3.0-sm4.json';
const TEAR = 'LD/T 6001 part 2 (anti-tear): a write the card acknowledged survives a power loss';

export const HOLDOUT_2_DEFECTS = [
  // --- ISO/IEC 7816 basics ---------------------------------------------------------------------
  {
    id: 'select-next-occurrence-restarts',
    class: 'iso7816',
    rule: 'SELECT by DF name with P2 "next occurrence" selects the DF after the one selected before (ISO/IEC 7816-4 §7.1.1 Table 40)',
    requirements: [],
  },
  {
    id: 'select-fcp-answers-fci',
    class: 'iso7816',
    rule: 'SELECT with P2 = 04 returns the FCP template 62, not the FCI template 6F (ISO/IEC 7816-4 §7.1.1 Table 40, §5.3.3)',
    requirements: [],
  },
  {
    id: 'get-response-ignores-le',
    class: 'iso7816',
    rule:
      'GET RESPONSE with Le shorter than the data waiting returns Le bytes and 61xx for the rest ' +
      '(ISO/IEC 7816-4 §7.6.1; ISO/IEC 7816-3 §10.3.5), not everything with 9000',
    requirements: [],
  },
  {
    id: 'read-record-current-reads-first',
    class: 'iso7816',
    rule: 'READ RECORD with P1 = 00 and P2 b3-b1 = 100 reads the current record (ISO/IEC 7816-4 §7.3.3 Table 49), not record 1',
    requirements: [],
  },
  {
    id: 'security-not-satisfied-as-6985',
    class: 'iso7816',
    rule: 'an update whose access condition is not met is refused with 6982 (ISO/IEC 7816-4 §5.1.3 Table 6; docs/ssse.md §9), not 6985',
    requirements: [],
  },
  {
    id: 'gac-rfu-reference-control-accepted',
    class: 'iso7816',
    rule:
      'GENERATE AC with the reference control parameter bits 8-7 = 11 (RFU) is refused with 6A86 ' +
      '(EMV 4.3 Book 3 §6.5.5.2 Table 12), not answered as an ARQC request',
    requirements: [],
  },
  // --- near misses -----------------------------------------------------------------------------
  {
    id: 'read-binary-offset-at-end-empty',
    class: 'near-miss',
    rule:
      'READ BINARY with Le ≥ 1 at an offset equal to the size of the EF is refused with 6B00 (ISO/IEC 7816-4 §7.2.3), ' +
      'not answered empty',
    requirements: [],
  },
  {
    id: 'update-record-one-past-end-appends',
    class: 'near-miss',
    rule: 'UPDATE RECORD of the record number after the last one answers 6A83 and adds no record (ISO/IEC 7816-4 §7.3.5)',
    requirements: [],
  },
  {
    id: 'change-pin-short-new-pin',
    class: 'near-miss',
    rule:
      'CHANGE PIN refuses a new PIN shorter than 6 digits (6A80) and keeps the old one (docs/ssse.md §4; LD/T 32 PIN ' +
      'of 6 to 12 digits)',
    requirements: [],
  },
  {
    id: 'access-any-authenticated-key',
    class: 'near-miss',
    rule:
      'an access condition naming key n is met only by an authentication with key n (ISO/IEC 7816-4 §5.4; docs/ssse.md §4), ' +
      'not by any key of the environment',
    requirements: [],
  },
  {
    id: 'sm4-external-auth-half-cryptogram',
    class: 'near-miss',
    rule:
      'with an SM4 key EXTERNAL AUTHENTICATE takes the whole 16-byte cryptogram (ISO/IEC 7816-4 §7.5.4; docs/ssse.md §8), ' +
      'not an 8-byte one compared on its first half',
    requirements: [],
    profiles: [SM4_PROFILE],
  },
  // --- state after a failure -------------------------------------------------------------------
  {
    id: 'verify-without-data-spends-try',
    class: 'state-after-failure',
    rule: 'VERIFY without a data field only reports the tries left (63Cx) and spends none (ISO/IEC 7816-4 §7.5.6)',
    requirements: [],
  },
  {
    id: 'select-ef-clears-security-state',
    class: 'state-after-failure',
    rule:
      'selecting an EF or DF inside the current environment keeps its security state (ISO/IEC 7816-4 §5.4; ' +
      `${FIREWALL}: only another environment clears it)`,
    requirements: [],
  },
  {
    id: 'issuer-auth-failure-forgotten',
    class: 'state-after-failure',
    rule:
      'a failed issuer authentication is remembered for the next transaction, which goes online (EMV 4.3 Book 3 §10.8 ' +
      'card action analysis; JR/T 0025.5 Annex CVR "issuer authentication failed in the last online transaction")',
    requirements: [],
  },
  {
    id: 'last-online-atc-after-failed-issuer-auth',
    class: 'state-after-failure',
    rule:
      'the last online ATC register 9F13 is updated only by an online transaction whose issuer authentication did not fail ' +
      '(EMV 4.3 Book 3 §10.9, Annex A; docs/pboc-design.md)',
    requirements: [],
  },
  // --- freshness and replay --------------------------------------------------------------------
  {
    id: 'challenge-survives-reset',
    class: 'freshness',
    rule: 'a reset clears the challenge with the rest of the security state (ISO/IEC 7816-4 §5.4, §7.5.3): it serves no command after it',
    requirements: [],
  },
  {
    id: 'dda-dynamic-number-constant',
    class: 'freshness',
    rule:
      'the ICC dynamic number of DDA changes with every INTERNAL AUTHENTICATE (EMV 4.3 Book 2 §6.5.1): the same terminal ' +
      'data never gets the same signature twice',
    requirements: [],
  },
  {
    id: 'external-auth-without-challenge',
    class: 'freshness',
    rule:
      'EXTERNAL AUTHENTICATE without a challenge from GET CHALLENGE is refused (6984; ISO/IEC 7816-4 §7.5.3, §7.5.4), ' +
      'not checked against a challenge of zeros',
    requirements: [],
  },
  // --- firewall --------------------------------------------------------------------------------
  {
    id: 'read-record-sfi-card-wide',
    class: 'firewall',
    rule:
      `a short EF identifier names an EF of the current DF only (ISO/IEC 7816-4 §5.3.1): the PSE does not read the ` +
      `SSSE's EF05 by SFI (${FIREWALL})`,
    requirements: [],
  },
  {
    id: 'card-master-reloads-environment-master',
    class: 'firewall',
    rule:
      `the card master key loads only the first master key of an environment; once it has one, WRITE KEY P1 = 01 is ` +
      `refused (${FIREWALL}; LD/T 6001 part 3, key loading)`,
    requirements: [],
  },
  {
    id: 'script-pin-unblock-unblocks-all-pins',
    class: 'firewall',
    rule:
      `the PBOC issuer script PIN UNBLOCK resets the offline PIN's try counter only, not the SSSE PIN's ` +
      `(${FIREWALL}; JR/T 0025.5 §16)`,
    requirements: [],
  },
  // --- PBOC debit application ------------------------------------------------------------------
  {
    id: 'gpo-pdol-length-unchecked',
    class: 'pboc',
    rule:
      'GET PROCESSING OPTIONS whose template 83 does not have the length the PDOL asks for is refused with 6700 ' +
      '(EMV 4.3 Book 3 §6.5.8; JR/T 0025.5)',
    requirements: [],
  },
  {
    id: 'cda-signature-on-aac',
    class: 'pboc',
    rule: 'an AAC is never signed with CDA: the card returns the cryptogram 9F26, not 9F4B (EMV 4.3 Book 2 §6.6.1; EMV 4.3 Book 3 §6.5.5)',
    requirements: [],
  },
  {
    id: 'cvr-second-gac-type-not-set',
    class: 'pboc',
    rule:
      'the CVR of the second GENERATE AC tells the cryptogram type it returns in byte 2 bits 8-7 (JR/T 0025.5 Annex ' +
      'CVR; docs/pboc-design.md)',
    requirements: [],
  },
  {
    id: 'cvr-pin-try-limit-not-set',
    class: 'pboc',
    rule:
      'the offline PIN attempt that exhausts the try counter sets "PIN try limit exceeded" in the CVR (JR/T 0025.5 ' +
      'Annex CVR byte 3 bit 7)',
    requirements: [],
  },
  {
    id: 'atc-wraps-at-limit',
    class: 'pboc',
    rule:
      'an ATC at its maximum FFFF refuses further transactions (6985): it never rolls over to 0000 (EMV 4.3 Book 3 ' +
      'Annex A ATC; JR/T 0025.5)',
    requirements: [],
  },
  {
    id: 'transaction-log-oldest-first',
    class: 'pboc',
    rule:
      'the transaction log is cyclic: record 1 is the latest transaction and a full log drops its oldest (JR/T 0025.5 ' +
      'transaction log; ISO/IEC 7816-4 §7.3.6)',
    requirements: [],
  },
  {
    id: 'sm4-ac-padding-method-1',
    class: 'pboc',
    rule:
      'on the SM suite the application cryptogram is the SM4 CBC-MAC with padding method 2 (ISO/IEC 9797-1; JR/T ' +
      '0025.17; docs/pboc-design.md Suites)',
    requirements: [],
    profiles: [SM4_PROFILE],
  },
  {
    id: 'sm4-script-mac-under-ac-key',
    class: 'pboc',
    rule:
      'on the SM suite issuer scripts are MAC’d with the session key of UDK-MAC, not of UDK-AC (docs/pboc-design.md ' +
      'Keys; JR/T 0025.17)',
    requirements: [],
    profiles: [SM4_PROFILE],
  },
  {
    id: 'sm4-script-pin-change-3des',
    class: 'pboc',
    rule:
      'on the SM suite the PIN CHANGE script deciphers the new PIN block with SM4 under the session key of UDK-ENC ' +
      '(JR/T 0025.17; JR/T 0025.5 §16; docs/pboc-design.md Suites)',
    requirements: [],
    profiles: [SM4_PROFILE],
  },
  // --- life cycle and key loading --------------------------------------------------------------
  {
    id: 'write-key-zero-tries-accepted',
    class: 'life-cycle',
    rule: 'WRITE KEY refuses a try limit outside 1..15 (6A80; LD/T 6001 part 3 key loading, ISO/IEC 7816-4 §5.1.3 63Cx), not 0 read as 15',
    requirements: [],
  },
  {
    id: 'blocked-pboc-application-transacts',
    class: 'life-cycle',
    rule:
      'a financial application blocked by the APPLICATION BLOCK script answers no GET PROCESSING OPTIONS or GENERATE AC ' +
      '(EMV 4.3 Book 3 §6.5.1; JR/T 0025.5 §16) until it is unblocked',
    requirements: [],
  },
  {
    id: 'application-block-volatile',
    class: 'life-cycle',
    rule:
      'an SSSE APPLICATION BLOCK is persistent: after a reset the application is still blocked (6283 on selection) until ' +
      'APPLICATION UNBLOCK (docs/ssse.md §4; EMV 4.3 Book 3 §6.5.1)',
    requirements: [],
  },
  {
    id: 'application-unblock-resets-pin-tries',
    class: 'life-cycle',
    rule:
      'the SSSE APPLICATION UNBLOCK (maintenance key) unblocks the application only: a blocked PIN needs PIN UNBLOCK or ' +
      'RELOAD with its own key (docs/ssse.md §4; ISO/IEC 7816-4 §7.5.10)',
    requirements: [],
  },
  // --- anti-tear -------------------------------------------------------------------------------
  {
    id: 'update-acknowledged-before-commit',
    class: 'anti-tear',
    rule: `an update answered 9000 is in persistent memory: a power loss after the answer does not take it back (${TEAR})`,
    requirements: [],
  },
  {
    id: 'no-anti-tear-transaction-log',
    class: 'anti-tear',
    rule:
      `the transaction log takes a new record as a whole: a power loss leaves the log as it was or with the new ` +
      `record, never records duplicated (${TEAR})`,
    requirements: [],
  },
] as const satisfies readonly DefectInfo[];
