/**
 * Key check value: the leftmost bytes of the encryption of an all-zero block
 * under the key (ANSI X9.24-1 / PCI PIN requirement 15-1, the "encrypt zeros"
 * method; GlobalPlatform Card Specification §B.5 for DES keys). For 3DES the
 * block is 8 bytes of 00, for SM4 16 bytes of 00 (the usual practice for SM4
 * keys in PBOC 3.0 and social-security key ceremonies).
 */
import type { Bytes } from '../core/bytes.ts';
import { type BlockAlg, blockSize, encryptEcb } from './block.ts';

/** Leftmost `len` bytes (default 3) of E(key, 00…00). */
export function kcv(alg: BlockAlg, key: Bytes, len = 3): Bytes {
  const n = blockSize(alg);
  if (!Number.isInteger(len) || len < 1 || len > n) throw new RangeError(`KCV length must be 1 to ${n} bytes, got ${len}`);
  return encryptEcb(alg, key, new Uint8Array(n)).slice(0, len);
}
