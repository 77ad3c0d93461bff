import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../core/bytes.ts';
import { cvrHas, cvrScriptCount } from './pboc-oda.ts';
import { type RiskData, riskProblem } from './pboc-risk.ts';

const before: RiskData = { onlineNotCompleted: true, issuerAuthFailed: false, lastOnlineAtc: 3, logRecords: 1 };
const after: RiskData = { onlineNotCompleted: false, issuerAuthFailed: false, lastOnlineAtc: 5, logRecords: 2 };

test('risk data after a torn GENERATE AC are all before or all after it', () => {
  assert.equal(riskProblem(before, before, after), undefined);
  assert.equal(riskProblem(after, before, after), undefined);
});

test('risk data mixing before and after name what came from each', () => {
  const mix = { ...after, lastOnlineAtc: 3, logRecords: 1 };
  const problem = riskProblem(mix, before, after);
  assert.match(problem!, /neither all before .* nor all after/);
  assert.match(
    problem!,
    /"last online transaction not completed" as after but the last online ATC 9F13, the number of transaction log records as before/,
  );
});

test('a value that is neither before nor after is a problem', () => {
  assert.match(riskProblem({ ...before, lastOnlineAtc: 9 }, before, after)!, /lastOnlineAtc 9/);
});

test('a card without a transaction log is judged on the other risk data', () => {
  const { logRecords: _b, ...b } = before;
  const { logRecords: _a, ...a } = after;
  assert.equal(riskProblem({ ...a }, b, a), undefined);
  assert.ok(riskProblem({ ...a, onlineNotCompleted: true }, b, a));
});

test('the CVR of the issuer application data counts the script commands and tells a failed one', () => {
  // 07 DKI CVN ‖ CVR (03 ‖ byte 2 ‖ byte 3 ‖ byte 4) ‖ algorithm
  const iad = fromHex('07 01 01 03 A0 00 28 01');
  assert.equal(cvrScriptCount(iad), 2);
  assert.equal(cvrHas(iad, 'issuer script processing failed'), true);
  assert.equal(cvrHas(fromHex('07 01 01 03 A0 00 20 01'), 'issuer script processing failed'), false);
});
