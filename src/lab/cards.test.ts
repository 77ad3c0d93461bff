import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type Bytes, concat, equal, fromHex, toHex } from '../core/bytes.ts';
import { decodeResponse } from '../core/apdu.ts';
import { DataError, PROJECT_ROOT } from '../core/json.ts';
import { authCryptogram, commandMac } from '../cos/formats.ts';
import { encryptEcb } from '../crypto/block.ts';
import { GET_CHALLENGE } from '../cos/commands.ts';
import type { Profile } from '../model/profile.ts';
import { keysetPath, loadProfile } from './profile.ts';
import { Keyset, type KeysetJson, loadKeyset } from '../model/keyset.ts';
import { personalisedCard } from './cards.ts';
import type { SimulatedCard } from '../sim/card.ts';
import { SimulatorChannel } from '../sim/channel.ts';
import { type DedicatedFile, MF_FID } from '../sim/fs.ts';
import { KEY_TYPE } from '../model/keys.ts';
import { composeChannel } from '../channel/compose.ts';
import { diversificationFactors, factorsOfProfile } from '../ssse/factors.ts';
import { PSAM_AID, PsamClient, PsamError } from '../psam/client.ts';
import { PSAM_ENV, psamKeyset, usageLevels, usageType } from '../psam/keyset.ts';
import { buildPsam } from './cards.ts';

/** A sample card identification code: city 310100, card factor its last 8 bytes. */
const CIC = fromHex('310100D15600000500000000000001A1');

interface Variant {
  name: string;
  profile: Profile;
  keyset: Keyset;
  psam: SimulatedCard;
  /** The reference card personalised with the same key set, for end-to-end checks. */
  card: SimulatedCard;
  cardProfile: Profile;
}

async function variant(name: string, psamFile: string, cardFile: string): Promise<Variant> {
  const file = join(PROJECT_ROOT, 'profiles', psamFile);
  const profile = loadProfile(file);
  const keyset = loadKeyset(keysetPath(profile, file));
  const cardPath = join(PROJECT_ROOT, 'profiles', cardFile);
  const cardProfile = loadProfile(cardPath);
  const card = await personalisedCard(cardProfile, loadKeyset(keysetPath(cardProfile, cardPath)));
  return { name, profile, keyset, psam: await buildPsam(profile, keyset), card, cardProfile };
}

const VARIANTS: Variant[] = [await variant('3DES', 'psam.json', 'default.json'), await variant('SM4', 'psam-sm4.json', 'ssc-3.0-sm4.json')];

function algOf(v: Variant) {
  return v.keyset.psam!.master.alg;
}

function client(v: Variant): { card: SimulatedCard; psam: PsamClient; channel: SimulatorChannel } {
  const card = v.psam.clone();
  const channel = new SimulatorChannel(card, `PSAM ${v.name}`);
  return { card, psam: new PsamClient(channel, { alg: algOf(v) }), channel };
}

/** Sends hex, returns the status word as upper-case hex. */
function sw(card: SimulatedCard, hex: string): string {
  const r = card.process(fromHex(hex.replace(/\s+/g, '')));
  assert.equal(card.lastFault, undefined, `internal fault on ${hex}: ${String(card.lastFault)}`);
  return toHex(r.subarray(r.length - 2));
}

function selectPsam(card: SimulatedCard): void {
  assert.match(sw(card, `00A4040C06${toHex(PSAM_AID)}`), /^9000$/);
}

function psamKeys(v: Variant) {
  return v.keyset.environment('SSSE').keys.filter((k) => k.psam);
}

function factorList(v: Variant, factors = diversificationFactors(CIC)): Bytes[] {
  return v.keyset.factorNames('SSSE').map((n) => factors[n]);
}

function psamDf(card: SimulatedCard): DedicatedFile {
  const df = card.mf.children.find((c): c is DedicatedFile => c.kind === 'DF' && c.name !== undefined && equal(c.name, PSAM_AID));
  assert.ok(df, 'the PSAM has its application DF');
  return df;
}

