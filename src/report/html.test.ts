import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { carryHistory, clearResults, reportPages } from './html.ts';
import { RESULT_LABEL } from './allure.ts';

test("a card run clears its last results, not another tool's nor the history", () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-results-'));
  for (const f of ['a-result.json', 'a-attachment.txt', 'terminal-test-1234-x-result.json', 'environment.properties'])
    writeFileSync(join(dir, f), '{}');
  mkdirSync(join(dir, 'history'));
  writeFileSync(join(dir, 'history', 'history.json'), '{}');
  clearResults(dir, (f) => f.startsWith('terminal-test-'));
  assert.deepEqual(readdirSync(dir).sort(), ['history', 'terminal-test-1234-x-result.json']);
  assert.ok(existsSync(join(dir, 'history', 'history.json')));
});

test('clearing replaces the directory, removes what an interrupted clearing left aside, and makes one that was missing', () => {
  const root = mkdtempSync(join(tmpdir(), 'ssc-results-'));
  const dir = join(root, 'allure-results');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a-result.json'), '{}');
  const before = statSync(dir).ino;
  mkdirSync(join(root, 'allure-results.old-1'));
  writeFileSync(join(root, 'allure-results.old-1', 'b-result.json'), '{}');
  writeFileSync(join(root, 'allure-results.txt'), 'not ours');
  clearResults(dir, () => false);
  assert.notEqual(statSync(dir).ino, before, 'a new directory');
  assert.deepEqual(readdirSync(root).sort(), ['allure-results', 'allure-results.txt']);
  assert.deepEqual(readdirSync(dir), []);
  clearResults(join(root, 'new', 'allure-results'), () => false);
  assert.deepEqual(readdirSync(join(root, 'new', 'allure-results')), []);
});

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
