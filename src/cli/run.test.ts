/**
 * End-to-end: `ssc-lab run` as a lab engineer calls it, in a child process,
 * against the built-in simulator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/json.ts';

const BIN = join(PROJECT_ROOT, 'bin', 'ssc-lab.js');

function ssc(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ssc-lab-test-'));
}

/** The default profile, to be written elsewhere: its key set path made absolute. */
function defaultProfile(): Record<string, unknown> {
  const p = JSON.parse(readFileSync(join(PROJECT_ROOT, 'profiles', 'default.json'), 'utf8')) as Record<string, unknown>;
  p.keyset = join(PROJECT_ROOT, 'profiles', p.keyset as string);
  return p;
}

test('a run against the simulator passes and leaves a complete report', () => {
  const out = tmp();
  const r = ssc(['run', '--quiet', '--out', out, '--sample-id', 'LAB-0001']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /LAB-0001/);
  assert.ok(existsSync(join(out, 'allure-report', 'index.html')), 'HTML report');
  const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
  assert.match(junit, /<testsuite[^>]*tests="(\d+)"/);
  const results = readdirSync(join(out, 'allure-results')).filter((f) => f.endsWith('-result.json'));
  assert.ok(results.length >= 20, `${results.length} results`);
  for (const f of results) {
    const res = JSON.parse(readFileSync(join(out, 'allure-results', f), 'utf8')) as {
      labels: { name: string; value: string }[];
      attachments: { name: string; source: string }[];
    };
    const names = res.labels.map((l) => l.name);
    for (const n of ['requirement', 'epic', 'feature', 'story', 'severity']) assert.ok(names.includes(n), `${f} lacks ${n}`);
    const trace = res.attachments.find((a) => a.name === 'APDU trace (whole scenario)');
    assert.ok(trace, `${f} has no APDU trace attachment`);
    const text = readFileSync(join(out, 'allure-results', trace.source), 'utf8');
    assert.match(text, /RESET[\s\S]*ATR 3B/, `${f}: the trace starts with the reset`);
  }
  const env = readFileSync(join(out, 'allure-results', 'environment.properties'), 'utf8');
  for (const key of ['Sample\\ ID=LAB-0001', 'ATR=3B', 'Profile\\ ID=default-t0', 'Target=sim', 'Tool\\ version=']) {
    assert.ok(env.includes(key), `environment.properties lacks ${key}`);
  }
});

