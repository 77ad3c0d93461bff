import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Envelope, type TestStepResult, TestStepResultStatus } from '@cucumber/messages';
import { RequirementIndex, coverage } from '../model/catalog.ts';
import {
  ALLURE_STATUS,
  RunModel,
  VERDICTS,
  countVerdicts,
  requirementVerdicts,
  scenarioVerdict,
  verdictOfAllureStatus,
} from './verdicts.ts';
import { TRACE_NAME } from './trace.ts';

const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
const ok: TestStepResult = { status: TestStepResultStatus.PASSED, duration: { seconds: 0, nanos: 0 } };
const skipped: TestStepResult = { ...ok, status: TestStepResultStatus.SKIPPED };
const assertion = (message: string): TestStepResult => ({
  ...ok,
  status: TestStepResultStatus.FAILED,
  message: `AssertionError [ERR_ASSERTION]: ${message}\n    at step`,
  exception: { type: 'AssertionError', message, stackTrace: `AssertionError [ERR_ASSERTION]: ${message}\n    at step` },
});
const error = (message: string, type = 'Error'): TestStepResult => ({
  ...ok,
  status: TestStepResultStatus.FAILED,
  message: `${type}: ${message}`,
  exception: { type, message },
});

interface Step {
  text: string;
  result: TestStepResult;
  trace?: string;
}

interface Case {
  name: string;
  tags: string[];
  before?: TestStepResult;
  beforeTrace?: string;
  steps: Step[];
  after?: TestStepResult;
  afterTrace?: string;
  /** Attempts before the last, each finished with willBeRetried. */
  retriedBefore?: number;
}

/**
 * The message stream cucumber sends for one feature file whose scenarios run
 * with a Before hook "open the card" and an After hook "release the card".
 */
function stream(cases: Case[]): Envelope[] {
  const out: Envelope[] = [{ testRunStarted: { timestamp: at(1_000) } }];
  const loc = { line: 1, column: 1 };
  const scenarios = cases.map((c, i) => ({
    id: `sc${i}`,
    keyword: 'Scenario',
    name: c.name,
    description: '',
    location: { line: 10 * (i + 1) },
    tags: [],
    examples: [],
    steps: c.steps.map((s, j) => ({
      id: `st${i}.${j}`,
      keyword: j === 0 ? 'When ' : 'Then ',
      keywordType: undefined,
      text: s.text,
      location: loc,
    })),
  }));
  out.push({
    gherkinDocument: {
      uri: 'features/x.feature',
      comments: [],
      feature: {
        location: loc,
        tags: [],
        language: 'en',
        keyword: 'Feature',
        name: 'Cards',
        description: '',
        children: scenarios.map((scenario) => ({ scenario })),
      },
    },
  } as Envelope);
  out.push({ hook: { id: 'h-open', name: 'open the card', type: 'BEFORE_TEST_CASE', sourceReference: {} } } as Envelope);
  out.push({ hook: { id: 'h-release', name: 'release the card', type: 'AFTER_TEST_CASE', sourceReference: {} } } as Envelope);
  let clock = 2_000;
  const tick = () => {
    clock += 10;
    return at(clock);
  };
  cases.forEach((c, i) => {
    const pickleSteps = c.steps.map((s, j) => ({ id: `ps${i}.${j}`, text: s.text, astNodeIds: [`st${i}.${j}`] }));
    out.push({
      pickle: {
        id: `p${i}`,
        uri: 'features/x.feature',
        location: { line: 10 * (i + 1) },
        name: c.name,
        language: 'en',
        steps: pickleSteps,
        tags: c.tags.map((name) => ({ name, astNodeId: '' })),
        astNodeIds: [`sc${i}`],
      },
    } as Envelope);
    const testSteps = [
      { id: `ts${i}.b`, hookId: 'h-open' },
      ...pickleSteps.map((ps, j) => ({ id: `ts${i}.${j}`, pickleStepId: ps.id })),
      { id: `ts${i}.a`, hookId: 'h-release' },
    ];
    out.push({ testCase: { id: `tc${i}`, pickleId: `p${i}`, testSteps } } as Envelope);
    for (let attempt = 0; attempt <= (c.retriedBefore ?? 0); attempt++) {
      const started = `tcs${i}.${attempt}`;
      const last = attempt === (c.retriedBefore ?? 0);
      out.push({ testCaseStarted: { id: started, testCaseId: `tc${i}`, attempt, timestamp: at(clock) } });
      const finish = (testStepId: string, result: TestStepResult, trace?: string) => {
        if (trace)
          out.push({
            attachment: {
              testCaseStartedId: started,
              testStepId,
              body: trace,
              contentEncoding: 'IDENTITY',
              mediaType: 'text/plain',
              fileName: TRACE_NAME,
            },
          } as Envelope);
        out.push({ testStepFinished: { testCaseStartedId: started, testStepId, testStepResult: result, timestamp: tick() } });
      };
      finish(`ts${i}.b`, c.before ?? ok, c.beforeTrace);
      const blocked = (c.before ?? ok).status !== 'PASSED';
      c.steps.forEach((s, j) => {
        finish(`ts${i}.${j}`, blocked ? skipped : last ? s.result : error('flaky'), s.trace);
      });
      finish(`ts${i}.a`, c.after ?? ok, c.afterTrace);
      out.push({ testCaseFinished: { testCaseStartedId: started, timestamp: tick(), willBeRetried: !last } });
    }
  });
  out.push({ testRunFinished: { success: true, timestamp: tick() } } as Envelope);
  return out;
}

