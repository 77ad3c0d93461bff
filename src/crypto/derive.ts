/**
 * Key derivation for the two applications of the card.
 *
 * - DES key parity (FIPS 46-3 §"key": the low bit of each byte makes the byte's
 *   parity odd).
 * - One level of the PBOC / social-security key dispersion ("密钥分散",
 *   {@link diversify}).
 * - EMV Book 2 Annex A1.4.1 Option A, the UDK / ICC master-key derivation that
 *   JR/T 0025 (PBOC 2.0/3.0) adopts for the financial application
 *   ({@link optionA}).
 * - The PBOC session ("process") key of JR/T 0025 ({@link pbocSessionKey}).
 *
 * The SM4 variants of Option A and of the session key are *observed* (public
 * PBOC 3.0 reader / personalisation code, docs/sources.md §4), not taken from the
 * standard's text: treat them as such in verdicts.
 */
import { type Bytes, concat } from '../core/bytes.ts';
import { type BlockAlg, KeyLengthError, blockSize, checkKeyLength, encryptEcb } from './block.ts';

function oddParityByte(b: number): number {
  let ones = 0;
  for (let x = b & 0xfe; x; x >>= 1) ones += x & 1;
  return (b & 0xfe) | (ones % 2 === 0 ? 1 : 0);
}

/** Sets the low bit of every byte so that each byte has odd parity (DES key parity). Returns a new array. */
export function adjustParity(key: Bytes): Bytes {
  return Uint8Array.from(key, oddParityByte);
}

/** True when every byte has odd parity (an empty key has nothing to violate it). */
export function hasOddParity(key: Bytes): boolean {
  return key.every((b) => oddParityByte(b) === b);
}

function not(bytes: Bytes): Bytes {
  return Uint8Array.from(bytes, (b) => ~b & 0xff);
}

function checkAlg(alg: BlockAlg): void {
  blockSize(alg); // throws on an unknown name
}

/**
 * One level of key dispersion (密钥分散).
 *
 * - `3des`: 8-byte factor F → E(K, F) ‖ E(K, ¬F), a 16-byte key (not parity
 *   adjusted; apply {@link adjustParity} if the target expects it). This is
 *   the construction of JR/T 0025 (the EMV Book 2 A1.4.1 Option A step applied
 *   to an arbitrary factor) and of the PSAM key dispersion of the
 *   social-security application (docs/ssse.md §5, *observed*).
 * - `sm4`: 16-byte factor F → SM4(K, F); an 8-byte factor is first extended
 *   to F ‖ ¬F (the PBOC 3.0 SM4 form, *observed*, docs/sources.md §4).
 *
 * Any other factor length is a RangeError. Two-level diversification (level 1
 * from the card, level 2 from the city code, docs/ssse.md §5 *observed*) is two
 * calls: `diversify(alg, diversify(alg, master, f1), f2)`.
 */
export function diversify(alg: BlockAlg, key: Bytes, factor: Bytes): Bytes {
  checkAlg(alg);
  if (alg === '3des') {
    if (factor.length !== 8) {
      throw new RangeError(`3des diversification factor must be 8 bytes, got ${factor.length}`);
    }
    return encryptEcb('3des', key, concat(factor, not(factor)));
  }
  if (factor.length === 8) return encryptEcb('sm4', key, concat(factor, not(factor)));
  if (factor.length === 16) return encryptEcb('sm4', key, factor);
  throw new RangeError(`sm4 diversification factor must be 8 or 16 bytes, got ${factor.length}`);
}

/** Master-key lengths accepted by Option A and the session key: double/triple 3DES, or SM4. */
function checkMasterKey(alg: BlockAlg, key: Bytes, what: string): void {
  try {
    checkKeyLength(alg, key, alg === '3des' ? [16, 24] : [16]);
  } catch (e) {
    if (e instanceof KeyLengthError) throw new KeyLengthError(`${alg} ${what}`, e.length, e.allowed);
    throw e;
  }
}

/**
 * EMV Book 2 Annex A1.4.1, Option A (adopted by JR/T 0025):
 * Y = the rightmost 16 digits of PAN ‖ PSN (left-padded with '0' to 16 digits
 * when shorter), packed as 8 bytes of BCD.
 *
 * - `3des`: UDK = 3DES(IMK, Y) ‖ 3DES(IMK, Y ⊕ FF…FF), odd parity adjusted.
 * - `sm4` (*observed*, PBOC 3.0): UDK = SM4(MDK, Y ‖ ¬Y).
 *
 * `pan` must be digits only; `psn` two digits ('00'..'99'; use '00' when the
 * card has no PAN sequence number).
 */
export function optionA(alg: BlockAlg, imk: Bytes, pan: string, psn: string): Bytes {
  checkAlg(alg);
  if (!/^[0-9]+$/.test(pan)) throw new RangeError(`PAN must be decimal digits only, got "${pan}"`);
  if (!/^[0-9]{2}$/.test(psn)) throw new RangeError(`PAN sequence number must be two digits (00..99), got "${psn}"`);
  checkMasterKey(alg, imk, 'IMK');
  const digits = (pan + psn).slice(-16).padStart(16, '0');
  const y = new Uint8Array(8);
  for (let i = 0; i < 8; i++) y[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  if (alg === '3des') return adjustParity(diversify('3des', imk, y));
  return diversify('sm4', imk, y);
}

/**
 * PBOC session key (JR/T 0025.7 "过程密钥"; docs/pboc-design.md "Keys"), from the card's UDK and
 * its 2-byte ATC:
 *
 * - `3des`: SK = 3DES(UDK, 000000000000 ‖ ATC) ‖ 3DES(UDK, 000000000000 ‖ (ATC ⊕ FFFF))
 * - `sm4` (*observed*): SK = SM4(UDK, 000000000000 ‖ ATC ‖ 000000000000 ‖ ¬ATC)
 *
 * The result is not parity adjusted (DES ignores the parity bits). This is NOT
 * the EMV common session key derivation of EMV Book 2 A1.3.1 (ATC ‖ F0 ‖ …).
 */
export function pbocSessionKey(alg: BlockAlg, udk: Bytes, atc: Bytes): Bytes {
  checkAlg(alg);
  if (!(atc instanceof Uint8Array) || atc.length !== 2) {
    throw new RangeError(`ATC must be 2 bytes, got ${atc instanceof Uint8Array ? atc.length : typeof atc}`);
  }
  checkMasterKey(alg, udk, 'UDK');
  const zeros = new Uint8Array(6);
  const data = concat(zeros, atc, zeros, not(atc));
  return encryptEcb(alg, udk, data);
}
