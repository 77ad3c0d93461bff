import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import { DolError, buildDolData, dolLength, dolValue, parseDol } from './dol.ts';

test('parseDol reads one-, two- and three-byte tags', () => {
  assert.deepEqual(parseDol(fromHex('9F02069A039C01DF69015F2A02')), [
    { tag: 0x9f02, length: 6 },
    { tag: 0x9a, length: 3 },
    { tag: 0x9c, length: 1 },
    { tag: 0xdf69, length: 1 },
    { tag: 0x5f2a, length: 2 },
  ]);
  assert.deepEqual(parseDol(fromHex('DF8101 04'.replace(' ', ''))), [{ tag: 0xdf8101, length: 4 }]);
  assert.equal(dolLength(fromHex('9F02069A03')), 9);
  assert.throws(() => parseDol(fromHex('9F02')), DolError);
  assert.throws(() => parseDol(fromHex('9F')), DolError);
});

test('buildDolData pads numeric values on the left, others on the right, and cuts them (EMV Book 3 §5.4)', () => {
  const values = new Map([
    [0x9f02, fromHex('1000')], // n: 00 00 00 00 10 00
    [0x50, fromHex('41424344')], // an, cut to 2
    [0x9f37, fromHex('1122')], // b, padded right
    [0x9a, fromHex('20250101')], // n, cut on the left
  ]);
  assert.equal(toHex(buildDolData(fromHex('9F020650029F3704' + '9A03' + '9F1A02'), values)), '000000001000' + '4142' + '11220000' + '250101' + '0000');
});

test('dolValue finds a tag in DOL-related data', () => {
  const dol = fromHex('8A029F0206');
  const data = fromHex('3030000000001234');
  assert.equal(toHex(dolValue(dol, data, 0x8a)!), '3030');
  assert.equal(toHex(dolValue(dol, data, 0x9f02)!), '000000001234');
  assert.equal(dolValue(dol, data, 0x9a), undefined);
});
