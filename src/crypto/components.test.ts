import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import { combine, randomKey } from './components.ts';
import { hasOddParity } from './derive.ts';

test('randomKey: 16 bytes, odd parity for 3des, different every time', () => {
  const a = randomKey('3des');
  const b = randomKey('3des');
  assert.equal(a.length, 16);
  assert.ok(hasOddParity(a) && hasOddParity(b));
  assert.notDeepEqual(a, b);
  assert.equal(randomKey('sm4').length, 16);
  assert.throws(() => randomKey('aes' as never), /unknown block cipher/);
});

test('combine XORs the components', () => {
  const c1 = fromHex('AAAABBBBCCCCDDDD1111222233334444');
  const c2 = fromHex('1111222233334444AAAABBBBCCCCDDDD');
  const c3 = fromHex('FFFF0000FFFF00000000FFFF0000FFFF');
  assert.equal(toHex(combine([c1, c2])), 'BBBB9999FFFF9999BBBB9999FFFF9999');
  assert.equal(toHex(combine([c1, c2, c3])), '4444999900009999BBBB6666FFFF6666');
  assert.equal(toHex(combine([c1, c1])), '00'.repeat(16));
  assert.deepEqual(combine([combine([c1, c2, c3]), c3]), combine([c1, c2]));
  assert.equal(toHex(c1), 'AAAABBBBCCCCDDDD1111222233334444', 'inputs untouched');
});

test('combine needs at least two components of one non-zero length', () => {
  assert.throws(() => combine([]), /at least 2 components, got 0/);
  assert.throws(() => combine([fromHex('00112233445566778899AABBCCDDEEFF')]), /at least 2 components, got 1/);
  assert.throws(() => combine([new Uint8Array(16), new Uint8Array(8)]), /key component 2 is 8 bytes, component 1 is 16/);
  assert.throws(() => combine([new Uint8Array(0), new Uint8Array(0)]), /must not be empty/);
});
