import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { fromHex } from '../core/bytes.ts';
import { PROJECT_ROOT } from '../core/json.ts';
import { CardSession } from '../channel/session.ts';
import { PSAM_AID } from '../psam/client.ts';
import { DEFAULT_PROFILE } from './profile.ts';
import { keysetOf, openPsam, openTarget, targetConfigOf } from './target.ts';

const SSSE = fromHex('7378312E73682EC9E7BBE1B1A3D5CF');

test('targetConfigOf: the default profile, a relative profile file resolved, only the options of a target kept', () => {
  const plain = targetConfigOf({ target: 'sim' });
  assert.equal(plain.profileFile, DEFAULT_PROFILE);
  assert.equal(plain.profile.id, 'default-t0');
  assert.deepEqual(Object.keys(plain).sort(), ['profile', 'profileFile', 'target']);
  const sm4 = join(PROJECT_ROOT, 'profiles', 'ssc-3.0-sm4.json');
  const parameters = {
    target: 'pcsc' as const,
    profileFile: relative(process.cwd(), sm4),
    reader: '1',
    psamReader: 'PSAM',
    simControl: { host: '127.0.0.1', port: 35999 },
    sampleId: 'S-1',
  };
  const config = targetConfigOf(parameters);
  assert.equal(config.profileFile, sm4);
  assert.deepEqual(
    { ...config, profile: undefined },
    {
      target: 'pcsc',
      profileFile: sm4,
      reader: '1',
      psamReader: 'PSAM',
      simControl: { host: '127.0.0.1', port: 35999 },
      profile: undefined,
    },
  );
});

test('targetConfigOf: each configuration has its own copy of the profile; the key set is read once', () => {
  const a = targetConfigOf({ target: 'sim' });
  const b = targetConfigOf({ target: 'sim' });
  assert.notEqual(a.profile, b.profile);
  assert.deepEqual(a.profile, b.profile);
  assert.equal(keysetOf(a), keysetOf(b));
});

test('openTarget on the simulator: personalised cards are separate samples, a blank card has no applications', async () => {
  const config = targetConfigOf({ target: 'sim' });
  const first = await openTarget(config);
  const second = await openTarget(targetConfigOf({ target: 'sim' }));
  assert.equal(first.keyset, second.keyset);
  const one = new CardSession(first.channel);
  const other = new CardSession(second.channel);
  assert.equal((await one.selectName(SSSE)).sw, 0x9000);
  assert.equal((await other.selectName(SSSE)).sw, 0x9000);
  // a wrong PIN on one sample leaves the other's try counter alone
  const pin = first.keyset.pins('SSSE')[0]!;
  const wrong = fromHex('0020000003999999');
  wrong[3] = pin.id;
  const afterOne = (await one.send(wrong)).sw;
  assert.equal(afterOne >> 4, 0x63c);
  assert.equal((await one.send(wrong)).sw, afterOne - 1);
  assert.equal((await other.send(wrong)).sw, afterOne);
  const blank = new CardSession((await openTarget(config, 'blank')).channel);
  assert.equal((await blank.selectName(SSSE)).sw, 0x6a82);
});

test('openPsam on the simulator: each terminal gets a PSAM of its own, personalised alike', async () => {
  const config = targetConfigOf({ target: 'sim' });
  const keyset = keysetOf(config);
  for (let i = 0; i < 2; i++) {
    const psam = new CardSession(await openPsam(config, keyset));
    assert.match(psam.description, /^ssc-lab simulated PSAM \(profile .+\)$/);
    assert.equal((await psam.selectName(PSAM_AID)).sw, 0x9000);
  }
});
