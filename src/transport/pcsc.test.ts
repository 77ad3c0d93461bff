import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickReader } from './pcsc.ts';

const readers = [{ name: 'Virtual PCD 00 01' }, { name: 'ACS ACR39U 00 00' }, { name: 'Virtual PCD 00 00' }];

test('a reader is chosen by index in the sorted list, by exact name before a part of one, or the first', () => {
  assert.equal(pickReader(readers, undefined)?.name, 'ACS ACR39U 00 00');
  assert.equal(pickReader(readers, '2')?.name, 'Virtual PCD 00 01');
  assert.equal(pickReader(readers, 'Virtual PCD 00 00')?.name, 'Virtual PCD 00 00');
  assert.equal(pickReader(readers, 'Virtual PCD')?.name, 'Virtual PCD 00 00', 'a part: the first in name order');
  assert.equal(pickReader(readers, 'ACR39U')?.name, 'ACS ACR39U 00 00');
  assert.equal(pickReader(readers, 'Gemalto'), undefined);
  assert.equal(pickReader(readers, '3'), undefined);
  assert.equal(pickReader([], undefined), undefined);
});