test('an invalid profile is refused with the file and JSON path, exit 2, and nothing runs', () => {
  const dir = tmp();
  const p = defaultProfile();
  (p.fileSystem as { children: { fid: string }[] }).children[0]!.fid = 'XYZ1';
  const file = join(dir, 'broken-profile.json');
  writeFileSync(file, JSON.stringify(p));
  const out = join(dir, 'out');
  const r = ssc(['run', '--quiet', '--no-html', '--profile', file, '--out', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /broken-profile\.json/);
  assert.match(r.stderr, /\/fileSystem\/children\/0\/fid: must match pattern/);
  assert.ok(!existsSync(join(out, 'allure-results')), 'nothing ran');
});

test('a profile that is not JSON is refused with exit 2', () => {
  const dir = tmp();
  const file = join(dir, 'not-json.json');
  writeFileSync(file, '{ "id": ');
  const r = ssc(['run', '--quiet', '--no-html', '--profile', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not-json\.json: not valid JSON/);
});

test('bad flags and unknown targets are usage errors (exit 2)', () => {
  assert.equal(ssc(['run', '--frobnicate']).code, 2);
  const t = ssc(['run', '--target', 'teleport']);
  assert.equal(t.code, 2);
  assert.match(t.stderr, /unknown target "teleport"/);
  assert.equal(ssc(['run', '--parallel', 'many']).code, 2);
  assert.equal(ssc(['no-such-command']).code, 2);
});

test('a scenario tag that names no catalogue entry stops the run before anything executes', () => {
  const dir = tmp();
  const feature = join(dir, 'unknown-tag.feature');
  writeFileSync(
    feature,
    'Feature: x\n\n  @req:CARD-NO-SUCH-REQ\n  Scenario: tagged with an unknown id\n    When I select the MF\n    Then the status word is 9000\n\n  Scenario: untagged\n    When I select the MF\n',
  );
  const out = join(dir, 'out');
  const r = ssc(['run', '--quiet', '--no-html', '--out', out, feature]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /@req:CARD-NO-SUCH-REQ names no requirement in the catalogue/);
  assert.match(r.stderr, /"untagged": carries no @req:<id> tag/);
  assert.ok(!existsSync(join(out, 'allure-results')), 'nothing ran');
});

test('mutation: the campaign catches two COS defects in one process; bad flags and unknown defects exit 2', () => {
  const out = tmp();
  const r = ssc(['mutation', '--quiet', '--only', 'read-binary-ignores-offset', '--only', 'unknown-cla-accepted', '--out', out]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /mutation score 100\.0%: 2 of 2 defects caught/);
  assert.match(r.stdout, /^2 defects \(2 card, 0 terminal\) in [\d.]+ s$/m);
  const json = JSON.parse(readFileSync(join(out, 'mutation.json'), 'utf8')) as {
    defects: { id: string; kind: string; verdict: string; caughtBy: string[]; scenariosRun: number }[];
  };
  assert.deepEqual(
    json.defects.map((d) => [d.id, d.kind, d.verdict]),
    [
      ['read-binary-ignores-offset', 'card', 'caught'],
      ['unknown-cla-accepted', 'card', 'caught'],
    ],
  );
  for (const d of json.defects) assert.ok(d.caughtBy.length > 0 && d.scenariosRun > 0, `${d.id}: ${JSON.stringify(d)}`);
  assert.ok(readFileSync(join(out, 'mutation.md'), 'utf8').includes('| `unknown-cla-accepted` | card |'));
  const results = readdirSync(join(out, 'allure-results')).map(
    (f) =>
      JSON.parse(readFileSync(join(out, 'allure-results', f), 'utf8')) as { status: string; labels: { name: string; value: string }[] },
  );
  assert.equal(results.length, 2);
  for (const res of results) {
    assert.equal(res.status, 'passed');
    assert.ok(res.labels.some((l) => l.name === 'epic' && l.value === 'Suite strength'));
  }
  for (const args of [
    ['mutation', '--only', 'no-such-defect'],
    ['mutation', '--parallel', '0'],
    ['mutation', '--frobnicate'],
  ]) {
    const bad = ssc(args);
    assert.equal(bad.code, 2, `${args.join(' ')}: ${bad.stdout}${bad.stderr}`);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  }
});

test('perso script names keys by reference and carries no key material; perso run personalises a blank card', () => {
  const script = ssc(['perso', 'script', '--json']);
  assert.equal(script.code, 0, script.stderr);
  const parsed = JSON.parse(script.stdout) as { steps: { op: string }[] };
  assert.ok(parsed.steps.some((s) => s.op === 'write-key'));
  const keyset = readFileSync(join(PROJECT_ROOT, 'keysets', 'lab-3des.json'), 'utf8');
  for (const m of keyset.matchAll(/"value": "([0-9A-F]{32})"/g))
    assert.ok(!script.stdout.includes(m[1]!), 'a key value leaked into the script');
  const run = ssc(['perso', 'run', '--trace']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /personalised .*: \d+ steps, \d+ APDUs/);
  assert.match(run.stdout, /WRITE KEY[\s\S]*\(\d+ bytes masked\)/);
  assert.equal(ssc(['perso', 'frobnicate']).code, 2);
});

test('a PC/SC reader that is not there is a one-line usage error, exit 2, before anything runs', () => {
  const r = ssc(['run', '--target', 'pcsc', '--reader', 'no such reader 42', '--no-html', '--quiet', '--out', tmp()]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(
    lines[0]!,
    /^ssc-lab: run: (no PC\/SC reader "no such reader 42"|PC\/SC is not available|the PC\/SC binding is not installed)/,
  );
  assert.equal(ssc(['run', '--reader', 'x']).code, 2, '--reader needs --target pcsc');
});

test('the reference terminals as programs: accepted 0, refused 1, usage 2', () => {
  const ok = ssc(['terminal', 'social-security', '--today', '20261123']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /valid on 20261123/);
  const expired = ssc(['terminal', 'social-security', '--today', '20300101']);
  assert.equal(expired.code, 1);
  assert.match(expired.stdout, /refused on 20300101: expired/);
  const purchase = ssc(['terminal', 'purchase', '--amount', '1000']);
  assert.equal(purchase.code, 0, purchase.stdout + purchase.stderr);
  assert.match(purchase.stdout, /^approved online: application A000000333010101 via PSE, ODA CDA/);
  assert.equal(ssc(['terminal', 'purchase', '--amount', '1000', '--offline']).code, 1, 'a new card without the issuer is declined');
  const badCert = ssc(['terminal', 'purchase', '--amount', '1000', '--profile', 'profiles/ssc-2.0-bad-issuer-cert.json']);
  assert.match(badCert.stdout, /first ARQC/);
  assert.match(badCert.stdout, /CDA failed/);
  const noDebit = ssc(['terminal', 'purchase', '--amount', '1000', '--profile', 'profiles/ssc-2.0-ssse-only.json']);
  assert.equal(noDebit.code, 1);
  assert.match(noDebit.stdout, /^terminated \(no application/);
  assert.equal(ssc(['terminal', 'purchase']).code, 2);
  assert.equal(ssc(['terminal', 'atm']).code, 2);
});

test('sim serve, readers, terminal-test, run --sim-control and compare: bad input is a one-line usage error, exit 2', () => {
  for (const args of [
    ['sim', 'serve'],
    ['sim', 'serve', '--vpcd', 'host:70000'],
    ['sim', 'serve', '--vpcd', '--profile', 'profiles/default.json', '--card', 'expired'],
    ['sim', 'serve', '--vpcd', '--card', 'no-such-card'],
    ['sim', 'frobnicate'],
    ['readers', 'extra'],
    ['terminal-test'],
    ['terminal-test', '--terminal', ' '],
    ['terminal-test', '--terminal', 'true', '--timeout', '0'],
    ['terminal-test', '--terminal', 'true', '--vpcd', 'host:65535'],
    ['terminal-test', '--terminal', 'true', '--card', 'no-such-card'],
    ['terminal', 'social-security', '--psam-reader', 'Virtual PCD 00 01'],
    ['sim', 'serve', '--vpcd', '--control', '127.0.0.1'],
    ['sim', 'serve', '--vpcd', '--control', '127.0.0.1:35990', '--fresh'],
    ['sim', 'serve', '--vpcd', '--remove-after', 'x'],
    ['run', '--sim-control', '127.0.0.1:35990'],
    ['run', '--target', 'pcsc', '--sim-control', 'localhost'],
    ['compare'],
    ['compare', 'reports'],
    ['compare', '/nonexistent/a', '/nonexistent/b'],
  ]) {
    const r = ssc(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^ssc-lab: /);
  }
});

test('compare: the same verdicts exit 0; another verdict or a missing scenario is listed and exits 1', () => {
  const run = (results: [string, string][]) => {
    const dir = mkdtempSync(join(tmpdir(), 'ssc-compare-'));
    const inner = join(dir, 'allure-results');
    mkdirSync(inner);
    for (const [i, [fullName, status]] of results.entries()) {
      writeFileSync(join(inner, `${i}-result.json`), JSON.stringify({ fullName, status, parameters: [] }));
    }
    return dir;
  };
  const a = run([
    ['f#one', 'passed'],
    ['f#two', 'skipped'],
  ]);
  const same = ssc([
    'compare',
    a,
    run([
      ['f#two', 'skipped'],
      ['f#one', 'passed'],
    ]),
  ]);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, /identical: 2 scenarios, the same verdicts/);
  const other = ssc([
    'compare',
    a,
    join(
      run([
        ['f#one', 'broken'],
        ['f#three', 'passed'],
      ]),
      'allure-results',
    ),
  ]);
  assert.equal(other.code, 1, other.stderr);
  assert.match(other.stdout, /≠ f#one: A passed, B inconclusive/);
  assert.match(other.stdout, /only in A: f#two \(skipped\)/);
  assert.match(other.stdout, /only in B: f#three \(passed\)/);
});

test('a run plan selects the scenarios of its requirements; a plan entry that names no requirement is one line with its JSON path, exit 2', () => {
  const dir = tmp();
  const r = ssc(['run', '--no-html', '--quiet', '--plan', 'cos', '--tags', '@req:CARD-ATR-01', '--out', join(dir, 'run')]);
  assert.equal(r.code, 0, r.stderr);
  const coverage = JSON.parse(readFileSync(join(dir, 'run', 'coverage.json'), 'utf8')) as { id: string; verdict: string }[];
  assert.equal(coverage.find((x) => x.id === 'CARD-ATR-01')?.verdict, 'passed');
  assert.equal(coverage.find((x) => x.id === 'CARD-PBOC-AC-01')?.verdict, 'not-run', 'outside the plan: not run');
  const plan = join(dir, 'plan.json');
  writeFileSync(plan, JSON.stringify({ id: 'typo', title: 't', requirements: ['CARD-RB-01', 'CARD-NOPE-'] }));
  const bad = ssc(['run', '--no-html', '--quiet', '--plan', plan, '--out', join(dir, 'bad')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /plan\.json.*\/requirements\/1: "CARD-NOPE-" names no requirement/);
  assert.equal(ssc(['run', '--plan', 'no-such-plan']).code, 2);
});
