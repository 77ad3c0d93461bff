/**
 * The basic data files of the social-security application (SSSE) as field
 * tables: EF05 issuer data (SFI 05) and EF06 holder data (SFI 06).
 *
 * Layout: the LD/T 32-2015 family's basic-data file tables for EF05 and EF06,
 * as set out in docs/ssse.md §2 (LD/T 32 itself is not public). Each
 * record is one field: `tag ‖ length ‖ value`, the tag being the record
 * identifier, and READ RECORD returns the whole record. Field lengths and
 * formats below are those of docs/ssse.md §2; example values (city codes, version strings,
 * card-number shape) are *observed* from public implementations, not quoted
 * from the standard text.
 *
 * Value formats:
 * - `cn`: BCD digits, left-aligned, padded with F nibbles to the field length;
 * - `an`: ASCII text padded with 00 bytes to the field length;
 * - `gbk`: GBK text (names) padded with 00 bytes to the field length;
 * - `b`: raw binary of exactly the field length (hex in {@link BasicData}).
 */
import { toHex, fromHex } from '../core/bytes.ts';
import { GbkError, decodeGbk, encodeGbk } from '../core/gbk.ts';
import { encodeTlv, tagHex } from '../core/tlv.ts';
import { type BasicData, SPEC_VERSIONS, type SpecVersion } from '../model/basic-data.ts';

/** One field (record) of EF05 or EF06. */
export interface FieldDef {
  /** Record tag (the record identifier). */
  tag: number;
  /** Readable field name for messages. */
  name: string;
  /** The {@link BasicData} property the field holds. */
  key: keyof BasicData;
  /** Length of the value in bytes. */
  length: number;
  format: 'cn' | 'an' | 'gbk' | 'b';
  /** Specification versions whose layout has the field. */
  versions: SpecVersion[];
}

const ALL: SpecVersion[] = ['1.00', '2.00', '3.00'];

/**
 * EF05 issuer data (SFI 05): LD/T 32 EF05 table, docs/ssse.md §2. Tags 01-07 in
 * record order.
 */
export const EF05_FIELDS: readonly FieldDef[] = [
  { tag: 0x01, name: 'card identification code', key: 'cardIdCode', length: 16, format: 'b', versions: ALL },
  { tag: 0x02, name: 'card type', key: 'cardType', length: 1, format: 'an', versions: ALL },
  { tag: 0x03, name: 'specification version', key: 'specVersion', length: 4, format: 'an', versions: ALL },
  { tag: 0x04, name: 'initialising-organisation number', key: 'initOrg', length: 12, format: 'b', versions: ALL },
  { tag: 0x05, name: 'issue date', key: 'issueDate', length: 4, format: 'cn', versions: ALL },
  { tag: 0x06, name: 'expiry date', key: 'expiryDate', length: 4, format: 'cn', versions: ALL },
  { tag: 0x07, name: 'card number', key: 'cardNumber', length: 9, format: 'an', versions: ALL },
];

/**
 * EF06 holder data (SFI 06): LD/T 32 EF06 table, docs/ssse.md §2, in the table's
 * order (the name extension 4E, added by specification 2.00, follows the name
 * 09, as in the lab's reference profiles).
 */
export const EF06_FIELDS: readonly FieldDef[] = [
  { tag: 0x08, name: 'social security number', key: 'ssn', length: 18, format: 'an', versions: ALL },
  { tag: 0x09, name: 'name', key: 'name', length: 30, format: 'gbk', versions: ALL },
  { tag: 0x4e, name: 'name extension', key: 'nameExtension', length: 20, format: 'gbk', versions: ['2.00', '3.00'] },
  { tag: 0x0a, name: 'sex', key: 'sex', length: 1, format: 'an', versions: ALL },
  { tag: 0x0b, name: 'ethnicity', key: 'ethnicity', length: 1, format: 'cn', versions: ALL },
  { tag: 0x0c, name: 'birthplace', key: 'birthplace', length: 3, format: 'cn', versions: ALL },
  { tag: 0x0d, name: 'birth date', key: 'birthDate', length: 4, format: 'cn', versions: ALL },
];

