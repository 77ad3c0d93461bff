/**
 * End-to-end: a run stopped by SIGINT or SIGTERM, as CI or an impatient
 * operator stops it. It must exit 130 / 143 (never 0), leave only valid
 * results (every result file whole, JUnit a closed document), leave no child
 * process behind (the Java report renderer), and `ssc-lab report DIR` must
 * render what it wrote.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/json.ts';

const BIN = join(PROJECT_ROOT, 'bin', 'ssc-lab.js');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a run into a new directory; resolves with its exit code and output once it ends. */
function start(args: string[]): { out: string; child: ChildProcess; ended: Promise<{ code: number | null; stderr: string }> } {
  const out = mkdtempSync(join(tmpdir(), 'ssc-lab-interrupt-'));
  const child = spawn(process.execPath, [BIN, 'run', '--quiet', '--out', out, ...args], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<{ code: number | null; stderr: string }>((done) => child.on('exit', (code) => done({ code, stderr })));
  return { out, child, ended };
}

async function until(what: string, check: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const results = (out: string) => {
  const dir = join(out, 'allure-results');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('-result.json')) : [];
};

/** Processes whose command line names `text`. */
function processesNaming(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(join('/proc', pid, 'cmdline'), 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(text)) found.push(`${pid}: ${cmd.slice(0, 120)}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test(`a run stopped by ${signal} exits ${code}, its results so far whole, JUnit closed, and renderable later`, async () => {
    const run = start(['--no-html']);
    await until('the first results', () => results(run.out).length >= 5);
    run.child.kill(signal);
    const { code: exit, stderr } = await run.ended;
    assert.equal(exit, code, stderr);
    assert.match(stderr, new RegExp(`interrupted by ${signal} after \\d+ of \\d+ scenarios`));
    const files = readdirSync(join(run.out, 'allure-results'));
    assert.deepEqual(
      files.filter((f) => f.endsWith('.tmp')),
      [],
      'no file half-written',
    );
    for (const f of files.filter((x) => x.endsWith('.json'))) JSON.parse(readFileSync(join(run.out, 'allure-results', f), 'utf8'));
    const junit = readFileSync(join(run.out, 'junit.xml'), 'utf8');
    const cases = junit.match(/<testcase /g)?.length ?? 0;
    assert.ok(cases >= 5, `${cases} test cases in JUnit`);
    assert.match(junit.trim(), /<\/testsuite>$/, 'JUnit is a closed document');
    assert.match(
      readFileSync(join(run.out, 'allure-results', 'environment.properties'), 'utf8'),
      new RegExp(`^Interrupted=${signal} after`, 'm'),
    );
    if (signal === 'SIGTERM') {
      const report = spawnSync(process.execPath, [BIN, 'report', run.out], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 300_000 });
      assert.equal(report.status, 0, report.stderr);
      assert.ok(existsSync(join(run.out, 'allure-report', 'index.html')));
    }
  });
}

test('a run split over processes, stopped by SIGTERM: 143, no shard process left, nothing of the last results left aside', async () => {
  const run = start(['--no-html', '--parallel', '2']);
  await until('the first results', () => results(run.out).length >= 5);
  const { code: exit, stderr } = await run.ended;
  // a first run has no last results to set aside: run again into the same directory, and stop that one
  assert.equal(exit, 0, stderr);
  const again = spawn(process.execPath, [BIN, 'run', '--quiet', '--no-html', '--parallel', '2', '--out', run.out], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  again.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ended = new Promise<number | null>((done) => again.on('exit', (c) => done(c)));
  await until('the pool of the last results', () => readdirSync(run.out).some((f) => f.startsWith('allure-results.old-')));
  await sleep(300);
  again.kill('SIGTERM');
  assert.equal(await ended, 143, err);
  assert.match(err, /interrupted by SIGTERM after \d+ of \d+ scenarios/);
  await until('no shard process', () => processesNaming(run.out).length === 0 && processesNaming('__shard').length === 0, 10_000);
  assert.deepEqual(
    readdirSync(run.out).filter((f) => f.startsWith('allure-results.old-')),
    [],
  );
  for (const f of readdirSync(join(run.out, 'allure-results')).filter((x) => x.endsWith('.json')))
    JSON.parse(readFileSync(join(run.out, 'allure-results', f), 'utf8'));
});

test('a run stopped while the report renders leaves no Java process behind', async () => {
  const run = start(['features/card/select.feature']);
  await until('the report renderer', () => processesNaming(`${run.out}/allure-report`).length > 0);
  run.child.kill('SIGTERM');
  const { code } = await run.ended;
  assert.equal(code, 143);
  await sleep(500);
  assert.deepEqual(processesNaming(run.out), [], 'nothing started by the run is left');
});

test('ssc-lab report on a directory without results is a usage error', () => {
  const empty = mkdtempSync(join(tmpdir(), 'ssc-lab-interrupt-'));
  const r = spawnSync(process.execPath, [BIN, 'report', empty], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^ssc-lab: report: no results in .*allure-results/);
});
