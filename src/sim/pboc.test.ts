/**
 * The PBOC debit application at the edges `npm run fuzz` found: issuer
 * script commands longer than a short Lc allows (the script MAC covers a
 * short Lc, JR/T 0025.5 and EMV 4.3 Book 2 §9.2: more than 251 data bytes
 * before the MAC is 6700 and a failed script, never an internal fault); the
 * offline PIN's verified state after a wrong PIN; and GET PROCESSING OPTIONS
 * and GENERATE AC answered 6Cxx under T=1, which must leave the transaction
 * as it was so that the command sent again with the right Le does its work
 * once (ISO/IEC 7816-4 §5.1.3: a checking error).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Bytes, concat, fromHex, toHex } from '../core/bytes.ts';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/json.ts';
import { personalisedCard } from '../lab/cards.ts';
import { keysetPath, loadProfile } from '../lab/profile.ts';
import { loadKeyset } from '../model/keyset.ts';
import { encodeCommand } from '../core/apdu.ts';
import { dolLength, parseDol } from '../emv/dol.ts';
import { scriptMac, sessionKey } from '../pboc/cryptograms.ts';
import { pdolOf, recordElement, u16 } from './apps/pboc-data.ts';
import type { SimulatedCard } from './card.ts';
import { SELECT_ADF, type Suite, adf, card, ok, send, sym, tag } from './defects.test-kit.ts';

/** SELECT, GPO and a first GENERATE AC asking for an ARQC: returns the ARQC. */
function online(c: SimulatedCard): Bytes {
  ok(c, SELECT_ADF, 'SELECT ADF');
  const a = adf(c);
  const pdol = new Uint8Array(dolLength(pdolOf(a)));
  let off = 0;
  for (const e of pdolOf(a)) {
    if (e.tag === 0xdf69) pdol[off] = a.pboc.objects.DF69?.[0] ?? 0;
    off += e.length;
  }
  ok(c, concat([0x80, 0xa8, 0x00, 0x00, pdol.length + 2, 0x83, pdol.length], pdol, [0x00]), 'GPO');
  const cdol1 = new Uint8Array(dolLength(parseDol(recordElement(a, 0x8c)!)));
  const r = ok(c, concat([0x80, 0xae, 0x80, 0x00, cdol1.length], cdol1, [0x00]), 'GENERATE AC');
  return tag(tag(r, 0x77)!, 0x9f26)!;
}

/** A script command with `n` data bytes and a MAC: the right one when it can be made, else any 4 bytes. */
function script(c: SimulatedCard, arqc: Bytes, header: string, data: Bytes): Bytes {
  const d = adf(c).pboc;
  const atc = u16(d.atc);
  const h = fromHex(header);
  const mac = data.length + 4 <= 255 ? scriptMac(sym(c), sessionKey(sym(c), d.udk!.mac, atc), h, atc, arqc, data) : fromHex('01020304');
  return encodeCommand({ cla: h[0]!, ins: h[1]!, p1: h[2]!, p2: h[3]!, data: concat(data, mac) });
}

/** The CVR byte 4 of the second GENERATE AC (issuer application data 9F10, bytes 4-7 the CVR). */
function cvrByte4(c: SimulatedCard): number {
  const cdol2 = new Uint8Array(dolLength(parseDol(recordElement(adf(c), 0x8d)!)));
  const r = ok(c, concat([0x80, 0xae, 0x40, 0x00, cdol2.length], cdol2, [0x00]), 'second GENERATE AC');
  return tag(tag(r, 0x77)!, 0x9f10)![6]!;
}

for (const suite of ['des', 'sm'] as Suite[]) {
  test(`${suite}: an issuer script with 252 data bytes or more (extended Lc) is 6700, a failed script, no internal fault`, async () => {
    for (const n of [252, 256, 300]) {
      const c = await card([], suite);
      const arqc = online(c);
      for (const header of ['04DA9F23', '84240002', '841E0000']) {
        const r = send(c, script(c, arqc, header, new Uint8Array(n)));
        assert.equal(r.sw, '6700', `${header} with ${n} bytes`);
        assert.equal(c.lastFault, undefined);
      }
      assert.equal(adf(c).pboc.objects['9F23']?.length, 1, 'PUT DATA changed nothing');
      assert.equal(cvrByte4(c) & 0x08, 0x08, 'CVR: issuer script processing failed');
    }
  });

  test(`${suite}: an issuer script with 251 data bytes still has its MAC checked (6988 when wrong)`, async () => {
    const c = await card([], suite);
    const arqc = online(c);
    const right = script(c, arqc, '04DA9F23', new Uint8Array(251));
    // the MAC is right: the command reaches PUT DATA, which refuses the length of 9F23
    assert.equal(send(c, right).sw, '6700');
    const wrong = right.slice();
    wrong[wrong.length - 1]! ^= 0x01;
    assert.equal(send(c, wrong).sw, '6988');
  });
}

