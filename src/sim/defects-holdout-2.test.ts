/**
 * The second hold-out set (sim/defects/holdout-2*.ts) at the APDU level: each
 * defect, on a personalised card (the default profile, or the SM4 profile for
 * the SM suite and SM4 keys), does what its description says, and the clean
 * card does not. Card internals are read only to compute what the issuer or
 * terminal would (keys, MACs, PIN values), or to set up a starting state (an
 * ATC at its limit).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Bytes, concat, equal, fromHex, toHex } from '../core/bytes.ts';
import { verifyPin, writeKey } from '../cos/commands.ts';
import { authCryptogram, pinBlock } from '../cos/formats.ts';
import { encryptEcb } from '../crypto/block.ts';
import { dolLength, parseDol } from '../emv/dol.ts';
import { HOLDOUT_2_DEFECTS } from '../model/defects/holdout-2.ts';
import { KEY_TYPE } from '../model/keys.ts';
import { applicationCryptogram, arpcMethod1, scriptMac, sessionKey } from '../pboc/cryptograms.ts';
import { pdolOf, recordElement, u16 } from './apps/pboc-data.ts';
import type { SimulatedCard } from './card.ts';
import type { DedicatedFile } from './fs.ts';
import { PowerLoss } from './nvm.ts';

import {
  type Answer,
  EMPTY,
  SELECT_ADF,
  SELECT_MF,
  SELECT_PSE,
  SELECT_SSSE,
  adf,
  card,
  challenge,
  compare,
  ef,
  keyOfType,
  ok,
  pse,
  secured,
  send,
  ssse,
  sw,
  sym,
  tag,
} from './defects.test-kit.ts';

/** EXTERNAL AUTHENTICATE with key `id` of environment `env` (the current one). */
function authenticate(c: SimulatedCard, env: DedicatedFile, id: number): string {
  const key = env.keys.get(id)!;
  const cryptogram = authCryptogram(key.alg, key.value, challenge(c));
  return sw(c, concat([0x00, 0x82, 0x00, id, cryptogram.length], cryptogram));
}

/** Tries left of an SSSE key or PIN by GET KEY INFO. */
const keyInfo = (c: SimulatedCard, p1: number, id: number): Bytes => ok(c, new Uint8Array([0x80, 0xca, p1, id, 0x00]), 'GET KEY INFO');
const ssePin = (c: SimulatedCard) => ssse(c).pins.get(0)!;
const ssePinTries = (c: SimulatedCard): number => keyInfo(c, 0x01, 0x00)[7]!;
/** The SSSE PIN with its last digit changed. */
const wrongDigits = (pin: string): string => pin.replace(/.$/, (d) => String((Number(d) + 1) % 10));

// ------------------------------------------------------------------------------- PBOC helpers

/** GET PROCESSING OPTIONS with the card's suite in DF69 (after selecting the debit ADF unless told not to). */
function gpo(c: SimulatedCard, select = true): Answer {
  if (select) ok(c, SELECT_ADF, 'SELECT ADF');
  const a = adf(c);
  const pdol = pdolOf(a);
  const data = new Uint8Array(dolLength(pdol));
  let off = 0;
  for (const e of pdol) {
    if (e.tag === 0xdf69) data[off] = a.pboc.objects.DF69?.[0] ?? 0;
    off += e.length;
  }
  return send(c, concat([0x80, 0xa8, 0x00, 0x00, data.length + 2, 0x83, data.length], data, [0x00]));
}

/** The CDOL1 (or CDOL2) data: zeros, with the ARC given. */
function cdolData(c: SimulatedCard, second: boolean, arc = '3030'): Bytes {
  const dol = parseDol(recordElement(adf(c), second ? 0x8d : 0x8c)!);
  const data = new Uint8Array(dolLength(dol));
  let off = 0;
  for (const e of dol) {
    if (e.tag === 0x8a) data.set(fromHex(arc), off);
    off += e.length;
  }
  return data;
}

