import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import type { BasicData } from '../model/basic-data.ts';
import {
  type FieldDef,
  EF05_FIELDS,
  EF06_FIELDS,
  RecordError,
  cityCode,
  decodeBasicData,
  decodeField,
  encodeBasicData,
  encodeField,
  encodeRecord,
  isCalendarDate,
} from './records.ts';

function field(tag: number): FieldDef {
  const def = [...EF05_FIELDS, ...EF06_FIELDS].find((f) => f.tag === tag);
  assert.ok(def, `no field ${tag}`);
  return def;
}

const CARD_ID = field(0x01);
const CARD_TYPE = field(0x02);
const VERSION = field(0x03);
const ISSUE = field(0x05);
const CARD_NUMBER = field(0x07);
const SSN = field(0x08);
const NAME = field(0x09);
const NAME_EXT = field(0x4e);
const SEX = field(0x0a);
const ETHNICITY = field(0x0b);
const BIRTHPLACE = field(0x0c);
const BIRTH_DATE = field(0x0d);

const isRecordError = (tag?: number, text?: RegExp) => (e: unknown) =>
  e instanceof RecordError && (tag === undefined || e.tag === tag) && (text === undefined || text.test(e.message));

const BASE: BasicData = {
  cardIdCode: '31010044313536303030303035413142',
  cardType: '3',
  specVersion: '2.00',
  initOrg: '333130313030303030303031',
  issueDate: '20240315',
  expiryDate: '20340315',
  cardNumber: 'A0000001X',
  ssn: '310101198001010018',
  name: '张三',
  nameExtension: '',
  sex: '1',
  ethnicity: '01',
  birthplace: '310100',
  birthDate: '19800101',
};

test('field tables: lengths and formats of docs/ssse.md §2', () => {
  assert.deepEqual(
    EF05_FIELDS.map((f) => [f.tag, f.length, f.format]),
    [
      [0x01, 16, 'b'],
      [0x02, 1, 'an'],
      [0x03, 4, 'an'],
      [0x04, 12, 'b'],
      [0x05, 4, 'cn'],
      [0x06, 4, 'cn'],
      [0x07, 9, 'an'],
    ],
  );
  assert.deepEqual(
    EF06_FIELDS.map((f) => [f.tag, f.length, f.format]),
    [
      [0x08, 18, 'an'],
      [0x09, 30, 'gbk'],
      [0x4e, 20, 'gbk'],
      [0x0a, 1, 'an'],
      [0x0b, 1, 'cn'],
      [0x0c, 3, 'cn'],
      [0x0d, 4, 'cn'],
    ],
  );
  assert.deepEqual(NAME_EXT.versions, ['2.00', '3.00']);
  for (const f of [...EF05_FIELDS, ...EF06_FIELDS]) if (f !== NAME_EXT) assert.deepEqual(f.versions, ['1.00', '2.00', '3.00']);
});

test('cn: left-aligned BCD padded with F, round trip', () => {
  assert.equal(toHex(encodeField(ISSUE, '20240315')), '20240315');
  assert.equal(toHex(encodeField(ETHNICITY, '01')), '01');
  assert.equal(toHex(encodeField(ETHNICITY, '1')), '1F');
  assert.equal(toHex(encodeField(ETHNICITY, '')), 'FF');
  assert.equal(toHex(encodeField(BIRTHPLACE, '3101')), '3101FF');
  assert.equal(toHex(encodeField(BIRTHPLACE, '310100')), '310100');
  for (const v of ['', '3', '31', '3101', '31010', '310100']) assert.equal(decodeField(BIRTHPLACE, encodeField(BIRTHPLACE, v)), v);
  assert.equal(decodeField(ISSUE, fromHex('20240315')), '20240315');
});

test('cn: values that do not fit are rejected', () => {
  assert.throws(() => encodeField(BIRTHPLACE, '3101001'), isRecordError(0x0c, /birthplace/));
  assert.throws(() => encodeField(BIRTHPLACE, '31A100'), isRecordError(0x0c, /digits/));
  assert.throws(() => encodeField(ETHNICITY, '-1'), isRecordError(0x0b));
  assert.throws(() => encodeField(ETHNICITY, '001'), isRecordError(0x0b));
});

test('cn dates must be calendar dates YYYYMMDD', () => {
  for (const d of ['20240229', '20000229', '19991231', '20240131', '20240430']) assert.doesNotThrow(() => encodeField(BIRTH_DATE, d), d);
  for (const d of [
    '20230229',
    '19000229',
    '20241301',
    '20240001',
    '20240100',
    '20240431',
    '20240132',
    '2024031',
    '202403150',
    '',
    '00000101',
  ]) {
    assert.throws(() => encodeField(BIRTH_DATE, d), isRecordError(0x0d, /birth date/), d);
  }
  assert.equal(isCalendarDate('20240229'), true);
  assert.equal(isCalendarDate('20230229'), false);
  assert.equal(isCalendarDate('2024-02-2'), false);
});

