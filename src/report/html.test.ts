import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { carryHistory, generateHtml, reportPages } from './html.ts';
import { RESULT_LABEL } from './allure.ts';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** A single-file report as Allure writes it: each data file embedded as d('<path>','<base64>'). */
function singleFileReport(files: Record<string, string>): string {
  const entries = Object.entries(files).map(([path, base64]) => `        d('${path}','${base64}'),`);
  return [
    '<!DOCTYPE html>',
    '<html dir="ltr" lang="en">',
    '<head><meta charset="utf-8"><title>ssc-lab conformance report — sample S1</title></head>',
    '<body>',
    '    <script async>',
    '        function d(name, value){',
    '            return new Promise(function (resolve) {window.reportData[name] = value;resolve(true)});',
    '        }',
    '    </script>',
    '    <script defer>',
    '      Promise.allSettled([',
    ...entries,
    '      ]).then(function(){window.reportDataReady = true;})',
    '    </script>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function reportDirWith(html: string): string {
  const report = join(mkdtempSync(join(tmpdir(), 'ssc-report-')), 'allure-report');
  mkdirSync(report);
  writeFileSync(join(report, 'index.html'), html);
  return report;
}

test("the last single-file report's history goes into the results, so the new report continues its trend", () => {
  const trend = '[{"buildOrder":1,"data":{"passed":3}}]';
  const history = '{"a1b2":{"statistic":{"passed":1},"items":[{"uid":"x","status":"passed"}]}}';
  const report = reportDirWith(
    singleFileReport({
      'history/history-trend.json': b64(trend),
      'history/history.json': b64(history),
      'history/retry-trend.json': b64('[{"data":'),
      'history/../escaped.json': b64('[]'),
      'history/sub/deeper.json': b64('[]'),
      'data/test-cases/a1.json': b64('{"uid":"a1"}'),
      'widgets/history-trend.json': b64('[]'),
    }),
  );
  const results = join(report, '..', 'allure-results');
  mkdirSync(results);
  carryHistory(results, report);
  assert.deepEqual(readdirSync(join(results, 'history')).sort(), ['history-trend.json', 'history.json']);
  assert.equal(readFileSync(join(results, 'history', 'history-trend.json'), 'utf8'), trend);
  assert.equal(readFileSync(join(results, 'history', 'history.json'), 'utf8'), history);
  assert.ok(!existsSync(join(results, 'escaped.json')), 'no file is written outside history/');
});

test('the history/ directory of a report of several files (before the report was one file) is carried too', () => {
  const root = mkdtempSync(join(tmpdir(), 'ssc-history-'));
  const report = join(root, 'allure-report');
  const results = join(root, 'allure-results');
  mkdirSync(join(report, 'history'), { recursive: true });
  mkdirSync(results);
  // such a report's index.html loads its data with fetch: nothing embedded
  writeFileSync(join(report, 'index.html'), '<!DOCTYPE html><html><body><script src="app.js"></script></body></html>');
  writeFileSync(join(report, 'history', 'history-trend.json'), '[{"data":{"passed":3}}]');
  carryHistory(results, report);
  assert.equal(readFileSync(join(results, 'history', 'history-trend.json'), 'utf8'), '[{"data":{"passed":3}}]');
  carryHistory(join(root, 'elsewhere'), join(root, 'no-report'));
  assert.ok(!existsSync(join(root, 'elsewhere')), 'no report, no history: nothing is made');
  carryHistory(join(root, 'elsewhere'), reportDirWith(singleFileReport({ 'history/history-trend.json': b64('not json') })));
  assert.ok(!existsSync(join(root, 'elsewhere')), 'no history that decodes: nothing is made');
});

test("each result's page in a single-file report, found through the label carrying the result's uuid", () => {
  const testCase = (uid: string, name: string, labels: { name: string; value: string }[]) => b64(JSON.stringify({ uid, name, labels }));
  const report = reportDirWith(
    singleFileReport({
      'data/test-cases/a1.json': testCase('a1', 'CARD-SEL-01 · SELECT', [{ name: RESULT_LABEL, value: 'uuid-1' }]),
      'data/test-cases/b2.json': testCase('b2', 'no result label', [{ name: 'story', value: 'x' }]),
      'data/test-cases/c3.json': b64('{ not json'),
      'data/test-cases/d4.json': '%%%',
      'data/test-cases/e5.json': testCase('e5', '读取社会保障卡基本信息 — 卡号', [
        { name: 'epic', value: '社保应用' },
        { name: RESULT_LABEL, value: 'uuid-5' },
      ]),
      'data/attachments/f6.txt': testCase('f6', 'an attachment, no test case', [{ name: RESULT_LABEL, value: 'uuid-6' }]),
    }),
  );
  assert.deepEqual([...reportPages(report)].sort(), [
    ['uuid-1', '#testresult/a1'],
    ['uuid-5', '#testresult/e5'],
  ]);
  assert.equal(reportPages(join(report, 'none')).size, 0);
});

const java = spawnSync('java', ['-version'], { stdio: 'ignore' });

/** A scenario's result as the run writes it, with the label that links it to its page. */
function resultFile(dir: string, uuid: string, name: string, status: string): void {
  const result = {
    uuid,
    historyId: `history-${name}`,
    testCaseId: `case-${name}`,
    name,
    fullName: `ssc-lab:features/x.feature#${name}`,
    status,
    stage: 'finished',
    start: 1_700_000_000_000,
    stop: 1_700_000_000_250,
    labels: [
      { name: 'story', value: `REQ-${name}` },
      { name: RESULT_LABEL, value: uuid },
    ],
    steps: [],
    attachments: [],
    parameters: [],
  };
  writeFileSync(join(dir, `${uuid}-result.json`), JSON.stringify(result));
}

test('the Java generator writes index.html alone, with the pages and the history, and the next report continues it', {
  skip: java.status === 0 ? false : 'no Java on this machine (allure-commandline needs Java 8+)',
  timeout: 180_000,
}, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'ssc-allure-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const results = join(root, 'allure-results');
  const report = join(root, 'allure-report');
  mkdirSync(results);
  resultFile(results, '11111111-1111-4111-8111-111111111111', 'one', 'passed');
  resultFile(results, '22222222-2222-4222-8222-222222222222', 'two', 'failed');
  // what a report of several files leaves there
  mkdirSync(join(report, 'data', 'test-cases'), { recursive: true });
  mkdirSync(join(report, 'widgets'));
  writeFileSync(join(report, 'data', 'test-cases', 'old.json'), '{}');
  writeFileSync(join(report, 'widgets', 'summary.json'), '{}');

  assert.deepEqual(await generateHtml(results, report), { ok: true });
  assert.deepEqual(readdirSync(report), ['index.html'], 'one file, the last report gone');
  const pages = reportPages(report);
  assert.deepEqual([...pages.keys()].sort(), ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222']);
  for (const route of pages.values()) assert.match(route, /^#testresult\/[0-9a-f]+$/);
  const html = readFileSync(join(report, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /googletagmanager/, 'the page calls no third party');

  const trendOf = () => {
    const scratch = mkdtempSync(join(root, 'carried-'));
    carryHistory(scratch, report);
    return JSON.parse(readFileSync(join(scratch, 'history', 'history-trend.json'), 'utf8')) as unknown[];
  };
  assert.equal(trendOf().length, 1);
  assert.deepEqual(await generateHtml(results, report), { ok: true });
  assert.equal(trendOf().length, 2, "the second report's trend continues the first's");
  assert.deepEqual(readdirSync(report), ['index.html']);
});
