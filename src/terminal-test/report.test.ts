import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Exchange } from '../channel/recorder.ts';
import { loadCatalogue } from '../model/catalog.ts';
import { fromHex } from '../core/bytes.ts';
import { environmentProperties } from '../report/allure.ts';
import { CHECKS, evaluate } from './checks.ts';
import { RESULT_PREFIX, parseEnvironmentProperties, terminalPrefix, writeTerminalResults } from './report.ts';
import type { CardRun } from './runner.ts';

const index = loadCatalogue();

function exchange(seq: number, kind: 'reset' | 'apdu', command: string, response: string): Exchange {
  return { seq, kind, at: 1000 + seq, durationMs: 1, command: fromHex(command), response: fromHex(response) };
}

/** A terminal that selects the PSE, then presents a PIN (VERIFY with data, to be masked). */
function cardRun(over: Partial<CardRun> = {}): CardRun {
  const trace = [
    exchange(1, 'reset', '', '3B6800000073C84013009000'),
    exchange(2, 'apdu', '00A404000E315041592E5359532E444446303100', '9000'),
    exchange(3, 'apdu', '0020008008241234FFFFFFFFFF', '9000'),
  ];
  const card = { id: 'good-2.0-des', profile: 'x.json', description: 'good card', expect: { ssse: 'any', pse: 'accept' } as const };
  const run: CardRun = {
    card,
    profileFile: '/x.json',
    atr: '3B 68',
    protocol: 'T=0',
    trace,
    exitCode: 0,
    stdout: 'approved\n',
    stderr: '',
    started: 1,
    stopped: 2,
    checks: [],
  };
  run.checks = evaluate({ card: trace, protocol: 'T=0', expect: card.expect, exitCode: 0 });
  return { ...run, ...over };
}

const ctx = (environment: Record<string, string> = { 'Terminal under test': 'term --x' }) => ({
  index,
  terminal: 'reference',
  command: 'term --x',
  showSecrets: false,
  environment,
});

test('environment.properties written by the report reads back, escapes included', () => {
  const env = {
    'Terminal under test': 'sh -c "a=b: c"',
    'Card reader': 'Virtual PCD 00 00',
    名称: '社保卡\nline two',
    'back\\slash': ' leading space',
  };
  assert.deepEqual(parseEnvironmentProperties(environmentProperties(env)), env);
  assert.deepEqual(parseEnvironmentProperties('# comment\n\nkey=value\n'), { key: 'value' });
});

test('one Allure result per card and check, in the requirement tree, with the traces attached and the PIN masked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-tt-'));
  const written = writeTerminalResults(dir, [cardRun()], ctx());
  assert.equal(written.results, CHECKS.length);
  assert.equal(written.passed + written.failed + written.broken + written.notApplicable, CHECKS.length);
  const results = readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  assert.equal(results.length, CHECKS.length);
  const select = results.find((r) => r.parameters.some((p: { value: string }) => p.value === 'select-first'));
  assert.equal(select.status, 'passed');
  assert.ok(select.labels.some((l: { name: string; value: string }) => l.name === 'tag' && l.value === '@req:TERM-IF-01'));
  assert.ok(
    select.labels.some((l: { name: string; value: string }) => l.name === 'epic'),
    'requirement tree labels',
  );
  const trace = readFileSync(join(dir, select.attachments[0].source), 'utf8');
  assert.match(trace, /masked/);
  assert.doesNotMatch(trace, /241234FFFFFFFFFF/);
  assert.ok(
    readdirSync(dir).every(
      (f) => f.startsWith(RESULT_PREFIX) || ['environment.properties', 'categories.json', 'executor.json'].includes(f),
    ),
  );
});

test('a card that could not be judged gives broken results for every check, with the reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-tt-'));
  const written = writeTerminalResults(dir, [cardRun({ broken: 'the terminal sent no command to the card', checks: [] })], ctx());
  assert.equal(written.broken, CHECKS.length);
  const r = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('-result.json'))!), 'utf8'));
  assert.equal(r.status, 'broken');
  assert.equal(r.statusDetails.message, 'the terminal sent no command to the card');
});

test('a later test of a terminal replaces its own results and keeps those of other terminals, of a card run and its environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-tt-'));
  writeFileSync(join(dir, 'abc-result.json'), '{}');
  writeFileSync(join(dir, 'environment.properties'), environmentProperties({ 'Sample id': 'S-001', 'Terminal under test': 'old' }));
  const results = () => readdirSync(dir).filter((f) => f.startsWith(RESULT_PREFIX) && f.endsWith('-result.json'));
  writeTerminalResults(dir, [cardRun()], ctx());
  writeTerminalResults(dir, [cardRun()], ctx({ 'Terminal under test': 'term --x' }));
  assert.ok(readdirSync(dir).includes('abc-result.json'));
  assert.equal(results().length, CHECKS.length);
  assert.ok(results().every((f) => f.startsWith(terminalPrefix('reference'))));
  writeTerminalResults(dir, [cardRun()], { ...ctx({ 'Terminal: other': 'other --y' }), terminal: 'other' });
  assert.equal(results().length, 2 * CHECKS.length);
  assert.deepEqual(parseEnvironmentProperties(readFileSync(join(dir, 'environment.properties'), 'utf8')), {
    'Sample id': 'S-001',
    'Terminal under test': 'term --x',
    'Terminal: other': 'other --y',
  });
});
