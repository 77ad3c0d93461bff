import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import {
  checkFloorLimit,
  checkVelocity,
  cryptoRandom,
  lastLoggedAmount,
  randomSelection,
  sequenceRandom,
  terminalRiskManagement,
} from './risk.ts';
import { hasTsi, tvrBits } from './tvr.ts';

const bits = (f: { bit: string }[]) => f.map((x) => x.bit);

test('floor limit: amount (plus the last logged amount for the PAN) ≥ floor limit (Book 3 §10.6.1)', () => {
  assert.deepEqual(checkFloorLimit(49_999, 50_000), []);
  assert.deepEqual(bits(checkFloorLimit(50_000, 50_000)), ['floorLimitExceeded']);
  assert.match(checkFloorLimit(30_000, 50_000, 20_000)[0]!.reason, /30000 \+ logged 20000 = 50000/);
  const log = [
    { pan: '6217000000000001', amount: 10_000 },
    { pan: '6217000000000002', amount: 40_000 },
    { pan: '6217000000000001', psn: '01', amount: 25_000 },
  ];
  assert.equal(lastLoggedAmount(log, '6217000000000001'), 25_000);
  assert.equal(lastLoggedAmount(log, '6217000000000001', '02'), 10_000, 'PSN differs: the earlier entry without PSN');
  assert.equal(lastLoggedAmount(log, '6217000000000009'), undefined);
  const r = terminalRiskManagement({ amount: 30_000, floorLimit: 50_000, pan: '6217000000000001', log });
  assert.deepEqual(tvrBits(r.tvr), ['floorLimitExceeded']);
  assert.ok(hasTsi(r.tsi, 'terminalRiskManagementPerformed'));
});

test('random transaction selection with an injected source (Book 3 §10.6.2)', () => {
  const p = { targetPercent: 20, maxTargetPercent: 60, threshold: 10_000 };
  // below the threshold: draw ≤ target
  assert.deepEqual(randomSelection(5_000, 50_000, p, sequenceRandom(20)), { selected: true, draw: 20, percent: 20 });
  assert.equal(randomSelection(5_000, 50_000, p, sequenceRandom(21)).selected, false);
  // biased: half-way between threshold and floor limit → 40 %
  assert.deepEqual(randomSelection(30_000, 50_000, p, sequenceRandom(40)), { selected: true, draw: 40, percent: 40 });
  assert.equal(randomSelection(30_000, 50_000, p, sequenceRandom(41)).selected, false);
  // at the threshold: the target percentage
  assert.equal(randomSelection(10_000, 50_000, p, sequenceRandom(21)).selected, false);
  // at or above the floor limit: no draw
  assert.deepEqual(randomSelection(50_000, 50_000, p, sequenceRandom()), { selected: false });
  // invalid parameters and draws
  assert.throws(() => randomSelection(1, 50_000, { ...p, maxTargetPercent: 10 }, sequenceRandom(1)), RangeError);
  assert.throws(() => randomSelection(1, 50_000, { ...p, threshold: 50_000 }, sequenceRandom(1)), RangeError);
  assert.throws(() => randomSelection(1, 50_000, { ...p, targetPercent: 100, maxTargetPercent: 100 }, sequenceRandom(1)), RangeError);
  assert.throws(() => randomSelection(1, 50_000, p, sequenceRandom(0)), RangeError);
  assert.throws(() => randomSelection(1, 50_000, p, sequenceRandom(100)), RangeError);
  for (let i = 0; i < 50; i++) {
    const d = cryptoRandom();
    assert.ok(Number.isInteger(d) && d >= 1 && d <= 99);
  }
});

test('random selection in terminal risk management, skipped by online-only terminals', () => {
  const input = { amount: 1_000, floorLimit: 50_000, random: { targetPercent: 99, maxTargetPercent: 99, threshold: 0 } };
  const r = terminalRiskManagement(input, { random: sequenceRandom(5) });
  assert.deepEqual(tvrBits(r.tvr), ['randomlySelected']);
  assert.equal(r.random?.draw, 5);
  const online = terminalRiskManagement({ ...input, terminalType: '21' }, { random: sequenceRandom() });
  assert.deepEqual(tvrBits(online.tvr), []);
  assert.equal(online.random, undefined);
});

