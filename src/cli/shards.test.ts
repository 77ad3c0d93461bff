/**
 * `ssc-lab run --parallel N`: the same verdicts, results and outputs as a
 * serial run, whatever process ran which scenario; a process that ends
 * before its share is done leaves that share not run, with why, never a
 * verdict on the card.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/json.ts';
import { SHARD_COMMAND, planShares } from './shards.ts';
import { defaultParallel } from './run.ts';

const BIN = join(PROJECT_ROOT, 'bin', 'ssc-lab.js');

/** About 230 scenarios: worth 2 processes and more (one per 40 scenarios). */
const SELECTION = ['features/card/ssse', 'features/key-management'];

function run(args: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'ssc-lab-shards-'));
  const r = spawnSync(process.execPath, [BIN, 'run', '--no-html', '--out', out, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { out, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Matrix = {
  requirements: { id: string; verdict: string; proving: { name: string; verdict: string; reason?: string; evidence?: string }[] }[];
};

/** What must not depend on how the run was split: each scenario's verdict and reason, in order. */
function verdicts(out: string) {
  const m = JSON.parse(readFileSync(join(out, 'matrix', 'matrix.json'), 'utf8')) as Matrix;
  return m.requirements.map((r) => ({ id: r.id, verdict: r.verdict, proving: r.proving.map(({ evidence: _e, ...s }) => s) }));
}

const junitCases = (out: string) =>
  [...readFileSync(join(out, 'junit.xml'), 'utf8').matchAll(/<testcase classname="([^"]*)" name="([^"]*)"[^>]*?(\/>|>\s*<(\w+))/g)].map(
    (m) => `${m[1]} | ${m[2]} | ${m[4] ?? 'passed'}`,
  );

test('a run split over 3 processes gives what the serial run gives: verdicts, JUnit, results, their index', () => {
  // a card with a defect: non-conforming scenarios must come out the same too
  const dir = mkdtempSync(join(tmpdir(), 'ssc-lab-shards-profile-'));
  const profile = join(dir, 'defect.json');
  writeFileSync(
    profile,
    JSON.stringify({
      id: 'shards-defect',
      extends: join(PROJECT_ROOT, 'profiles', 'default.json'),
      title: 'Reference card with a simulator defect',
      simulator: { defects: ['read-binary-ignores-offset'] },
    }),
  );
  const paths = ['features/card/read-binary.feature', ...SELECTION];
  const serial = run(['--quiet', '--parallel', '1', '--profile', profile, ...paths]);
  const split = run(['--parallel', '3', '--profile', profile, ...paths]);
  assert.equal(serial.code, 1, serial.stderr);
  assert.equal(split.code, 1, split.stderr);
  assert.deepEqual(verdicts(split.out), verdicts(serial.out));
  const cases = junitCases(serial.out);
  assert.ok(cases.length > 200, `${cases.length} JUnit test cases`);
  assert.ok(
    cases.some((c) => c.endsWith('| failure')),
    'the defect shows as failures',
  );
  assert.deepEqual(junitCases(split.out), cases);
  // every scenario's result written once, and indexed once in allure.out; nothing temporary left
  for (const r of [serial, split]) {
    const files = readdirSync(join(r.out, 'allure-results'));
    const results = files.filter((f) => f.endsWith('-result.json'));
    assert.equal(results.length, cases.length);
    assert.deepEqual(
      files.filter((f) => f.startsWith('.')),
      [],
    );
    const index = readFileSync(join(r.out, 'allure.out'), 'utf8').trim().split('\n');
    assert.deepEqual(index.map((l) => l.split('\t')[0]).sort(), results.sort());
    for (const f of results) assert.ok(existsSync(join(r.out, 'allure-results', f)));
  }
  // the progress line counts the scenarios of every process
  assert.match(split.stdout, new RegExp(`scenario ${cases.length} of ${cases.length}`));
});

/** The pids of the processes `pid` started (Linux). */
function childrenOf(pid: number): number[] {
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return [];
  return readdirSync(tasks).flatMap((t) => {
    try {
      return readFileSync(join(tasks, t, 'children'), 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  });
}

const commandLine = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
};

test('a process that ends before its share is done: its scenarios are not run, with why; the run says so and exits 1', {
  skip: process.platform !== 'linux' && 'needs /proc',
}, async () => {
  const out = mkdtempSync(join(tmpdir(), 'ssc-lab-shards-'));
  const child = spawn(process.execPath, [BIN, 'run', '--no-html', '--parallel', '2', '--out', out, ...SELECTION], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let killed = false;
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    // at the first progress line, the shard's process goes (launcher → run → shard)
    if (killed || !/scenario \d+ of/.test(stdout)) return;
    const shard = childrenOf(child.pid!)
      .flatMap(childrenOf)
      .find((p) => commandLine(p).includes(SHARD_COMMAND));
    if (shard) {
      process.kill(shard, 'SIGKILL');
      killed = true;
    }
  });
  const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
  assert.ok(killed, 'the shard process was found and stopped');
  assert.equal(code, 1, stderr);
  assert.match(stderr, /ssc-lab: run: the process of shard 2 of 2 was stopped by SIGKILL/);
  const m = JSON.parse(readFileSync(join(out, 'matrix', 'matrix.json'), 'utf8')) as Matrix;
  const scenarios = m.requirements.flatMap((r) => r.proving);
  const notRun = scenarios.filter((s) => s.verdict === 'not-run');
  assert.ok(notRun.length > 0, 'some of its share was not run');
  assert.ok(
    notRun.every((s) => /shard 2 of 2 was stopped by SIGKILL/.test(s.reason ?? '')),
    notRun[0]?.reason,
  );
  assert.equal(scenarios.filter((s) => s.verdict === 'non-conforming' || s.verdict === 'inconclusive').length, 0, 'no verdict on the card');
  assert.match(stdout, /NOT RUN/);
});

test('--parallel goes with the simulator; a bad count is a usage error', () => {
  const pcsc = spawnSync(process.execPath, [BIN, 'run', '--target', 'pcsc', '--parallel', '2'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(pcsc.status, 2);
  assert.match(pcsc.stderr, /^ssc-lab: run: --parallel 2 goes with --target sim/);
  const direct = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'cli', 'shard-main.ts')], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  assert.equal(direct.status, 2, 'a shard started outside a run says what it is');
  assert.match(direct.stderr, /a shard runs a share of an ssc-lab run's scenarios/);
});

test('shares of consecutive scenarios, as many in each as can be, as feature paths with the lines that select them', () => {
  const plan = [
    { uri: 'features/a.feature', line: 3 },
    { uri: 'features/a.feature', line: 9 },
    { uri: 'features/a.feature', line: 14 },
    { uri: 'features/b.feature', line: 4 },
    { uri: 'features/c.feature', line: 7 },
  ];
  const { paths, shareOf } = planShares(plan, 2);
  assert.deepEqual(paths, [['features/a.feature:3:9'], ['features/a.feature:14', 'features/b.feature:4', 'features/c.feature:7']]);
  assert.deepEqual(shareOf, [1, 1, 2, 2, 2]);
  assert.deepEqual(planShares(plan, 1).paths, [['features/a.feature:3:9:14', 'features/b.feature:4', 'features/c.feature:7']]);
  const many = planShares(plan, 5);
  assert.deepEqual(
    many.paths.map((p) => p.length),
    [1, 1, 1, 1, 1],
  );
});

test('by default one process per two cores, at most 4: a 2-core machine runs serially', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 8, 16].map((c) => defaultParallel(c)),
    [1, 1, 1, 2, 4, 4],
  );
});
