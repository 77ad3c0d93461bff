/**
 * The application defects (sim/defects/application.ts) do what the catalogue
 * says at the APDU level, and the clean card does not: firewall, PBOC debit
 * application, anti-tear per write command, life cycle. Card internals are
 * read only to compute what the issuer or terminal would (MACs, ARPCs, PINs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type Bytes, concat, fromHex, toHex } from '../core/bytes.ts';
import { PROJECT_ROOT } from '../core/json.ts';
import { findTag, parseTlv } from '../core/tlv.ts';
import { GET_CHALLENGE, writeKey } from '../cos/commands.ts';
import { authCryptogram, pinBlock, securedCommand, wrapKey } from '../cos/formats.ts';
import { dolLength, parseDol } from '../emv/dol.ts';
import { keysetPath, loadProfile } from '../lab/profile.ts';
import { personalisedCard } from '../lab/cards.ts';
import type { DefectId } from '../model/defects.ts';
import { KEY_TYPE } from '../model/keys.ts';
import { loadKeyset } from '../model/keyset.ts';
import { arpcMethod1, scriptMac, sessionKey } from '../pboc/cryptograms.ts';
import { type PbocCardData, pdolOf, recordElement, symmetric, u16 } from './apps/pboc-data.ts';
import type { SimulatedCard } from './card.ts';
import { type DedicatedFile, childByFid } from './fs.ts';
import { PowerLoss } from './nvm.ts';
import { exchangeT0 } from './t0-exchange.ts';

const PROFILES = {
  des: join(PROJECT_ROOT, 'profiles', 'default.json'),
  sm: join(PROJECT_ROOT, 'profiles', 'ssc-3.0-sm4.json'),
};
const cache = new Map<string, SimulatedCard>();

/** A fresh personalised card of the profile (3DES default, or SM4) with the defects. */
async function card(defects: DefectId[] = [], suite: 'des' | 'sm' = 'des'): Promise<SimulatedCard> {
  const key = `${suite}:${defects.join(',')}`;
  let c = cache.get(key);
  if (!c) {
    const profile = loadProfile(PROFILES[suite]);
    c = await personalisedCard({ ...profile, simulator: { defects } }, loadKeyset(keysetPath(profile, PROFILES[suite])));
    cache.set(key, c);
  }
  return c.clone();
}

interface Answer {
  data: Bytes;
  sw: string;
}

/** One command as a T=0 terminal sends it (6Cxx re-issued, 61xx fetched). */
function send(c: SimulatedCard, apdu: Bytes | string): Answer {
  const r = exchangeT0(c, apdu);
  return { data: r.slice(0, -2), sw: toHex(r.slice(-2)) };
}

function sw(c: SimulatedCard, apdu: Bytes | string): string {
  return send(c, apdu).sw;
}

function ok(c: SimulatedCard, apdu: Bytes | string, what: string): Bytes {
  const a = send(c, apdu);
  assert.equal(a.sw, '9000', `${what} → ${a.sw}`);
  return a.data;
}

const SELECT_MF = '00A4000C023F00';
const SELECT_SSSE = '00A4000C02DDF1';
const SELECT_PSE = '00A4000C02DDF2';

function df(parent: DedicatedFile, fid: number): DedicatedFile {
  const n = childByFid(parent, fid);
  assert.ok(n && n.kind === 'DF');
  return n;
}

function adf(c: SimulatedCard): DedicatedFile & { pboc: PbocCardData } {
  return df(df(c.mf, 0xddf2), 0xadf1) as DedicatedFile & { pboc: PbocCardData };
}

const sym = (c: SimulatedCard) => symmetric(adf(c).pboc.objects.DF69?.[0] === 0x01 ? 'sm' : 'des-rsa');
const tag = (data: Bytes, t: number): Bytes | undefined => findTag(parseTlv(data), t)?.value;

/** SELECT the debit ADF and GET PROCESSING OPTIONS (DF69 = 01 when the card is SM). */
function gpo(c: SimulatedCard): void {
  ok(c, concat([0x00, 0xa4, 0x04, 0x00, 0x08], fromHex('A000000333010101'), [0x00]), 'SELECT ADF');
  const a = adf(c);
  const pdol = pdolOf(a);
  const data = new Uint8Array(dolLength(pdol));
  let off = 0;
  for (const e of pdol) {
    if (e.tag === 0xdf69) data[off] = a.pboc.objects.DF69?.[0] ?? 0;
    off += e.length;
  }
  ok(c, concat([0x80, 0xa8, 0x00, 0x00, data.length + 2, 0x83, data.length], data, [0x00]), 'GPO');
}

