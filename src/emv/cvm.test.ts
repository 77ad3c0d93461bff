import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import { domesticPosTransaction } from './data.ts';
import {
  CvmError,
  type CvmContext,
  type PinKind,
  type PinOutcome,
  conditionSatisfied,
  cvmContextOf,
  describeCvRule,
  describeCvmResults,
  encodeCvmList,
  parseCvmList,
  performCvm,
  pinOutcomeOfVerify,
  terminalSupports,
} from './cvm.ts';
import { describeTvr, hasTsi, tvrBits } from './tvr.ts';

/** A PBOC CVM list seen on issued cards: online PIN, offline PIN, signature (each if supported), no CVM always. */
const PBOC_LIST = fromHex('0000000000000000' + '4203' + '4103' + '1E03' + '1F00');

const ctx = (over: Partial<CvmContext> = {}): CvmContext => ({
  terminalCapabilities: fromHex('E0E9C8'),
  amount: 1000,
  transactionCurrency: '0156',
  applicationCurrency: fromHex('0156'),
  cash: false,
  cashback: false,
  unattended: false,
  ...over,
});

/** A PIN pad answering from a script, recording what it was asked. */
function pinPad(...answers: PinOutcome[]) {
  const asked: PinKind[] = [];
  const verify = async (kind: PinKind): Promise<PinOutcome> => {
    asked.push(kind);
    const a = answers.shift();
    if (!a) throw new Error(`unexpected PIN request (${kind})`);
    return a;
  };
  return { asked, verify };
}

test('parseCvmList reads amounts X, Y and the CV rules (Book 3 Annex C3)', () => {
  const list = parseCvmList(fromHex('00002710' + '000186A0' + '4203' + '1E03' + '5F00' + '0A06'));
  assert.equal(list.amountX, 10000);
  assert.equal(list.amountY, 100000);
  assert.deepEqual(
    list.rules.map((r) => [r.method, r.condition, r.applySucceeding]),
    [
      ['onlinePin', 3, true],
      ['signature', 3, false],
      ['noCvmRequired', 0, true],
      ['unrecognised', 6, false],
    ],
  );
  assert.equal(toHex(encodeCvmList(10000, 100000, [[0x42, 0x03]])), '00002710000186A04203');
  assert.throws(() => parseCvmList(fromHex('00000000000000')), CvmError);
  assert.throws(() => parseCvmList(fromHex('000000000000000042')), CvmError);
  assert.equal(parseCvmList(fromHex('2000000000000000' + '2000')).rules[0]!.method, 'cardholderId');
});

test('descriptions of rules and CVM results', () => {
  assert.equal(
    describeCvRule({ code: 0x42, condition: 0x03 }),
    'Enciphered PIN verified online; If terminal supports the CVM; apply succeeding CV Rule if unsuccessful',
  );
  assert.match(describeCvRule({ code: 0x0a, condition: 0x85 }), /^unrecognised CVM 0A; condition 85 \(RFU or payment system\); fail/);
  assert.equal(describeCvmResults(fromHex('3F0001')), 'no CVM performed; failed');
  assert.match(describeCvmResults(fromHex('410302')), /^Plaintext PIN verification performed by ICC; .*; successful$/);
  assert.throws(() => describeCvmResults(fromHex('3F00')), CvmError);
});

test('terminal capabilities decide support (9F33 byte 2)', () => {
  const caps = fromHex('E0A8C8'); // plaintext PIN, signature, no CVM
  assert.ok(terminalSupports('offlinePlaintextPin', caps));
  assert.ok(terminalSupports('offlinePlaintextPinAndSignature', caps));
  assert.ok(!terminalSupports('onlinePin', caps));
  assert.ok(!terminalSupports('offlineEncipheredPinAndSignature', caps));
  assert.ok(terminalSupports('fail', fromHex('000000')));
  assert.ok(!terminalSupports('cardholderId', caps));
  assert.ok(terminalSupports('cardholderId', fromHex('E001C8')));
  assert.ok(!terminalSupports('unrecognised', fromHex('FFFFFF')));
});

test('no cardholder verification: AIP without CVM support, or no CVM List (Book 4 Table 2)', async () => {
  const pad = pinPad();
  const a = await performCvm(PBOC_LIST, ctx(), pad.verify, { aip: fromHex('6800') });
  assert.equal(toHex(a.cvmResults), '3F0000');
  assert.equal(a.status, 'not performed');
  assert.ok(!hasTsi(a.tsi, 'cvmPerformed'));
  assert.deepEqual(describeTvr(a.tvr), []);
  for (const list of [undefined, fromHex('0000000000000000')]) {
    const b = await performCvm(list, ctx(), pad.verify, { aip: fromHex('7C00') });
    assert.equal(toHex(b.cvmResults), '3F0000');
    assert.equal(toHex(b.tsi), '0000');
    assert.deepEqual(tvrBits(b.tvr), ['iccDataMissing']);
  }
  assert.deepEqual(pad.asked, []);
});

