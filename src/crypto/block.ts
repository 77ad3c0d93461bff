/**
 * Block ciphers for the card's two key systems: DES / 3DES (first and second
 * generation cards, JR/T 0025 PBOC 2.0, LD/T 32 social security) and SM4
 * (third generation, GB/T 32907-2016).
 *
 * Everything goes through `node:crypto` (OpenSSL 3), with automatic padding
 * switched off: callers pad explicitly (see `padding.ts`). Single DES is
 * computed as two-key 3DES with K‖K (EDE with equal keys is one DES
 * encryption), because OpenSSL 3 only offers single-DES ciphers through the
 * legacy provider.
 *
 * - 3DES: TDEA per NIST SP 800-67 / ISO/IEC 18033-3, keying option 2 (16-byte
 *   K1‖K2, K3 = K1) or option 1 (24 bytes); an 8-byte key is single DES
 *   (FIPS 46-3).
 * - SM4: GB/T 32907-2016, 128-bit key and block.
 * - Modes: ECB and CBC per ISO/IEC 10116 (NIST SP 800-38A).
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { Bytes } from '../core/bytes.ts';

export type BlockAlg = '3des' | 'sm4';

export const BLOCK_ALGS: readonly BlockAlg[] = ['3des', 'sm4'];

/** A key whose length the algorithm does not accept. */
export class KeyLengthError extends RangeError {
  constructor(
    readonly alg: string,
    readonly length: number,
    readonly allowed: readonly number[],
  ) {
    super(`${alg} key must be ${listLengths(allowed)} bytes, got ${length}`);
    this.name = 'KeyLengthError';
  }
}

function listLengths(allowed: readonly number[]): string {
  if (allowed.length === 1) return String(allowed[0]);
  return `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}`;
}

/** True for the two algorithm names this module knows. */
export function isBlockAlg(value: string): value is BlockAlg {
  return value === '3des' || value === 'sm4';
}

/** Block size in bytes: 8 for DES/3DES, 16 for SM4. */
export function blockSize(alg: BlockAlg): 8 | 16 {
  if (alg === '3des') return 8;
  if (alg === 'sm4') return 16;
  throw new RangeError(`unknown block cipher "${String(alg)}" (expected 3des or sm4)`);
}

/** Key lengths each algorithm accepts. */
export function keyLengths(alg: BlockAlg): readonly number[] {
  blockSize(alg);
  return alg === '3des' ? [8, 16, 24] : [16];
}

/** Throws {@link KeyLengthError} unless `key` has one of the `allowed` lengths. */
export function checkKeyLength(alg: string, key: Bytes, allowed: readonly number[]): void {
  if (!(key instanceof Uint8Array)) throw new TypeError(`${alg} key must be a Uint8Array`);
  if (!allowed.includes(key.length)) throw new KeyLengthError(alg, key.length, allowed);
}

/** OpenSSL cipher name and the key to hand it. */
function opensslCipher(alg: BlockAlg, key: Bytes, mode: 'ecb' | 'cbc'): { name: string; key: Bytes } {
  checkKeyLength(alg, key, keyLengths(alg));
  if (alg === 'sm4') return { name: `sm4-${mode}`, key };
  if (key.length === 8) {
    // Single DES: 2-key 3DES with K1 = K2 = K.
    const kk = new Uint8Array(16);
    kk.set(key, 0);
    kk.set(key, 8);
    return { name: mode === 'ecb' ? 'des-ede' : 'des-ede-cbc', key: kk };
  }
  if (key.length === 16) return { name: mode === 'ecb' ? 'des-ede' : 'des-ede-cbc', key };
  return { name: mode === 'ecb' ? 'des-ede3' : 'des-ede3-cbc', key };
}

function checkData(alg: BlockAlg, data: Bytes, what = 'data'): void {
  if (!(data instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
  const n = blockSize(alg);
  if (data.length % n !== 0) {
    throw new RangeError(`${alg}: ${what} length ${data.length} is not a multiple of the ${n}-byte block`);
  }
}

function checkIv(alg: BlockAlg, iv: Bytes): void {
  if (!(iv instanceof Uint8Array)) throw new TypeError('iv must be a Uint8Array');
  const n = blockSize(alg);
  if (iv.length !== n) throw new RangeError(`${alg}: iv must be ${n} bytes, got ${iv.length}`);
}

function run(decrypt: boolean, alg: BlockAlg, key: Bytes, iv: Bytes | null, data: Bytes): Bytes {
  const { name, key: k } = opensslCipher(alg, key, iv ? 'cbc' : 'ecb');
  checkData(alg, data);
  if (iv) checkIv(alg, iv);
  const c = decrypt ? createDecipheriv(name, k, iv) : createCipheriv(name, k, iv);
  c.setAutoPadding(false);
  const head = c.update(data);
  const tail = c.final();
  const out = new Uint8Array(head.length + tail.length);
  out.set(head, 0);
  out.set(tail, head.length);
  return out;
}

/**
 * ECB encryption (ISO/IEC 10116 §6): each block on its own. `data` must be a
 * multiple of the block size (no padding is added). 3DES keys: 8 (single
 * DES), 16 or 24 bytes; SM4 keys: 16 bytes.
 */
export function encryptEcb(alg: BlockAlg, key: Bytes, data: Bytes): Bytes {
  return run(false, alg, key, null, data);
}

/** ECB decryption; the inverse of {@link encryptEcb}. */
export function decryptEcb(alg: BlockAlg, key: Bytes, data: Bytes): Bytes {
  return run(true, alg, key, null, data);
}

/** CBC encryption (ISO/IEC 10116 §7) with the given one-block IV, no padding. */
export function encryptCbc(alg: BlockAlg, key: Bytes, iv: Bytes, data: Bytes): Bytes {
  return run(false, alg, key, iv, data);
}

/** CBC decryption; the inverse of {@link encryptCbc}. */
export function decryptCbc(alg: BlockAlg, key: Bytes, iv: Bytes, data: Bytes): Bytes {
  return run(true, alg, key, iv, data);
}

/**
 * Encrypts one block `iterations` times in a row (output fed back as input)
 * with a single cipher context: the form of the GB/T 32907-2016 Annex A
 * example 2 (SM4, 1 000 000 encryptions), which is too slow one call at a
 * time.
 */
export function encryptEcbIterated(alg: BlockAlg, key: Bytes, block: Bytes, iterations: number): Bytes {
  const { name, key: k } = opensslCipher(alg, key, 'ecb');
  const n = blockSize(alg);
  if (!(block instanceof Uint8Array) || block.length !== n) {
    throw new RangeError(`${alg}: iterated encryption takes exactly one ${n}-byte block`);
  }
  if (!Number.isInteger(iterations) || iterations < 0) throw new RangeError(`iterations must be a non-negative integer, got ${iterations}`);
  const c = createCipheriv(name, k, null);
  c.setAutoPadding(false);
  let x: Uint8Array = block;
  for (let i = 0; i < iterations; i++) x = c.update(x);
  c.final();
  return Uint8Array.from(x);
}
