import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Exchange } from '../channel/recorder.ts';
import { fromHex, toHex } from '../core/bytes.ts';
import { CHECKS, type CheckVerdict, type TerminalRun, evaluate } from './checks.ts';
import { PSE_DF_NAME, SSSE_DF_NAME, analyseTrace } from './trace-model.ts';

const SELECT_SSSE = `00A40400${toHex([SSSE_DF_NAME.length])}${toHex(SSSE_DF_NAME)}`;
const SELECT_PSE = `00A404000E${toHex(PSE_DF_NAME)}00`;
const SELECT_ADF = '00A4040008A00000033301010100';

/** A trace from "reset" and [command, response] pairs, 1 ms apart. */
function trace(...items: ('reset' | [string, string])[]): Exchange[] {
  return items.map((it, i) =>
    it === 'reset'
      ? {
          seq: i + 1,
          kind: 'reset',
          at: 1000 + i,
          durationMs: 0,
          command: new Uint8Array(0),
          response: fromHex('3B6800000073C84013009000'),
        }
      : { seq: i + 1, kind: 'apdu', at: 1000 + i, durationMs: 0, command: fromHex(it[0]), response: fromHex(it[1]) },
  );
}

function verdict(id: string, run: Partial<TerminalRun> & { card: Exchange[] }): { verdict: CheckVerdict; detail: string } {
  const full: TerminalRun = { protocol: 'T=0', expect: { ssse: 'accept', pse: 'accept' }, exitCode: 0, ...run };
  const found = evaluate(full).find((e) => e.check.id === id);
  assert.ok(found, id);
  return found.result;
}

test('every check names catalogue-style requirement ids', () => {
  for (const c of CHECKS)
    assert.ok(
      c.requirements.every((r) => /^TERM-[A-Z]+-\d\d$/.test(r)),
      c.id,
    );
});

test('the trace model follows selections and joins GET RESPONSE data to the command', () => {
  const steps = analyseTrace(
    trace('reset', [SELECT_PSE, '611C'], ['00C000001C', '6F1A84009000'], [SELECT_ADF, '6283'], ['80A8000002830000', '6985']),
  );
  assert.equal(steps[1]!.app, 'none');
  assert.equal(steps[1]!.appAfter, 'pse');
  assert.equal(toHex(steps[1]!.final.data), '6F1A8400');
  assert.equal(steps[1]!.final.sw, 0x9000);
  assert.equal(steps[2]!.continuation, true);
  assert.equal(steps[4]!.app, 'pboc');
});

test('select-first: a session opened with SELECT passes, one opened with READ BINARY fails', () => {
  assert.equal(verdict('select-first', { card: trace('reset', [SELECT_SSSE, '9000'], ['00B0850000', '6A82']) }).verdict, 'passed');
  const r = verdict('select-first', { card: trace('reset', [SELECT_SSSE, '9000'], 'reset', ['00B0850000', '9000']) });
  assert.equal(r.verdict, 'failed');
  assert.match(r.detail, /READ BINARY/);
});

test('get-response: 61xx needs GET RESPONSE with Le = xx next, 6Cxx the same command with Le = xx', () => {
  assert.equal(verdict('get-response', { card: trace('reset', [SELECT_PSE, '611C'], ['00C000001C', '9000']) }).verdict, 'passed');
  assert.equal(verdict('get-response', { card: trace('reset', [SELECT_PSE, '611C'], [SELECT_ADF, '9000']) }).verdict, 'failed');
  assert.match(
    verdict('get-response', { card: trace('reset', [SELECT_PSE, '611C'], ['00C0000010', '9000']) }).detail,
    /asked for 16 bytes, the card offered 28/,
  );
  assert.equal(verdict('get-response', { card: trace('reset', [SELECT_PSE, '611C']) }).verdict, 'failed');
  assert.equal(verdict('get-response', { card: trace('reset', ['00B2010C00', '6C20'], ['00B2010C20', '9000']) }).verdict, 'passed');
  assert.equal(verdict('get-response', { card: trace('reset', ['00B2010C00', '6C20'], ['00B2010C00', '9000']) }).verdict, 'failed');
  assert.equal(verdict('get-response', { card: trace('reset', [SELECT_PSE, '9000']) }).verdict, 'not-applicable');
  assert.equal(verdict('get-response', { card: trace('reset', [SELECT_PSE, '611C']), protocol: 'T=1' }).verdict, 'not-applicable');
});

