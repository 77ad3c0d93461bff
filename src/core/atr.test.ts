import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, fromHex, toHex } from './bytes.ts';
import { AtrError, buildAtr, parseAtr } from './atr.ts';

/** Historical bytes of the reference profiles. */
const HIST = fromHex('86584D4C2D5353436C6162');

/** XOR of T0 .. the last byte (TS excluded): the TCK that makes the whole XOR 00. */
function tckFor(atrWithoutTck: Uint8Array): number {
  let x = 0;
  for (let i = 1; i < atrWithoutTck.length; i++) x ^= atrWithoutTck[i]!;
  return x;
}

function xorFromT0(atr: Uint8Array): number {
  let x = 0;
  for (let i = 1; i < atr.length; i++) x ^= atr[i]!;
  return x;
}

function throwsAtr(atr: Uint8Array | string, pattern: RegExp): void {
  const bytes = typeof atr === 'string' ? fromHex(atr) : atr;
  assert.throws(
    () => parseAtr(bytes),
    (e: unknown) => {
      assert.ok(e instanceof AtrError, `expected AtrError for ${toHex(bytes)}, got ${String(e)}`);
      assert.equal(e.name, 'AtrError');
      assert.match(e.message, pattern);
      return true;
    },
  );
}

test('buildAtr T=0 only: 3B 6K 00 00 <historical>, no TCK', () => {
  const atr = buildAtr(['T=0'], HIST);
  assert.equal(toHex(atr), `3B6B0000${toHex(HIST)}`);
  assert.equal(toHex(buildAtr(['T=0'], new Uint8Array(0))), '3B600000');
});

test('buildAtr T=0 only with TA1', () => {
  const atr = buildAtr(['T=0'], HIST, 0x96);
  assert.equal(toHex(atr), `3B7B960000${toHex(HIST)}`);
});

test('buildAtr T=1 only: TD1 = 81, TD2 = 31 with TA3 FE and TB3 45, valid TCK', () => {
  const atr = buildAtr(['T=1'], HIST);
  const body = concat(fromHex('3B EB 00 00 81 31 FE 45'), HIST);
  assert.equal(toHex(atr), toHex(body) + toHex([tckFor(body)]));
  assert.equal(xorFromT0(atr), 0);
});

test('buildAtr T=0 + T=1: TD1 = 80 (T=0), TD2 = 31 (T=1), valid TCK', () => {
  const atr = buildAtr(['T=0', 'T=1'], HIST);
  const body = concat(fromHex('3B EB 00 00 80 31 FE 45'), HIST);
  assert.equal(toHex(atr), toHex(body) + toHex([tckFor(body)]));
  assert.equal(xorFromT0(atr), 0);
});

test('buildAtr with T=1 first and TA1', () => {
  const atr = buildAtr(['T=1', 'T=0'], HIST, 0x18);
  const body = concat(fromHex('3B FB 18 00 00 81 31 FE 45'), HIST);
  assert.equal(toHex(atr), toHex(body) + toHex([tckFor(body)]));
  assert.equal(xorFromT0(atr), 0);
});

test('buildAtr rejects more than 15 historical bytes and an empty protocol list', () => {
  assert.throws(() => buildAtr(['T=0'], new Uint8Array(16)), AtrError);
  assert.throws(() => buildAtr(['T=1'], new Uint8Array(16)), /at most 15 historical bytes/);
  assert.throws(() => buildAtr([], HIST), /at least one protocol/);
  assert.equal(buildAtr(['T=0'], new Uint8Array(15)).length, 4 + 15);
});

test('parseAtr of built ATRs round trips protocols, historical bytes and TA1', () => {
  const cases: { protocols: ('T=0' | 'T=1')[]; ta1?: number; expect: string[] }[] = [
    { protocols: ['T=0'], expect: ['T=0'] },
    { protocols: ['T=0'], ta1: 0x11, expect: ['T=0'] },
    { protocols: ['T=1'], expect: ['T=1'] },
    { protocols: ['T=1'], ta1: 0x96, expect: ['T=1'] },
    { protocols: ['T=0', 'T=1'], expect: ['T=0', 'T=1'] },
    { protocols: ['T=0', 'T=1'], ta1: 0x13, expect: ['T=0', 'T=1'] },
  ];
  for (const hist of [HIST, new Uint8Array(0), fromHex('80'), new Uint8Array(15).fill(0xa5)]) {
    for (const c of cases) {
      const atr = buildAtr(c.protocols, hist, c.ta1);
      const info = parseAtr(atr);
      const label = `${c.protocols.join('+')} ta1=${String(c.ta1)} hist=${toHex(hist)}`;
      assert.equal(info.ts, 0x3b, label);
      assert.deepEqual(info.protocols, c.expect, label);
      assert.deepEqual(info.historical, hist, label);
      assert.equal(info.ta1, c.ta1, label);
      const t1 = c.protocols.includes('T=1');
      assert.equal(info.tckPresent, t1, label);
      assert.equal(info.tckValid, true, label);
      assert.equal(info.hex, toHex(atr), label);
    }
  }
});

test('parseAtr: T=1 first then T=0 is announced as T=1 only (TDi protocols are ascending, T=0 first)', () => {
  // buildAtr cannot put T=1 before T=0 in the TD bytes; it announces T=1 alone.
  assert.deepEqual(parseAtr(buildAtr(['T=1', 'T=0'], HIST)).protocols, ['T=1']);
});

