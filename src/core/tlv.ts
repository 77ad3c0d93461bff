/**
 * BER-TLV data objects as used by ISO/IEC 7816-4 and EMV / PBOC.
 *
 * Implements the encoding rules of ISO/IEC 7816-4:2005 §5.2.2 (BER-TLV data
 * objects, derived from ISO/IEC 8825-1 §8.1.2 and §8.1.3):
 *
 * - Tag field (§5.2.2.1, ISO/IEC 8825-1 §8.1.2): bits b8-b7 of the first
 *   byte give the class, b6 says whether the object is constructed, and
 *   b5-b1 = '11111' announces subsequent tag bytes, each of which has b8 set
 *   except the last. Tags are handled here as numbers made of the tag bytes
 *   read big-endian (`0x6F`, `0x9F38`, `0xDF8101`).
 * - Length field (§5.2.2.2 Table 7, ISO/IEC 8825-1 §8.1.3): short form
 *   '00'-'7F', long forms '81 XX', '82 XXXX' and '83 XXXXXX'. The indefinite
 *   form '80' is not allowed in ISO/IEC 7816-4 and is rejected; longer forms
 *   are not supported.
 * - Value field: for a constructed object, a concatenation of BER-TLV data
 *   objects (§5.2.2.1, constructed encoding).
 * - Padding (§5.2.2.1 last paragraph; EMV Book 3 Annex B): bytes '00' or
 *   'FF' may appear before, between or after data objects and are skipped.
 *
 * The module is pure: no I/O, no global state. Tag names and the readable
 * dump are in tlv-dump.ts.
 */

import { type Bytes, concat, toHex, fromHex } from './bytes.ts';

/** One BER-TLV data object (ISO/IEC 7816-4:2005 §5.2.2). */
export interface Tlv {
  /** Tag bytes read as a big-endian number, e.g. 0x6F, 0x9F38, 0xBF0C. */
  tag: number;
  /** b6 of the first tag byte (ISO/IEC 8825-1 §8.1.2.5). */
  constructed: boolean;
  /** The value field exactly as encoded (for constructed objects, the encoded children). */
  value: Bytes;
  /** Parsed nested objects; present for constructed objects parsed recursively or built from children. */
  children?: Tlv[];
}

/** Malformed BER-TLV encoding. `offset` is the position in the outermost input. */
export class TlvError extends Error {
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(`BER-TLV error at offset ${offset}: ${message}`);
    this.name = 'TlvError';
    this.offset = offset;
  }
}

export interface ParseTlvOptions {
  /**
   * Parse the value of constructed objects into `children` (default true).
   * When a constructed value is not itself a valid TLV sequence, parsing fails
   * with a {@link TlvError}.
   */
  recursive?: boolean;
}

/** Longest tag accepted, in bytes (EMV uses at most 2, some proprietary tags 3). */
const MAX_TAG_BYTES = 4;

function isPadding(b: number): boolean {
  return b === 0x00 || b === 0xff;
}

/** First tag byte of a tag number, i.e. its most significant non-zero byte. */
function firstTagByte(tag: number): number {
  let t = tag;
  while (t > 0xff) t = Math.floor(t / 256);
  return t;
}

/** True when the tag has b6 of its first byte set (ISO/IEC 8825-1 §8.1.2.5). */
export function isConstructedTag(tag: number): boolean {
  return (firstTagByte(tag) & 0x20) !== 0;
}

interface Decoded<T> {
  value: T;
  next: number;
}

/** Reads a tag field (ISO/IEC 7816-4:2005 §5.2.2.1) starting at `pos`. */
function readTag(bytes: Bytes, pos: number, end: number): Decoded<number> {
  const start = pos;
  const first = bytes[pos]!;
  let tag = first;
  pos++;
  if ((first & 0x1f) === 0x1f) {
    // Subsequent bytes: b8 = 1 means another byte follows.
    for (;;) {
      if (pos >= end) throw new TlvError(start, `truncated tag ${toHex(bytes.subarray(start, pos))}: subsequent tag byte missing`);
      const b = bytes[pos]!;
      tag = tag * 256 + b;
      pos++;
      if (pos - start > MAX_TAG_BYTES) throw new TlvError(start, `tag longer than ${MAX_TAG_BYTES} bytes`);
      if ((b & 0x80) === 0) break;
    }
  }
  return { value: tag, next: pos };
}

