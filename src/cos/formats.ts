/**
 * The COS's personalisation and key-management formats, shared by the
 * simulated card and by the personaliser that drives a card. The commands
 * follow the conventions of the Chinese PBOC/social-security COS family
 * (FMCOS-style): a secured command carries a 4-byte MAC computed with the
 * authorising key over the header and data, IV = the card's last challenge;
 * a key travels encrypted under the authorising key; external authentication
 * encrypts the card's challenge.
 *
 *   GET CHALLENGE          00 84 00 00 Le                      Le = 04 or 08
 *   EXTERNAL AUTHENTICATE  00 82 00 <key id> Lc E_K(challenge ‖ 00…)
 *   WRITE KEY              84 D4 <authority> <key id> Lc  header ‖ E_A(L ‖ key ‖ 80 00…) ‖ MAC
 *                            authority 00 = master key of the current environment, 01 = card master key
 *                            header    = type ‖ algorithm ‖ version ‖ tries ‖ KCV (3 bytes)
 *   CREATE FILE            80 E0 00 00 Lc  FCP template 62 (ISO/IEC 7816-9 §6.1 style)
 *   DELETE FILE            80 E4 00 00 02 <FID>
 *   ACTIVATE FILE          00 44 00 00                         activates the current environment
 *   GET KEY INFO           80 CA 00|01 <ref> 00                 key (00) or PIN (01): id ‖ type ‖ algorithm ‖ version ‖ KCV ‖ tries left
 *
 * MAC (social-security card practice, docs/ssse.md §6): data padded 80 00…, CBC with
 * IV = challenge padded with zeros to a block; 3DES keys use ISO/IEC 9797-1
 * MAC algorithm 3 (single-DES chain, final 3DES), SM4 keys SM4-CBC-MAC;
 * leftmost 4 bytes.
 */
import { type Bytes, concat, equal } from '../core/bytes.ts';
import { type BlockAlg, blockSize, decryptEcb, encryptEcb } from '../crypto/block.ts';
import { kcv } from '../crypto/kcv.ts';
import { mac } from '../crypto/mac.ts';
import { pad } from '../crypto/padding.ts';

export const ALG_CODE: Record<BlockAlg, number> = { '3des': 0x01, sm4: 0x04 };

export function algOfCode(code: number): BlockAlg | undefined {
  return code === 0x01 ? '3des' : code === 0x04 ? 'sm4' : undefined;
}

function iv(alg: BlockAlg, challenge: Bytes): Bytes {
  const out = new Uint8Array(blockSize(alg));
  out.set(challenge.slice(0, out.length));
  return out;
}

/** MAC of a secured command: over CLA INS P1 P2 Lc ‖ data (Lc counts the 4 MAC bytes). */
export function commandMac(alg: BlockAlg, key: Bytes, challenge: Bytes, header: Bytes, data: Bytes): Bytes {
  const input = concat(header.slice(0, 4), [data.length + 4], data);
  return mac(alg === '3des' ? 'iso9797-1-m3' : 'sm4-cbc', key, input, { iv: iv(alg, challenge), pad: 2, len: 4 });
}

/** The complete secured APDU: header with CLA 84 (or 04), Lc, data, MAC. */
export function securedCommand(alg: BlockAlg, key: Bytes, challenge: Bytes, header: Bytes, data: Bytes): Bytes {
  const m = commandMac(alg, key, challenge, header, data);
  return concat(header.slice(0, 4), [data.length + 4], data, m);
}

export function verifyCommandMac(alg: BlockAlg, key: Bytes, challenge: Bytes, header: Bytes, data: Bytes, received: Bytes): boolean {
  return equal(commandMac(alg, key, challenge, header, data), received);
}

/** EXTERNAL AUTHENTICATE cryptogram: the challenge, zero-padded to one block, encrypted with the key. */
export function authCryptogram(alg: BlockAlg, key: Bytes, challenge: Bytes): Bytes {
  return encryptEcb(alg, key, iv(alg, challenge));
}

/** Key transport: E_A(L ‖ key ‖ 80 00…) in ECB under the authorising key. */
export function wrapKey(authAlg: BlockAlg, authKey: Bytes, value: Bytes): Bytes {
  return encryptEcb(authAlg, authKey, pad(concat([value.length], value), blockSize(authAlg), 2));
}

/** Inverse of {@link wrapKey}; undefined when the plaintext is not L ‖ key ‖ 80 00…. */
export function unwrapKey(authAlg: BlockAlg, authKey: Bytes, wrapped: Bytes): Bytes | undefined {
  const bs = blockSize(authAlg);
  if (wrapped.length === 0 || wrapped.length % bs !== 0) return undefined;
  const plain = decryptEcb(authAlg, authKey, wrapped);
  const n = plain[0]!;
  if (1 + n >= plain.length) return undefined;
  const rest = plain.slice(1 + n);
  if (rest.length === 0 || rest[0] !== 0x80 || rest.slice(1).some((b) => b !== 0) || rest.length > bs) return undefined;
  return plain.slice(1, 1 + n);
}

export interface KeyHeader {
  type: number;
  alg: BlockAlg | 'none';
  version: number;
  tries: number;
  /** KCV of the key (3 bytes); 000000 for PINs. */
  kcv: Bytes;
}

export function encodeKeyHeader(h: KeyHeader): Bytes {
  return concat([h.type, h.alg === 'none' ? 0 : ALG_CODE[h.alg], h.version, h.tries], h.kcv);
}

export function keyCheckValue(alg: BlockAlg, key: Bytes): Bytes {
  return kcv(alg, key, 3);
}

/** PIN reference data: BCD digits padded with F to whole bytes (e.g. 12345 → 12 34 5F). */
export function pinBlock(pin: string): Bytes {
  if (!/^[0-9]{2,12}$/.test(pin)) throw new RangeError(`a PIN has 2 to 12 digits, got "${pin}"`);
  const digits = pin.length % 2 ? `${pin}F` : pin;
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Digits of a PIN block, or undefined when it is not BCD padded with F. */
export function pinDigits(block: Bytes): string | undefined {
  let s = '';
  for (const b of block) s += b.toString(16).toUpperCase().padStart(2, '0');
  const m = /^([0-9]*)F?$/.exec(s);
  return m && m[1]!.length >= 2 ? m[1] : undefined;
}
