import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { concat, fromHex, toHex, xor } from '../core/bytes.ts';
import { PROJECT_ROOT } from '../core/json.ts';
import { decryptEcb, encryptCbc, encryptEcb } from '../crypto/block.ts';
import { adjustParity, hasOddParity } from '../crypto/derive.ts';
import { kcv } from '../crypto/kcv.ts';
import { pad } from '../crypto/padding.ts';
import { applicationCryptogram, arpcMethod1, cryptogramTypeOf, scriptMac, sessionKey, udk } from './cryptograms.ts';

interface Vector {
  id: string;
  operation: string;
  inputs: Record<string, string>;
  expected: string;
}
const vectors = (file: string): Vector[] =>
  (JSON.parse(readFileSync(join(PROJECT_ROOT, 'vectors', file), 'utf8')) as { vectors: Vector[] }).vectors;

test('the published PBOC ARQC / ARPC worked example (vectors/pboc-arqc-example.json)', () => {
  const [arqc, arpc] = vectors('pboc-arqc-example.json');
  const i = arqc!.inputs;
  const sk = sessionKey('3des', udk('3des', fromHex(i.imk!), i.pan!, i.psn!), fromHex(i.atc!));
  assert.equal(toHex(applicationCryptogram('3des', sk, fromHex(i.data!))), arqc!.expected);
  const j = arpc!.inputs;
  assert.equal(toHex(arpcMethod1('3des', sk, fromHex(j.arqc!), fromHex(j.arc!))), arpc!.expected);
});

test('Option A UDK of the published pyemv example (vectors/emv-option-a-pyemv.json)', () => {
  for (const v of vectors('emv-option-a-pyemv.json').filter((x) => x.operation === 'option-a')) {
    const key = udk('3des', fromHex(v.inputs.imk!), v.inputs.pan!, v.inputs.psn!);
    const got = v.inputs.kcvLength ? toHex(kcv('3des', key, Number(v.inputs.kcvLength))) : toHex(key);
    assert.equal(got, v.expected, v.id);
  }
});

test('3DES AC = ISO 9797-1 MAC algorithm 3, padding 2: docs/sources.md §5 / vectors/mac-pyemv.json (K1 AAAA…, K2 BBBB…, "hello world")', () => {
  const key = fromHex('AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB');
  assert.equal(toHex(applicationCryptogram('3des', key, new TextEncoder().encode('hello world'))), '2BC2D9EDE0CF31F6');
});

test('SM4: the AC is 8 bytes of a 16-byte CBC-MAC; ARPC method 1 on a 16-byte block', () => {
  const mdk = fromHex('0123456789ABCDEFFEDCBA9876543210');
  const u = udk('sm4', mdk, '6217000000876543210', '01');
  assert.equal(u.length, 16);
  const sk = sessionKey('sm4', u, fromHex('0001'));
  const ac = applicationCryptogram('sm4', sk, fromHex('000000001000'));
  assert.equal(ac.length, 8);
  assert.notEqual(toHex(sessionKey('sm4', u, fromHex('0002'))), toHex(sk), 'the session key follows the ATC');
  const a1 = arpcMethod1('sm4', sk, ac, fromHex('3030'));
  assert.equal(a1.length, 8);
  assert.notEqual(toHex(arpcMethod1('sm4', sk, ac, fromHex('3035'))), toHex(a1), 'the ARPC follows the ARC');
});

test('script MAC: 4 bytes, bound to header, ATC, ARQC and data; Lc counts the MAC', () => {
  const sk = fromHex('0123456789ABCDEFFEDCBA9876543210');
  const base = scriptMac('3des', sk, fromHex('841E0000'), fromHex('0001'), fromHex('1122334455667788'), new Uint8Array(0));
  assert.equal(base.length, 4);
  for (const other of [
    scriptMac('3des', sk, fromHex('84180000'), fromHex('0001'), fromHex('1122334455667788'), new Uint8Array(0)),
    scriptMac('3des', sk, fromHex('841E0000'), fromHex('0002'), fromHex('1122334455667788'), new Uint8Array(0)),
    scriptMac('3des', sk, fromHex('841E0000'), fromHex('0001'), fromHex('1122334455667789'), new Uint8Array(0)),
  ])
    assert.notEqual(toHex(other), toHex(base));
  assert.throws(
    () => scriptMac('3des', sk, fromHex('841E00'), fromHex('0001'), fromHex('1122334455667788'), new Uint8Array(0)),
    RangeError,
  );
});