/** GENERATE AC with zero CDOL data, but the ARC (8A) in the CDOL2 data. */
function gac(c: SimulatedCard, p1: number, second = false, arc = '3030'): Answer {
  const dol = parseDol(recordElement(adf(c), second ? 0x8d : 0x8c)!);
  const data = new Uint8Array(dolLength(dol));
  let off = 0;
  for (const e of dol) {
    if (e.tag === 0x8a) data.set(fromHex(arc), off);
    off += e.length;
  }
  return send(c, concat([0x80, 0xae, p1, 0x00, data.length], data, [0x00]));
}

/** GPO and a first GENERATE AC for an ARQC; returns the ARQC. */
function online(c: SimulatedCard): Bytes {
  gpo(c);
  const r = gac(c, 0x80);
  assert.equal(r.sw, '9000');
  assert.equal(tag(r.data, 0x9f27)![0], 0x80, 'ARQC');
  return tag(r.data, 0x9f26)!;
}

function arpc(c: SimulatedCard, arqc: Bytes, arc: string): Bytes {
  const d = adf(c).pboc;
  return arpcMethod1(sym(c), sessionKey(sym(c), d.udk!.ac, u16(d.atc)), arqc, fromHex(arc));
}

/** An issuer script command with its MAC (`spoil` flips the MAC's last byte, or all bytes with 'all'). */
function script(c: SimulatedCard, arqc: Bytes, header: string, data: Bytes, spoil?: 'last' | 'all'): Bytes {
  const d = adf(c).pboc;
  const atc = u16(d.atc);
  const h = fromHex(header);
  const mac = scriptMac(sym(c), sessionKey(sym(c), d.udk!.mac, atc), h, atc, arqc, data).slice();
  if (spoil === 'last') mac[3]! ^= 0x01;
  if (spoil === 'all') mac.fill(0);
  return concat(h, [data.length + 4], data, mac);
}

const EMPTY = new Uint8Array(0);

// ================================================================ PBOC issuer scripts

const SCRIPT_DEFECTS: [DefectId, string, Bytes, 'last' | 'all'][] = [
  ['script-mac-unchecked-application-block', '841E0000', EMPTY, 'all'],
  ['script-mac-last-byte-application-unblock', '84180000', EMPTY, 'last'],
  ['script-mac-unchecked-card-block', '84160000', EMPTY, 'all'],
  ['script-mac-last-byte-pin-change', '84240000', EMPTY, 'last'],
  ['script-mac-unchecked-put-data', '04DA9F23', fromHex('07'), 'all'],
];

for (const [id, header, data, spoil] of SCRIPT_DEFECTS) {
  test(`${id}: a spoilt script MAC is executed; the clean card answers 6988`, async () => {
    for (const [defects, expected] of [
      [[id], '9000'],
      [[], '6988'],
    ] as const) {
      const c = await card([...defects]);
      const arqc = online(c);
      assert.equal(sw(c, script(c, arqc, header, data, spoil)), expected, defects.join() || 'clean');
      // the same command with its right MAC goes through either way (the rest of the check is intact)
    }
  });
}

// ================================================================ issuer authentication, GENERATE AC

test('arpc-last-byte-ignored: an ARPC wrong in its last byte authenticates', async () => {
  for (const [defects, expected] of [
    [['arpc-last-byte-ignored'], '9000'],
    [[], '6300'],
  ] as const) {
    const c = await card([...defects]);
    const arqc = online(c);
    const a = arpc(c, arqc, '3030').slice();
    a[7]! ^= 0x01;
    assert.equal(sw(c, concat(fromHex('008200000A'), a, fromHex('3030'))), expected);
  }
  const c = await card(['arpc-last-byte-ignored']);
  const arqc = online(c);
  const a = arpc(c, arqc, '3030').slice();
  a[0]! ^= 0x01;
  assert.equal(sw(c, concat(fromHex('008200000A'), a, fromHex('3030'))), '6300', 'the first bytes are still compared');
});

