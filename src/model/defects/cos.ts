/** Card defects of the COS basics (ISO/IEC 7816-3/-4): selection, files, APDU handling, ATR, anti-tear. */
import type { DefectInfo } from './info.ts';

export const COS_DEFECTS = [
  {
    id: 'file-not-found-as-wrong-data',
    class: 'iso7816',
    rule: 'a file that does not exist is answered 6A82 (ISO/IEC 7816-4 §5.6), not 6A80',
    requirements: ['CARD-SEL-04', 'CARD-RB-02', 'CARD-RR-02'],
  },
  {
    id: 'read-binary-ignores-offset',
    class: 'iso7816',
    rule: 'READ BINARY reads from the offset P1-P2 gives (ISO/IEC 7816-4 §11.2.3)',
    requirements: ['CARD-RB-01'],
  },
  {
    id: 'no-partial-name-selection',
    class: 'iso7816',
    rule: 'SELECT by DF name accepts a right-truncated name (ISO/IEC 7816-4 §11.1.1, P2 first occurrence)',
    requirements: ['CARD-SEL-02', 'CARD-SSSE-SEL-01'],
  },
  {
    id: 'no-get-response',
    class: 'iso7816',
    rule: 'under T=0 a card that answers 61xx serves GET RESPONSE (ISO/IEC 7816-3 §10.3.5, 7816-4 §11.7.1)',
    requirements: ['CARD-T0-01'],
  },
  {
    id: 'bad-atr-checksum',
    class: 'iso7816',
    rule: 'the ATR check byte TCK makes the XOR of T0..TCK zero (ISO/IEC 7816-3 §8.2.5)',
    requirements: ['CARD-ATR-01'],
  },
  {
    id: 'unknown-cla-accepted',
    class: 'iso7816',
    rule: 'a command with a class byte the card does not support is refused with 6E00 (ISO/IEC 7816-4 §5.1.1)',
    requirements: ['CARD-APDU-02'],
  },
  {
    id: 'no-anti-tear',
    class: 'anti-tear',
    rule: 'a persistent write interrupted by a power loss leaves the old or the new data, never a mix (LD/T 6001 part 2, anti-tear)',
    requirements: ['CARD-AT-01', 'CARD-AT-02'],
  },
  {
    id: 'late-try-counter',
    class: 'state-after-failure',
    rule: 'the try counter is decremented before the PIN or key is compared, so a power loss cannot hide a wrong attempt',
    requirements: ['CARD-AT-03'],
  },
  {
    id: 'firewall-keeps-security-state',
    class: 'firewall',
    rule: 'entering another environment clears the security state of the one left (overall scheme 一(一)2, firewall)',
    requirements: ['CARD-FW-02', 'CARD-SEC-01'],
  },
  // file management (ISO/IEC 7816-9; LD/T 6001 part 2): every command the COS implements has a defect
  {
    id: 'create-file-replaces-existing',
    class: 'iso7816',
    rule: 'CREATE FILE with an identifier that exists in the DF is refused with 6A89 and the existing file is kept (ISO/IEC 7816-9 §6.1)',
    requirements: ['KEY-EMK-01'],
  },
  {
    id: 'delete-ef-without-master-key',
    class: 'life-cycle',
    rule: 'DELETE FILE of an EF needs the environment master key like every file management command (ISO/IEC 7816-9 §6.2; LD/T 6001 part 2)',
    requirements: ['KEY-EMK-01'],
  },
  {
    id: 'activate-without-master-key',
    class: 'life-cycle',
    rule: 'ACTIVATE FILE of an environment needs its master key; without it 6982 and the environment stays in personalisation (ISO/IEC 7816-9 §6.4)',
    requirements: ['CARD-LC-03'],
  },
] as const satisfies readonly DefectInfo[];
