/**
 * GBK text encoding (GB 13000-based extension of GB 2312, as used for names
 * in the social-security application: the SSSE name "社会保障", EF06 tags 09
 * and 4E; docs/ssse.md §1 and §2), without dependencies.
 *
 * The tables come from Node's WHATWG `TextDecoder('gbk')` (full ICU): on first
 * use every code of the GBK double-byte space — lead byte 0x81-0xFE, trail byte
 * 0x40-0x7E or 0x80-0xFE — is decoded once, which gives the decoding table and,
 * inverted, the encoding table (a module-level Map, built lazily and kept).
 *
 * Strict GBK: bytes 0x00-0x7F are ASCII, everything else is a double-byte
 * code. The WHATWG decoder's extras are not GBK and are rejected here: the
 * single byte 0x80 (Windows code page 936's euro sign, so '€' cannot be
 * encoded) and the GB 18030 four-byte sequences. The user-defined areas of GBK
 * decode to the Unicode private-use code points the WHATWG table gives them,
 * and those code points encode back to the same bytes.
 */

/** A character GBK cannot encode, or bytes that are not well-formed GBK. */
export class GbkError extends Error {
  /** The offending character (encoding) or undefined (decoding). */
  readonly character: string | undefined;
  /** Index of the offending character in the text (UTF-16 units) or byte in the input. */
  readonly index: number;
  constructor(message: string, index: number, character?: string) {
    super(message);
    this.name = 'GbkError';
    this.index = index;
    this.character = character;
  }
}

const LEAD_MIN = 0x81;
const LEAD_MAX = 0xfe;
const TRAIL_MIN = 0x40;
const TRAIL_MAX = 0xfe;
/** Trail bytes per lead byte in the decoding table (0x40-0xFE, 0x7F included and left empty). */
const TRAIL_SPAN = TRAIL_MAX - TRAIL_MIN + 1;

function isTrail(b: number): boolean {
  return b >= TRAIL_MIN && b <= TRAIL_MAX && b !== 0x7f;
}

interface Tables {
  /** Unicode code point → two GBK bytes as (lead << 8) | trail. */
  encode: Map<number, number>;
  /** UTF-16 code unit of a double-byte code, indexed by (lead - 0x81) * TRAIL_SPAN + (trail - 0x40); 0 when undefined. */
  decode: Uint16Array;
}

let tables: Tables | undefined;

function buildTables(): Tables {
  const decoder = new TextDecoder('gbk', { fatal: true });
  const encode = new Map<number, number>();
  const decode = new Uint16Array((LEAD_MAX - LEAD_MIN + 1) * TRAIL_SPAN);
  const pair = new Uint8Array(2);
  for (let lead = LEAD_MIN; lead <= LEAD_MAX; lead++) {
    for (let trail = TRAIL_MIN; trail <= TRAIL_MAX; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      let text: string;
      try {
        text = decoder.decode(pair);
      } catch {
        continue; // not a defined code
      }
      // Every defined GBK code is one BMP character; anything else is left out.
      if (text.length !== 1) continue;
      const unit = text.charCodeAt(0);
      if (unit < 0x80 || unit === 0xfffd || (unit >= 0xd800 && unit <= 0xdfff)) continue;
      decode[(lead - LEAD_MIN) * TRAIL_SPAN + (trail - TRAIL_MIN)] = unit;
      // Keep the first code when two codes decode to the same character.
      if (!encode.has(unit)) encode.set(unit, (lead << 8) | trail);
    }
  }
  return { encode, decode };
}

function getTables(): Tables {
  tables ??= buildTables();
  return tables;
}

function describe(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return `'${ch}' (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** Two-byte code of a character, or throws {@link GbkError}. */
function codeOf(ch: string, index: number): number {
  const cp = ch.codePointAt(0)!;
  const code = getTables().encode.get(cp);
  if (code === undefined) throw new GbkError(`GBK cannot encode the character ${describe(ch)} at index ${index}`, index, ch);
  return code;
}

/**
 * Encodes text in GBK: ASCII (U+0000-U+007F) as single bytes, every other
 * character as its two-byte code.
 * @throws GbkError naming the first character GBK cannot encode (emoji, characters outside GBK, lone surrogates, '€').
 */
export function encodeGbk(text: string): Uint8Array {
  const out = new Uint8Array(gbkLength(text));
  let pos = 0;
  let index = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      out[pos++] = cp;
    } else {
      const code = codeOf(ch, index);
      out[pos++] = code >> 8;
      out[pos++] = code & 0xff;
    }
    index += ch.length;
  }
  return out;
}

/**
 * Number of bytes of the GBK encoding of `text` (1 for ASCII, 2 otherwise).
 * @throws GbkError for a character GBK cannot encode.
 */
export function gbkLength(text: string): number {
  let n = 0;
  let index = 0;
  for (const ch of text) {
    if (ch.codePointAt(0)! < 0x80) n += 1;
    else {
      codeOf(ch, index);
      n += 2;
    }
    index += ch.length;
  }
  return n;
}

export interface DecodeGbkOptions {
  /**
   * Throw {@link GbkError} on bytes that are not well-formed GBK (default
   * true). When false, each bad byte becomes U+FFFD and decoding goes on.
   */
  fatal?: boolean;
}

/**
 * Decodes GBK bytes: 0x00-0x7F as ASCII, lead 0x81-0xFE with trail
 * 0x40-0x7E / 0x80-0xFE as a double-byte code. 00 bytes are decoded like any
 * other ASCII byte (strip padding before decoding).
 * @throws GbkError (unless `fatal` is false) on a byte 0x80 or 0xFF, a lead
 *   byte without a valid trail byte, or a code GBK leaves undefined.
 */
export function decodeGbk(bytes: ArrayLike<number>, opts: DecodeGbkOptions = {}): string {
  const fatal = opts.fatal ?? true;
  const { decode } = getTables();
  let s = '';
  const bad = (i: number, what: string): void => {
    if (fatal) throw new GbkError(`not GBK at byte ${i}: ${what}`, i);
    s += '\ufffd';
  };
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]! & 0xff;
    if (b < 0x80) {
      s += String.fromCharCode(b);
      i++;
      continue;
    }
    if (b < LEAD_MIN || b > LEAD_MAX) {
      bad(i, `byte ${hex2(b)} is neither ASCII nor a lead byte`);
      i++;
      continue;
    }
    if (i + 1 >= bytes.length) {
      bad(i, `lead byte ${hex2(b)} at the end of the input`);
      i++;
      continue;
    }
    const t = bytes[i + 1]! & 0xff;
    if (!isTrail(t)) {
      bad(i, `lead byte ${hex2(b)} followed by ${hex2(t)}, not a trail byte`);
      i++; // the second byte may start a character of its own
      continue;
    }
    const unit = decode[(b - LEAD_MIN) * TRAIL_SPAN + (t - TRAIL_MIN)]!;
    if (unit === 0) bad(i, `code ${hex2(b)}${hex2(t)} is not defined`);
    else s += String.fromCharCode(unit);
    i += 2;
  }
  return s;
}

function hex2(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}