test('online PIN when the terminal supports it: CVM results 420300, online PIN entered', async () => {
  const pad = pinPad('ok');
  const r = await performCvm(PBOC_LIST, ctx(), pad.verify);
  assert.deepEqual(pad.asked, ['online']);
  assert.equal(toHex(r.cvmResults), '420300');
  assert.equal(r.status, 'successful');
  assert.ok(r.onlinePin);
  assert.deepEqual(tvrBits(r.tvr), ['onlinePinEntered']);
  assert.ok(hasTsi(r.tsi, 'cvmPerformed'));
});

test('offline plaintext PIN at a terminal without online PIN: 410302', async () => {
  const pad = pinPad('ok');
  const r = await performCvm(PBOC_LIST, ctx({ terminalCapabilities: fromHex('E0A8C8') }), pad.verify);
  assert.deepEqual(pad.asked, ['offline-plaintext']);
  assert.equal(toHex(r.cvmResults), '410302');
  assert.deepEqual(
    r.steps.map((s) => s.outcome),
    ['condition not satisfied', 'successful'],
  );
  assert.deepEqual(tvrBits(r.tvr), []);
});

test('a wrong or blocked offline PIN goes on to the signature rule (b7 set)', async () => {
  const wrong = await performCvm(PBOC_LIST, ctx({ terminalCapabilities: fromHex('E0A8C8') }), pinPad('failed').verify);
  assert.equal(toHex(wrong.cvmResults), '1E0300');
  assert.ok(wrong.signature);
  assert.equal(wrong.status, 'successful');
  assert.deepEqual(tvrBits(wrong.tvr), []);
  const blocked = await performCvm(PBOC_LIST, ctx({ terminalCapabilities: fromHex('E0A8C8') }), pinPad('blocked').verify);
  assert.equal(toHex(blocked.cvmResults), '1E0300');
  assert.deepEqual(tvrBits(blocked.tvr), ['pinTryLimitExceeded']);
  // PIN Try Counter 0: the PIN pad is not even asked (Book 4 §6.3.4.1)
  const pad = pinPad();
  const zero = await performCvm(PBOC_LIST, ctx({ terminalCapabilities: fromHex('E0A8C8'), pinTryCounter: 0 }), pad.verify);
  assert.deepEqual(pad.asked, []);
  assert.deepEqual(tvrBits(zero.tvr), ['pinTryLimitExceeded']);
  assert.match(zero.steps[1]!.note!, /PIN Try Counter is 0/);
});

test('PIN bypass sets its TVR bit and bypasses the later PIN CVMs', async () => {
  const list = encodeCvmList(0, 0, [
    [0x42, 0x00],
    [0x41, 0x00],
    [0x1e, 0x00],
  ]);
  const pad = pinPad('not-entered');
  const r = await performCvm(list, ctx({ terminalCapabilities: fromHex('E0E8C8') }), pad.verify);
  assert.deepEqual(pad.asked, ['online']);
  assert.equal(toHex(r.cvmResults), '1E0000');
  assert.deepEqual(tvrBits(r.tvr), ['pinNotEntered']);
  const again = pinPad('not-entered', 'ok');
  const r2 = await performCvm(list, ctx({ terminalCapabilities: fromHex('E0E8C8') }), again.verify, { bypassAllPins: false });
  assert.deepEqual(again.asked, ['online', 'offline-plaintext']);
  assert.equal(toHex(r2.cvmResults), '410002');
});

test('failure: the last performed CVM with result 01, or 3F0001 when none was performed', async () => {
  // offline PIN wrong, b7 = 0: fail at once
  const hard = await performCvm(
    encodeCvmList(0, 0, [
      [0x01, 0x00],
      [0x1f, 0x00],
    ]),
    ctx(),
    pinPad('failed').verify,
  );
  assert.equal(toHex(hard.cvmResults), '010001');
  assert.equal(hard.status, 'failed');
  assert.deepEqual(tvrBits(hard.tvr), ['cvmFailed']);
  // wrong PIN with b7 = 1 then no other condition satisfied: results keep the PIN rule
  const soft = await performCvm(
    encodeCvmList(0, 0, [
      [0x41, 0x00],
      [0x1f, 0x05],
    ]),
    ctx(),
    pinPad('failed').verify,
  );
  assert.equal(toHex(soft.cvmResults), '410001');
  // no condition satisfied at all
  const none = await performCvm(
    encodeCvmList(0, 0, [
      [0x1f, 0x01],
      [0x1e, 0x04],
    ]),
    ctx(),
    pinPad().verify,
  );
  assert.equal(toHex(none.cvmResults), '3F0001');
  assert.deepEqual(tvrBits(none.tvr), ['cvmFailed']);
  // 'Fail CVM processing'
  const failCvm = await performCvm(
    encodeCvmList(0, 0, [
      [0x00, 0x00],
      [0x1f, 0x00],
    ]),
    ctx(),
    pinPad().verify,
  );
  assert.equal(toHex(failCvm.cvmResults), '000001');
});

