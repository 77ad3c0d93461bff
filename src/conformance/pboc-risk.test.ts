import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../core/bytes.ts';
import { cvrHas, cvrScriptCount, cvrTypesProblem } from './pboc-oda.ts';
import { type RiskData, logTearProblem, riskProblem } from './pboc-risk.ts';

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

// log format 9F02 (amount, 6 bytes) ‖ 9F36 (ATC, 2 bytes): records of 8 bytes
const layout = { capacity: 3, format: fromHex('9F02 06 9F36 02') };
const rec = (amount: number, atc: number) => fromHex(`${String(amount).padStart(12, '0')}${atc.toString(16).padStart(4, '0')}`);

test('a log after a torn GENERATE AC holds the old records, or the new one first and them', () => {
  const before = { records: [rec(2, 2), rec(1, 1)], atc: 3 };
  assert.equal(logTearProblem(before.records, before, layout), undefined);
  assert.equal(logTearProblem([rec(9, 3), ...before.records], before, layout), undefined);
  // a full log drops its oldest record
  const full = { records: [rec(3, 3), rec(2, 2), rec(1, 1)], atc: 4 };
  assert.equal(logTearProblem([rec(9, 4), rec(3, 3), rec(2, 2)], full, layout), undefined);
});

test('a log with a duplicated, cut, foreign or misplaced record is a problem', () => {
  const before = { records: [rec(2, 2), rec(1, 1)], atc: 3 };
  assert.match(logTearProblem([rec(2, 2), rec(2, 2), rec(1, 1)], before, layout)!, /record 2 is a duplicate/);
  assert.match(logTearProblem([rec(9, 3).slice(0, 7), rec(2, 2), rec(1, 1)], before, layout)!, /whole new record \(8 bytes, ATC 0003\)/);
  assert.match(logTearProblem([rec(9, 5), rec(2, 2), rec(1, 1)], before, layout)!, /neither the old record 1/);
  assert.match(logTearProblem([rec(9, 3), rec(1, 1), rec(2, 2)], before, layout)!, /not all there, in order/);
  assert.match(logTearProblem([rec(9, 3), rec(2, 2)], before, layout)!, /not all there/);
});

test('the CVR tells the types of the first and the second cryptogram as the card answered them', () => {
  // byte 2: bits 8-7 second (00 AAC, 01 TC, 10 not requested), bits 6-5 first (00 AAC, 01 TC, 10 ARQC)
  assert.equal(cvrTypesProblem(fromHex('07 01 01 03 A0 00 00 01'), 'ARQC'), undefined);
  assert.equal(cvrTypesProblem(fromHex('07 01 01 03 90 00 00 01'), 'TC'), undefined);
  assert.equal(cvrTypesProblem(fromHex('07 01 01 03 60 00 00 01'), 'ARQC', 'TC'), undefined);
  assert.equal(cvrTypesProblem(fromHex('07 01 01 03 20 00 00 01'), 'ARQC', 'AAC'), undefined);
  assert.match(
    cvrTypesProblem(fromHex('07 01 01 03 20 00 00 01'), 'ARQC', 'TC')!,
    /says 00 \(AAC\) for the second cryptogram; the card answered TC/,
  );
  assert.match(cvrTypesProblem(fromHex('07 01 01 03 20 00 00 01'), 'ARQC')!, /no second GENERATE AC was requested/);
  assert.match(
    cvrTypesProblem(fromHex('07 01 01 03 80 00 00 01'), 'ARQC')!,
    /says 00 \(AAC\) for the first cryptogram, the card answered ARQC/,
  );
  assert.match(cvrTypesProblem(fromHex('07 01 01'), 'AAC')!, /no 4-byte CVR/);
});
