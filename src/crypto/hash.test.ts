import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ascii } from '../core/bytes.ts';
import { sha1, sha256, sm3 } from './hash.ts';

test('digest sizes and plain Uint8Array results', () => {
  const m = ascii('abc');
  for (const [f, n] of [
    [sm3, 32],
    [sha1, 20],
    [sha256, 32],
  ] as const) {
    const d = f(m);
    assert.equal(d.length, n);
    assert.equal(Object.getPrototypeOf(d), Uint8Array.prototype);
  }
  assert.notDeepEqual(sm3(m), sha256(m));
  assert.throws(() => sm3('abc' as never), TypeError);
});
