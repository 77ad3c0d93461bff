import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequirementIndex } from '../model/catalog.ts';
import { buildMatrix, matrixCsv, matrixHtml, type RunMetadata, withReportPages } from './matrix.ts';
import type { RequirementVerdict, ScenarioResult } from './verdicts.ts';

const index = new RequirementIndex({
  catalogue: 'c',
  version: '1',
  documents: { doc: { title: 'Some standard' } },
  requirements: ['CARD-A', 'CARD-B', 'CARD-C'].map((id) => ({
    id,
    area: 'card' as const,
    group: 'G',
    severity: 'critical' as const,
    title: `title of ${id}`,
    text: 't',
    source: { document: 'doc', clause: '5.1' },
  })),
});

const scenario = (name: string, requirements: string[], verdict: ScenarioResult['verdict'], reason?: string) =>
  ({
    pickleId: name,
    name,
    uri: 'features/x.feature',
    line: 3,
    requirements,
    verdict,
    steps: [],
    ...(reason ? { reason } : {}),
  }) as unknown as ScenarioResult;

const META: RunMetadata = {
  sampleId: 'S-1',
  target: 'sim',
  reader: 'r',
  atr: '3B 00',
  protocol: 'T=0',
  profile: { id: 'p', file: 'profiles/p.json', sha256: 'ab', specVersion: '2.00' },
  catalogue: { name: 'c', version: '1', sha256: 'cd' },
  tool: { version: '0.1.0' },
  started: '2026-01-01T00:00:00Z',
  finished: '2026-01-01T00:01:00Z',
};

test('the matrix: per requirement its verdict, the scenarios proving it with their evidence, the ones referencing it', () => {
  const verdicts = [
    { id: 'CARD-A', title: 'title of CARD-A', area: 'card', verdict: 'failed' },
    { id: 'CARD-B', title: 'title of CARD-B', area: 'card', verdict: 'no-scenario' },
    { id: 'CARD-C', title: 'title of CARD-C', area: 'card', verdict: 'passed' },
  ] as RequirementVerdict[];
  const scenarios = [
    scenario('one, "quoted"', ['CARD-A', 'CARD-B'], 'non-conforming', 'expected 6A82, card answered 9000'),
    scenario('two', ['CARD-C'], 'passed'),
  ];
  const m = buildMatrix(index, verdicts, scenarios, META, (s) => `allure-results/${s.name === 'two' ? 'u2' : 'u1'}-result.json`);
  assert.deepEqual(m.summary, {
    passed: 1,
    failed: 1,
    inconclusive: 0,
    'not-applicable': 0,
    'not-run': 0,
    'no-scenario': 1,
    'trace-check': 0,
  });
  assert.deepEqual(
    m.requirements.map((r) => [r.id, r.proving.map((s) => s.name), r.referencing.map((s) => s.name)]),
    [
      ['CARD-A', ['one, "quoted"'], []],
      ['CARD-B', [], ['one, "quoted"']],
      ['CARD-C', ['two'], []],
    ],
  );
  assert.equal(m.requirements[0]!.source, 'Some standard, 5.1');
  const csv = matrixCsv(m).split('\r\n');
  assert.equal(
    csv[1],
    'CARD-A,title of CARD-A,critical,"Some standard, 5.1",failed,"one, ""quoted""",features/x.feature:3,non-conforming,"expected 6A82, card answered 9000",allure-results/u1-result.json,',
  );
  assert.equal(csv[2], 'CARD-B,title of CARD-B,critical,"Some standard, 5.1",no-scenario,,,,,,');
  const html = matrixHtml(m, '../allure-report/index.html');
  assert.match(html, /<tr id="CARD-A" class="failed">/);
  assert.match(html, /<a href="..\/allure-results\/u1-result.json">one, &quot;quoted&quot;<\/a>/);
  assert.match(html, /requirement missing/);
  assert.match(html, /Requirements: 1 passed, 1 FAILED, 1 requirement missing\./);
});

test('once the report exists, each scenario links its page in the report, and its result file stays as evidence', () => {
  const verdicts = [{ id: 'CARD-C', title: 'title of CARD-C', area: 'card', verdict: 'passed' }] as RequirementVerdict[];
  const m = buildMatrix(index, verdicts, [scenario('two', ['CARD-C'], 'passed')], META, () => 'allure-results/u2-result.json');
  const linked = withReportPages(m, (s) =>
    s.evidence === 'allure-results/u2-result.json' ? 'allure-report/index.html#testresult/abc' : undefined,
  );
  assert.equal(linked.requirements[0]!.proving[0]!.report, 'allure-report/index.html#testresult/abc');
  assert.equal(m.requirements[0]!.proving[0]!.report, undefined, 'the matrix given is not changed');
  const html = matrixHtml(linked, '../allure-report/index.html');
  assert.match(html, /<a href="..\/allure-report\/index.html#testresult\/abc">two<\/a>/);
  assert.match(html, /<a class="v" href="..\/allure-results\/u2-result.json">result<\/a>/);
  assert.match(matrixCsv(linked).split('\r\n')[1]!, /,allure-results\/u2-result\.json,allure-report\/index\.html#testresult\/abc$/);
});

test('the card identity read by the pre-flight, the vendor and the COS are in the metadata shown', () => {
  const m = buildMatrix(index, [], [], {
    ...META,
    vendor: 'Vendor Co',
    cos: 'COS 4.1',
    identity: {
      ssse: { cardNumber: 'A10000010', cardIdCode: '31', specVersion: '2.00', cardType: '3' },
      keys: [{ name: 'MF/0', label: 'card master key', version: 1, kcv: 'AABBCC' }],
      notRead: ['the debit application: READ RECORD answered 6985'],
    },
  });
  const html = matrixHtml(m);
  assert.match(html, /<dt>Vendor<\/dt><dd>Vendor Co<\/dd><dt>COS<\/dt><dd>COS 4\.1<\/dd>/);
  assert.match(html, /<dt>Card identity \(read from the card\)<\/dt><dd>SSSE card number A10000010.*key versions MF\/0 v1<\/dd>/);
  assert.match(html, /Not read by the pre-flight<\/dt><dd>the debit application: READ RECORD answered 6985/);
});