test('issuer-auth-approves-declining-arc: after a valid ARPC a declining ARC still gets a TC', async () => {
  for (const [defects, cid] of [
    [['issuer-auth-approves-declining-arc'], 0x40],
    [[], 0x00],
  ] as const) {
    const c = await card([...defects]);
    const arqc = online(c);
    assert.equal(sw(c, concat(fromHex('008200000A'), arpc(c, arqc, '3035'), fromHex('3035'))), '9000');
    const r = gac(c, 0x40, true, '3035');
    assert.equal(r.sw, '9000');
    assert.equal(tag(r.data, 0x9f27)![0], cid);
  }
});

test('cda-first-gac-only: the second GENERATE AC with CDA answers 9F26, not 9F4B', async () => {
  for (const [defects, cda] of [
    [['cda-first-gac-only'], false],
    [[], true],
  ] as const) {
    const c = await card([...defects]);
    const arqc = online(c);
    ok(c, concat(fromHex('008200000A'), arpc(c, arqc, '3030'), fromHex('3030')), 'issuer authentication');
    const r = gac(c, 0x50, true);
    assert.equal(r.sw, '9000');
    assert.equal(tag(r.data, 0x9f4b) !== undefined, cda);
  }
});

test('atc-incremented-by-second-gac: the two GENERATE ACs of a transaction carry different ATCs', async () => {
  for (const [defects, same] of [
    [['atc-incremented-by-second-gac'], false],
    [[], true],
  ] as const) {
    const c = await card([...defects]);
    gpo(c);
    const first = tag(gac(c, 0x80).data, 0x9f36)!;
    const second = tag(gac(c, 0x00, true).data, 0x9f36)!;
    assert.equal(toHex(first) === toHex(second), same);
  }
});

test('atc-rolled-back-on-offline-decline: the next transaction repeats the ATC of a declined one', async () => {
  for (const [defects, repeats] of [
    [['atc-rolled-back-on-offline-decline'], true],
    [[], false],
  ] as const) {
    const c = await card([...defects]);
    gpo(c);
    const declined = tag(gac(c, 0x00).data, 0x9f36)!;
    gpo(c);
    const next = tag(gac(c, 0x00).data, 0x9f36)!;
    assert.equal(toHex(declined) === toHex(next), repeats);
  }
});

/** The CVR byte 2 (index 1) from the IAD of an ARQC after an offline PIN. */
async function cvrAfterPin(defects: DefectId[], right: boolean): Promise<number> {
  const c = await card(defects);
  gpo(c);
  const value = df(c.mf, 0xddf2).pins.get(0x80)!.value;
  const digits = right ? value : value.replace(/.$/, (d) => String((Number(d) + 1) % 10));
  const block = fromHex(`2${digits.length.toString(16)}${digits}`.padEnd(16, 'F'));
  send(c, concat(fromHex('0020008008'), block));
  const iad = tag(gac(c, 0x80).data, 0x9f10)!;
  return iad[4]!;
}

test('cvr-offline-pin-failure-not-set: a wrong offline PIN leaves the CVR "failed" bit clear', async () => {
  assert.equal((await cvrAfterPin(['cvr-offline-pin-failure-not-set'], false)) & 0x06, 0x04);
  assert.equal((await cvrAfterPin([], false)) & 0x06, 0x06);
});

test('cvr-offline-pin-performed-not-set: a right offline PIN leaves the CVR "performed" bit clear', async () => {
  assert.equal((await cvrAfterPin(['cvr-offline-pin-performed-not-set'], true)) & 0x06, 0x00);
  assert.equal((await cvrAfterPin([], true)) & 0x06, 0x04);
});

test('sm4-cryptogram-last-byte-wrong: the SM4 ARQC differs from the right one in its last byte only', async () => {
  const ac = async (defects: DefectId[]) => {
    const c = await card(defects, 'sm');
    return online(c);
  };
  const wrong = await ac(['sm4-cryptogram-last-byte-wrong']);
  const right = await ac([]);
  assert.equal(toHex(wrong.slice(0, 7)), toHex(right.slice(0, 7)));
  assert.notEqual(wrong[7], right[7]);
  const des = await card(['sm4-cryptogram-last-byte-wrong']);
  const clean = await card([]);
  assert.equal(toHex(online(des)), toHex(online(clean)), 'the 3DES suite is not affected');
});

