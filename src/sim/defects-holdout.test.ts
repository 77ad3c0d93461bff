/**
 * The hold-out defects (sim/defects/holdout*.ts) at the APDU level: each one,
 * on a personalised card (the default profile, or the SM4 profile for the SM
 * suite), does what its description says, and the clean card does not. Card
 * internals are read only to compute what the issuer or terminal would (keys,
 * MACs, ARPCs), or to set up a starting state (a key already blocked).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Bytes, concat, fromHex, toHex } from '../core/bytes.ts';
import { findTag, parseTlv } from '../core/tlv.ts';
import { writeKey } from '../cos/commands.ts';
import { authCryptogram, pinBlock } from '../cos/formats.ts';
import { dolLength, parseDol } from '../emv/dol.ts';
import { HOLDOUT_DEFECTS } from '../model/defects/holdout.ts';
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
  return sw(c, concat([0x00, 0x82, 0x00, id, 0x08], authCryptogram(key.alg, key.value, challenge(c)).slice(0, 8)));
}

/** Tries left (and version) of an SSSE key or PIN by GET KEY INFO. */
const keyInfo = (c: SimulatedCard, p1: number, id: number): Bytes => ok(c, new Uint8Array([0x80, 0xca, p1, id, 0x00]), 'GET KEY INFO');
const ssePinTries = (c: SimulatedCard): number => keyInfo(c, 0x01, 0x00)[7]!;

// ------------------------------------------------------------------------------- PBOC helpers

/** SELECT the debit ADF and GET PROCESSING OPTIONS announcing the suite (DF69) given, or the card's. */
function gpo(c: SimulatedCard, df69?: number): Answer {
  ok(c, SELECT_ADF, 'SELECT ADF');
  const a = adf(c);
  const pdol = pdolOf(a);
  const data = new Uint8Array(dolLength(pdol));
  let off = 0;
  for (const e of pdol) {
    if (e.tag === 0xdf69) data[off] = df69 ?? a.pboc.objects.DF69?.[0] ?? 0;
    off += e.length;
  }
  return send(c, concat([0x80, 0xa8, 0x00, 0x00, data.length + 2, 0x83, data.length], data, [0x00]));
}

/** The CDOL1 (or CDOL2) data: zeros, with the ARC and unpredictable number given. */
function cdolData(c: SimulatedCard, second: boolean, arc = '3030', un = '00000000'): Bytes {
  const dol = parseDol(recordElement(adf(c), second ? 0x8d : 0x8c)!);
  const data = new Uint8Array(dolLength(dol));
  let off = 0;
  for (const e of dol) {
    if (e.tag === 0x8a) data.set(fromHex(arc), off);
    if (e.tag === 0x9f37) data.set(fromHex(un), off);
    off += e.length;
  }
  return data;
}

function gac(c: SimulatedCard, p1: number, second = false, arc = '3030', un = '00000000'): Answer {
  const data = cdolData(c, second, arc, un);
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

/** An issuer script command with its MAC for the transaction in progress. */
function script(c: SimulatedCard, arqc: Bytes, header: string, data: Bytes): Bytes {
  const d = adf(c).pboc;
  const atc = u16(d.atc);
  const h = fromHex(header);
  const mac = scriptMac(sym(c), sessionKey(sym(c), d.udk!.mac, atc), h, atc, arqc, data);
  return concat(h, [data.length + 4], data, mac);
}

/** The offline PIN block `2N PIN F…` of the PSE PIN, or of a wrong one. */
function offlinePin(c: SimulatedCard, right: boolean): Bytes {
  const value = pse(c).pins.get(0x80)!.value;
  const digits = right ? value : value.replace(/.$/, (d) => String((Number(d) + 1) % 10));
  return concat(fromHex('0020008008'), fromHex(`2${digits.length.toString(16)}${digits}`.padEnd(16, 'F')));
}

// =============================================================================== the set

test('every hold-out defect has a test below and personalises on the 3DES and SM4 profiles', async () => {
  assert.equal(HOLDOUT_DEFECTS.length, 36);
  for (const d of HOLDOUT_DEFECTS) {
    assert.equal(d.requirements.length, 0, `${d.id}: the hold-out set names no requirement`);
    for (const suite of ['des', 'sm'] as const) await card([d.id], suite);
  }
});

// =============================================================================== ISO/IEC 7816

test('failed-select-resets-current-df: after a failed SELECT the SSSE is no longer the current DF', async () => {
  const r = await compare('failed-select-resets-current-df', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    assert.equal(sw(c, '00A4000C021234'), '6A82');
    return sw(c, '00B2012C00'); // READ RECORD 1 of EF05 by SFI, in the current DF
  });
  assert.deepEqual(r, { bad: '6A82', clean: '9000' });
});

