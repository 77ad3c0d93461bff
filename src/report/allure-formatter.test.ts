/**
 * The run report in a real cucumber run: a feature whose scenarios pass,
 * fail a check, break, lack a capability, fail their set-up or their
 * tear-down, run through the cucumber API with this formatter and, beside it,
 * cucumber's own JUnit formatter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { RequirementIndex } from '../model/catalog.ts';
import {
  REQUIREMENT_LABELS,
  RUN_REPORT_FORMATTER,
  RUN_REPORT_OPTION,
  type RunReportOptions,
  type WrittenResult,
} from './allure-formatter.ts';
import { junitXml } from './junit.ts';
import { RunModel, type ScenarioResult, countVerdicts } from './verdicts.ts';

const FEATURE = `Feature: Card basics

  Background:
    Given the card is reset

  @req:CARD-A
  Scenario: the MF is selected
    When I select the MF
    Then the status word is 9000

  @req:CARD-A @req:CARD-B
  Scenario Outline: a check on <sw> & "quotes"
    When I select the MF
    Then the status word is <sw>

    Examples: status words
      | sw   |
      | 9000 |
      | 6A82 |

  @req:CARD-B
  Scenario: the reader fails
    When the reader fails

  @req:CARD-B @needs:t1
  Scenario: a T=1 card chains blocks
    When I select the MF

  Rule: set-up and tear-down

    @req:CARD-A @setup-fails
    Scenario: no card in the reader
      When I select the MF

    @req:CARD-A @teardown-fails
    Scenario: the card cannot be released
      When I select the MF
`;

const STEPS = `import assert from 'node:assert/strict';
import { After, Before, Given, Then, When } from '${import.meta.resolve('@cucumber/cucumber')}';
const trace = (world, text) => world.attach(text, { mediaType: 'text/plain', fileName: 'APDU trace' });
const tagged = (pickle, tag) => pickle.tags.some((t) => t.name === tag);
Before({ name: 'open the card' }, function ({ pickle }) {
  if (tagged(pickle, '@setup-fails')) throw new Error('no card in the reader');
  trace(this, '#1 RESET');
  return tagged(pickle, '@needs:t1') ? 'skipped' : undefined;
});
After({ name: 'release the card' }, function ({ pickle }) {
  trace(this, '#9 RESET');
  if (tagged(pickle, '@teardown-fails')) throw new Error('cannot power the card down');
});
Given('the card is reset', function () {});
When('I select the MF', function () { trace(this, '#2 SELECT MF'); });
When('the reader fails', function () { throw new Error('card removed from the reader'); });
Then('the status word is {word}', function (sw) { assert.equal('9000', sw, 'expected status word ' + sw + ', card answered 9000'); });
`;

const index = new RequirementIndex({
  catalogue: 'c',
  version: '1',
  documents: { GB: { title: 'Some standard' } },
  requirements: [
    {
      id: 'CARD-A',
      title: 'Selection',
      text: '',
      source: { document: 'GB', clause: '5.1' },
      area: 'card',
      group: 'Files',
      severity: 'normal',
    },
    {
      id: 'CARD-B',
      title: 'Transport',
      text: '',
      source: { document: 'GB', clause: '6' },
      area: 'card',
      group: 'Protocol',
      severity: 'critical',
    },
  ],
});

interface Result {
  uuid: string;
  name: string;
  status: string;
  statusDetails: { message?: string; trace?: string };
  labels: { name: string; value: string }[];
  parameters: { name: string; value: string }[];
  attachments: { name: string; source: string }[];
}

async function run(extra: Partial<RunReportOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-run-report-'));
  writeFileSync(join(dir, 'basics.feature'), FEATURE);
  writeFileSync(join(dir, 'steps.mjs'), STEPS);
  const quiet = new Writable({ write: (_c, _e, cb) => cb() });
  const environment = { cwd: dir, stdout: quiet, stderr: quiet, env: process.env };
  const { runConfiguration } = await loadConfiguration(
    { provided: { paths: ['basics.feature'], import: ['steps.mjs'], strict: true } },
    environment,
  );
  const model = new RunModel(['t0']);
  const reported: { scenario: ScenarioResult; written: WrittenResult | undefined }[] = [];
  const report: RunReportOptions = {
    model,
    index,
    environment: { 'Sample ID': 'S-1', 'Tool version': 'ssc-lab 0' },
    onScenario: (scenario, written) => reported.push({ scenario, written }),
    ...extra,
  };
  const resultsDir = join(dir, 'allure-results');
  runConfiguration.formats = {
    stdout: 'summary',
    files: { [join(dir, 'allure.out')]: RUN_REPORT_FORMATTER, [join(dir, 'cucumber-junit.xml')]: 'junit' },
    publish: false,
    options: {
      resultsDir,
      labels: REQUIREMENT_LABELS,
      junit: { suiteName: 'ssc-lab' },
      [RUN_REPORT_OPTION]: report,
    } as never,
  };
  const outcome = await runCucumber(runConfiguration, environment);
  const results = readdirSync(resultsDir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as Result);
  // the primary requirement's id leads each name ("CARD-A · a check …"): found here by the scenario's own name
  const byName = new Map(results.map((r) => [r.name.replace(/^[A-Z][A-Z0-9-]* · /, ''), r]));
  return { dir, resultsDir, model, outcome, results, byName, reported };
}

const ran = run();

test('each result carries the status of its verdict and the message the model gives it', async () => {
  const { model, byName, results, outcome } = await ran;
  assert.equal(outcome.success, false);
  assert.equal(results.length, 7);
  assert.equal(model.scenarios.length, 7);
  const status = (name: string) => [byName.get(name)?.status, byName.get(name)?.statusDetails.message?.split('\n')[0]];
  assert.deepEqual(status('the MF is selected'), ['passed', undefined]);
  assert.deepEqual(status('a check on 9000 & "quotes"'), ['passed', undefined]);
  // a non-conformity: the requirement and what the check found; the details name the clause and the APDUs, no stack
  assert.deepEqual(status('a check on 6A82 & "quotes"'), ['failed', 'CARD-A: expected status word 6A82, card answered 9000']);
  const nc = byName.get('a check on 6A82 & "quotes"')!.statusDetails.trace!;
  assert.match(nc, /^Requirement: CARD-A Selection\nSource: Some standard, 5\.1\nStep: Then the status word is 6A82\nFound: /);
  assert.doesNotMatch(nc, /\n\s+at .*:\d+/);
  // an inconclusive step: its reason; the stack trace an attachment
  assert.deepEqual(status('the reader fails'), ['broken', 'card removed from the reader']);
  assert.ok(byName.get('the reader fails')!.attachments.some((a) => a.name.startsWith('stack trace')));
  assert.ok(!byName.get('a check on 6A82 & "quotes"')!.attachments.some((a) => a.name.startsWith('stack trace')));
  assert.deepEqual(status('a T=1 card chains blocks'), ['skipped', 'Not applicable to this target: the scenario needs t1']);
  assert.deepEqual(status('no card in the reader'), ['broken', 'set-up "open the card" failed: Error: no card in the reader']);
  assert.match(byName.get('no card in the reader')!.statusDetails.trace ?? '', /no card in the reader/);
  assert.deepEqual(status('the card cannot be released'), [
    'broken',
    'tear-down "release the card" failed: Error: cannot power the card down',
  ]);
  // the summary's reasons are the same verdicts' first lines
  assert.deepEqual(
    model.scenarios.filter((s) => s.verdict !== 'passed').map((s) => [s.verdict, s.reason]),
    [
      ['non-conforming', 'expected status word 6A82, card answered 9000'],
      ['inconclusive', 'card removed from the reader'],
      ['not-applicable', 'the scenario needs t1'],
      ['inconclusive', 'set-up "open the card" failed: no card in the reader'],
      ['inconclusive', 'tear-down "release the card" failed: cannot power the card down'],
    ],
  );
});

test('each result is placed once in the requirement tree, under its primary requirement, with severity and source clauses', async () => {
  const { byName } = await ran;
  const r = byName.get('a check on 6A82 & "quotes"')!;
  const labels = (name: string) => r.labels.filter((l) => l.name === name).map((l) => l.value);
  assert.deepEqual(labels('requirement'), ['CARD-A', 'CARD-B']);
  assert.deepEqual(labels('epic'), ['Card and COS']);
  assert.deepEqual(labels('feature'), ['Files'], "the feature file's name gives way to the primary requirement's group");
  assert.deepEqual(labels('story'), ['CARD-A Selection'], 'CARD-B is a reference: the scenario is not filed under it');
  assert.deepEqual(labels('severity'), ['normal'], "the primary requirement's severity, not the reference's");
  assert.equal(r.name, 'CARD-A · a check on 6A82 & "quotes"', "the primary requirement's id leads the name, for the report's search");
  assert.deepEqual(labels('ssc-lab-result'), [r.uuid], "the result's uuid, for the matrix's link to its page");
  assert.deepEqual(
    (r as { links?: unknown }).links,
    [{ name: 'Traceability matrix: CARD-A — Some standard, 5.1', url: '../matrix/matrix.html#CARD-A', type: 'matrix' }],
    "the primary requirement's row of the matrix, with its source clause",
  );
  assert.ok(!r.labels.some((l) => l.name === 'tag' && l.value.startsWith('@req:')));
  assert.deepEqual(r.parameters, [
    { name: 'sw', value: '6A82' },
    { name: 'source', value: 'CARD-A: Some standard, 5.1 | CARD-B: Some standard, 6' },
  ]);
});

test('each result has the APDU trace of its whole scenario: set-up and steps, not the tear-down', async () => {
  const { byName, resultsDir } = await ran;
  const trace = (name: string) => {
    const a = byName.get(name)!.attachments.find((x) => x.name === 'APDU trace (whole scenario)');
    return a && readFileSync(join(resultsDir, a.source), 'utf8');
  };
  assert.equal(trace('the MF is selected'), '── set-up: open the card\n#1 RESET\n\n── When I select the MF\n#2 SELECT MF\n');
  assert.equal(trace('no card in the reader'), undefined, 'a set-up that failed before the reset left no trace');
});

test('the environment, executor and categories are written when the run ends', async () => {
  const { resultsDir } = await ran;
  assert.equal(readFileSync(join(resultsDir, 'environment.properties'), 'utf8'), 'Sample\\ ID=S-1\nTool\\ version=ssc-lab 0\n');
  assert.equal(JSON.parse(readFileSync(join(resultsDir, 'executor.json'), 'utf8')).reportName, 'ssc-lab conformance report — sample S-1');
  const categories = JSON.parse(readFileSync(join(resultsDir, 'categories.json'), 'utf8')) as { name: string }[];
  assert.deepEqual(
    categories.map((c) => c.name),
    ['Card non-conformities', 'Inconclusive: transport', 'Inconclusive: tool or set-up', 'Not run', 'Not applicable'],
  );
});

test("JUnit from the model is cucumber's JUnit, times aside, but inconclusive scenarios are errors and non-conformities carry their requirement", async () => {
  const { dir, model } = await ran;
  const times = (xml: string) => xml.replace(/ (time|timestamp)="[^"]*"/g, ' $1=""');
  const ours = junitXml(model, 'ssc-lab');
  // cucumber calls every scenario that did not pass a failure, with its stack: with the outcomes blanked, the rest is the same
  const blank = (xml: string) =>
    xml
      .replace(/<(failure|error)\b[^>]*>[\s\S]*?<\/\1>|<(failure|error)\b[^>]*\/>/g, '<outcome/>')
      .replace(/ failures="\d+" errors="\d+"/, '');
  assert.equal(times(blank(ours)), times(blank(readFileSync(join(dir, 'cucumber-junit.xml'), 'utf8'))));
  assert.match(ours, /name="set-up and tear-down - no card in the reader"/);
  assert.match(ours, /name="a check on &lt;sw> &amp; &quot;quotes&quot; - status words - #1\.2: a check on 6A82 &amp; &quot;quotes&quot;"/);
  const c = countVerdicts(model.scenarios);
  assert.match(
    ours,
    new RegExp(
      `<testsuite name="ssc-lab" time="[\\d.]+" tests="7" skipped="1" failures="${c['non-conforming']}" errors="${c.inconclusive + c.undefined}"`,
    ),
  );
  assert.equal(c['non-conforming'] + c.inconclusive + c.undefined, 4);
  assert.match(ours, /<failure type="non-conformity" message="[A-Z]+-[A-Z0-9-]+: /);
  assert.doesNotMatch(ours.match(/<failure [\s\S]*?<\/failure>/)?.[0] ?? '', /\bat .*\.ts:\d+/);
});

test('each scenario is reported as it finishes, with the result file written for it and its name there', async () => {
  const { dir, results, reported, model } = await ran;
  assert.equal(reported.length, results.length);
  assert.deepEqual(
    reported.map((r) => r.scenario),
    model.scenarios,
    'the scenarios of the model, in the order they finished',
  );
  for (const r of results)
    assert.ok(
      reported.some((x) => x.written?.file === `${r.uuid}-result.json` && x.written.name === r.name),
      r.name,
    );
  assert.ok(reported.some((x) => x.scenario.verdict === 'non-conforming'));
  assert.equal(readFileSync(join(dir, 'allure.out'), 'utf8'), '', "the formatter's own stream stays empty");
});

test("each step's own trace goes to the report only with --step-traces; the whole scenario's trace always", async () => {
  type Step = { attachments?: { name: string }[]; steps?: Step[] };
  type WithSteps = Result & Step;
  // a step's attachments, and those of its sub-steps (allure-cucumberjs files an attachment as a sub-step)
  const attachmentsOf = (st: Step): { name: string }[] => [...(st.attachments ?? []), ...(st.steps ?? []).flatMap(attachmentsOf)];
  const stepTraces = (r: WithSteps) => (r.steps ?? []).flatMap(attachmentsOf).filter((a) => a.name === 'APDU trace');
  const plain = (await ran).byName.get('the MF is selected') as WithSteps;
  assert.deepEqual(stepTraces(plain), []);
  assert.ok(plain.attachments.some((a) => a.name === 'APDU trace (whole scenario)'));
  const detailed = (await run({ stepTraces: true })).byName.get('the MF is selected') as WithSteps;
  assert.equal(stepTraces(detailed).length, 1, 'the step "When I select the MF" carries its trace');
  assert.ok(detailed.attachments.some((a) => a.name === 'APDU trace (whole scenario)'));
});
