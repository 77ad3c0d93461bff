/**
 * The terminal's transaction data: the data elements whose source is the
 * terminal (EMV 4.x Book 3 Annex A, Table 33; Book 4 Annex A for terminal
 * type and capabilities; JR/T 0025 the same, plus DF69), typed, with
 *
 * - {@link transactionTags}: the tag → value map that {@link buildDolData}
 *   (dol.ts) fills PDOL / CDOL1 / CDOL2 / DDOL data from;
 * - {@link domesticPosTransaction}: defaults for a domestic Chinese POS
 *   (terminal country and currency 0156, CNY exponent 2, attended
 *   offline-with-online-capability merchant terminal).
 *
 * Numeric (`n`) elements are kept as digit strings of their full width
 * ('0156', '00', '251231'), amounts as integers in the minor unit.
 */
import { webcrypto } from 'node:crypto';
import { type Bytes, ascii, fromHex, toHex, uint } from '../core/bytes.ts';

/** Numeric format `n` (Book 3 §4.3): BCD, right-justified, leading zeros, `bytes` long. */
export function numericBytes(value: number | bigint | string, bytes: number): Bytes {
  const digits = typeof value === 'string' ? value : value.toString(10);
  if (!/^[0-9]*$/.test(digits)) throw new RangeError(`"${digits}" is not numeric (n) data`);
  if (digits.replace(/^0+/, '').length > 2 * bytes) throw new RangeError(`${digits} does not fit in n${2 * bytes} (${bytes} bytes)`);
  return fromHex(digits.padStart(2 * bytes, '0').slice(-2 * bytes));
}

/** Reads numeric (`n`, BCD) data as a number. @throws RangeError on a nibble above 9. */
export function readNumeric(bytes: Bytes): number {
  const hex = toHex(bytes);
  if (!/^[0-9]*$/.test(hex)) throw new RangeError(`${hex} is not numeric (n) data`);
  return hex.length === 0 ? 0 : Number(hex);
}

/** Amount, Authorised / Other (n12, 6 bytes) in the minor unit. */
export function amountBytes(amount: number): Bytes {
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > 999_999_999_999) throw new RangeError(`amount ${amount} is not an n12 value`);
  return numericBytes(amount, 6);
}

export interface EmvDate {
  year: number;
  month: number;
  day: number;
}

/**
 * Parses a YYMMDD date (n6: 9A, 5F24, 5F25). Years 00-49 are 2000-2049 and
 * 50-99 are 1950-1999 (EMV Book 4 §6.7.3, date management).
 * @throws RangeError when not six digits or month/day out of range.
 */
export function parseYymmdd(value: string | Bytes): EmvDate {
  const text = typeof value === 'string' ? value : toHex(value);
  const m = /^(\d\d)(\d\d)(\d\d)$/.exec(text);
  if (!m) throw new RangeError(`"${text}" is not a YYMMDD date`);
  const yy = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) throw new RangeError(`"${text}" is not a valid YYMMDD date`);
  return { year: yy < 50 ? 2000 + yy : 1900 + yy, month, day };
}

/** Compares two YYMMDD dates with the Book 4 century rule: negative, 0 or positive. */
export function compareYymmdd(a: string | Bytes, b: string | Bytes): number {
  const x = parseYymmdd(a);
  const y = parseYymmdd(b);
  return x.year - y.year || x.month - y.month || x.day - y.day;
}

const two = (n: number) => String(n).padStart(2, '0');

/** A date as YYMMDD (local time). */
export function emvDate(d: Date): string {
  return two(d.getFullYear() % 100) + two(d.getMonth() + 1) + two(d.getDate());
}

/** A time as HHMMSS (local time). */
export function emvTime(d: Date): string {
  return two(d.getHours()) + two(d.getMinutes()) + two(d.getSeconds());
}

/** Transaction Type 9C: the first two digits of the ISO 8583 processing code. */
export const TRANSACTION_TYPES = {
  goodsAndServices: '00',
  cash: '01',
  cashback: '09',
  refund: '20',
  balanceInquiry: '31',
} as const;

/**
 * Terminal Type 9F35 (EMV Book 4 Annex A1): first digit who operates it
 * (1 financial institution, 2 merchant, 3 cardholder), second digit its
 * environment (1 attended online only, 2 attended offline with online
 * capability, 3 attended offline only, 4-6 the same unattended).
 */
export interface TerminalTypeInfo {
  operator: 'financial institution' | 'merchant' | 'cardholder';
  attended: boolean;
  online: 'online only' | 'offline with online capability' | 'offline only';
}