test('read-binary-sfi-not-made-current: READ BINARY by SFI leaves no current EF', async () => {
  const r = await compare('read-binary-sfi-not-made-current', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    ok(c, '00B08A0004', 'READ BINARY EF0A by SFI');
    return sw(c, '00B0000004');
  });
  assert.deepEqual(r, { bad: '6986', clean: '9000' });
});

test('blocked-application-selects-9000: the blocked SSSE is selected with 9000, its commands still refused', async () => {
  const r = await compare('blocked-application-selects-9000', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    ok(c, secured(c, keyOfType(ssse(c), KEY_TYPE.MAINTENANCE), '841E0000'), 'APPLICATION BLOCK');
    ok(c, SELECT_MF, 'SELECT MF');
    return `${sw(c, SELECT_SSSE)} ${sw(c, '00B2012C00')}`;
  });
  assert.deepEqual(r, { bad: '9000 6A81', clean: '6283 6A81' });
});

test('append-record-full-linear-overwrites-last: APPEND RECORD to a full linear EF replaces record 3', async () => {
  const r = await compare('append-record-full-linear-overwrites-last', (c) => {
    const file = ef(c.mf, 0x0016);
    file.access.update = 'always'; // set-up: a linear fixed EF the terminal may append to, full
    file.maxRecords = file.records.length;
    const answer = sw(c, concat(fromHex('00E200B008'), new Uint8Array(8).fill(0x44)));
    return `${answer} ${toHex(file.records[file.records.length - 1]!)}`;
  });
  assert.deepEqual(r, { bad: '9000 4444444444444444', clean: '6A84 3333333333333333' });
});

test('read-record-sfi-skips-read-condition: on the 3.00 SM4 card EF05 reads by SFI without the read key', async () => {
  const r = await compare(
    'read-record-sfi-skips-read-condition',
    (c) => {
      ok(c, SELECT_SSSE, 'SELECT SSSE');
      const bySfi = sw(c, '00B2012C00');
      ok(c, '00A4020C02EF05', 'SELECT EF05');
      return `${bySfi} ${sw(c, '00B2010400')}`;
    },
    'sm',
  );
  assert.deepEqual(r, { bad: '9000 6982', clean: '6982 6982' });
});

// =============================================================================== state after a failure

test('pin-try-counter-volatile: a reset gives back the try spent by a wrong PIN', async () => {
  const r = await compare('pin-try-counter-volatile', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    assert.equal(sw(c, '0020000003000000'), '63C2');
    const within = ssePinTries(c);
    c.reset();
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    return `${within} ${ssePinTries(c)}`;
  });
  assert.deepEqual(r, { bad: '2 3', clean: '2 2' });
});

test('change-pin-wrong-old-not-counted: CHANGE PIN with a wrong old PIN keeps 3 tries', async () => {
  const r = await compare('change-pin-wrong-old-not-counted', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const data = concat(pinBlock('000000'), [0xff], pinBlock('654321'));
    const answer = sw(c, concat([0x80, 0x5e, 0x01, 0x00, data.length], data));
    return `${answer} ${ssePinTries(c)}`;
  });
  assert.deepEqual(r, { bad: '63C3 3', clean: '63C2 2' });
});

test('pin-length-mismatch-not-counted: a 5-digit PIN answers 63C3 and spends nothing', async () => {
  const r = await compare('pin-length-mismatch-not-counted', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const answer = sw(c, concat(fromHex('0020000003'), pinBlock('12345')));
    return `${answer} ${ssePinTries(c)}`;
  });
  assert.deepEqual(r, { bad: '63C3 3', clean: '63C2 2' });
});

