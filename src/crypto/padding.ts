/**
 * ISO/IEC 9797-1:2011 §6.3 padding methods, as used before a CBC-MAC and for
 * PBOC / social-security secure messaging.
 *
 * - Method 1: right-pad with as few `00` bytes as needed to reach a positive
 *   multiple of the block size. Data already aligned gets nothing; empty data
 *   gets one block of zeros (the standard asks for a *positive* multiple).
 * - Method 2: append `80`, then as few `00` bytes as needed. Always adds at
 *   least one byte (a whole block when the data is aligned). This is the
 *   "80 00…" padding of JR/T 0025 and LD/T 32 secure messaging.
 * - Method 3: a block L holding the length of the data **in bits**, big-endian
 *   and left-padded with zeros, followed by the data padded with method 1.
 */
import type { Bytes } from '../core/bytes.ts';

/** Malformed method-2 padding. */
export class PaddingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaddingError';
  }
}

function checkBlockSize(blockSize: number): void {
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 255) {
    throw new RangeError(`block size must be an integer from 1 to 255, got ${blockSize}`);
  }
}

function zeroPad(data: Bytes, blockSize: number): Bytes {
  const len = data.length === 0 ? blockSize : Math.ceil(data.length / blockSize) * blockSize;
  const out = new Uint8Array(len);
  out.set(data, 0);
  return out;
}

/** Pads `data` to a multiple of `blockSize` with ISO/IEC 9797-1 padding method 1, 2 or 3. */
export function pad(data: Bytes, blockSize: number, method: 1 | 2 | 3): Bytes {
  checkBlockSize(blockSize);
  if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array');
  switch (method) {
    case 1:
      return zeroPad(data, blockSize);
    case 2: {
      const len = (Math.floor(data.length / blockSize) + 1) * blockSize;
      const out = new Uint8Array(len);
      out.set(data, 0);
      out[data.length] = 0x80;
      return out;
    }
    case 3: {
      const body = zeroPad(data, blockSize);
      const out = new Uint8Array(blockSize + body.length);
      // L: bit length, big-endian, right-aligned in the first block.
      let bits = BigInt(data.length) * 8n;
      for (let i = blockSize - 1; i >= 0 && bits > 0n; i--) {
        out[i] = Number(bits & 0xffn);
        bits >>= 8n;
      }
      if (bits > 0n) throw new RangeError(`data too long for a ${blockSize}-byte length block`);
      out.set(body, blockSize);
      return out;
    }
    default:
      throw new RangeError(`padding method must be 1, 2 or 3, got ${String(method)}`);
  }
}

/**
 * Strips method-2 padding (`80` followed by zero or more `00`). With
 * `blockSize`, also checks that the data is a whole number of blocks and that
 * the padding is no longer than one block. Throws {@link PaddingError} when the
 * padding is malformed.
 */
export function unpad2(data: Bytes, blockSize?: number): Bytes {
  if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array');
  if (blockSize !== undefined) {
    checkBlockSize(blockSize);
    if (data.length === 0 || data.length % blockSize !== 0) {
      throw new PaddingError(`padded data length ${data.length} is not a positive multiple of ${blockSize}`);
    }
  }
  let i = data.length - 1;
  while (i >= 0 && data[i] === 0x00) i--;
  if (i < 0) throw new PaddingError(data.length === 0 ? 'no padding: data is empty' : 'no 80 padding byte: data is all zeros');
  if (data[i] !== 0x80) {
    throw new PaddingError(
      `padding must end in 80 00…, found ${data[i]!.toString(16).toUpperCase().padStart(2, '0')} before the trailing zeros`,
    );
  }
  if (blockSize !== undefined && data.length - i > blockSize) {
    throw new PaddingError(`padding of ${data.length - i} bytes is longer than one ${blockSize}-byte block`);
  }
  return data.slice(0, i);
}
