/**
 * Key management, access control, firewall and anti-tear of the simulated
 * COS, driven through APDUs as a terminal would (builders of cos/commands.ts).
 */
import { factorsOfProfile } from '../ssse/factors.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type Bytes, concat, fromHex, toHex } from '../core/bytes.ts';
import { PROJECT_ROOT } from '../core/json.ts';
import {
  GET_CHALLENGE,
  type KeyMaterial,
  externalAuthenticate,
  getKeyInfo,
  verifyPin,
  writeKey,
  type WriteKeyOptions,
} from '../cos/commands.ts';
import { dfFcp, efFcp } from '../cos/fcp.ts';
import { keyCheckValue, securedCommand } from '../cos/formats.ts';
import type { Profile } from '../model/profile.ts';
import { keysetPath, loadProfile } from '../lab/profile.ts';
import { loadKeyset } from '../model/keyset.ts';
import { buildBlankCard } from './build.ts';
import { personalisedCard } from '../lab/cards.ts';
import type { SimulatedCard } from './card.ts';
import type { DefectId } from '../model/defects.ts';
import { type DedicatedFile, type ElementaryFile, LCS, childByFid } from './fs.ts';
import { KEY_TYPE } from '../model/keys.ts';
import { PowerLoss } from './nvm.ts';
import { exchangeT0 } from './t0-exchange.ts';

const PROFILE_FILE = join(PROJECT_ROOT, 'profiles', 'default.json');
const PROFILE = loadProfile(PROFILE_FILE);
const KEYSET = loadKeyset(keysetPath(PROFILE, PROFILE_FILE));
const PERSONALISED = await personalisedCard(PROFILE, KEYSET);

function withDefects(...defects: DefectId[]): Profile {
  return { ...structuredClone(PROFILE), simulator: { defects } };
}

const NO_ANTI_TEAR = await personalisedCard(withDefects('no-anti-tear'), KEYSET);
const LATE_TRY_COUNTER = await personalisedCard(withDefects('late-try-counter'), KEYSET);

/** A fresh personalised card (default profile, lab-3des). */
function card(): SimulatedCard {
  return PERSONALISED.clone();
}

const CMK = KEYSET.cardMaster;
const SSSE_MASTER = KEYSET.key('SSSE', 0);
/** The SSSE application keys are on the card diversified with its factors. */
const FACTORS = factorsOfProfile(PROFILE)!;
const SSSE_KEY1 = KEYSET.cardKey('SSSE', 1, FACTORS);
const PSE_KEY1 = KEYSET.key('PSE', 1);
const NEW_KEY = fromHex('0123456789ABCDEFFEDCBA9876543210');

const SELECT_MF = '00A4000C023F00';
const SELECT_SSSE = '00A4000C02DDF1';
const SELECT_PSE = '00A4000C02DDF2';
const SELECT_EF0A = '00A4020C02EF0A';
const ZERO32 = '00'.repeat(32);

interface Answer {
  data: string;
  sw: string;
}

/**
 * Sends one command as a T=0 terminal would: 6Cxx re-issues a case 2 command
 * with Le = xx, 61xx fetches the data with GET RESPONSE.
 */
function send(c: SimulatedCard, apdu: Bytes | string): Answer {
  const r = exchangeT0(c, apdu);
  return { data: toHex(r.subarray(0, r.length - 2)), sw: toHex(r.subarray(r.length - 2)) };
}

function expectSw(c: SimulatedCard, apdu: Bytes | string, sw: string, what?: string): string {
  const a = send(c, apdu);
  assert.equal(a.sw, sw, what ?? `${typeof apdu === 'string' ? apdu : toHex(apdu)} → ${a.sw}, expected ${sw}`);
  return a.data;
}

function challenge(c: SimulatedCard): Bytes {
  const data = expectSw(c, GET_CHALLENGE, '9000', 'GET CHALLENGE');
  assert.equal(data.length, 16);
  return fromHex(data);
}

/** GET CHALLENGE and EXTERNAL AUTHENTICATE with `key`; returns the status word. */
function authenticate(c: SimulatedCard, id: number, key: KeyMaterial): string {
  return send(c, externalAuthenticate(id, key, challenge(c))).sw;
}

function writeKeyApdu(c: SimulatedCard, o: Omit<WriteKeyOptions, 'challenge'>): Bytes {
  return writeKey({ ...o, challenge: challenge(c) });
}

function createFileApdu(fcp: Bytes): Bytes {
  return concat([0x80, 0xe0, 0x00, 0x00, fcp.length], fcp);
}

function updateBinary(offset: number, data: Bytes): Bytes {
  return concat([0x00, 0xd6, offset >> 8, offset & 0xff, data.length], data);
}

function readEf0a(c: SimulatedCard): string {
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, SELECT_EF0A, '9000');
  return expectSw(c, '00B0000020', '9000', 'READ BINARY EF0A');
}

function df(c: SimulatedCard, fid: number): DedicatedFile {
  const n = childByFid(c.mf, fid);
  assert.ok(n && n.kind === 'DF');
  return n;
}

