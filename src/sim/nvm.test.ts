import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import { Nvm, PowerLoss } from './nvm.ts';

/** A write that records its apply/undo in `log`. */
function logged(nvm: Nvm, log: string[], name: string): void {
  nvm.write(
    () => void log.push(`apply ${name}`),
    () => void log.push(`undo ${name}`),
  );
}

test('write applies at once; commit makes it permanent (a later rollback undoes nothing)', () => {
  const nvm = new Nvm();
  const obj = { a: 1 };
  nvm.beginCommand();
  nvm.set(obj, 'a', 2);
  assert.equal(obj.a, 2);
  nvm.commit();
  nvm.rollback();
  assert.equal(obj.a, 2);
  assert.equal(nvm.totalWrites, 1);
});

test('rollback undoes the writes since the last commit, in reverse order', () => {
  const nvm = new Nvm();
  const log: string[] = [];
  nvm.beginCommand();
  logged(nvm, log, 'w1');
  nvm.commit();
  logged(nvm, log, 'w2');
  logged(nvm, log, 'w3');
  logged(nvm, log, 'w4');
  nvm.rollback();
  assert.deepEqual(log, ['apply w1', 'apply w2', 'apply w3', 'apply w4', 'undo w4', 'undo w3', 'undo w2']);
  // the journal is empty after a rollback
  nvm.rollback();
  assert.equal(log.length, 7);
});

test('reverse order matters: two writes of the same field roll back to the original value', () => {
  const nvm = new Nvm();
  const obj = { v: 'old' };
  nvm.beginCommand();
  nvm.set(obj, 'v', 'mid');
  nvm.set(obj, 'v', 'new');
  nvm.rollback();
  assert.equal(obj.v, 'old');
});

test('set is undone by rollback', () => {
  const nvm = new Nvm();
  const key = { tries: 3, lcs: 1 };
  nvm.beginCommand();
  nvm.set(key, 'tries', 2);
  nvm.set(key, 'lcs', 5);
  assert.deepEqual(key, { tries: 2, lcs: 5 });
  nvm.rollback();
  assert.deepEqual(key, { tries: 3, lcs: 1 });
});

test('writeBytes writes in pages (10 bytes with page 4 = 3 writes) and is undone by rollback', () => {
  const nvm = new Nvm();
  const target = fromHex('00112233445566778899AABBCCDDEEFF');
  const data = fromHex('A0A1A2A3A4A5A6A7A8A9');
  nvm.beginCommand();
  nvm.writeBytes(target, 3, data, 4);
  assert.equal(nvm.totalWrites, 3);
  assert.equal(toHex(target), '001122A0A1A2A3A4A5A6A7A8A9DDEEFF');
  nvm.rollback();
  assert.equal(toHex(target), '00112233445566778899AABBCCDDEEFF');
  // the default page is 4 bytes as well; 8 bytes = 2 writes, 1 byte = 1 write
  nvm.beginCommand();
  nvm.writeBytes(target, 0, new Uint8Array(8));
  assert.equal(nvm.totalWrites, 5);
  nvm.writeBytes(target, 0, new Uint8Array(1));
  assert.equal(nvm.totalWrites, 6);
  nvm.rollback();
  assert.equal(toHex(target), '00112233445566778899AABBCCDDEEFF');
});

test('writeBytes does not alias the caller’s data', () => {
  const nvm = new Nvm();
  const target = new Uint8Array(4);
  const data = fromHex('01020304');
  nvm.beginCommand();
  nvm.writeBytes(target, 0, data);
  data[0] = 0xff;
  assert.equal(toHex(target), '01020304');
});

test('mapSet of a new entry and of an existing entry are undone by rollback', () => {
  const nvm = new Nvm();
  const map = new Map<number, string>([[1, 'one']]);
  nvm.beginCommand();
  nvm.mapSet(map, 1, 'uno');
  nvm.mapSet(map, 2, 'two');
  assert.deepEqual(
    [...map],
    [
      [1, 'uno'],
      [2, 'two'],
    ],
  );
  nvm.rollback();
  assert.deepEqual([...map], [[1, 'one']]);
  assert.equal(map.has(2), false);
});

test('mapSet of an existing entry whose value is undefined restores the entry, not a deletion', () => {
  const nvm = new Nvm();
  const map = new Map<string, number | undefined>([['k', undefined]]);
  nvm.beginCommand();
  nvm.mapSet(map, 'k', 7);
  nvm.rollback();
  assert.equal(map.has('k'), true);
  assert.equal(map.get('k'), undefined);
});

test('push and remove are undone by rollback (remove restores the element at its index)', () => {
  const nvm = new Nvm();
  const arr = ['a', 'b', 'c'];
  nvm.beginCommand();
  nvm.push(arr, 'd');
  assert.deepEqual(arr, ['a', 'b', 'c', 'd']);
  nvm.remove(arr, 1);
  assert.deepEqual(arr, ['a', 'c', 'd']);
  nvm.rollback();
  assert.deepEqual(arr, ['a', 'b', 'c']);
  nvm.remove(arr, 0);
  nvm.remove(arr, 1);
  assert.deepEqual(arr, ['b']);
  nvm.rollback();
  assert.deepEqual(arr, ['a', 'b', 'c']);
});

