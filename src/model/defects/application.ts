/**
 * Card defects of the applications: the firewall, the PBOC debit application,
 * anti-tear of every write, life cycle (see model/defects.ts).
 */
import type { DefectInfo } from './info.ts';

const FIREWALL = 'the overall scheme of 人社部发〔2011〕83号 一(一)2 (firewall between the applications)';
const TEAR = 'LD/T 6001 part 2 (anti-tear): a write interrupted by a power loss leaves the old or the new data, never a mix';

export const APPLICATION_DEFECTS = [
  // firewall
  {
    id: 'ssse-change-pin-outside-ssse',
    class: 'firewall',
    rule: `the SSSE's CHANGE PIN (80 5E) answers only in the SSSE, not in the PSE or the MF (${FIREWALL}; docs/ssse.md §4)`,
    requirements: ['CARD-FW-06'],
  },
  {
    id: 'pboc-commands-in-ssse',
    class: 'firewall',
    rule: `GET PROCESSING OPTIONS, GENERATE AC and GET DATA of the debit application do not answer in the SSSE (${FIREWALL})`,
    requirements: ['CARD-FW-06'],
  },
  {
    id: 'pboc-application-block-card-wide',
    class: 'firewall',
    rule:
      `a PBOC APPLICATION BLOCK script blocks the financial application only; the SSSE ` +
      `keeps working (${FIREWALL}; docs/pboc-design.md)`,
    requirements: ['CARD-FW-07'],
  },
  {
    id: 'pboc-card-block-card-wide',
    class: 'firewall',
    rule: `a PBOC CARD BLOCK script stops the financial application for good, not the social-security one (${FIREWALL})`,
    requirements: ['CARD-FW-07', 'CARD-PBOC-SCR-03'],
  },
  {
    id: 'ssse-block-blocks-pse',
    class: 'firewall',
    rule: `an SSSE APPLICATION BLOCK (maintenance key) blocks the SSSE only; the PSE keeps working (${FIREWALL}; docs/ssse.md)`,
    requirements: ['CARD-FW-07', 'CARD-SSSE-BLK-01'],
  },
  {
    id: 'ssse-key-lookup-card-wide',
    class: 'firewall',
    rule:
      `keys are looked up only in the current environment: the SSSE's INTERNAL AUTHENTICATE does ` +
      `not find a key of another environment (${FIREWALL})`,
    requirements: ['CARD-FW-03'],
  },
  // PBOC debit application
  {
    id: 'script-mac-unchecked-application-block',
    class: 'pboc',
    rule:
      'the issuer script APPLICATION BLOCK (84 1E) is executed only with the right script MAC ' +
      '(JR/T 0025.5 §16 issuer scripts; EMV 4.3 Book 3 §6.5.1)',
    requirements: ['CARD-PBOC-SCR-01'],
  },
  {
    id: 'script-mac-last-byte-application-unblock',
    class: 'pboc',
    rule:
      'the issuer script APPLICATION UNBLOCK (84 18) compares the whole script MAC, its last ' +
      'byte too (JR/T 0025.5 §16; EMV 4.3 Book 3 §6.5.2)',
    requirements: ['CARD-PBOC-SCR-01'],
  },
  {
    id: 'script-mac-unchecked-card-block',
    class: 'pboc',
    rule: 'the issuer script CARD BLOCK (84 16) is executed only with the right script MAC (JR/T 0025.5 §16; EMV 4.3 Book 3 §6.5.3)',
    requirements: ['CARD-PBOC-SCR-01'],
  },
  {
    id: 'script-mac-last-byte-pin-change',
    class: 'pboc',
    rule:
      'the issuer script PIN CHANGE/UNBLOCK (84 24) compares the whole script MAC, its last ' +
      'byte too (JR/T 0025.5 §16; EMV 4.3 Book 3 §6.5.10)',
    requirements: ['CARD-PBOC-SCR-01'],
  },
  {
    id: 'script-mac-unchecked-put-data',
    class: 'pboc',
    rule: 'the issuer script PUT DATA (04 DA) is executed only with the right script MAC (JR/T 0025.5 §16 issuer scripts)',
    requirements: ['CARD-PBOC-SCR-01'],
  },
  {
    id: 'issuer-auth-approves-declining-arc',
    class: 'pboc',
    rule:
      'after a valid ARPC the second GENERATE AC still follows the ARC: a declining ARC gives an AAC, not ' +
      'a TC (EMV 4.3 Book 3 §6.5.5; JR/T 0025.5 card action analysis)',
    requirements: ['CARD-PBOC-IA-02', 'CARD-PBOC-IA-01'],
  },
  {
    id: 'arpc-last-byte-ignored',
    class: 'pboc',
    rule: 'issuer authentication compares the whole ARPC, its last byte too (EMV 4.3 Book 3 §6.5.4; EMV 4.3 Book 2 §8.2.1 ARPC method 1)',
    requirements: ['CARD-PBOC-IA-01'],
  },
  {
    id: 'cda-first-gac-only',
    class: 'pboc',
    rule:
      'a second GENERATE AC asking for CDA returns signed dynamic data 9F4B as the first ' +
      'does (EMV 4.3 Book 2 §6.6; EMV 4.3 Book 3 §6.5.5)',
    requirements: ['CARD-PBOC-ODA-03'],
  },
  {
    id: 'atc-incremented-by-second-gac',
    class: 'pboc',
    rule:
      'the ATC is incremented once per transaction, at GET PROCESSING OPTIONS; both GENERATE ACs ' +
      'carry the same ATC (EMV 4.3 Book 3 §6.5.8, Annex A ATC)',
    requirements: ['CARD-PBOC-ATC-01'],
  },
  {
    id: 'atc-rolled-back-on-offline-decline',
    class: 'pboc',
    rule: 'the ATC never repeats: a transaction declined offline keeps its ATC counted (EMV 4.3 Book 3 Annex A ATC; JR/T 0025.5)',
    requirements: ['CARD-PBOC-ATC-01'],
  },
  {
    id: 'cvr-offline-pin-failure-not-set',
    class: 'pboc',
    rule:
      'a failed offline PIN sets "offline PIN verification failed" in the CVR of the issuer ' +
      'application data (JR/T 0025.5 Annex CVR; docs/pboc-design.md)',
    requirements: ['CARD-PBOC-CVR-01'],
  },
  {
    id: 'cvr-offline-pin-performed-not-set',
    class: 'pboc',
    rule: 'a successful offline PIN sets "offline PIN verification performed" in the CVR (JR/T 0025.5 Annex CVR; docs/pboc-design.md)',
    requirements: ['CARD-PBOC-CVR-01'],
  },
  {
    id: 'sm4-cryptogram-last-byte-wrong',
    class: 'pboc',
    rule:
      'on an SM suite card the application cryptogram is the full SM4 MAC over the CDOL data, AIP, ATC ' +
      'and CVR (JR/T 0025.17; JR/T 0025.5 application cryptogram)',
    requirements: ['CARD-PBOC-AC-01', 'CARD-PBOC-SM-01'],
    profiles: ['profiles/ssc-3.0-sm4.json'],
  },
  {
    id: 'tc-without-card-risk-management',
    class: 'pboc',
    rule:
      'asked for a TC, the card goes online (ARQC) when card risk management requires it: new card, ' +
      'velocity, last online not completed (EMV 4.3 Book 3 §10.6; JR/T 0025.5)',
    requirements: ['CARD-PBOC-AC-02'],
  },
  {
    id: 'transaction-log-not-written',
    class: 'pboc',
    rule: 'an approved transaction (TC) is recorded in the transaction log named by 9F4D (JR/T 0025.5 transaction log)',
    requirements: ['CARD-PBOC-LOG-01'],
  },
  {
    id: 'pin-try-counter-reads-maximum',
    class: 'pboc',
    rule: 'GET DATA 9F17 returns the offline PIN tries left, not the maximum (EMV 4.3 Book 3 §6.5.7, Annex A PIN try counter)',
    requirements: ['CARD-PBOC-PIN-01'],
  },
  // anti-tear, one write command each
  {
    id: 'no-anti-tear-update-binary',
    class: 'anti-tear',
    rule: `UPDATE BINARY writes through the journal (${TEAR})`,
    requirements: ['CARD-AT-01'],
  },
  {
    id: 'no-anti-tear-update-record',
    class: 'anti-tear',
    rule: `UPDATE RECORD writes through the journal (${TEAR})`,
    requirements: ['CARD-AT-04'],
  },
  {
    id: 'no-anti-tear-append-record',
    class: 'anti-tear',
    rule: `APPEND RECORD writes through the journal: a full cyclic file does not lose its oldest record without the new one (${TEAR})`,
    requirements: ['CARD-AT-04'],
  },
  {
    id: 'no-anti-tear-write-key',
    class: 'anti-tear',
    rule: `WRITE KEY replaces a key through the journal: value, version, algorithm and tries together (${TEAR})`,
    requirements: ['CARD-AT-02'],
  },
  {
    id: 'no-anti-tear-ssse-pin-unblock',
    class: 'anti-tear',
    rule: `the SSSE's PIN UNBLOCK / RELOAD writes the new PIN and its try counter together (${TEAR}; docs/ssse.md §4)`,
    requirements: ['CARD-AT-05'],
  },
  {
    id: 'no-anti-tear-ssse-change-pin',
    class: 'anti-tear',
    rule: `the SSSE's CHANGE PIN writes the new PIN and restores its try counter together (${TEAR}; docs/ssse.md §4)`,
    requirements: ['CARD-AT-05'],
  },
  {
    id: 'no-anti-tear-script-pin-change',
    class: 'anti-tear',
    rule: `the issuer script PIN CHANGE/UNBLOCK writes the new offline PIN and its try counter together (${TEAR}; JR/T 0025.5 §16)`,
    requirements: ['CARD-AT-05'],
  },
  {
    id: 'no-anti-tear-put-data',
    class: 'anti-tear',
    rule: `the issuer script PUT DATA replaces a data object as a whole, not page by page in place (${TEAR}; JR/T 0025.5 §16)`,
    requirements: ['CARD-AT-06'],
  },
  // life cycle
  {
    id: 'pboc-application-unblock-ineffective',
    class: 'life-cycle',
    rule:
      'the issuer script APPLICATION UNBLOCK restores a temporarily blocked financial ' +
      'application (EMV 4.3 Book 3 §6.5.2; JR/T 0025.5 §16)',
    requirements: ['CARD-PBOC-SCR-02'],
  },
  {
    id: 'blocked-application-reads-records',
    class: 'life-cycle',
    rule:
      'a blocked application answers only SELECT, GET CHALLENGE and its unblock commands: READ ' +
      'RECORD is refused (docs/ssse.md; EMV 4.3 Book 3 §6.5.1)',
    requirements: ['CARD-SSSE-BLK-01'],
  },
  {
    id: 'ssse-card-block-temporary',
    class: 'life-cycle',
    rule: 'the SSSE CARD BLOCK is permanent (9303): APPLICATION UNBLOCK cannot undo it (docs/ssse.md §4)',
    requirements: ['CARD-SSSE-BLK-02'],
  },
] as const satisfies readonly DefectInfo[];