/** Fields holding a date YYYYMMDD, checked to be a calendar date when encoded. */
const DATE_KEYS: ReadonlySet<keyof BasicData> = new Set(['issueDate', 'expiryDate', 'birthDate']);

/** A basic-data value or record that does not fit its field. `tag` is the record tag, when known. */
export class RecordError extends Error {
  readonly tag: number | undefined;
  constructor(message: string, tag?: number) {
    super(message);
    this.name = 'RecordError';
    this.tag = tag;
  }
}

function label(def: FieldDef): string {
  return `tag ${tagHex(def.tag)} (${def.name})`;
}

function fail(def: FieldDef, message: string): never {
  throw new RecordError(`${label(def)}: ${message}`, def.tag);
}

/** True when `text` is a date YYYYMMDD of the Gregorian calendar (year 0001-9999). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{8}$/.test(text)) return false;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(4, 6));
  const day = Number(text.slice(6, 8));
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

function isPrintableAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

function padded(def: FieldDef, content: Uint8Array): Uint8Array {
  if (content.length > def.length) fail(def, `${content.length} bytes do not fit in ${def.length}`);
  const out = new Uint8Array(def.length);
  out.set(content);
  return out;
}

/**
 * Encodes a field's value (without tag and length) to exactly the field length.
 * @throws RecordError when the value does not fit: too long, characters the
 *   format does not allow (digits only for cn; printable ASCII for an; GBK
 *   without control characters for gbk), not exactly 2 × length hex digits
 *   for b, or not a calendar date YYYYMMDD for a date field.
 */