function ef0a(c: SimulatedCard): ElementaryFile {
  const n = childByFid(df(c, 0xddf1), 0xef0a);
  assert.ok(n && n.kind === 'EF');
  return n;
}

/** Tries left of a key (P1 00) or PIN (P1 01) of the current environment, by GET KEY INFO. */
function triesLeft(c: SimulatedCard, p1: 0 | 1, ref: number): number {
  const info = fromHex(expectSw(c, new Uint8Array([0x80, 0xca, p1, ref, 0x00]), '9000', 'GET KEY INFO'));
  return info[7]!;
}

/** A blank card, authenticated with the card master key, with a new environment DF DDF1 (no master key yet) selected. */
function blankWithNewEnvironment(): SimulatedCard {
  const c = buildBlankCard(PROFILE, KEYSET);
  expectSw(c, SELECT_MF, '9000');
  assert.equal(authenticate(c, CMK.id, CMK), '9000');
  expectSw(c, createFileApdu(dfFcp({ fid: 0xddf1, name: fromHex('7378312E73682EC9E7BBE1B1A3D5CF') })), '9000', 'CREATE FILE DDF1');
  expectSw(c, SELECT_SSSE, '9000');
  return c;
}

function ssseMasterTarget(value: Bytes, version = 2): WriteKeyOptions['target'] {
  return { id: 0, type: KEY_TYPE.MASTER, alg: '3des', version, tries: 15, value };
}

// ================================================================ EXTERNAL AUTHENTICATE

test('external authentication with the right key: 9000 and the key counts in the security state', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  assert.equal(authenticate(c, 1, SSSE_KEY1), '9000');
  assert.deepEqual([...c.context.security.keys], [1]);
  assert.equal(c.context.security.env, df(c, 0xddf1));
  assert.equal(triesLeft(c, 0, 1), 5);
});

test('external authentication: a wrong cryptogram counts down 63C4..63C0, then 6983 even with the right key', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  for (const sw of ['63C4', '63C3', '63C2', '63C1', '63C0']) assert.equal(authenticate(c, 1, PSE_KEY1), sw);
  assert.equal(triesLeft(c, 0, 1), 0);
  assert.equal(authenticate(c, 1, SSSE_KEY1), '6983');
  assert.equal(authenticate(c, 1, PSE_KEY1), '6983');
  assert.equal(c.context.security.keys.size, 0);
  // the block is persistent
  c.reset();
  expectSw(c, SELECT_SSSE, '9000');
  assert.equal(authenticate(c, 1, SSSE_KEY1), '6983');
  // other keys are not affected
  assert.equal(authenticate(c, 0, SSSE_MASTER), '9000');
});

test('external authentication: the right key restores the try counter', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  assert.equal(authenticate(c, 1, PSE_KEY1), '63C4');
  assert.equal(authenticate(c, 1, PSE_KEY1), '63C3');
  assert.equal(authenticate(c, 1, SSSE_KEY1), '9000');
  assert.equal(triesLeft(c, 0, 1), 5);
});

test('external authentication: 6A88 unknown key, 6984 without challenge, 6700 wrong length, 6985 key type, 6A86 P1', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, externalAuthenticate(0x20, SSSE_KEY1, challenge(c)), '6A88', 'unknown key');
  // no GET CHALLENGE (the failed command above did not consume the challenge, so take it first)
  const fresh = card();
  expectSw(fresh, SELECT_SSSE, '9000');
  expectSw(fresh, externalAuthenticate(1, SSSE_KEY1, fromHex('0102030405060708')), '6984', 'no challenge');
  assert.equal(triesLeft(fresh, 0, 1), 5, 'no try spent without a challenge');
  // 7 and 16 bytes of cryptogram for a 3DES key
  const cg = externalAuthenticate(1, SSSE_KEY1, challenge(fresh));
  expectSw(fresh, concat(cg.slice(0, 4), [7], cg.slice(5, 12)), '6700', '7-byte cryptogram');
  expectSw(fresh, concat(cg.slice(0, 4), [16], cg.slice(5), cg.slice(5)), '6700', '16-byte cryptogram');
  // the internal authentication key (type 02) is not for external authentication
  expectSw(fresh, externalAuthenticate(2, KEYSET.cardKey('SSSE', 2, FACTORS), challenge(fresh)), '6985', 'internal-auth key');
  assert.equal(triesLeft(fresh, 0, 2), 15);
  // nor the application keys of the PSE (type 08)
  expectSw(fresh, SELECT_PSE, '9000');
  expectSw(fresh, externalAuthenticate(8, KEYSET.key('PSE', 8), challenge(fresh)), '6985', 'application key');
  const bad = externalAuthenticate(1, PSE_KEY1, challenge(fresh));
  bad[2] = 0x01;
  expectSw(fresh, bad, '6A86', 'P1 01');
});

