import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ascii, concat, fromHex, toHex } from '../core/bytes.ts';
import { buildAtr } from '../core/atr.ts';
import { findTag, parseTlv } from '../core/tlv.ts';
import { PROJECT_ROOT } from '../core/json.ts';
import type { Profile } from '../model/profile.ts';
import { loadProfile } from '../lab/profile.ts';
import { personalisedCard } from '../lab/cards.ts';
import { keysetPath } from '../lab/profile.ts';
import { loadKeyset } from '../model/keyset.ts';
import type { SimulatedCard } from './card.ts';
import { type DedicatedFile, childByFid } from './fs.ts';

const T0_PROFILE = loadProfile(join(PROJECT_ROOT, 'profiles', 'default.json'));
const T1_PROFILE = loadProfile(join(PROJECT_ROOT, 'profiles', 'default-t1.json'));

const SSSE_NAME = '7378312E73682EC9E7BBE1B1A3D5CF';
/** FCI of the SSSE in the reference profile: its name and the algorithm indicator DF69 = 00 (3DES). */
const SSSE_FCI = `6F17840F${SSSE_NAME}A504DF690100`;
const PSE_NAME = toHex(ascii('1PAY.SYS.DDF01'));
const PSE_FCI = '6F1A840E315041592E5359532E4444463031A5088801015F2D027A68';
/** FCI of the debit ADF of the reference profile: AID, label, priority, PDOL (with DF69), language, log entry 9F4D (docs/pboc-design.md). */
const ADF_FCI =
  '6F428408A000000333010101A536500E556E696F6E5061792044656269748701019F38139F1A029F02065F2A029A039C019F3704DF69015F2D027A68BF0C059F4D020B0A';
const EF2F02 = '5A0A62123456789012345678202122232425262728292A2B2C2D2E2F303132333435363738393A3B';
const REC = ['1111111111111111', '2222222222222222', '3333333333333333'];
/** EF05 of the reference profile: the Shanghai sample cardholder, specification 2.00. */
const EF05 = [
  '011031010044313536303030303035533241',
  '020133',
  '0304322E3030',
  '040C333130313030303030303031',
  '050420180315',
  '060420280315',
  '0709413130303030303130',
];

const T0_FILE = join(PROJECT_ROOT, 'profiles', 'default.json');
const KEYSET = loadKeyset(keysetPath(T0_PROFILE, T0_FILE));
const T0_CARD = await personalisedCard(T0_PROFILE, KEYSET);
const T1_CARD = await personalisedCard(T1_PROFILE, KEYSET);

function t0(): SimulatedCard {
  return T0_CARD.clone();
}

function t1(): SimulatedCard {
  return T1_CARD.clone();
}

interface Answer {
  data: string;
  sw: string;
}

/** Sends hex (spaces allowed), returns data and SW as upper-case hex. */
function send(card: SimulatedCard, hex: string): Answer {
  const r = card.process(fromHex(hex));
  assert.ok(r.length >= 2, `response to ${hex} has ${r.length} byte(s)`);
  assert.equal(card.lastFault, undefined, `internal fault on ${hex}: ${String(card.lastFault)}`);
  return { data: toHex(r.subarray(0, r.length - 2)), sw: toHex(r.subarray(r.length - 2)) };
}

/** Sends and checks the status word; returns the data. */
function expectSw(card: SimulatedCard, hex: string, sw: string): string {
  const a = send(card, hex);
  assert.equal(a.sw, sw, `${hex} → ${a.data} ${a.sw}, expected SW ${sw}`);
  return a.data;
}

/** Sends and checks data and status word. */
function expectResponse(card: SimulatedCard, hex: string, data: string, sw = '9000'): void {
  const a = send(card, hex);
  assert.deepEqual(a, { data, sw }, hex);
}

function lc(hex: string): string {
  return toHex([fromHex(hex).length]);
}

/** SELECT with P2 0C (no response data): always 9000 or an error, whatever the protocol. */
function selectNoData(card: SimulatedCard, p1: number, dataHex: string, sw = '9000'): void {
  const data = fromHex(dataHex);
  const apdu = data.length ? `00A4${toHex([p1])}0C${lc(dataHex)}${dataHex}` : `00A4${toHex([p1])}0C`;
  expectResponse(card, apdu, '', sw);
}

function currentDfFid(card: SimulatedCard): string | undefined {
  const fid = card.context.currentDf.fid;
  return fid === undefined ? undefined : toHex([fid >> 8, fid & 0xff]);
}

function currentEfFid(card: SimulatedCard): string | undefined {
  const fid = card.context.currentEf?.fid;
  return fid === undefined ? undefined : toHex([fid >> 8, fid & 0xff]);
}

function selection(card: SimulatedCard): [string | undefined, string | undefined] {
  return [currentDfFid(card), currentEfFid(card)];
}

/** Default FCI the simulator builds for a DF without one: 6F { 84 name }. */
function defaultFci(nameHex: string): string {
  const n = fromHex(nameHex).length;
  return `6F${toHex([n + 2])}84${toHex([n])}${nameHex}`;
}

