/**
 * Bad input to every command, as a user gives it, in a child process: exit
 * code 2 and one line on stderr naming the problem (the flag; for data the
 * file and its JSON path), before anything runs — no stack trace, no hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/json.ts';
import type { DfJson, EfJson, Profile } from '../model/profile.ts';
import { lockHolder } from './out-dir.test-kit.ts';

const BIN = join(PROJECT_ROOT, 'bin', 'ssc-lab.js');
const DIR = mkdtempSync(join(tmpdir(), 'ssc-bad-input-'));
/** The locks of these tests, apart from those of real runs. */
const ENV = { ...process.env, SSC_LAB_LOCK_DIR: join(DIR, 'locks') };

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function ssc(args: string[], timeoutMs = 60_000, env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: PROJECT_ROOT,
      env: { ...ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // a command that hangs is stopped (the launcher passes SIGTERM on to the command), and fails its case
    let hung = false;
    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (code: number | null) => {
      if (finished) return;
      finished = true;
      for (const t of timers) clearTimeout(t);
      done(hung ? { code: null, stdout, stderr: `${stderr}(hung: stopped after ${timeoutMs} ms)` } : { code, stdout, stderr });
    };
    timers.push(
      setTimeout(() => {
        hung = true;
        child.kill('SIGTERM');
        timers.push(
          setTimeout(() => {
            child.kill('SIGKILL');
            // a grandchild may hold the pipes open: do not wait for them
            timers.push(setTimeout(() => finish(null), 2000));
          }, 5000),
        );
      }, timeoutMs),
    );
    child.on('close', (code) => finish(code));
  });
}

/** Runs the cases two at a time; each must end with exit code 2 and one line matching its pattern. */
async function expectUsageErrors(cases: readonly [string[], RegExp][]): Promise<void> {
  const failures: string[] = [];
  const queue = [...cases];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const [args, expected] = c;
      const r = await ssc(args);
      const lines = r.stderr.trim().split('\n');
      if (r.code !== 2 || lines.length !== 1 || !expected.test(lines[0]!))
        failures.push(
          `ssc-lab ${args.map((a) => JSON.stringify(a)).join(' ')}: exit ${r.code}, stderr ${JSON.stringify(r.stderr.slice(0, 300))}`,
        );
    }
  };
  await Promise.all([worker(), worker()]);
  assert.deepEqual(failures, []);
}

const FILE = join(DIR, 'a-file');
writeFileSync(FILE, 'not a directory');

/** The default profile as a file of its own, changed by `change`. */
function profile(name: string, change: (p: Profile) => void): string {
  const p = JSON.parse(readFileSync(join(PROJECT_ROOT, 'profiles', 'default.json'), 'utf8')) as Profile;
  p.keyset = join(PROJECT_ROOT, 'profiles', p.keyset);
  change(p);
  const file = join(DIR, `${name}.json`);
  writeFileSync(file, JSON.stringify(p));
  return file;
}