test('a challenge serves once: the same EXTERNAL AUTHENTICATE twice is 9000 then 6984; a failure consumes it too', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  const apdu = externalAuthenticate(1, SSSE_KEY1, challenge(c));
  expectSw(c, apdu, '9000');
  expectSw(c, apdu, '6984', 'replayed');
  const ch = challenge(c);
  expectSw(c, externalAuthenticate(1, PSE_KEY1, ch), '63C4');
  expectSw(c, externalAuthenticate(1, SSSE_KEY1, ch), '6984', 'the failed attempt consumed the challenge');
  // a reset forgets the challenge
  const ch2 = challenge(c);
  c.reset();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, externalAuthenticate(1, SSSE_KEY1, ch2), '6984', 'challenge after reset');
});

test('GET CHALLENGE: 4 or 8 bytes, fresh each time', () => {
  const c = card();
  const a = challenge(c);
  const b = challenge(c);
  assert.notDeepEqual(a, b);
  assert.equal(expectSw(c, '0084000004', '9000').length, 8);
  expectSw(c, '0084000010', '6700');
  expectSw(c, '0084010008', '6A86');
});

// ================================================================ WRITE KEY

test('WRITE KEY in plain (CLA 80) is refused with 6982', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  const apdu = writeKeyApdu(c, {
    authority: 'environment',
    authorityKey: SSSE_MASTER,
    target: { ...SSSE_KEY1, value: NEW_KEY },
    fault: 'no-mac',
  });
  assert.equal(apdu[0], 0x80);
  expectSw(c, apdu, '6982');
  assert.equal(toHex(df(c, 0xddf1).keys.get(1)!.value), toHex(SSSE_KEY1.value));
});

test('WRITE KEY with a wrong MAC is 6988 and changes nothing', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  const before = expectSw(c, getKeyInfo(1), '9000');
  expectSw(
    c,
    writeKeyApdu(c, {
      authority: 'environment',
      authorityKey: SSSE_MASTER,
      target: { ...SSSE_KEY1, version: 9, value: NEW_KEY },
      fault: 'wrong-mac',
    }),
    '6988',
  );
  assert.equal(expectSw(c, getKeyInfo(1), '9000'), before);
  assert.equal(toHex(df(c, 0xddf1).keys.get(1)!.value), toHex(SSSE_KEY1.value));
  // a new key id is not created either
  expectSw(
    c,
    writeKeyApdu(c, {
      authority: 'environment',
      authorityKey: SSSE_MASTER,
      target: { ...SSSE_KEY1, id: 0x11, value: NEW_KEY },
      fault: 'wrong-mac',
    }),
    '6988',
  );
  expectSw(c, getKeyInfo(0x11), '6A88');
  // MAC made with another key
  expectSw(c, writeKeyApdu(c, { authority: 'environment', authorityKey: SSSE_KEY1, target: { ...SSSE_KEY1, value: NEW_KEY } }), '6988');
  assert.equal(authenticate(c, 1, SSSE_KEY1), '9000');
});

test('WRITE KEY with a wrong KCV is 6A80 and changes nothing', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(
    c,
    writeKeyApdu(c, { authority: 'environment', authorityKey: SSSE_MASTER, target: { ...SSSE_KEY1, value: NEW_KEY }, fault: 'wrong-kcv' }),
    '6A80',
  );
  assert.equal(authenticate(c, 1, SSSE_KEY1), '9000');
});

test('WRITE KEY without a challenge is 6984', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  const apdu = writeKey({
    authority: 'environment',
    authorityKey: SSSE_MASTER,
    challenge: fromHex('0102030405060708'),
    target: { ...SSSE_KEY1, value: NEW_KEY },
  });
  expectSw(c, apdu, '6984');
  assert.equal(toHex(df(c, 0xddf1).keys.get(1)!.value), toHex(SSSE_KEY1.value));
});

test('WRITE KEY under the environment master key loads a new application key (readable by GET KEY INFO); a key keeps its type', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  const target = { id: 0x11, type: KEY_TYPE.MAINTENANCE, alg: '3des' as const, version: 3, tries: 7, value: NEW_KEY };
  expectSw(c, writeKeyApdu(c, { authority: 'environment', authorityKey: SSSE_MASTER, target }), '9000');
  assert.equal(expectSw(c, getKeyInfo(0x11), '9000'), `110501${'03'}${toHex(keyCheckValue('3des', NEW_KEY))}07`);
  expectSw(
    c,
    writeKeyApdu(c, { authority: 'environment', authorityKey: SSSE_MASTER, target: { ...target, type: KEY_TYPE.READ } }),
    '6985',
    'type change',
  );
});

test('WRITE KEY P1 01 (card master key) is refused with 6982 once the environment has its master key', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, writeKeyApdu(c, { authority: 'card', authorityKey: CMK, target: ssseMasterTarget(NEW_KEY) }), '6982');
  expectSw(c, writeKeyApdu(c, { authority: 'card', authorityKey: CMK, target: { ...SSSE_KEY1, value: NEW_KEY } }), '6982');
  assert.equal(authenticate(c, 0, SSSE_MASTER), '9000');
});

