/**
 * Data object lists (EMV 4.x Book 3 §5.4 "Rules for Using a Data Object List
 * (DOL)"; JR/T 0025 the same): a DOL is a list of tag ‖ length entries; the
 * DOL-related data are the values of those data elements, concatenated in
 * DOL order, each cut or padded to the length the DOL asks for.
 *
 * Book 3 §5.4 rules implemented by {@link buildDolData}:
 *
 * a. a tag unknown to the terminal, or a constructed tag: as many hex zeros
 *    as the entry's length;
 * b. a known data object absent for this transaction: hex zeros;
 * c. the entry is shorter than the data: numeric (`n`) data lose their
 *    leftmost bytes, every other format its rightmost bytes;
 * d. the entry is longer than the data: `n` is padded with leading 00,
 *    compressed numeric (`cn`) with trailing FF, every other format (`an`,
 *    `ans`, `b`) with trailing 00.
 *
 * The format of a data element comes from Book 3 Annex A (Table 33, data
 * elements dictionary), see {@link DATA_FORMATS}.
 */
import { type Bytes, concat, toHex } from '../core/bytes.ts';
import { encodeTag, isConstructedTag, tagHex } from '../core/tlv.ts';

export interface DolEntry {
  tag: number;
  length: number;
}

export class DolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DolError';
  }
}

/** Parses a DOL: BER tags (multi-byte when the low 5 bits of the first byte are all set) each followed by one length byte. */
export function parseDol(dol: Bytes): DolEntry[] {
  const out: DolEntry[] = [];
  let i = 0;
  while (i < dol.length) {
    let tag = dol[i]!;
    let j = i + 1;
    if ((tag & 0x1f) === 0x1f) {
      do {
        if (j >= dol.length) throw new DolError(`DOL ${toHex(dol)} ends inside a tag`);
        tag = tag * 256 + dol[j]!;
      } while (dol[j++]! & 0x80);
    }
    const length = dol[j];
    if (length === undefined) throw new DolError(`DOL ${toHex(dol)} ends before the length of tag ${tagHex(tag)}`);
    out.push({ tag, length });
    i = j + 1;
  }
  return out;
}

/** Encodes DOL entries back into a DOL (tag ‖ one length byte each). */
export function encodeDol(entries: readonly DolEntry[]): Bytes {
  return concat(
    ...entries.map((e) => {
      if (!Number.isInteger(e.length) || e.length < 0 || e.length > 0xff)
        throw new DolError(`DOL length ${e.length} of tag ${tagHex(e.tag)} is not one byte`);
      return concat(encodeTag(e.tag), [e.length]);
    }),
  );
}

/** Total length of the DOL-related data. */
export function dolLength(dol: Bytes | readonly DolEntry[]): number {
  const entries = dol instanceof Uint8Array ? parseDol(dol) : dol;
  return entries.reduce((n, e) => n + e.length, 0);
}

/** Data element formats of EMV Book 3 §4.3 (Data Element Format Conventions). */
export type DataFormat = 'n' | 'cn' | 'b' | 'an' | 'ans' | 'a';

/**
 * Formats of the data elements that may appear in a PDOL / CDOL / DDOL / TDOL
 * (EMV Book 3 Annex A, Table 33; JR/T 0025 additions). Tags not listed are
 * handled as binary.
 */
