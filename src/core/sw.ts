/**
 * Status words (SW1-SW2) of response APDUs.
 *
 * Catalogue of the interindustry status words of ISO/IEC 7816-4:2005 §5.1.3
 * — Table 5 (general structure: '9000' and '61XX' normal processing,
 * '62XX'/'63XX' warning processing, '64XX'-'66XX' execution error,
 * '67XX'-'6FXX' checking error) and Table 6 (specific meanings) — plus the
 * proprietary '9XXX' words used by the PBOC debit/credit and e-purse
 * applications (JR/T 0025) and the social security card SSSE application.
 *
 * The module is pure: no I/O, no global state.
 */

import { fromHex, isHex } from './bytes.ts';

/** SW1-SW2 as a 16-bit number, e.g. 0x9000. */
export type StatusWord = number;

/** Processing category after ISO/IEC 7816-4:2005 §5.1.3 Table 5. */
export type SwCategory = 'success' | 'warning' | 'checking-error' | 'execution-error';

export interface SwDescription {
  sw: StatusWord;
  /** Four upper-case hex digits, e.g. "6A82". */
  hex: string;
  meaning: string;
  category: SwCategory;
  /** False when the meaning is only the generic one derived from SW1. */
  known: boolean;
}

/** Fixed status words by name. */
export const SW = {
  /** '9000' normal processing, no further qualification. */
  OK: 0x9000,
  /** '6281' part of returned data may be corrupted. */
  DATA_CORRUPTED: 0x6281,
  /** '6282' end of file or record reached before reading Ne bytes. */
  END_OF_FILE: 0x6282,
  /** '6283' selected file deactivated. */
  FILE_DEACTIVATED: 0x6283,
  /** '6284' file control information not formatted. */
  FCI_NOT_FORMATTED: 0x6284,
  /** '6300' authentication / verification failed, no further information. */
  AUTH_FAILED: 0x6300,
  /** '6400' execution error, non-volatile memory unchanged. */
  EXECUTION_ERROR: 0x6400,
  /** '6581' memory failure. */
  MEMORY_FAILURE: 0x6581,
  /** '6700' wrong length. */
  WRONG_LENGTH: 0x6700,
  /** '6881' logical channel not supported. */
  LOGICAL_CHANNEL_NOT_SUPPORTED: 0x6881,
  /** '6882' secure messaging not supported. */
  SM_NOT_SUPPORTED: 0x6882,
  /** '6981' command incompatible with file structure. */
  INCOMPATIBLE_FILE_STRUCTURE: 0x6981,
  /** '6982' security status not satisfied. */
  SECURITY_NOT_SATISFIED: 0x6982,
  /** '6983' authentication method blocked. */
  AUTH_BLOCKED: 0x6983,
  /** '6984' reference data not usable (invalidated). */
  REF_DATA_INVALID: 0x6984,
  /** '6985' conditions of use not satisfied. */
  CONDITIONS_NOT_SATISFIED: 0x6985,
  /** '6986' command not allowed (no current EF). */
  NO_CURRENT_EF: 0x6986,
  /** '6987' expected secure messaging data objects missing. */
  SM_MISSING: 0x6987,
  /** '6988' incorrect secure messaging data objects. */
  SM_INCORRECT: 0x6988,
  /** '6A80' incorrect parameters in the command data field. */
  WRONG_DATA: 0x6a80,
  /** '6A81' function not supported. */
  FUNC_NOT_SUPPORTED: 0x6a81,
  /** '6A82' file or application not found. */
  FILE_NOT_FOUND: 0x6a82,
  /** '6A83' record not found. */
  RECORD_NOT_FOUND: 0x6a83,
  /** '6A84' not enough memory space in the file. */
  NOT_ENOUGH_MEMORY: 0x6a84,
  /** '6A86' incorrect parameters P1-P2. */
  INCORRECT_P1P2: 0x6a86,
  /** '6A88' referenced data or reference data not found. */
  REF_DATA_NOT_FOUND: 0x6a88,
  /** '6B00' wrong parameters P1-P2. */
  WRONG_P1P2: 0x6b00,
  /** '6D00' instruction code not supported or invalid. */
  INS_NOT_SUPPORTED: 0x6d00,
  /** '6E00' class not supported. */
  CLA_NOT_SUPPORTED: 0x6e00,
  /** '6F00' no precise diagnosis. */
  NO_PRECISE_DIAGNOSIS: 0x6f00,
  /** '9303' application permanently blocked (PBOC). */
  APP_PERMANENTLY_BLOCKED: 0x9303,
  /** '9401' insufficient funds (PBOC e-purse). */
  INSUFFICIENT_FUNDS: 0x9401,
  /** '9403' key index not supported (PBOC). */
  KEY_INDEX_NOT_SUPPORTED: 0x9403,
  /** '9406' required MAC not available (PBOC). */
  MAC_NOT_AVAILABLE: 0x9406,
} as const;

