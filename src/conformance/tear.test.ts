import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssertionError } from 'node:assert';
import { fromHex } from '../core/bytes.ts';
import { type PinProbe, appendProblem, expectPinOldOrNew, oldOrNewProblem } from './tear.ts';

test('data after a torn write are the old or the new, whole', () => {
  const old = fromHex('00000000 00000000');
  const next = fromHex('11111111 22222222');
  assert.equal(oldOrNewProblem(old, old, next, 'EF0A'), undefined);
  assert.equal(oldOrNewProblem(next, old, next, 'EF0A'), undefined);
  assert.match(oldOrNewProblem(fromHex('11111111 00000000'), old, next, 'EF0A')!, /EF0A is 1111111100000000 .* neither the old/);
});

test('records after a torn APPEND RECORD are the old ones, or the old ones and the whole new one', () => {
  const a = fromHex('0102');
  const b = fromHex('0304');
  const n = fromHex('0506');
  assert.equal(appendProblem([a, b], [a, b], n), undefined);
  assert.equal(appendProblem([a, b], [a, b, n], n), undefined);
  assert.equal(appendProblem([a, b], [n, a, b], n), undefined);
  assert.match(appendProblem([a, b], [a, b, fromHex('05')], n)!, /3 records/);
  assert.match(appendProblem([a, b], [a], n)!, /neither/);
});

/** A card PIN in a given state: the value it holds and its counter. */
function probe(value: string, tries: number): PinProbe & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    tries: async () => tries,
    verify: async (pin) => {
      log.push(pin);
      if (tries === 0) return 0x6983;
      if (pin === value) return 0x9000;
      tries--;
      return 0x63c0 | tries;
    },
  };
}

const failure = (re: RegExp) => (e: unknown) => e instanceof AssertionError && re.test(e.message);

test('a torn PIN unblock leaves the old PIN with its counter or the new one with the full counter', async () => {
  const old = { pin: '123456', tries: [1] };
  const next = { pin: '234567', tries: 3 };
  await expectPinOldOrNew(probe('123456', 1), old, next, 'PIN');
  await expectPinOldOrNew(probe('234567', 3), old, next, 'PIN');
  await assert.rejects(expectPinOldOrNew(probe('234567', 1), old, next, 'PIN'), failure(/neither PIN verifies/));
  await assert.rejects(expectPinOldOrNew(probe('123456', 3), old, next, 'PIN'), failure(/the old PIN with the new counter/));
  await assert.rejects(
    expectPinOldOrNew(probe('123456', 2), old, next, 'PIN'),
    failure(/try counter is 2, neither the old 1 nor the new 3/),
  );
});

test('when old and new counters are alike, one of the two PINs must verify', async () => {
  const old = { pin: '123456', tries: [3, 2] };
  const next = { pin: '234567', tries: 3 };
  const p = probe('123456', 3);
  await expectPinOldOrNew(p, old, next, 'PIN');
  assert.deepEqual(p.log, ['234567', '123456']);
  await expectPinOldOrNew(probe('123456', 2), old, next, 'PIN');
  await assert.rejects(expectPinOldOrNew(probe('999999', 3), old, next, 'PIN'), failure(/neither PIN verifies/));
});
