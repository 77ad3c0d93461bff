import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../core/bytes.ts';
import { cryptogramTypeOf } from '../pboc/cryptograms.ts';
import {
  type ActionCodes,
  cardResponseAllowed,
  decodeCid,
  describeCid,
  encodeCid,
  generateAcP1,
  issuerActionCodes,
  onlineCapabilityOf,
  secondGenerateAc,
  terminalActionAnalysis,
} from './action-analysis.ts';
import { newTvr } from './tvr.ts';

const ZERO_TAC: ActionCodes = { denial: fromHex('0000000000'), online: fromHex('0000000000'), default: fromHex('0000000000') };
/** Typical PBOC IACs: decline on service not allowed, online on ODA not performed / floor limit / new card, default on ODA failures. */
const IAC = { denial: fromHex('0010000000'), online: fromHex('D84004F800'), default: fromHex('D84004A800') };

test('absent IACs default to zeros (denial) and ones (online, default) (Book 3 §10.7)', () => {
  const iac = issuerActionCodes(new Map([[0x9f0f, fromHex('0000008000')]]));
  assert.deepEqual(iac, { denial: fromHex('0000000000'), online: fromHex('0000008000'), default: fromHex('FFFFFFFFFF') });
  // any TVR bit with absent IAC-Online → ARQC
  assert.equal(terminalActionAnalysis(newTvr('newCard'), ZERO_TAC, {}, 'offline with online capability').cryptogram, 'ARQC');
  assert.equal(terminalActionAnalysis(newTvr('newCard'), ZERO_TAC, {}, 'offline only').cryptogram, 'AAC');
  assert.equal(terminalActionAnalysis(newTvr(), ZERO_TAC, {}, 'offline only').cryptogram, 'TC');
});

test('denial beats online; online-capable terminals compare the online codes', () => {
  const deny = terminalActionAnalysis(newTvr('serviceNotAllowed', 'floorLimitExceeded'), ZERO_TAC, IAC, 'offline with online capability');
  assert.deepEqual(deny, {
    cryptogram: 'AAC',
    decidedBy: 'denial',
    matched: ['Requested service not allowed for card product'],
    arc: 'Z1',
  });
  const online = terminalActionAnalysis(newTvr('floorLimitExceeded'), ZERO_TAC, IAC, 'online only');
  assert.deepEqual(online, { cryptogram: 'ARQC', decidedBy: 'online', matched: ['Transaction exceeds floor limit'] });
  const offline = terminalActionAnalysis(newTvr('defaultTdolUsed'), ZERO_TAC, IAC, 'offline with online capability');
  assert.deepEqual(offline, { cryptogram: 'TC', decidedBy: 'no match', matched: [], arc: 'Y1' });
  // the terminal's own action codes count as much as the card's
  const tac = { ...ZERO_TAC, denial: fromHex('0000000080') };
  assert.equal(terminalActionAnalysis(newTvr('defaultTdolUsed'), tac, IAC, 'offline with online capability').cryptogram, 'AAC');
  assert.throws(() => terminalActionAnalysis(newTvr(), { ...ZERO_TAC, online: fromHex('00') }, IAC, 'offline only'), RangeError);
});

test('offline-only terminals use the default codes', () => {
  const d = terminalActionAnalysis(newTvr('odaNotPerformed'), ZERO_TAC, IAC, 'offline only');
  assert.deepEqual(d, { cryptogram: 'AAC', decidedBy: 'default', matched: ['Offline data authentication was not performed'], arc: 'Z1' });
  assert.equal(terminalActionAnalysis(newTvr('randomlySelected'), ZERO_TAC, IAC, 'offline only').cryptogram, 'TC');
  assert.equal(onlineCapabilityOf('23'), 'offline only');
  assert.equal(onlineCapabilityOf('22'), 'offline with online capability');
});

test('second GENERATE AC after online processing (Book 4 §6.3.8)', () => {
  const tvr = newTvr('randomlySelected');
  assert.deepEqual(secondGenerateAc('ARQC', 'approved', tvr, ZERO_TAC, IAC), {
    request: 'TC',
    decision: 'approve',
    reason: 'approved online',
  });
  assert.deepEqual(secondGenerateAc('ARQC', 'declined', tvr, ZERO_TAC, IAC), {
    request: 'AAC',
    decision: 'decline',
    reason: 'declined online',
  });
  // unable to go online: default codes (random selection is not in IAC-Default)
  assert.deepEqual(secondGenerateAc('ARQC', 'unable to go online', tvr, ZERO_TAC, IAC), {
    request: 'TC',
    decision: 'approve',
    arc: 'Y3',
    reason: 'unable to go online; no default action code matches',
  });
  const odaFailed = secondGenerateAc('ARQC', 'unable to go online', newTvr('ddaFailed'), ZERO_TAC, IAC);
  assert.equal(odaFailed.request, 'AAC');
  assert.equal(odaFailed.arc, 'Z3');
  assert.match(odaFailed.reason, /DDA failed/);
  // absent IAC-Default: any TVR bit declines
  assert.equal(secondGenerateAc('ARQC', 'unable to go online', tvr, ZERO_TAC, {}).request, 'AAC');
  // no second GENERATE AC after TC or AAC
  assert.equal(secondGenerateAc('TC', 'approved', tvr, ZERO_TAC, IAC).request, undefined);
  assert.equal(secondGenerateAc('AAC', 'approved', tvr, ZERO_TAC, IAC).decision, 'decline');
});

test('GENERATE AC P1 and the CID (Book 3 Tables 12 and 15)', () => {
  assert.equal(generateAcP1('AAC'), 0x00);
  assert.equal(generateAcP1('TC'), 0x40);
  assert.equal(generateAcP1('ARQC', true), 0x90);
  assert.deepEqual(decodeCid(0x80), { type: 'ARQC', paymentSystem: 0, adviceRequired: false, reason: 'no information given' });
  assert.deepEqual(decodeCid(fromHex('40')), { type: 'TC', paymentSystem: 0, adviceRequired: false, reason: 'no information given' });
  assert.deepEqual(decodeCid(0x0a), { type: 'AAC', paymentSystem: 0, adviceRequired: true, reason: 'PIN Try Limit exceeded' });
  assert.equal(decodeCid(0xc7).type, 'RFU');
  assert.equal(decodeCid(0x07).reason, 'RFU');
  assert.equal(encodeCid('AAC', { adviceRequired: true, reason: 'service not allowed' }), 0x09);
  assert.equal(encodeCid('ARQC', { paymentSystem: 1 }), 0x90);
  assert.equal(describeCid(0x0b), 'AAC, advice required, issuer authentication failed');
  assert.throws(() => decodeCid(fromHex('4000')), RangeError);
  // agrees with the PBOC card side
  for (const b of [0x00, 0x40, 0x80, 0x48, 0x8b]) assert.equal(decodeCid(b).type, cryptogramTypeOf(b));
});

test('which answers a card may give (Book 3 §9.3)', () => {
  assert.ok(cardResponseAllowed('TC', 'ARQC'));
  assert.ok(cardResponseAllowed('TC', 'AAC'));
  assert.ok(cardResponseAllowed('ARQC', 'AAC'));
  assert.ok(!cardResponseAllowed('ARQC', 'TC'));
  assert.ok(!cardResponseAllowed('AAC', 'ARQC'));
  assert.ok(!cardResponseAllowed('TC', 'ARQC', true));
  assert.ok(cardResponseAllowed('TC', 'AAC', true));
  assert.ok(!cardResponseAllowed('ARQC', 'AAC', true));
});
