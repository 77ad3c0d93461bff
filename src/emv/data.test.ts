import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import { buildDolData } from './dol.ts';
import {
  amountBytes,
  compareYymmdd,
  domesticPosTransaction,
  emvDate,
  emvTime,
  isAtm,
  numericBytes,
  parseYymmdd,
  readNumeric,
  terminalTypeInfo,
  transactionTags,
} from './data.ts';

const NOW = new Date(2025, 5, 30, 14, 5, 9); // 30 June 2025 14:05:09 local

test('numeric (n) helpers', () => {
  assert.equal(toHex(numericBytes(156, 2)), '0156');
  assert.equal(toHex(numericBytes('5', 1)), '05');
  assert.equal(toHex(amountBytes(123456)), '000000123456');
  assert.equal(toHex(amountBytes(999_999_999_999)), '999999999999');
  assert.throws(() => amountBytes(1_000_000_000_000), RangeError);
  assert.throws(() => amountBytes(1.5), RangeError);
  assert.throws(() => numericBytes(1234, 1), RangeError);
  assert.throws(() => numericBytes('12a', 2), RangeError);
  assert.equal(readNumeric(fromHex('000000001000')), 1000);
  assert.throws(() => readNumeric(fromHex('0A')), RangeError);
});

test('YYMMDD dates use the 50/50 century rule (Book 4 §6.7.3)', () => {
  assert.deepEqual(parseYymmdd('491231'), { year: 2049, month: 12, day: 31 });
  assert.deepEqual(parseYymmdd(fromHex('500101')), { year: 1950, month: 1, day: 1 });
  assert.ok(compareYymmdd('000101', '991231') > 0);
  assert.equal(compareYymmdd('250630', fromHex('250630')), 0);
  assert.ok(compareYymmdd('250629', '250630') < 0);
  assert.throws(() => parseYymmdd('251301'), RangeError);
  assert.throws(() => parseYymmdd('2506'), RangeError);
  assert.equal(emvDate(NOW), '250630');
  assert.equal(emvTime(NOW), '140509');
});

test('terminal type and ATM (Book 4 Annex A1)', () => {
  assert.deepEqual(terminalTypeInfo('22'), { operator: 'merchant', attended: true, online: 'offline with online capability' });
  assert.deepEqual(terminalTypeInfo('14'), { operator: 'financial institution', attended: false, online: 'online only' });
  assert.deepEqual(terminalTypeInfo('36'), { operator: 'cardholder', attended: false, online: 'offline only' });
  assert.throws(() => terminalTypeInfo('27'), RangeError);
  assert.ok(isAtm('14', fromHex('8000000000')));
  assert.ok(!isAtm('14', fromHex('6000000000')));
  assert.ok(!isAtm('22', fromHex('F000000000')));
});

test('domestic POS defaults and the tag map', () => {
  const t = domesticPosTransaction(
    {
      amountAuthorised: 1000,
      unpredictableNumber: fromHex('11223344'),
      terminalId: 'T1',
      merchantCategoryCode: '5411',
      sequenceCounter: 7,
      floorLimit: 50000,
    },
    NOW,
  );
  const tags = transactionTags(t);
  const hex = (tag: number) => toHex(tags.get(tag)!);
  assert.equal(hex(0x9f02), '000000001000');
  assert.equal(hex(0x9f03), '000000000000');
  assert.equal(hex(0x9f1a), '0156');
  assert.equal(hex(0x5f2a), '0156');
  assert.equal(hex(0x5f36), '02');
  assert.equal(hex(0x9a), '250630');
  assert.equal(hex(0x9f21), '140509');
  assert.equal(hex(0x9c), '00');
  assert.equal(hex(0x9f37), '11223344');
  assert.equal(hex(0x95), '0000000000');
  assert.equal(hex(0x9b), '0000');
  assert.equal(hex(0x9f33), 'E0E9C8');
  assert.equal(hex(0x9f40), '6000F0A001');
  assert.equal(hex(0x9f35), '22');
  assert.equal(hex(0x9f09), '0030');
  assert.equal(hex(0x9f39), '05');
  assert.equal(hex(0xdf69), '01');
  assert.equal(hex(0x9f1c), '5431202020202020');
  assert.equal(hex(0x9f15), '5411');
  assert.equal(hex(0x9f41), '00000007');
  assert.equal(hex(0x9f1b), '0000C350');
  assert.equal(tags.has(0x8a), false);
  assert.equal(new TextDecoder().decode(tags.get(0x9f4e)), 'SSC-LAB TERMINAL');
  assert.equal(domesticPosTransaction({}, NOW).unpredictableNumber.length, 4);
});

test('the tag map feeds a PBOC PDOL and CDOL1', () => {
  const t = domesticPosTransaction(
    { amountAuthorised: 1234, unpredictableNumber: fromHex('A1B2C3D4'), authorisationResponseCode: 'Y3', smSupported: false },
    NOW,
  );
  const tags = transactionTags(t);
  const pdol = fromHex('9F7A019F02065F2A02DF6901');
  assert.equal(toHex(buildDolData(pdol, tags)), '00' + '000000001234' + '0156' + '00');
  const cdol1 = fromHex('9F02069F03069F1A0295055F2A029A039C019F37049F21039F4E14');
  const data = buildDolData(cdol1, tags);
  assert.equal(toHex(data.subarray(0, 25)), '000000001234' + '000000000000' + '0156' + '0000000000' + '0156' + '250630' + '00');
  assert.equal(toHex(data.subarray(25, 32)), 'A1B2C3D4' + '140509');
  assert.equal(toHex(tags.get(0x8a)!), '5933');
});

test('the tag map rejects malformed values', () => {
  const base = domesticPosTransaction({ unpredictableNumber: fromHex('00000000') }, NOW);
  assert.throws(() => transactionTags({ ...base, tvr: new Uint8Array(4) }), RangeError);
  assert.throws(() => transactionTags({ ...base, date: '251340' }), RangeError);
  assert.throws(() => transactionTags({ ...base, terminalCountry: '01560' }), RangeError);
  assert.throws(() => transactionTags({ ...base, authorisationResponseCode: '000' }), RangeError);
  const extra = transactionTags({ ...base, extra: new Map([[0xdf7f, fromHex('01')]]) });
  assert.equal(toHex(extra.get(0xdf7f)!), '01');
});
