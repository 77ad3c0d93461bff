import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import { findTag, parseTlv } from '../core/tlv.ts';
import { type OdaElements, PbocDataError, buildAfl, buildFci, composePboc, dolTotalLength, track2 } from './image.ts';
import type { PbocJson } from '../model/pboc-data.ts';

const ODA: OdaElements = {
  caIndex: fromHex('80'),
  issuerCert: new Uint8Array(8).fill(0x90),
  issuerRemainder: new Uint8Array(2).fill(0x92),
  issuerExponent: fromHex('03'),
  iccCert: new Uint8Array(8).fill(0x46),
  iccRemainder: new Uint8Array(2).fill(0x48),
  iccExponent: fromHex('03'),
  ssad: new Uint8Array(8).fill(0x93),
};

function pboc(overrides: Partial<PbocJson> = {}): PbocJson {
  return {
    suite: 'des-rsa',
    pan: '6217000000123456786',
    psn: '01',
    effective: '240101',
    expiry: '301231',
    aip: '7D00',
    pdol: '9F1A02DF6901',
    label: 'UnionPay Debit',
    logEntry: { sfi: 11, records: 10 },
    records: [
      { sfi: 1, record: 1, tags: ['57'] },
      { sfi: 2, record: 1, tags: ['5A', '5F24', '8C'], oda: true },
      { sfi: 2, record: 2, tags: ['9F46', '9F47', '9F48'] },
      { sfi: 3, record: 1, tags: ['8F', '90', '92', '9F32', '93'] },
    ],
    data: { '8C': '9F0206', '5F30': '0220', '9F4A': '82' },
    cardData: { '9F36': '0000', '9F4F': '9A039F0206' },
    pki: { issuer: 'i', icc: 'c' },
    ...overrides,
  };
}

test('AFL: one entry per SFI, ODA records counted first (EMV Book 3 §10.2)', () => {
  assert.equal(toHex(buildAfl(pboc().records)), '08010100' + '10010201' + '18010100');
  assert.throws(() => buildAfl([{ sfi: 1, record: 2, tags: ['5A'] }]), PbocDataError);
  assert.throws(
    () =>
      buildAfl([
        { sfi: 1, record: 1, tags: ['5A'] },
        { sfi: 1, record: 2, tags: ['5F24'], oda: true },
      ]),
    /ODA records come first/,
  );
});

test('track 2 equivalent data: PAN D YYMM service code, F-padded', () => {
  assert.equal(toHex(track2('6217000000123456786', '301231', '220')), '6217000000123456786D30122200000000000F');
  assert.equal(toHex(track2('621700000012345678', '301231', '220')), '621700000012345678D30122200000000000');
});

test('the FCI holds the AID, label, priority, PDOL, language and log entry', () => {
  const fci = parseTlv(buildFci(fromHex('A000000333010101'), pboc()));
  assert.equal(toHex(findTag(fci, 0x84)!.value), 'A000000333010101');
  assert.equal(toHex(findTag(fci, 0x9f38)!.value), '9F1A02DF6901');
  assert.equal(toHex(findTag(fci, 0x9f4d)!.value), '0B0A');
  assert.equal(new TextDecoder().decode(findTag(fci, 0x50)!.value), 'UnionPay Debit');
});

test('composePboc: records from data and generated values; static data = ODA record contents ‖ AIP', () => {
  let seen: Uint8Array | undefined;
  const image = composePboc(fromHex('A000000333010101'), pboc(), (sd) => {
    seen = sd;
    return ODA;
  });
  const rec2 = image.records.find((r) => r.sfi === 2 && r.record === 1)!;
  assert.equal(toHex(rec2.template), '70' + '17' + '5A0A6217000000123456786F' + '5F2403301231' + '8C039F0206');
  assert.equal(toHex(seen!), `${toHex(rec2.template.slice(2))}7D00`);
  assert.equal(toHex(image.staticData), toHex(seen!));
  const rec3 = image.records.find((r) => r.sfi === 3)!;
  assert.equal(toHex(findTag(parseTlv(rec3.template), 0x93)!.value), toHex(ODA.ssad));
  assert.equal(toHex(image.gpoData), '82027D00' + '940C' + '080101001001020118010100');
  assert.equal(image.logRecordLength, 9);
  assert.equal(toHex(findTag(parseTlv(image.cardObjects), 0x9f4d)!.value), '0B0A');
});

test('composePboc: an ODA record of SFI 11-30 enters the static data whole, template 70 and its length (EMV 4.3 Book 3 §10.3)', () => {
  let seen: Uint8Array | undefined;
  const records = [
    { sfi: 1, record: 1, tags: ['57'] },
    { sfi: 2, record: 1, tags: ['5A', '5F24'], oda: true },
    { sfi: 12, record: 1, tags: ['8C'], oda: true },
    { sfi: 3, record: 1, tags: ['8F', '90', '92', '9F32', '93', '9F46', '9F47', '9F48'] },
  ];
  const image = composePboc(fromHex('A000000333010101'), pboc({ records }), (sd) => {
    seen = sd;
    return ODA;
  });
  const low = image.records.find((r) => r.sfi === 2)!.template;
  const high = image.records.find((r) => r.sfi === 12)!.template;
  assert.equal(toHex(high), '7005' + '8C039F0206');
  assert.equal(toHex(seen!), `${toHex(low.slice(2))}${toHex(high)}7D00`);
});

test('composePboc refuses generated tags in data, ODA tags in ODA records, missing values', () => {
  const noOda = () => ODA;
  assert.throws(
    () => composePboc(fromHex('A0'), pboc({ data: { '5A': '00' } }), noOda),
    (e: unknown) => e instanceof PbocDataError && e.path === '/pboc/data/5A',
  );
  assert.throws(
    () => composePboc(fromHex('A0'), pboc({ records: [{ sfi: 1, record: 1, tags: ['90'], oda: true }] }), noOda),
    /cannot be in an ODA record/,
  );
  assert.throws(
    () => composePboc(fromHex('A0'), pboc({ records: [{ sfi: 1, record: 1, tags: ['9F07'] }] }), noOda),
    /no value for tag 9F07/,
  );
  assert.throws(() => composePboc(fromHex('A0'), pboc({ cardData: { '9F4D': '0B0A' } }), noOda), /log entry 9F4D comes from "logEntry"/);
});

test('dolTotalLength adds the lengths of one- and two-byte tags', () => {
  assert.equal(dolTotalLength(fromHex('9F02069A039C01DF6901')), 11);
  assert.throws(() => dolTotalLength(fromHex('9F02')), PbocDataError);
});
