/**
 * Key components for split-knowledge key entry (ANSI X9.24-1 / ISO 11568-2
 * key components: the key is the XOR of two or more components held by
 * different custodians, each checked by its KCV).
 */
import { randomBytes } from 'node:crypto';
import type { Bytes } from '../core/bytes.ts';
import { type BlockAlg, blockSize } from './block.ts';
import { adjustParity } from './derive.ts';

/** A fresh random 16-byte key: double-length 3DES with odd parity, or SM4. */
export function randomKey(alg: BlockAlg): Bytes {
  blockSize(alg); // throws on an unknown name
  const key = new Uint8Array(randomBytes(16));
  return alg === '3des' ? adjustParity(key) : key;
}

/**
 * XOR of the components. Needs at least two, all of the same non-zero length.
 * The result is not parity adjusted (XOR of an even number of odd-parity
 * components has even parity; DES ignores parity bits, and the KCV is the same).
 */
export function combine(components: Bytes[]): Bytes {
  if (!Array.isArray(components) || components.length < 2) {
    throw new RangeError(`combining needs at least 2 components, got ${Array.isArray(components) ? components.length : 0}`);
  }
  const n = components[0]!.length;
  if (n === 0) throw new RangeError('key components must not be empty');
  components.forEach((c, i) => {
    if (c.length !== n)
      throw new RangeError(`key component ${i + 1} is ${c.length} bytes, component 1 is ${n}: all components must have the same length`);
  });
  const out = new Uint8Array(n);
  for (const c of components) for (let i = 0; i < n; i++) out[i]! ^= c[i]!;
  return out;
}
