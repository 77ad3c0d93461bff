/** `ssc-lab lab-key` and `ssc-lab verify` end to end: a signed run's dossier, then a byte changed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/json.ts';

const BIN = join(PROJECT_ROOT, 'bin', 'ssc-lab.js');

function ssc(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('a run signs its dossier with the lab key; verify says valid, then names the one result changed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-lab-dossier-'));
  const keyDir = join(dir, 'key');
  const init = ssc(['lab-key', 'init', '--lab', '某检测实验室', '--dir', keyDir]);
  assert.equal(init.code, 0, init.stderr);
  assert.equal(statSync(join(keyDir, 'lab.key.pem')).mode & 0o777, 0o600);
  assert.equal(ssc(['lab-key', 'init', '--lab', 'again', '--dir', keyDir]).code, 2, 'an existing key is not replaced without --force');
  const show = ssc(['lab-key', 'show', '--dir', keyDir]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^某检测实验室\nSHA-256 fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}\n/);
  assert.equal(ssc(['lab-key', 'show', '--dir', join(dir, 'none')]).code, 2, 'no key there: a usage error');
  const out = join(dir, 'run');
  const run = ssc(['run', '--no-html', '--quiet', '--out', out, '--lab-key', keyDir, 'features/card/select.feature']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /dossier +\S+ \(\d+ files, signed by 某检测实验室; summary\.html/);
  const ok = ssc(['verify', out]);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /signature +valid, by 某检测实验室/);
  const result = readdirSync(join(out, 'allure-results')).find((f) => f.endsWith('-result.json'))!;
  appendFileSync(join(out, 'allure-results', result), ' ');
  const bad = ssc(['verify', join(out, 'dossier'), '--cert', join(keyDir, 'lab.cert.pem')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, new RegExp(`changed +allure-results/${result}`));
  assert.match(bad.stdout, /NOT VALID: 1 changed, 0 added, 0 removed/);
  assert.equal(ssc(['verify', dir]).code, 2, 'a directory without a dossier is a usage error');
});

test('a run without a lab key leaves an unsigned dossier and says so; verify does not call it valid', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-lab-dossier-'));
  const out = join(dir, 'run');
  const run = ssc(['run', '--no-html', '--quiet', '--out', out, 'features/card/atr.feature'], { SSC_LAB_KEY_DIR: join(dir, 'none') });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /dossier .*NOT SIGNED: no lab key/);
  const v = ssc(['verify', out]);
  assert.equal(v.code, 1);
  assert.match(v.stdout, /signature +none/);
});

test('a run with an ICS that excludes the financial application: its requirements not applicable, the ICS item as the reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-lab-ics-'));
  const out = join(dir, 'run');
  const run = ssc([
    'run',
    '--no-html',
    '--quiet',
    '--out',
    out,
    '--ics',
    'ics/ssse-only.json',
    'features/card/pse/selection.feature',
    'features/card/atr.feature',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const coverage = JSON.parse(readFileSync(join(out, 'coverage.json'), 'utf8')) as { id: string; verdict: string }[];
  assert.equal(coverage.find((r) => r.id === 'CARD-PBOC-SEL-01')?.verdict, 'not-applicable');
  assert.equal(coverage.find((r) => r.id === 'CARD-ATR-01')?.verdict, 'passed');
  const matrix = JSON.parse(readFileSync(join(out, 'matrix', 'matrix.json'), 'utf8')) as {
    metadata: { ics?: { id: string } };
    requirements: { id: string; proving: { reason?: string }[] }[];
  };
  assert.equal(matrix.metadata.ics?.id, 'example-ssse-only');
  assert.equal(
    matrix.requirements.find((r) => r.id === 'CARD-PBOC-SEL-01')?.proving[0]?.reason,
    'ICS example-ssse-only: applications.pboc not claimed',
  );
  // a bad ICS: one line naming the file and the JSON path, exit 2, nothing run
  const bad = join(dir, 'bad-ics.json');
  writeFileSync(bad, JSON.stringify({ ...JSON.parse(readFileSync(join(PROJECT_ROOT, 'ics', 'ssse-only.json'), 'utf8')), suites: ['des'] }));
  const refused = ssc(['run', '--no-html', '--quiet', '--out', join(dir, 'bad'), '--ics', bad, 'features/card/atr.feature']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /bad-ics\.json.*\/suites\/0/);
});