test('tc-without-card-risk-management: a new card asked for a TC gives a TC', async () => {
  for (const [defects, cid] of [
    [['tc-without-card-risk-management'], 0x40],
    [[], 0x80],
  ] as const) {
    const c = await card([...defects]);
    gpo(c);
    assert.equal(tag(gac(c, 0x40).data, 0x9f27)![0], cid);
  }
});

test('transaction-log-not-written: an approved online transaction leaves no log record', async () => {
  for (const [defects, logged] of [
    [['transaction-log-not-written'], false],
    [[], true],
  ] as const) {
    const c = await card([...defects]);
    const arqc = online(c);
    ok(c, concat(fromHex('008200000A'), arpc(c, arqc, '3030'), fromHex('3030')), 'issuer authentication');
    assert.equal(tag(gac(c, 0x40, true).data, 0x9f27)![0], 0x40);
    const sfi = adf(c).pboc.objects['9F4D']![0]!;
    assert.equal(sw(c, new Uint8Array([0x00, 0xb2, 0x01, (sfi << 3) | 0x04, 0x00])) === '9000', logged);
  }
});

test('pin-try-counter-reads-maximum: GET DATA 9F17 does not count a wrong PIN', async () => {
  for (const [defects, spent] of [
    [['pin-try-counter-reads-maximum'], 0],
    [[], 1],
  ] as const) {
    const c = await card([...defects]);
    gpo(c);
    const pin = df(c.mf, 0xddf2).pins.get(0x80)!;
    assert.equal(sw(c, concat(fromHex('0020008008'), fromHex('26999999FFFFFFFF'))).slice(0, 3), '63C');
    assert.equal(tag(ok(c, '80CA9F1700', 'GET DATA 9F17'), 0x9f17)![0], pin.maxTries - spent);
  }
});

// ================================================================ firewall and life cycle

test('pboc-commands-in-ssse: GET PROCESSING OPTIONS answers in the SSSE', async () => {
  for (const [defects, expected] of [
    [['pboc-commands-in-ssse'], '9000'],
    [[], '6D00'],
  ] as const) {
    const c = await card([...defects]);
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const pdolLength = dolLength(pdolOf(adf(c)));
    const data = concat([0x83, pdolLength], new Uint8Array(pdolLength));
    assert.equal(sw(c, concat([0x80, 0xa8, 0x00, 0x00, data.length], data, [0x00])), expected);
    assert.equal(sw(c, '80CA9F3600'), expected === '9000' ? '9000' : sw(await card(), '80CA9F3600'));
  }
});

test('ssse-change-pin-outside-ssse: CHANGE PIN answers in the PSE', async () => {
  for (const [defects, supported] of [
    [['ssse-change-pin-outside-ssse'], true],
    [[], false],
  ] as const) {
    const c = await card([...defects]);
    ok(c, SELECT_PSE, 'SELECT PSE');
    assert.equal(sw(c, '805E018007123456FF654321') !== '6D00', supported);
  }
});

/** The SSSE key of `type`, and a command MAC'd with it (fresh challenge). */
function ssseSecured(c: SimulatedCard, type: number, header: string): Bytes {
  const key = [...df(c.mf, 0xddf1).keys.values()].find((k) => k.type === type)!;
  const challenge = ok(c, GET_CHALLENGE, 'GET CHALLENGE');
  return securedCommand(key.alg, key.value, challenge, fromHex(header), EMPTY);
}

test('pboc-application-block-card-wide: a PBOC APPLICATION BLOCK blocks the SSSE too', async () => {
  for (const [defects, ssse] of [
    [['pboc-application-block-card-wide'], '6283'],
    [[], '9000'],
  ] as const) {
    const c = await card([...defects]);
    const arqc = online(c);
    assert.equal(sw(c, script(c, arqc, '841E0000', EMPTY)), '9000');
    ok(c, SELECT_MF, 'SELECT MF');
    assert.equal(sw(c, SELECT_SSSE), ssse);
  }
});