export const DATA_FORMATS: ReadonlyMap<number, DataFormat> = new Map<number, DataFormat>([
  // numeric (n)
  [0x9f02, 'n'], // amount, authorised n12
  [0x9f03, 'n'], // amount, other n12
  [0x9f1a, 'n'], // terminal country code n3
  [0x5f2a, 'n'], // transaction currency code n3
  [0x5f36, 'n'], // transaction currency exponent n1
  [0x9a, 'n'], // transaction date n6 YYMMDD
  [0x9c, 'n'], // transaction type n2
  [0x9f21, 'n'], // transaction time n6 HHMMSS
  [0x9f35, 'n'], // terminal type n2
  [0x9f15, 'n'], // merchant category code n4
  [0x9f01, 'n'], // acquirer identifier n6-11
  [0x9f41, 'n'], // transaction sequence counter n4-8
  [0x9f39, 'n'], // POS entry mode n2
  [0x9f3c, 'n'], // transaction reference currency code n3
  [0x9f3d, 'n'], // transaction reference currency exponent n1
  [0x5f24, 'n'], // application expiration date n6
  [0x5f25, 'n'], // application effective date n6
  [0x5f28, 'n'], // issuer country code n3
  [0x5f34, 'n'], // PAN sequence number n2
  [0x5f30, 'n'], // service code n3
  [0x9f42, 'n'], // application currency code n3
  [0x9f44, 'n'], // application currency exponent n1
  [0x9f11, 'n'], // issuer code table index n2
  [0x5f57, 'n'], // account type n2
  // compressed numeric (cn)
  [0x5a, 'cn'], // application PAN cn up to 19
  [0x9f20, 'cn'], // track 2 discretionary data cn
  // alphanumeric (special)
  [0x8a, 'an'], // authorisation response code an2
  [0x9f1c, 'an'], // terminal identification an8
  [0x9f1e, 'an'], // IFD serial number an8
  [0x9f16, 'ans'], // merchant identifier ans15
  [0x9f4e, 'ans'], // merchant name and location ans
  [0x50, 'ans'], // application label ans 1-16
  [0x5f20, 'ans'], // cardholder name ans 2-26
]);

/**
 * Kept for callers of the first version: the tags of numeric (`n`) format in
 * {@link DATA_FORMATS}.
 */
export const NUMERIC_TAGS: ReadonlySet<number> = new Set([...DATA_FORMATS].filter(([, f]) => f === 'n').map(([t]) => t));

/** Format of a tag per {@link DATA_FORMATS} (or `formats`), binary when unlisted. */
export function dataFormat(tag: number, formats: ReadonlyMap<number, DataFormat> = DATA_FORMATS): DataFormat {
  return formats.get(tag) ?? DATA_FORMATS.get(tag) ?? 'b';
}

/** Fits one value into `length` bytes by the rules c. and d. of Book 3 §5.4. */
export function fitDolValue(value: Bytes, length: number, format: DataFormat): Bytes {
  const out = new Uint8Array(length);
  if (format === 'n') {
    const cut = value.length > length ? value.subarray(value.length - length) : value;
    out.set(cut, length - cut.length);
    return out;
  }
  const cut = value.subarray(0, Math.min(length, value.length));
  out.set(cut, 0);
  if (format === 'cn') out.fill(0xff, cut.length);
  return out;
}

export interface BuildDolOptions {
  /** Formats that override {@link DATA_FORMATS} (e.g. proprietary tags of numeric format). */
  formats?: ReadonlyMap<number, DataFormat>;
}

/**
 * Builds the DOL-related data from values by tag (Book 3 §5.4): a value
 * longer than asked is cut, a shorter one padded as its format says, a
 * missing one — or a constructed tag — given as zeros.
 */
export function buildDolData(dol: Bytes | readonly DolEntry[], values: ReadonlyMap<number, Bytes>, opts: BuildDolOptions = {}): Bytes {
  const entries = dol instanceof Uint8Array ? parseDol(dol) : dol;
  const out = new Uint8Array(dolLength(entries));
  let off = 0;
  for (const { tag, length } of entries) {
    const v = values.get(tag);
    if (v && !isConstructedTag(tag)) out.set(fitDolValue(v, length, dataFormat(tag, opts.formats)), off);
    off += length;
  }
  return out;
}

/** The value of `tag` in DOL-related data, when the DOL names it. */
export function dolValue(dol: Bytes | readonly DolEntry[], data: Bytes, tag: number): Bytes | undefined {
  const entries = dol instanceof Uint8Array ? parseDol(dol) : dol;
  let off = 0;
  for (const e of entries) {
    if (e.tag === tag) return data.slice(off, off + e.length);
    off += e.length;
  }
  return undefined;
}

/** Splits DOL-related data back into one value per DOL entry (in DOL order). */
export function splitDolData(dol: Bytes | readonly DolEntry[], data: Bytes): { tag: number; value: Bytes }[] {
  const entries = dol instanceof Uint8Array ? parseDol(dol) : dol;
  const need = dolLength(entries);
  if (data.length !== need) throw new DolError(`the DOL asks for ${need} bytes, got ${data.length}`);
  let off = 0;
  return entries.map((e) => {
    const value = data.slice(off, off + e.length);
    off += e.length;
    return { tag: e.tag, value };
  });
}