function gac(c: SimulatedCard, p1: number, second = false, arc = '3030'): Answer {
  const data = cdolData(c, second, arc);
  return send(c, concat([0x80, 0xae, p1, 0x00, data.length], data, [0x00]));
}

/** GPO and a first GENERATE AC for an ARQC; returns the ARQC. */
function online(c: SimulatedCard): Bytes {
  assert.equal(gpo(c).sw, '9000', 'GPO');
  const r = gac(c, 0x80);
  assert.equal(r.sw, '9000');
  assert.equal(tag(r.data, 0x9f27)![0], 0x80, 'ARQC');
  return tag(r.data, 0x9f26)!;
}

function arpc(c: SimulatedCard, arqc: Bytes, arc: string): Bytes {
  const d = adf(c).pboc;
  return arpcMethod1(sym(c), sessionKey(sym(c), d.udk!.ac, u16(d.atc)), arqc, fromHex(arc));
}

const issuerAuth = (c: SimulatedCard, arpcValue: Bytes, arc = '3030'): string =>
  sw(c, concat(fromHex('008200000A'), arpcValue, fromHex(arc)));

/** An online transaction approved by the issuer (right ARPC, ARC 3030, TC in the second GENERATE AC); its answer. */
function approvedOnline(c: SimulatedCard): Answer {
  const arqc = online(c);
  assert.equal(issuerAuth(c, arpc(c, arqc, '3030')), '9000', 'issuer authentication');
  const r = gac(c, 0x40, true);
  assert.equal(r.sw, '9000', 'second GENERATE AC');
  return r;
}

/** An online transaction whose issuer authentication fails (a wrong ARPC), then the second GENERATE AC. */
function failedIssuerAuth(c: SimulatedCard): void {
  const arqc = online(c);
  const wrong = arpc(c, arqc, '3030');
  wrong[7]! ^= 0x01;
  assert.equal(issuerAuth(c, wrong), '6300', 'issuer authentication fails');
  assert.equal(gac(c, 0x40, true).sw, '9000', 'second GENERATE AC');
}

/** An issuer script command with its MAC for the transaction in progress. */
function script(c: SimulatedCard, arqc: Bytes, header: string, data: Bytes): Bytes {
  const d = adf(c).pboc;
  const atc = u16(d.atc);
  const h = fromHex(header);
  const mac = scriptMac(sym(c), sessionKey(sym(c), d.udk!.mac, atc), h, atc, arqc, data);
  return concat(h, [data.length + 4], data, mac);
}

/** VERIFY of the offline PIN with a wrong PIN block `2N PIN F…`. */
function wrongOfflinePin(c: SimulatedCard): Bytes {
  const digits = wrongDigits(pse(c).pins.get(0x80)!.value);
  return concat(fromHex('0020008008'), fromHex(`2${digits.length.toString(16)}${digits}`.padEnd(16, 'F')));
}

const cvrOf = (answer: Answer): Bytes => tag(answer.data, 0x9f10)!.slice(3, 7);

// =============================================================================== the set

test('every defect of the second hold-out set has a test below and personalises on the 3DES and SM4 profiles', async () => {
  assert.equal(HOLDOUT_2_DEFECTS.length, 36);
  assert.equal(new Set(HOLDOUT_2_DEFECTS.map((d) => d.id)).size, HOLDOUT_2_DEFECTS.length);
  for (const d of HOLDOUT_2_DEFECTS) {
    assert.equal(d.requirements.length, 0, `${d.id}: the hold-out set names no requirement`);
    for (const suite of ['des', 'sm'] as const) await card([d.id], suite);
  }
});

// =============================================================================== ISO/IEC 7816

test('select-next-occurrence-restarts: "next occurrence" of D156000005 stays on DF01', async () => {
  const r = await compare('select-next-occurrence-restarts', (c) => {
    ok(c, '00A4040C05D156000005', 'SELECT first occurrence');
    ok(c, '00A4040E05D156000005', 'SELECT next occurrence');
    return c.context.currentDf.fid;
  });
  assert.deepEqual(r, { bad: 0xdf01, clean: 0xdf02 });
});

