import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/json.ts';
import { loadProfile } from '../lab/profile.ts';
import { openPsam, openTarget } from '../lab/target.ts';
import { CardSession } from '../channel/session.ts';
import { PsamClient } from '../psam/client.ts';
import { ProfileView } from '../conformance/profile-view.ts';
import { SocialSecurityTerminal, TerminalError, terminalConfig } from './social-security.ts';

async function bench(profileName: string, without: string[] = []) {
  const profileFile = join(PROJECT_ROOT, 'profiles', profileName);
  const profile = loadProfile(profileFile);
  const config = { target: 'sim' as const, profile, profileFile };
  const card = await openTarget(config);
  const psam = await openPsam(config, card.keyset);
  const tc = terminalConfig(card.keyset, profile);
  for (const r of without) delete tc.keys[r as keyof typeof tc.keys];
  const session = new CardSession(card.channel);
  return {
    terminal: new SocialSecurityTerminal(session, new PsamClient(psam, { alg: tc.alg }), tc),
    view: new ProfileView(profile),
    session,
  };
}

test('the terminal configuration names key references from the key set, never values', async () => {
  const { terminal } = await bench('default.json');
  assert.deepEqual(terminal.config.keys['external-auth'], { cardKeyId: 1, psamUsage: 0x45, psamIndex: 1 });
  assert.equal(terminal.config.alg, '3des');
  assert.equal(terminal.config.factorSource, 'card-identification-code');
  assert.deepEqual(terminal.config.factorOrder, ['card', 'city']);
  assert.ok(!JSON.stringify(terminal.config).match(/[0-9A-F]{32}/i), 'no key value in the configuration');
});

for (const name of ['default.json', 'ssc-3.0-sm4.json', 'ssc-1.0.json']) {
  test(`${name}: initialise, read the basic information, authenticate both ways`, async () => {
    const { terminal, view, session } = await bench(name);
    assert.throws(() => terminal.diversificationFactors, TerminalError, 'no factors before initialisation');
    await terminal.initialise();
    const info = await terminal.readBasicInfo();
    const { cityCode, atr, ...data } = info;
    assert.deepEqual(data, view.basicData);
    assert.equal(cityCode, view.basicData.cardIdCode.slice(0, 6));
    assert.equal(atr, Buffer.from(session.atr).toString('hex').toUpperCase());
    assert.equal((await terminal.externalAuthenticate()).sw, 0x9000);
    assert.equal((await terminal.checkCard()).ok, true);
  });
}

test('validity: boundaries of issue and expiry dates, blocked application', async () => {
  const { terminal, view } = await bench('default.json');
  await terminal.initialise();
  const { issueDate, expiryDate } = view.basicData;
  assert.deepEqual(await terminal.validityCheck(issueDate), { ok: true });
  assert.deepEqual(await terminal.validityCheck(expiryDate), { ok: true });
  assert.equal(((await terminal.validityCheck('20991231')) as { reason: string }).reason, 'expired');
  assert.equal(((await terminal.validityCheck('20000101')) as { reason: string }).reason, 'not-yet-valid');
});

test('PIN services through the PSAM: verify, change, reload, unblock', async () => {
  const { terminal } = await bench('ssc-3.0-sm4.json');
  await terminal.initialise();
  assert.equal((await terminal.verifyPin('123456')).sw, 0x9000);
  assert.equal((await terminal.changePin('123456', '654321')).sw, 0x9000);
  assert.equal((await terminal.verifyPin('123456')).sw, 0x63c2);
  assert.equal((await terminal.resetPin('reload', '111111')).sw, 0x9000);
  assert.equal((await terminal.verifyPin('111111')).sw, 0x9000);
  for (let i = 0; i < 3; i++) await terminal.verifyPin('000000');
  assert.equal((await terminal.verifyPin('111111')).sw, 0x6983);
  assert.equal((await terminal.resetPin('unblock', '222222')).sw, 0x9000);
  assert.equal((await terminal.verifyPin('222222')).sw, 0x9000);
});

test("protected record writes: the maintenance key MAC is accepted, another key's refused", async () => {
  const { terminal, view, session } = await bench('default.json');
  await terminal.initialise();
  const n = view.recordNumber('SSSE', 6, 0x0a);
  assert.equal((await terminal.writeRecord(6, n, Uint8Array.of(0x0a, 0x01, 0x32), 'external-auth')).sw, 0x6988);
  assert.equal((await terminal.writeRecord(6, n, Uint8Array.of(0x0a, 0x01, 0x32))).sw, 0x9000);
  assert.deepEqual([...(await session.readRecord(n, { sfi: 6 })).data], [0x0a, 0x01, 0x32]);
});

test('a terminal without the read key cannot initialise a 3.00 card; one without a role key says which', async () => {
  const { terminal } = await bench('ssc-3.0-sm4.json', ['read']);
  await assert.rejects(terminal.initialise(), (e: unknown) => e instanceof TerminalError && e.sw === 0x6982);
  const other = await bench('default.json', ['maintenance']);
  await other.terminal.initialise();
  await assert.rejects(other.terminal.writeRecord(6, 4, Uint8Array.of(0x0a, 0x01, 0x32)), /no maintenance key configured/);
});