test('cn decoding rejects malformed BCD', () => {
  assert.throws(() => decodeField(BIRTHPLACE, fromHex('31A1FF')), isRecordError(0x0c, /BCD/)); // non-BCD nibble before the padding
  assert.throws(() => decodeField(BIRTHPLACE, fromHex('31F100')), isRecordError(0x0c, /after the F padding/)); // F then a digit
  assert.throws(() => decodeField(BIRTHPLACE, fromHex('31FFF1')), isRecordError(0x0c, /after the F padding/));
  assert.throws(() => decodeField(BIRTHPLACE, fromHex('31FFAF')), isRecordError(0x0c));
  assert.throws(() => decodeField(BIRTHPLACE, fromHex('3101')), isRecordError(0x0c, /2 bytes/)); // wrong length
  assert.throws(() => decodeField(ISSUE, fromHex('2024031500')), isRecordError(0x05));
  assert.equal(decodeField(BIRTHPLACE, fromHex('FFFFFF')), '');
});

test('an: ASCII padded with 00, round trip', () => {
  assert.equal(toHex(encodeField(VERSION, '2.00')), '322E3030');
  assert.equal(toHex(encodeField(CARD_NUMBER, 'A0000001X')), '413030303030303158');
  assert.equal(toHex(encodeField(CARD_NUMBER, 'A01')), '413031000000000000');
  assert.equal(toHex(encodeField(SEX, '2')), '32');
  assert.equal(toHex(encodeField(SEX, '')), '00');
  for (const v of ['', 'A', 'A01', 'A0000001X', 'a b-c.d']) assert.equal(decodeField(CARD_NUMBER, encodeField(CARD_NUMBER, v)), v);
  assert.equal(decodeField(SSN, encodeField(SSN, '31010119800101001X')), '31010119800101001X');
});

test('an: values that do not fit, malformed values', () => {
  assert.throws(() => encodeField(CARD_NUMBER, 'A0000001XY'), isRecordError(0x07, /card number.*at most 9/));
  assert.throws(() => encodeField(SSN, '张三'), isRecordError(0x08, /printable ASCII/));
  assert.throws(() => encodeField(CARD_TYPE, '\u0001'), isRecordError(0x02));
  assert.throws(() => decodeField(CARD_NUMBER, fromHex('410030303030303030')), isRecordError(0x07, /after the 00 padding/));
  assert.throws(() => decodeField(CARD_NUMBER, fromHex('41C8303030303030FF')), isRecordError(0x07, /not printable/));
  assert.throws(() => decodeField(CARD_NUMBER, fromHex('4130303030303031')), isRecordError(0x07, /8 bytes/));
});

test('gbk: the SSSE name 张三 padded with 00 to 30 bytes', () => {
  const v = encodeField(NAME, '张三');
  assert.equal(toHex(v), `D5C5C8FD${'00'.repeat(26)}`);
  assert.equal(decodeField(NAME, v), '张三');
  assert.equal(toHex(encodeRecord(NAME, '张三')), `091ED5C5C8FD${'00'.repeat(26)}`);
  assert.equal(decodeField(NAME, encodeField(NAME, 'Zhang San')), 'Zhang San');
  assert.equal(decodeField(NAME, encodeField(NAME, '')), '');
  assert.equal(toHex(encodeField(NAME_EXT, '')), '00'.repeat(20));
});

test('gbk: 15 Chinese characters fit in 30 bytes, 16 do not', () => {
  const fifteen = '欧阳测试样卡人员甲乙丙丁戊己庚';
  assert.equal([...fifteen].length, 15);
  const v = encodeField(NAME, fifteen);
  assert.equal(v.length, 30);
  assert.ok(v.every((b) => b !== 0));
  assert.equal(decodeField(NAME, v), fifteen);
  assert.throws(() => encodeField(NAME, `${fifteen}辛`), isRecordError(0x09, /name.*32 bytes.*at most 30/));
  assert.throws(() => encodeField(NAME, `${fifteen}A`), isRecordError(0x09, /31 bytes/));
  assert.equal(decodeField(NAME_EXT, encodeField(NAME_EXT, '甲乙丙丁戊己庚辛壬癸')), '甲乙丙丁戊己庚辛壬癸');
  assert.throws(() => encodeField(NAME_EXT, '甲乙丙丁戊己庚辛壬癸子'), isRecordError(0x4e, /name extension/));
});