test('WRITE KEY in a new environment: P1 01 loads only its master key (6985 otherwise); P1 00 without a master key is 6A88', () => {
  const c = blankWithNewEnvironment();
  const env = df(c, 0xddf1);
  assert.equal(env.lcs, LCS.CREATION);
  expectSw(
    c,
    writeKeyApdu(c, { authority: 'environment', authorityKey: SSSE_MASTER, target: { ...SSSE_KEY1 } }),
    '6A88',
    'P1 00, no master key',
  );
  expectSw(c, writeKeyApdu(c, { authority: 'card', authorityKey: CMK, target: { ...SSSE_KEY1 } }), '6985', 'P1 01, not a master key');
  assert.equal(env.keys.size, 0);
  expectSw(c, writeKeyApdu(c, { authority: 'card', authorityKey: CMK, target: SSSE_MASTER }), '9000', 'P1 01, master key');
  assert.equal(env.lcs, LCS.INITIALISATION);
  // from now on the card master key has no power here, the environment master key has
  expectSw(c, writeKeyApdu(c, { authority: 'card', authorityKey: CMK, target: SSSE_MASTER }), '6982', 'P1 01 again');
  expectSw(
    c,
    writeKeyApdu(c, { authority: 'environment', authorityKey: SSSE_MASTER, target: SSSE_KEY1 }),
    '9000',
    'P1 00 with the new master key',
  );
  assert.equal(authenticate(c, 1, SSSE_KEY1), '9000');
});

test('WRITE KEY: the environment master key replaces itself; the old value then fails', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, writeKeyApdu(c, { authority: 'environment', authorityKey: SSSE_MASTER, target: ssseMasterTarget(NEW_KEY, 2) }), '9000');
  const info = fromHex(expectSw(c, getKeyInfo(0), '9000'));
  assert.equal(info[3], 2, 'version 2');
  assert.equal(toHex(info.slice(4, 7)), toHex(keyCheckValue('3des', NEW_KEY)));
  assert.equal(authenticate(c, 0, SSSE_MASTER), '63CE');
  assert.equal(authenticate(c, 0, { alg: '3des', value: NEW_KEY }), '9000');
  // and the next WRITE KEY needs the new master key for its MAC
  expectSw(c, writeKeyApdu(c, { authority: 'environment', authorityKey: SSSE_MASTER, target: { ...SSSE_KEY1, value: NEW_KEY } }), '6988');
  expectSw(
    c,
    writeKeyApdu(c, { authority: 'environment', authorityKey: { alg: '3des', value: NEW_KEY }, target: { ...SSSE_KEY1, value: NEW_KEY } }),
    '9000',
  );
});

test('WRITE KEY: a second master key (another id) is 6985', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(
    c,
    writeKeyApdu(c, { authority: 'environment', authorityKey: SSSE_MASTER, target: { ...ssseMasterTarget(NEW_KEY), id: 9 } }),
    '6985',
  );
  expectSw(c, getKeyInfo(9), '6A88');
});

// ================================================================ CREATE FILE, DELETE FILE, ACTIVATE

const NEW_EF = efFcp({ fid: 0xef20, sfi: 20, structure: 'transparent', size: 8, read: 'always', update: { key: 1 } });

test('CREATE FILE needs the environment master key authentication (6982 otherwise)', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, createFileApdu(NEW_EF), '6982', 'not authenticated');
  assert.equal(authenticate(c, 1, SSSE_KEY1), '9000');
  expectSw(c, createFileApdu(NEW_EF), '6982', 'with key 1 only');
  assert.equal(authenticate(c, 0, SSSE_MASTER), '9000');
  expectSw(c, createFileApdu(NEW_EF), '9000', 'with the master key');
  expectSw(c, '00A4020C02EF20', '9000');
  expectSw(c, '00B0000008', '9000');
});

test('the card master key has no power inside an environment (CREATE FILE → 6982)', () => {
  const c = card();
  assert.equal(authenticate(c, CMK.id, CMK), '9000');
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, createFileApdu(NEW_EF), '6982');
});

test('CREATE FILE: 6A89 for an existing FID or SFI, 6A80 for a malformed FCP', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  assert.equal(authenticate(c, 0, SSSE_MASTER), '9000');
  const children = df(c, 0xddf1).children.length;
  expectSw(
    c,
    createFileApdu(efFcp({ fid: 0xef0a, structure: 'transparent', size: 4, read: 'always', update: 'never' })),
    '6A89',
    'FID EF0A',
  );
  expectSw(
    c,
    createFileApdu(efFcp({ fid: 0xef21, sfi: 10, structure: 'transparent', size: 4, read: 'always', update: 'never' })),
    '6A89',
    'SFI 10',
  );
  expectSw(c, createFileApdu(dfFcp({ fid: 0xdf01 })), '6A89', 'DF01');
  for (const [what, hex] of [
    ['no 83', '6203820101'],
    ['not BER-TLV', '6208820101'],
    ['not a 62 template', '6F078201018302EF22'],
    ['two templates', '62038201016203820101'],
    ['no 86', '620B8201018302EF2280020004'],
    ['unknown access type', '62138201018302EF22800200048606070000000000'],
    ['reserved FID', '620782013883023F00'],
  ] as const) {
    expectSw(c, createFileApdu(fromHex(hex)), '6A80', what);
  }
  assert.equal(df(c, 0xddf1).children.length, children, 'nothing created');
});