test('parseAtr of a real-world-style T=0 ATR with 15 historical bytes', () => {
  const info = parseAtr(fromHex('3B 6F 00 00 80 31 80 65 B0 84 41 3D F6 12 0F FE 82 90 00'));
  assert.equal(info.ts, 0x3b);
  assert.deepEqual(info.protocols, ['T=0']);
  assert.equal(toHex(info.historical), '80318065B084413DF6120FFE829000');
  assert.equal(info.historical.length, 15);
  assert.equal(info.ta1, undefined);
  assert.equal(info.tckPresent, false);
  assert.equal(info.tckValid, true);
  assert.equal(info.hex, '3B6F00008031806' + '5B084413DF6120FFE829000');
});

test('parseAtr: inverse convention TS 3F is accepted', () => {
  const info = parseAtr(fromHex('3F 60 00 00'));
  assert.equal(info.ts, 0x3f);
  assert.deepEqual(info.protocols, ['T=0']);
  assert.equal(info.historical.length, 0);
});

test('parseAtr: TD1 explicitly indicating T=0 only has no TCK', () => {
  const info = parseAtr(fromHex('3B 82 00 41 42'));
  assert.deepEqual(info.protocols, ['T=0']);
  assert.equal(toHex(info.historical), '4142');
  assert.equal(info.tckPresent, false);
});

test('parseAtr: T=0 with T=15 global bytes carries a TCK (ISO/IEC 7816-3 §8.2.5)', () => {
  // TA1 96, TD1 80 (T=0, TD2 follows), TD2 1F (T=15, TA3 follows), TA3 C7, 15 historical bytes, TCK
  const body = fromHex('3B 9F 96 80 1F C7 80 31 E0 73 FE 21 1B 63 3A 20 4E 83 00 90 00');
  const atr = concat(body, [tckFor(body)]);
  const info = parseAtr(atr);
  assert.deepEqual(info.protocols, ['T=0']);
  assert.equal(info.ta1, 0x96);
  assert.equal(toHex(info.historical), '8031E073FE211B633A204E83009000');
  assert.equal(info.tckPresent, true);
  assert.equal(info.tckValid, true);
  // without its TCK the same ATR is incomplete
  throwsAtr(body, /TCK missing/);
});

test('parseAtr: protocols other than T=0/T=1 are not listed but require a TCK', () => {
  // TD1 = 0E: T=14 only
  const body = fromHex('3B 81 0E 41');
  const info = parseAtr(concat(body, [tckFor(body)]));
  assert.deepEqual(info.protocols, []);
  assert.equal(info.tckPresent, true);
  assert.equal(info.tckValid, true);
});

test('parseAtr: wrong TCK gives tckValid false, not an error', () => {
  const good = buildAtr(['T=0', 'T=1'], HIST);
  const bad = good.slice();
  bad[bad.length - 1]! ^= 0x01;
  const info = parseAtr(bad);
  assert.equal(info.tckPresent, true);
  assert.equal(info.tckValid, false);
  assert.deepEqual(info.protocols, ['T=0', 'T=1']);
  // a corrupted historical byte is caught the same way
  const corrupted = good.slice();
  corrupted[10]! ^= 0x40;
  assert.equal(parseAtr(corrupted).tckValid, false);
});

test('parseAtr errors: fewer than 2 bytes and bad TS', () => {
  throwsAtr('', /at least TS and T0, got 0/);
  throwsAtr('3B', /got 1 byte/);
  throwsAtr('3C 60 00 00', /TS must be 3B or 3F, got 3C/);
  throwsAtr('00 60 00 00', /TS must be 3B or 3F, got 00/);
  const wrongTs = buildAtr(['T=1'], HIST);
  wrongTs[0] = 0x3a;
  throwsAtr(wrongTs, /TS must be 3B or 3F, got 3A/);
});

test('parseAtr errors: truncated interface bytes', () => {
  throwsAtr('3B 10', /ends inside its interface bytes/); // TA1 announced, missing
  throwsAtr('3B 80', /ends inside its interface bytes/); // TD1 announced, missing
  throwsAtr('3B 60 00', /ends inside its interface bytes/); // TB1, TC1 announced, TC1 missing
  throwsAtr('3B 20', /ends inside its interface bytes/); // TB1 announced, missing
  throwsAtr('3B E0 00 00', /ends inside its interface bytes/); // TD1 missing after TB1 TC1
  throwsAtr('3B E0 00 00 81', /ends inside its interface bytes/); // TD1 announces TD2, missing
  throwsAtr('3B E0 00 00 81 31 FE', /ends inside its interface bytes/); // TB3 missing
  const built = buildAtr(['T=1'], HIST);
  throwsAtr(built.slice(0, 6), /ends inside its interface bytes/);
});

test('parseAtr errors: missing historical bytes', () => {
  throwsAtr('3B 6B 00 00 86 58', /announces 11 historical bytes but has 2/);
  throwsAtr('3B 61 00 00', /announces 1 historical bytes but has 0/);
  const built = buildAtr(['T=0'], HIST);
  throwsAtr(built.slice(0, -1), /announces 11 historical bytes but has 10/);
});

test('parseAtr errors: missing TCK when T=1 is indicated', () => {
  const built = buildAtr(['T=1'], HIST);
  throwsAtr(built.slice(0, -1), /TCK missing/);
  throwsAtr(concat(built, [0x00]), /TCK missing/); // one byte too many after TCK
});

test('parseAtr errors: extra bytes after a T=0-only ATR (which has no TCK)', () => {
  const built = buildAtr(['T=0'], HIST);
  throwsAtr(concat(built, [0x00]), /1 unexpected byte\(s\) after the historical bytes/);
  throwsAtr(concat(built, [0x12, 0x34]), /2 unexpected byte\(s\)/);
  throwsAtr('3B 6F 00 00 80 31 80 65 B0 84 41 3D F6 12 0F FE 82 90 00 00', /unexpected byte/);
});