function fciName(fciHex: string): string | undefined {
  const t = findTag(parseTlv(fromHex(fciHex)), 0x84);
  return t ? toHex(t.value) : undefined;
}

// ---------------------------------------------------------------- build and reset

test('the cards are built from the profiles with their ATR and protocol', () => {
  const c0 = t0();
  assert.equal(c0.protocol, 'T=0');
  assert.deepEqual(c0.atr, buildAtr(['T=0'], fromHex('86584D4C2D5353436C6162')));
  assert.equal(toHex(c0.reset()), toHex(c0.atr));
  const c1 = t1();
  assert.equal(c1.protocol, 'T=1');
  assert.deepEqual(c1.atr, buildAtr(['T=1', 'T=0'], fromHex('86584D4C2D5353436C6162')));
  assert.equal(c1.context.currentDf, c1.mf);
  assert.equal(c1.context.currentEf, undefined);
});

test('reset() clears the current EF, current record, name selection and pending data', () => {
  const card = t0();
  selectNoData(card, 0x08, 'DDF1EF05');
  expectSw(card, '00B2012C', '6112'); // READ RECORD case 1 under T=0: data pending
  assert.equal(card.context.currentRecord, 1);
  assert.ok(card.context.pending);
  const atr = card.reset();
  assert.deepEqual(atr, card.atr);
  assert.equal(card.context.currentDf, card.mf);
  assert.equal(card.context.currentEf, undefined);
  assert.equal(card.context.currentRecord, undefined);
  assert.equal(card.context.pending, undefined);
  assert.equal(card.context.lastNameSelection, undefined);
  expectSw(card, '00C0000012', '6985');
  expectSw(card, '00B0000001', '6986');
});

// ---------------------------------------------------------------- robustness

test('process never throws: empty and 1-3 byte commands give 6700', () => {
  for (const card of [t0(), t1()]) {
    expectResponse(card, '', '', '6700');
    expectResponse(card, '00', '', '6700');
    expectResponse(card, '00A4', '', '6700');
    expectResponse(card, '00A404', '', '6700');
  }
});

test('malformed length fields give 6700 and change nothing', () => {
  const card = t1();
  selectNoData(card, 0x00, '2F02');
  for (const bad of ['00A40000043F00', '00A40000013F000000', '00B000000002', '00D60000000000AA', '00D6000000000201']) {
    expectResponse(card, bad, '', '6700');
  }
  assert.deepEqual(selection(card), ['3F00', '2F02']);
  expectResponse(card, '00B0000002', '5A0A');
});

test('CLA checks: FF → 6E00, logical channels 1-3 → 6881, SM and proprietary CLAs → 6E00', () => {
  const card = t0();
  for (const cla of ['FF', '40', 'A0', '10', '04', '0C', '80', '84']) {
    expectResponse(card, `${cla}A4000C023F00`, '', '6E00');
  }
  for (const cla of ['01', '02', '03', '81', '83']) {
    expectResponse(card, `${cla}A4000C023F00`, '', '6881');
  }
  // the CLA check comes before the length check
  expectResponse(card, 'FF', '', '6E00');
});

test('INS not in the table → 6D00', () => {
  const card = t0();
  for (const ins of ['02', '6A', 'FE', '10', '0C', 'F2']) {
    expectResponse(card, `00${ins}000000`, '', '6D00');
  }
});

