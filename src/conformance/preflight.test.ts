import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/json.ts';
import { CardSession } from '../channel/session.ts';
import { keysetPath, loadProfile } from '../lab/profile.ts';
import { buildTestCard, loadTestCards, testCard } from '../lab/test-cards.ts';
import { loadKeyset } from '../model/keyset.ts';
import { SimulatorChannel } from '../sim/channel.ts';
import { preflight } from './preflight.ts';

const set = loadTestCards();
const profileOf = (name: string) => {
  const file = join(PROJECT_ROOT, 'profiles', name);
  const profile = loadProfile(file);
  return { profile, keyset: loadKeyset(keysetPath(profile, file)) };
};

/** The pre-flight of test card `id` against the profile `expected`, as "check: problem" lines. */
async function check(id: string, expected = 'default.json'): Promise<string[]> {
  const card = await buildTestCard(set, testCard(set, id));
  const channel = new SimulatorChannel(card, id);
  const session = new CardSession(channel);
  await session.reset(true);
  const { profile, keyset } = profileOf(expected);
  return (await preflight(session, profile, keyset, session.atr, channel.protocol)).map((f) => `${f.check}: ${f.problem}`);
}

test('the card the profile describes, unblocked, passes the pre-flight', async () => {
  assert.deepEqual(await check('good-2.0-des'), []);
  assert.deepEqual(await check('good-3.0-sm', 'ssc-3.0-sm4.json'), []);
});

test('a sample blocked before the run is named: application, card, PIN, debit application, offline PIN', async () => {
  assert.match((await check('ssse-blocked')).join('\n'), /^environment: the SSSE is blocked \(SELECT answered 6283\)/m);
  assert.match(
    (await check('ssse-card-blocked')).join('\n'),
    /^environment: the SSSE: the card is blocked for good \(SELECT answered 9303\)/m,
  );
  assert.match((await check('ssse-pin-blocked')).join('\n'), /^pin: the SSSE PIN is blocked/m);
  assert.match((await check('pse-blocked')).join('\n'), /^application: the debit application is blocked/m);
  assert.match((await check('pse-pin-blocked')).join('\n'), /^pin: the offline PIN of the debit application is blocked/m);
});

test('a foreign card is named: another protocol, another ATR, an application missing', async () => {
  const t1 = await check('good-t1');
  assert.ok(
    t1.some((l) => /^protocol: the card works in T=1; the profile \S+ describes a card of T=0/.test(l)),
    t1.join('\n'),
  );
  const ssseOnly = await check('ssse-only');
  assert.ok(
    ssseOnly.some((l) => /^application: the debit application is not on this card/.test(l)),
    ssseOnly.join('\n'),
  );
});