test('pboc-card-block-card-wide: a PBOC CARD BLOCK blocks the SSSE for good', async () => {
  for (const [defects, blocked] of [
    [['pboc-card-block-card-wide'], true],
    [[], false],
  ] as const) {
    const c = await card([...defects]);
    const arqc = online(c);
    assert.equal(sw(c, script(c, arqc, '84160000', EMPTY)), '9000');
    ok(c, SELECT_MF, 'SELECT MF');
    sw(c, SELECT_SSSE);
    assert.equal(sw(c, '00B2012C00') === '9303', blocked, 'READ RECORD EF05 in the SSSE');
  }
});

test('ssse-block-blocks-pse and blocked-application-reads-records', async () => {
  for (const [defects, pse] of [
    [['ssse-block-blocks-pse'], '6283'],
    [[], '9000'],
  ] as const) {
    const c = await card([...defects]);
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    assert.equal(sw(c, ssseSecured(c, KEY_TYPE.MAINTENANCE, '841E0000')), '9000', 'APPLICATION BLOCK');
    assert.equal(sw(c, SELECT_PSE), pse);
  }
  for (const [defects, refused] of [
    [['blocked-application-reads-records'], false],
    [[], true],
  ] as const) {
    const c = await card([...defects]);
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    assert.equal(sw(c, ssseSecured(c, KEY_TYPE.MAINTENANCE, '841E0000')), '9000', 'APPLICATION BLOCK');
    assert.equal(sw(c, '00B2012C00') === '6A81', refused, 'READ RECORD EF05 in the blocked SSSE');
  }
});

test('ssse-card-block-temporary: APPLICATION UNBLOCK undoes the SSSE CARD BLOCK', async () => {
  for (const [defects, unblock] of [
    [['ssse-card-block-temporary'], '9000'],
    [[], '9303'],
  ] as const) {
    const c = await card([...defects]);
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    assert.equal(sw(c, ssseSecured(c, KEY_TYPE.CARD_BLOCK, '84160000')), '9000', 'CARD BLOCK');
    if (unblock === '9303') assert.equal(sw(c, GET_CHALLENGE), '9303', 'a card blocked for good answers 9303');
    else assert.equal(sw(c, ssseSecured(c, KEY_TYPE.MAINTENANCE, '84180000')), unblock, 'APPLICATION UNBLOCK');
  }
});

test('pboc-application-unblock-ineffective: the unblocked financial application stays blocked', async () => {
  for (const [defects, after] of [
    [['pboc-application-unblock-ineffective'], 'temporary'],
    [[], undefined],
  ] as const) {
    const c = await card([...defects]);
    const arqc = online(c);
    assert.equal(sw(c, script(c, arqc, '841E0000', EMPTY)), '9000');
    assert.equal(sw(c, script(c, arqc, '84180000', EMPTY)), '9000');
    assert.equal(df(c.mf, 0xddf2).blocked, after);
  }
});

test('ssse-key-lookup-card-wide: the SSSE INTERNAL AUTHENTICATE uses a key of the PSE', async () => {
  const c0 = await card();
  const ssseIds = new Set(df(c0.mf, 0xddf1).keys.keys());
  const foreign = [...df(c0.mf, 0xddf2).keys.keys()].find((id) => !ssseIds.has(id));
  assert.ok(foreign !== undefined, 'a key id of the PSE that the SSSE does not have');
  for (const [defects, found] of [
    [['ssse-key-lookup-card-wide'], true],
    [[], false],
  ] as const) {
    const c = await card([...defects]);
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const r = sw(c, concat([0x00, 0x88, 0x00, foreign, 0x08], new Uint8Array(8), [0x00]));
    assert.equal(r !== '6A88', found, r);
  }
});

// ================================================================ anti-tear

test('no-anti-tear-script-pin-change: a torn PIN CHANGE leaves the new PIN with the old try counter', async () => {
  for (const [defects, mixed] of [
    [['no-anti-tear-script-pin-change'], true],
    [[], false],
  ] as const) {
    const c = await card([...defects]);
    const pin = df(c.mf, 0xddf2).pins.get(0x80)!;
    const old = { value: pin.value, tries: pin.tries };
    const arqc = online(c);
    assert.equal(sw(c, concat(fromHex('0020008008'), fromHex('26999999FFFFFFFF'))).slice(0, 3), '63C');
    const d = adf(c).pboc;
    const block = fromHex('26123456FFFFFFFF');
    const { encryptEcb } = await import('../crypto/block.ts');
    const alg = sym(c) === 'sm4' ? 'sm4' : '3des';
    const enc = encryptEcb(alg, sessionKey(sym(c), d.udk!.enc, u16(d.atc)), alg === 'sm4' ? concat(block, new Uint8Array(8)) : block);
    c.armTear(2, 0x24);
    assert.throws(() => c.process(script(c, arqc, '84240002', enc)), PowerLoss);
    c.reset();
    const now = df(c.mf, 0xddf2).pins.get(0x80)!;
    assert.equal(now.value !== old.value && now.tries !== now.maxTries, mixed);
  }
});

