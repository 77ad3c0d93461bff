import { factorsOfProfile } from '../ssse/factors.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fromHex, toHex } from '../core/bytes.ts';
import { decodeResponse } from '../core/apdu.ts';
import { DataError, PROJECT_ROOT } from '../core/json.ts';
import { composeChannel } from '../channel/compose.ts';
import type { DfJson, Profile } from '../model/profile.ts';
import { keysetPath, loadProfile } from '../lab/profile.ts';
import { buildBlankCard } from '../sim/build.ts';
import { SimulatorChannel } from '../sim/channel.ts';
import { type DedicatedFile, type ElementaryFile, LCS, childByFid } from '../sim/fs.ts';
import { KEY_TYPE } from '../model/keys.ts';
import { Keyset, type KeysetJson, loadKeyset } from '../model/keyset.ts';
import { PersoError, describeScript, personalise } from './personaliser.ts';
import { type PersoStep, generateScript } from './script.ts';

const PROFILE_FILE = join(PROJECT_ROOT, 'profiles', 'default.json');
const PROFILE = loadProfile(PROFILE_FILE);
const KEYSET = loadKeyset(keysetPath(PROFILE, PROFILE_FILE));
const SM4_PROFILE_FILE = join(PROJECT_ROOT, 'profiles', 'ssc-3.0-sm4.json');
const SM4_PROFILE = loadProfile(SM4_PROFILE_FILE);
const SM4_KEYSET = loadKeyset(keysetPath(SM4_PROFILE, SM4_PROFILE_FILE));
const SCRIPT = generateScript(PROFILE, KEYSET);
const STEPS = SCRIPT.steps;
const ENVS = Object.keys(KEYSET.json.environments);

function copy<T>(x: T): T {
  return structuredClone(x);
}

function apduIndex(hex: string, from = 0): number {
  return STEPS.findIndex((s, i) => i >= from && s.op === 'apdu' && s.apdu === hex);
}

function stepIndex(pred: (s: PersoStep) => boolean, from = 0): number {
  return STEPS.findIndex((s, i) => i >= from && pred(s));
}

/** Index of the CREATE FILE of an environment's DF. */
function createEnvIndex(env: string): number {
  return stepIndex((s) => s.op === 'apdu' && s.apdu.startsWith('80E0') && s.note.startsWith(`CREATE FILE environment ${env} `));
}

function envDf(env: string): DfJson {
  const df = PROFILE.fileSystem.children.find((c): c is DfJson => c.kind === 'DF' && c.environment === env);
  assert.ok(df, `profile DF for ${env}`);
  return df;
}

// ---------------------------------------------------------------- the script

test('the script names the profile and key set and starts with SELECT MF and the card master key authentication', () => {
  assert.equal(SCRIPT.profile, 'default-t0');
  assert.equal(SCRIPT.keyset, 'lab-3des');
  assert.deepEqual(STEPS[0], { op: 'apdu', apdu: '00A4000C023F00', note: 'SELECT MF' });
  assert.deepEqual(STEPS[1], { op: 'authenticate', env: 'MF', key: KEYSET.cardMaster.id, note: 'authenticate with the card master key' });
});

test('the script ends with ACTIVATE MF, in the MF, authenticated with the card master key', () => {
  const last = STEPS[STEPS.length - 1]!;
  assert.equal(last.op, 'apdu');
  assert.equal(last.op === 'apdu' && last.apdu, '00440000');
  assert.equal(last.note, 'ACTIVATE MF');
  assert.deepEqual(STEPS[STEPS.length - 2], { op: 'authenticate', env: 'MF', key: 0, note: 'authenticate with the card master key' });
  assert.deepEqual(STEPS[STEPS.length - 3], { op: 'apdu', apdu: '00A4030C', note: 'SELECT MF' });
});

test('the MF EFs are created under the card master key before any environment', () => {
  const firstEnv = Math.min(...ENVS.map(createEnvIndex));
  for (const fid of ['2F02', '0015', '0016']) {
    const i = stepIndex((s) => s.op === 'apdu' && s.note.startsWith(`CREATE FILE EF ${fid}`));
    assert.ok(i > 1 && i < firstEnv, `EF ${fid} at ${i}`);
  }
});

