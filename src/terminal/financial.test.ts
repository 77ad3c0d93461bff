import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/json.ts';
import { loadProfile } from '../lab/profile.ts';
import { ProfileView } from '../conformance/profile-view.ts';
import { openTarget } from '../lab/target.ts';
import { CardSession } from '../channel/session.ts';
import { IssuerHost } from '../pboc/issuer-host.ts';
import { caPublicKeys, loadPki } from '../pboc/pki.ts';
import { FinancialTerminal, describeTvr, referenceTerminalConfig, tvrHas } from './financial.ts';

async function bench(profileName: string, online = true) {
  const profileFile = join(PROJECT_ROOT, 'profiles', profileName);
  const profile = loadProfile(profileFile);
  const { channel, keyset } = await openTarget({ target: 'sim', profile, profileFile });
  const { pboc } = new ProfileView(profile).pbocAdf();
  const config = referenceTerminalConfig(caPublicKeys(loadPki()), '250601');
  const pin = keyset.pins('PSE').find((p) => p.id === 0x80)!.value;
  const terminal = new FinancialTerminal(new CardSession(channel), config, online ? { host: new IssuerHost(keyset), scripts: [] } : undefined, { pan: pboc.pan, psn: pboc.psn, suite: pboc.suite });
  return { terminal, pin, config };
}

for (const name of ['default.json', 'ssc-3.0-sm4.json']) {
  test(`${name}: a new card goes online and is approved; the next small purchase is approved offline`, async () => {
    const { terminal, pin } = await bench(name);
    const first = await terminal.purchase('000000001000', { pin });
    assert.equal(first.outcome, 'approved online', `${first.reason ?? ''} ${describeTvr(first.tvr).join(', ')}`);
    assert.equal(first.oda, 'CDA');
    assert.ok(tvrHas(first.tvr, 'new card'));
    assert.equal(first.online?.arqcValid, true);
    assert.equal(first.online?.issuerAuthSw, 0x9000);
    const second = await terminal.purchase('000000000100', { pin });
    assert.equal(second.outcome, 'approved offline', describeTvr(second.tvr).join(', '));
    assert.equal(second.firstCryptogram, 'TC');
  });
}

test('without an issuer, the default action codes decline a new card', async () => {
  const { terminal, pin } = await bench('default.json', false);
  const r = await terminal.purchase('000000001000', { pin });
  assert.equal(r.outcome, 'declined offline');
  assert.equal(r.online, undefined);
});

test('an expired card is declined; a wrong PIN is reported', async () => {
  const { terminal, pin, config } = await bench('default.json');
  config.date = '310101';
  const expired = await terminal.purchase('000000001000', { pin });
  assert.ok(tvrHas(expired.tvr, 'expired application'));
  assert.equal(expired.outcome, 'declined offline');
  config.date = '250601';
  const wrong = await terminal.purchase('000000001000', { pin: '000000' });
  assert.ok(tvrHas(wrong.tvr, 'cardholder verification was not successful'));
  assert.equal(wrong.cvmResults[2], 0x01);
});