type Entry = readonly [meaning: string, category: SwCategory];

/** Fixed words: ISO/IEC 7816-4:2005 Table 6, then proprietary ones. */
const FIXED: ReadonlyMap<number, Entry> = new Map<number, Entry>([
  [0x9000, ['normal processing', 'success']],
  // '62XX' warning, non-volatile memory unchanged
  [0x6200, ['warning: no information given (memory unchanged)', 'warning']],
  [0x6281, ['part of returned data may be corrupted', 'warning']],
  [0x6282, ['end of file/record reached before reading Le bytes', 'warning']],
  [0x6283, ['selected file deactivated (invalidated)', 'warning']],
  [0x6284, ['FCI not formatted', 'warning']],
  [0x6285, ['selected file in termination state', 'warning']],
  [0x6286, ['no input data available from a sensor on the card', 'warning']],
  // '63XX' warning, non-volatile memory changed
  [0x6300, ['authentication failed', 'warning']],
  [0x6381, ['file filled up by the last write', 'warning']],
  // '64XX'-'66XX' execution errors
  [0x6400, ['execution error', 'execution-error']],
  [0x6401, ['immediate response required by the card', 'execution-error']],
  [0x6500, ['execution error: no information given (memory changed)', 'execution-error']],
  [0x6581, ['memory failure', 'execution-error']],
  [0x6600, ['security-related issue', 'execution-error']],
  // '67XX'-'6FXX' checking errors
  [0x6700, ['wrong length', 'checking-error']],
  [0x6800, ['functions in CLA not supported', 'checking-error']],
  [0x6881, ['logical channel not supported', 'checking-error']],
  [0x6882, ['secure messaging not supported', 'checking-error']],
  [0x6883, ['last command of the chain expected', 'checking-error']],
  [0x6884, ['command chaining not supported', 'checking-error']],
  [0x6900, ['command not allowed', 'checking-error']],
  [0x6981, ['command incompatible with file structure', 'checking-error']],
  [0x6982, ['security status not satisfied', 'checking-error']],
  [0x6983, ['authentication method blocked', 'checking-error']],
  [0x6984, ['reference data invalidated / not usable', 'checking-error']],
  [0x6985, ['conditions of use not satisfied', 'checking-error']],
  [0x6986, ['command not allowed (no current EF)', 'checking-error']],
  [0x6987, ['expected SM data objects missing', 'checking-error']],
  [0x6988, ['SM data objects incorrect (wrong MAC)', 'checking-error']],
  [0x6a00, ['wrong parameters P1-P2: no information given', 'checking-error']],
  [0x6a80, ['incorrect parameters in data field', 'checking-error']],
  [0x6a81, ['function not supported (or application blocked)', 'checking-error']],
  [0x6a82, ['file or application not found', 'checking-error']],
  [0x6a83, ['record not found', 'checking-error']],
  [0x6a84, ['not enough memory space', 'checking-error']],
  [0x6a85, ['Nc inconsistent with TLV structure', 'checking-error']],
  [0x6a86, ['incorrect P1-P2', 'checking-error']],
  [0x6a87, ['Nc inconsistent with P1-P2', 'checking-error']],
  [0x6a88, ['referenced data (key) not found', 'checking-error']],
  [0x6a89, ['file already exists', 'checking-error']],
  [0x6a8a, ['DF name already exists', 'checking-error']],
  [0x6b00, ['wrong parameters P1-P2', 'checking-error']],
  [0x6d00, ['INS not supported', 'checking-error']],
  [0x6e00, ['CLA not supported', 'checking-error']],
  [0x6f00, ['no precise diagnosis', 'checking-error']],
  // Proprietary (PBOC / e-purse): the command is refused, classed as checking errors.
  [0x9303, ['application permanently blocked', 'checking-error']],
  [0x9401, ['insufficient funds (e-purse)', 'checking-error']],
  [0x9403, ['key index not supported', 'checking-error']],
  [0x9406, ['required MAC not available', 'checking-error']],
]);

function check(sw: number): void {
  if (!Number.isInteger(sw) || sw < 0 || sw > 0xffff) throw new RangeError(`not a status word: ${sw}`);
}

/** Four upper-case hex digits: 0x9000 → "9000". @throws RangeError outside 0..0xFFFF. */
export function swHex(sw: StatusWord): string {
  check(sw);
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Parses a status word written as hex ("6A82", "6a 82", "0x6A82").
 * @throws RangeError unless the text is exactly two bytes of hex.
 */
export function parseSw(text: string): StatusWord {
  if (!isHex(text)) throw new RangeError(`not a status word: "${text}"`);
  const b = fromHex(text);
  if (b.length !== 2) throw new RangeError(`a status word is 2 bytes, "${text}" has ${b.length}`);
  return b[0]! * 256 + b[1]!;
}

/** SW1-SW2 from the last two bytes of a response APDU. @throws RangeError when shorter than 2 bytes. */
export function swOfResponse(response: ArrayLike<number>): StatusWord {
  const n = response.length;
  if (n < 2) throw new RangeError(`response of ${n} byte(s) has no status word`);
  return response[n - 2]! * 256 + response[n - 1]!;
}

function count(n: number, max: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > max) throw new RangeError(`${what}: ${n} out of range 0..${max}`);
  return n;
}

