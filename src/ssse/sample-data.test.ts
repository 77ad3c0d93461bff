import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cityCode, decodeBasicData, encodeBasicData } from './records.ts';
import { SAMPLE_BASIC_DATA, SAMPLE_BEIJING_V3, SAMPLE_EXPIRED_V1, SAMPLE_GUANGZHOU_V1, SAMPLE_SHANGHAI_V2 } from './sample-data.ts';

/** GB 11643 check character of a citizen identity number. */
function idCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * weights[i]!, 0);
  return '10X98765432'[sum % 11]!;
}

test('every sample encodes and decodes back', () => {
  for (const [id, d] of Object.entries(SAMPLE_BASIC_DATA)) {
    const { ef05, ef06 } = encodeBasicData(d);
    assert.equal(
      ef06.some((r) => r[0] === 0x4e),
      d.specVersion !== '1.00',
      id,
    );
    assert.deepEqual(decodeBasicData(ef05, ef06), d, id);
  }
});

test('samples: city codes, versions, dates and persons are consistent', () => {
  assert.deepEqual(
    [SAMPLE_SHANGHAI_V2, SAMPLE_BEIJING_V3, SAMPLE_GUANGZHOU_V1, SAMPLE_EXPIRED_V1].map((d) => [cityCode(d.cardIdCode), d.specVersion]),
    [
      ['310100', '2.00'],
      ['110100', '3.00'],
      ['440100', '1.00'],
      ['440100', '1.00'],
    ],
  );
  assert.equal(SAMPLE_EXPIRED_V1.expiryDate, '20201231');
  const ids = new Set<string>();
  for (const [id, d] of Object.entries(SAMPLE_BASIC_DATA)) {
    assert.equal(Number(d.expiryDate.slice(0, 4)) - Number(d.issueDate.slice(0, 4)), 10, id);
    assert.equal(d.expiryDate.slice(4), d.issueDate.slice(4), id);
    assert.equal(d.ssn.slice(6, 14), d.birthDate, id);
    assert.equal(d.ssn[17], idCheck(d.ssn.slice(0, 17)), id);
    assert.equal(Number(d.ssn[16]) % 2 === 1 ? '1' : '2', d.sex, id);
    assert.ok(Object.isFrozen(d), id);
    ids.add(d.cardIdCode);
  }
  assert.equal(ids.size, 4);
});