test('no-anti-tear-put-data: a torn PUT DATA leaves a mix of old and new bytes', async () => {
  const c0 = await card();
  const target = Object.entries(adf(c0).pboc.objects).find(
    ([t, v]) => v.length >= 2 && !['9F4D', '9F4F', 'DF69', '9F36', '9F13'].includes(t),
  );
  assert.ok(target, 'a data object of 2 bytes or more');
  const [t, v] = target;
  for (const [defects, mixed] of [
    [['no-anti-tear-put-data'], true],
    [[], false],
  ] as const) {
    const c = await card([...defects]);
    const arqc = online(c);
    const value = v.map((b) => b ^ 0xff);
    c.armTear(2, 0xda);
    assert.throws(() => c.process(script(c, arqc, `04DA${t.padStart(4, '0')}`, value)), PowerLoss);
    c.reset();
    const now = adf(c).pboc.objects[t]!;
    assert.equal(toHex(now) !== toHex(v) && toHex(now) !== toHex(value), mixed, `${t}: ${toHex(now)}`);
  }
});

test('no-anti-tear-update-binary: a torn UPDATE BINARY leaves a mix in EF0A', async () => {
  for (const [defects, mixed] of [
    [['no-anti-tear-update-binary'], true],
    [[], false],
  ] as const) {
    const c = await card([...defects]);
    const ef = childByFid(df(c.mf, 0xddf1), 0xef0a);
    assert.ok(ef && ef.kind === 'EF');
    const before = toHex(ef.data);
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const key = df(c.mf, 0xddf1).keys.get(1)!;
    const challenge = ok(c, GET_CHALLENGE, 'GET CHALLENGE');
    ok(c, concat(fromHex('0082000108'), authCryptogram(key.alg, key.value, challenge)), 'EXTERNAL AUTHENTICATE');
    ok(c, '00A4020C02EF0A', 'SELECT EF0A');
    c.armTear(3, 0xd6);
    assert.throws(() => c.process(concat(fromHex('00D6000010'), new Uint8Array(16).fill(0xa5))), PowerLoss);
    c.reset();
    assert.equal(toHex(ef.data) !== before, mixed);
  }
});

/** EXTERNAL AUTHENTICATE with key `id` of the current environment (value read from the card). */
function authenticate(c: SimulatedCard, env: number, id: number): void {
  const key = df(c.mf, env).keys.get(id)!;
  const challenge = ok(c, GET_CHALLENGE, 'GET CHALLENGE');
  ok(c, concat([0x00, 0x82, 0x00, id, 0x08], authCryptogram(key.alg, key.value, challenge).slice(0, 8)), 'EXTERNAL AUTHENTICATE');
}

test('no-anti-tear-update-record: a torn UPDATE RECORD leaves a mix in EF06', async () => {
  for (const [defects, mixed] of [
    [['no-anti-tear-update-record'], true],
    [[], false],
  ] as const) {
    const c = await card([...defects]);
    const ef = childByFid(df(c.mf, 0xddf1), 0xef06);
    assert.ok(ef && ef.kind === 'EF');
    const before = ef.records[0]!.slice();
    assert.ok(before.length > 6, 'a record of two pages or more');
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    authenticate(c, 0xddf1, 3);
    const record = before.map((b, i) => (i < 2 ? b : b ^ 0x11));
    c.armTear(2, 0xdc);
    assert.throws(() => c.process(concat([0x00, 0xdc, 0x01, (6 << 3) | 4, record.length], record)), PowerLoss);
    c.reset();
    const now = toHex(ef.records[0]!);
    assert.equal(now !== toHex(before) && now !== toHex(record), mixed, now);
  }
});