test('gbk: unencodable characters and malformed GBK are rejected', () => {
  assert.throws(() => encodeField(NAME, '张😀'), isRecordError(0x09, /😀/));
  assert.throws(() => encodeField(NAME, '张\u0000三'), isRecordError(0x09, /control/));
  assert.throws(() => decodeField(NAME, fromHex(`D5${'00'.repeat(29)}`)), isRecordError(0x09, /GBK/)); // lead byte without trail
  assert.throws(() => decodeField(NAME, fromHex(`D5C500C8FD${'00'.repeat(25)}`)), isRecordError(0x09, /after the 00 padding/));
  assert.throws(() => decodeField(NAME, fromHex('FF'.repeat(30))), isRecordError(0x09));
  assert.throws(() => decodeField(NAME, fromHex('D5C5C8FD')), isRecordError(0x09, /4 bytes/));
});

test('b: exact hex length, upper-case on decoding', () => {
  const hex = '31010044313536303030303035413142';
  assert.equal(toHex(encodeField(CARD_ID, hex)), hex);
  assert.equal(decodeField(CARD_ID, encodeField(CARD_ID, hex.toLowerCase())), hex);
  assert.throws(() => encodeField(CARD_ID, hex.slice(2)), isRecordError(0x01, /32 hex digits/));
  assert.throws(() => encodeField(CARD_ID, `${hex}00`), isRecordError(0x01));
  assert.throws(() => encodeField(CARD_ID, `${hex.slice(1)}G`), isRecordError(0x01));
  assert.throws(() => encodeField(CARD_ID, '3101 0044313536303030303035413142'), isRecordError(0x01));
  assert.throws(() => decodeField(CARD_ID, fromHex(hex).subarray(1)), isRecordError(0x01, /15 bytes/));
});

test('encodeRecord writes tag, length and value', () => {
  assert.equal(toHex(encodeRecord(VERSION, '3.00')), '0304332E3030');
  assert.equal(toHex(encodeRecord(BIRTHPLACE, '310100')), '0C03310100');
  assert.equal(toHex(encodeRecord(NAME_EXT, '')), `4E14${'00'.repeat(20)}`);
  assert.throws(() => encodeRecord(ISSUE, '20241301'), isRecordError(0x05, /issue date/));
});

test('encodeBasicData: the lab profile records for a 2.00 card, 4E after 09', () => {
  const { ef05, ef06 } = encodeBasicData(BASE);
  assert.deepEqual(
    ef05.map((r) => toHex(r)),
    [
      '011031010044313536303030303035413142',
      '020133',
      '0304322E3030',
      '040C333130313030303030303031',
      '050420240315',
      '060420340315',
      '0709413030303030303158',
    ],
  );
  assert.deepEqual(
    ef06.map((r) => toHex(r)),
    [
      '0812333130313031313938303031303130303138',
      `091ED5C5C8FD${'00'.repeat(26)}`,
      `4E14${'00'.repeat(20)}`,
      '0A0131',
      '0B0101',
      '0C03310100',
      '0D0419800101',
    ],
  );
});