test('select-fcp-answers-fci: SELECT P2 = 04 of the SSSE answers the FCI template 6F', async () => {
  const r = await compare('select-fcp-answers-fci', (c) => ok(c, '00A4000402DDF1', 'SELECT FCP')[0]);
  assert.deepEqual(r, { bad: 0x6f, clean: 0x62 });
});

test('get-response-ignores-le: GET RESPONSE with Le = 4 returns the whole FCI with 9000', async () => {
  const r = await compare('get-response-ignores-le', (c) => {
    const first = c.process(fromHex('00A4000002DDF1'));
    assert.equal(first[0], 0x61, 'T=0: the FCI waits for GET RESPONSE');
    const answer = c.process(fromHex('00C0000004'));
    return `${answer.length - 2} ${toHex(answer.slice(-2)).slice(0, 2)}`;
  });
  assert.equal(r.clean, '4 61');
  assert.match(r.bad, /^\d+ 90$/);
  assert.notEqual(r.bad, '4 90');
});

test('read-record-current-reads-first: READ RECORD P1 = 00 after record 2 of EF05 reads record 1', async () => {
  const r = await compare('read-record-current-reads-first', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    ok(c, '00B2022C00', 'READ RECORD 2 of EF05');
    return ok(c, '00B2000400', 'READ RECORD current')[0];
  });
  assert.deepEqual(r, { bad: 0x01, clean: 0x02 });
});

test('security-not-satisfied-as-6985: UPDATE BINARY of EF0C without the PIN answers 6985', async () => {
  const r = await compare('security-not-satisfied-as-6985', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    return sw(c, '00D68C0001AA');
  });
  assert.deepEqual(r, { bad: '6985', clean: '6982' });
});

test('gac-rfu-reference-control-accepted: GENERATE AC P1 = C0 is answered', async () => {
  const r = await compare('gac-rfu-reference-control-accepted', (c) => {
    assert.equal(gpo(c).sw, '9000');
    return gac(c, 0xc0).sw;
  });
  assert.deepEqual(r, { bad: '9000', clean: '6A86' });
});

// =============================================================================== near misses

test('read-binary-offset-at-end-empty: READ BINARY at the end of EF0B answers 9000 without data', async () => {
  const r = await compare('read-binary-offset-at-end-empty', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    ok(c, '00A4020C02EF0B', 'SELECT EF0B');
    const size = ef(ssse(c), 0xef0b).data.length;
    const a = send(c, new Uint8Array([0x00, 0xb0, size >> 8, size & 0xff, 0x01]));
    return `${a.sw} ${a.data.length}`;
  });
  assert.deepEqual(r, { bad: '9000 0', clean: '6B00 0' });
});

test('update-record-one-past-end-appends: UPDATE RECORD n + 1 of EF06 adds a record', async () => {
  const r = await compare('update-record-one-past-end-appends', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const n = ef(ssse(c), 0xef06).records.length;
    const key = ssse(c).keys.get(3)!;
    const answer = sw(c, secured(c, key, `04DC${(n + 1).toString(16).padStart(2, '0')}34`, fromHex('20024142')));
    return `${answer} ${ef(ssse(c), 0xef06).records.length - n}`;
  });
  assert.deepEqual(r, { bad: '9000 1', clean: '6A83 0' });
});

test('change-pin-short-new-pin: CHANGE PIN to a 5-digit PIN is accepted', async () => {
  const r = await compare('change-pin-short-new-pin', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const data = concat(pinBlock(ssePin(c).value), [0xff], pinBlock('12345'));
    return `${sw(c, concat([0x80, 0x5e, 0x01, 0x00, data.length], data))} ${ssePin(c).value}`;
  });
  assert.equal(r.bad, '9000 12345');
  assert.match(r.clean, /^6A80 /);
});