test('no-anti-tear-append-record: a torn APPEND RECORD to a full cyclic EF loses the oldest record alone', async () => {
  for (const [defects, lost] of [
    [['no-anti-tear-append-record'], true],
    [[], false],
  ] as const) {
    const c = await card([...defects]);
    const a = adf(c);
    const sfi = a.pboc.objects['9F4D']![0]!;
    const log = a.children.find((e) => e.kind === 'EF' && e.sfi === sfi);
    assert.ok(log && log.kind === 'EF' && log.structure === 'cyclic');
    // set-up: a log file the terminal may append to, full
    log.access.update = 'always';
    const length = log.recordLength ?? 8;
    while (log.records.length < (log.maxRecords ?? 10)) log.records.push(new Uint8Array(length));
    const count = log.records.length;
    ok(c, concat([0x00, 0xa4, 0x04, 0x00, 0x08], fromHex('A000000333010101'), [0x00]), 'SELECT ADF');
    c.armTear(2, 0xe2);
    assert.throws(() => c.process(concat([0x00, 0xe2, 0x00, sfi << 3, length], new Uint8Array(length).fill(0x77))), PowerLoss);
    c.reset();
    assert.equal(log.records.length < count, lost);
  }
});

test('no-anti-tear-write-key: a torn WRITE KEY leaves the new value with the old version', async () => {
  for (const [defects, mixed] of [
    [['no-anti-tear-write-key'], true],
    [[], false],
  ] as const) {
    const c = await card([...defects]);
    const env = df(c.mf, 0xddf1);
    const master = [...env.keys.values()].find((k) => k.type === KEY_TYPE.MASTER)!;
    const old = env.keys.get(1)!;
    const before = { value: toHex(old.value), version: old.version };
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const challenge = ok(c, GET_CHALLENGE, 'GET CHALLENGE');
    const value = fromHex('0123456789ABCDEFFEDCBA9876543210');
    const target = { id: 1, type: old.type, alg: old.alg, version: old.version + 1, tries: old.maxTries, value };
    c.armTear(2, 0xd4);
    assert.throws(
      () => c.process(writeKey({ authority: 'environment', authorityKey: master, challenge, target })),
      (e: unknown) => e instanceof PowerLoss && e.write === 2,
    );
    c.reset();
    const now = env.keys.get(1)!;
    assert.equal(toHex(now.value) !== before.value && now.version === before.version, mixed);
  }
});

test('no-anti-tear-ssse-pin-unblock: a torn PIN UNBLOCK leaves the new PIN blocked', async () => {
  for (const [defects, mixed] of [
    [['no-anti-tear-ssse-pin-unblock'], true],
    [[], false],
  ] as const) {
    const c = await card([...defects]);
    const env = df(c.mf, 0xddf1);
    const pin = [...env.pins.values()][0]!;
    pin.tries = 0; // set-up: a blocked PIN
    const old = pin.value;
    const puk = [...env.keys.values()].find((k) => k.type === KEY_TYPE.PIN_UNBLOCK)!;
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const challenge = ok(c, GET_CHALLENGE, 'GET CHALLENGE');
    const apdu = securedCommand(puk.alg, puk.value, challenge, fromHex('84240000'), wrapKey(puk.alg, puk.value, pinBlock('135790')));
    c.armTear(2, 0x24);
    assert.throws(() => c.process(apdu), PowerLoss);
    c.reset();
    assert.equal(pin.value !== old && pin.tries === 0, mixed, `${pin.value} ${pin.tries}`);
  }
});

test('no-anti-tear-ssse-change-pin: a torn CHANGE PIN leaves the old PIN with its counter restored', async () => {
  for (const [defects, mixed] of [
    [['no-anti-tear-ssse-change-pin'], true],
    [[], false],
  ] as const) {
    const c = await card([...defects]);
    const pin = [...df(c.mf, 0xddf1).pins.values()][0]!;
    pin.tries = pin.maxTries - 1; // set-up: one wrong try behind
    const old = pin.value;
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const data = concat(pinBlock(old), [0xff], pinBlock('135790'));
    c.armTear(3, 0x5e);
    assert.throws(() => c.process(concat([0x80, 0x5e, 0x01, pin.id, data.length], data)), PowerLoss);
    c.reset();
    assert.equal(pin.value, old, 'the new PIN was not written');
    assert.equal(pin.tries === pin.maxTries, mixed, `tries ${pin.tries}`);
  }
});