export function terminalTypeInfo(terminalType: string): TerminalTypeInfo {
  const m = /^([123])([1-6])$/.exec(terminalType);
  if (!m) throw new RangeError(`terminal type "${terminalType}" is not one of 11-16, 21-26, 31-36`);
  const env = Number(m[2]);
  return {
    operator: (['financial institution', 'merchant', 'cardholder'] as const)[Number(m[1]) - 1]!,
    attended: env <= 3,
    online: (['online only', 'offline with online capability', 'offline only'] as const)[(env - 1) % 3]!,
  };
}

/** True for an ATM (Book 4 Annex A1): terminal type 14, 15 or 16 with 'cash' in byte 1 of 9F40. */
export function isAtm(terminalType: string, additionalCapabilities: Bytes): boolean {
  return ['14', '15', '16'].includes(terminalType) && ((additionalCapabilities[0] ?? 0) & 0x80) !== 0;
}

/** The transaction's data elements that come from the terminal. */
export interface TerminalTransaction {
  /** 9F02 n12, minor unit. */
  amountAuthorised: number;
  /** 9F03 n12, minor unit (the cashback part). */
  amountOther: number;
  /** 9F1A n3, as 4 digits ('0156'). */
  terminalCountry: string;
  /** 5F2A n3, as 4 digits ('0156'). */
  currency: string;
  /** 5F36 n1. */
  currencyExponent: number;
  /** 9A n6 YYMMDD. */
  date: string;
  /** 9F21 n6 HHMMSS. */
  time: string;
  /** 9C n2 ({@link TRANSACTION_TYPES}). */
  type: string;
  /** 9F37 b4. */
  unpredictableNumber: Bytes;
  /** 95 b5. */
  tvr: Bytes;
  /** 9B b2. */
  tsi: Bytes;
  /** 9F33 b3 (Book 4 Annex A2). */
  terminalCapabilities: Bytes;
  /** 9F40 b5 (Book 4 Annex A3). */
  additionalCapabilities: Bytes;
  /** 9F35 n2 ('22'). */
  terminalType: string;
  /** 9F09 b2, the terminal's version number of the application. */
  applicationVersion: Bytes;
  /** 9F39 n2 ('05': integrated circuit card, contact). */
  posEntryMode: string;
  /** 9F4E ans, merchant name and location. */
  merchantName?: string;
  /** 9F15 n4. */
  merchantCategoryCode?: string;
  /** 9F16 ans15. */
  merchantId?: string;
  /** 9F1C an8. */
  terminalId?: string;
  /** 9F1E an8. */
  ifdSerialNumber?: string;
  /** 9F01 n6-11 (sent as 6 bytes, right-justified). */
  acquirerId?: string;
  /** 9F41 n4-8 (sent as 4 bytes). */
  sequenceCounter?: number;
  /** 9F1B b4, the terminal floor limit in the minor unit. */
  floorLimit?: number;
  /** 9F34 b3, once cardholder verification is done. */
  cvmResults?: Bytes;
  /** 8A an2, for CDOL2 ('00' approved, 'Y1'/'Z1' offline, 'Y3'/'Z3' unable to go online). */
  authorisationResponseCode?: string;
  /** DF69 (JR/T 0025): 01 the terminal supports the SM suite, 00 DES/RSA only. */
  smSupported?: boolean;
  /** 9F7A (JR/T 0025 e-cash): electronic cash terminal support indicator. */
  ecTerminalSupport?: boolean;
  /** 9F66 b4 terminal transaction qualifiers (qPBOC), when contactless. */
  ttq?: Bytes;
  /** Further tags (proprietary or not modelled here), copied as they are. */
  extra?: ReadonlyMap<number, Bytes>;
}

function fixed(name: string, v: Bytes, length: number): Bytes {
  if (v.length !== length) throw new RangeError(`${name} must be ${length} bytes, got ${v.length}`);
  return v;
}

function digits(name: string, v: string, width: number): Bytes {
  if (!/^\d+$/.test(v) || v.length > width) throw new RangeError(`${name} "${v}" is not n${width}`);
  return numericBytes(v, Math.ceil(width / 2));
}