for (const v of VARIANTS) {
  const alg = algOf(v);
  const bs = alg === '3des' ? 8 : 16;
  const ext = psamKeys(v)[0]!;
  const factorsHex = toHex(concat(...factorList(v)));

  test(`${v.name} PSAM: T=0, selected by its AID, terminal number and serial readable`, async () => {
    const { card, psam } = client(v);
    assert.equal(card.protocol, 'T=0');
    const fci = await psam.select();
    assert.ok(fci.length > 0);
    assert.ok(card.context.security.env.name && equal(card.context.security.env.name, PSAM_AID));
    assert.equal(toHex(await psam.terminalNumber()), '310100000001');
    const ef17 = card.process(fromHex('00B097000A'));
    assert.equal(toHex(ef17), '310100000000000000019000');
  });

  test(`${v.name} PSAM: every SSSE key with psam gives the card key's cryptogram and command MAC`, async () => {
    const { psam } = client(v);
    await psam.select();
    const factors = diversificationFactors(CIC);
    const challenge = fromHex('1122334455667788');
    const header = fromHex('84DC012C');
    const data = fromHex('0A0131');
    assert.ok(psamKeys(v).length >= 7);
    for (const k of psamKeys(v)) {
      const cardKey = v.keyset.cardKey('SSSE', k.id, factors);
      assert.equal(usageLevels(k.psam!.usage), factorList(v).length, `key ${k.id}: one level per factor`);
      const c = await psam.externalAuthCryptogram(k.psam!.usage, k.psam!.index, factorList(v), challenge);
      assert.equal(toHex(c), toHex(authCryptogram(cardKey.alg, cardKey.value, challenge)), `cryptogram of key ${k.id}`);
      assert.equal(c.length, bs);
      const m = await psam.commandMac(k.psam!.usage, k.psam!.index, factorList(v), challenge, header, data);
      assert.equal(toHex(m), toHex(commandMac(cardKey.alg, cardKey.value, challenge, header, data)), `MAC of key ${k.id}`);
      // The undiversified master key gives something else.
      assert.notEqual(toHex(c), toHex(authCryptogram(k.alg, fromHex(k.value), challenge)));
    }
    // A MAC over an empty command body and a long one (several blocks) agree too.
    const k = ext;
    const cardKey = v.keyset.cardKey('SSSE', k.id, factors);
    for (const d of [new Uint8Array(0), new Uint8Array(100).fill(0x5a)]) {
      const m = await psam.commandMac(k.psam!.usage, k.psam!.index, factorList(v), challenge, fromHex('841E0000'), d);
      assert.equal(toHex(m), toHex(commandMac(cardKey.alg, cardKey.value, challenge, fromHex('841E0000'), d)));
    }
  });

  test(`${v.name} PSAM: a session serves several calculations; encrypt takes several blocks`, async () => {
    const { psam } = client(v);
    await psam.select();
    const cardKey = v.keyset.cardKey('SSSE', ext.id, diversificationFactors(CIC));
    await psam.initialise(ext.psam!.usage, ext.psam!.index, factorList(v));
    const two = new Uint8Array(2 * bs).fill(0x33);
    assert.equal(toHex(await psam.encrypt(two)), toHex(encryptEcb(alg, cardKey.value, two)));
    assert.equal(toHex(await psam.encrypt(two)), toHex(encryptEcb(alg, cardKey.value, two)));
  });

  test(`${v.name} PSAM and reference card end to end: the PSAM authenticates the terminal to the card`, async () => {
    const card = v.card.clone();
    const cardChannel = composeChannel(new SimulatorChannel(card, 'card')).handled;
    const { psam } = client(v);
    await psam.select();
    const factors = factorsOfProfile(v.cardProfile);
    assert.ok(factors);
    const list = factorList(v, factors);
    const ssse = '7378312E73682EC9E7BBE1B1A3D5CF';
    assert.equal(decodeResponse(await cardChannel.transmit(fromHex(`00A4040C0F${ssse}`))).sw, 0x9000);
    const challenge = decodeResponse(await cardChannel.transmit(GET_CHALLENGE));
    assert.equal(challenge.sw, 0x9000);
    const cryptogram = await psam.externalAuthCryptogram(ext.psam!.usage, ext.psam!.index, list, challenge.data);
    const r = decodeResponse(await cardChannel.transmit(concat([0x00, 0x82, 0x00, ext.id, cryptogram.length], cryptogram)));
    assert.equal(r.sw, 0x9000);
    // A protected update with the PSAM's MAC of the maintenance key (STK), and the card accepts it.
    const stk = psamKeys(v).find((k) => k.type === 'maintenance')!;
    const c2 = decodeResponse(await cardChannel.transmit(GET_CHALLENGE));
    const record = fromHex('0A0132');
    const header = fromHex('04DC0434');
    const mac = await psam.commandMac(stk.psam!.usage, stk.psam!.index, list, c2.data, header, record);
    const u = decodeResponse(await cardChannel.transmit(concat(header, [record.length + 4], record, mac)));
    assert.equal(u.sw, 0x9000);
  });

  test(`${v.name} PSAM: status words of DES CALCULATION INITIALISE and DES CALCULATION`, () => {
    const { card } = client(v);
    selectPsam(card);
    const u = toHex([ext.psam!.usage]);
    const i = toHex([ext.psam!.index]);
    const block = '00'.repeat(bs);
    // No initialise → 6985.
    assert.equal(sw(card, `80FA0000${toHex([bs])}${block}`), '6985');
    assert.equal(sw(card, `80FA0500${toHex([bs + 4])}${block}01020304`), '6985');
    // Wrong usage, unknown index → 6A88; the PSAM master key → 6985.
    assert.equal(sw(card, `801A${toHex([ext.psam!.usage ^ 0x01])}${i}10${factorsHex}`), '6A88');
    assert.equal(sw(card, `801A${toHex([ext.psam!.usage ^ 0x20])}${i}10${factorsHex}`), '6A88');
    assert.equal(sw(card, `801A${u}7F10${factorsHex}`), '6A88');
    assert.equal(sw(card, `801A000010${factorsHex}`), '6985');
    // Wrong factor count → 6A80; a length that is not whole factors → 6700.
    assert.equal(sw(card, `801A${u}${i}08${factorsHex.slice(0, 16)}`), '6A80');
    assert.equal(sw(card, `801A${u}${i}18${factorsHex}0000000000000000`), '6A80');
    assert.equal(sw(card, `801A${u}${i}`), '6A80');
    assert.equal(sw(card, `801A${u}${i}09${factorsHex.slice(0, 18)}`), '6700');
    // A good initialise.
    assert.equal(sw(card, `801A${u}${i}10${factorsHex}`), '9000');
    // Wrong data lengths → 6700.
    assert.equal(sw(card, `80FA000007${'00'.repeat(7)}`), '6700');
    assert.equal(sw(card, `80FA0000${toHex([bs + 1])}${block}00`), '6700');
    assert.equal(sw(card, `80FA000000`), '6700');
    assert.equal(sw(card, `80FA0500${toHex([bs - 1])}${'00'.repeat(bs - 1)}`), '6700');
    // Unknown mode, P2 not 00 → 6A86.
    assert.equal(sw(card, `80FA0100${toHex([bs])}${block}`), '6A86');
    assert.equal(sw(card, `80FA0001${toHex([bs])}${block}`), '6A86');
    // The session is still there; a MAC of an IV alone (empty message) is fine.
    assert.equal(sw(card, `80FA0000${toHex([bs])}${block}`), `61${toHex([bs])}`);
    assert.equal(sw(card, `80FA0500${toHex([bs])}${block}`), '6104');
    // Only CLA 80.
    assert.equal(sw(card, `001A${u}${i}10${factorsHex}`), '6E00');
  });

  test(`${v.name} PSAM: the session ends with a refused initialise, a reset or leaving the application`, () => {
    const { card } = client(v);
    const u = toHex([ext.psam!.usage]);
    const i = toHex([ext.psam!.index]);
    const calc = `80FA0000${toHex([bs])}${'00'.repeat(bs)}`;
    const ok = `61${toHex([bs])}`;
    const init = `801A${u}${i}10${factorsHex}`;
    selectPsam(card);
    assert.equal(sw(card, init), '9000');
    assert.equal(sw(card, calc), ok);
    // Selecting inside the application keeps it.
    assert.equal(sw(card, '00A4020C020016'), '9000');
    assert.equal(sw(card, '00B0960006'), '9000');
    selectPsam(card);
    assert.equal(sw(card, calc), ok);
    // A refused initialise ends it.
    assert.equal(sw(card, `801A${u}${i}08${factorsHex.slice(0, 16)}`), '6A80');
    assert.equal(sw(card, calc), '6985');
    // Leaving the application ends it.
    assert.equal(sw(card, init), '9000');
    assert.equal(sw(card, '00A4000C023F00'), '9000');
    selectPsam(card);
    assert.equal(sw(card, calc), '6985');
    // A reset ends it.
    assert.equal(sw(card, init), '9000');
    card.reset();
    selectPsam(card);
    assert.equal(sw(card, calc), '6985');
  });

  test(`${v.name} PSAM: the PSAM commands answer only in the PSAM application`, () => {
    const { card } = client(v);
    const init = `801A${toHex([ext.psam!.usage])}${toHex([ext.psam!.index])}10${factorsHex}`;
    assert.equal(sw(card, init), '6D00');
    assert.equal(sw(card, `80FA0000${toHex([bs])}${'00'.repeat(bs)}`), '6D00');
    selectPsam(card);
    assert.equal(sw(card, init), '9000');
  });

  test(`${v.name} PSAM: the client reports status words as PsamError`, async () => {
    const { psam } = client(v);
    await assert.rejects(psam.terminalNumber(), (e: unknown) => e instanceof PsamError && e.sw === 0x6a82);
    await psam.select();
    await assert.rejects(psam.encrypt(new Uint8Array(bs)), (e: unknown) => e instanceof PsamError && e.sw === 0x6985);
    await assert.rejects(
      psam.initialise(ext.psam!.usage, ext.psam!.index, factorList(v).slice(0, 1)),
      (e: unknown) => e instanceof PsamError && e.sw === 0x6a80,
    );
    await assert.rejects(psam.mac(new Uint8Array(bs + 1), new Uint8Array(0)), RangeError);
  });

  test(`${v.name} PSAM: its keys are the SSSE master keys only — no SSSE environment master key, nothing of the PSE`, () => {
    const psamKs = psamKeyset(v.keyset);
    const df = psamDf(v.psam);
    assert.equal(v.psam.mf.fid, MF_FID);
    // The MF holds the PSAM's card master key, not the card's.
    assert.deepEqual(
      [...v.psam.mf.keys.values()].map((k) => toHex(k.value)),
      [toHex(v.keyset.psam!.cardMaster.value)],
    );
    const master = [...df.keys.values()].find((k) => k.type === KEY_TYPE.MASTER);
    assert.equal(toHex(master!.value), toHex(v.keyset.psam!.master.value));
    assert.notEqual(toHex(master!.value), toHex(v.keyset.master('SSSE').value));
    const dfValues = [...v.psam.mf.keys.values(), ...df.keys.values()].map((k) => toHex(k.value));
    assert.ok(!dfValues.includes(toHex(v.keyset.master('SSSE').value)), 'no SSSE master key on the PSAM');
    // Application keys: index → usage and the undiversified SSSE key.
    const apps = [...df.keys.values()].filter((k) => k.type !== KEY_TYPE.MASTER);
    assert.deepEqual(
      apps.map((k) => [k.id, k.type, toHex(k.value)]).sort((a, b) => Number(a[0]) - Number(b[0])),
      psamKeys(v)
        .map((k) => [k.psam!.index, k.psam!.usage, k.value.toUpperCase()])
        .sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    assert.equal(df.pins.size, 0);
    // The key set: nothing of the PSE, no SSSE environment master key.
    const pse = [v.keyset.master('PSE'), ...v.keyset.keys('PSE')].map((k) => toHex(k.value));
    const psamValues = [psamKs.cardMaster, psamKs.master(PSAM_ENV), ...psamKs.keys(PSAM_ENV)].map((k) => toHex(k.value));
    assert.equal(psamValues.filter((x) => pse.includes(x)).length, 0);
    assert.ok(!psamValues.includes(toHex(v.keyset.master('SSSE').value)));
    assert.ok(!psamValues.includes(toHex(v.keyset.cardMaster.value)));
    assert.equal(psamKs.psam, undefined);
    assert.ok(!JSON.stringify(psamKs.json).includes('PSE'));
    assert.deepEqual(Object.keys(psamKs.json.environments), [PSAM_ENV]);
  });

  test(`${v.name} psamKeyset: numeric key-usage types, ids = PSAM indexes`, () => {
    const ks = psamKeyset(v.keyset);
    assert.equal(ks.cardMaster.type, KEY_TYPE.MASTER);
    assert.equal(toHex(ks.cardMaster.value), toHex(v.keyset.psam!.cardMaster.value));
    assert.equal(ks.key(PSAM_ENV, ks.master(PSAM_ENV).id).type, KEY_TYPE.MASTER);
    for (const k of psamKeys(v)) {
      const p = ks.key(PSAM_ENV, k.psam!.index);
      assert.equal(p.type, k.psam!.usage);
      assert.equal(p.id, k.psam!.index);
      assert.equal(toHex(p.value), k.value.toUpperCase());
      assert.equal(usageType(p.type), k.psam!.usage & 0x1f);
    }
    assert.deepEqual(
      ks.keys(PSAM_ENV).map((k) => k.type),
      psamKeys(v).map((k) => k.psam!.usage),
    );
    assert.deepEqual(ks.factorNames(PSAM_ENV), []);
    assert.throws(() => ks.key(PSAM_ENV, 0x7f), DataError);
  });
}

function keysetJson(): KeysetJson {
  return structuredClone(VARIANTS[0]!.keyset.json);
}

test('psamKeyset: DataError without a psam section', () => {
  const json = keysetJson();
  delete json.psam;
  assert.throws(
    () => psamKeyset(new Keyset(json, 'no-psam.json')),
    (e: unknown) => e instanceof DataError && /psam/.test(e.message) && e.file === 'no-psam.json',
  );
});

test('psamKeyset: DataError when two SSSE keys share a PSAM index, or an index or usage clashes with the master key', () => {
  const dup = keysetJson();
  dup.environments.SSSE!.keys[1]!.psam = { usage: 0x47, index: dup.environments.SSSE!.keys[0]!.psam!.index };
  assert.throws(
    () => psamKeyset(new Keyset(dup, 'dup.json')),
    (e: unknown) => e instanceof DataError && /index 1 is also/.test(e.message),
  );
  const zero = keysetJson();
  zero.environments.SSSE!.keys[0]!.psam = { usage: 0x45, index: 0 };
  assert.throws(() => psamKeyset(new Keyset(zero, 'zero.json')), DataError);
  const master = keysetJson();
  master.environments.SSSE!.keys[0]!.psam = { usage: 0x00, index: 9 };
  assert.throws(() => psamKeyset(new Keyset(master, 'master.json')), DataError);
});

test('buildPsam: a profile without the PSAM environment, or with another one, is refused', async () => {
  const v = VARIANTS[0]!;
  const noPsam = structuredClone(v.profile);
  noPsam.fileSystem.children = [];
  await assert.rejects(buildPsam(noPsam, v.keyset), DataError);
  const withSsse = structuredClone(v.profile);
  withSsse.fileSystem.children.push({ kind: 'DF', environment: 'SSSE', fid: 'DDF1', children: [] });
  await assert.rejects(buildPsam(withSsse, v.keyset), DataError);
});