/** '61XX': `n` bytes still available (0..256; 256 is encoded as '00'). */
export function sw61(n: number): StatusWord {
  return 0x6100 | (count(n, 256, "'61XX'") & 0xff);
}

/** '6CXX': wrong Le, exact length `n` (0..256; 256 is encoded as '00'). */
export function sw6C(n: number): StatusWord {
  return 0x6c00 | (count(n, 256, "'6CXX'") & 0xff);
}

/** '63CX': verification failed, `n` (0..15) tries left. */
export function sw63C(n: number): StatusWord {
  return 0x63c0 | count(n, 15, "'63CX'");
}

/** '9000' or '61XX' (ISO/IEC 7816-4:2005 Table 5, normal processing). */
export function isSuccess(sw: StatusWord): boolean {
  return sw === 0x9000 || sw >> 8 === 0x61;
}

/** '62XX' or '63XX' (ISO/IEC 7816-4:2005 Table 5, warning processing). */
export function isWarning(sw: StatusWord): boolean {
  const sw1 = sw >> 8;
  return sw1 === 0x62 || sw1 === 0x63;
}

/** Neither success nor warning. */
export function isError(sw: StatusWord): boolean {
  return !isSuccess(sw) && !isWarning(sw);
}

/** Generic meaning by SW1 (ISO/IEC 7816-4:2005 Table 5) for words not in the catalogue. */
function generic(sw1: number): Entry {
  if (sw1 === 0x62) return ['warning: state of non-volatile memory unchanged', 'warning'];
  if (sw1 === 0x63) return ['warning: state of non-volatile memory changed', 'warning'];
  if (sw1 === 0x64) return ['execution error: state of non-volatile memory unchanged', 'execution-error'];
  if (sw1 === 0x65) return ['execution error: state of non-volatile memory changed', 'execution-error'];
  if (sw1 === 0x66) return ['execution error: security-related issue', 'execution-error'];
  if (sw1 === 0x67) return ['wrong length', 'checking-error'];
  if (sw1 === 0x68) return ['functions in CLA not supported', 'checking-error'];
  if (sw1 === 0x69) return ['command not allowed', 'checking-error'];
  if (sw1 === 0x6a) return ['wrong parameters P1-P2', 'checking-error'];
  if (sw1 === 0x6b) return ['wrong parameters P1-P2', 'checking-error'];
  if (sw1 === 0x6d) return ['instruction code not supported or invalid', 'checking-error'];
  if (sw1 === 0x6e) return ['class not supported', 'checking-error'];
  if (sw1 === 0x6f) return ['no precise diagnosis', 'checking-error'];
  if (sw1 >= 0x90 && sw1 <= 0x9f) return ['proprietary status word (not defined by ISO/IEC 7816-4)', 'checking-error'];
  return ['invalid status word (SW1 outside 61-6F and 90-9F)', 'checking-error'];
}

/**
 * Meaning and category of a status word. Never throws for a 16-bit value:
 * words missing from the catalogue get a generic meaning from SW1
 * (62/63 warning, 64-66 execution error, 67-6F checking error; proprietary
 * 9X and invalid SW1 values are classed as checking errors) with `known: false`.
 * @throws RangeError when `sw` is not an integer in 0..0xFFFF.
 */
export function describeSw(sw: StatusWord): SwDescription {
  const hex = swHex(sw);
  const sw1 = sw >> 8;
  const sw2 = sw & 0xff;
  const fixed = FIXED.get(sw);
  if (fixed) return { sw, hex, meaning: fixed[0], category: fixed[1], known: true };
  if (sw1 === 0x61) {
    const n = sw2 === 0 ? 256 : sw2;
    return { sw, hex, meaning: `${n} bytes still available (use GET RESPONSE)`, category: 'success', known: true };
  }
  if (sw1 === 0x6c) {
    const n = sw2 === 0 ? 256 : sw2;
    return { sw, hex, meaning: `wrong Le; exact length is ${n}`, category: 'checking-error', known: true };
  }
  if ((sw & 0xfff0) === 0x63c0) {
    const x = sw & 0x0f;
    return { sw, hex, meaning: `verification failed, ${x} tries left`, category: 'warning', known: true };
  }
  const [meaning, category] = generic(sw1);
  return { sw, hex, meaning, category, known: false };
}