test('key-blocked-still-authenticates: a blocked external authentication key accepts the right cryptogram', async () => {
  const r = await compare('key-blocked-still-authenticates', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    ssse(c).keys.get(1)!.tries = 0; // set-up: the key was blocked by wrong attempts
    return authenticate(c, ssse(c), 1);
  });
  assert.deepEqual(r, { bad: '9000', clean: '6983' });
});

test('issuer-auth-retry-after-failure: a second EXTERNAL AUTHENTICATE after a wrong ARPC succeeds', async () => {
  const r = await compare('issuer-auth-retry-after-failure', (c) => {
    const arqc = online(c);
    const right = arpc(c, arqc, '3030');
    assert.equal(issuerAuth(c, concat(right.slice(0, 7), [right[7]! ^ 0x01])), '6300');
    return issuerAuth(c, right);
  });
  assert.deepEqual(r, { bad: '9000', clean: '6985' });
});

// =============================================================================== near misses

test('update-binary-one-past-end: 9 bytes into an 8-byte EF are accepted; 8 are for both', async () => {
  const r = await compare('update-binary-one-past-end', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    assert.equal(sw(c, concat(fromHex('00D68B0008'), new Uint8Array(8).fill(0x11))), '9000', 'exactly to the end');
    return `${sw(c, concat(fromHex('00D68B0009'), new Uint8Array(9).fill(0x22)))} ${toHex(ef(ssse(c), 0xef0b).data)}`;
  });
  assert.deepEqual(r, { bad: '9000 2222222222222222', clean: '6B00 1111111111111111' });
});

test('read-record-one-past-end: record 4 of a 3-record EF reads as erased memory', async () => {
  const r = await compare('read-record-one-past-end', (c) => {
    const a = send(c, '00B204B400');
    return `${a.sw} ${toHex(a.data)}`;
  });
  assert.deepEqual(r, { bad: '9000 FFFFFFFFFFFFFFFF', clean: '6A83 ' });
  const c = await card(['read-record-one-past-end']);
  assert.equal(sw(c, '00B205B400'), '6A83', 'two past the end is still refused');
});

test('pin-extra-digits-accepted: the PIN with one more digit is accepted', async () => {
  const r = await compare('pin-extra-digits-accepted', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    return sw(c, concat(fromHex('0020000004'), pinBlock('1234567')));
  });
  assert.deepEqual(r, { bad: '9000', clean: '63C2' });
});

test('internal-auth-random-truncated: the SSSE internal authentication ignores the last 4 bytes of the random', async () => {
  for (const [random, same] of [
    ['0102030405060708', false],
    ['0102030400000000', true],
  ] as const) {
    const r = await compare('internal-auth-random-truncated', (c) => {
      ok(c, SELECT_SSSE, 'SELECT SSSE');
      const irk = keyOfType(ssse(c), KEY_TYPE.INTERNAL_AUTH);
      const answer = ok(c, `0088000008${random}00`, 'INTERNAL AUTHENTICATE');
      return toHex(answer) === toHex(authCryptogram(irk.alg, irk.value, fromHex(random)));
    });
    assert.deepEqual(r, { bad: same, clean: true }, random);
  }
});

test('sm4-arpc-compared-on-4-bytes: on the SM4 card an ARPC right in its first 4 bytes authenticates', async () => {
  const spoilt = (c: SimulatedCard): string => {
    const arqc = online(c);
    const a = arpc(c, arqc, '3030').slice();
    a[6]! ^= 0x01;
    return issuerAuth(c, a);
  };
  assert.deepEqual(await compare('sm4-arpc-compared-on-4-bytes', spoilt, 'sm'), { bad: '9000', clean: '6300' });
  assert.equal(spoilt(await card(['sm4-arpc-compared-on-4-bytes'])), '6300', 'the 3DES suite is not affected');
});

// =============================================================================== freshness

test('challenge-kept-after-wrong-mac: after a wrong MAC the same challenge serves the right one', async () => {
  const r = await compare('challenge-kept-after-wrong-mac', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const right = secured(c, keyOfType(ssse(c), KEY_TYPE.MAINTENANCE), '84180000');
    const wrong = concat(right.slice(0, -1), [right[right.length - 1]! ^ 0x01]);
    assert.equal(sw(c, wrong), '6988');
    return sw(c, right);
  });
  assert.deepEqual(r, { bad: '9000', clean: '6984' });
});