/** Deterministic pseudo-random generator (32-bit LCG, Numerical Recipes constants). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  };
}

function randomApdu(next: () => number): Uint8Array {
  const pick = <T>(xs: readonly T[]): T => xs[next() % xs.length]!;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => next());
  const mode = next() % 8;
  if (mode === 0) return bytes(next() % 14); // anything at all
  const cla = pick([0x00, 0x00, 0x00, 0x00, 0x80, 0x04, 0x0c, 0x01, 0xff, next()]);
  const ins = pick([0xa4, 0xa4, 0xb0, 0xb0, 0xb2, 0xb2, 0xc0, 0xc0, next()]);
  const p1 = pick([0x00, 0x01, 0x02, 0x03, 0x04, 0x08, 0x09, 0x80, 0x82, 0x96, 0x85, next(), next()]);
  const p2 = pick([0x00, 0x02, 0x04, 0x0c, 0x0e, 0x28, 0x2c, 0x30, 0x34, 0xb4, 0xb0, 0x14, 0x07, next(), next()]);
  const data = pick([
    new Uint8Array(0),
    fromHex('3F00'),
    fromHex('2F02'),
    fromHex('0015'),
    fromHex('0016'),
    fromHex('DDF1'),
    fromHex('DDF2'),
    fromHex('EF05'),
    fromHex('DDF1EF05'),
    fromHex('DDF2EF01'),
    fromHex('D156000005'),
    fromHex(SSSE_NAME),
    fromHex(PSE_NAME),
    fromHex('A000000333'),
    bytes(next() % 20),
    bytes(next() % 300),
  ]);
  const le = pick([undefined, 0x00, 0x01, 0x08, 0x10, 0x1c, 0x28, 0xff, next()]);
  const header = [cla, ins, p1, p2];
  switch (next() % 6) {
    case 0: // short, possibly with a wrong Lc
      return concat(header, data.length ? [next() % 4 === 0 ? next() : data.length & 0xff] : [], data, le === undefined ? [] : [le]);
    case 1: // extended
      return concat(header, data.length ? [0, data.length >> 8, data.length & 0xff] : [0], data, le === undefined ? [] : [0, le]);
    case 2:
      return concat(header, [0], bytes(next() % 6));
    default: // well-formed short when the data fits
      return data.length > 255
        ? concat(header, [0, data.length >> 8, data.length & 0xff], data)
        : concat(header, data.length ? [data.length] : [], data, le === undefined ? [] : [le]);
  }
}

test('fuzz: 2000 pseudo-random APDUs per card never throw, never fault, always answer a status word', () => {
  for (const [card, seed] of [
    [t0(), 0x5eed],
    [t1(), 0xc0ffee],
  ] as const) {
    const next = lcg(seed);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      if (next() % 50 === 0) card.reset();
      const apdu = randomApdu(next);
      const r = card.process(apdu);
      assert.ok(r.length >= 2, `${toHex(apdu)} → ${toHex(r)}`);
      assert.equal(card.lastFault, undefined, `${toHex(apdu)}: ${card.lastFault?.stack ?? ''}`);
      const sw1 = r[r.length - 2]!;
      assert.ok((sw1 >= 0x61 && sw1 <= 0x6f) || sw1 === 0x90, `${toHex(apdu)} → SW ${toHex(r.subarray(-2))}`);
      if (r.length > 2) assert.ok([0x90, 0x61, 0x62].includes(sw1), `data with SW ${toHex(r.subarray(-2))}`);
      seen.add(toHex(r.subarray(-2)));
    }
    // the generator reaches the handlers, not only the dispatcher's checks
    for (const sw of ['9000', '6700', '6E00', '6D00', '6A82', '6A86']) assert.ok(seen.has(sw), `${card.protocol}: ${sw} never seen`);
  }
});

// ---------------------------------------------------------------- SELECT

test('SELECT MF by 3F00 and by empty data', () => {
  const card = t1();
  selectNoData(card, 0x00, 'DDF1');
  assert.equal(currentDfFid(card), 'DDF1');
  expectResponse(card, '00A40000023F0000', '6F00'); // MF without name: empty FCI template
  assert.equal(card.context.currentDf, card.mf);
  selectNoData(card, 0x00, 'DDF1');
  expectResponse(card, '00A4000000', '6F00');
  assert.equal(card.context.currentDf, card.mf);
  selectNoData(card, 0x00, 'DDF2');
  selectNoData(card, 0x00, '');
  assert.equal(card.context.currentDf, card.mf);
});

test('SELECT MF under T=0: case 1, 3 and 4 leave the FCI for GET RESPONSE', () => {
  const card = t0();
  expectResponse(card, '00A40000023F00', '', '6102');
  expectResponse(card, '00C0000002', '6F00');
  expectResponse(card, '00A40000', '', '6102');
  expectResponse(card, '00C0000002', '6F00');
  expectResponse(card, '00A40000023F0000', '', '6102');
  expectResponse(card, '00C0000002', '6F00');
  // case 2 (Le 00) with a 2-byte FCI: leZero 6Cxx
  expectResponse(card, '00A4000000', '', '6C02');
  expectResponse(card, '00A4000002', '6F00');
});

test('SELECT by full DF name returns the FCI (built or from the profile)', () => {
  const card = t1();
  const fci = expectSw(card, `00A404000F${SSSE_NAME}00`, '9000');
  assert.equal(fci, SSSE_FCI);
  assert.equal(currentDfFid(card), 'DDF1');
  // DF01 has no FCI in the profile: the card builds it from the name
  expectResponse(card, '00A4040006D1560000050000', defaultFci('D15600000500'));
  assert.equal(currentDfFid(card), 'DF01');
  expectResponse(card, `00A404000E${PSE_NAME}00`, PSE_FCI);
  assert.equal(currentDfFid(card), 'DDF2');
  expectResponse(card, '00A4040008A00000033301010100', ADF_FCI);
  assert.equal(currentDfFid(card), 'ADF1');
});

test('SELECT by partial DF name: first, next … past the last → 6A82', () => {
  const card = t1();
  const partial = '05D156000005';
  assert.equal(fciName(expectSw(card, `00A40400${partial}00`, '9000')), 'D15600000500');
  assert.equal(currentDfFid(card), 'DF01');
  assert.equal(fciName(expectSw(card, `00A40402${partial}00`, '9000')), 'D15600000501');
  assert.equal(fciName(expectSw(card, `00A40402${partial}00`, '9000')), 'D15600000502');
  assert.equal(fciName(expectSw(card, `00A40402${partial}00`, '9000')), 'D15600000503');
  assert.equal(currentDfFid(card), 'DF04');
  expectResponse(card, `00A40402${partial}00`, '', '6A82');
  assert.equal(currentDfFid(card), 'DF04', 'a failed SELECT keeps the selection');
  expectResponse(card, `00A40402${partial}00`, '', '6A82');
  // previous occurrence walks back
  assert.equal(fciName(expectSw(card, `00A40403${partial}00`, '9000')), 'D15600000502');
  assert.equal(currentDfFid(card), 'DF03');
});

test('SELECT by DF name: last and previous occurrence', () => {
  const card = t1();
  const partial = '05D156000005';
  selectNoData(card, 0x04, 'D156000005'); // P2 0C: first
  assert.equal(currentDfFid(card), 'DF01');
  expectResponse(card, `00A4040F${partial}`, '', '6A82'); // previous of the first
  expectResponse(card, `00A4040D${partial}`, ''); // last, no data
  assert.equal(currentDfFid(card), 'DF04');
  expectResponse(card, `00A4040F${partial}`, '');
  assert.equal(currentDfFid(card), 'DF03');
  // previous without an earlier selection of that name starts at the last
  const fresh = t1();
  expectResponse(fresh, `00A4040F${partial}`, '');
  assert.equal(currentDfFid(fresh), 'DF04');
  // next with another name than the last one starts at the first
  expectResponse(fresh, '00A4040E04D1560000', '');
  assert.equal(currentDfFid(fresh), 'DF01');
});

test('SELECT by DF name: a partial name matches the first DF in document order', () => {
  const card = t1();
  expectResponse(card, '00A4040C05A000000333', '');
  assert.equal(currentDfFid(card), 'ADF1');
  expectResponse(card, '00A4040C0431504159', '');
  assert.equal(currentDfFid(card), 'DDF2');
  expectResponse(card, '00A4040E0431504159', '', '6A82'); // no second "1PAY"
});

test('SELECT by DF name: errors', () => {
  const card = t1();
  expectResponse(card, '00A4040C06D15600000599', '', '6A82');
  expectResponse(card, `00A4040C11${'41'.repeat(17)}`, '', '6700'); // 17-byte name
  expectResponse(card, '00A4040C', '', '6700'); // no name
  expectResponse(card, `00A4040C10${SSSE_NAME}FF`, '', '6A82'); // longer than the real name
});

test('SELECT by path from the MF (P1 08) and from the current DF (P1 09)', () => {
  const card = t1();
  selectNoData(card, 0x08, 'DDF1EF05');
  assert.deepEqual(selection(card), ['DDF1', 'EF05']);
  selectNoData(card, 0x09, 'EF06');
  assert.deepEqual(selection(card), ['DDF1', 'EF06']);
  selectNoData(card, 0x09, 'DF02');
  assert.deepEqual(selection(card), ['DF02', undefined]);
  selectNoData(card, 0x08, 'DDF2');
  assert.deepEqual(selection(card), ['DDF2', undefined]);
  selectNoData(card, 0x08, '2F02');
  assert.deepEqual(selection(card), ['3F00', '2F02']);
  // errors: the path excludes the MF's own FID; unknown; through an EF; odd or empty
  selectNoData(card, 0x08, '3F00DDF1', '6A82');
  selectNoData(card, 0x08, 'DDF1EF07', '6A82');
  selectNoData(card, 0x08, '2F020001', '6A82');
  selectNoData(card, 0x09, 'EF05', '6A82'); // current DF is the MF
  selectNoData(card, 0x08, 'DDF1EF', '6700');
  selectNoData(card, 0x08, '', '6700');
  assert.deepEqual(selection(card), ['3F00', '2F02']);
});

test('SELECT P1 01 (child DF), 02 (EF), 03 (parent)', () => {
  const card = t1();
  selectNoData(card, 0x01, 'DDF1');
  assert.deepEqual(selection(card), ['DDF1', undefined]);
  selectNoData(card, 0x01, 'EF05', '6A82'); // an EF is no DF
  selectNoData(card, 0x02, 'EF05');
  assert.deepEqual(selection(card), ['DDF1', 'EF05']);
  selectNoData(card, 0x02, 'DF01', '6A82'); // a DF is no EF
  selectNoData(card, 0x01, 'DF03');
  assert.deepEqual(selection(card), ['DF03', undefined]);
  selectNoData(card, 0x03, '');
  assert.deepEqual(selection(card), ['DDF1', undefined]);
  selectNoData(card, 0x03, '');
  assert.deepEqual(selection(card), ['3F00', undefined]);
  selectNoData(card, 0x03, '', '6A82'); // the MF has no parent
  selectNoData(card, 0x03, 'DDF1', '6700'); // parent takes no data
  selectNoData(card, 0x01, 'DDF1AA', '6700');
  selectNoData(card, 0x02, '2F', '6700');
});

test('SELECT P1 00 by FID: MF, current DF, children, parent and sibling DFs', () => {
  const card = t1();
  selectNoData(card, 0x00, 'DDF1');
  selectNoData(card, 0x00, 'DDF1'); // the current DF itself
  assert.deepEqual(selection(card), ['DDF1', undefined]);
  selectNoData(card, 0x00, 'DF01');
  selectNoData(card, 0x00, 'DF02'); // sibling DF
  assert.deepEqual(selection(card), ['DF02', undefined]);
  selectNoData(card, 0x00, 'EF05', '6A82'); // an EF of the parent is not reachable
  selectNoData(card, 0x00, 'DDF1'); // parent
  selectNoData(card, 0x00, 'DDF2'); // sibling of DDF1 under the MF
  selectNoData(card, 0x00, 'EF01');
  assert.deepEqual(selection(card), ['DDF2', 'EF01']);
  selectNoData(card, 0x00, '2F02', '6A82'); // an EF of the MF from inside DDF2
  selectNoData(card, 0x00, '3F00');
  selectNoData(card, 0x00, '2F02');
  assert.deepEqual(selection(card), ['3F00', '2F02']);
  selectNoData(card, 0x00, 'FFFF', '6A80');
  selectNoData(card, 0x00, '3FFF', '6A80');
  selectNoData(card, 0x00, '3F', '6700');
  selectNoData(card, 0x00, '3F0000', '6700');
});

test('SELECT P2 04 returns the FCP template 62 with the FID in tag 83', () => {
  const card = t1();
  const ef = expectSw(card, '00A4000402' + '2F02' + '00', '9000');
  assert.equal(ef, '6211' + '820101' + '83022F02' + '80020028' + '880110' + '8A0105');
  const rec = expectSw(card, '00A4000402001600', '9000');
  assert.equal(rec, '6211' + '82050221000803' + '83020016' + '8801B0' + '8A0105');
  const df = expectSw(card, '00A4000402DDF100', '9000');
  const t = parseTlv(fromHex(df));
  assert.equal(t.length, 1);
  assert.equal(t[0]!.tag, 0x62);
  assert.equal(toHex(findTag(t, 0x82)!.value), '38');
  assert.equal(toHex(findTag(t, 0x83)!.value), 'DDF1');
  assert.equal(toHex(findTag(t, 0x84)!.value), SSSE_NAME);
  assert.equal(toHex(findTag(t, 0x8a)!.value), '05');
  // linear-variable EF without a record length
  const lv = expectSw(card, '00A4000402EF0500', '9000');
  assert.equal(toHex(findTag(parseTlv(fromHex(lv)), 0x82)!.value), '0421001207');
  assert.equal(toHex(findTag(parseTlv(fromHex(lv)), 0x88)!.value), '28');
  // by name, FCP instead of the FCI
  const byName = expectSw(card, `00A404040E${PSE_NAME}00`, '9000');
  assert.equal(toHex(findTag(parseTlv(fromHex(byName)), 0x83)!.value), 'DDF2');
});

test('SELECT P2 0C returns no data under both protocols', () => {
  for (const card of [t0(), t1()]) {
    expectResponse(card, '00A4000C02DDF1', '');
    expectResponse(card, '00A4000C02DDF100', '');
    expectResponse(card, `00A4040C0F${SSSE_NAME}`, '');
    expectResponse(card, '00A4080C04DDF1EF05', '');
  }
});

test('SELECT of an EF with P2 00: nothing (T=0 profile) or the FCP (T=1 profile)', () => {
  const c0 = t0();
  expectResponse(c0, '00A40000022F02', '');
  assert.deepEqual(selection(c0), ['3F00', '2F02']);
  const c1 = t1();
  const fcp = expectSw(c1, '00A40000022F0200', '9000');
  assert.equal(toHex(findTag(parseTlv(fromHex(fcp)), 0x83)!.value), '2F02');
});

test('SELECT errors: 6A82, 6A86, 6A81, 6700', () => {
  const card = t1();
  selectNoData(card, 0x00, '1234', '6A82');
  expectResponse(card, '00A40010023F00', '', '6A86'); // P2 b8-b5
  expectResponse(card, '00A40500023F00', '', '6A86'); // P1 05
  expectResponse(card, '00A40002023F00', '', '6A86'); // occurrence with P1 00
  expectResponse(card, '00A4080102DDF1', '', '6A86');
  expectResponse(card, '00A40008023F00', '', '6A81'); // FMD
  expectResponse(card, '00A4000C013F', '', '6700');
});

test('a failed SELECT keeps the previous selection', () => {
  const card = t1();
  selectNoData(card, 0x08, 'DDF1EF05');
  expectResponse(card, '00B2012C00', EF05[0]!);
  const before = { ...card.context };
  for (const bad of ['00A4000C021234', '00A4010C02EF06', '00A4040C03FFFFFF', '00A4080C02ABCD', '00A40010023F00', '00A4000C01EF']) {
    send(card, bad);
    assert.deepEqual(selection(card), ['DDF1', 'EF05'], bad);
    assert.equal(card.context.currentRecord, before.currentRecord, bad);
  }
  // the current record still works
  expectResponse(card, '00B2000400', EF05[0]!);
});

test('a successful SELECT of a file clears the current record', () => {
  const card = t1();
  selectNoData(card, 0x08, 'DDF1EF05');
  expectResponse(card, '00B2020400', EF05[1]!);
  selectNoData(card, 0x02, 'EF05');
  expectResponse(card, '00B2000400', '', '6A83');
});

// ---------------------------------------------------------------- READ BINARY

test('READ BINARY from the current EF, with offsets', () => {
  const card = t0();
  selectNoData(card, 0x00, '2F02');
  expectResponse(card, '00B0000004', '5A0A6212');
  expectResponse(card, '00B0000203', '621234');
  expectResponse(card, '00B0002408', '', '6C04'); // crosses the end: 6Cxx under T=0
  expectResponse(card, '00B0002404', '38393A3B');
  expectResponse(card, '00B0002701', '3B');
  expectResponse(card, '00B0000028', EF2F02);
  expectResponse(card, '00B0000000', EF2F02); // Le 00: everything up to 256
});

test('READ BINARY by SFI selects the EF; offset in P2', () => {
  const card = t0();
  expectResponse(card, '00B0820004', '5A0A6212');
  assert.deepEqual(selection(card), ['3F00', '2F02']);
  expectResponse(card, '00B0822404', '38393A3B');
  expectResponse(card, '00B0000C02', '2021'); // 2F02 is now current
  expectResponse(card, '00B0820000', EF2F02);
});

test('READ BINARY errors', () => {
  const card = t0();
  expectResponse(card, '00B0000001', '', '6986'); // no current EF
  expectResponse(card, '00B0850001', '', '6A82'); // no SFI 5 in the MF
  expectResponse(card, '00B0800001', '', '6A86'); // SFI 0
  expectResponse(card, '00B09F0001', '', '6A86'); // SFI 31
  expectResponse(card, '00B0A20001', '', '6A86'); // P1 b7-b6 with an SFI
  expectResponse(card, '00B0960001', '', '6981'); // SFI 22 is a record EF
  assert.equal(card.context.currentEf, undefined, 'a failed READ BINARY by SFI selects nothing');
  selectNoData(card, 0x00, '0016');
  expectResponse(card, '00B0000001', '', '6981'); // current EF is a record EF
  selectNoData(card, 0x00, '0015');
  expectResponse(card, '00B0000001', '', '6982'); // read: never
  expectResponse(card, '00B0000000', '', '6982');
  selectNoData(card, 0x00, '2F02');
  expectResponse(card, '00B0002801', '', '6B00'); // offset = size
  expectResponse(card, '00B0002901', '', '6B00'); // offset beyond
  expectResponse(card, '00B07FFF01', '', '6B00');
  expectResponse(card, '00B00000', '', '6700'); // no Le
  expectResponse(card, '00B000000100', '', '6700'); // command data
});

test('READ BINARY crossing the end: 6Cxx (T=0 profile) or the rest with 6282 (T=1 profile)', () => {
  const c0 = t0();
  selectNoData(c0, 0x00, '2F02');
  expectResponse(c0, '00B0002010', '', '6C08');
  expectResponse(c0, '00B0002008', '3435363738393A3B');
  const c1 = t1();
  selectNoData(c1, 0x00, '2F02');
  expectResponse(c1, '00B0002010', '3435363738393A3B', '6282');
  expectResponse(c1, '00B0000030', EF2F02, '6282');
  expectResponse(c1, '00B0000000', EF2F02);
});

// ---------------------------------------------------------------- READ RECORD

test('READ RECORD by number in the current EF and by SFI', () => {
  const card = t0();
  selectNoData(card, 0x00, '0016');
  expectResponse(card, '00B2010408', REC[0]!);
  expectResponse(card, '00B2030408', REC[2]!);
  expectResponse(card, '00B2000408', REC[2]!, '9000'); // current record
  card.reset();
  expectResponse(card, '00B202B408', REC[1]!);
  assert.deepEqual(selection(card), ['3F00', '0016']);
  expectResponse(card, '00B2000408', REC[1]!);
  // SFI forms in the SSSE
  selectNoData(card, 0x04, SSSE_NAME);
  const e5 = fromHex(EF05[2]!).length;
  expectResponse(card, `00B2032C${toHex([e5])}`, EF05[2]!);
  expectResponse(
    card,
    `00B20134${toHex([fromHex('0812333130313031313938303031303130303138').length])}`,
    '0812333130313031313938303031303130303138',
  );
  assert.deepEqual(selection(card), ['DDF1', 'EF06']);
});

test('READ RECORD errors: 6A83, 6981, 6986, 6A82, 6A86, 6A81, 6700', () => {
  const card = t0();
  expectResponse(card, '00B2010408', '', '6986'); // no current EF
  expectResponse(card, '00B2012C08', '', '6A82'); // no SFI 5 in the MF
  expectResponse(card, '00B2011408', '', '6981'); // SFI 2 is transparent
  expectResponse(card, '00B204B408', '', '6A83'); // record 4 of 3
  expectResponse(card, '00B200B408', '', '6A83'); // no current record yet
  expectResponse(card, '00B2FFB408', '', '6A86'); // record number FF
  expectResponse(card, '00B201B708', '', '6A86'); // P2 b3-b1 = 111
  expectResponse(card, '00B201FC08', '', '6A86'); // SFI 31
  expectResponse(card, '00B201B508', '', '6A81'); // several records
  expectResponse(card, '00B201B608', '', '6A81');
  expectResponse(card, '00B201B40108', '', '6700'); // command data
  selectNoData(card, 0x00, '2F02');
  expectResponse(card, '00B2010408', '', '6981'); // current EF is transparent
});

test('READ RECORD: Le rules under the T=0 profile (6Cxx) and the T=1 profile (lenient)', () => {
  const c0 = t0();
  expectResponse(c0, '00B201B400', '', '6C08'); // leZero 6Cxx
  expectResponse(c0, '00B201B410', '', '6C08'); // Le too large
  expectResponse(c0, '00B201B404', '', '6C08'); // Le too small
  expectResponse(c0, '00B201B408', REC[0]!);
  const c1 = t1();
  expectResponse(c1, '00B201B400', REC[0]!); // return-all
  expectResponse(c1, '00B201B410', REC[0]!); // Le is a maximum
  expectResponse(c1, '00B201B404', '', '6C08'); // smaller than the record
  expectResponse(c1, '00B201B40000FF', REC[0]!); // extended Le
  expectResponse(c1, '00B201B4000004', REC[0]!.slice(0, 8)); // extended Le smaller: truncated
});

test('READ RECORD case 1 under T=0 leaves the record for GET RESPONSE; under T=1 it is returned', () => {
  const c0 = t0();
  expectResponse(c0, '00B201B4', '', '6108');
  expectResponse(c0, '00C0000008', REC[0]!);
  const c1 = t1();
  expectResponse(c1, '00B201B4', REC[0]!);
});

test('READ RECORD by record identifier in EF05: first, last, next, previous', () => {
  const card = t1();
  selectNoData(card, 0x04, SSSE_NAME);
  expectResponse(card, '00B2032800', EF05[2]!); // first occurrence of 03
  assert.equal(card.context.currentRecord, 3);
  expectResponse(card, '00B2052A00', EF05[4]!); // next occurrence of 05 after record 3
  expectResponse(card, '00B2022A00', '', '6A83'); // no 02 after record 5
  expectResponse(card, '00B2022B00', EF05[1]!); // previous occurrence of 02
  expectResponse(card, '00B2042B00', '', '6A83'); // no 04 before record 2
  expectResponse(card, '00B2072900', EF05[6]!); // last occurrence of 07
  expectResponse(card, '00B2992800', '', '6A83'); // unknown identifier
  expectResponse(card, '00B2000400', EF05[6]!); // current record unchanged by the failures
});

/** The T=1 profile plus a record EF whose identifiers repeat. */
const REPEATS_PROFILE: Profile = structuredClone(T1_PROFILE);
REPEATS_PROFILE.fileSystem.children.push({
  kind: 'EF',
  fid: '0017',
  sfi: 23,
  structure: 'linear-variable',
  records: ['7001AA', '7101BB', '7001CC', '7001DD', '7101EE'],
});
const REPEATS_CARD = await personalisedCard(REPEATS_PROFILE, KEYSET);