test('each environment: created under the card master key, selected, its master key loaded under the card master key, then authenticated', () => {
  for (const env of ENVS) {
    const df = envDf(env);
    const create = createEnvIndex(env);
    assert.ok(create > 0, `CREATE FILE of ${env}`);
    // the last authentication before the creation is with the card master key
    const authBefore = STEPS.slice(0, create).filter((s) => s.op === 'authenticate');
    assert.deepEqual(
      authBefore[authBefore.length - 1],
      { op: 'authenticate', env: 'MF', key: 0, note: 'authenticate with the card master key' },
      env,
    );
    assert.equal(apduIndex(`00A4010C02${df.fid}`, create), create + 1, `SELECT ${env} right after its creation`);
    const master = KEYSET.environment(env).master.id;
    const load = stepIndex((s) => s.op === 'write-key' && s.env === env && s.key === master);
    assert.equal(load, create + 2, `${env} master key loaded right after the selection`);
    assert.equal((STEPS[load] as Extract<PersoStep, { op: 'write-key' }>).authority, 'card');
    assert.deepEqual(STEPS[load + 1], { op: 'authenticate', env, key: master, note: `authenticate with the ${env} master key` });
  }
});

test('application keys and PINs are loaded under the environment master key, after authenticating with it, before ACTIVATE', () => {
  for (const env of ENVS) {
    const master = KEYSET.environment(env).master.id;
    const auth = stepIndex((s) => s.op === 'authenticate' && s.env === env && s.key === master);
    const activate = stepIndex((s) => s.op === 'apdu' && s.note === `ACTIVATE ${env}`);
    assert.ok(auth > 0 && activate > auth, env);
    assert.equal(STEPS[activate]!.op === 'apdu' && (STEPS[activate] as { apdu: string }).apdu, '00440000');
    for (const k of KEYSET.environment(env).keys) {
      const i = stepIndex((s) => s.op === 'write-key' && s.env === env && s.key === k.id);
      assert.ok(i > auth && i < activate, `${env} key ${k.id} at ${i}`);
      assert.equal((STEPS[i] as Extract<PersoStep, { op: 'write-key' }>).authority, 'environment');
    }
    for (const p of KEYSET.pins(env)) {
      const i = stepIndex((s) => s.op === 'write-pin' && s.env === env && s.pin === p.id);
      assert.ok(i > auth && i < activate, `${env} PIN ${p.id} at ${i}`);
    }
    // nothing of another environment between the environment's authentication and its activation
    for (const s of STEPS.slice(auth, activate)) {
      if (s.op !== 'apdu') assert.equal(s.env, env, `${env}: ${s.note}`);
    }
  }
});

test('every key of every environment is loaded exactly once, every PIN exactly once, the card master key never', () => {
  const loaded = STEPS.filter((s) => s.op === 'write-key').map((s) => `${s.env}/${s.key}`);
  const expected = ENVS.flatMap((env) =>
    [KEYSET.environment(env).master.id, ...KEYSET.environment(env).keys.map((k) => k.id)].map((id) => `${env}/${id}`),
  );
  assert.deepEqual([...loaded].sort(), [...expected].sort());
  assert.equal(new Set(loaded).size, loaded.length);
  assert.ok(!loaded.some((k) => k.startsWith('MF/')));
  const pins = STEPS.filter((s) => s.op === 'write-pin').map((s) => `${s.env}/${s.pin}`);
  assert.deepEqual(pins.sort(), ENVS.flatMap((env) => KEYSET.pins(env).map((p) => `${env}/${p.id}`)).sort());
});