export function encodeField(def: FieldDef, value: string): Uint8Array {
  switch (def.format) {
    case 'cn': {
      if (!/^\d*$/.test(value)) fail(def, `"${value}" is not all digits (format cn)`);
      if (DATE_KEYS.has(def.key) && !isCalendarDate(value)) fail(def, `"${value}" is not a calendar date YYYYMMDD`);
      if (value.length > 2 * def.length) fail(def, `${value.length} digits do not fit in ${def.length} bytes (at most ${2 * def.length})`);
      return fromHex(value.padEnd(2 * def.length, 'F'));
    }
    case 'an': {
      if (!isPrintableAscii(value)) fail(def, `"${value}" has characters other than printable ASCII (format an)`);
      if (value.length > def.length) fail(def, `"${value}" has ${value.length} characters, at most ${def.length} fit`);
      return padded(
        def,
        Uint8Array.from(value, (c) => c.charCodeAt(0)),
      );
    }
    case 'gbk': {
      if ([...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
        fail(def, `"${value}" contains a control character`);
      let bytes: Uint8Array;
      try {
        bytes = encodeGbk(value);
      } catch (e) {
        if (e instanceof GbkError) fail(def, e.message);
        throw e;
      }
      if (bytes.length > def.length) fail(def, `"${value}" takes ${bytes.length} bytes of GBK, at most ${def.length} fit`);
      return padded(def, bytes);
    }
    case 'b': {
      if (!/^[0-9A-Fa-f]*$/.test(value) || value.length !== 2 * def.length) {
        fail(def, `"${value}" is not ${2 * def.length} hex digits (${def.length} bytes, format b)`);
      }
      return fromHex(value);
    }
  }
}

/** Encodes a whole record: tag ‖ length ‖ value. @throws RecordError as {@link encodeField}. */
export function encodeRecord(def: FieldDef, value: string): Uint8Array {
  return encodeTlv(def.tag, encodeField(def, value));
}

/**
 * Decodes a field's value (without tag and length): cn gives the digits
 * before the first F nibble, an the text before the first 00, gbk the decoded
 * text before the first 00, b upper-case hex. Dates are returned as stored,
 * not checked against the calendar (see {@link isCalendarDate}).
 * @throws RecordError on a value whose length is not the field length, a
 *   non-BCD nibble before the padding, a digit after an F nibble, padding that
 *   is not all 00 (an, gbk), non-printable ASCII (an) or malformed GBK (gbk).
 */
export function decodeField(def: FieldDef, value: Uint8Array): string {
  if (value.length !== def.length) fail(def, `the value has ${value.length} bytes, the field ${def.length}`);
  switch (def.format) {
    case 'cn': {
      const hex = toHex(value);
      const end = hex.indexOf('F');
      const digits = end < 0 ? hex : hex.slice(0, end);
      const bad = digits.search(/[^0-9]/);
      if (bad >= 0) fail(def, `nibble ${digits[bad]} at position ${bad} of ${hex} is not a BCD digit (format cn)`);
      if (end >= 0 && !/^F*$/.test(hex.slice(end))) fail(def, `${hex} has a digit after the F padding (format cn)`);
      return digits;
    }
    case 'an': {
      const text = beforePadding(def, value);
      let s = '';
      for (const b of text) {
        if (b < 0x20 || b > 0x7e) fail(def, `byte ${toHex([b])} in ${toHex(value)} is not printable ASCII (format an)`);
        s += String.fromCharCode(b);
      }
      return s;
    }
    case 'gbk': {
      const text = beforePadding(def, value);
      try {
        return decodeGbk(text);
      } catch (e) {
        if (e instanceof GbkError) fail(def, `${toHex(value)}: ${e.message}`);
        throw e;
      }
    }
    case 'b':
      return toHex(value);
  }
}

/** The bytes before the first 00; everything from there on must be 00. */
function beforePadding(def: FieldDef, value: Uint8Array): Uint8Array {
  const end = value.indexOf(0);
  if (end < 0) return value;
  if (value.subarray(end).some((b) => b !== 0)) fail(def, `${toHex(value)} has data after the 00 padding`);
  return value.subarray(0, end);
}

function isSpecVersion(v: unknown): v is SpecVersion {
  return typeof v === 'string' && (SPEC_VERSIONS as readonly string[]).includes(v);
}

/**
 * The EF05 and EF06 records of the basic data, in the tables' order, with the
 * fields of `data.specVersion` (4E only for 2.00 and 3.00; a missing or empty
 * name extension is written as 20 bytes of 00).
 * @throws RecordError for an unknown specification version, a sex other than
 *   '1' / '2', a missing value, a name extension on a 1.00 card, or a value
 *   that does not fit its field.
 */
export function encodeBasicData(data: BasicData): { ef05: Uint8Array[]; ef06: Uint8Array[] } {
  const version = data.specVersion;
  if (!isSpecVersion(version)) throw new RecordError(`unknown specification version "${String(version)}" (1.00, 2.00 or 3.00)`, 0x03);
  if (data.sex !== '1' && data.sex !== '2')
    throw new RecordError(`tag 0A (sex): "${String(data.sex)}" is not '1' (male) or '2' (female)`, 0x0a);
  if (version === '1.00' && data.nameExtension) {
    throw new RecordError('tag 4E (name extension): specification 1.00 has no name extension', 0x4e);
  }
  const records = (fields: readonly FieldDef[]): Uint8Array[] =>
    fields
      .filter((def) => def.versions.includes(version))
      .map((def) => {
        let value = data[def.key];
        if (value === undefined && def.key === 'nameExtension') value = '';
        if (typeof value !== 'string') fail(def, 'no value');
        return encodeRecord(def, value);
      });
  return { ef05: records(EF05_FIELDS), ef06: records(EF06_FIELDS) };
}

/**
 * Decodes the records of EF05 and EF06 (each `tag ‖ length ‖ value`, in any
 * order) into the basic data. A name extension record (2.00, 3.00) is
 * returned as `nameExtension` even when empty ('').
 * @throws RecordError for a record whose tag is unknown in its file, whose
 *   length byte is not the field length or does not match the record size, a
 *   tag present twice, a field missing for the card's specification version
 *   (or present though the version has no such field), an unknown
 *   specification version, a sex other than '1' / '2', or a malformed value.
 */
export function decodeBasicData(ef05Records: readonly Uint8Array[], ef06Records: readonly Uint8Array[]): BasicData {
  const values = new Map<keyof BasicData, string>();
  const seen = new Map<keyof BasicData, FieldDef>();
  const read = (file: string, fields: readonly FieldDef[], records: readonly Uint8Array[]): void => {
    records.forEach((record, i) => {
      const where = `${file} record ${i + 1}`;
      if (record.length < 2) throw new RecordError(`${where}: ${record.length} byte(s), no tag and length`);
      const tag = record[0]!;
      const def = fields.find((f) => f.tag === tag);
      if (!def) throw new RecordError(`${where}: unknown tag ${tagHex(tag)} in ${file}`, tag);
      const len = record[1]!;
      if (len !== def.length) throw new RecordError(`${where}: ${label(def)} has length ${len}, the field ${def.length}`, tag);
      if (record.length !== 2 + len) {
        throw new RecordError(`${where}: ${label(def)} record has ${record.length} bytes, its length byte says ${2 + len}`, tag);
      }
      if (seen.has(def.key)) throw new RecordError(`${where}: ${label(def)} appears twice`, tag);
      seen.set(def.key, def);
      try {
        values.set(def.key, decodeField(def, record.subarray(2)));
      } catch (e) {
        if (e instanceof RecordError) throw new RecordError(`${where}: ${e.message}`, tag);
        throw e;
      }
    });
  };
  read('EF05', EF05_FIELDS, ef05Records);
  read('EF06', EF06_FIELDS, ef06Records);

  const version = values.get('specVersion');
  if (version === undefined) throw new RecordError('EF05: tag 03 (specification version) missing', 0x03);
  if (!isSpecVersion(version)) throw new RecordError(`EF05: unknown specification version "${version}" (1.00, 2.00 or 3.00)`, 0x03);
  for (const [file, fields] of [
    ['EF05', EF05_FIELDS],
    ['EF06', EF06_FIELDS],
  ] as const) {
    for (const def of fields) {
      const applies = def.versions.includes(version);
      if (applies && !values.has(def.key)) throw new RecordError(`${file}: ${label(def)} missing`, def.tag);
      if (!applies && values.has(def.key))
        throw new RecordError(`${file}: ${label(def)} does not exist in specification ${version}`, def.tag);
    }
  }
  const sex = values.get('sex');
  if (sex !== '1' && sex !== '2') throw new RecordError(`EF06: tag 0A (sex) "${sex}" is not '1' (male) or '2' (female)`, 0x0a);

  const get = (key: keyof BasicData): string => values.get(key)!;
  const data: BasicData = {
    cardIdCode: get('cardIdCode'),
    cardType: get('cardType'),
    specVersion: version,
    initOrg: get('initOrg'),
    issueDate: get('issueDate'),
    expiryDate: get('expiryDate'),
    cardNumber: get('cardNumber'),
    ssn: get('ssn'),
    name: get('name'),
    sex,
    ethnicity: get('ethnicity'),
    birthplace: get('birthplace'),
    birthDate: get('birthDate'),
  };
  const ext = values.get('nameExtension');
  if (ext !== undefined) data.nameExtension = ext;
  return data;
}

/**
 * The city code: the first 3 bytes (6 BCD digits) of the card identification
 * code (EF05 tag 01, docs/ssse.md §2; e.g. 310100 Shanghai, observed).
 * @throws RecordError when the text is not 32 hex digits or its first 6 are not decimal digits.
 */
export function cityCode(cardIdCodeHex: string): string {
  if (!/^[0-9A-Fa-f]{32}$/.test(cardIdCodeHex)) {
    throw new RecordError(`the card identification code has 16 bytes (32 hex digits), got "${cardIdCodeHex}"`, 0x01);
  }
  const code = cardIdCodeHex.slice(0, 6);
  if (!/^\d{6}$/.test(code)) throw new RecordError(`the city code ${code.toUpperCase()} is not BCD`, 0x01);
  return code;
}