test('blocked-application: reading after 6283 is allowed, GET PROCESSING OPTIONS is not; after 9303 nothing is', () => {
  assert.equal(verdict('blocked-application', { card: trace('reset', [SELECT_ADF, '6283'], ['00B2010C00', '9000']) }).verdict, 'passed');
  const r = verdict('blocked-application', { card: trace('reset', [SELECT_ADF, '6283'], ['80A8000002830000', '9000']) });
  assert.equal(r.verdict, 'failed');
  assert.match(r.detail, /GET PROCESSING OPTIONS/);
  assert.equal(verdict('blocked-application', { card: trace('reset', [SELECT_SSSE, '9303'], ['00B0850000', '6A82']) }).verdict, 'failed');
  assert.equal(
    verdict('blocked-application', { card: trace('reset', [SELECT_SSSE, '9303'], [SELECT_PSE, '9000'], ['80A8000002830000', '9000']) })
      .verdict,
    'passed',
  );
  assert.equal(verdict('blocked-application', { card: trace('reset', [SELECT_SSSE, '9000']) }).verdict, 'not-applicable');
});

test('blocked-pin: no VERIFY after 6983, 63C0 or a PIN try counter of zero, until the next power-up', () => {
  assert.equal(
    verdict('blocked-pin', { card: trace('reset', [SELECT_SSSE, '9000'], ['0020000003123456', '6983'], ['0020000003123456', '6983']) })
      .verdict,
    'failed',
  );
  assert.equal(
    verdict('blocked-pin', {
      card: trace(
        'reset',
        [SELECT_SSSE, '9000'],
        ['0020000003123456', '6983'],
        'reset',
        [SELECT_SSSE, '9000'],
        ['0020000003123456', '6983'],
      ),
    }).verdict,
    'passed',
  );
  // 63C0: the last try was used; the next VERIFY can only meet a blocked PIN
  assert.equal(
    verdict('blocked-pin', {
      card: trace('reset', [SELECT_SSSE, '9000'], ['0020000003123456', '63C0'], ['0020000003654321', '6983']),
    }).verdict,
    'failed',
  );
  assert.equal(
    verdict('blocked-pin', { card: trace('reset', [SELECT_SSSE, '9000'], ['0020000003123456', '63C1'], ['0020000003654321', '9000']) })
      .verdict,
    'not-applicable',
  );
  assert.equal(
    verdict('blocked-pin', {
      card: trace('reset', [SELECT_ADF, '9000'], ['80CA9F1700', '9F1701009000'], ['0020008008241234FFFFFFFFFF', '6983']),
    }).verdict,
    'failed',
  );
  assert.equal(
    verdict('blocked-pin', { card: trace('reset', [SELECT_ADF, '9000'], ['80CA9F1700', '9F1701009000'], ['80AE800000', '9000']) }).verdict,
    'passed',
  );
  assert.equal(
    verdict('blocked-pin', {
      card: trace('reset', [SELECT_ADF, '9000'], ['80CA9F1700', '9F1703009000'], ['0020008008241234FFFFFFFFFF', '9000']),
    }).verdict,
    'not-applicable',
  );
});

test('authenticated-writes: a plain update in the SSSE needs EXTERNAL AUTHENTICATE first; secure messaging does not', () => {
  assert.equal(
    verdict('authenticated-writes', { card: trace('reset', [SELECT_SSSE, '9000'], ['00D6850001AA', '9000']) }).verdict,
    'failed',
  );
  assert.equal(
    verdict('authenticated-writes', {
      card: trace('reset', [SELECT_SSSE, '9000'], [`0082000108${'11'.repeat(8)}`, '9000'], ['00D6850001AA', '9000']),
    }).verdict,
    'passed',
  );
  assert.equal(
    verdict('authenticated-writes', { card: trace('reset', [SELECT_SSSE, '9000'], ['04D6850005AA01020304', '9000']) }).verdict,
    'passed',
  );
  assert.match(
    verdict('authenticated-writes', { card: trace('reset', [SELECT_SSSE, '9000'], ['04D6850005AA01020304', '6982']) }).detail,
    /refused the write/,
  );
  assert.equal(
    verdict('authenticated-writes', { card: trace('reset', [SELECT_PSE, '9000'], ['00DC010C01AA', '9000']) }).verdict,
    'not-applicable',
  );
});

