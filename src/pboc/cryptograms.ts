/**
 * PBOC debit cryptograms (JR/T 0025.7 §6; docs/pboc-design.md), for the card, the issuer
 * host and the harness alike — all three are checked against the published
 * known-answer vectors of the building blocks (vectors/emv-option-a-*.json,
 * pboc-arqc-example.json, mac-*.json).
 *
 *   UDK      Option A (3DES; SM4 observed)             src/crypto/derive.ts optionA
 *   SK       PBOC session key from the ATC             src/crypto/derive.ts pbocSessionKey
 *   AC       3DES: ISO 9797-1 MAC algorithm 3, padding method 2, 8 bytes
 *            SM4: CBC-MAC, zero IV, padding method 2, leftmost 8 bytes
 *   ARPC     method 1: E_SK(ARQC ⊕ (ARC ‖ 00…00)), leftmost 8 bytes
 *   script   MAC (observed): session key of UDK-MAC; input CLA INS P1 P2 Lc ‖ ATC ‖ ARQC ‖ data,
 *            Lc counting the 4-byte MAC; the suite's MAC, leftmost 4 bytes
 */
import { type Bytes, concat } from '../core/bytes.ts';
import { blockSize, encryptEcb } from '../crypto/block.ts';
import { optionA, pbocSessionKey } from '../crypto/derive.ts';
import { mac } from '../crypto/mac.ts';

export type SymmetricSuite = '3des' | 'sm4';

/**
 * The card's unique DEA key from an issuer master key (EMV Book 2 Annex
 * A1.4.1 Option A, JR/T 0025): Y = rightmost 16 digits of PAN ‖ PSN as 8 BCD
 * bytes; 3DES: E(MDK, Y) ‖ E(MDK, Y ⊕ FF…FF), odd parity; SM4 *(observed)*:
 * SM4(MDK, Y ‖ ¬Y). 16 bytes.
 */
export function udk(suite: SymmetricSuite, mdk: Bytes, pan: string, psn: string): Bytes {
  return optionA(suite, mdk, pan, psn);
}

/**
 * PBOC session key from the UDK and the 2-byte ATC (JR/T 0025.7 "过程密钥"; docs/pboc-design.md "Keys"):
 * 3DES: E(UDK, 00…00 ‖ ATC) ‖ E(UDK, 00…00 ‖ ¬ATC); SM4 *(observed)*:
 * SM4(UDK, 00…00 ‖ ATC ‖ 00…00 ‖ ¬ATC). Not the EMV common session key.
 */
export function sessionKey(suite: SymmetricSuite, udkValue: Bytes, atc: Bytes): Bytes {
  return pbocSessionKey(suite, udkValue, atc);
}

/** The suite's MAC over `data` (padding method 2), `len` leftmost bytes. */
function suiteMac(suite: SymmetricSuite, key: Bytes, data: Bytes, len: number): Bytes {
  if (suite === '3des') return mac('iso9797-1-m3', key, data, { pad: 2, len });
  return mac('sm4-cbc', key, data, { pad: 2, len, iv: new Uint8Array(16) });
}

/** Application cryptogram (ARQC, TC, AAC): 8 bytes over the data the card feeds it. */
export function applicationCryptogram(suite: SymmetricSuite, sk: Bytes, data: Bytes): Bytes {
  return suiteMac(suite, sk, data, 8);
}

/** ARPC method 1: E_SK(ARQC ⊕ (ARC ‖ 00…00)), leftmost 8 bytes (SM4 works on a 16-byte block). */
export function arpcMethod1(suite: SymmetricSuite, sk: Bytes, arqc: Bytes, arc: Bytes): Bytes {
  if (arqc.length !== 8) throw new RangeError(`the ARQC has 8 bytes, got ${arqc.length}`);
  if (arc.length !== 2) throw new RangeError(`the ARC has 2 bytes, got ${arc.length}`);
  const block = new Uint8Array(blockSize(suite));
  block.set(arqc);
  block[0]! ^= arc[0]!;
  block[1]! ^= arc[1]!;
  return encryptEcb(suite, sk, block).slice(0, 8);
}

/**
 * Issuer script MAC *(observed)*, 4 bytes: the suite's MAC (padding method 2)
 * under the MAC session key over CLA INS P1 P2 ‖ Lc ‖ ATC ‖ ARQC ‖ data,
 * leftmost 4 bytes. `header` is CLA INS P1 P2, `data` the command data
 * without the MAC; Lc = data length + 4 (it counts the MAC).
 */
export function scriptMac(suite: SymmetricSuite, macSk: Bytes, header: Bytes, atc: Bytes, arqc: Bytes, data: Bytes): Bytes {
  if (header.length !== 4) throw new RangeError(`a command header has 4 bytes, got ${header.length}`);
  if (atc.length !== 2) throw new RangeError(`the ATC has 2 bytes, got ${atc.length}`);
  if (arqc.length !== 8) throw new RangeError(`the ARQC has 8 bytes, got ${arqc.length}`);
  if (data.length + 4 > 255) throw new RangeError(`script command data of ${data.length} bytes plus the MAC do not fit a short Lc`);
  return suiteMac(suite, macSk, concat(header, [data.length + 4], atc, arqc, data), 4);
}

export type CryptogramType = 'AAC' | 'TC' | 'ARQC';

/**
 * Cryptogram type of bits 8–7 of the cryptogram information data or of the
 * GENERATE AC reference control parameter (EMV Book 3 §6.5.5.2 Table 12):
 * 00 AAC, 01 TC, 10 ARQC, 11 RFU (undefined).
 */
export function cryptogramTypeOf(bits: number): CryptogramType | undefined {
  return (['AAC', 'TC', 'ARQC', undefined] as const)[(bits & 0xc0) >> 6];
}
