/**
 * CBC-MACs of ISO/IEC 9797-1:2011 (§7), as used by the PBOC application
 * (ARQC, issuer scripts; JR/T 0025) and the social-security application
 * (secure messaging; LD/T 32, observed details in docs/ssse.md §6).
 *
 * - `iso9797-1-m3`: MAC algorithm 3 (§7.4, the "retail MAC", ANSI X9.19).
 *   Key K1‖K2 (16 bytes). CBC with single DES under K1 over every block,
 *   then the output transformation 3: G = E(K1, D(K2, H_q)).
 * - `des-cbc`: MAC algorithm 1 (§7.2) with single DES (8-byte key); with
 *   padding method 1 this is the FIPS 113 / ANSI X9.9 DAA.
 * - `3des-cbc`: MAC algorithm 1 with 3DES as the block cipher (16/24 bytes).
 * - `sm4-cbc`: MAC algorithm 1 with SM4 (GB/T 32907), 16-byte key and block;
 *   the PBOC 3.0 SM4 ARQC form (JR/T 0025.17 §6).
 *
 * Options: `iv` (default zeros; the social-security MAC uses the card
 * challenge as IV, docs/ssse.md §6 *observed*), `pad` (ISO/IEC 9797-1 padding
 * method, default 2) and `len` (leftmost bytes kept, 1..block size, default
 * the whole block; ISO/IEC 9797-1 §7.1 truncation).
 */
import type { Bytes } from '../core/bytes.ts';
import { type BlockAlg, blockSize, checkKeyLength, decryptEcb, encryptCbc, encryptEcb } from './block.ts';
import { pad as padData } from './padding.ts';

export type MacAlg = 'iso9797-1-m3' | 'des-cbc' | '3des-cbc' | 'sm4-cbc';

export const MAC_ALGS: readonly MacAlg[] = ['iso9797-1-m3', 'des-cbc', '3des-cbc', 'sm4-cbc'];

export interface MacOptions {
  /** Initial chaining value, one block (default all zeros). */
  iv?: Bytes;
  /** ISO/IEC 9797-1 padding method (default 2). */
  pad?: 1 | 2 | 3;
  /** Number of leftmost bytes of the final block to return (default the block size). */
  len?: number;
}

export function isMacAlg(value: string): value is MacAlg {
  return (MAC_ALGS as readonly string[]).includes(value);
}

const SPEC: Record<MacAlg, { cipher: BlockAlg; keyLengths: readonly number[] }> = {
  'iso9797-1-m3': { cipher: '3des', keyLengths: [16] },
  'des-cbc': { cipher: '3des', keyLengths: [8] },
  '3des-cbc': { cipher: '3des', keyLengths: [16, 24] },
  'sm4-cbc': { cipher: 'sm4', keyLengths: [16] },
};

/** Block size of the cipher under a MAC algorithm (8 or 16). */
export function macBlockSize(alg: MacAlg): 8 | 16 {
  const spec = SPEC[alg];
  if (!spec) throw new RangeError(`unknown MAC algorithm "${String(alg)}" (expected ${MAC_ALGS.join(', ')})`);
  return blockSize(spec.cipher);
}

/** Computes the MAC of `data`; see the module comment for the algorithms. */
export function mac(alg: MacAlg, key: Bytes, data: Bytes, opts: MacOptions = {}): Bytes {
  const n = macBlockSize(alg);
  const spec = SPEC[alg];
  checkKeyLength(alg, key, spec.keyLengths);
  const iv = opts.iv ?? new Uint8Array(n);
  if (!(iv instanceof Uint8Array) || iv.length !== n) {
    throw new RangeError(`${alg}: iv must be ${n} bytes, got ${iv instanceof Uint8Array ? iv.length : typeof iv}`);
  }
  const method = opts.pad ?? 2;
  if (method !== 1 && method !== 2 && method !== 3) throw new RangeError(`padding method must be 1, 2 or 3, got ${String(method)}`);
  const len = opts.len ?? n;
  if (!Number.isInteger(len) || len < 1 || len > n) throw new RangeError(`${alg}: MAC length must be 1 to ${n} bytes, got ${len}`);

  const padded = padData(data, n, method);
  let out: Bytes;
  if (alg === 'iso9797-1-m3') {
    const k1 = key.subarray(0, 8);
    const k2 = key.subarray(8, 16);
    const chain = encryptCbc('3des', k1, iv, padded);
    const hq = chain.subarray(chain.length - 8);
    out = encryptEcb('3des', k1, decryptEcb('3des', k2, hq));
  } else {
    const chain = encryptCbc(spec.cipher, key, iv, padded);
    out = chain.subarray(chain.length - n);
  }
  return out.slice(0, len);
}