test('DELETE FILE of an environment from the MF with the card master key is 6982', () => {
  const c = card();
  assert.equal(authenticate(c, CMK.id, CMK), '9000');
  expectSw(c, '80E4000002DDF1', '6982');
  expectSw(c, '80E4000002DDF2', '6982');
  expectSw(c, SELECT_SSSE, '9000');
});

test('DELETE FILE: an environment still without master key can be deleted with the card master key; EFs with the environment master key', () => {
  const blank = blankWithNewEnvironment();
  expectSw(blank, SELECT_MF, '9000');
  assert.equal(authenticate(blank, CMK.id, CMK), '9000');
  expectSw(blank, '80E4000002DDF1', '9000');
  expectSw(blank, SELECT_SSSE, '6A82');

  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  assert.equal(authenticate(c, 1, SSSE_KEY1), '9000');
  expectSw(c, '80E4000002EF0A', '6982', 'key 1 is no management authority');
  assert.equal(authenticate(c, 0, SSSE_MASTER), '9000');
  expectSw(c, '80E4000002EF0A', '9000');
  expectSw(c, SELECT_EF0A, '6A82');
  expectSw(c, '80E4000002EF0A', '6A82');
});

test('ACTIVATE FILE twice is 6985 (an activated environment, and the MF of a blank card)', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, '00440000', '6982', 'not authenticated');
  assert.equal(authenticate(c, 0, SSSE_MASTER), '9000');
  expectSw(c, '00440000', '6985', 'personalised environment');

  const blank = buildBlankCard(PROFILE, KEYSET);
  assert.equal(authenticate(blank, CMK.id, CMK), '9000');
  assert.equal(blank.mf.lcs, LCS.INITIALISATION);
  expectSw(blank, '00440000', '9000');
  assert.equal(blank.mf.lcs, LCS.OPERATIONAL);
  expectSw(blank, '00440000', '6985');
});

// ================================================================ firewall

test('firewall: selecting another environment clears the security state', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  assert.equal(authenticate(c, 0, SSSE_MASTER), '9000');
  expectSw(c, SELECT_PSE, '9000');
  assert.equal(c.context.security.keys.size, 0);
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, createFileApdu(NEW_EF), '6982');
  // control: without the excursion the authentication holds, and selections inside the environment keep it
  assert.equal(authenticate(c, 0, SSSE_MASTER), '9000');
  expectSw(c, '00A4000C02DF01', '9000');
  expectSw(c, '00A4030C', '9000');
  expectSw(c, SELECT_EF0A, '9000');
  expectSw(c, createFileApdu(NEW_EF), '9000');
});

test('firewall: a challenge obtained in one environment does not serve in the other', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  const ch = challenge(c);
  expectSw(c, SELECT_PSE, '9000');
  expectSw(c, externalAuthenticate(1, PSE_KEY1, ch), '6984');
});

test('firewall: an SFI of the other environment is not found (6A82)', () => {
  const c = card();
  expectSw(c, SELECT_PSE, '9000');
  expectSw(c, '00B2012C00', '6A82', 'READ RECORD SFI 5 (SSSE EF05) in the PSE');
  expectSw(c, '00B08A0010', '6A82', 'READ BINARY SFI 10 (SSSE EF0A) in the PSE');
  expectSw(c, updateBinary(0x8a00, new Uint8Array(4)), '6A82', 'UPDATE BINARY SFI 10 in the PSE');
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, '00B2012C00', '9000');
  expectSw(c, '00B08A0010', '9000');
  expectSw(c, '00B2010C00', '6A82', 'READ RECORD SFI 1 (PSE directory) in the SSSE');
});

test('firewall: a PIN verified in the SSSE is not verified in the PSE, nor back in the SSSE', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, verifyPin(0, '123456'), '9000');
  expectSw(c, '00200000', '9000', 'VERIFY without data: verified');
  expectSw(c, SELECT_PSE, '9000');
  expectSw(c, '00200080', '63C3', 'PSE PIN not verified');
  expectSw(c, '00200000', '6A88', 'no PIN 0 in the PSE');
  expectSw(c, verifyPin(0, '123456'), '6A88', 'the SSSE PIN cannot be presented in the PSE');
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, '00200000', '63C3', 'verification lost on leaving the SSSE');
});

test('firewall: external authentication with the PSE key 1 does not open the SSSE EF0A', () => {
  const c = card();
  expectSw(c, SELECT_PSE, '9000');
  assert.equal(authenticate(c, 1, PSE_KEY1), '9000');
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, SELECT_EF0A, '9000');
  expectSw(c, updateBinary(0, fromHex('11223344')), '6982');
});

// ================================================================ VERIFY and GET KEY INFO

test('VERIFY: a wrong PIN counts down 63C2..63C0, then 6983 even for the right PIN', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, '00200000', '63C3');
  for (const sw of ['63C2', '63C1', '63C0']) expectSw(c, verifyPin(0, '000000'), sw);
  expectSw(c, verifyPin(0, '000000'), '6983');
  expectSw(c, verifyPin(0, '123456'), '6983');
  expectSw(c, '00200000', '6983', 'VERIFY without data on a blocked PIN');
  c.reset();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, verifyPin(0, '123456'), '6983', 'blocked after reset');
});

