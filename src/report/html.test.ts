import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { carryHistory, reportPages } from './html.ts';
import { RESULT_LABEL } from './allure.ts';

test("the last report's history goes into the results, so the new report continues its trend", () => {
  const root = mkdtempSync(join(tmpdir(), 'ssc-history-'));
  const report = join(root, 'allure-report');
  const results = join(root, 'allure-results');
  mkdirSync(join(report, 'history'), { recursive: true });
  mkdirSync(results);
  writeFileSync(join(report, 'history', 'history-trend.json'), '[{"data":{"passed":3}}]');
  carryHistory(results, report);
  assert.equal(readFileSync(join(results, 'history', 'history-trend.json'), 'utf8'), '[{"data":{"passed":3}}]');
  carryHistory(join(root, 'elsewhere'), join(root, 'no-report'));
  assert.ok(!existsSync(join(root, 'elsewhere')), 'no report, no history: nothing is made');
});

test("each result's page in a generated report, found through the label carrying the result's uuid", () => {
  const report = mkdtempSync(join(tmpdir(), 'ssc-report-'));
  const cases = join(report, 'data', 'test-cases');
  mkdirSync(cases, { recursive: true });
  writeFileSync(join(cases, 'a1.json'), JSON.stringify({ uid: 'a1', labels: [{ name: RESULT_LABEL, value: 'uuid-1' }] }));
  writeFileSync(join(cases, 'b2.json'), JSON.stringify({ uid: 'b2', labels: [{ name: 'story', value: 'x' }] }));
  writeFileSync(join(cases, 'c3.json'), '{ not json');
  assert.deepEqual([...reportPages(report)], [['uuid-1', '#testresult/a1']]);
  assert.equal(reportPages(join(report, 'none')).size, 0);
});
