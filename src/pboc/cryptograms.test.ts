import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex, toHex } from '../core/bytes.ts';
import { PROJECT_ROOT } from '../data/json.ts';
import { kcv } from '../crypto/kcv.ts';
import { applicationCryptogram, arpcMethod1, cryptogramTypeOf, scriptMac, sessionKey, udk } from './cryptograms.ts';

interface Vector {
  id: string;
  operation: string;
  inputs: Record<string, string>;
  expected: string;
}
const vectors = (file: string): Vector[] => (JSON.parse(readFileSync(join(PROJECT_ROOT, 'vectors', file), 'utf8')) as { vectors: Vector[] }).vectors;

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
  assert.throws(() => scriptMac('3des', sk, fromHex('841E00'), fromHex('0001'), fromHex('1122334455667788'), new Uint8Array(0)), RangeError);
});

test('cryptogram types of CID / P1 bits 8-7', () => {
  assert.deepEqual([0x00, 0x40, 0x80, 0xc0, 0x90].map(cryptogramTypeOf), ['AAC', 'TC', 'ARQC', undefined, 'ARQC']);
});
