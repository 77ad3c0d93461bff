/**
 * Byte helpers shared by every layer. Byte strings are `Uint8Array`; hex is
 * upper case without separators when produced, and accepted with spaces,
 * colons or a `0x` prefix when parsed.
 */

export type Bytes = Uint8Array;

export class HexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HexError';
  }
}

/** Parses hex text ("00 A4 04 00", "00a40400", "0x00A4") into bytes. */
export function fromHex(text: string): Bytes {
  const clean = text.replace(/0x/gi, '').replace(/[\s:_-]/g, '');
  if (clean.length % 2 !== 0) throw new HexError(`odd number of hex digits in "${text}"`);
  if (!/^[0-9a-fA-F]*$/.test(clean)) throw new HexError(`not hexadecimal: "${text}"`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** True when `text` is well-formed hex as accepted by {@link fromHex}. */
export function isHex(text: string): boolean {
  const clean = text.replace(/0x/gi, '').replace(/[\s:_-]/g, '');
  return clean.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(clean);
}

/** Upper-case hex; `separator` goes between bytes (default none). */
export function toHex(bytes: ArrayLike<number>, separator = ''): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0 && separator) s += separator;
    s += (bytes[i]! & 0xff).toString(16).toUpperCase().padStart(2, '0');
  }
  return s;
}

export function concat(...parts: ArrayLike<number>[]): Bytes {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function equal(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function xor(a: ArrayLike<number>, b: ArrayLike<number>): Bytes {
  if (a.length !== b.length) throw new RangeError(`xor of ${a.length} and ${b.length} bytes`);
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** Big-endian unsigned integer of `length` bytes. */
export function uint(value: number, length: number): Bytes {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** (8 * length)) {
    throw new RangeError(`${value} does not fit in ${length} byte(s)`);
  }
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = value & 0xff;
    value = Math.floor(value / 256);
  }
  return out;
}

/** Reads a big-endian unsigned integer. */
export function readUint(bytes: ArrayLike<number>, offset = 0, length = bytes.length - offset): number {
  let v = 0;
  for (let i = 0; i < length; i++) v = v * 256 + bytes[offset + i]!;
  return v;
}

/** ASCII / Latin-1 text to bytes (one byte a character). */
export function ascii(text: string): Bytes {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new RangeError(`not a single-byte character: ${text[i]}`);
    out[i] = c;
  }
  return out;
}

/** Printable ASCII rendering of bytes, '.' for anything else. */
export function printable(bytes: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  }
  return s;
}