/** The tag → value map of a transaction, for {@link buildDolData} and for the records of a transaction log. */
export function transactionTags(t: TerminalTransaction): Map<number, Bytes> {
  const m = new Map<number, Bytes>([
    [0x9f02, amountBytes(t.amountAuthorised)],
    [0x9f03, amountBytes(t.amountOther)],
    [0x9f1a, digits('terminal country code', t.terminalCountry, 4)],
    [0x5f2a, digits('transaction currency code', t.currency, 4)],
    [0x5f36, numericBytes(t.currencyExponent, 1)],
    [0x9a, numericBytes(t.date, 3)],
    [0x9f21, digits('transaction time', t.time, 6)],
    [0x9c, digits('transaction type', t.type, 2)],
    [0x9f37, fixed('unpredictable number', t.unpredictableNumber, 4)],
    [0x95, fixed('TVR', t.tvr, 5)],
    [0x9b, fixed('TSI', t.tsi, 2)],
    [0x9f33, fixed('terminal capabilities', t.terminalCapabilities, 3)],
    [0x9f40, fixed('additional terminal capabilities', t.additionalCapabilities, 5)],
    [0x9f35, digits('terminal type', t.terminalType, 2)],
    [0x9f09, fixed('application version number', t.applicationVersion, 2)],
    [0x9f39, digits('POS entry mode', t.posEntryMode, 2)],
  ]);
  parseYymmdd(t.date);
  if (t.merchantName !== undefined) m.set(0x9f4e, ascii(t.merchantName));
  if (t.merchantCategoryCode !== undefined) m.set(0x9f15, digits('merchant category code', t.merchantCategoryCode, 4));
  if (t.merchantId !== undefined) m.set(0x9f16, ascii(t.merchantId.padEnd(15, ' ')));
  if (t.terminalId !== undefined) m.set(0x9f1c, ascii(t.terminalId.padEnd(8, ' ')));
  if (t.ifdSerialNumber !== undefined) m.set(0x9f1e, ascii(t.ifdSerialNumber.padEnd(8, ' ')));
  if (t.acquirerId !== undefined) m.set(0x9f01, digits('acquirer identifier', t.acquirerId, 12));
  if (t.sequenceCounter !== undefined) m.set(0x9f41, numericBytes(t.sequenceCounter, 4));
  if (t.floorLimit !== undefined) m.set(0x9f1b, uint(t.floorLimit, 4));
  if (t.cvmResults !== undefined) m.set(0x9f34, fixed('CVM results', t.cvmResults, 3));
  if (t.authorisationResponseCode !== undefined) m.set(0x8a, fixed('authorisation response code', ascii(t.authorisationResponseCode), 2));
  if (t.smSupported !== undefined) m.set(0xdf69, Uint8Array.of(t.smSupported ? 0x01 : 0x00));
  if (t.ecTerminalSupport !== undefined) m.set(0x9f7a, Uint8Array.of(t.ecTerminalSupport ? 0x01 : 0x00));
  if (t.ttq !== undefined) m.set(0x9f66, fixed('TTQ', t.ttq, 4));
  for (const [tag, v] of t.extra ?? []) m.set(tag, v);
  return m;
}

/** Four random bytes for 9F37 (Book 4 §6.5.6). */
export function randomUnpredictableNumber(): Bytes {
  return webcrypto.getRandomValues(new Uint8Array(4));
}

/**
 * Defaults of a domestic Chinese POS:
 *
 * - terminal country and transaction currency 0156 (China, CNY), exponent 2;
 * - transaction type 00 (goods and services), amounts 0;
 * - terminal type 22: merchant, attended, offline with online capability;
 * - 9F33 `E0E9C8`: manual key entry, magnetic stripe, IC with contacts;
 *   plaintext PIN for ICC verification, enciphered PIN online, signature,
 *   no CVM required, cardholder ID presentation (byte 2 b1, JR/T 0025);
 *   SDA, DDA, CDA;
 * - 9F40 `6000F0A001`: goods, services; numeric, alphabetic, command and
 *   function keys; print and display for the attendant; code table 1;
 * - 9F09 0030 (PBOC 3.0, JR/T 0025-2013), POS entry mode 05 (ICC, contact);
 * - DF69 01 (the terminal supports the SM suite);
 * - date and time from `now`, a fresh unpredictable number, zero TVR / TSI.
 */
export function domesticPosTransaction(overrides: Partial<TerminalTransaction> = {}, now: Date = new Date()): TerminalTransaction {
  return {
    amountAuthorised: 0,
    amountOther: 0,
    terminalCountry: '0156',
    currency: '0156',
    currencyExponent: 2,
    date: emvDate(now),
    time: emvTime(now),
    type: TRANSACTION_TYPES.goodsAndServices,
    unpredictableNumber: randomUnpredictableNumber(),
    tvr: new Uint8Array(5),
    tsi: new Uint8Array(2),
    terminalCapabilities: fromHex('E0E9C8'),
    additionalCapabilities: fromHex('6000F0A001'),
    terminalType: '22',
    applicationVersion: fromHex('0030'),
    posEntryMode: '05',
    merchantName: 'SSC-LAB TERMINAL',
    smSupported: true,
    ...overrides,
  };
}