test('unrecognised and unsupported CVMs (Book 3 §10.5)', async () => {
  const unrec = await performCvm(
    encodeCvmList(0, 0, [
      [0x0a, 0x00],
      [0x1f, 0x00],
    ]),
    ctx(),
    pinPad().verify,
  );
  assert.equal(toHex(unrec.cvmResults), '3F0001');
  assert.deepEqual(tvrBits(unrec.tvr), ['cvmFailed', 'unrecognisedCvm']);
  const unrecNext = await performCvm(
    encodeCvmList(0, 0, [
      [0x4a, 0x00],
      [0x1f, 0x00],
    ]),
    ctx(),
    pinPad().verify,
  );
  assert.equal(toHex(unrecNext.cvmResults), '1F0002');
  assert.deepEqual(tvrBits(unrecNext.tvr), ['unrecognisedCvm']);
  // online PIN always, not supported: PIN pad bit; b7 = 0 fails unless told to skip
  const noPad = ctx({ terminalCapabilities: fromHex('E028C8') });
  const online = await performCvm(
    encodeCvmList(0, 0, [
      [0x02, 0x00],
      [0x1f, 0x00],
    ]),
    noPad,
    pinPad().verify,
  );
  assert.equal(toHex(online.cvmResults), '3F0001');
  assert.deepEqual(tvrBits(online.tvr), ['cvmFailed', 'pinPadMissing']);
  const skipped = await performCvm(
    encodeCvmList(0, 0, [
      [0x02, 0x00],
      [0x1f, 0x00],
    ]),
    noPad,
    pinPad().verify,
    { unsupported: 'skip' },
  );
  assert.equal(toHex(skipped.cvmResults), '1F0002');
  assert.deepEqual(tvrBits(skipped.tvr), ['pinPadMissing']);
  // offline plaintext PIN not supported but enciphered is: no PIN pad bit
  const enc = await performCvm(
    encodeCvmList(0, 0, [
      [0x41, 0x00],
      [0x1f, 0x00],
    ]),
    ctx({ terminalCapabilities: fromHex('E018C8') }),
    pinPad().verify,
  );
  assert.equal(toHex(enc.cvmResults), '1F0002');
  assert.deepEqual(tvrBits(enc.tvr), []);
});

test('amount conditions compare with X and Y in the application currency', async () => {
  const list = parseCvmList(
    encodeCvmList(10000, 50000, [
      [0x5f, 0x06],
      [0x42, 0x09],
      [0x41, 0x07],
    ]),
  );
  const [underX, overY, overX] = list.rules as [never, never, never];
  assert.ok(conditionSatisfied(underX, list, ctx({ amount: 9999 })));
  assert.ok(!conditionSatisfied(underX, list, ctx({ amount: 10000 })));
  assert.ok(conditionSatisfied(overY, list, ctx({ amount: 50001 })));
  assert.ok(!conditionSatisfied(overX, list, ctx({ amount: 10000 })));
  assert.ok(!conditionSatisfied(underX, list, ctx({ amount: 1, applicationCurrency: fromHex('0840') })));
  const { applicationCurrency: _, ...noAppCurrency } = ctx({ amount: 1 });
  assert.ok(!conditionSatisfied(underX, list, noAppCurrency));
  const small = await performCvm(list, ctx({ amount: 500 }), pinPad().verify);
  assert.equal(toHex(small.cvmResults), '5F0602');
  const big = await performCvm(list, ctx({ amount: 60000 }), pinPad('ok').verify);
  assert.equal(toHex(big.cvmResults), '420900');
  const middle = await performCvm(list, ctx({ amount: 20000 }), pinPad('ok').verify);
  assert.equal(toHex(middle.cvmResults), '410702');
});