function t1WithRepeats(): SimulatedCard {
  return REPEATS_CARD.clone();
}

test('READ RECORD occurrence search with repeated identifiers', () => {
  const card = t1WithRepeats();
  // SFI 23: P2 B8 first, B9 last, BA next, BB previous, BC by number
  expectResponse(card, '00B270B800', '7001AA');
  expectResponse(card, '00B270BA00', '7001CC');
  expectResponse(card, '00B270BA00', '7001DD');
  expectResponse(card, '00B270BA00', '', '6A83');
  assert.equal(card.context.currentRecord, 4);
  expectResponse(card, '00B270BB00', '7001CC');
  expectResponse(card, '00B270BB00', '7001AA');
  expectResponse(card, '00B270BB00', '', '6A83');
  expectResponse(card, '00B271B900', '7101EE');
  expectResponse(card, '00B271BB00', '7101BB');
  expectResponse(card, '00B270B900', '7001DD');
  // by number, then next occurrence from there
  expectResponse(card, '00B202BC00', '7101BB');
  expectResponse(card, '00B270BA00', '7001CC');
  // with no current record: next starts at the first, previous at the last
  selectNoData(card, 0x00, '2F02');
  expectResponse(card, '00B271BA00', '7101BB');
  selectNoData(card, 0x00, '2F02');
  expectResponse(card, '00B270BB00', '7001DD');
  // the same searches through the current EF (SFI 00000)
  selectNoData(card, 0x00, '0017');
  expectResponse(card, '00B2710200', '7101BB');
  expectResponse(card, '00B2710200', '7101EE');
  expectResponse(card, '00B2700300', '7001DD');
});