test('challenge-half-constant: the last 4 bytes of every 8-byte challenge are 00', async () => {
  const r = await compare('challenge-half-constant', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const tails = [challenge(c), challenge(c)].map((x) => toHex(x.slice(4)));
    assert.equal(authenticate(c, ssse(c), 1), '9000', 'the challenge still serves EXTERNAL AUTHENTICATE');
    return tails.every((t) => t === '00000000');
  });
  assert.deepEqual(r, { bad: true, clean: false });
});

test('script-mac-from-earlier-transaction: a script recorded in one transaction replays in the next', async () => {
  const r = await compare('script-mac-from-earlier-transaction', (c) => {
    const first = script(c, online(c), '04DA9F23', fromHex('07'));
    ok(c, first, 'PUT DATA in the first transaction');
    c.reset();
    online(c);
    return sw(c, first);
  });
  assert.deepEqual(r, { bad: '9000', clean: '6988' });
});

test('cryptogram-ignores-unpredictable-number: the ARQC is the one over a zero unpredictable number', async () => {
  const r = await compare('cryptogram-ignores-unpredictable-number', (c) => {
    assert.equal(gpo(c).sw, '9000');
    const answer = gac(c, 0x80, false, '3030', '11223344');
    const d = adf(c).pboc;
    const atc = u16(d.atc);
    const aip = findTag(parseTlv(d.gpo!), 0x82)!.value;
    const cvr = tag(answer.data, 0x9f10)!.slice(3, 7);
    const sk = sessionKey(sym(c), d.udk!.ac, atc);
    const over = (un: string) => toHex(applicationCryptogram(sym(c), sk, concat(cdolData(c, false, '3030', un), aip, atc, cvr)));
    const ac = toHex(tag(answer.data, 0x9f26)!);
    return ac === over('11223344') ? 'real' : ac === over('00000000') ? 'zero' : 'other';
  });
  assert.deepEqual(r, { bad: 'zero', clean: 'real' });
});

test('gac-without-gpo: GENERATE AC right after SELECT gives a cryptogram on the last ATC', async () => {
  const r = await compare('gac-without-gpo', (c) => {
    ok(c, SELECT_ADF, 'SELECT ADF');
    const before = adf(c).pboc.atc;
    const answer = gac(c, 0x80);
    return `${answer.sw} ${adf(c).pboc.atc - before}`;
  });
  assert.deepEqual(r, { bad: '9000 0', clean: '6985 0' });
});

// =============================================================================== firewall

test('challenge-crosses-firewall: a challenge of the SSSE serves EXTERNAL AUTHENTICATE in the PSE', async () => {
  const r = await compare('challenge-crosses-firewall', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const ch = challenge(c);
    ok(c, SELECT_PSE, 'SELECT PSE');
    const key = pse(c).keys.get(1)!;
    return sw(c, concat([0x00, 0x82, 0x00, 0x01, 0x08], authCryptogram(key.alg, key.value, ch).slice(0, 8)));
  });
  assert.deepEqual(r, { bad: '9000', clean: '6984' });
});

test("verify-pin-lookup-card-wide: the SSSE verifies the PSE's offline PIN", async () => {
  const r = await compare('verify-pin-lookup-card-wide', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    return sw(c, concat(fromHex('0020008003'), pinBlock(pse(c).pins.get(0x80)!.value)));
  });
  assert.deepEqual(r, { bad: '9000', clean: '6A88' });
});

test('ssse-unblock-unblocks-pse: an SSSE APPLICATION UNBLOCK undoes a PBOC APPLICATION BLOCK', async () => {
  const r = await compare('ssse-unblock-unblocks-pse', (c) => {
    const arqc = online(c);
    ok(c, script(c, arqc, '841E0000', EMPTY), 'PBOC APPLICATION BLOCK');
    ok(c, SELECT_MF, 'SELECT MF');
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    ok(c, secured(c, keyOfType(ssse(c), KEY_TYPE.MAINTENANCE), '84180000'), 'SSSE APPLICATION UNBLOCK');
    return sw(c, SELECT_PSE);
  });
  assert.deepEqual(r, { bad: '9000', clean: '6283' });
});

