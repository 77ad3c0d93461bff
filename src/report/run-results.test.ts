import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunResults } from './run-results.ts';
import type { ScenarioResult } from './verdicts.ts';

const at = (seconds: number, nanos = 0) => ({ seconds, nanos });

function scenario(uri: string, line: number, o: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    pickleId: `${uri}#${line}`,
    name: `${uri} ${line}`,
    uri,
    line,
    lineage: {},
    tags: ['@req:CARD-RB-01'],
    requirements: ['CARD-RB-01'],
    verdict: 'passed',
    steps: [{ keyword: 'When ', text: 'x', status: 'PASSED' }],
    traces: [{ step: 'When x', text: '#1 SELECT' }],
    started: at(1),
    finished: at(2),
    ...o,
  } as ScenarioResult;
}

test("scenarios finished by several processes come back in the plan's order, each with its result file", () => {
  const plan = [scenario('a.feature', 3), scenario('a.feature', 9), scenario('b.feature', 4), scenario('b.feature', 12)];
  const r = new RunResults(plan);
  // shard 2 of 2 reports first, then shard 1, interleaved
  r.add(scenario('a.feature', 9), 'u2-result.json');
  r.add(scenario('a.feature', 3), 'u1-result.json');
  r.add(scenario('b.feature', 12));
  r.add(scenario('b.feature', 4), 'u3-result.json');
  assert.deepEqual(
    r.scenarios.map((s) => `${s.uri}:${s.line}`),
    ['a.feature:3', 'a.feature:9', 'b.feature:4', 'b.feature:12'],
  );
  assert.equal(r.resultFile('a.feature#9'), 'u2-result.json');
  assert.equal(r.resultFile('b.feature#12'), undefined);
  assert.deepEqual(r.missing, []);
});

test('a process that ended early: what it did not report is not run, with why, and no verdict on the card', () => {
  const plan = [scenario('a.feature', 3), scenario('a.feature', 9, { verdict: 'not-applicable', decisive: { result: {} } } as never)];
  const r = new RunResults(plan);
  r.add(scenario('a.feature', 3, { verdict: 'non-conforming', reason: 'SW 6A82' }));
  assert.deepEqual(
    r.missing.map((s) => s.line),
    [9],
  );
  r.notRun('the process running shard 2 of 2 ended (exit code 1)', (_p, i) => i % 2 === 1);
  const [first, second] = r.scenarios;
  assert.equal(first!.verdict, 'non-conforming', 'what was reported stays as it was');
  assert.equal(second!.verdict, 'not-run');
  assert.equal(second!.reason, 'the process running shard 2 of 2 ended (exit code 1)');
  assert.equal(second!.decisive, undefined);
  assert.deepEqual(second!.traces, []);
  assert.deepEqual(r.missing, []);
});

test("only the scenarios of the process that ended are not run; another's missing ones stay missing", () => {
  const plan = [scenario('a.feature', 1), scenario('a.feature', 2), scenario('a.feature', 3), scenario('a.feature', 4)];
  const r = new RunResults(plan);
  r.add(scenario('a.feature', 1));
  r.notRun('shard 2 of 2 ended', (_p, i) => i % 2 === 1);
  assert.deepEqual(
    r.scenarios.map((s) => [s.line, s.verdict]),
    [
      [1, 'passed'],
      [2, 'not-run'],
      [4, 'not-run'],
    ],
  );
  assert.deepEqual(
    r.missing.map((s) => s.line),
    [3],
  );
});

test('the run lasted from the first process start to the last process end', () => {
  const r = new RunResults([]);
  r.ran(at(10, 500), at(20));
  r.ran(at(10, 100), at(19, 999));
  r.ran(undefined, at(21, 1));
  assert.deepEqual(r.runStarted, at(10, 100));
  assert.deepEqual(r.runFinished, at(21, 1));
});