test('VERIFY: the right PIN resets the counter; VERIFY without data reports tries or 9000 when verified', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, verifyPin(0, '000000'), '63C2');
  expectSw(c, verifyPin(0, '12345'), '63C1', 'a shorter PIN is wrong');
  expectSw(c, '00200000', '63C1');
  expectSw(c, verifyPin(0, '123456'), '9000');
  expectSw(c, '00200000', '9000');
  assert.equal(triesLeft(c, 1, 0), 3);
  // a wrong presentation ends the verified state
  expectSw(c, verifyPin(0, '654321'), '63C2');
  expectSw(c, '00200000', '63C2');
});

test('CHANGE PIN with a wrong old PIN costs a try and ends an earlier verification, as VERIFY does', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, '0020000003123456', '9000');
  expectSw(c, '00200000', '9000', 'verified');
  expectSw(c, '805E010007123457FF654321', '63C2');
  expectSw(c, '00200000', '63C2', 'no longer verified');
  expectSw(c, '805E010007123456FF654321', '9000');
  expectSw(c, '00200000', '9000', 'the right old PIN verifies it');
});

test('VERIFY: 6A88 unknown PIN, 6A80 not BCD, 6700 more than 6 bytes, 6A86 P1', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, verifyPin(5, '1234'), '6A88');
  expectSw(c, '00200000031234AB', '6A80');
  expectSw(c, '002000000712345678901234', '6700');
  expectSw(c, '0020010003123456', '6A86');
  expectSw(c, '00200000', '63C3', 'none of these spent a try');
});

test('GET KEY INFO returns id ‖ type ‖ algorithm ‖ version ‖ KCV ‖ tries for keys, and the PIN counter', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  assert.equal(expectSw(c, getKeyInfo(1), '9000'), `01010101${toHex(keyCheckValue('3des', SSSE_KEY1.value))}05`);
  assert.equal(expectSw(c, getKeyInfo(0), '9000'), `00000101${toHex(keyCheckValue('3des', SSSE_MASTER.value))}0F`);
  assert.equal(expectSw(c, '80CA010000', '9000'), '000B000000000003');
  expectSw(c, getKeyInfo(0x30), '6A88');
  expectSw(c, '80CA010100', '6A88');
  expectSw(c, '80CA020000', '6A86');
  expectSw(c, SELECT_PSE, '9000');
  assert.equal(expectSw(c, getKeyInfo(8), '9000'), `08080101${toHex(keyCheckValue('3des', KEYSET.key('PSE', 8).value))}0F`);
  assert.equal(expectSw(c, '80CA018000', '9000'), '800B000000000003');
  expectSw(c, SELECT_MF, '9000');
  assert.equal(expectSw(c, getKeyInfo(0), '9000'), `00000101${toHex(keyCheckValue('3des', CMK.value))}0F`);
});

// ================================================================ UPDATE BINARY under a key condition

test('UPDATE BINARY of EF0A: 6982 without the key condition, 9000 after external authentication with key 1', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, SELECT_EF0A, '9000');
  const data = fromHex('A1A2A3A4A5A6A7A8A9AAABACADAEAFB0');
  expectSw(c, updateBinary(0, data), '6982', 'not authenticated');
  assert.equal(authenticate(c, 3, KEYSET.cardKey('SSSE', 3, FACTORS)), '9000');
  expectSw(c, updateBinary(0, data), '6982', 'key 3 is not key 1');
  assert.equal(readEf0a(c), ZERO32);
  assert.equal(authenticate(c, 1, SSSE_KEY1), '9000');
  expectSw(c, SELECT_EF0A, '9000');
  expectSw(c, updateBinary(4, data), '9000');
  assert.equal(readEf0a(c), `00000000${toHex(data)}${'00'.repeat(12)}`);
});

test('secured UPDATE BINARY (CLA 04) with a MAC by key 1 works without authentication; another environment’s key 1 → 6988', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  const data = fromHex('0102030405060708090A0B0C0D0E0F10');
  const header = fromHex('04D68A00'); // SFI 10, offset 0
  expectSw(c, securedCommand('3des', PSE_KEY1.value, challenge(c), header, data), '6988', 'MAC by the PSE key 1');
  assert.equal(toHex(ef0a(c).data), ZERO32);
  expectSw(c, securedCommand('3des', SSSE_KEY1.value, fromHex('0000000000000000'), header, data), '6984', 'no challenge');
  expectSw(c, securedCommand('3des', SSSE_KEY1.value, challenge(c), header, data), '9000');
  assert.equal(toHex(ef0a(c).data), toHex(data) + '00'.repeat(16));
  assert.equal(c.context.security.keys.size, 0, 'a MAC is not an external authentication');
  // the MAC covers the header: the same data at another offset with the old MAC fails
  const ch = challenge(c);
  const apdu = securedCommand('3des', SSSE_KEY1.value, ch, header, data);
  apdu[3] = 0x10;
  expectSw(c, apdu, '6988', 'header changed after the MAC');
  // and it is not replayable
  const again = securedCommand('3des', SSSE_KEY1.value, challenge(c), header, fromHex('FFFFFFFF'));
  expectSw(c, again, '9000');
  expectSw(c, again, '6984', 'replay');
  // a MAC without data at all
  challenge(c);
  expectSw(c, '04D68A0003AABBCC', '6987');
});