/** Reads a length field (ISO/IEC 7816-4:2005 §5.2.2.2, Table 7) starting at `pos`. */
function readLength(bytes: Bytes, pos: number, end: number, tag: number): Decoded<number> {
  if (pos >= end) throw new TlvError(pos, `truncated length: no length field after tag ${tagHex(tag)}`);
  const first = bytes[pos]!;
  if (first < 0x80) return { value: first, next: pos + 1 };
  if (first === 0x80) throw new TlvError(pos, `indefinite length form '80' not allowed (tag ${tagHex(tag)})`);
  const count = first & 0x7f;
  if (count > 3) {
    throw new TlvError(pos, `unsupported length form '${toHex([first])}' (at most '83') for tag ${tagHex(tag)}`);
  }
  if (pos + 1 + count > end) {
    throw new TlvError(
      pos,
      `truncated length: '${toHex([first])}' needs ${count} more byte(s), ${end - pos - 1} left (tag ${tagHex(tag)})`,
    );
  }
  let len = 0;
  for (let i = 1; i <= count; i++) len = len * 256 + bytes[pos + i]!;
  return { value: len, next: pos + 1 + count };
}

function parseRange(bytes: Bytes, start: number, end: number, recursive: boolean): Tlv[] {
  const out: Tlv[] = [];
  let pos = start;
  while (pos < end) {
    if (isPadding(bytes[pos]!)) {
      pos++;
      continue;
    }
    const objStart = pos;
    const tag = readTag(bytes, pos, end);
    const len = readLength(bytes, tag.next, end, tag.value);
    const valueStart = len.next;
    const valueEnd = valueStart + len.value;
    if (valueEnd > end) {
      throw new TlvError(
        objStart,
        `length ${len.value} of tag ${tagHex(tag.value)} runs past the end (${end - valueStart} byte(s) available)`,
      );
    }
    const constructed = isConstructedTag(tag.value);
    const obj: Tlv = { tag: tag.value, constructed, value: bytes.slice(valueStart, valueEnd) };
    if (constructed && recursive) obj.children = parseRange(bytes, valueStart, valueEnd, true);
    out.push(obj);
    pos = valueEnd;
  }
  return out;
}

/**
 * Parses a sequence of BER-TLV data objects (ISO/IEC 7816-4:2005 §5.2.2),
 * skipping '00'/'FF' padding between objects. Constructed objects get their
 * `children` parsed recursively unless `opts.recursive` is false.
 *
 * @throws TlvError on a truncated tag or length, a length running past the
 *   end of the enclosing data, the indefinite form '80', a length form above
 *   '83', or a constructed value that is not a valid TLV sequence.
 */
export function parseTlv(bytes: Bytes, opts: ParseTlvOptions = {}): Tlv[] {
  return parseRange(bytes, 0, bytes.length, opts.recursive ?? true);
}

/**
 * Encodes a tag number into its tag field (ISO/IEC 7816-4:2005 §5.2.2.1).
 * @throws RangeError when the number is not a well-formed tag of 1-4 bytes.
 */
export function encodeTag(tag: number): Bytes {
  if (!Number.isInteger(tag) || tag <= 0 || tag > 0xffffffff) throw new RangeError(`invalid tag ${tag}`);
  const bytes: number[] = [];
  let t = tag;
  while (t > 0) {
    bytes.unshift(t & 0xff);
    t = Math.floor(t / 256);
  }
  const first = bytes[0]!;
  const multi = (first & 0x1f) === 0x1f;
  if (!multi && bytes.length > 1) {
    throw new RangeError(`invalid tag ${tagHex(tag)}: first byte does not announce subsequent bytes (b5-b1 != 11111)`);
  }
  if (multi) {
    if (bytes.length < 2) throw new RangeError(`invalid tag ${tagHex(tag)}: subsequent tag byte missing`);
    for (let i = 1; i < bytes.length; i++) {
      const more = (bytes[i]! & 0x80) !== 0;
      const last = i === bytes.length - 1;
      if (more === last) {
        throw new RangeError(`invalid tag ${tagHex(tag)}: b8 of subsequent tag byte ${i} must be ${last ? 0 : 1}`);
      }
    }
  }
  return Uint8Array.from(bytes);
}