test('access-any-authenticated-key: after authentication with the master key, EF0A (key 1) is updated', async () => {
  const r = await compare('access-any-authenticated-key', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const master = keyOfType(ssse(c), KEY_TYPE.MASTER);
    assert.notEqual(master.id, 1);
    assert.equal(authenticate(c, ssse(c), master.id), '9000');
    return sw(c, '00D68A0001AA');
  });
  assert.deepEqual(r, { bad: '9000', clean: '6982' });
});

test('sm4-external-auth-half-cryptogram: the first 8 bytes of an SM4 cryptogram authenticate', async () => {
  const r = await compare(
    'sm4-external-auth-half-cryptogram',
    (c) => {
      ok(c, SELECT_SSSE, 'SELECT SSSE');
      const key = ssse(c).keys.get(1)!;
      assert.equal(key.alg, 'sm4');
      const half = authCryptogram('sm4', key.value, challenge(c)).slice(0, 8);
      return sw(c, concat([0x00, 0x82, 0x00, 0x01, 0x08], half));
    },
    'sm',
  );
  assert.deepEqual(r, { bad: '9000', clean: '6700' });
});

test('write-key-zero-tries-accepted: WRITE KEY with a try limit of 0 loads the key', async () => {
  const r = await compare('write-key-zero-tries-accepted', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const env = ssse(c);
    const master = keyOfType(env, KEY_TYPE.MASTER);
    const old = env.keys.get(1)!;
    const value = fromHex('0123456789ABCDEFFEDCBA9876543210');
    const target = { id: 1, type: old.type, alg: old.alg, version: old.version + 1, tries: 0, value };
    return sw(c, writeKey({ authority: 'environment', authorityKey: master, challenge: challenge(c), target }));
  });
  assert.deepEqual(r, { bad: '9000', clean: '6A80' });
});

// =============================================================================== state after a failure

test('verify-without-data-spends-try: two VERIFY without data cost two tries', async () => {
  const r = await compare('verify-without-data-spends-try', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const before = ssePinTries(c);
    sw(c, '00200000');
    sw(c, '00200000');
    return before - ssePinTries(c);
  });
  assert.deepEqual(r, { bad: 2, clean: 0 });
});

test('select-ef-clears-security-state: after selecting EF0C the verified PIN no longer opens it', async () => {
  const r = await compare('select-ef-clears-security-state', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    ok(c, verifyPin(0, ssePin(c).value), 'VERIFY');
    ok(c, '00A4020C02EF0C', 'SELECT EF0C');
    return sw(c, '00D6000001AA');
  });
  assert.deepEqual(r, { bad: '6982', clean: '9000' });
});

test('issuer-auth-failure-forgotten: after a failed issuer authentication the next TC request gets a TC', async () => {
  const r = await compare('issuer-auth-failure-forgotten', (c) => {
    approvedOnline(c);
    failedIssuerAuth(c);
    assert.equal(gpo(c).sw, '9000');
    const answer = gac(c, 0x40);
    return tag(answer.data, 0x9f27)![0];
  });
  assert.deepEqual(r, { bad: 0x40, clean: 0x80 });
});

test('last-online-atc-after-failed-issuer-auth: 9F13 takes the ATC of an online transaction whose ARPC was wrong', async () => {
  const r = await compare('last-online-atc-after-failed-issuer-auth', (c) => {
    failedIssuerAuth(c);
    return toHex(tag(ok(c, '80CA9F1300', 'GET DATA 9F13'), 0x9f13)!);
  });
  assert.deepEqual(r, { bad: '0001', clean: '0000' });
});

// =============================================================================== freshness

test('challenge-survives-reset: a challenge taken before a reset serves EXTERNAL AUTHENTICATE after it', async () => {
  const r = await compare('challenge-survives-reset', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const old = challenge(c);
    c.reset();
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const key = ssse(c).keys.get(1)!;
    const cryptogram = authCryptogram(key.alg, key.value, old);
    return sw(c, concat([0x00, 0x82, 0x00, 0x01, cryptogram.length], cryptogram));
  });
  assert.deepEqual(r, { bad: '9000', clean: '6984' });
});

