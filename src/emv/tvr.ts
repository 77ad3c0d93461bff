/**
 * Terminal Verification Results (TVR, tag 95, b5) and Transaction Status
 * Information (TSI, tag 9B, b2): EMV 4.x Book 3 Annex C5 (Table 42) and
 * Annex C6 (Table 43); JR/T 0025 uses the same codings.
 *
 * Bits are named by a stable identifier; each carries the spec's byte (1-5)
 * and bit (b8-b1) numbers and its wording. Bits not in the tables are RFU.
 */
import { type Bytes, toHex } from '../core/bytes.ts';

export interface BitDefinition {
  /** Byte number as in the spec, 1 = leftmost. */
  byte: number;
  /** Bit number as in the spec, 8 = most significant. */
  bit: number;
  /** The spec's wording. */
  name: string;
}

function def(byte: number, bit: number, name: string): BitDefinition {
  return { byte, bit, name };
}

/** TVR bits, Book 3 Annex C5 (Table 42). */
export const TVR_BITS = {
  // byte 1: offline data authentication
  odaNotPerformed: def(1, 8, 'Offline data authentication was not performed'),
  sdaFailed: def(1, 7, 'SDA failed'),
  iccDataMissing: def(1, 6, 'ICC data missing'),
  exceptionFile: def(1, 5, 'Card appears on terminal exception file'),
  ddaFailed: def(1, 4, 'DDA failed'),
  cdaFailed: def(1, 3, 'CDA failed'),
  sdaSelected: def(1, 2, 'SDA selected'),
  // byte 2: processing restrictions
  differentVersions: def(2, 8, 'ICC and terminal have different application versions'),
  expired: def(2, 7, 'Expired application'),
  notYetEffective: def(2, 6, 'Application not yet effective'),
  serviceNotAllowed: def(2, 5, 'Requested service not allowed for card product'),
  newCard: def(2, 4, 'New card'),
  // byte 3: cardholder verification
  cvmFailed: def(3, 8, 'Cardholder verification was not successful'),
  unrecognisedCvm: def(3, 7, 'Unrecognised CVM'),
  pinTryLimitExceeded: def(3, 6, 'PIN Try Limit exceeded'),
  pinPadMissing: def(3, 5, 'PIN entry required and PIN pad not present or not working'),
  pinNotEntered: def(3, 4, 'PIN entry required, PIN pad present, but PIN was not entered'),
  onlinePinEntered: def(3, 3, 'Online PIN entered'),
  // byte 4: terminal risk management
  floorLimitExceeded: def(4, 8, 'Transaction exceeds floor limit'),
  lowerOfflineLimitExceeded: def(4, 7, 'Lower consecutive offline limit exceeded'),
  upperOfflineLimitExceeded: def(4, 6, 'Upper consecutive offline limit exceeded'),
  randomlySelected: def(4, 5, 'Transaction selected randomly for online processing'),
  merchantForcedOnline: def(4, 4, 'Merchant forced transaction online'),
  // byte 5: issuer authentication and scripts
  defaultTdolUsed: def(5, 8, 'Default TDOL used'),
  issuerAuthenticationFailed: def(5, 7, 'Issuer authentication failed'),
  scriptFailedBeforeFinalAc: def(5, 6, 'Script processing failed before final GENERATE AC'),
  scriptFailedAfterFinalAc: def(5, 5, 'Script processing failed after final GENERATE AC'),
} as const satisfies Record<string, BitDefinition>;

export type TvrBit = keyof typeof TVR_BITS;

/** TSI bits, Book 3 Annex C6 (Table 43); byte 2 is RFU. */
export const TSI_BITS = {
  odaPerformed: def(1, 8, 'Offline data authentication was performed'),
  cvmPerformed: def(1, 7, 'Cardholder verification was performed'),
  cardRiskManagementPerformed: def(1, 6, 'Card risk management was performed'),
  issuerAuthenticationPerformed: def(1, 5, 'Issuer authentication was performed'),
  terminalRiskManagementPerformed: def(1, 4, 'Terminal risk management was performed'),
  scriptProcessingPerformed: def(1, 3, 'Script processing was performed'),
} as const satisfies Record<string, BitDefinition>;

export type TsiBit = keyof typeof TSI_BITS;

export const TVR_LENGTH = 5;
export const TSI_LENGTH = 2;

/** The mask of a bit within its byte. */
export function bitMask(d: BitDefinition): number {
  return 1 << (d.bit - 1);
}

function checkLength(value: Bytes, length: number, what: string): void {
  if (value.length !== length) throw new RangeError(`${what} must be ${length} bytes, got ${value.length} (${toHex(value)})`);
}

