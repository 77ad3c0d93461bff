/**
 * `ssc-lab keys`, run in-process through `keysCommand` with console output
 * captured: every published vector that has a CLI form is reproduced from the
 * command line, `--json` has the documented shape, and every usage error is
 * one line on stderr with exit code 2. Two checks go through `bin/ssc-lab.js`
 * to see that main.ts routes `keys` and keeps its exit codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { fromHex, toHex } from '../core/bytes.ts';
import { combine } from '../crypto/components.ts';
import { adjustParity, hasOddParity } from '../crypto/derive.ts';
import { kcv } from '../crypto/kcv.ts';
import { type Vector, loadVectors, vectorMessage } from '../crypto/vectors.ts';
import { PROJECT_ROOT } from '../core/json.ts';
import { KEYS_USAGE, keysCommand } from './keys.ts';

interface Run {
  code: number;
  out: string[];
  err: string[];
}

/** Runs `ssc-lab keys <argv>` in-process, capturing console.log / console.error lines. */
async function keys(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(...a.map(String).join(' ').split('\n'));
  console.error = (...a: unknown[]) => void err.push(...a.map(String).join(' ').split('\n'));
  try {
    const code = await keysCommand(argv);
    return { code, out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

async function ok(...argv: string[]): Promise<string[]> {
  const r = await keys(...argv);
  assert.equal(r.code, 0, `keys ${argv.join(' ')}: ${r.err.join('\n')}`);
  assert.deepEqual(r.err, []);
  return r.out;
}

async function json(...argv: string[]): Promise<Record<string, unknown>> {
  const out = await ok(...argv, '--json');
  assert.equal(out.length, 1, 'one JSON object on one line');
  return JSON.parse(out[0]!) as Record<string, unknown>;
}

const IMK = '0123456789ABCDEFFEDCBA9876543210';

// ---------------------------------------------------------------- vectors

const files = loadVectors();
const byOp = (op: Vector['operation']) =>
  files.flatMap((f) => f.vectors.filter((v) => v.operation === op).map((v) => ({ file: basename(f.file), v })));
const s = (v: Vector, name: string) => String(v.inputs[name]);

test('keys kcv reproduces every published KCV vector', async () => {
  const vectors = byOp('kcv');
  assert.ok(vectors.length >= 2);
  for (const { file, v } of vectors) {
    const args = ['kcv', '--alg', s(v, 'alg'), '--key', s(v, 'key')];
    if (v.inputs.len !== undefined) args.push('--len', s(v, 'len'));
    assert.deepEqual(await ok(...args), [v.expected], `${file} ${v.id}`);
  }
});

test('keys udk reproduces every published Option A vector', async () => {
  const vectors = byOp('option-a');
  assert.ok(vectors.length >= 5);
  for (const { file, v } of vectors) {
    const r = await json('udk', '--alg', s(v, 'alg'), '--imk', s(v, 'imk'), '--pan', s(v, 'pan'), '--psn', s(v, 'psn'));
    if (v.inputs.kcvLength === undefined) assert.equal(r.key, v.expected, `${file} ${v.id}`);
    else assert.ok(String(r.kcv).startsWith(v.expected), `${file} ${v.id}: KCV ${String(r.kcv)} should start with ${v.expected}`);
  }
});

test('keys diversify reproduces the published dispersion vectors', async () => {
  const vectors = byOp('diversify');
  assert.ok(vectors.length >= 1);
  for (const { file, v } of vectors) {
    const r = await json('diversify', '--alg', s(v, 'alg'), '--key', s(v, 'key'), '--factor', s(v, 'factor'));
    const key = fromHex(String(r.key));
    assert.equal(toHex(v.inputs.parity === true ? adjustParity(key) : key), v.expected, `${file} ${v.id}`);
  }
});

test('keys session reproduces published session-key vectors', async () => {
  for (const { file, v } of byOp('session-key')) {
    const r = await json('session', '--alg', s(v, 'alg'), '--udk', s(v, 'udk'), '--atc', s(v, 'atc'));
    assert.equal(r.key, v.expected, `${file} ${v.id}`);
  }
});

test('keys mac reproduces every published MAC vector', async () => {
  const vectors = byOp('mac');
  assert.ok(vectors.length >= 10);
  for (const { file, v } of vectors) {
    const args = ['mac', '--alg', s(v, 'alg'), '--key', s(v, 'key'), '--data', toHex(vectorMessage(v))];
    if (v.inputs.iv !== undefined) args.push('--iv', s(v, 'iv'));
    if (v.inputs.pad !== undefined) args.push('--pad', s(v, 'pad'));
    if (v.inputs.len !== undefined) args.push('--len', s(v, 'len'));
    assert.deepEqual(await ok(...args), [v.expected], `${file} ${v.id}`);
  }
});

test('udk → session → mac on the command line reproduces the published PBOC ARQC', async () => {
  const vectors = byOp('arqc');
  assert.ok(vectors.length >= 1);
  for (const { file, v } of vectors) {
    const alg = s(v, 'alg');
    const udk = await json('udk', '--alg', alg, '--imk', s(v, 'imk'), '--pan', s(v, 'pan'), '--psn', s(v, 'psn'));
    const sk = await json('session', '--alg', alg, '--udk', String(udk.key), '--atc', s(v, 'atc'));
    const macArgs = alg === '3des' ? ['--alg', 'iso9797-1-m3'] : ['--alg', 'sm4-cbc', '--len', '8'];
    const out = await ok('mac', ...macArgs, '--key', String(sk.key), '--data', s(v, 'data'), '--pad', '2');
    assert.deepEqual(out, [v.expected], `${file} ${v.id}`);
  }
});

// ---------------------------------------------------------------- output

test('keys print upper-case hex and the 3-byte KCV on one line', async () => {
  const out = await ok('udk', '--alg', '3des', '--imk', IMK, '--pan', '12345678901234567', '--psn', '01');
  assert.equal(out.length, 1);
  assert.match(out[0]!, /^73AD54688CEF2934B0979857E3C719F1 {2}KCV [0-9A-F]{6}$/);
  const [kcvOnly] = await ok('kcv', '--alg', '3des', '--key', IMK.toLowerCase());
  assert.match(kcvOnly!, /^08D7[0-9A-F]{2}$/);
  assert.deepEqual(await ok('kcv', '--alg', '3des', '--key', '01 23 45 67 89 AB CD EF FE:DC:BA:98:76:54:32:10', '--len', '2'), ['08D7']);
});

test('--json shapes', async () => {
  assert.deepEqual(Object.keys(await json('kcv', '--alg', 'sm4', '--key', IMK)), ['kcv']);
  for (const args of [
    ['combine', '--alg', '3des', '--component', IMK, '--component', '00'.repeat(16)],
    ['diversify', '--alg', 'sm4', '--key', IMK, '--factor', '1122334455667788'],
    ['udk', '--alg', 'sm4', '--imk', IMK, '--pan', '6228480402564890018', '--psn', '00'],
    ['session', '--alg', '3des', '--udk', IMK, '--atc', '0001'],
  ]) {
    const r = await json(...args);
    assert.deepEqual(Object.keys(r), ['key', 'kcv'], args[0]);
    assert.match(String(r.key), /^[0-9A-F]{32}$/);
    assert.equal(r.kcv, toHex(kcv(args[2] as '3des' | 'sm4', fromHex(String(r.key)))));
  }
  const m = await json('mac', '--alg', 'sm4-cbc', '--key', IMK, '--data', '', '--len', '4');
  assert.deepEqual(Object.keys(m), ['mac']);
  assert.match(String(m.mac), /^[0-9A-F]{8}$/);
});

test('keys combine XORs the components and prints the key with its KCV', async () => {
  const c1 = 'AAAABBBBCCCCDDDD1111222233334444';
  const c2 = '1111222233334444AAAABBBBCCCCDDDD';
  const c3 = 'FFFF0000FFFF00000000FFFF0000FFFF';
  const key = toHex(combine([fromHex(c1), fromHex(c2), fromHex(c3)]));
  const out = await ok('combine', '--alg', '3des', '--component', c1, '--component', c2, '--component', c3);
  assert.deepEqual(out, [`${key}  KCV ${toHex(kcv('3des', fromHex(key)))}`]);
});

test('keys components: N components with KCVs; the combined key only with --show-combined', async () => {
  const out = await ok('components', '--alg', '3des', '--count', '3');
  assert.equal(out.length, 4);
  const parts = out.slice(0, 3).map((line, i) => {
    const m = new RegExp(`^component ${i + 1} {2}([0-9A-F]{32}) {2}KCV ([0-9A-F]{6})$`).exec(line);
    assert.ok(m, line);
    const key = fromHex(m[1]!);
    assert.ok(hasOddParity(key), '3des components have odd parity');
    assert.equal(m[2], toHex(kcv('3des', key)));
    return key;
  });
  const combined = combine(parts);
  assert.equal(out[3], `combined  KCV ${toHex(kcv('3des', combined))}`);
  assert.ok(!out.join('\n').includes(toHex(combined)), 'the combined key is not printed');

  const r = await json('components', '--alg', 'sm4', '--count', '2', '--show-combined');
  assert.deepEqual(Object.keys(r), ['components', 'combined']);
  const comps = r.components as { key: string; kcv: string }[];
  assert.equal(comps.length, 2);
  const c = r.combined as { key: string; kcv: string };
  assert.equal(c.key, toHex(combine(comps.map((p) => fromHex(p.key)))));
  assert.equal(c.kcv, toHex(kcv('sm4', fromHex(c.key))));
  const hidden = await json('components', '--alg', 'sm4', '--count', '2');
  assert.deepEqual(Object.keys(hidden.combined as object), ['kcv']);
});

test('keys alone prints the usage (exit 2); help and --help print it with exit 0', async () => {
  const alone = await keys();
  assert.equal(alone.code, 2);
  assert.equal(alone.out.join('\n'), KEYS_USAGE);
  for (const args of [['help'], ['--help'], ['kcv', '--help']]) {
    const r = await keys(...args);
    assert.equal(r.code, 0, args.join(' '));
    assert.equal(r.out.join('\n'), KEYS_USAGE);
  }
  for (const sub of ['kcv', 'components', 'combine', 'diversify', 'udk', 'session', 'mac'])
    assert.ok(KEYS_USAGE.includes(`  ${sub} `), sub);
});

// ---------------------------------------------------------------- errors

const ERRORS: [string[], RegExp][] = [
  [['kcv', '--alg', '3des', '--key', '01234G'], /^ssc-lab: keys kcv: --key: not hexadecimal: "01234G"$/],
  [['kcv', '--alg', '3des', '--key', '012'], /^ssc-lab: keys kcv: --key: odd number of hex digits/],
  [['kcv', '--alg', '3des', '--key', '0123456789'], /^ssc-lab: keys kcv: 3des key must be 8, 16 or 24 bytes, got 5$/],
  [['kcv', '--alg', 'sm4', '--key', '0123456789ABCDEF'], /^ssc-lab: keys kcv: sm4 key must be 16 bytes, got 8$/],
  [['kcv', '--alg', 'aes', '--key', IMK], /^ssc-lab: keys kcv: unknown algorithm "aes" \(expected 3des or sm4\)$/],
  [['kcv', '--key', IMK], /^ssc-lab: keys kcv: missing --alg$/],
  [['kcv', '--alg', '3des'], /^ssc-lab: keys kcv: missing --key$/],
  [['kcv', '--alg', '3des', '--key', IMK, '--len', '9'], /^ssc-lab: keys kcv: --len takes a whole number from 1 to 8, got "9"$/],
  [['kcv', '--alg', '3des', '--key', IMK, '--len', 'x'], /^ssc-lab: keys kcv: --len takes/],
  [['kcv', '--alg', '3des', '--key', IMK, '--colour'], /^ssc-lab: keys kcv: Unknown option '--colour'$/],
  [['kcv', '--alg', '3des', '--key', IMK, 'extra'], /^ssc-lab: keys kcv: Unexpected argument 'extra'$/],
  [['kcv', '--alg', '3des', '--key'], /^ssc-lab: keys kcv: Option '--key <value>' argument missing$/],
  [['components', '--alg', '3des'], /^ssc-lab: keys components: missing --count$/],
  [['components', '--alg', '3des', '--count', '1'], /^ssc-lab: keys components: --count takes a whole number from 2 to 16, got "1"$/],
  [['components', '--alg', 'des', '--count', '2'], /^ssc-lab: keys components: unknown algorithm "des"/],
  [['combine', '--alg', '3des', '--component', IMK], /^ssc-lab: keys combine: needs at least 2 --component values, got 1$/],
  [
    ['combine', '--alg', '3des', '--component', IMK, '--component', '0011'],
    /^ssc-lab: keys combine: key component 2 is 2 bytes, component 1 is 16/,
  ],
  [
    ['combine', '--alg', 'sm4', '--component', '0011223344556677', '--component', '0011223344556677'],
    /^ssc-lab: keys combine: sm4 key must be 16 bytes, got 8$/,
  ],
  [['combine', '--alg', '3des', '--component', IMK, '--component', 'ZZ'], /^ssc-lab: keys combine: --component: not hexadecimal/],
  [
    ['diversify', '--alg', '3des', '--key', IMK, '--factor', '00112233'],
    /^ssc-lab: keys diversify: 3des diversification factor must be 8 bytes, got 4$/,
  ],
  [['diversify', '--alg', '3des', '--key', IMK], /^ssc-lab: keys diversify: missing --factor$/],
  [
    ['udk', '--alg', '3des', '--imk', IMK, '--pan', '1234-5678', '--psn', '01'],
    /^ssc-lab: keys udk: --pan takes 12 to 19 digits, got "1234-5678"$/,
  ],
  [
    ['udk', '--alg', '3des', '--imk', IMK, '--pan', '1'.repeat(40), '--psn', '01'],
    /^ssc-lab: keys udk: --pan takes 12 to 19 digits, got "1{40}"$/,
  ],
  [
    ['udk', '--alg', '3des', '--imk', IMK, '--pan', '12345678901', '--psn', '01'],
    /^ssc-lab: keys udk: --pan takes 12 to 19 digits, got "12345678901"$/,
  ],
  [
    ['udk', '--alg', '3des', '--imk', IMK, '--pan', '1234567890123456', '--psn', '1'],
    /^ssc-lab: keys udk: PAN sequence number must be two digits/,
  ],
  [['udk', '--alg', '3des', '--imk', IMK, '--pan', '1234567890123456'], /^ssc-lab: keys udk: missing --psn$/],
  [
    ['udk', '--alg', '3des', '--imk', '0123456789ABCDEF', '--pan', '1234567890123456', '--psn', '00'],
    /^ssc-lab: keys udk: 3des IMK key must be 16 or 24 bytes, got 8$/,
  ],
  [['session', '--alg', '3des', '--udk', IMK, '--atc', '000102'], /^ssc-lab: keys session: ATC must be 2 bytes, got 3$/],
  [['session', '--alg', 'sm4', '--udk', IMK], /^ssc-lab: keys session: missing --atc$/],
  [
    ['mac', '--alg', 'cmac', '--key', IMK, '--data', '00'],
    /^ssc-lab: keys mac: unknown algorithm "cmac" \(expected iso9797-1-m3, des-cbc, 3des-cbc, sm4-cbc\)$/,
  ],
  [['mac', '--alg', 'des-cbc', '--key', IMK, '--data', '00'], /^ssc-lab: keys mac: des-cbc key must be 8 bytes, got 16$/],
  [['mac', '--alg', 'iso9797-1-m3', '--key', IMK, '--data', '00', '--pad', '4'], /^ssc-lab: keys mac: --pad takes 1, 2 or 3, got "4"$/],
  [
    ['mac', '--alg', 'iso9797-1-m3', '--key', IMK, '--data', '00', '--len', '9'],
    /^ssc-lab: keys mac: iso9797-1-m3: MAC length must be 1 to 8 bytes, got 9$/,
  ],
  [['mac', '--alg', 'sm4-cbc', '--key', IMK, '--data', '00', '--iv', '0011'], /^ssc-lab: keys mac: sm4-cbc: iv must be 16 bytes, got 2$/],
  [['mac', '--alg', 'sm4-cbc', '--key', IMK], /^ssc-lab: keys mac: missing --data$/],
  [['frobnicate'], /^ssc-lab: keys frobnicate: unknown subcommand/],
];

for (const [argv, message] of ERRORS) {
  test(`usage error: keys ${argv.join(' ')}`, async () => {
    const r = await keys(...argv);
    assert.equal(r.code, 2);
    assert.deepEqual(r.out, [], 'nothing on stdout');
    assert.equal(r.err.length, 1, `one line on stderr: ${JSON.stringify(r.err)}`);
    assert.match(r.err[0]!, message);
  });
}

// ---------------------------------------------------------------- through main.ts

const BIN = join(PROJECT_ROOT, 'bin', 'ssc-lab.js');

function ssc(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('ssc-lab keys goes through main: result on stdout, exit 0', () => {
  const r = ssc(['keys', 'udk', '--alg', '3des', '--imk', IMK, '--pan', '12345678901234567', '--psn', '01']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^73AD54688CEF2934B0979857E3C719F1 {2}KCV [0-9A-F]{6}\n$/);
  assert.equal(r.stderr, '');
});

test('ssc-lab keys usage errors through main: one stderr line, exit 2; keys is in the main usage', () => {
  const r = ssc(['keys', 'kcv', '--alg', '3des', '--key', '0123']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'ssc-lab: keys kcv: 3des key must be 8, 16 or 24 bytes, got 2\n');
  const help = ssc(['help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /ssc-lab keys kcv\|components\|combine\|diversify\|udk\|session\|mac/);
});