function model(cases: Case[], capabilities: string[] = ['t0']): RunModel {
  const m = new RunModel(capabilities);
  for (const e of stream(cases)) m.onMessage(e);
  return m;
}

const step = (text: string, result = ok, trace?: string): Step => ({ text, result, ...(trace ? { trace } : {}) });

test('each kind of scenario gets its verdict and, when it did not pass, the reason in one line', () => {
  const m = model([
    { name: 'conforms', tags: ['@req:A'], steps: [step('I select the MF'), step('the status word is 9000')] },
    {
      name: 'check fails',
      tags: ['@req:A'],
      steps: [step('I select the MF'), step('the status word is 9000', assertion('expected 9000, card answered 6A82\n  detail'))],
    },
    { name: 'reader fails', tags: ['@req:B'], steps: [step('I select the MF', error('card removed', 'TransportError'))] },
    { name: 'needs T=1', tags: ['@req:B', '@needs:t1', '@needs:contactless'], before: skipped, steps: [step('I select the MF')] },
    { name: 'set-up fails', tags: ['@req:C'], before: assertion('no card in the reader'), steps: [step('I select the MF')] },
    { name: 'release fails', tags: ['@req:C'], steps: [step('I select the MF')], after: error('cannot power down') },
    { name: 'no definition', tags: ['@req:C'], steps: [step('I dance', { ...ok, status: TestStepResultStatus.UNDEFINED })] },
  ]);
  const got = m.scenarios.map((s) => [s.name, s.verdict, s.reason]);
  assert.deepEqual(got, [
    ['conforms', 'passed', undefined],
    ['check fails', 'non-conforming', 'expected 9000, card answered 6A82'],
    ['reader fails', 'inconclusive', 'card removed'],
    ['needs T=1', 'not-applicable', 'the scenario needs t1, contactless'],
    // a failed set-up says nothing on the requirement, whatever the error: inconclusive, even for an assertion
    ['set-up fails', 'inconclusive', 'set-up "open the card" failed: no card in the reader'],
    ['release fails', 'inconclusive', 'tear-down "release the card" failed: cannot power down'],
    ['no definition', 'undefined', 'a step has no definition'],
  ]);
  assert.deepEqual(countVerdicts(m.scenarios), {
    passed: 1,
    'non-conforming': 1,
    inconclusive: 3,
    'not-applicable': 1,
    'not-run': 0,
    undefined: 1,
  });
  const decisive = m.scenarios[4]!.decisive!;
  assert.deepEqual(decisive.hook, { when: 'before', name: 'open the card' });
  assert.deepEqual(
    m.scenarios[1]!.steps.map((s) => [s.keyword, s.text, s.status]),
    [
      ['When ', 'I select the MF', 'PASSED'],
      ['Then ', 'the status word is 9000', 'FAILED'],
    ],
  );
});

test('the first of equally severe results decides; a failure outweighs everything before it', () => {
  const first = scenarioVerdict([{ result: ok }, { result: assertion('first') }, { result: error('second') }]);
  assert.deepEqual([first.verdict, first.reason], ['non-conforming', 'first']);
  const skippedThenFailed = scenarioVerdict([
    { result: skipped },
    { result: error('tear-down'), hook: { when: 'after', name: 'release the card' } },
  ]);
  assert.deepEqual(
    [skippedThenFailed.verdict, skippedThenFailed.reason],
    ['inconclusive', 'tear-down "release the card" failed: tear-down'],
  );
  assert.equal(scenarioVerdict([]).verdict, 'passed');
  assert.equal(scenarioVerdict([{ result: { ...ok, status: TestStepResultStatus.PENDING } }]).verdict, 'undefined');
});

test('a retried scenario counts once, with the verdict of its last attempt', () => {
  const m = model([{ name: 'flaky', tags: ['@req:A'], retriedBefore: 2, steps: [step('I select the MF')] }]);
  assert.deepEqual(
    m.scenarios.map((s) => [s.name, s.verdict]),
    [['flaky', 'passed']],
  );
  assert.equal(m.scenarioOf('tcs0.0'), undefined, 'an attempt to be retried is not a scenario result');
  assert.equal(m.scenarioOf('tcs0.2')?.verdict, 'passed');
});

