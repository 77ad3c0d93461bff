import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CampaignDefect, defectOutcome, judgeDefect, markdownReport, summarise, figureLine, writeAllureResults } from './mutation.ts';

const scenario = (verdict: 'passed' | 'non-conforming' | 'inconclusive' | 'not-applicable', requirements: string[], reason?: string) => ({
  verdict,
  requirements,
  name: `a ${verdict} scenario`,
  uri: 'features/x.feature',
  ...(reason ? { reason } : {}),
});

const defect: CampaignDefect = { id: 'd', kind: 'card', class: 'near-miss', rule: 'a rule', requirements: ['REQ-A', 'REQ-B'] };

test('a defect is caught by non-conforming scenarios, broken-only when scenarios only break, survived otherwise', () => {
  const caught = judgeDefect([
    scenario('passed', ['REQ-A']),
    scenario('inconclusive', ['REQ-C']),
    scenario('non-conforming', ['REQ-B', 'REQ-A']),
  ]);
  assert.equal(caught.verdict, 'caught');
  assert.deepEqual(caught.caughtBy, ['REQ-A', 'REQ-B']);
  assert.equal(caught.first?.scenario, 'a non-conforming scenario');
  const brokenOnly = judgeDefect([scenario('passed', ['REQ-A']), scenario('inconclusive', ['REQ-C'], 'tool error')]);
  assert.equal(brokenOnly.verdict, 'broken-only');
  assert.deepEqual(brokenOnly.caughtBy, []);
  assert.equal(brokenOnly.first?.reason, 'tool error');
  assert.equal(judgeDefect([scenario('passed', ['REQ-A']), scenario('not-applicable', ['REQ-B'])]).verdict, 'survived');
  assert.equal(judgeDefect([]).verdict, 'survived');
});

test('the outcome says whether the expected requirements caught the defect; the score is caught / all', () => {
  const run = { phase: 'expected' as const, profiles: ['profiles/default.json'], scenariosRun: 3, seconds: 0.5 };
  const partly = defectOutcome(defect, judgeDefect([scenario('non-conforming', ['REQ-A'])]), run);
  assert.equal(partly.asExpected, false);
  assert.deepEqual(partly.missedExpected, ['REQ-B']);
  const fully = defectOutcome(defect, judgeDefect([scenario('non-conforming', ['REQ-A', 'REQ-B'])]), run);
  assert.equal(fully.asExpected, true);
  const survived = defectOutcome({ ...defect, id: 'e', kind: 'terminal' }, judgeDefect([scenario('passed', ['REQ-A'])]), run);
  const s = summarise([partly, fully, survived]);
  assert.deepEqual([s.defects, s.card, s.terminal, s.caught, s.survived], [3, 2, 1, 2, 1]);
  assert.equal(s.score, 2 / 3);
  assert.equal(figureLine(s, 12.34), '3 defects (2 card, 1 terminal) in 12.3 s');
  assert.match(markdownReport([partly, survived], { profile: 'p.json', seconds: 1 }), /\| `e` \| terminal \| near-miss \| ✗ survived \|/);
});

test('one Allure result per defect: passed when caught, failed when survived, in the "Suite strength" epic', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'ssc-mutation-')), 'allure-results');
  const run = { phase: 'suite' as const, profiles: ['profiles/default.json'], scenariosRun: 3, seconds: 0.5 };
  writeAllureResults(
    dir,
    [
      defectOutcome(defect, judgeDefect([scenario('non-conforming', ['REQ-A'])]), run),
      defectOutcome({ ...defect, id: 'e' }, judgeDefect([scenario('passed', ['REQ-A'])]), run),
      defectOutcome({ ...defect, id: 'f' }, judgeDefect([scenario('inconclusive', ['REQ-A'])]), run),
    ],
    Date.now(),
  );
  const results = readdirSync(dir).map(
    (f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { status: string; labels: { name: string; value: string }[] },
  );
  const byStory = new Map(results.map((r) => [r.labels.find((l) => l.name === 'story')?.value, r]));
  assert.deepEqual(
    ['d', 'e', 'f'].map((id) => byStory.get(id)?.status),
    ['passed', 'failed', 'broken'],
  );
  for (const r of results) {
    assert.ok(r.labels.some((l) => l.name === 'epic' && l.value === 'Suite strength'));
    assert.ok(r.labels.some((l) => l.name === 'feature' && l.value === 'near-miss'));
  }
});