test('dda-dynamic-number-constant: two INTERNAL AUTHENTICATE with the same data give the same signature', async () => {
  const r = await compare('dda-dynamic-number-constant', (c) => {
    ok(c, SELECT_ADF, 'SELECT ADF');
    const first = ok(c, '008800000411223344', 'INTERNAL AUTHENTICATE');
    const second = ok(c, '008800000411223344', 'INTERNAL AUTHENTICATE');
    return equal(first, second) ? 'same' : 'different';
  });
  assert.deepEqual(r, { bad: 'same', clean: 'different' });
});

test('external-auth-without-challenge: a cryptogram of a zero challenge authenticates without GET CHALLENGE', async () => {
  const r = await compare('external-auth-without-challenge', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const key = ssse(c).keys.get(1)!;
    const cryptogram = authCryptogram(key.alg, key.value, new Uint8Array(8));
    return sw(c, concat([0x00, 0x82, 0x00, 0x01, cryptogram.length], cryptogram));
  });
  assert.deepEqual(r, { bad: '9000', clean: '6984' });
});

// =============================================================================== firewall

test('read-record-sfi-card-wide: in the PSE, READ RECORD by SFI 5 reads the SSSE basic data', async () => {
  const r = await compare('read-record-sfi-card-wide', (c) => {
    ok(c, SELECT_PSE, 'SELECT PSE');
    return sw(c, '00B2012C00');
  });
  assert.deepEqual(r, { bad: '9000', clean: '6A82' });
});

test('card-master-reloads-environment-master: the card master key replaces the SSSE master key', async () => {
  const r = await compare('card-master-reloads-environment-master', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const cardMaster = keyOfType(c.mf, KEY_TYPE.MASTER);
    const master = keyOfType(ssse(c), KEY_TYPE.MASTER);
    const value = fromHex('00112233445566778899AABBCCDDEEFF');
    const target = { id: master.id, type: KEY_TYPE.MASTER, alg: master.alg, version: master.version + 1, tries: 15, value };
    return sw(c, writeKey({ authority: 'card', authorityKey: cardMaster, challenge: challenge(c), target }));
  });
  assert.deepEqual(r, { bad: '9000', clean: '6982' });
});

test('script-pin-unblock-unblocks-all-pins: the PBOC PIN UNBLOCK script gives the SSSE PIN its tries back', async () => {
  const r = await compare('script-pin-unblock-unblocks-all-pins', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const max = ssePinTries(c);
    for (let i = 0; i < 2; i++) sw(c, verifyPin(0, wrongDigits(ssePin(c).value)));
    const arqc = online(c);
    ok(c, script(c, arqc, '84240000', EMPTY), 'PIN UNBLOCK script');
    ok(c, SELECT_MF, 'SELECT MF');
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    return max - ssePinTries(c);
  });
  assert.deepEqual(r, { bad: 0, clean: 2 });
});

// =============================================================================== PBOC

test('gpo-pdol-length-unchecked: GPO with PDOL data one byte short is answered', async () => {
  const r = await compare('gpo-pdol-length-unchecked', (c) => {
    ok(c, SELECT_ADF, 'SELECT ADF');
    const n = dolLength(pdolOf(adf(c))) - 1;
    return sw(c, concat([0x80, 0xa8, 0x00, 0x00, n + 2, 0x83, n], new Uint8Array(n), [0x00]));
  });
  assert.deepEqual(r, { bad: '9000', clean: '6700' });
});

test('cda-signature-on-aac: an AAC asked with CDA comes back signed (9F4B)', async () => {
  const r = await compare('cda-signature-on-aac', (c) => {
    assert.equal(gpo(c).sw, '9000');
    const answer = gac(c, 0x10);
    assert.equal(tag(answer.data, 0x9f27)![0], 0x00, 'AAC');
    return tag(answer.data, 0x9f4b) ? '9F4B' : tag(answer.data, 0x9f26) ? '9F26' : 'neither';
  });
  assert.deepEqual(r, { bad: '9F4B', clean: '9F26' });
});

