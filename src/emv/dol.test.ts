import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import {
  DolError,
  NUMERIC_TAGS,
  buildDolData,
  dataFormat,
  dolLength,
  dolValue,
  encodeDol,
  fitDolValue,
  parseDol,
  splitDolData,
} from './dol.ts';

test('parseDol reads one-, two- and three-byte tags', () => {
  assert.deepEqual(parseDol(fromHex('9F02069A039C01DF69015F2A02')), [
    { tag: 0x9f02, length: 6 },
    { tag: 0x9a, length: 3 },
    { tag: 0x9c, length: 1 },
    { tag: 0xdf69, length: 1 },
    { tag: 0x5f2a, length: 2 },
  ]);
  assert.deepEqual(parseDol(fromHex('DF810104')), [{ tag: 0xdf8101, length: 4 }]);
  assert.deepEqual(parseDol(new Uint8Array(0)), []);
  assert.equal(dolLength(fromHex('9F02069A03')), 9);
  assert.throws(() => parseDol(fromHex('9F02')), DolError);
  assert.throws(() => parseDol(fromHex('9F')), DolError);
  assert.throws(() => parseDol(fromHex('DF81')), DolError);
});

test('encodeDol is the inverse of parseDol', () => {
  const dol = fromHex('9F02069F03069F1A0295055F2A029A039C019F3704DF8101049F4E14');
  assert.equal(toHex(encodeDol(parseDol(dol))), toHex(dol));
  assert.throws(() => encodeDol([{ tag: 0x9f02, length: 256 }]), DolError);
});

test('buildDolData pads numeric values on the left, others on the right, and cuts them (EMV Book 3 §5.4 c, d)', () => {
  const values = new Map([
    [0x9f02, fromHex('1000')], // n: 00 00 00 00 10 00
    [0x50, fromHex('41424344')], // ans, cut to 2 on the right
    [0x9f37, fromHex('1122')], // b, padded right
    [0x9a, fromHex('20250101')], // n, cut on the left
  ]);
  assert.equal(
    toHex(buildDolData(fromHex('9F020650029F3704' + '9A03' + '9F1A02'), values)),
    '000000001000' + '4142' + '11220000' + '250101' + '0000',
  );
});

test('buildDolData: compressed numeric is padded with trailing FF, constructed and unknown tags give zeros (Book 3 §5.4 a, d)', () => {
  const values = new Map([
    [0x5a, fromHex('6217000012')], // cn: padded FF
    [0x70, fromHex('5A01FF')], // constructed: zeros
    [0x9f33, fromHex('E0F8C8')], // b, cut to 2 on the right
  ]);
  assert.equal(toHex(buildDolData(fromHex('5A0870039F3302DF7F03'), values)), '6217000012FFFFFF' + '000000' + 'E0F8' + '000000');
  // the caller may give formats for proprietary tags
  assert.equal(toHex(buildDolData(fromHex('DF7F03'), new Map([[0xdf7f, fromHex('12')]]), { formats: new Map([[0xdf7f, 'n']]) })), '000012');
});

test('the formats follow Book 3 Annex A; binary ATC / floor limit are no longer numeric', () => {
  assert.equal(dataFormat(0x9f02), 'n');
  assert.equal(dataFormat(0x5a), 'cn');
  assert.equal(dataFormat(0x9f36), 'b');
  assert.equal(dataFormat(0x9f1b), 'b');
  assert.equal(dataFormat(0x8a), 'an');
  assert.ok(NUMERIC_TAGS.has(0x9a) && !NUMERIC_TAGS.has(0x9f37));
  assert.equal(toHex(fitDolValue(fromHex('123456'), 3, 'n')), '123456');
  assert.equal(toHex(fitDolValue(fromHex(''), 2, 'cn')), 'FFFF');
});

test('dolValue finds a tag in DOL-related data; splitDolData splits all of it', () => {
  const dol = fromHex('8A029F0206');
  const data = fromHex('3030000000001234');
  assert.equal(toHex(dolValue(dol, data, 0x8a)!), '3030');
  assert.equal(toHex(dolValue(dol, data, 0x9f02)!), '000000001234');
  assert.equal(dolValue(dol, data, 0x9a), undefined);
  assert.deepEqual(
    splitDolData(dol, data).map((e) => [e.tag, toHex(e.value)]),
    [
      [0x8a, '3030'],
      [0x9f02, '000000001234'],
    ],
  );
  assert.throws(() => splitDolData(dol, fromHex('30')), DolError);
});
