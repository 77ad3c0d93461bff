/**
 * Data object lists (EMV 4.x Book 3 §5.4; JR/T 0025 the same): a DOL is a
 * list of tag ‖ length entries; the DOL-related data are the values of those
 * data elements, each cut or padded to the length the DOL asks for.
 */
import { type Bytes, toHex } from '../core/bytes.ts';

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
        tag = (tag << 8) | dol[j]!;
      } while (dol[j++]! & 0x80);
    }
    const length = dol[j];
    if (length === undefined) throw new DolError(`DOL ${toHex(dol)} ends before the length of tag ${tag.toString(16).toUpperCase()}`);
    out.push({ tag, length });
    i = j + 1;
  }
  return out;
}

/** Total length of the DOL-related data. */
export function dolLength(dol: Bytes | readonly DolEntry[]): number {
  const entries = dol instanceof Uint8Array ? parseDol(dol) : dol;
  return entries.reduce((n, e) => n + e.length, 0);
}

/**
 * Data elements of numeric format `n` (EMV Book 3 Annex A): right-justified,
 * padded with leading 00 and cut on the left; every other format is
 * left-justified, padded with trailing 00 and cut on the right.
 */
export const NUMERIC_TAGS: ReadonlySet<number> = new Set([
  0x9f02, 0x9f03, 0x5f2a, 0x9f1a, 0x9a, 0x9c, 0x9f21, 0x5f24, 0x5f25, 0x5f28, 0x9f42, 0x9f36, 0x9f13, 0x9f41, 0x5f36, 0x9f44, 0x9f15, 0x9f3c, 0x9f3d, 0x9f1b,
]);

/**
 * Builds the DOL-related data from values by tag (Book 3 §5.4): a value
 * longer than asked is cut, a shorter one padded as its format says, a
 * missing one given as zeros.
 */
export function buildDolData(dol: Bytes | readonly DolEntry[], values: ReadonlyMap<number, Bytes>): Bytes {
  const entries = dol instanceof Uint8Array ? parseDol(dol) : dol;
  const out = new Uint8Array(dolLength(entries));
  let off = 0;
  for (const { tag, length } of entries) {
    const v = values.get(tag);
    if (v) {
      if (NUMERIC_TAGS.has(tag)) {
        const cut = v.length > length ? v.slice(v.length - length) : v;
        out.set(cut, off + length - cut.length);
      } else out.set(v.slice(0, length), off);
    }
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
