import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import { AflError, aflRecords, checkAfl, encodeAfl, odaRecordData, odaRecords, parseAfl, splitAfl } from './afl.ts';

test('parseAfl reads the 4-byte entries (Book 3 §10.2)', () => {
  assert.deepEqual(parseAfl(fromHex('08010301' + '10010200' + '18010101')), [
    { sfi: 1, first: 1, last: 3, odaCount: 1 },
    { sfi: 2, first: 1, last: 2, odaCount: 0 },
    { sfi: 3, first: 1, last: 1, odaCount: 1 },
  ]);
  assert.deepEqual(parseAfl(new Uint8Array(0)), []);
  assert.equal(toHex(encodeAfl(parseAfl(fromHex('0801030110010200')))), '0801030110010200');
});

test('parseAfl rejects invalid entries with every error', () => {
  const cases: [string, RegExp][] = [
    ['080103', /multiple of 4/],
    ['00010101', /SFI 0 is outside 1-30/],
    ['F8010101', /SFI 31 is outside 1-30/],
    ['08000100', /first record number is 0/],
    ['08030200', /last record 2 is below the first 3/],
    ['08010203', /3 records for offline data authentication but only 2/],
  ];
  for (const [hex, re] of cases) assert.throws(() => parseAfl(fromHex(hex)), (e: unknown) => e instanceof AflError && re.test(e.message), hex);
  try {
    parseAfl(fromHex('08010101' + '00000000'));
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof AflError);
    assert.deepEqual(
      e.problems.map((p) => p.entry),
      [1, 1],
    );
  }
});

test('checkAfl also warns about RFU bits and records listed twice, which do not throw', () => {
  const afl = fromHex('09010200' + '08020300');
  assert.deepEqual(checkAfl(afl), [
    { entry: 0, severity: 'warning', message: 'bits b3-b1 of byte 1 are 001, not 000' },
    { entry: 1, severity: 'warning', message: 'record 2 of SFI 1 is already listed by entry 1' },
  ]);
  assert.equal(parseAfl(afl).length, 2);
  assert.equal(splitAfl(fromHex('00000000'))[0]!.sfi, 0);
});

test('aflRecords lists the records to read and those for offline data authentication', () => {
  const afl = fromHex('08010302' + '10010100' + '58020201');
  assert.deepEqual(
    aflRecords(afl).map((r) => `${r.sfi}/${r.record}${r.oda ? '*' : ''}`),
    ['1/1*', '1/2*', '1/3', '2/1', '11/2*'],
  );
  assert.deepEqual(
    odaRecords(afl).map((r) => `${r.sfi}/${r.record}`),
    ['1/1', '1/2', '11/2'],
  );
});

test('odaRecordData: the 70 value for SFI 1-10, the whole record for SFI 11-30 (Book 3 §10.3)', () => {
  const rec = fromHex('70055A03123456');
  assert.equal(toHex(odaRecordData(1, rec)), '5A03123456');
  assert.equal(toHex(odaRecordData(11, rec)), '70055A03123456');
  const long = new Uint8Array(3 + 130);
  long.set([0x70, 0x81, 130]);
  assert.equal(odaRecordData(2, long).length, 130);
  assert.throws(() => odaRecordData(1, fromHex('61035A0112')), AflError);
  assert.throws(() => odaRecordData(1, fromHex('70045A0112')), AflError);
  assert.throws(() => odaRecordData(1, fromHex('70')), AflError);
});