test('during personalisation a MAC by the environment master key satisfies any update condition, as authentication with it does', () => {
  const c = blankWithNewEnvironment();
  expectSw(c, writeKeyApdu(c, { authority: 'card', authorityKey: CMK, target: SSSE_MASTER }), '9000');
  assert.equal(authenticate(c, 0, SSSE_MASTER), '9000');
  for (const [fid, update] of [
    [0x0e01, 'never'],
    [0x0e02, 'always'],
    [0x0e03, { pin: 0 }],
  ] as const) {
    expectSw(c, createFileApdu(efFcp({ fid, structure: 'transparent', size: 4, read: 'always', update })), '9000');
  }
  // leave and re-enter: the authentication is gone
  expectSw(c, SELECT_MF, '9000');
  expectSw(c, SELECT_SSSE, '9000');
  for (const fid of ['0E01', '0E02', '0E03']) {
    expectSw(c, `00A4020C02${fid}`, '9000');
    if (fid !== '0E02') expectSw(c, updateBinary(0, fromHex('11223344')), '6982', `EF ${fid} in plain, not authenticated`);
    expectSw(
      c,
      securedCommand('3des', SSSE_KEY1.value, challenge(c), fromHex('04D60000'), fromHex('11223344')),
      '6988',
      `EF ${fid}, MAC by another key`,
    );
    expectSw(
      c,
      securedCommand('3des', SSSE_MASTER.value, challenge(c), fromHex('04D60000'), fromHex('11223344')),
      '9000',
      `EF ${fid}, MAC by the master key`,
    );
    assert.equal(expectSw(c, '00B0000004', '9000'), '11223344', `EF ${fid}`);
  }
  // once the environment is activated the master key no longer stands in for the conditions
  assert.equal(authenticate(c, 0, SSSE_MASTER), '9000');
  expectSw(c, '00440000', '9000');
  expectSw(c, '00A4020C020E01', '9000');
  expectSw(
    c,
    securedCommand('3des', SSSE_MASTER.value, challenge(c), fromHex('04D60000'), fromHex('55667788')),
    '6985',
    'no MAC key for a "never" EF',
  );
  expectSw(c, updateBinary(0, fromHex('55667788')), '6982', 'master key authentication after activation');
});

// ================================================================ anti-tear

const TORN = fromHex('A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5A5');

/** Authenticates with key 1 in the SSSE, selects EF0A and tears the UPDATE BINARY of 16 bytes at write 3. */
function tearUpdate(c: SimulatedCard): void {
  // armed before the authentication: only the UPDATE BINARY (INS D6) triggers it
  c.armTear(3, 0xd6);
  expectSw(c, SELECT_SSSE, '9000');
  assert.equal(authenticate(c, 1, SSSE_KEY1), '9000', 'the tear is not spent on other instructions');
  expectSw(c, SELECT_EF0A, '9000');
  assert.throws(
    () => c.process(updateBinary(0, TORN)),
    (e: unknown) => e instanceof PowerLoss && e.write === 3,
  );
}

test('anti-tear: a power cut in UPDATE BINARY leaves the card silent until reset, and the EF unchanged', () => {
  const c = card();
  tearUpdate(c);
  assert.equal(c.isPowered, false);
  assert.throws(() => c.process(fromHex(SELECT_MF)), PowerLoss);
  assert.throws(() => c.process(GET_CHALLENGE), PowerLoss);
  c.reset();
  assert.equal(c.isPowered, true);
  assert.equal(c.context.security.keys.size, 0, 'the reset cleared the authentication');
  assert.equal(readEf0a(c), ZERO32);
  assert.equal(toHex(ef0a(c).data), ZERO32);
  // the tear fired once: the same update now goes through
  assert.equal(authenticate(c, 1, SSSE_KEY1), '9000');
  expectSw(c, SELECT_EF0A, '9000');
  expectSw(c, updateBinary(0, TORN), '9000');
  assert.equal(readEf0a(c), toHex(TORN) + '00'.repeat(16));
});

test('anti-tear: a tear armed beyond the last write cuts the power after the command completed', () => {
  const c = card();
  c.armTear(5, 0xd6);
  expectSw(c, SELECT_SSSE, '9000');
  assert.equal(authenticate(c, 1, SSSE_KEY1), '9000');
  expectSw(c, SELECT_EF0A, '9000');
  assert.throws(
    () => c.process(updateBinary(0, TORN)),
    (e: unknown) => e instanceof PowerLoss && e.write === 5,
  );
  c.reset();
  assert.equal(readEf0a(c), toHex(TORN) + '00'.repeat(16), 'all 4 pages were written and committed');
  assert.throws(() => c.armTear(0), RangeError);
  assert.throws(() => c.armTear(2.5, 0xd6), RangeError);
});