test('ssse-internal-auth-in-pse: INTERNAL AUTHENTICATE answers in the PSE directory', async () => {
  const r = await compare('ssse-internal-auth-in-pse', (c) => {
    ok(c, SELECT_PSE, 'SELECT PSE');
    return sw(c, '00880000080102030405060708');
  });
  assert.deepEqual(r, { bad: '9000', clean: '6D00' });
});

// =============================================================================== PBOC

test('sm-card-ignores-terminal-suite: the SM4 card starts a transaction for a terminal without SM', async () => {
  assert.deepEqual(await compare('sm-card-ignores-terminal-suite', (c) => gpo(c, 0x00).sw, 'sm'), { bad: '9000', clean: '6985' });
  assert.equal(gpo(await card(['sm-card-ignores-terminal-suite']), 0x00).sw, '9000', 'the 3DES card is not affected');
});

test('sm4-ac-without-session-key: the SM4 ARQC is made with UDK-AC itself', async () => {
  const keyUsed = (c: SimulatedCard): string => {
    assert.equal(gpo(c).sw, '9000');
    const answer = gac(c, 0x80);
    const d = adf(c).pboc;
    const atc = u16(d.atc);
    const aip = findTag(parseTlv(d.gpo!), 0x82)!.value;
    const input = concat(cdolData(c, false), aip, atc, tag(answer.data, 0x9f10)!.slice(3, 7));
    const ac = toHex(tag(answer.data, 0x9f26)!);
    if (ac === toHex(applicationCryptogram(sym(c), sessionKey(sym(c), d.udk!.ac, atc), input))) return 'session key';
    return ac === toHex(applicationCryptogram(sym(c), d.udk!.ac, input)) ? 'UDK' : 'other';
  };
  assert.deepEqual(await compare('sm4-ac-without-session-key', keyUsed, 'sm'), { bad: 'UDK', clean: 'session key' });
  assert.equal(keyUsed(await card(['sm4-ac-without-session-key'])), 'session key', 'the 3DES suite is not affected');
});

test('sm4-iad-names-3des: the SM4 card names 3DES in its issuer application data', async () => {
  const algorithm = (c: SimulatedCard): number => {
    assert.equal(gpo(c).sw, '9000');
    const iad = tag(gac(c, 0x80).data, 0x9f10)!;
    return iad[iad.length - 1]!;
  };
  assert.deepEqual(await compare('sm4-iad-names-3des', algorithm, 'sm'), { bad: 0x01, clean: 0x04 });
});

test('cvr-issuer-auth-failure-not-set: after a wrong ARPC the second cryptogram does not say so', async () => {
  const r = await compare('cvr-issuer-auth-failure-not-set', (c) => {
    const arqc = online(c);
    const a = arpc(c, arqc, '3030').slice();
    a[0]! ^= 0x01;
    assert.equal(issuerAuth(c, a), '6300');
    const iad = tag(gac(c, 0x00, true).data, 0x9f10)!;
    return iad[4]! & 0x08;
  });
  assert.deepEqual(r, { bad: 0x00, clean: 0x08 });
});

test('cvr-script-counter-not-set: a script before the second GENERATE AC is not counted in the CVR', async () => {
  const r = await compare('cvr-script-counter-not-set', (c) => {
    const arqc = online(c);
    assert.equal(issuerAuth(c, arpc(c, arqc, '3030')), '9000');
    ok(c, script(c, arqc, '04DA9F23', fromHex('07')), 'PUT DATA');
    const iad = tag(gac(c, 0x40, true).data, 0x9f10)!;
    return iad[6]! >> 4;
  });
  assert.deepEqual(r, { bad: 0, clean: 1 });
});

test('second-gac-after-offline-decision: an offline decline is followed by an approving GENERATE AC', async () => {
  const r = await compare('second-gac-after-offline-decision', (c) => {
    assert.equal(gpo(c).sw, '9000');
    assert.equal(tag(gac(c, 0x00).data, 0x9f27)![0], 0x00, 'AAC');
    const again = gac(c, 0x40, true);
    return again.sw === '9000' ? `9000 ${tag(again.data, 0x9f27)![0]}` : again.sw;
  });
  assert.deepEqual(r, { bad: '9000 64', clean: '6985' });
});