/** A fresh all-zero TVR (Book 3 §10.1: set to zero at the start of a transaction). */
export function newTvr(...bits: TvrBit[]): Bytes {
  const tvr = new Uint8Array(TVR_LENGTH);
  for (const b of bits) setTvr(tvr, b);
  return tvr;
}

/** A fresh all-zero TSI. */
export function newTsi(...bits: TsiBit[]): Bytes {
  const tsi = new Uint8Array(TSI_LENGTH);
  for (const b of bits) setTsi(tsi, b);
  return tsi;
}

/** Sets a TVR bit in place; returns the same array. */
export function setTvr(tvr: Bytes, bit: TvrBit): Bytes {
  checkLength(tvr, TVR_LENGTH, 'TVR');
  const d = TVR_BITS[bit];
  tvr[d.byte - 1]! |= bitMask(d);
  return tvr;
}

/** Clears a TVR bit in place; returns the same array. */
export function clearTvr(tvr: Bytes, bit: TvrBit): Bytes {
  checkLength(tvr, TVR_LENGTH, 'TVR');
  const d = TVR_BITS[bit];
  tvr[d.byte - 1]! &= ~bitMask(d) & 0xff;
  return tvr;
}

export function hasTvr(tvr: Bytes, bit: TvrBit): boolean {
  checkLength(tvr, TVR_LENGTH, 'TVR');
  const d = TVR_BITS[bit];
  return (tvr[d.byte - 1]! & bitMask(d)) !== 0;
}

export function setTsi(tsi: Bytes, bit: TsiBit): Bytes {
  checkLength(tsi, TSI_LENGTH, 'TSI');
  const d = TSI_BITS[bit];
  tsi[d.byte - 1]! |= bitMask(d);
  return tsi;
}

export function hasTsi(tsi: Bytes, bit: TsiBit): boolean {
  checkLength(tsi, TSI_LENGTH, 'TSI');
  const d = TSI_BITS[bit];
  return (tsi[d.byte - 1]! & bitMask(d)) !== 0;
}

/** Bitwise OR of TVR values (e.g. the bits several steps set), into a new array. */
export function mergeTvr(...tvrs: Bytes[]): Bytes {
  const out = new Uint8Array(TVR_LENGTH);
  for (const t of tvrs) {
    checkLength(t, TVR_LENGTH, 'TVR');
    for (let i = 0; i < TVR_LENGTH; i++) out[i]! |= t[i]!;
  }
  return out;
}

function describe<K extends string>(value: Bytes, table: Record<K, BitDefinition>, length: number, what: string, ids: boolean): string[] {
  checkLength(value, length, what);
  const out: string[] = [];
  const known = new Set<string>();
  for (const [id, d] of Object.entries(table) as [K, BitDefinition][]) {
    known.add(`${d.byte}.${d.bit}`);
    if ((value[d.byte - 1]! & bitMask(d)) !== 0) out.push(ids ? id : d.name);
  }
  for (let byte = 1; byte <= length; byte++) {
    for (let bit = 8; bit >= 1; bit--) {
      if (known.has(`${byte}.${bit}`)) continue;
      if ((value[byte - 1]! & (1 << (bit - 1))) !== 0) out.push(`RFU bit set: byte ${byte} b${bit}`);
    }
  }
  return out;
}

/**
 * The set TVR bits by name in byte / bit order (Book 3 Annex C5 wording),
 * followed by any RFU bit that is set ("RFU bit set: byte 2 b3").
 */
export function describeTvr(tvr: Bytes): string[] {
  return describe(tvr, TVR_BITS, TVR_LENGTH, 'TVR', false);
}

/** The set TVR bits as identifiers ({@link TvrBit}); RFU bits as in {@link describeTvr}. */
export function tvrBits(tvr: Bytes): string[] {
  return describe(tvr, TVR_BITS, TVR_LENGTH, 'TVR', true);
}

/** The set TSI bits by name (Book 3 Annex C6 wording), then any RFU bit that is set. */
export function describeTsi(tsi: Bytes): string[] {
  return describe(tsi, TSI_BITS, TSI_LENGTH, 'TSI', false);
}

/** True when TVR and an action code (IAC / TAC, same coding) share a set bit (Book 3 §10.7). */
export function tvrMatches(tvr: Bytes, actionCode: Bytes): boolean {
  checkLength(tvr, TVR_LENGTH, 'TVR');
  checkLength(actionCode, TVR_LENGTH, 'action code');
  for (let i = 0; i < TVR_LENGTH; i++) if ((tvr[i]! & actionCode[i]!) !== 0) return true;
  return false;
}