test('armTear(k): PowerLoss at the k-th write of the command; that write does not happen', () => {
  const nvm = new Nvm();
  const obj = { a: 0, b: 0, c: 0 };
  nvm.armTear(2);
  assert.equal(nvm.tearArmed, true);
  nvm.beginCommand();
  nvm.set(obj, 'a', 1);
  assert.throws(
    () => nvm.set(obj, 'b', 2),
    (e: unknown) => e instanceof PowerLoss && e.write === 2 && e.name === 'PowerLoss' && /persistent write 2/.test(e.message),
  );
  assert.equal(obj.b, 0, 'the torn write did not happen');
  assert.equal(obj.a, 1, 'the earlier write happened (until the rollback)');
  assert.equal(nvm.totalWrites, 1);
  assert.equal(nvm.tearArmed, false, 'the tear fires once');
  nvm.rollback();
  assert.deepEqual(obj, { a: 0, b: 0, c: 0 });
});

test('armTear(1) stops the very first write; armTear inside writeBytes stops at the page', () => {
  const nvm = new Nvm();
  const obj = { a: 0 };
  nvm.armTear(1);
  nvm.beginCommand();
  assert.throws(() => nvm.set(obj, 'a', 1), PowerLoss);
  assert.equal(obj.a, 0);

  const target = new Uint8Array(12);
  nvm.armTear(3);
  nvm.beginCommand();
  assert.throws(
    () => nvm.writeBytes(target, 0, fromHex('111111112222222233333333')),
    (e: unknown) => e instanceof PowerLoss && e.write === 3,
  );
  assert.equal(toHex(target), '111111112222222200000000', 'two pages written, the third torn');
  nvm.rollback();
  assert.equal(toHex(target), '000000000000000000000000');
});

test('the tear counts the writes of the command from beginCommand, not earlier ones', () => {
  const nvm = new Nvm();
  const obj = { a: 0 };
  nvm.beginCommand();
  nvm.set(obj, 'a', 1);
  nvm.set(obj, 'a', 2);
  nvm.endCommand();
  nvm.armTear(2);
  nvm.beginCommand();
  nvm.set(obj, 'a', 3);
  assert.throws(
    () => nvm.set(obj, 'a', 4),
    (e: unknown) => e instanceof PowerLoss && e.write === 2,
  );
});

test('endCommand commits; with a tear armed beyond the writes done it throws PowerLoss after committing', () => {
  const nvm = new Nvm();
  const obj = { a: 0, b: 0 };
  nvm.beginCommand();
  nvm.set(obj, 'a', 1);
  nvm.endCommand();
  nvm.rollback();
  assert.equal(obj.a, 1);

  nvm.armTear(5);
  nvm.beginCommand();
  nvm.set(obj, 'a', 2);
  nvm.set(obj, 'b', 2);
  assert.throws(
    () => nvm.endCommand(),
    (e: unknown) => e instanceof PowerLoss && e.write === 3,
  );
  assert.equal(nvm.tearArmed, false);
  // the command's writes were complete and committed: the power went before the answer
  nvm.rollback();
  assert.deepEqual(obj, { a: 2, b: 2 });
  // a command with no write at all
  nvm.armTear(1);
  nvm.beginCommand();
  assert.throws(
    () => nvm.endCommand(),
    (e: unknown) => e instanceof PowerLoss && e.write === 1,
  );
  nvm.beginCommand();
  nvm.endCommand();
});

test('a committed write survives a later tear in the same command (VERIFY decrements first)', () => {
  const nvm = new Nvm();
  const pin = { tries: 3 };
  nvm.armTear(2);
  nvm.beginCommand();
  nvm.set(pin, 'tries', 2);
  nvm.commit();
  assert.throws(() => nvm.set(pin, 'tries', 3), PowerLoss);
  nvm.rollback();
  assert.equal(pin.tries, 2);
});

test('a non-atomic Nvm (the no-anti-tear defect) does not roll back', () => {
  const nvm = new Nvm(false);
  assert.equal(nvm.atomic, false);
  assert.equal(new Nvm().atomic, true);
  const target = new Uint8Array(12);
  const obj = { a: 0 };
  const arr: number[] = [];
  nvm.armTear(4);
  nvm.beginCommand();
  nvm.set(obj, 'a', 9);
  nvm.push(arr, 1);
  assert.throws(() => nvm.writeBytes(target, 0, fromHex('AAAAAAAABBBBBBBBCCCCCCCC')), PowerLoss);
  nvm.rollback();
  assert.equal(obj.a, 9);
  assert.deepEqual(arr, [1]);
  assert.equal(toHex(target), 'AAAAAAAA0000000000000000', 'a mix of new and old data');
  // and it forgets the journal: a later rollback undoes nothing either
  nvm.beginCommand();
  nvm.set(obj, 'a', 10);
  nvm.rollback();
  nvm.rollback();
  assert.equal(obj.a, 10);
});

test('armTear rejects 0, negatives and non-integers', () => {
  const nvm = new Nvm();
  for (const k of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => nvm.armTear(k), RangeError, String(k));
  }
  assert.throws(() => nvm.armTear(0), /tear point must be 1 or more, got 0/);
  assert.equal(nvm.tearArmed, false);
  nvm.armTear(1);
  assert.equal(nvm.tearArmed, true);
});

test('totalWrites counts the writes that happened, rolled back or not, and not the torn one', () => {
  const nvm = new Nvm();
  const obj = { a: 0 };
  nvm.beginCommand();
  nvm.set(obj, 'a', 1);
  nvm.set(obj, 'a', 2);
  nvm.rollback();
  assert.equal(nvm.totalWrites, 2);
  nvm.armTear(1);
  nvm.beginCommand();
  assert.throws(() => nvm.set(obj, 'a', 3), PowerLoss);
  assert.equal(nvm.totalWrites, 2);
});
