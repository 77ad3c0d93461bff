import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, fromHex, toHex } from '../core/bytes.ts';
import { KeyLengthError, blockSize, decryptCbc, decryptEcb, encryptCbc, encryptEcb, encryptEcbIterated, isBlockAlg } from './block.ts';

const K8 = fromHex('0123456789ABCDEF');
const K16 = fromHex('0123456789ABCDEFFEDCBA9876543210');
const K24 = fromHex('0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123');

test('block sizes: 8 for 3des, 16 for sm4; unknown names refused', () => {
  assert.equal(blockSize('3des'), 8);
  assert.equal(blockSize('sm4'), 16);
  assert.throws(() => blockSize('aes' as never), /unknown block cipher "aes"/);
  assert.ok(isBlockAlg('3des') && isBlockAlg('sm4') && !isBlockAlg('des'));
});

test('wrong key lengths throw KeyLengthError naming the algorithm and the length', () => {
  for (const n of [0, 7, 9, 15, 17, 23, 25, 32]) {
    assert.throws(
      () => encryptEcb('3des', new Uint8Array(n), new Uint8Array(8)),
      (e: unknown) =>
        e instanceof KeyLengthError && e instanceof RangeError && e.message.includes('3des') && e.message.includes(`got ${n}`),
      `3des key of ${n}`,
    );
  }
  for (const n of [8, 15, 24, 32]) {
    assert.throws(
      () => encryptCbc('sm4', new Uint8Array(n), new Uint8Array(16), new Uint8Array(16)),
      (e: unknown) => e instanceof KeyLengthError && /^sm4 key must be 16 bytes, got \d+$/.test(e.message),
      `sm4 key of ${n}`,
    );
  }
});

test('data that is not whole blocks is a RangeError (no silent padding)', () => {
  assert.throws(
    () => encryptEcb('3des', K16, new Uint8Array(7)),
    (e: unknown) =>
      e instanceof RangeError && !(e instanceof KeyLengthError) && /not a multiple of the 8-byte block/.test((e as Error).message),
  );
  assert.throws(() => encryptEcb('sm4', K16, new Uint8Array(8)), /not a multiple of the 16-byte block/);
  assert.throws(() => decryptCbc('3des', K16, new Uint8Array(8), new Uint8Array(12)), RangeError);
  assert.equal(encryptEcb('3des', K16, new Uint8Array(0)).length, 0);
});

test('a wrong IV length is a RangeError', () => {
  assert.throws(() => encryptCbc('3des', K16, new Uint8Array(16), new Uint8Array(8)), /iv must be 8 bytes, got 16/);
  assert.throws(() => encryptCbc('sm4', K16, new Uint8Array(8), new Uint8Array(16)), /iv must be 16 bytes, got 8/);
});

test('decryption inverts encryption for every algorithm, key length and mode', () => {
  const data = fromHex('00112233445566778899AABBCCDDEEFF0123456789ABCDEF0123456789ABCDEF');
  const cases = [
    ['3des', K8, 8],
    ['3des', K16, 8],
    ['3des', K24, 8],
    ['sm4', K16, 16],
  ] as const;
  for (const [alg, key, n] of cases) {
    const iv = fromHex('A5'.repeat(n));
    assert.deepEqual(decryptEcb(alg, key, encryptEcb(alg, key, data)), data);
    assert.deepEqual(decryptCbc(alg, key, iv, encryptCbc(alg, key, iv, data)), data);
  }
});

test('an 8-byte key is single DES: the same as 3DES with K‖K and K‖K‖K', () => {
  const data = fromHex('4E6F772069732074');
  const single = encryptEcb('3des', K8, data);
  assert.deepEqual(single, encryptEcb('3des', concat(K8, K8), data));
  assert.deepEqual(single, encryptEcb('3des', concat(K8, K8, K8), data));
  assert.equal(toHex(single), '3FA40E8A984D4815'); // FIPS 81 Table B1, first block
});

test('a 16-byte key is keying option 2: the same as K1‖K2‖K1', () => {
  const data = fromHex('0000000000000000');
  assert.deepEqual(encryptEcb('3des', K16, data), encryptEcb('3des', concat(K16, K16.subarray(0, 8)), data));
});

test('CBC chains blocks and ECB does not', () => {
  const p = fromHex('1111111111111111');
  const data = concat(p, p);
  const ecb = encryptEcb('3des', K16, data);
  assert.deepEqual(ecb.subarray(0, 8), ecb.subarray(8, 16), 'ECB: equal blocks, equal ciphertext');
  const zero = new Uint8Array(8);
  const cbc = encryptCbc('3des', K16, zero, data);
  assert.deepEqual(cbc.subarray(0, 8), ecb.subarray(0, 8), 'CBC with a zero IV: first block as ECB');
  assert.notDeepEqual(cbc.subarray(8, 16), ecb.subarray(8, 16));
  // C2 = E(P2 ⊕ C1)
  const x = Uint8Array.from(p, (b, i) => b ^ cbc[i]!);
  assert.deepEqual(cbc.subarray(8, 16), encryptEcb('3des', K16, x));
  // the IV enters the first block: C1 = E(P1 ⊕ IV)
  const iv = fromHex('0102030405060708');
  const withIv = encryptCbc('3des', K16, iv, p);
  assert.deepEqual(
    withIv,
    encryptEcb(
      '3des',
      K16,
      Uint8Array.from(p, (b, i) => b ^ iv[i]!),
    ),
  );
});

test('results are plain Uint8Arrays and inputs are left untouched', () => {
  const data = fromHex('00112233445566778899AABBCCDDEEFF');
  const copy = data.slice();
  const out = encryptCbc('sm4', K16, new Uint8Array(16), data);
  assert.equal(Object.getPrototypeOf(out), Uint8Array.prototype);
  assert.deepEqual(data, copy);
});

test('iterated encryption is repeated single-block encryption', () => {
  const block = fromHex('0123456789ABCDEFFEDCBA9876543210');
  assert.deepEqual(encryptEcbIterated('sm4', K16, block, 0), block);
  assert.deepEqual(encryptEcbIterated('sm4', K16, block, 2), encryptEcb('sm4', K16, encryptEcb('sm4', K16, block)));
  assert.deepEqual(
    encryptEcbIterated('3des', K16, block.subarray(0, 8), 3),
    encryptEcb('3des', K16, encryptEcb('3des', K16, encryptEcb('3des', K16, block.subarray(0, 8)))),
  );
  assert.throws(() => encryptEcbIterated('sm4', K16, block.subarray(0, 8), 1), /exactly one 16-byte block/);
  assert.throws(() => encryptEcbIterated('sm4', K16, block, -1), RangeError);
});