/** The offline PIN block `2N PIN F…` of the PSE PIN, or of a wrong one. */
function offlinePin(c: SimulatedCard, right: boolean): Bytes {
  const value = adf(c).parent!.pins.get(0x80)!.value;
  const digits = right ? value : value.replace(/.$/, (d) => String((Number(d) + 1) % 10));
  return concat(fromHex('0020008008'), fromHex(`2${digits.length.toString(16)}${digits}`.padEnd(16, 'F')));
}

test('offline PIN: a wrong PIN ends an earlier verification, as the COS VERIFY does (ISO/IEC 7816-4 §7.5.6)', async () => {
  const c = await card();
  ok(c, SELECT_ADF, 'SELECT ADF');
  ok(c, offlinePin(c, true), 'VERIFY (right)');
  assert.equal(send(c, '0020008000').sw, '9000', 'verified');
  assert.equal(send(c, offlinePin(c, false)).sw, '63C2');
  assert.equal(send(c, '0020008000').sw, '63C2', 'no longer verified, two tries left');
  ok(c, offlinePin(c, true), 'VERIFY (right)');
  assert.equal(send(c, '0020008000').sw, '9000');
});

const T1_FILE = join(PROJECT_ROOT, 'profiles', 'default-t1.json');
const T1_PROFILE = loadProfile(T1_FILE);
const T1_CARD = await personalisedCard(T1_PROFILE, loadKeyset(keysetPath(T1_PROFILE, T1_FILE)));

/** One command to a T=1 card: data and SW as hex. */
function t1(c: SimulatedCard, apdu: Bytes): { data: string; sw: string } {
  const r = c.process(apdu);
  assert.equal(c.lastFault, undefined);
  return { data: toHex(r.subarray(0, r.length - 2)), sw: toHex(r.subarray(r.length - 2)) };
}

test('T=1: GET PROCESSING OPTIONS answered 6Cxx leaves the ATC; sent again with that Le it starts the transaction once', () => {
  const c = T1_CARD.clone();
  t1(c, fromHex('00A4040008A00000033301010100'));
  const atc = adf(c).pboc.atc;
  const pdol = new Uint8Array(dolLength(pdolOf(adf(c))));
  const gpo = (le: number) => concat([0x80, 0xa8, 0x00, 0x00, pdol.length + 2, 0x83, pdol.length], pdol, [le]);
  const wrong = t1(c, gpo(0x01));
  assert.match(wrong.sw, /^6C/);
  assert.equal(adf(c).pboc.atc, atc, 'the ATC is unchanged');
  assert.equal(t1(c, gpo(parseInt(wrong.sw.slice(2), 16))).sw, '9000');
  assert.equal(adf(c).pboc.atc, atc + 1);
});

test('T=1: a first GENERATE AC answered 6Cxx is still the first: sent again with that Le it gives the ARQC', () => {
  const c = T1_CARD.clone();
  t1(c, fromHex('00A4040008A00000033301010100'));
  const pdol = new Uint8Array(dolLength(pdolOf(adf(c))));
  assert.equal(t1(c, concat([0x80, 0xa8, 0x00, 0x00, pdol.length + 2, 0x83, pdol.length], pdol, [0x00])).sw, '9000');
  const cdol1 = new Uint8Array(dolLength(parseDol(recordElement(adf(c), 0x8c)!)));
  const gac = (le: number) => concat([0x80, 0xae, 0x80, 0x00, cdol1.length], cdol1, [le]);
  const logBefore = adf(c).children.map((f) => (f.kind === 'EF' ? f.records.length : 0));
  const wrong = t1(c, gac(0x01));
  assert.match(wrong.sw, /^6C/);
  assert.equal(adf(c).pboc.lastOnlineNotCompleted, false, 'nothing of the online transaction was recorded');
  const right = t1(c, gac(parseInt(wrong.sw.slice(2), 16)));
  assert.equal(right.sw, '9000');
  assert.equal(tag(tag(fromHex(right.data), 0x77)!, 0x9f27)![0], 0x80, 'an ARQC');
  assert.deepEqual(
    adf(c).children.map((f) => (f.kind === 'EF' ? f.records.length : 0)),
    logBefore,
  );
});
