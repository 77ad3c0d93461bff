/**
 * Checks on key and PIN state as the card reports it (GET KEY INFO, VERIFY
 * without data), against what the key set or the scenario loaded.
 */
import { type Bytes, toHex } from '../core/bytes.ts';
import type { ResponseApdu } from '../core/apdu.ts';
import { swHex, sw63C } from '../core/sw.ts';
import type { BlockAlg } from '../crypto/block.ts';
import { keyCheckValue } from '../cos/formats.ts';
import { fail } from './expect.ts';
import type { KeyInfo } from './management.ts';

export function expectKeyInfo(
  got: { response: ResponseApdu; info?: KeyInfo },
  expected: { version: number; alg: BlockAlg; value: Bytes },
): void {
  if (!got.info) fail(`GET KEY INFO answered ${swHex(got.response.sw)}`);
  const kcv = toHex(keyCheckValue(expected.alg, expected.value));
  if (got.info.alg !== expected.alg) fail(`key ${got.info.id} is ${got.info.alg ?? 'of an unknown algorithm'}, expected ${expected.alg}`);
  if (got.info.version !== expected.version)
    fail(`key ${got.info.id} has version ${got.info.version}, expected ${expected.version}`, got.info.version, expected.version);
  if (got.info.kcv !== kcv) fail(`key ${got.info.id} has KCV ${got.info.kcv}, expected ${kcv}`, got.info.kcv, kcv);
}

/** VERIFY without data: 63Cx with x tries left (9000 when already verified, 6983 when blocked). */
export function expectPinTries(r: ResponseApdu, n: number): void {
  const expected = n === 0 ? 0x6983 : sw63C(n);
  if (r.sw !== expected) fail(`expected ${swHex(expected)} (${n} tries left), card answered ${swHex(r.sw)}`, swHex(r.sw), swHex(expected));
}

export function expectKeyTries(got: { response: ResponseApdu; info?: KeyInfo }, n: number): void {
  if (!got.info) fail(`GET KEY INFO answered ${swHex(got.response.sw)}`);
  if (got.info.tries !== n) fail(`key ${got.info.id} has ${got.info.tries} tries left, expected ${n}`, got.info.tries, n);
}
