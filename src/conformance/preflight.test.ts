import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/json.ts';
import { CardSession } from '../channel/session.ts';
import { keysetPath, loadProfile } from '../lab/profile.ts';
import { buildTestCard, loadTestCards, testCard } from '../lab/test-cards.ts';
import { Keyset, loadKeyset } from '../model/keyset.ts';
import type { Ics } from '../model/ics.ts';
import type { Profile } from '../model/profile.ts';
import { SimulatorChannel } from '../sim/channel.ts';
import { identityText, preflight } from './preflight.ts';

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
  return (await preflight(session, profile, keyset, session.atr, channel.protocol)).findings.map((f) => `${f.check}: ${f.problem}`);
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

/** The pre-flight of the good reference card against a profile, key set or ICS changed by `change`. */
async function identityCheck(change: { profile?: (p: Profile) => Profile; keyset?: (k: Keyset) => Keyset; ics?: Ics } = {}) {
  const card = await buildTestCard(set, testCard(set, 'good-2.0-des'));
  const channel = new SimulatorChannel(card, 'good-2.0-des');
  const session = new CardSession(channel);
  await session.reset(true);
  const base = profileOf('default.json');
  const profile = change.profile ? change.profile(structuredClone(base.profile)) : base.profile;
  const keyset = change.keyset ? change.keyset(new Keyset(structuredClone(base.keyset.json), base.keyset.file)) : base.keyset;
  const r = await preflight(session, profile, keyset, session.atr, channel.protocol, change.ics);
  return { ...r, lines: r.findings.map((f) => `${f.check}: ${f.problem}`) };
}

const ICS: Ics = {
  id: 'ics-t',
  vendor: 'V',
  product: 'P',
  specVersion: '2.00',
  interfaces: ['contact'],
  suites: ['3des'],
  applications: { ssse: true, pboc: true },
  signedOffBy: { name: 'n', date: '2026-01-01' },
};

test('the identity is read from the card: card number, specification, PAN, application version, every key version', async () => {
  const { findings, identity } = await identityCheck({ ics: ICS });
  assert.deepEqual(findings, []);
  assert.deepEqual(identity.notRead, []);
  assert.equal(identity.ssse?.cardNumber, 'A10000010');
  assert.equal(identity.ssse?.specVersion, '2.00');
  assert.match(identity.pboc?.pan ?? '', /^\d{16,19}$/);
  assert.ok(identity.pboc?.appVersion, 'the application version (9F08) is read');
  assert.ok(identity.keys.some((k) => k.name === 'MF/0' && k.version === 1));
  assert.ok(identity.keys.some((k) => k.name === 'SSSE/0'));
  assert.ok(
    identity.keys.some((k) => k.name === 'PSE/10'),
    'the last key of the PSE',
  );
  assert.match(identityText(identity) ?? '', /SSSE card number A10000010.*debit PAN \d+.*key versions MF\/0 v1/);
});

test('a sample other than the one the profile describes is named: card number, PAN, specification version', async () => {
  const other = await identityCheck({
    profile: (p) => ({ ...p, basicData: { ...p.basicData!, cardNumber: 'B20000020' } }),
  });
  assert.match(other.lines.join('\n'), /^identity: the card number in EF05 is A10000010; the profile \S+ describes card B20000020/m);
  const pan = await identityCheck({
    profile: (p) => {
      const adf = JSON.stringify(p).replace(/"pan":"(\d+)"/, '"pan":"6212340000000000001"');
      return JSON.parse(adf) as Profile;
    },
  });
  assert.match(pan.lines.join('\n'), /^identity: the debit application's PAN is \d+; the profile \S+ describes 6212340000000000001/m);
  const ics = await identityCheck({ ics: { ...ICS, specVersion: '3.00' } });
  assert.deepEqual(ics.lines, ['identity: EF05 says specification 2.00; the ICS ics-t claims specification 3.00']);
});

test("keys other than the key set's are named before any scenario: another version, another key, a version the ICS does not claim", async () => {
  const version = await identityCheck({
    keyset: (k) => {
      k.json.environments.SSSE!.master.version = 2;
      return k;
    },
  });
  assert.equal(version.lines.length, 1, version.lines.join('\n'));
  assert.match(version.lines[0]!, /^key: key SSSE\/0 \(.*\) has version 1 on the card; the key set \S+ holds version 2$/);
  const value = await identityCheck({
    keyset: (k) => {
      k.json.cardMaster.value = '00112233445566778899AABBCCDDEEFF';
      return k;
    },
  });
  assert.match(
    value.lines.join('\n'),
    /^key: key MF\/0 \(card master key\) on the card has check value [0-9A-F]{6}; the key set \S+'s key has [0-9A-F]{6}: another key$/m,
  );
  const claimed = await identityCheck({ ics: { ...ICS, keyVersions: { 'PSE/0': 3 } } });
  assert.match(claimed.lines.join('\n'), /^key: key PSE\/0 \(.*\) has version 1 on the card; the ICS ics-t claims 3$/m);
});
