import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Bytes, fromHex, toHex } from '../core/bytes.ts';
import { domesticPosTransaction } from './data.ts';
import {
  aucAllows,
  checkApplicationVersion,
  checkDates,
  checkUsageControl,
  processingRestrictions,
  serviceOfTransactionType,
} from './restrictions.ts';
import { describeTvr, newTvr } from './tvr.ts';

const NOW = new Date(2025, 5, 30);
const pos = domesticPosTransaction({ unpredictableNumber: fromHex('00000000') }, NOW);

/** Card data of a domestic-only PBOC debit card (CARD-PBOC-DOM-01): 9F07 domestic only, 5F28 0156, 9F08 0030. */
function card(over: Record<string, string | undefined> = {}): Map<number, Bytes> {
  const base: Record<string, string | undefined> = {
    '9F08': '0030',
    '9F07': 'AB00',
    '5F28': '0156',
    '5F25': '200101',
    '5F24': '301231',
    ...over,
  };
  const m = new Map<number, Bytes>();
  for (const [k, v] of Object.entries(base)) if (v !== undefined) m.set(parseInt(k, 16), fromHex(v));
  return m;
}

test('a valid domestic purchase sets no bit', () => {
  const r = processingRestrictions(card(), pos);
  assert.equal(toHex(r.tvr), '0000000000');
  assert.deepEqual(r.findings, []);
  assert.equal(r.scope, 'domestic');
});

test('application version number (Book 3 §10.4.1)', () => {
  assert.deepEqual(
    processingRestrictions(card({ '9F08': '0020' }), pos).findings.map((f) => f.bit),
    ['differentVersions'],
  );
  assert.equal(toHex(processingRestrictions(card({ '9F08': '0020' }), pos).tvr), '0080000000');
  assert.deepEqual(processingRestrictions(card({ '9F08': '0020' }), pos, { acceptedVersions: [fromHex('0020')] }).findings, []);
  assert.deepEqual(checkApplicationVersion(undefined, fromHex('0030')), [], 'absent on the card: compatible');
});

test('application usage control: domestic only card abroad, cash, cashback, ATM (Book 3 §10.4.2)', () => {
  // 9F07 AB00 = domestic cash, domestic goods, domestic services, ATM, other than ATM
  const abroad = { ...pos, terminalCountry: '0344' };
  const r = processingRestrictions(card(), abroad);
  assert.equal(r.scope, 'international');
  assert.deepEqual(describeTvr(r.tvr), ['Requested service not allowed for card product']);
  assert.match(r.findings[0]!.reason, /international goods/);
  // services at a service merchant
  assert.deepEqual(processingRestrictions(card({ '9F07': '8B00' }), pos, { service: 'services' }).findings, []);
  assert.equal(processingRestrictions(card({ '9F07': '8B00' }), pos).findings.length, 1, 'goods not allowed');
  // domestic cash allowed, international not
  assert.deepEqual(processingRestrictions(card(), { ...pos, type: '01' }).findings, []);
  const cashAbroad = processingRestrictions(card(), { ...abroad, type: '01' }).findings;
  assert.equal(cashAbroad.length, 1);
  assert.match(cashAbroad[0]!.reason, /does not allow international cash/);
  // cashback needs byte 2
  assert.equal(processingRestrictions(card(), { ...pos, type: '09', amountOther: 500 }).findings.length, 1);
  assert.deepEqual(processingRestrictions(card({ '9F07': 'AB80' }), { ...pos, type: '09', amountOther: 500 }).findings, []);
  // ATM: terminal type 14 with cash capability
  const atm = { ...pos, terminalType: '14', additionalCapabilities: fromHex('8000000000'), type: '01' };
  assert.deepEqual(
    processingRestrictions(card({ '9F07': 'A900' }), atm).findings.map((f) => f.reason),
    ['application usage control A900 is not valid at ATMs'],
  );
  assert.deepEqual(
    processingRestrictions(card({ '9F07': 'AA00' }), pos).findings.map((f) => f.reason),
    ['application usage control AA00 is not valid at terminals other than ATMs'],
  );
});

test('without 5F28 only the ATM check applies; without 9F07 nothing', () => {
  const r = processingRestrictions(card({ '5F28': undefined, '9F07': '0100' }), { ...pos, terminalCountry: '0840' });
  assert.equal(r.scope, 'unknown');
  assert.deepEqual(r.findings, []);
  assert.deepEqual(checkUsageControl(undefined, fromHex('0156'), pos, 'cash', true), []);
  assert.equal(serviceOfTransactionType('20'), undefined);
  assert.equal(serviceOfTransactionType('01'), 'cash');
  assert.ok(aucAllows(fromHex('0080'), 'domesticCashback'));
});

test('effective and expiration dates (Book 3 §10.4.3)', () => {
  assert.deepEqual(checkDates('250630', fromHex('250630'), fromHex('250630')), [], 'both limits inclusive');
  assert.deepEqual(
    checkDates('250630', fromHex('250701'), undefined).map((f) => f.bit),
    ['notYetEffective'],
  );
  assert.deepEqual(
    checkDates('250630', undefined, fromHex('250629')).map((f) => f.bit),
    ['expired'],
  );
  // century rule: 491231 is 2049, 991231 is 1999
  assert.deepEqual(checkDates('250630', undefined, fromHex('491231')), []);
  assert.deepEqual(
    checkDates('250630', undefined, fromHex('991231')).map((f) => f.bit),
    ['expired'],
  );
  assert.deepEqual(checkDates('250630', fromHex('501231'), undefined), []);
  assert.deepEqual(
    checkDates('250630', fromHex('251399'), fromHex('FFFFFF')).map((f) => f.bit),
    ['notYetEffective', 'expired'],
  );
  const r = processingRestrictions(card({ '5F24': '240101', '5F25': '260101' }), pos, { tvr: newTvr('odaNotPerformed') });
  assert.equal(toHex(r.tvr), '8060000000');
});
