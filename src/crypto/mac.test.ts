import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ascii, concat, fromHex, toHex } from '../core/bytes.ts';
import { KeyLengthError, encryptCbc } from './block.ts';
import { macBlockSize, mac } from './mac.ts';
import { pad } from './padding.ts';

const K8 = fromHex('0123456789ABCDEF');
const K16 = fromHex('0123456789ABCDEFFEDCBA9876543210');
const K24 = fromHex('0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123');
const DATA = ascii('hello world');

test('default length is the whole block: 8 for DES/3DES, 16 for SM4', () => {
  assert.equal(mac('iso9797-1-m3', K16, DATA).length, 8);
  assert.equal(mac('des-cbc', K8, DATA).length, 8);
  assert.equal(mac('3des-cbc', K24, DATA).length, 8);
  assert.equal(mac('sm4-cbc', K16, DATA).length, 16);
  assert.equal(macBlockSize('sm4-cbc'), 16);
});

test('len keeps the leftmost bytes; out of range is a RangeError', () => {
  const full = mac('sm4-cbc', K16, DATA);
  for (const len of [1, 4, 8, 16]) assert.deepEqual(mac('sm4-cbc', K16, DATA, { len }), full.subarray(0, len));
  assert.deepEqual(mac('iso9797-1-m3', K16, DATA, { len: 4 }), mac('iso9797-1-m3', K16, DATA).subarray(0, 4));
  assert.throws(() => mac('iso9797-1-m3', K16, DATA, { len: 9 }), /MAC length must be 1 to 8 bytes, got 9/);
  assert.throws(() => mac('sm4-cbc', K16, DATA, { len: 0 }), RangeError);
  assert.throws(() => mac('sm4-cbc', K16, DATA, { len: 17 }), RangeError);
  assert.throws(() => mac('des-cbc', K8, DATA, { len: 2.5 }), RangeError);
});

test('the IV is the initial chaining value (default zeros)', () => {
  const iv = fromHex('1122334455667788');
  assert.deepEqual(mac('des-cbc', K8, DATA, { iv: new Uint8Array(8) }), mac('des-cbc', K8, DATA));
  assert.notDeepEqual(mac('des-cbc', K8, DATA, { iv }), mac('des-cbc', K8, DATA));
  const chain = encryptCbc('3des', K8, iv, pad(DATA, 8, 2));
  assert.deepEqual(mac('des-cbc', K8, DATA, { iv }), chain.subarray(chain.length - 8));
  // for algorithm 1 the IV is the same as XORing it into the first block
  const x = pad(DATA, 8, 2);
  for (let i = 0; i < 8; i++) x[i]! ^= iv[i]!;
  assert.deepEqual(mac('des-cbc', K8, DATA, { iv }), mac('des-cbc', K8, x, { pad: 1 }));
  assert.notDeepEqual(mac('iso9797-1-m3', K16, DATA, { iv }), mac('iso9797-1-m3', K16, DATA));
  assert.throws(() => mac('sm4-cbc', K16, DATA, { iv }), /iv must be 16 bytes, got 8/);
  assert.throws(() => mac('iso9797-1-m3', K16, DATA, { iv: new Uint8Array(16) }), /iv must be 8 bytes/);
});

test('padding: method 2 by default; 1 and 2 differ on aligned data; 3 differs from both', () => {
  const aligned = ascii('Now is the time for all ');
  assert.deepEqual(mac('iso9797-1-m3', K16, aligned), mac('iso9797-1-m3', K16, aligned, { pad: 2 }));
  const p1 = toHex(mac('iso9797-1-m3', K16, aligned, { pad: 1 }));
  const p2 = toHex(mac('iso9797-1-m3', K16, aligned, { pad: 2 }));
  const p3 = toHex(mac('iso9797-1-m3', K16, aligned, { pad: 3 }));
  assert.equal(new Set([p1, p2, p3]).size, 3);
  assert.throws(() => mac('des-cbc', K8, DATA, { pad: 4 as never }), /padding method must be 1, 2 or 3/);
});

test('key lengths are checked per algorithm', () => {
  const bad: [Parameters<typeof mac>[0], number][] = [
    ['iso9797-1-m3', 8],
    ['iso9797-1-m3', 24],
    ['des-cbc', 16],
    ['3des-cbc', 8],
    ['3des-cbc', 32],
    ['sm4-cbc', 24],
  ];
  for (const [alg, n] of bad) {
    assert.throws(
      () => mac(alg, new Uint8Array(n), DATA),
      (e: unknown) => e instanceof KeyLengthError && e.message.startsWith(`${alg} key must be`) && e.message.endsWith(`got ${n}`),
      `${alg} with ${n} bytes`,
    );
  }
  assert.throws(() => mac('aes-cmac' as never, K16, DATA), /unknown MAC algorithm "aes-cmac"/);
});

test('algorithm 3 with K1 = K2 collapses to single-DES algorithm 1; 3DES-CBC with K‖K to DES-CBC', () => {
  assert.deepEqual(mac('iso9797-1-m3', concat(K8, K8), DATA), mac('des-cbc', K8, DATA));
  assert.deepEqual(mac('3des-cbc', concat(K8, K8), DATA), mac('des-cbc', K8, DATA));
  assert.notDeepEqual(mac('iso9797-1-m3', K16, DATA), mac('des-cbc', K8, DATA));
});

test('the MAC of empty data is defined (one padding block) and inputs are not modified', () => {
  assert.equal(mac('sm4-cbc', K16, new Uint8Array(0)).length, 16);
  const d = DATA.slice();
  const key = K16.slice();
  mac('iso9797-1-m3', key, d, { pad: 3 });
  assert.deepEqual(d, DATA);
  assert.deepEqual(key, K16);
});