test('requirement ids come from the @req tags, each once; the dry-run model (no capabilities) names no lack', () => {
  const m = model(
    [{ name: 'x', tags: ['@req:A', '@smoke', '@req:B', '@req:A', '@needs:t1'], before: skipped, steps: [step('I select the MF')] }],
    [],
  );
  assert.deepEqual(m.scenarios[0]!.requirements, ['A', 'B']);
  assert.equal(m.scenarios[0]!.reason, 'the scenario needs t1');
  const dry = new RunModel();
  for (const e of stream([{ name: 'x', tags: ['@needs:t1'], before: skipped, steps: [step('I select the MF')] }])) dry.onMessage(e);
  assert.equal(dry.scenarios[0]!.verdict, 'not-applicable');
  assert.equal(dry.scenarios[0]!.reason, undefined);
  assert.equal(dry.allPickles.length, 1);
});

test("APDU traces are kept under the set-up or step that caused them; the tear-down's are left out", () => {
  const m = model([
    {
      name: 'x',
      tags: [],
      beforeTrace: '#1 RESET',
      steps: [step('I select the MF', ok, '#2 SELECT'), step('nothing sent')],
      afterTrace: '#3 RESET',
    },
  ]);
  assert.deepEqual(m.scenarios[0]!.traces, [
    { step: 'set-up: open the card', text: '#1 RESET' },
    { step: 'When I select the MF', text: '#2 SELECT' },
  ]);
});

test("a requirement's verdict comes from its scenarios: any failure fails it, all not applicable is not applicable", () => {
  const req = (id: string, verifiedBy?: 'trace') => ({
    id,
    title: id,
    text: '',
    source: { document: 'doc', clause: '1' },
    area: 'card' as const,
    group: 'g',
    severity: 'normal' as const,
    ...(verifiedBy ? { verifiedBy } : {}),
  });
  const index = new RequirementIndex({
    catalogue: 'c',
    version: '1',
    documents: { doc: { title: 'Doc' } },
    requirements: ['PASS', 'MIXED', 'BROKEN', 'WORST', 'NA', 'SOME-NA', 'REF', 'UNRUN', 'NONE']
      .map((id) => req(id))
      .concat(req('TRACE', 'trace')),
  });
  // the first requirement of a scenario is the one it proves; the others are references
  const scenarios = [
    { requirements: ['PASS', 'REF'], verdict: 'passed' as const },
    { requirements: ['MIXED'], verdict: 'passed' as const },
    { requirements: ['MIXED'], verdict: 'non-conforming' as const },
    { requirements: ['BROKEN', 'REF'], verdict: 'inconclusive' as const },
    { requirements: ['WORST'], verdict: 'inconclusive' as const },
    { requirements: ['WORST', 'REF'], verdict: 'non-conforming' as const },
    { requirements: ['NA'], verdict: 'not-applicable' as const },
    { requirements: ['SOME-NA'], verdict: 'not-applicable' as const },
    { requirements: ['SOME-NA'], verdict: 'passed' as const },
  ];
  const tagged = [
    ...scenarios.map((s) => ({ name: '', uri: '', tags: s.requirements.map((r) => `@req:${r}`) })),
    { name: '', uri: '', tags: ['@req:UNRUN'] },
  ];
  const got = requirementVerdicts(index, coverage(tagged, index), scenarios);
  assert.deepEqual(Object.fromEntries(got.map((r) => [r.id, [r.verdict, r.scenarios, r.references]])), {
    PASS: ['passed', 1, 0],
    MIXED: ['failed', 2, 0],
    // an inconclusive scenario gives no verdict: inconclusive, not failed; a non-conformity outweighs it
    BROKEN: ['inconclusive', 1, 0],
    WORST: ['failed', 2, 0],
    NA: ['not-applicable', 1, 0],
    'SOME-NA': ['passed', 2, 0],
    // named only as a reference, by a non-conforming scenario among others: not failed, and not proven by any
    REF: ['no-scenario', 0, 3],
    UNRUN: ['not-run', 1, 0],
    NONE: ['no-scenario', 0, 0],
    TRACE: ['trace-check', 0, 0],
  });
  assert.equal(got[0]!.source, 'doc 1');
});

test('every verdict is written as an Allure status that reads back as the same verdict, but undefined (read back as inconclusive) and not run (skipped: its message tells, compare.ts)', () => {
  const back: Partial<Record<string, string>> = { undefined: 'inconclusive', 'not-run': 'not-applicable' };
  for (const v of VERDICTS) assert.equal(verdictOfAllureStatus(ALLURE_STATUS[v]), back[v] ?? v);
  assert.equal(verdictOfAllureStatus('unknown'), 'undefined');
});