test('cryptogram types of CID / P1 bits 8-7', () => {
  assert.deepEqual([0x00, 0x40, 0x80, 0xc0, 0x90].map(cryptogramTypeOf), ['AAC', 'TC', 'ARQC', undefined, 'ARQC']);
});

// ---------------------------------------------------------------- properties, recomputed from the block cipher

const not = (b: Uint8Array) => Uint8Array.from(b, (x) => ~x & 0xff);
const MDK = fromHex('0123456789ABCDEFFEDCBA9876543210');
const PANS: [string, string][] = [
  ['6217000000876543210', '01'], // 19 digits: Y = rightmost 16 of PAN ‖ PSN
  ['6228000100001', '01'], // 13 digits: Y left-padded with 0
  ['1234567890123456', '00'],
];
const yOf = (pan: string, psn: string) => fromHex((pan + psn).slice(-16).padStart(16, '0'));

test('UDK: 3DES = E(MDK, Y) ‖ E(MDK, Y ⊕ FF…FF) with odd parity; SM4 = SM4(MDK, Y ‖ ¬Y)', () => {
  for (const [pan, psn] of PANS) {
    const y = yOf(pan, psn);
    const des = udk('3des', MDK, pan, psn);
    assert.equal(toHex(des), toHex(adjustParity(concat(encryptEcb('3des', MDK, y), encryptEcb('3des', MDK, not(y))))), pan);
    assert.ok(hasOddParity(des));
    assert.equal(toHex(udk('sm4', MDK, pan, psn)), toHex(encryptEcb('sm4', MDK, concat(y, not(y)))), pan);
  }
  assert.notEqual(toHex(udk('3des', MDK, PANS[0]![0], '01')), toHex(udk('3des', MDK, PANS[0]![0], '02')), 'the PSN is part of Y');
});

test('session key: 3DES = E(UDK, 0…0 ‖ ATC) ‖ E(UDK, 0…0 ‖ ¬ATC); SM4 = SM4(UDK, 0…0 ‖ ATC ‖ 0…0 ‖ ¬ATC)', () => {
  const z = new Uint8Array(6);
  for (const atc of ['0001', '0240', 'FFFE']) {
    const a = fromHex(atc);
    const u3 = udk('3des', MDK, '6217000000876543210', '01');
    assert.equal(
      toHex(sessionKey('3des', u3, a)),
      toHex(concat(encryptEcb('3des', u3, concat(z, a)), encryptEcb('3des', u3, concat(z, not(a))))),
      atc,
    );
    const u4 = udk('sm4', MDK, '6217000000876543210', '01');
    assert.equal(toHex(sessionKey('sm4', u4, a)), toHex(encryptEcb('sm4', u4, concat(z, a, z, not(a)))), atc);
  }
  assert.throws(() => sessionKey('3des', MDK, fromHex('01')), RangeError);
});

test('AC: 3DES = ISO 9797-1 MAC algorithm 3 by hand; SM4 = last block of SM4-CBC (zero IV, padding 2), left 8 bytes', () => {
  const sk3 = fromHex('0123456789ABCDEFFEDCBA9876543210');
  const sk4 = fromHex('00112233445566778899AABBCCDDEEFF');
  for (const len of [0, 1, 7, 8, 15, 16, 29, 40]) {
    const data = Uint8Array.from({ length: len }, (_, i) => (i * 37 + 5) & 0xff);
    // algorithm 3: single-DES CBC under K1 over all blocks, then D(K2), E(K1) on the last one
    const k1 = sk3.slice(0, 8);
    const k2 = sk3.slice(8, 16);
    const padded3 = pad(data, 8, 2);
    const cbc = encryptCbc('3des', concat(k1, k1), new Uint8Array(8), padded3);
    const last = cbc.slice(cbc.length - 8);
    const expected3 = encryptEcb('3des', concat(k1, k1), decryptEcb('3des', concat(k2, k2), last));
    assert.equal(toHex(applicationCryptogram('3des', sk3, data)), toHex(expected3), `3des ${len}`);
    const padded4 = pad(data, 16, 2);
    const cbc4 = encryptCbc('sm4', sk4, new Uint8Array(16), padded4);
    assert.equal(toHex(applicationCryptogram('sm4', sk4, data)), toHex(cbc4.slice(cbc4.length - 16, cbc4.length - 8)), `sm4 ${len}`);
  }
});

