import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { isHex } from '../core/bytes.ts';
import { PROJECT_ROOT } from '../core/json.ts';
import { personalisedCard } from '../lab/cards.ts';
import { keysetPath, loadProfile } from '../lab/profile.ts';
import type { DefectId } from '../model/defects.ts';
import { loadKeyset } from '../model/keyset.ts';
import { fuzzCommand } from './command.ts';
import { runFuzz } from './fuzz.ts';
import { INVARIANTS } from './invariants.ts';
import { type Target, allTargets, makeTarget } from './targets.ts';

const TARGETS = await allTargets();

async function defective(...defects: DefectId[]): Promise<Target> {
  const file = join(PROJECT_ROOT, 'profiles', 'default.json');
  const profile = { ...loadProfile(file), simulator: { defects } };
  const keyset = loadKeyset(keysetPath(profile, file));
  const t = makeTarget(`defective:${defects.join(',')}`, await personalisedCard(profile, keyset), profile, [keyset]);
  return { ...t, excused: new Set() };
}

test('every profile and test card is a target; the firewall-defect card is excused from the firewall only', () => {
  const ids = TARGETS.map((t) => t.id);
  for (const id of [
    'profile:default.json',
    'profile:psam.json',
    'profile:ssc-3.0-sm4.json',
    'card:good-2.0-des',
    'card:pse-blocked',
    'card:ssse-card-blocked',
  ])
    assert.ok(ids.includes(id), id);
  assert.equal(ids.length, 28);
  assert.deepEqual([...TARGETS.find((t) => t.id === 'card:firewall-defect')!.excused], ['firewall']);
  assert.ok(TARGETS.filter((t) => t.id !== 'card:firewall-defect').every((t) => t.excused.size === 0));
  assert.ok(TARGETS.find((t) => t.id === 'profile:default.json')!.know.pboc, 'the debit application is known');
});

test('a bounded run over every card: no violation, every invariant checked after every APDU, the handlers reached', () => {
  const r = runFuzz({ count: 20000, seed: 20250101, targets: TARGETS });
  assert.equal(r.failure, undefined, r.failure && `${r.failure.violation.message}\n${r.failure.lines.join('\n')}`);
  assert.equal(r.apdus, 20000);
  assert.ok(r.episodes >= TARGETS.length, 'every card had an episode');
  assert.ok(r.checks >= 20000 * (INVARIANTS.length - 1));
  for (const sw of [0x9000, 0x6700, 0x6d00, 0x6e00, 0x6881, 0x6a82, 0x6982, 0x6983, 0x6988, 0x6283, 0x9303, 0x63c2]) {
    assert.ok(r.sws.has(sw), `status word ${sw.toString(16)} never seen`);
  }
  assert.ok(r.sws.size > 60, `${r.sws.size} distinct status words`);
});

test('the same seed gives the same run', () => {
  const a = runFuzz({ count: 3000, seed: 7, targets: TARGETS });
  const b = runFuzz({ count: 3000, seed: 7, targets: TARGETS });
  assert.deepEqual([...a.sws].sort(), [...b.sws].sort());
  assert.equal(a.episodes, b.episodes);
});

test('a card that keeps the security state across environments is caught and shrunk to a few APDUs', async () => {
  const r = runFuzz({ count: 20000, seed: 3, targets: [await defective('firewall-keeps-security-state')] });
  assert.equal(r.failure?.violation.invariant, 'firewall');
  assert.ok(r.failure.lines.length <= 4, r.failure.lines.join('\n'));
  assert.ok(r.failure.lines.every((l) => l === 'reset' || isHex(l)));
});

test('a card that accepts a PIN prefix, and one whose PIN counter does not count, are caught', async () => {
  const prefix = runFuzz({ count: 20000, seed: 5, targets: [await defective('pin-prefix-accepted')] });
  assert.equal(prefix.failure?.violation.invariant, 'authentication');
  assert.ok(prefix.failure.lines.length <= 3, prefix.failure.lines.join('\n'));
  const counter = runFuzz({ count: 20000, seed: 5, targets: [await defective('pin-tries-not-decremented')] });
  assert.equal(counter.failure?.violation.invariant, 'try-counter');
});

test('npm run fuzz: one summary line and exit 0; a bad flag is one line and exit 2', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  assert.equal(await fuzzCommand(['--count', '500', '--seed', '9', '--card', 'good-t1'], io, async () => TARGETS), 0);
  assert.equal(out.length, 1);
  assert.match(
    out[0]!,
    /^fuzz: 500 APDUs, 1 cards, \d+ episodes in [\d.]+ s \(\d+ APDUs\/s\), seed 9, \d+ distinct status words, \d+ invariant checks, no violation$/,
  );
  assert.equal(await fuzzCommand(['--count', 'lots'], io, async () => TARGETS), 2);
  assert.deepEqual(err, ['fuzz: --count: expected an integer 1..1000000000, got "lots"']);
});

test('npm run fuzz: a violation prints the invariant, the seed and the shrunk sequence, exit 1', async () => {
  const out: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
  const bad = await defective('pin-prefix-accepted');
  assert.equal(await fuzzCommand(['--count', '20000', '--seed', '5'], io, async () => [bad]), 1);
  assert.match(out[0]!, /VIOLATION$/);
  assert.match(out[1]!, /^violated: authentication — /);
  assert.match(out[2]!, /^seed 5, episode \d+, card defective:pin-prefix-accepted; shrunk from \d+ to \d+ steps/);
  assert.match(out[out.length - 1]!, /^last answer: 9000$/);
});