test('anti-tear defect (no-anti-tear): the torn UPDATE BINARY leaves a mix of new and old data', () => {
  const c = NO_ANTI_TEAR.clone();
  assert.equal(c.nvm.atomic, false);
  tearUpdate(c);
  c.reset();
  assert.equal(readEf0a(c), toHex(TORN.slice(0, 8)) + '00'.repeat(24));
});

test('anti-tear of the PIN counter: a wrong PIN torn at write 2 still costs a try', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  c.armTear(2, 0x20);
  assert.throws(() => c.process(verifyPin(0, '000000')), PowerLoss);
  c.reset();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, '00200000', '63C2');
});

test('anti-tear of the PIN counter: the right PIN torn at write 2 (before the counter is restored) leaves the decrement', () => {
  const c = card();
  expectSw(c, SELECT_SSSE, '9000');
  c.armTear(2, 0x20);
  assert.throws(
    () => c.process(verifyPin(0, '123456')),
    (e: unknown) => e instanceof PowerLoss && e.write === 2,
  );
  c.reset();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, '00200000', '63C2');
  expectSw(c, verifyPin(0, '123456'), '9000');
  expectSw(c, '00200000', '9000');
  assert.equal(triesLeft(c, 1, 0), 3);
});

test('late-try-counter defect: the right PIN torn at write 2 leaves the tries unchanged (the result was known before any write)', () => {
  const c = LATE_TRY_COUNTER.clone();
  expectSw(c, SELECT_SSSE, '9000');
  c.armTear(2, 0x20);
  assert.throws(() => c.process(verifyPin(0, '123456')), PowerLoss);
  c.reset();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, '00200000', '63C3');
  // and a wrong PIN torn at its first write (the late decrement) is a free try
  c.armTear(1, 0x20);
  assert.throws(() => c.process(verifyPin(0, '000000')), PowerLoss);
  c.reset();
  expectSw(c, SELECT_SSSE, '9000');
  expectSw(c, '00200000', '63C3');
});

// ================================================================ clone()

test('clone() gives an independent card', () => {
  const a = card();
  const b = a.clone();
  assert.notEqual(a.mf, b.mf);
  assert.notEqual(a.nvm, b.nvm);
  // file content
  expectSw(b, SELECT_SSSE, '9000');
  assert.equal(authenticate(b, 1, SSSE_KEY1), '9000');
  expectSw(b, SELECT_EF0A, '9000');
  expectSw(b, updateBinary(0, TORN), '9000');
  assert.equal(readEf0a(a), ZERO32);
  assert.equal(readEf0a(b), toHex(TORN) + '00'.repeat(16));
  // try counters
  expectSw(b, verifyPin(0, '000000'), '63C2');
  expectSw(a, '00200000', '63C3');
  // keys
  expectSw(b, writeKeyApdu(b, { authority: 'environment', authorityKey: SSSE_MASTER, target: ssseMasterTarget(NEW_KEY) }), '9000');
  assert.equal(authenticate(a, 0, SSSE_MASTER), '9000');
  assert.equal(authenticate(b, 0, SSSE_MASTER), '63CE');
  // files
  expectSw(a, createFileApdu(NEW_EF), '9000');
  expectSw(b, SELECT_SSSE, '9000');
  expectSw(b, '00A4020C02EF20', '6A82');
  // power
  a.armTear(1);
  assert.throws(() => a.process(GET_CHALLENGE), PowerLoss);
  assert.equal(a.isPowered, false);
  assert.equal(b.isPowered, true);
  expectSw(b, GET_CHALLENGE, '9000');
  // the tree of the copy is consistent: parents point into the copy
  const ssse = df(b, 0xddf1);
  assert.equal(ssse.parent, b.mf);
  assert.equal(ef0a(b).parent, ssse);
});

test('clone({ random }) takes the challenges of the copy from the given source', () => {
  let i = 0;
  const c = card().clone({ random: (n) => Uint8Array.from({ length: n }, () => i++) });
  assert.equal(expectSw(c, '0084000008', '9000'), '0001020304050607');
  assert.equal(expectSw(c, '0084000004', '9000'), '08090A0B');
  assert.notEqual(expectSw(card(), '0084000008', '9000'), '0001020304050607', 'the original keeps its own');
});

test('clone() keeps the COS: defects, ATR, protocol', () => {
  const c = NO_ANTI_TEAR.clone();
  assert.equal(c.nvm.atomic, false);
  assert.equal(c.clone().nvm.atomic, false);
  assert.deepEqual(c.atr, NO_ANTI_TEAR.atr);
  assert.equal(c.protocol, 'T=0');
  assert.equal(card().nvm.atomic, true);
});

test('activating an environment makes the DFs inside it operational too', () => {
  const c = card();
  send(c, SELECT_SSSE);
  const fcp = send(c, '00A4010402DF0100');
  const answer = fcp.sw === '9000' ? fcp.data : send(c, `00C00000${fcp.sw.slice(2)}`).data;
  assert.match(answer, /8A0105/, `FCP of DF01: ${answer}`);
});