test('the script contains no key material', () => {
  const text = JSON.stringify(SCRIPT).toUpperCase();
  const values = [
    KEYSET.json.cardMaster.value,
    ...ENVS.flatMap((env) => [KEYSET.environment(env).master.value, ...KEYSET.environment(env).keys.map((k) => k.value)]),
  ];
  assert.equal(values.length, 1 + 2 + 7 + 8);
  for (const v of values) {
    assert.ok(!text.includes(v.toUpperCase()), `key ${v} appears in the script`);
    // not even one half of a double-length key
    assert.ok(
      !text.includes(v.toUpperCase().slice(0, 16)) && !text.includes(v.toUpperCase().slice(16)),
      `half of key ${v} appears in the script`,
    );
  }
  // steps carry references only
  for (const s of STEPS) {
    const allowed = {
      apdu: ['op', 'apdu', 'note'],
      authenticate: ['op', 'env', 'key', 'note'],
      'write-key':
        s.op === 'write-key' && s.factors
          ? ['op', 'env', 'key', 'authority', 'factors', 'note']
          : ['op', 'env', 'key', 'authority', 'note'],
      'write-pin': ['op', 'env', 'pin', 'note'],
      // STORE DATA of keys names them (kind, card, PKI entry); only data without keys travel as data
      'store-data': s.op === 'store-data' && s.keys ? ['op', 'env', 'dgi', 'keys', 'note'] : ['op', 'env', 'dgi', 'data', 'note'],
    }[s.op];
    assert.deepEqual(Object.keys(s).sort(), [...allowed].sort(), s.note);
  }
  assert.match(describeScript(SCRIPT), /WRITE KEY SSSE key 0 under the card master key/);
  // the PBOC issuer master keys and the ICC private keys travel by reference too
  const mdks = KEYSET.pbocMasterKeys();
  for (const k of [mdks.ac, mdks.mac, mdks.enc]) assert.ok(!text.includes(toHex(k.value)), 'an issuer master key appears in the script');
  assert.ok(
    STEPS.some((s) => s.op === 'store-data' && s.keys?.kind === 'udk'),
    'the UDKs are loaded with STORE DATA',
  );
  assert.ok(
    STEPS.some((s) => s.op === 'store-data' && s.keys?.kind === 'icc-key'),
    'the ICC key is loaded with STORE DATA',
  );
});

test('a DF directly under the MF without "environment" is a DataError naming the JSON path', () => {
  const profile: Profile = copy(PROFILE);
  const i = profile.fileSystem.children.findIndex((c) => c.kind === 'DF');
  assert.equal(i, 3);
  delete (profile.fileSystem.children[i] as DfJson).environment;
  assert.throws(
    () => generateScript(profile, KEYSET, 'profiles/broken.json'),
    (e: unknown) =>
      e instanceof DataError &&
      e.file === 'profiles/broken.json' &&
      e.problems.length === 1 &&
      e.problems[0]!.startsWith('/fileSystem/children/3: ') &&
      e.problems[0]!.includes('"environment"'),
  );
});

test('a file without a FID is a DataError naming its JSON path; an environment missing from the key set too', () => {
  const noFid: Profile = copy(PROFILE);
  const ssse = noFid.fileSystem.children[3] as DfJson;
  delete ssse.children![2]!.fid;
  assert.throws(
    () => generateScript(noFid, KEYSET),
    (e: unknown) => e instanceof DataError && e.problems[0]!.startsWith('/fileSystem/children/3/children/2: '),
  );
  const unknownEnv: Profile = copy(PROFILE);
  (unknownEnv.fileSystem.children[4] as DfJson).environment = 'XYZ';
  assert.throws(
    () => generateScript(unknownEnv, KEYSET),
    (e: unknown) => e instanceof DataError && /no environment "XYZ"/.test(e.message),
  );
});

// ---------------------------------------------------------------- personalise()

function findDf(parent: DedicatedFile, fid: number): DedicatedFile {
  const n = childByFid(parent, fid);
  assert.ok(n && n.kind === 'DF', `DF ${fid.toString(16)}`);
  return n;
}

function findEf(parent: DedicatedFile, fid: number): ElementaryFile {
  const n = childByFid(parent, fid);
  assert.ok(n && n.kind === 'EF', `EF ${fid.toString(16)}`);
  return n;
}