// ---------------------------------------------------------------- T=0 transport and GET RESPONSE

test('T=0: case 4 SELECT answers 61xx, GET RESPONSE returns the FCI with 9000', () => {
  const card = t0();
  expectResponse(card, `00A404000E${PSE_NAME}00`, '', '611C');
  expectResponse(card, '00C000001C', PSE_FCI);
  expectResponse(card, '00C000001C', '', '6985'); // consumed
  expectResponse(card, `00A404000F${SSSE_NAME}00`, '', '6119');
  expectResponse(card, '00C0000019', SSSE_FCI);
});

test('T=0: GET RESPONSE with a smaller Le returns part of the data and 61xx for the rest', () => {
  const card = t0();
  expectResponse(card, `00A404000E${PSE_NAME}00`, '', '611C');
  expectResponse(card, '00C0000010', PSE_FCI.slice(0, 32), '610C');
  expectResponse(card, '00C0000008', PSE_FCI.slice(32, 48), '6104');
  expectResponse(card, '00C0000004', PSE_FCI.slice(48));
  expectResponse(card, '00C0000004', '', '6985');
});

test('T=0: GET RESPONSE with Le 00 or a larger Le answers 6Cxx and keeps the data', () => {
  const card = t0();
  expectResponse(card, '00A4040008A00000033301010100', '', '6144');
  expectResponse(card, '00C0000000', '', '6C44'); // leZero 6Cxx
  expectResponse(card, '00C0000050', '', '6C44'); // wrongLe 6Cxx
  expectResponse(card, '00C0000044', ADF_FCI);
});