test('run: --tags, --out, --parallel and the other flags are checked before anything runs', async () => {
  await expectUsageErrors([
    [
      ['run', '--tags', '@req:NO-SUCH-REQ'],
      /^ssc-lab: run: --tags "@req:NO-SUCH-REQ": @req:NO-SUCH-REQ names no requirement of the catalogue$/,
    ],
    [['run', '--tags', '@req:CARD-ATR-01 and ('], /^ssc-lab: run: --tags "@req:CARD-ATR-01 and \(": not a tag expression: Unmatched \($/],
    [['run', '--tags', '@req:CARD-ATR-01 and @req:CARD-SEL-02'], /^ssc-lab: run: --tags ".*" selects no scenario$/],
    [['run', '--tags', '@smoke'], /--tags "@smoke": @smoke is no tag of a scenario/],
    [['run', '--out', FILE], /^ssc-lab: run: --out .*a-file: is a file, not a directory$/],
    [['run', '--out', join(FILE, 'sub')], /^ssc-lab: run: --out .*a-file\/sub: .*a-file is a file, not a directory$/],
    [['run', '--out', '/sys/ssc-lab'], /^ssc-lab: run: --out \/sys\/ssc-lab: is under \/sys/],
    [['run', '--out', '/proc/ssc-lab'], /^ssc-lab: run: --out \/proc\/ssc-lab: is under \/proc/],
    [['run', '--out', ''], /^ssc-lab: run: --out is empty$/],
    [['run', '--parallel', ''], /^ssc-lab: run: --parallel is empty$/],
    [['run', '--parallel', '0x2'], /^ssc-lab: run: --parallel takes a whole number from 0 to 16 \(processes\), got "0x2"$/],
    [['run', '--profile', ''], /^ssc-lab: run: --profile is empty$/],
    [['run', '--sample-id', ' '], /^ssc-lab: run: --sample-id is empty$/],
    [['run', 'features/card/no-such.feature'], /^ssc-lab: run: FEATURE features\/card\/no-such\.feature: no such file or directory$/],
    [['run', '--lab-key', join(DIR, 'no-key-here')], /^ssc-lab: run: --lab-key .*no-key-here: no lab key there/],
  ]);
});

test('mutation, terminal-test, sim serve, lab-key: --out and numbers are checked the same way', async () => {
  await expectUsageErrors([
    [['mutation', '--list', '--out', FILE], /^ssc-lab: mutation: --out .*a-file: is a file, not a directory$/],
    [['mutation', '--list', '--out', '/proc/ssc-lab'], /^ssc-lab: mutation: --out \/proc\/ssc-lab: is under \/proc/],
    [['mutation', '--out', '', '--list'], /^ssc-lab: mutation: --out is empty$/],
    [['mutation', '--list', '--parallel', '0x2'], /^ssc-lab: mutation: --parallel takes a whole number from 1 to 16/],
    [['mutation', '--list', '--only', ''], /^ssc-lab: mutation: --only is empty$/],
    [['terminal-test', '--terminal', 'true', '--out', FILE], /^ssc-lab: terminal-test: --out .*a-file: is a file, not a directory$/],
    [
      ['terminal-test', '--terminal', 'true', '--timeout', '0x10'],
      /^ssc-lab: terminal-test: --timeout takes a whole number from 1 to 3600/,
    ],
    [['terminal-test', '--terminal', 'true', '--name', ''], /^ssc-lab: terminal-test: --name is empty$/],
    [['sim', 'serve', '--vpcd', '--remove-after', ''], /^ssc-lab: sim serve: --remove-after is empty$/],
    [['sim', 'serve', '--vpcd', '--remove-after', '0x1'], /^ssc-lab: sim serve: --remove-after takes a whole number/],
    [['lab-key', 'init', '--lab', 'x', '--dir', '/proc/ssc-lab'], /^ssc-lab: lab-key init: --dir \/proc\/ssc-lab: is under \/proc/],
    [['lab-key', 'init', '--lab', 'x', '--dir', FILE], /^ssc-lab: lab-key init: --dir .*a-file: is a file, not a directory$/],
    [['lab-key', 'init', '--lab', ''], /^ssc-lab: lab-key init: --lab is empty$/],
  ]);
});

test('profiles: what personalisation would fail on is refused at load with the file and JSON path', async () => {
  const ssse = (p: Profile) => p.fileSystem.children[3] as DfJson;
  const ef = (p: Profile, i: number) => ssse(p).children![i] as EfJson;
  const adf = (p: Profile) => (p.fileSystem.children[4] as DfJson).children![2] as DfJson;
  await expectUsageErrors([
    [
      [
        'perso',
        'script',
        '--profile',
        profile('big-ef', (p) => {
          ef(p, 2).data = '00'.repeat(1 << 20);
        }),
      ],
      /^ssc-lab: .*big-ef\.json: \/fileSystem\/children\/3\/children\/2\/data: 1048576 bytes, a transparent EF has at most 32768/,
    ],
    [
      [
        'perso',
        'run',
        '--profile',
        profile('long-record', (p) => {
          (p.fileSystem.children[2] as EfJson).records![1] = '00'.repeat(9);
        }),
      ],
      /^ssc-lab: .*long-record\.json: \/fileSystem\/children\/2\/records\/1: 9 bytes, but the records of EF 0016/,
    ],
    [
      [
        'terminal',
        'social-security',
        '--profile',
        profile('dup-fid', (p) => {
          ef(p, 3).fid = 'EF0A';
        }),
      ],
      /^ssc-lab: .*dup-fid\.json: \/fileSystem\/children\/3\/children\/3\/fid: DF DDF1 holds FID EF0A already/,
    ],
    [
      [
        'run',
        '--profile',
        profile('dup-sfi', (p) => {
          ef(p, 3).sfi = 10;
        }),
      ],
      /^ssc-lab: .*dup-sfi\.json: \/fileSystem\/children\/3\/children\/3\/sfi: DF DDF1 holds SFI 10 already/,
    ],
    [
      [
        'perso',
        'script',
        '--profile',
        profile('expiry', (p) => {
          adf(p).pboc!.expiry = '301232';
        }),
      ],
      /^ssc-lab: .*expiry\.json: \/fileSystem\/children\/4\/children\/2\/pboc\/expiry: "301232" is not a calendar date YYMMDD$/,
    ],
    [
      [
        'perso',
        'script',
        '--profile',
        profile('ssn', (p) => {
          p.basicData!.ssn = '31010119800101001';
        }),
      ],
      /^ssc-lab: .*ssn\.json: \/basicData\/ssn: must NOT have fewer than 18 characters$/,
    ],
    [['perso', 'script', '--profile', ''], /^ssc-lab: perso script: --profile is empty$/],
  ]);
});

test('terminal, keys, compare, verify, --version: bad values are one line each', async () => {
  const emptyA = join(DIR, 'empty-a');
  const emptyB = join(DIR, 'empty-b');
  mkdirSync(emptyA);
  mkdirSync(emptyB);
  const brokenRun = join(DIR, 'broken-run');
  mkdirSync(join(brokenRun, 'allure-results'), { recursive: true });
  writeFileSync(join(brokenRun, 'allure-results', '1-result.json'), JSON.stringify({ fullName: 'f#one', status: 'passed' }));
  writeFileSync(join(brokenRun, 'coverage.json'), '{ not json');
  const notCert = join(DIR, 'not-a-cert.pem');
  writeFileSync(notCert, 'hello');
  const brokenKey = join(DIR, 'broken-key');
  mkdirSync(brokenKey);
  writeFileSync(join(brokenKey, 'lab.key.pem'), 'not a key');
  writeFileSync(join(brokenKey, 'lab.cert.pem'), 'not a certificate');
  await expectUsageErrors([
    [
      ['terminal', 'purchase', '--amount', '1000', '--pin', 'abc'],
      /^ssc-lab: terminal purchase: --pin takes a PIN: 4 to 12 digits, got "abc"$/,
    ],
    [
      ['terminal', 'purchase', '--amount', '1000', '--pin', '1'.repeat(20)],
      /^ssc-lab: terminal purchase: --pin takes a PIN: 4 to 12 digits/,
    ],
    [
      ['terminal', 'social-security', '--today', '20231301'],
      /^ssc-lab: terminal social-security: --today takes a calendar date YYYYMMDD, got "20231301"$/,
    ],
    [
      ['terminal', 'purchase', '--amount', 'abc'],
      /^ssc-lab: terminal purchase: --amount takes the amount in the minor unit: 1 to 12 digits, got "abc"$/,
    ],
    [['terminal', 'purchase', '--amount', '1000', '--reader', 'x'], /^ssc-lab: terminal: --reader goes with --target pcsc$/],
    [['terminal', 'social-security', '--pin', '1234'], /^ssc-lab: terminal social-security: --pin goes with terminal purchase$/],
    [
      ['keys', 'udk', '--alg', '3des', '--imk', '0123456789ABCDEFFEDCBA9876543210', '--pan', '1'.repeat(40), '--psn', '01'],
      /^ssc-lab: keys udk: --pan takes 12 to 19 digits/,
    ],
    [['compare', emptyA, emptyB], /^ssc-lab: compare: .*empty-a holds no scenario results/],
    [['compare', FILE, emptyA], /^ssc-lab: compare: .*a-file is not a directory/],
    [['compare', brokenRun, brokenRun], /^ssc-lab: compare: .*coverage\.json: not the JSON of a run/],
    [['verify', DIR, '--cert', notCert], /^ssc-lab: verify --cert .*not-a-cert\.pem: not a PEM certificate$/],
    [['run', '--lab-key', brokenKey], /^ssc-lab: run --lab-key .*broken-key: the lab key in .* is not usable/],
    [['--version', 'extra'], /^ssc-lab: --version takes no arguments, got extra$/],
  ]);
  // the lab key of the environment is checked too, before the run rather than at its end
  const r = await ssc(['run', '--tags', '@req:CARD-ATR-01', '--out', join(DIR, 'unused')], 60_000, { SSC_LAB_KEY_DIR: brokenKey });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^ssc-lab: run: the lab key in .*broken-key is not usable: [^\n]*\n$/);
});

test('a second run into the same --out while one runs is refused, naming its PID; once it is gone its lock is taken over', async () => {
  const out = join(DIR, 'locked');
  const first = await lockHolder(out, ENV);
  try {
    await expectUsageErrors([
      [
        ['run', '--tags', '@req:CARD-ATR-01', '--out', out],
        new RegExp(`^ssc-lab: run: --out .*locked: another ssc-lab run \\(PID ${first.pid}, since `),
      ],
      [
        ['terminal-test', '--terminal', 'true', '--out', out],
        new RegExp(`^ssc-lab: terminal-test: --out .*locked: another ssc-lab run \\(PID ${first.pid}`),
      ],
      [['mutation', '--only', 'unknown-cla-accepted', '--out', out], new RegExp(`^ssc-lab: mutation: --out .*locked: .*PID ${first.pid}`)],
    ]);
  } finally {
    first.kill('SIGKILL');
    await new Promise((done) => first.once('exit', done));
  }
  const r = await ssc(['run', '--quiet', '--no-html', '--tags', '@req:CARD-ATR-01', '--out', out], 300_000);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^scenarios: \d+ passed, 0 failed/m);
});
