import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import {
  AflError,
  type RecordReader,
  aflRecords,
  checkAfl,
  encodeAfl,
  odaRecordData,
  odaRecords,
  parseAfl,
  readAflRecords,
  splitAfl,
  staticDataToAuthenticate,
} from './afl.ts';

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
  for (const [hex, re] of cases)
    assert.throws(
      () => parseAfl(fromHex(hex)),
      (e: unknown) => e instanceof AflError && re.test(e.message),
      hex,
    );
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

/** A card answering READ RECORD from records keyed "SFI/record", 6A83 for the others; it logs what it was asked. */
function card(records: Record<string, string>) {
  const asked: string[] = [];
  const read: RecordReader = async (sfi, record) => {
    asked.push(`${sfi}/${record}`);
    const hex = records[`${sfi}/${record}`];
    return hex === undefined ? { sw: 0x6a83, data: new Uint8Array(0) } : { sw: 0x9000, data: fromHex(hex) };
  };
  return { asked, read };
}

test('readAflRecords reads every record the AFL names, in AFL order (Book 3 §10.2)', async () => {
  const c = card({ '1/1': '70035A0112', '1/2': '70029F08', '11/1': '70025F34' });
  const read = await readAflRecords(fromHex('08010201' + '58010100'), c.read);
  assert.deepEqual(c.asked, ['1/1', '1/2', '11/1']);
  assert.deepEqual(
    read.map((r) => `${r.sfi}/${r.record}${r.oda ? '*' : ''} ${r.sw.toString(16)} ${toHex(r.data)}`),
    ['1/1* 9000 70035A0112', '1/2 9000 70029F08', '11/1 9000 70025F34'],
  );
});

test('readAflRecords goes on after an error, or stops when told; an invalid AFL reads nothing', async () => {
  const afl = fromHex('08010300' + '10010100');
  const all = card({ '1/1': '7000', '1/3': '7000', '2/1': '7000' });
  assert.deepEqual(
    (await readAflRecords(afl, all.read)).map((r) => r.sw.toString(16)),
    ['9000', '6a83', '9000', '9000'],
  );
  const stop = card({ '1/1': '7000', '1/3': '7000', '2/1': '7000' });
  const read = await readAflRecords(afl, stop.read, { stopOnError: true });
  assert.deepEqual(stop.asked, ['1/1', '1/2']);
  assert.equal(read.at(-1)!.sw, 0x6a83);
  const none = card({});
  await assert.rejects(readAflRecords(fromHex('00010101'), none.read), AflError);
  assert.deepEqual(none.asked, []);
});

test('staticDataToAuthenticate: the ODA records in AFL order, then the AIP when 9F4A names it (Book 3 §10.3)', async () => {
  const afl = fromHex('08010201' + '58010101');
  const read = await readAflRecords(afl, card({ '1/1': '70035A0112', '1/2': '70029F08', '11/1': '70025F34' }).read);
  const aip = fromHex('7D00');
  assert.equal(toHex(staticDataToAuthenticate(afl, read, aip)), '5A0112' + '70025F34');
  assert.equal(toHex(staticDataToAuthenticate(afl, read, aip, fromHex('82'))), '5A0112' + '70025F34' + '7D00');
  // records without a status (as a harness keeps them) count as read
  const kept = [
    { sfi: 11, record: 1, data: fromHex('7000') },
    { sfi: 1, record: 1, data: fromHex('7000') },
  ];
  assert.equal(toHex(staticDataToAuthenticate(afl, kept, aip)), '7000');
  // an ODA record that was not read, or not a template 70 for SFI 1-10
  assert.throws(() => staticDataToAuthenticate(afl, read.slice(1), aip), /record 1 of SFI 1 was not read/);
  const unanswered = read.map((r) => (r.record === 1 && r.sfi === 1 ? { ...r, sw: 0x6a83 } : r));
  assert.throws(() => staticDataToAuthenticate(afl, unanswered, aip), /was not read/);
  const notTemplate = read.map((r) => (r.sfi === 1 ? { ...r, data: fromHex('61035A0112') } : r));
  assert.throws(() => staticDataToAuthenticate(afl, notTemplate, aip), AflError);
});
