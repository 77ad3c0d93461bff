import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import {
  TSI_BITS,
  TVR_BITS,
  bitMask,
  clearTvr,
  describeTsi,
  describeTvr,
  hasTsi,
  hasTvr,
  mergeTvr,
  newTsi,
  newTvr,
  setTsi,
  setTvr,
  tvrBits,
  tvrMatches,
} from './tvr.ts';

test('TVR bit positions follow Book 3 Annex C5', () => {
  const at = (hex: string) => toHex(newTvr(...(tvrBits(fromHex(hex)) as never[])));
  assert.equal(toHex(newTvr('odaNotPerformed')), '8000000000');
  assert.equal(toHex(newTvr('cdaFailed')), '0400000000');
  assert.equal(toHex(newTvr('expired')), '0040000000');
  assert.equal(toHex(newTvr('newCard')), '0008000000');
  assert.equal(toHex(newTvr('pinTryLimitExceeded')), '0000200000');
  assert.equal(toHex(newTvr('onlinePinEntered')), '0000040000');
  assert.equal(toHex(newTvr('randomlySelected')), '0000001000');
  assert.equal(toHex(newTvr('issuerAuthenticationFailed')), '0000000040');
  assert.equal(toHex(newTvr('scriptFailedAfterFinalAc')), '0000000010');
  // every defined bit round-trips through its identifier
  assert.equal(at('FEF8FCF8F0'), 'FEF8FCF8F0');
  assert.equal(Object.keys(TVR_BITS).length, 27);
  assert.equal(bitMask(TVR_BITS.sdaSelected), 0x02);
});

test('set / clear / test TVR bits; merge', () => {
  const tvr = newTvr();
  setTvr(tvr, 'floorLimitExceeded');
  setTvr(tvr, 'sdaFailed');
  assert.ok(hasTvr(tvr, 'floorLimitExceeded'));
  assert.ok(!hasTvr(tvr, 'lowerOfflineLimitExceeded'));
  clearTvr(tvr, 'sdaFailed');
  assert.equal(toHex(tvr), '0000008000');
  assert.equal(toHex(mergeTvr(tvr, newTvr('newCard'))), '0008008000');
  assert.throws(() => setTvr(new Uint8Array(4), 'newCard'), RangeError);
});

test('describeTvr lists the set bits by name, then RFU bits', () => {
  assert.deepEqual(describeTvr(fromHex('8000000000')), ['Offline data authentication was not performed']);
  assert.deepEqual(describeTvr(fromHex('0048008001')), [
    'Expired application',
    'New card',
    'Transaction exceeds floor limit',
    'RFU bit set: byte 5 b1',
  ]);
  assert.deepEqual(tvrBits(fromHex('0000C00000')), ['cvmFailed', 'unrecognisedCvm']);
  assert.deepEqual(describeTvr(newTvr()), []);
});

test('TSI bits (Book 3 Annex C6)', () => {
  const tsi = newTsi('odaPerformed', 'terminalRiskManagementPerformed');
  assert.equal(toHex(tsi), '8800');
  setTsi(tsi, 'scriptProcessingPerformed');
  assert.ok(hasTsi(tsi, 'scriptProcessingPerformed'));
  assert.ok(!hasTsi(tsi, 'cvmPerformed'));
  assert.deepEqual(describeTsi(fromHex('E801')), [
    TSI_BITS.odaPerformed.name,
    TSI_BITS.cvmPerformed.name,
    TSI_BITS.cardRiskManagementPerformed.name,
    TSI_BITS.terminalRiskManagementPerformed.name,
    'RFU bit set: byte 2 b1',
  ]);
});

test('tvrMatches: a TVR bit that is also set in the action code', () => {
  assert.ok(tvrMatches(fromHex('0000008000'), fromHex('FFFFFFFFFF')));
  assert.ok(!tvrMatches(fromHex('0000008000'), fromHex('FFFFFF7FFF')));
  assert.ok(!tvrMatches(newTvr(), fromHex('FFFFFFFFFF')));
});