test('GET RESPONSE: nothing pending → 6985, P1-P2 ≠ 0000 → 6A86, command data → 6700', () => {
  for (const card of [t0(), t1()]) {
    expectResponse(card, '00C0000010', '', '6985');
    expectResponse(card, '00C0000000', '', '6985');
    expectResponse(card, '00C0010010', '', '6A86');
    expectResponse(card, '00C0000110', '', '6A86');
  }
  const card = t0();
  expectResponse(card, '00A40000023F00', '', '6102');
  expectResponse(card, '00C0000001AA', '', '6700');
});

test('T=0: pending data is dropped by any other command', () => {
  const others = [
    '00A4000C023F00', // another SELECT
    '00B0000001', // READ BINARY failing with 6986
    '00CA9F7900', // unknown INS
    'FFC0000002', // unknown CLA
    '80B0000001', // proprietary CLA
    '00A4', // malformed
  ];
  for (const other of others) {
    const card = t0();
    expectResponse(card, '00A40000023F00', '', '6102');
    send(card, other);
    assert.deepEqual(send(card, '00C0000002'), { data: '', sw: '6985' }, other);
  }
});

test('T=0: case 2 commands with the right Le are answered directly', () => {
  const card = t0();
  expectResponse(card, '00A4000002', '6F00');
  expectResponse(card, '00B0820004', '5A0A6212');
  expectResponse(card, '00B201B408', REC[0]!);
  assert.equal(card.context.pending, undefined);
});

