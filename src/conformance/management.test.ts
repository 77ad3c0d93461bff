import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex } from '../core/bytes.ts';
import { faultyCryptogram, nearMissPinBlock } from './management.ts';

test('near misses of a PIN differ from it in one digit, in length by one, or in padding', () => {
  assert.equal(toHex(nearMissPinBlock('246802', 'last-digit')), '246803');
  assert.equal(toHex(nearMissPinBlock('246809', 'last-digit')), '246800');
  assert.equal(toHex(nearMissPinBlock('246802', 'shorter')), '24680F');
  assert.equal(toHex(nearMissPinBlock('246802', 'longer')), '2468023F');
  assert.equal(toHex(nearMissPinBlock('246802', 'zero-padded')), '24680200');
  assert.equal(toHex(nearMissPinBlock('24680', 'zero-padded')), '246800');
});

test('a faulty cryptogram differs in exactly one byte, or is one byte shorter or longer', () => {
  const c = Uint8Array.of(0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80);
  assert.equal(toHex(faultyCryptogram(c, { flip: 0 })), '1120304050607080');
  assert.equal(toHex(faultyCryptogram(c, { flip: 4 })), '1020304051607080');
  assert.equal(toHex(faultyCryptogram(c, { flip: -1 })), '1020304050607081');
  assert.equal(toHex(faultyCryptogram(c, { lengthDelta: -1 })), '10203040506070');
  assert.equal(toHex(faultyCryptogram(c, { lengthDelta: 1 })), '102030405060708010');
  assert.equal(toHex(faultyCryptogram(c, { half: true })), '10203040');
  assert.equal(toHex(c), '1020304050607080');
  assert.throws(() => faultyCryptogram(c, { flip: 8 }), RangeError);
});
