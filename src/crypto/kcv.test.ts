import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, fromHex } from '../core/bytes.ts';
import { KeyLengthError, encryptEcb } from './block.ts';
import { kcv } from './kcv.ts';

const K16 = fromHex('0123456789ABCDEFFEDCBA9876543210');

test('KCV is the leftmost bytes of E(key, zeros): 3 by default', () => {
  assert.deepEqual(kcv('3des', K16), encryptEcb('3des', K16, new Uint8Array(8)).subarray(0, 3));
  assert.deepEqual(kcv('3des', K16, 8), encryptEcb('3des', K16, new Uint8Array(8)));
  assert.deepEqual(kcv('sm4', K16, 16), encryptEcb('sm4', K16, new Uint8Array(16)));
  assert.equal(kcv('sm4', K16).length, 3);
});

test('KCV length must fit the block', () => {
  assert.throws(() => kcv('3des', K16, 0), /KCV length must be 1 to 8 bytes, got 0/);
  assert.throws(() => kcv('3des', K16, 9), RangeError);
  assert.throws(() => kcv('sm4', K16, 17), /1 to 16 bytes/);
});

test('KCV of a single DES key equals that of K‖K; parity bits do not matter', () => {
  const k = fromHex('0123456789ABCDEF');
  assert.deepEqual(kcv('3des', k), kcv('3des', concat(k, k)));
  assert.deepEqual(kcv('3des', fromHex('0123456789ABCDEF')), kcv('3des', fromHex('0022446688AACCEE')));
  assert.throws(() => kcv('sm4', k), KeyLengthError);
});
