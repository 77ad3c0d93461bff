import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import { PaddingError, pad, unpad2 } from './padding.ts';

const F = (n: number) => new Uint8Array(n).fill(0x46);

test('method 1: zeros up to the block, nothing when already aligned', () => {
  for (let i = 1; i <= 8; i++) assert.equal(toHex(pad(F(i), 8, 1)), '46'.repeat(i) + '00'.repeat(8 - i));
  assert.equal(toHex(pad(F(9), 8, 1)), '46'.repeat(9) + '00'.repeat(7));
  assert.equal(toHex(pad(F(16), 16, 1)), '46'.repeat(16));
  const aligned = F(8);
  const out = pad(aligned, 8, 1);
  assert.notEqual(out, aligned, 'a copy, not the input');
});

test('method 1: empty data gets one block of zeros', () => {
  assert.equal(toHex(pad(new Uint8Array(0), 8, 1)), '00'.repeat(8));
  assert.equal(toHex(pad(new Uint8Array(0), 16, 1)), '00'.repeat(16));
});

test('method 2: 80 then zeros, always added (a whole block when aligned)', () => {
  assert.equal(toHex(pad(new Uint8Array(0), 8, 2)), `80${'00'.repeat(7)}`);
  for (let i = 0; i < 8; i++) assert.equal(toHex(pad(F(i), 8, 2)), `${'46'.repeat(i)}80${'00'.repeat(7 - i)}`);
  assert.equal(toHex(pad(F(8), 8, 2)), `${'46'.repeat(8)}80${'00'.repeat(7)}`);
  assert.equal(toHex(pad(F(16), 16, 2)), `${'46'.repeat(16)}80${'00'.repeat(15)}`);
  assert.equal(toHex(pad(F(15), 16, 2)), `${'46'.repeat(15)}80`);
});

test('method 3: a block with the bit length, then method 1', () => {
  assert.equal(toHex(pad(F(1), 8, 3)), `000000000000000846${'00'.repeat(7)}`);
  assert.equal(toHex(pad(F(8), 8, 3)), `0000000000000040${'46'.repeat(8)}`);
  assert.equal(toHex(pad(F(40), 8, 3)), `0000000000000140${'46'.repeat(40)}`);
  assert.equal(toHex(pad(F(3), 16, 3)), `${'00'.repeat(15)}18464646${'00'.repeat(13)}`);
  assert.equal(toHex(pad(new Uint8Array(0), 8, 3)), '00'.repeat(16), 'empty: L = 0, then one zero block');
});

test('bad method or block size is a RangeError', () => {
  assert.throws(() => pad(F(1), 8, 4 as never), /padding method must be 1, 2 or 3/);
  assert.throws(() => pad(F(1), 0, 1), RangeError);
  assert.throws(() => pad(F(1), 2.5, 1), RangeError);
});

test('unpad2 inverts method 2 for every length', () => {
  for (const n of [8, 16]) {
    for (let i = 0; i <= 2 * n + 1; i++) {
      const data = Uint8Array.from({ length: i }, (_, k) => (k * 37 + 1) & 0xff);
      assert.deepEqual(unpad2(pad(data, n, 2)), data);
      assert.deepEqual(unpad2(pad(data, n, 2), n), data);
    }
  }
  assert.deepEqual(unpad2(fromHex('1200800000')), fromHex('1200'), 'zeros inside the data stay');
});

test('unpad2 rejects malformed padding with PaddingError', () => {
  for (const bad of ['', '0000000000000000', '1122334455667701', '1122338000000011', '11223344556677FF']) {
    assert.throws(() => unpad2(fromHex(bad)), PaddingError, bad);
  }
  assert.throws(() => unpad2(fromHex('11223380000000'), 8), /not a positive multiple of 8/);
  assert.throws(() => unpad2(fromHex(`1180${'00'.repeat(14)}`), 8), /longer than one 8-byte block/);
  assert.throws(() => unpad2(new Uint8Array(0), 8), PaddingError);
});
