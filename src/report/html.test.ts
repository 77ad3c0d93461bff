import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { carryHistory, clearResults } from './html.ts';

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
