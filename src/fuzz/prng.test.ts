import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng, deriveSeed, mix32 } from './prng.ts';

test('the same seed draws the same sequence; another seed another one', () => {
  const a = new Prng(42);
  const b = new Prng(42);
  const c = new Prng(43);
  const xs = Array.from({ length: 50 }, () => a.u32());
  assert.deepEqual(
    Array.from({ length: 50 }, () => b.u32()),
    xs,
  );
  assert.notDeepEqual(
    Array.from({ length: 50 }, () => c.u32()),
    xs,
  );
  assert.ok(new Set(xs).size > 45, 'no short cycle');
});

test('int, range, byte and bytes stay in their bounds and cover them', () => {
  const r = new Prng(7);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const n = r.int(10);
    assert.ok(n >= 0 && n < 10 && Number.isInteger(n));
    seen.add(n);
    const m = r.range(-3, 3);
    assert.ok(m >= -3 && m <= 3);
    const b = r.byte();
    assert.ok(b >= 0 && b <= 255);
  }
  assert.equal(seen.size, 10);
  for (const n of [0, 1, 3, 4, 5, 17]) assert.equal(r.bytes(n).length, n);
});

test('weighted never picks a zero weight; pick refuses an empty list', () => {
  const r = new Prng(1);
  for (let i = 0; i < 500; i++)
    assert.notEqual(
      r.weighted([
        ['a', 1],
        ['b', 0],
        ['c', 3],
      ] as const),
      'b',
    );
  assert.throws(() => r.pick([]), RangeError);
});

test('derived seeds differ by index and by seed, and are 32-bit', () => {
  const seeds = new Set<number>();
  for (let s = 0; s < 20; s++) for (let i = 0; i < 50; i++) seeds.add(deriveSeed(s, i));
  assert.equal(seeds.size, 1000);
  for (const s of seeds) assert.ok(Number.isInteger(s) && s >= 0 && s <= 0xffffffff);
  assert.notEqual(mix32(0), mix32(1));
});
