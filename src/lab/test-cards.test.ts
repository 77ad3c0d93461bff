import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHex, toHex } from '../core/bytes.ts';
import { DataError, PROJECT_ROOT } from '../core/json.ts';
import { DEFECT_IDS } from '../model/defects.ts';
import { SimulatorChannel } from '../sim/channel.ts';
import { CardSession } from '../channel/session.ts';
import { buildTestCard, loadTestCards, testCard } from './test-cards.ts';

const SSSE = fromHex('7378312E73682EC9E7BBE1B1A3D5CF');
const DEBIT = fromHex('A000000333010101');
const set = loadTestCards();

test('the set holds at least 12 cards, good and defective, each with a profile that loads', () => {
  assert.ok(set.cards.length >= 12, `${set.cards.length} cards`);
  for (const c of set.cards) for (const d of c.defects ?? []) assert.ok(DEFECT_IDS.includes(d), `${c.id}: ${d}`);
});

test('a test card naming a defect the catalogue does not have is refused at load, with the JSON path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-cards-'));
  const file = join(dir, 'cards.json');
  const json = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cards', 'test-cards.json'), 'utf8')) as { cards: { defects?: string[] }[] };
  json.cards[1]!.defects = ['no-such-defect'];
  writeFileSync(file, JSON.stringify(json));
  assert.throws(
    () => loadTestCards(file),
    (e: unknown) => e instanceof DataError && /\/cards\/1\/defects\/0: no card defect "no-such-defect"/.test(e.message),
  );
});

async function session(id: string): Promise<CardSession> {
  const card = await buildTestCard(set, testCard(set, id));
  return new CardSession(new SimulatorChannel(card, id));
}

test('each prepared state holds on the built card', async () => {
  assert.equal((await (await session('good-2.0-des')).selectName(SSSE)).sw, 0x9000);
  assert.equal((await (await session('ssse-blocked')).selectName(SSSE)).sw, 0x6283);
  assert.equal((await (await session('ssse-card-blocked')).selectName(SSSE)).sw, 0x9303);
  const pinBlocked = await session('ssse-pin-blocked');
  await pinBlocked.selectName(SSSE);
  assert.equal((await pinBlocked.send(fromHex('0020000003123456'))).sw, 0x6983);
  const pse = await session('pse-blocked');
  assert.equal((await pse.selectName(DEBIT)).sw, 0x6283);
  assert.equal((await pse.selectName(SSSE)).sw, 0x9000, 'the SSSE is not affected');
  const psePin = await session('pse-pin-blocked');
  await psePin.selectName(DEBIT);
  const tries = await psePin.send(fromHex('80CA9F1700'));
  assert.equal(toHex(tries.data), '9F170100');
});

test('the expired card carries its expiry date; a defect card carries its defect', async () => {
  const expired = await session('expired');
  await expired.selectName(SSSE);
  const r = await expired.readRecordById(0x06, 'first', { sfi: 5 });
  assert.equal(toHex(r.data), '060420201231');
  const noGr = await session('no-get-response');
  const sel = await noGr.send(fromHex('00A404000E315041592E5359532E444446303100'), { raw: true });
  assert.equal(sel.sw >> 8, 0x61);
  assert.notEqual((await noGr.send(fromHex('00C000001C'), { raw: true })).sw, 0x9000);
});

test('cards with one application, a damaged certificate, and T=0 data only through GET RESPONSE', async () => {
  const ssseOnly = await session('ssse-only');
  assert.equal((await ssseOnly.selectName(DEBIT)).sw, 0x6a82);
  assert.equal((await ssseOnly.selectName(SSSE)).sw, 0x9000);
  const pseOnly = await session('pse-only');
  assert.equal((await pseOnly.selectName(SSSE)).sw, 0x6a82);
  assert.equal((await pseOnly.selectName(DEBIT)).sw, 0x9000);
  // SFI 3 record 1 holds 8F, 90 (issuer certificate), 92, 9F32: only the certificate's last byte differs
  const readCert = async (id: string) => {
    const s = await session(id);
    await s.selectName(DEBIT);
    return (await s.readRecord(1, { sfi: 3 })).data;
  };
  const good = await readCert('good-2.0-des');
  const bad = await readCert('bad-issuer-cert');
  assert.equal(good.length, bad.length);
  assert.equal([...good].filter((b, i) => b !== bad[i]).length, 1);
  // a case 2 READ RECORD: data directly on the good T=0 card, 61xx on the GET RESPONSE-only card
  const readRaw = async (id: string) => {
    const s = await session(id);
    await s.selectName(SSSE);
    return s.send(fromHex('00B2012C00'), { raw: true });
  };
  assert.equal((await readRaw('good-2.0-des')).sw >> 8, 0x6c, 'Le = 00 on the good card: 6Cxx, as its profile says');
  assert.equal((await readRaw('t0-get-response')).sw >> 8, 0x61);
});