test('offline-pin-blocked-accepts-right-pin: the right offline PIN after three wrong ones is accepted', async () => {
  const r = await compare('offline-pin-blocked-accepts-right-pin', (c) => {
    assert.equal(gpo(c).sw, '9000');
    for (let i = 0; i < 3; i++) assert.equal(sw(c, offlinePin(c, false)).slice(0, 3), '63C');
    return sw(c, offlinePin(c, true));
  });
  assert.deepEqual(r, { bad: '9000', clean: '6983' });
});

// =============================================================================== anti-tear

test('journal-overflow-commits-early: a torn 32-byte UPDATE BINARY keeps its first 16 bytes', async () => {
  const r = await compare('journal-overflow-commits-early', (c) => {
    const file = ef(ssse(c), 0xef0a);
    const before = toHex(file.data);
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    assert.equal(authenticate(c, ssse(c), 1), '9000');
    c.armTear(6, 0xd6);
    assert.throws(() => c.process(concat(fromHex('00D68A0020'), new Uint8Array(32).fill(0xa5))), PowerLoss);
    c.reset();
    return toHex(file.data) === before ? 'old' : toHex(file.data.slice(0, 16)) === 'A5'.repeat(16) ? 'first half new' : 'other';
  });
  assert.deepEqual(r, { bad: 'first half new', clean: 'old' });
});

test('no-anti-tear-second-gac: a torn second GENERATE AC leaves the online transaction marked complete', async () => {
  const r = await compare('no-anti-tear-second-gac', (c) => {
    const arqc = online(c);
    assert.equal(issuerAuth(c, arpc(c, arqc, '3030')), '9000');
    c.armTear(2, 0xae);
    const data = cdolData(c, true);
    assert.throws(() => c.process(concat([0x80, 0xae, 0x40, 0x00, data.length], data, [0x00])), PowerLoss);
    c.reset();
    const d = adf(c).pboc;
    return `${d.lastOnlineNotCompleted} ${d.lastOnlineAtc}`;
  });
  assert.deepEqual(r, { bad: 'false 0', clean: 'true 0' });
});

// =============================================================================== life cycle and key loading

/** WRITE KEY replacing SSSE key 1 (version + 1, 5 tries), under the SSSE master key. */
function reloadKey1(c: SimulatedCard): string {
  const env = ssse(c);
  const master = keyOfType(env, KEY_TYPE.MASTER);
  const old = env.keys.get(1)!;
  const target = {
    id: 1,
    type: old.type,
    alg: old.alg,
    version: old.version + 1,
    tries: 5,
    value: fromHex('0123456789ABCDEFFEDCBA9876543210'),
  };
  return sw(c, writeKey({ authority: 'environment', authorityKey: master, challenge: challenge(c), target }));
}

test('write-key-version-kept: a reloaded key keeps its old version', async () => {
  const r = await compare('write-key-version-kept', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    const version = ssse(c).keys.get(1)!.version;
    assert.equal(reloadKey1(c), '9000');
    return keyInfo(c, 0x00, 0x01)[3]! - version;
  });
  assert.deepEqual(r, { bad: 0, clean: 1 });
});

test('write-key-keeps-try-counter: a blocked key stays blocked after it is reloaded', async () => {
  const r = await compare('write-key-keeps-try-counter', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    ssse(c).keys.get(1)!.tries = 0; // set-up: key 1 blocked by wrong attempts
    assert.equal(reloadKey1(c), '9000');
    return keyInfo(c, 0x00, 0x01)[7]!;
  });
  assert.deepEqual(r, { bad: 0, clean: 5 });
});

test('blocked-application-accepts-updates: UPDATE BINARY writes in the blocked SSSE', async () => {
  const r = await compare('blocked-application-accepts-updates', (c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    ok(c, secured(c, keyOfType(ssse(c), KEY_TYPE.MAINTENANCE), '841E0000'), 'APPLICATION BLOCK');
    return sw(c, '00D68B0001AA');
  });
  assert.deepEqual(r, { bad: '9000', clean: '6A81' });
});