test('cvr-second-gac-type-not-set: the CVR of the second GENERATE AC does not say TC', async () => {
  const r = await compare('cvr-second-gac-type-not-set', (c) => cvrOf(approvedOnline(c))[1]! & 0xc0);
  assert.deepEqual(r, { bad: 0x00, clean: 0x40 });
});

test('cvr-pin-try-limit-not-set: the offline PIN blocked in the transaction is not in the CVR', async () => {
  const r = await compare('cvr-pin-try-limit-not-set', (c) => {
    assert.equal(gpo(c).sw, '9000');
    const tries = pse(c).pins.get(0x80)!.tries;
    for (let i = 0; i < tries; i++) sw(c, wrongOfflinePin(c));
    assert.equal(pse(c).pins.get(0x80)!.tries, 0);
    return cvrOf(gac(c, 0x80))[2]! & 0x40;
  });
  assert.deepEqual(r, { bad: 0x00, clean: 0x40 });
});

test('atc-wraps-at-limit: at ATC FFFF a transaction starts and the ATC becomes 0000', async () => {
  const r = await compare('atc-wraps-at-limit', (c) => {
    adf(c).pboc.atc = 0xffff; // set-up: a card at the end of its ATC
    const answer = gpo(c).sw;
    return `${answer} ${toHex(tag(ok(c, '80CA9F3600', 'GET DATA 9F36'), 0x9f36)!)}`;
  });
  assert.deepEqual(r, { bad: '9000 0000', clean: '6985 FFFF' });
});

test('transaction-log-oldest-first: record 1 of the log is the first transaction, not the latest', async () => {
  const r = await compare('transaction-log-oldest-first', (c) => {
    approvedOnline(c);
    assert.equal(gpo(c).sw, '9000');
    assert.equal(tag(gac(c, 0x40).data, 0x9f27)![0], 0x40, 'TC offline');
    const sfi = adf(c).pboc.objects['9F4D']![0]!;
    const record = ok(c, new Uint8Array([0x00, 0xb2, 0x01, (sfi << 3) | 4, 0x00]), 'READ RECORD 1 of the log');
    return toHex(record.slice(-2)); // the format 9F4F ends with the ATC
  });
  assert.deepEqual(r, { bad: '0001', clean: '0002' });
});

test('blocked-pboc-application-transacts: after the APPLICATION BLOCK script GPO still starts a transaction', async () => {
  const r = await compare('blocked-pboc-application-transacts', (c) => {
    const arqc = online(c);
    ok(c, script(c, arqc, '841E0000', EMPTY), 'APPLICATION BLOCK script');
    assert.equal(sw(c, SELECT_ADF), '6283');
    return gpo(c, false).sw;
  });
  assert.deepEqual(r, { bad: '9000', clean: '6A81' });
});

test('sm4-ac-padding-method-1: the SM4 ARQC is not the MAC with padding method 2', async () => {
  const r = await compare(
    'sm4-ac-padding-method-1',
    (c) => {
      assert.equal(gpo(c).sw, '9000');
      const answer = gac(c, 0x80);
      const d = adf(c).pboc;
      const atc = u16(d.atc);
      const input = concat(cdolData(c, false), tag(d.gpo!, 0x82)!, atc, cvrOf(answer));
      const expected = applicationCryptogram('sm4', sessionKey('sm4', d.udk!.ac, atc), input);
      return equal(expected, tag(answer.data, 0x9f26)!) ? 'padding 2' : 'other';
    },
    'sm',
  );
  assert.deepEqual(r, { bad: 'other', clean: 'padding 2' });
});

test('sm4-script-mac-under-ac-key: a script MAC made with the UDK-MAC session key is refused', async () => {
  const r = await compare('sm4-script-mac-under-ac-key', (c) => sw(c, script(c, online(c), '841E0000', EMPTY)), 'sm');
  assert.deepEqual(r, { bad: '6988', clean: '9000' });
});