test('velocity checking with 9F14 / 9F23, ATC and last online ATC (Book 3 §10.6.3)', () => {
  assert.deepEqual(checkVelocity({ ucol: 5, atc: 9, lastOnlineAtc: 1 }), [], 'no lower limit: no velocity checking');
  assert.deepEqual(
    bits(checkVelocity({ lcol: 3, ucol: 5, atc: 4, lastOnlineAtc: 1 })),
    [],
    'difference equal to the lower limit is not exceeding it',
  );
  assert.deepEqual(bits(checkVelocity({ lcol: 3, ucol: 5, atc: 5, lastOnlineAtc: 1 })), ['lowerOfflineLimitExceeded']);
  assert.deepEqual(bits(checkVelocity({ lcol: 3, ucol: 5, atc: fromHex('0007'), lastOnlineAtc: fromHex('0001') })), [
    'lowerOfflineLimitExceeded',
    'upperOfflineLimitExceeded',
  ]);
  assert.deepEqual(bits(checkVelocity({ lcol: 3, ucol: 5, atc: 2, lastOnlineAtc: 0 })), ['newCard'], 'new card');
  assert.deepEqual(bits(checkVelocity({ lcol: 3, ucol: 5, lastOnlineAtc: 0 })), [
    'lowerOfflineLimitExceeded',
    'upperOfflineLimitExceeded',
    'newCard',
  ]);
  assert.deepEqual(
    bits(checkVelocity({ lcol: 3, ucol: 5, atc: 2 })),
    ['lowerOfflineLimitExceeded', 'upperOfflineLimitExceeded'],
    'register not returned: no new card',
  );
  assert.deepEqual(bits(checkVelocity({ lcol: 3, ucol: 5, atc: 3, lastOnlineAtc: 3 })), [
    'lowerOfflineLimitExceeded',
    'upperOfflineLimitExceeded',
  ]);
  // the limits as GET DATA returns them (9F14, 9F23 b1)
  const limits = { lcol: fromHex('03'), ucol: fromHex('05') };
  assert.deepEqual(bits(checkVelocity({ ...limits, atc: fromHex('0005'), lastOnlineAtc: fromHex('0001') })), ['lowerOfflineLimitExceeded']);
  assert.match(
    checkVelocity({ ...limits, atc: 9, lastOnlineAtc: 1 })[1]!.reason,
    /8 transactions since the last online one > upper limit 5/,
  );
});

test('the whole of terminal risk management: exception file, merchant forced online, AIP', () => {
  const r = terminalRiskManagement({
    amount: 100,
    floorLimit: 50_000,
    pan: '6217000000000001',
    psn: '00',
    exceptionFile: [{ pan: '6217000000000001' }],
    merchantForcedOnline: true,
    velocity: { lcol: 0, ucol: 10, atc: 2, lastOnlineAtc: 1 },
  });
  assert.deepEqual(tvrBits(r.tvr), ['exceptionFile', 'lowerOfflineLimitExceeded', 'merchantForcedOnline']);
  assert.equal(toHex(r.tsi), '0800');
  // the card does not ask for terminal risk management: only the exception file
  const skipped = terminalRiskManagement({
    amount: 90_000,
    floorLimit: 50_000,
    pan: '1',
    exceptionFile: [{ pan: '1', psn: '01' }],
    psn: '02',
    aip: fromHex('5000'),
  });
  assert.deepEqual(tvrBits(skipped.tvr), []);
  assert.equal(toHex(skipped.tsi), '0000');
  const listed = terminalRiskManagement({
    amount: 90_000,
    floorLimit: 50_000,
    pan: '1',
    exceptionFile: [{ pan: '1', psn: '01' }],
    psn: '01',
    aip: fromHex('5000'),
  });
  assert.deepEqual(tvrBits(listed.tvr), ['exceptionFile']);
});

test('the reference financial terminal: floor limit and velocity from GET DATA, no random selection', () => {
  const aip = fromHex('7D00');
  // a new card: ATC 1, last online ATC register 0, limits 3 / 5
  const velocity = { atc: fromHex('0001'), lastOnlineAtc: fromHex('0000'), lcol: fromHex('03'), ucol: fromHex('05') };
  const fresh = terminalRiskManagement({ amount: 1_000, floorLimit: 500_000, velocity, aip });
  assert.deepEqual(tvrBits(fresh.tvr), ['newCard']);
  assert.equal(toHex(fresh.tsi), '0800');
  // four offline transactions since the last online one, over the floor limit
  const since = { ...velocity, atc: fromHex('0006'), lastOnlineAtc: fromHex('0002') };
  const busy = terminalRiskManagement({ amount: 900_000, floorLimit: 500_000, velocity: since, aip });
  assert.deepEqual(tvrBits(busy.tvr), ['floorLimitExceeded', 'lowerOfflineLimitExceeded']);
  // a card without the limits: no velocity checking, so no 'New card' either
  const counters = { atc: fromHex('0001'), lastOnlineAtc: fromHex('0000') };
  const none = terminalRiskManagement({ amount: 1_000, floorLimit: 500_000, velocity: counters, aip });
  assert.deepEqual(tvrBits(none.tvr), []);
});
