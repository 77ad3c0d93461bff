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
import type { CardChannel } from '../channel/channel.ts';
import { concat, fromHex, toHex } from '../core/bytes.ts';
import { FinancialTerminal, describeTvr, referenceTerminalConfig, terminalCapabilities, tvrHas } from './financial.ts';

async function bench(profileName: string, online = true) {
  const profileFile = join(PROJECT_ROOT, 'profiles', profileName);
  const profile = loadProfile(profileFile);
  const { channel, keyset } = await openTarget({ target: 'sim', profile, profileFile });
  const { pboc } = new ProfileView(profile).pbocAdf();
  const config = referenceTerminalConfig(caPublicKeys(loadPki()), '250601');
  const pin = keyset.pins('PSE').find((p) => p.id === 0x80)!.value;
  const terminal = new FinancialTerminal(
    new CardSession(channel),
    config,
    online ? { host: new IssuerHost(keyset), scripts: [] } : undefined,
    { pan: pboc.pan, psn: pboc.psn, suite: pboc.suite },
  );
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

test('the terminal capabilities its configuration makes (Book 4 Annex A2)', () => {
  const config = referenceTerminalConfig(new Map(), '250601');
  assert.equal(toHex(terminalCapabilities(config)), '2088C8');
  assert.equal(toHex(terminalCapabilities({ offlinePin: false, oda: { cda: false, dda: false, sda: true } })), '200880');
});

/**
 * A card with the debit application only (no PSE): GPO answers template 77
 * with `gpo`, READ RECORD the records keyed "SFI/record", 6A83 otherwise.
 * It logs the command headers it receives.
 */
function scriptedCard(gpo: string, records: Record<string, string> = {}) {
  const headers: string[] = [];
  const ok = (data: string) => concat(fromHex(data), [0x90, 0x00]);
  const channel: CardChannel = {
    atr: fromHex('3B0000'),
    protocol: 'T=1',
    description: 'scripted card',
    async transmit(c) {
      headers.push(toHex(c.subarray(0, 4)));
      if (c[1] === 0xa4) return toHex(c).includes('A000000333010101') ? ok('6F0A8408A000000333010101') : fromHex('6A82');
      if (c[1] === 0xa8) return ok(`77${(gpo.length / 2).toString(16).padStart(2, '0')}${gpo}`);
      const record = records[`${c[3]! >> 3}/${c[2]}`];
      if (c[1] === 0xb2 && record) return ok(record);
      return fromHex('6A83');
    },
    async reset() {
      return fromHex('3B0000');
    },
    async close() {},
  };
  return { headers, session: new CardSession(channel) };
}

test('read application data: an invalid AFL, or a record the card does not return, terminates (Book 3 §10.2)', async () => {
  const config = referenceTerminalConfig(new Map(), '250601');
  const identity = { pan: '6217000000000001', psn: '00', suite: 'des-rsa' as const };
  const invalid = scriptedCard('82027D00' + '940400010101');
  const r = await new FinancialTerminal(invalid.session, config, undefined, identity).purchase('000000001000', { pin: '123456' });
  assert.equal(r.outcome, 'terminated');
  assert.match(r.reason!, /invalid AFL: entry 1: SFI 0 is outside 1-30/);
  assert.ok(!invalid.headers.some((h) => h.startsWith('00B2')), 'no READ RECORD');
  const missing = scriptedCard('82027D00' + '940808010200' + '10010100', { '1/1': '70035A0112' });
  const m = await new FinancialTerminal(missing.session, config, undefined, identity).purchase('000000001000', { pin: '123456' });
  assert.equal(m.reason, 'READ RECORD 2 of SFI 1 answered 6A83');
  assert.deepEqual(
    missing.headers.filter((h) => h.startsWith('00B2')),
    ['00B2010C', '00B2020C'],
  );
});