test('T=1: case 4 commands return their data directly, never 61xx', () => {
  const card = t1();
  expectResponse(card, `00A404000E${PSE_NAME}00`, PSE_FCI);
  expectResponse(card, `00A404000E${PSE_NAME}1C`, PSE_FCI);
  expectResponse(card, `00A404000E${PSE_NAME}FF`, PSE_FCI); // lenient: Le is a maximum
  expectResponse(card, `00A404000E${PSE_NAME}10`, '', '6C1C'); // smaller than the FCI
  assert.equal(card.context.pending, undefined);
  expectResponse(card, '00C000001C', '', '6985');
});

test('T=1: a warning with data (6283, blocked application) keeps to Le as 9000 does', () => {
  const card = t1();
  (childByFid(card.mf, 0xddf1) as DedicatedFile).blocked = 'temporary';
  const n = toHex([fromHex(SSSE_FCI).length]);
  expectResponse(card, `00A404000F${SSSE_NAME}00`, SSSE_FCI, '6283');
  expectResponse(card, `00A404000F${SSSE_NAME}${n}`, SSSE_FCI, '6283');
  expectResponse(card, `00A404000F${SSSE_NAME}FF`, SSSE_FCI, '6283'); // lenient: Le is a maximum
  expectResponse(card, `00A404000F${SSSE_NAME}02`, '', `6C${n}`); // smaller than the FCI
  expectResponse(card, `00A4040000000F${SSSE_NAME}0002`, SSSE_FCI.slice(0, 4), '6283'); // extended Le: at most Ne bytes
});