test('sm4-script-pin-change-3des: an SM4-enciphered new PIN is refused', async () => {
  const r = await compare(
    'sm4-script-pin-change-3des',
    (c) => {
      const arqc = online(c);
      const d = adf(c).pboc;
      const block = concat(fromHex('26654321FFFFFFFF'), fromHex('8000000000000000'));
      const enciphered = encryptEcb('sm4', sessionKey('sm4', d.udk!.enc, u16(d.atc)), block);
      return `${sw(c, script(c, arqc, '84240002', enciphered))} ${pse(c).pins.get(0x80)!.value}`;
    },
    'sm',
  );
  assert.equal(r.clean, '9000 654321');
  assert.match(r.bad, /^6A80 /);
});

test('application-block-volatile: after a reset the blocked SSSE is selected with 9000', async () => {
  const r = await compare('application-block-volatile', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    ok(c, secured(c, keyOfType(ssse(c), KEY_TYPE.MAINTENANCE), '841E0000'), 'APPLICATION BLOCK');
    const within = sw(c, SELECT_SSSE);
    c.reset();
    return `${within} ${sw(c, SELECT_SSSE)}`;
  });
  assert.deepEqual(r, { bad: '6283 9000', clean: '6283 6283' });
});

test('application-unblock-resets-pin-tries: APPLICATION UNBLOCK gives a blocked SSSE PIN its tries back', async () => {
  const r = await compare('application-unblock-resets-pin-tries', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    while (ssePinTries(c) > 0) sw(c, verifyPin(0, wrongDigits(ssePin(c).value)));
    ok(c, secured(c, keyOfType(ssse(c), KEY_TYPE.MAINTENANCE), '84180000'), 'APPLICATION UNBLOCK');
    return sw(c, verifyPin(0, ssePin(c).value));
  });
  assert.deepEqual(r, { bad: '9000', clean: '6983' });
});

// =============================================================================== anti-tear

test('update-acknowledged-before-commit: an UPDATE BINARY answered 9000 is lost by the next reset', async () => {
  const r = await compare('update-acknowledged-before-commit', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const file = ef(ssse(c), 0xef0b);
    const before = file.data[0]!;
    ok(c, new Uint8Array([0x00, 0xd6, 0x8b, 0x00, 0x01, before ^ 0xff]), 'UPDATE BINARY EF0B');
    c.reset();
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    return ok(c, '00B08B0001', 'READ BINARY EF0B')[0] === before ? 'old' : 'new';
  });
  assert.deepEqual(r, { bad: 'old', clean: 'new' });
  // the personalisation is untouched: the basic data and the EFs are those of the clean card
  const [bad, clean] = [await card(['update-acknowledged-before-commit']), await card()];
  for (const fid of [0xef05, 0xef06]) assert.deepEqual(ef(ssse(bad), fid).records, ef(ssse(clean), fid).records);
  for (const fid of [0xef0a, 0xef0b]) assert.deepEqual(ef(ssse(bad), fid).data, ef(ssse(clean), fid).data);
});

test('no-anti-tear-transaction-log: a torn TC leaves the last log record twice', async () => {
  const r = await compare('no-anti-tear-transaction-log', (c) => {
    approvedOnline(c);
    assert.equal(gpo(c).sw, '9000');
    const data = cdolData(c, false);
    c.armTear(2, 0xae);
    assert.throws(() => c.process(concat([0x80, 0xae, 0x40, 0x00, data.length], data, [0x00])), PowerLoss);
    c.reset();
    ok(c, SELECT_ADF, 'SELECT ADF');
    const sfi = adf(c).pboc.objects['9F4D']![0]!;
    const read = (n: number) => ok(c, new Uint8Array([0x00, 0xb2, n, (sfi << 3) | 4, 0x00]), `READ RECORD ${n} of the log`);
    return equal(read(1), read(2)) ? 'duplicated' : 'distinct';
  });
  assert.deepEqual(r, { bad: 'duplicated', clean: 'distinct' });
});