test('ARPC method 1: 3DES decrypts back to ARQC ⊕ (ARC ‖ 00…00); SM4 is the left half of SM4(SK, (ARQC ⊕ ARC‖0…0) ‖ 0…0)', () => {
  const sk3 = sessionKey('3des', udk('3des', MDK, '6217000000876543210', '01'), fromHex('0007'));
  const arqc = fromHex('1122334455667788');
  for (const arc of ['3030', '3035', '3531']) {
    const a = arpcMethod1('3des', sk3, arqc, fromHex(arc));
    assert.equal(toHex(decryptEcb('3des', sk3, a)), toHex(xor(arqc, concat(fromHex(arc), new Uint8Array(6)))), arc);
  }
  const sk4 = sessionKey('sm4', udk('sm4', MDK, '6217000000876543210', '01'), fromHex('0007'));
  const x = concat(xor(arqc, fromHex('3030000000000000')), new Uint8Array(8));
  assert.equal(toHex(arpcMethod1('sm4', sk4, arqc, fromHex('3030'))), toHex(encryptEcb('sm4', sk4, x).slice(0, 8)));
  assert.throws(() => arpcMethod1('3des', sk3, arqc.slice(1), fromHex('3030')), RangeError);
  assert.throws(() => arpcMethod1('3des', sk3, arqc, fromHex('30')), RangeError);
});

test('script MAC = left 4 bytes of the suite MAC over CLA INS P1 P2 ‖ Lc (data + 4) ‖ ATC ‖ ARQC ‖ data', () => {
  const atc = fromHex('0240');
  const arqc = fromHex('5D016C91005E7CC2');
  for (const suite of ['3des', 'sm4'] as const) {
    const sk = sessionKey(suite, udk(suite, MDK, '6217000000876543210', '01'), atc);
    for (const [header, data] of [
      ['841E0000', ''],
      ['84240002', '0412345FFFFFFFFF'],
      ['04DA9F23', '05'],
    ] as const) {
      const d = fromHex(data);
      const input = concat(fromHex(header), [d.length + 4], atc, arqc, d);
      const got = scriptMac(suite, sk, fromHex(header), atc, arqc, d);
      assert.equal(toHex(got), toHex(applicationCryptogram(suite, sk, input).slice(0, 4)), `${suite} ${header}`);
    }
    const base = scriptMac(suite, sk, fromHex('84240002'), atc, arqc, fromHex('0412345FFFFFFFFF'));
    assert.notEqual(
      toHex(scriptMac(suite, sk, fromHex('84240002'), atc, arqc, fromHex('0412345FFFFFFFFE'))),
      toHex(base),
      'bound to the data',
    );
  }
  const sk = fromHex('0123456789ABCDEFFEDCBA9876543210');
  assert.throws(() => scriptMac('3des', sk, fromHex('841E0000'), fromHex('02'), arqc, new Uint8Array(0)), RangeError);
  assert.throws(() => scriptMac('3des', sk, fromHex('841E0000'), atc, arqc.slice(0, 7), new Uint8Array(0)), RangeError);
  assert.throws(() => scriptMac('3des', sk, fromHex('04DA9F23'), atc, arqc, new Uint8Array(252)), RangeError, 'Lc would exceed 255');
  assert.equal(scriptMac('3des', sk, fromHex('04DA9F23'), atc, arqc, new Uint8Array(251)).length, 4);
});