test('personalise() turns a blank card into the profile’s card', async () => {
  const card = buildBlankCard(PROFILE, KEYSET);
  assert.equal(card.mf.children.length, 0);
  assert.equal(card.mf.lcs, LCS.INITIALISATION);
  const channel = new SimulatorChannel(card, 'blank');
  const result = await personalise(channel, SCRIPT, KEYSET);
  assert.equal(result.steps, STEPS.length);
  assert.ok(result.apdus > result.steps, 'authentication and key steps take two APDUs each');

  // EF05 record 1 as in the profile, in the tree and through the card's own commands
  const ssse = findDf(card.mf, 0xddf1);
  const ef05 = findEf(ssse, 0xef05);
  const profileEf05 = envDf('SSSE').children!.find((c) => c.fid === 'EF05');
  assert.ok(profileEf05 && profileEf05.kind === 'EF');
  assert.equal(toHex(ef05.records[0]!), profileEf05.records![0]);
  assert.deepEqual(
    ef05.records.map((r) => toHex(r)),
    profileEf05.records,
  );
  const reader = composeChannel(channel).handled;
  assert.equal(decodeResponse(await reader.transmit(fromHex('00A4000C02DDF1'))).sw, 0x9000);
  const r = decodeResponse(await reader.transmit(fromHex('00B2012C00')));
  assert.equal(r.sw, 0x9000);
  assert.equal(toHex(r.data), profileEf05.records![0]);

  // life cycle and keys
  assert.equal(card.mf.lcs, LCS.OPERATIONAL);
  for (const env of ENVS) {
    const df = findDf(card.mf, parseInt(envDf(env).fid!, 16));
    assert.equal(df.lcs, LCS.OPERATIONAL, env);
    const master = df.keys.get(KEYSET.environment(env).master.id);
    assert.equal(master?.type, KEY_TYPE.MASTER);
    assert.equal(toHex(master.value), KEYSET.environment(env).master.value);
    // The SSSE keys are on the card diversified with the card's factors (key set `diversification`).
    for (const k of KEYSET.keys(env).map((x) => KEYSET.cardKey(env, x.id, factorsOfProfile(PROFILE)!))) {
      const onCard = df.keys.get(k.id);
      assert.ok(onCard, `${env} key ${k.id}`);
      assert.deepEqual(
        { type: onCard.type, alg: onCard.alg, version: onCard.version, tries: onCard.tries, value: toHex(onCard.value) },
        { type: k.type, alg: k.alg, version: k.version, tries: k.tries, value: toHex(k.value) },
      );
    }
    assert.deepEqual(
      [...df.pins.values()].map((p) => ({ id: p.id, value: p.value, tries: p.tries })),
      KEYSET.pins(env).map((p) => ({ id: p.id, value: p.value, tries: p.tries })),
    );
  }
  assert.equal(card.mf.keys.size, 1, 'the MF holds only the card master key');
  assert.equal(card.lastFault, undefined);
});

test('personalise() with an SM4 key set personalises the SM4 profile', async () => {
  const card = buildBlankCard(SM4_PROFILE, SM4_KEYSET);
  await personalise(new SimulatorChannel(card, 'blank sm4'), generateScript(SM4_PROFILE, SM4_KEYSET), SM4_KEYSET);
  const ssse = findDf(card.mf, 0xddf1);
  assert.equal(ssse.keys.get(1)?.alg, 'sm4');
  assert.equal(card.mf.lcs, LCS.OPERATIONAL);
});

test('a failing step is a PersoError naming the step: a blank card with another card master key answers 63Cx', async () => {
  const other: KeysetJson = copy(KEYSET.json);
  other.id = 'other';
  other.cardMaster.value = '00112233445566778899AABBCCDDEEFF';
  const card = buildBlankCard(PROFILE, new Keyset(other, 'other.json'));
  await assert.rejects(personalise(new SimulatorChannel(card, 'foreign blank'), SCRIPT, KEYSET), (e: unknown) => {
    assert.ok(e instanceof PersoError, String(e));
    assert.equal(e.step, 1);
    assert.equal(e.stepNote, 'authenticate with the card master key');
    assert.equal(e.sw, 0x63ce);
    assert.equal(e.sw & 0xfff0, 0x63c0);
    assert.match(e.message, /^personalisation step 2 \(authenticate with the card master key\) failed: 63CE/);
    return true;
  });
  // nothing was created, and the card's try counter went down by one
  assert.equal(card.mf.children.length, 0);
  assert.equal(card.mf.keys.get(0)?.tries, 14);
});

test('a failing APDU step is a PersoError with the step’s note (a card already personalised refuses CREATE FILE)', async () => {
  const card = buildBlankCard(PROFILE, KEYSET);
  const channel = new SimulatorChannel(card, 'blank');
  await personalise(channel, SCRIPT, KEYSET);
  await assert.rejects(
    personalise(channel, SCRIPT, KEYSET),
    (e: unknown) => e instanceof PersoError && e.step === 2 && e.sw === 0x6a89 && e.stepNote.startsWith('CREATE FILE EF 2F02'),
  );
});
