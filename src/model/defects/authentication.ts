/** Card defects of authentication and PINs: state after a failure, near misses, freshness and replay (see model/defects.ts). */
import type { DefectInfo } from './info.ts';

export const AUTHENTICATION_DEFECTS = [
  // --- state after a failure ------------------------------------------------------------------
  {
    id: 'verify-failure-keeps-verified',
    class: 'state-after-failure',
    rule: 'a VERIFY that fails resets the verified state of that PIN (ISO/IEC 7816-4 §7.5.6), even when it was verified before',
    requirements: ['CARD-SSSE-PIN-01', 'CARD-SEC-01'],
  },
  {
    id: 'pin-tries-not-decremented',
    class: 'state-after-failure',
    rule: 'each wrong PIN presented with VERIFY decrements its try counter (ISO/IEC 7816-4 §7.5.6; docs/ssse.md §4)',
    requirements: ['CARD-SSSE-PIN-01'],
  },
  {
    id: 'pin-tries-reported-before-decrement',
    class: 'state-after-failure',
    rule: 'the 63Cx answer to a wrong PIN tells the tries left after this attempt (ISO/IEC 7816-4 §7.5.6, 63Cx)',
    requirements: ['CARD-SSSE-PIN-01'],
  },
  {
    id: 'pin-tries-not-reset-after-success',
    class: 'state-after-failure',
    rule: 'a successful VERIFY restores the PIN try counter to its maximum (ISO/IEC 7816-4 §7.5.6; docs/ssse.md §4)',
    requirements: ['CARD-SSSE-PIN-01', 'CARD-SEC-01'],
  },
  {
    id: 'pin-blocked-one-early',
    class: 'state-after-failure',
    rule: 'a PIN is blocked (6983) only when its try counter reaches zero, not while one try is left (ISO/IEC 7816-4 §7.5.6)',
    requirements: ['CARD-SSSE-PIN-01'],
  },
  {
    id: 'pin-blocked-one-late',
    class: 'state-after-failure',
    rule: 'a PIN whose try counter reached zero is blocked: not even the right PIN is accepted (ISO/IEC 7816-4 §7.5.6, 6983)',
    requirements: ['CARD-SSSE-PIN-01', 'CARD-SEC-01'],
  },
  {
    id: 'pin-verified-on-last-wrong-try',
    class: 'state-after-failure',
    rule: 'a wrong PIN never sets the verified state, not even the attempt that blocks the PIN (ISO/IEC 7816-4 §7.5.6)',
    requirements: ['CARD-SSSE-PIN-03'],
  },
  {
    id: 'security-state-survives-reset',
    class: 'state-after-failure',
    rule: 'a reset clears the security state: a PIN verified or a key authenticated before it no longer counts (ISO/IEC 7816-4 §5.4)',
    requirements: ['CARD-SEC-01'],
  },
  {
    id: 'key-tries-not-decremented',
    class: 'state-after-failure',
    rule: 'a wrong EXTERNAL AUTHENTICATE cryptogram decrements the key try counter (ISO/IEC 7816-4 §7.5.4, 63Cx)',
    requirements: ['KEY-AUTH-01'],
  },
  {
    id: 'offline-pin-tries-not-decremented',
    class: 'state-after-failure',
    rule: 'a wrong offline PIN decrements the PIN try counter 9F17 (EMV 4.3 Book 3 §6.5.12, as in JR/T 0025.5)',
    requirements: ['CARD-PBOC-PIN-01'],
  },
  // --- near misses ----------------------------------------------------------------------------
  {
    id: 'pin-last-digit-ignored',
    class: 'near-miss',
    rule: 'VERIFY compares every digit of the PIN (ISO/IEC 7816-4 §7.5.6): a PIN wrong in its last digit is wrong',
    requirements: ['CARD-SSSE-PIN-01'],
  },
  {
    id: 'pin-prefix-accepted',
    class: 'near-miss',
    rule: 'a PIN of another length than the reference PIN is wrong (ISO/IEC 7816-4 §7.5.6), also when it is its beginning',
    requirements: ['CARD-SSSE-PIN-01'],
  },
  {
    id: 'cryptogram-compared-on-4-bytes',
    class: 'near-miss',
    rule: 'EXTERNAL AUTHENTICATE compares the whole cryptogram (ISO/IEC 7816-4 §7.5.4): one wrong byte makes it wrong',
    requirements: ['KEY-AUTH-01'],
  },
  {
    id: 'external-auth-any-key-type',
    class: 'near-miss',
    rule: 'only keys meant for it (master, external authentication, read, maintenance) serve EXTERNAL AUTHENTICATE (docs/ssse.md §4)',
    requirements: ['KEY-AUTH-01'],
  },
  {
    id: 'external-auth-any-key-of-environment',
    class: 'near-miss',
    rule: 'EXTERNAL AUTHENTICATE checks the cryptogram with the key P2 names (ISO/IEC 7816-4 §7.5.4), not with any key of the environment',
    requirements: ['KEY-AUTH-01'],
  },
  {
    id: 'mac-last-byte-ignored',
    class: 'near-miss',
    rule: 'a secured command is refused (6988) when any byte of its MAC is wrong (docs/ssse.md §6, MAC of 4 bytes)',
    requirements: ['KEY-SM-01', 'CARD-SSSE-UPD-01', 'CARD-SSSE-PIN-03'],
  },
  {
    id: 'mac-unchecked-without-data',
    class: 'near-miss',
    rule: 'a secured command carrying only its MAC (APPLICATION BLOCK/UNBLOCK, CARD BLOCK) has the MAC checked (docs/ssse.md §4, §6)',
    requirements: ['CARD-SSSE-BLK-01', 'CARD-SSSE-BLK-02'],
  },
  {
    id: 'change-pin-old-unchecked-when-verified',
    class: 'near-miss',
    rule: 'CHANGE PIN compares the old PIN it carries (docs/ssse.md §4), whether or not the PIN was verified before',
    requirements: ['CARD-SSSE-PIN-02'],
  },
  // --- freshness and replay -------------------------------------------------------------------
  {
    id: 'challenge-kept-after-failed-auth',
    class: 'freshness',
    rule: 'the challenge is used by the EXTERNAL AUTHENTICATE that follows it, whatever its outcome (ISO/IEC 7816-4 §7.5.3, §7.5.4)',
    requirements: ['KEY-FRESH-01'],
  },
  {
    id: 'challenge-reusable',
    class: 'freshness',
    rule: 'a challenge serves one EXTERNAL AUTHENTICATE only (ISO/IEC 7816-4 §7.5.3): a second one with the same cryptogram is refused',
    requirements: ['KEY-SM-03'],
  },
  {
    id: 'secured-command-replay',
    class: 'freshness',
    rule: "the challenge under a secured command's MAC serves it only (ISO/IEC 7816-4 §7.5.3; docs/ssse.md §6): a replay is refused",
    requirements: ['KEY-FRESH-01'],
  },
  {
    id: 'challenge-repeats-after-reset',
    class: 'freshness',
    rule: 'GET CHALLENGE returns an unpredictable number (ISO/IEC 7816-4 §7.5.3), not the same sequence after every reset',
    requirements: ['KEY-FRESH-01'],
  },
  // --- life cycle: blocking and unblocking ----------------------------------------------------
  {
    id: 'pin-unblock-keeps-tries',
    class: 'life-cycle',
    rule: 'PIN UNBLOCK and PIN RELOAD restore the try counter of the PIN they set (docs/ssse.md §4)',
    requirements: ['CARD-SSSE-PIN-03'],
  },
  {
    id: 'change-pin-ignores-block',
    class: 'life-cycle',
    rule: 'a blocked PIN cannot be changed by CHANGE PIN, even with the right old PIN (6983; ISO/IEC 7816-4 §7.5.7, docs/ssse.md §4)',
    requirements: ['CARD-SSSE-PIN-02'],
  },
] as const satisfies readonly DefectInfo[];