test('psam-only-for-ssse: a PSAM command while the financial application is current fails', () => {
  const card = trace('reset', [SELECT_SSSE, '9000'], ['0084000008', '11223344556677889000'], [SELECT_PSE, '9000'], ['00B2010C00', '9000']);
  const psamAt = (at: number): Exchange => ({
    seq: 1,
    kind: 'apdu',
    at,
    durationMs: 0,
    command: fromHex(`801A270108${'00'.repeat(8)}`),
    response: fromHex('9000'),
  });
  assert.equal(verdict('psam-only-for-ssse', { card, psam: [psamAt(1002.5)] }).verdict, 'passed');
  assert.equal(verdict('psam-only-for-ssse', { card, psam: [psamAt(1003.5)] }).verdict, 'failed');
  assert.equal(verdict('psam-only-for-ssse', { card }).verdict, 'not-applicable');
});

test('well-formed: a command that does not decode fails', () => {
  assert.equal(verdict('well-formed', { card: trace('reset', [SELECT_SSSE, '9000']) }).verdict, 'passed');
  assert.equal(verdict('well-formed', { card: trace('reset', ['00A404', '6700']) }).verdict, 'failed');
  assert.equal(verdict('well-formed', { card: trace('reset', ['FFA4040000', '6E00']) }).verdict, 'failed');
});

test('decision: judged against the data sheet for the applications the terminal used', () => {
  const ssse = trace('reset', [SELECT_SSSE, '9000']);
  assert.equal(verdict('decision', { card: ssse, expect: { ssse: 'refuse', pse: 'accept' }, exitCode: 0 }).verdict, 'failed');
  assert.equal(verdict('decision', { card: ssse, expect: { ssse: 'refuse', pse: 'accept' }, exitCode: 1 }).verdict, 'passed');
  assert.equal(verdict('decision', { card: ssse, expect: { ssse: 'any', pse: 'accept' }, exitCode: 1 }).verdict, 'not-applicable');
  assert.match(verdict('decision', { card: ssse, exitCode: 3 }).detail, /exited 3/);
  assert.match(verdict('decision', { card: ssse, exitCode: null, timedOut: 30 }).detail, /did not finish within 30 s/);
  const both = trace('reset', [SELECT_SSSE, '9000'], [SELECT_PSE, '9000']);
  assert.equal(verdict('decision', { card: both, expect: { ssse: 'refuse', pse: 'accept' }, exitCode: 1 }).verdict, 'not-applicable');
  assert.equal(verdict('decision', { card: trace('reset', ['00B0850000', '9000']) }).verdict, 'not-applicable');
});

test('no offline approval of a card whose offline data authentication fails', () => {
  const gac = (p1: string) => trace('reset', [SELECT_ADF, '9000'], ['80A8000002830000', '9000'], [`80AE${p1}000400000000`, '9000']);
  const failing = { ssse: 'any', pse: 'any', oda: 'fails' } as const;
  assert.equal(verdict('no-offline-approval-after-failed-oda', { card: gac('80'), expect: failing }).verdict, 'passed');
  assert.equal(verdict('no-offline-approval-after-failed-oda', { card: gac('00'), expect: failing }).verdict, 'passed');
  const tc = verdict('no-offline-approval-after-failed-oda', { card: gac('50'), expect: failing });
  assert.equal(tc.verdict, 'failed');
  assert.match(tc.detail, /asks for a TC/);
  assert.equal(verdict('no-offline-approval-after-failed-oda', { card: gac('40') }).verdict, 'not-applicable', 'a card whose ODA works');
  assert.equal(
    verdict('no-offline-approval-after-failed-oda', { card: trace('reset', [SELECT_ADF, '9000']), expect: failing }).verdict,
    'not-applicable',
  );
});