test('encodeBasicData: 4E only for specifications 2.00 and 3.00', () => {
  const tags = (d: BasicData): number[] => encodeBasicData(d).ef06.map((r) => r[0]!);
  assert.deepEqual(tags({ ...BASE, specVersion: '1.00', nameExtension: undefined }), [0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);
  assert.deepEqual(tags({ ...BASE, specVersion: '1.00', nameExtension: '' }), [0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);
  assert.deepEqual(tags({ ...BASE, specVersion: '2.00' }), [0x08, 0x09, 0x4e, 0x0a, 0x0b, 0x0c, 0x0d]);
  assert.deepEqual(tags({ ...BASE, specVersion: '3.00', nameExtension: undefined }), [0x08, 0x09, 0x4e, 0x0a, 0x0b, 0x0c, 0x0d]);
  const ext = encodeBasicData({ ...BASE, specVersion: '3.00', nameExtension: '甲乙' }).ef06[2]!;
  assert.equal(toHex(ext), `4E14BCD7D2D2${'00'.repeat(16)}`);
  assert.throws(() => encodeBasicData({ ...BASE, specVersion: '1.00', nameExtension: '甲乙' }), isRecordError(0x4e, /1\.00/));
});

test('encodeBasicData rejects bad data naming the field', () => {
  assert.throws(() => encodeBasicData({ ...BASE, specVersion: '4.00' as never }), isRecordError(0x03, /4\.00/));
  assert.throws(() => encodeBasicData({ ...BASE, sex: '0' as never }), isRecordError(0x0a, /sex/));
  assert.throws(() => encodeBasicData({ ...BASE, expiryDate: '20340231' }), isRecordError(0x06, /expiry date/));
  assert.throws(() => encodeBasicData({ ...BASE, ssn: '3101011980010100189' }), isRecordError(0x08, /social security number/));
  assert.throws(() => encodeBasicData({ ...BASE, birthplace: undefined as never }), isRecordError(0x0c, /no value/));
});

test('decodeBasicData round trip for every version', () => {
  for (const d of [
    { ...BASE, specVersion: '1.00' as const, nameExtension: undefined },
    { ...BASE, specVersion: '2.00' as const },
    { ...BASE, specVersion: '3.00' as const, name: '欧阳测试样卡人员甲乙丙丁戊己庚', nameExtension: '辛壬癸', sex: '2' as const },
  ]) {
    const { ef05, ef06 } = encodeBasicData(d);
    const back = decodeBasicData(ef05, ef06);
    const expected: BasicData = { ...d };
    if (expected.nameExtension === undefined) delete expected.nameExtension;
    assert.deepEqual(back, expected);
    // Record order does not matter.
    assert.deepEqual(decodeBasicData([...ef05].reverse(), [...ef06].reverse()), expected);
  }
  // A missing name extension is written empty and read back as ''.
  const { ef05, ef06 } = encodeBasicData({ ...BASE, nameExtension: undefined });
  assert.equal(decodeBasicData(ef05, ef06).nameExtension, '');
});

test('decodeBasicData rejects malformed records', () => {
  const { ef05, ef06 } = encodeBasicData(BASE);
  const with06 = (i: number, r: Uint8Array): Uint8Array[] => ef06.map((x, j) => (j === i ? r : x));
  const with05 = (i: number, r: Uint8Array): Uint8Array[] => ef05.map((x, j) => (j === i ? r : x));
  // Unknown tag, or a tag of the other file.
  assert.throws(() => decodeBasicData([...ef05, fromHex('0E0100')], ef06), isRecordError(0x0e, /unknown tag 0E/));
  assert.throws(() => decodeBasicData(ef05, [...ef06, ef05[1]!]), isRecordError(0x02, /EF06.*unknown tag 02/));
  // Length byte not the field length.
  assert.throws(() => decodeBasicData(ef05, with06(5, fromHex('0C02310100'))), isRecordError(0x0c, /length 2, the field 3/));
  assert.throws(() => decodeBasicData(ef05, with06(1, fromHex('0904D5C5C8FD'))), isRecordError(0x09, /length 4, the field 30/));
  // Record size not matching the length byte (truncated, trailing bytes).
  assert.throws(() => decodeBasicData(ef05, with06(5, fromHex('0C033101'))), isRecordError(0x0c, /4 bytes/));
  assert.throws(() => decodeBasicData(ef05, with06(5, fromHex('0C0331010000'))), isRecordError(0x0c, /6 bytes/));
  assert.throws(() => decodeBasicData(ef05, with06(5, fromHex('0C'))), isRecordError(undefined, /no tag and length/));
  // Malformed values.
  assert.throws(() => decodeBasicData(ef05, with06(5, fromHex('0C0331F100'))), isRecordError(0x0c, /EF06 record 6.*after the F padding/));
  assert.throws(() => decodeBasicData(with05(4, fromHex('05042024A315')), ef06), isRecordError(0x05, /BCD/));
  // Duplicates, missing fields, fields of another version.
  assert.throws(() => decodeBasicData(ef05, [...ef06, ef06[3]!]), isRecordError(0x0a, /twice/));
  assert.throws(
    () =>
      decodeBasicData(
        ef05,
        ef06.filter((r) => r[0] !== 0x4e),
      ),
    isRecordError(0x4e, /missing/),
  );
  assert.throws(() => decodeBasicData(ef05.slice(0, 6), ef06), isRecordError(0x07, /card number.*missing/));
  const v1 = encodeBasicData({ ...BASE, specVersion: '1.00', nameExtension: undefined });
  assert.throws(() => decodeBasicData(v1.ef05, [...v1.ef06, ef06[2]!]), isRecordError(0x4e, /does not exist in specification 1\.00/));
  // Version and sex values.
  assert.throws(() => decodeBasicData(with05(2, fromHex('0304342E3030')), ef06), isRecordError(0x03, /4\.00/));
  assert.throws(
    () =>
      decodeBasicData(
        ef05.filter((r) => r[0] !== 0x03),
        ef06,
      ),
    isRecordError(0x03, /missing/),
  );
  assert.throws(() => decodeBasicData(ef05, with06(3, fromHex('0A0130'))), isRecordError(0x0a, /sex/));
});

test('cityCode: the first 6 digits of the card identification code', () => {
  assert.equal(cityCode('31010044313536303030303035413142'), '310100');
  assert.equal(cityCode(`110100${'00'.repeat(13)}`), '110100');
  assert.throws(() => cityCode('310100'), isRecordError(0x01, /32 hex digits/));
  assert.throws(() => cityCode(`3A0100${'00'.repeat(13)}`), isRecordError(0x01, /not BCD/));
});