test('cash and cashback conditions', () => {
  const list = { amountX: 0, amountY: 0 };
  const rule = (condition: number) => ({ code: 0x1f, condition, method: 'noCvmRequired' as const, applySucceeding: false });
  assert.ok(conditionSatisfied(rule(0x01), list, ctx({ cash: true, unattended: true })));
  assert.ok(!conditionSatisfied(rule(0x01), list, ctx({ cash: true })));
  assert.ok(conditionSatisfied(rule(0x04), list, ctx({ cash: true })));
  assert.ok(conditionSatisfied(rule(0x05), list, ctx({ cashback: true })));
  assert.ok(conditionSatisfied(rule(0x02), list, ctx()));
  assert.ok(!conditionSatisfied(rule(0x02), list, ctx({ cashback: true })));
  assert.ok(!conditionSatisfied(rule(0x0a), list, ctx()), 'RFU condition');
  assert.ok(!conditionSatisfied(rule(0x80), list, ctx()), 'payment system condition');
});

test('PIN + signature gives result unknown; the JR/T 0025 cardholder ID CVM', async () => {
  const combo = await performCvm(
    encodeCvmList(0, 0, [[0x03, 0x00]]),
    ctx({ terminalCapabilities: fromHex('E0A0C8') }),
    pinPad('ok').verify,
  );
  assert.equal(toHex(combo.cvmResults), '030000');
  assert.ok(combo.signature);
  const idList = encodeCvmList(0, 0, [
    [0x60, 0x03],
    [0x1e, 0x00],
  ]);
  const caps = ctx({ terminalCapabilities: fromHex('E021C8') });
  assert.equal(toHex((await performCvm(idList, caps, pinPad().verify)).cvmResults), '600300');
  assert.equal(toHex((await performCvm(idList, caps, pinPad().verify, { checkId: async () => true })).cvmResults), '600302');
  assert.equal(toHex((await performCvm(idList, caps, pinPad().verify, { checkId: async () => false })).cvmResults), '1E0000');
});

test('the context of a transaction', () => {
  const t = domesticPosTransaction(
    { amountAuthorised: 5000, type: '09', amountOther: 1000, unpredictableNumber: fromHex('00000000') },
    new Date(2025, 0, 1),
  );
  const c = cvmContextOf(t, new Map([[0x9f42, fromHex('0156')]]), 3);
  assert.deepEqual(
    { ...c, terminalCapabilities: toHex(c.terminalCapabilities), applicationCurrency: toHex(c.applicationCurrency!) },
    {
      terminalCapabilities: 'E0E9C8',
      amount: 5000,
      transactionCurrency: '0156',
      applicationCurrency: '0156',
      cash: false,
      cashback: true,
      unattended: false,
      pinTryCounter: 3,
    },
  );
  assert.ok(cvmContextOf({ ...t, type: '01', terminalType: '25' }).unattended);
});

test('the offline PIN outcome of a VERIFY answer', () => {
  assert.equal(pinOutcomeOfVerify(0x9000), 'ok');
  assert.equal(pinOutcomeOfVerify(0x63c2), 'failed');
  assert.equal(pinOutcomeOfVerify(0x63c0), 'blocked');
  assert.equal(pinOutcomeOfVerify(0x6983), 'blocked');
  assert.equal(pinOutcomeOfVerify(0x6a88), 'failed');
});

test("the reference financial terminal's list: offline plaintext PIN if supported (b7 = 0), else no CVM", async () => {
  const list = encodeCvmList(0, 0, [
    [0x01, 0x03],
    [0x1f, 0x00],
  ]);
  const terminal = ctx({ terminalCapabilities: fromHex('2088C8') }); // plaintext PIN for ICC verification, no CVM required
  const run = async (...answers: PinOutcome[]) => performCvm(list, terminal, pinPad(...answers).verify, { aip: fromHex('7D00') });
  const ok = await run('ok');
  assert.equal(toHex(ok.cvmResults), '010302');
  assert.ok(hasTsi(ok.tsi, 'cvmPerformed'));
  assert.deepEqual(tvrBits(ok.tvr), []);
  // a wrong, blocked or bypassed PIN fails cardholder verification: no CVM is not tried (b7 = 0)
  assert.deepEqual(tvrBits((await run('failed')).tvr), ['cvmFailed']);
  const blocked = await run('blocked');
  assert.equal(toHex(blocked.cvmResults), '010301');
  assert.deepEqual(tvrBits(blocked.tvr), ['cvmFailed', 'pinTryLimitExceeded']);
  assert.deepEqual(tvrBits((await run('not-entered')).tvr), ['cvmFailed', 'pinNotEntered']);
  // a terminal without offline PIN skips the rule: no CVM required
  const noPin = await performCvm(list, ctx({ terminalCapabilities: fromHex('2008C8') }), pinPad().verify, { aip: fromHex('7D00') });
  assert.equal(toHex(noPin.cvmResults), '1F0002');
  assert.deepEqual(tvrBits(noPin.tvr), []);
});