/**
 * Encodes a length field in the shortest form (ISO/IEC 7816-4:2005 §5.2.2.2
 * Table 7): '00'-'7F', '81 XX', '82 XXXX' or '83 XXXXXX'.
 * @throws RangeError for negative, non-integer or > 0xFFFFFF lengths.
 */
export function encodeLength(n: number): Bytes {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`invalid length ${n}`);
  if (n < 0x80) return Uint8Array.of(n);
  if (n <= 0xff) return Uint8Array.of(0x81, n);
  if (n <= 0xffff) return Uint8Array.of(0x82, n >> 8, n & 0xff);
  if (n <= 0xffffff) return Uint8Array.of(0x83, n >> 16, (n >> 8) & 0xff, n & 0xff);
  throw new RangeError(`length ${n} too large for the '83' form`);
}

/** Encodes a value field from raw bytes or a list of nested objects. */
function encodedValue(tag: number, value: Bytes | Tlv[]): Bytes {
  if (value instanceof Uint8Array) return value;
  if (!isConstructedTag(tag)) {
    throw new RangeError(`tag ${tagHex(tag)} is primitive (b6 = 0) and cannot have nested objects`);
  }
  return concat(...value.map(serializeTlv));
}

/**
 * Encodes one data object: tag, shortest length, value. `value` is either the
 * raw value field or, for a constructed tag, the nested objects.
 */
export function encodeTlv(tag: number, value: Bytes | Tlv[]): Bytes {
  const v = encodedValue(tag, value);
  return concat(encodeTag(tag), encodeLength(v.length), v);
}

/**
 * Builds a {@link Tlv}. With a list of children the value is their encoding;
 * with raw bytes `children` is left undefined (even for a constructed tag).
 */
export function tlv(tag: number, value: Bytes | Tlv[]): Tlv {
  encodeTag(tag); // validate
  const v = encodedValue(tag, value);
  const t: Tlv = { tag, constructed: isConstructedTag(tag), value: v };
  if (!(value instanceof Uint8Array)) t.children = value;
  return t;
}

/**
 * Encodes a {@link Tlv}. When `children` is present it is encoded (so edits to
 * the tree are reflected and padding in a parsed value is dropped); otherwise
 * `value` is used as is.
 */
export function serializeTlv(t: Tlv): Bytes {
  return encodeTlv(t.tag, t.children ?? t.value);
}

/** Encodes a list of objects one after the other. */
export function serializeTlvList(list: readonly Tlv[]): Bytes {
  return concat(...list.map(serializeTlv));
}

/** First object with `tag`, depth-first in document order (parents before children). */
export function findTag(list: readonly Tlv[], tag: number): Tlv | undefined {
  for (const t of list) {
    if (t.tag === tag) return t;
    if (t.children) {
      const found = findTag(t.children, tag);
      if (found) return found;
    }
  }
  return undefined;
}

/** Every object with `tag`, depth-first in document order. */
export function findAll(list: readonly Tlv[], tag: number): Tlv[] {
  const out: Tlv[] = [];
  const walk = (l: readonly Tlv[]): void => {
    for (const t of l) {
      if (t.tag === tag) out.push(t);
      if (t.children) walk(t.children);
    }
  };
  walk(list);
  return out;
}

/** Upper-case hex of a tag number with an even number of digits: 0x9F38 → "9F38", 0x6F → "6F". */
export function tagHex(tag: number): string {
  const h = tag.toString(16).toUpperCase();
  return h.length % 2 === 0 ? h : `0${h}`;
}

/**
 * Parses a tag written in hex ("9F38", "5f2d", "DF 81 01") into its number.
 * @throws TlvError when the text is not exactly one well-formed tag field.
 */
export function parseTagHex(text: string): number {
  let bytes: Bytes;
  try {
    bytes = fromHex(text);
  } catch {
    throw new TlvError(0, `tag "${text}" is not hex`);
  }
  if (bytes.length === 0) throw new TlvError(0, `empty tag "${text}"`);
  if (isPadding(bytes[0]!)) throw new TlvError(0, `'${toHex(bytes.subarray(0, 1))}' is a padding byte, not a tag`);
  const { value, next } = readTag(bytes, 0, bytes.length);
  if (next !== bytes.length) throw new TlvError(next, `"${text}" has bytes after the end of the tag`);
  return value;
}
