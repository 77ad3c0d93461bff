import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ascii, concat, fromHex, toHex } from '../core/bytes.ts';
import { PROJECT_ROOT, loadJson } from '../core/json.ts';
import { type BlockAlg, blockSize, encryptEcb } from '../crypto/block.ts';
import { kcv } from '../crypto/kcv.ts';
import { mac } from '../crypto/mac.ts';
import type { VectorFile } from '../crypto/vectors.ts';
import {
  ALG_CODE,
  algOfCode,
  authCryptogram,
  commandMac,
  encodeKeyHeader,
  keyCheckValue,
  pinBlock,
  pinDigits,
  securedCommand,
  unwrapKey,
  verifyCommandMac,
  wrapKey,
} from './formats.ts';

const AUTH: Record<BlockAlg, Uint8Array> = {
  '3des': fromHex('FD51582CC1C75E0E2532D98A381A91AE'),
  sm4: fromHex('7C91C7981F07642C790EE3BC54A16752'),
};
const OTHER: Record<BlockAlg, Uint8Array> = {
  '3des': fromHex('EFA7161F8A19F17964F43BA4D0CEBCD6'),
  sm4: fromHex('C87C2FEF20927061CDAB1380FB8F76C1'),
};
const KEY16 = fromHex('C819869E98401CA8CBFD708907D9EF98');
const ALGS: BlockAlg[] = ['3des', 'sm4'];
const CHALLENGE = fromHex('0102030405060708');
const HEADER = fromHex('04D68A00');
const DATA = fromHex('00112233445566778899AABBCCDDEEFF');

// ---------------------------------------------------------------- key transport

test('wrapKey/unwrapKey round trip a 16-byte key under 3DES and SM4 authority keys', () => {
  for (const alg of ALGS) {
    const wrapped = wrapKey(alg, AUTH[alg], KEY16);
    // L ‖ key (17 bytes) padded with 80 00… to whole blocks: 24 bytes for 3DES, 32 for SM4
    assert.equal(wrapped.length, alg === '3des' ? 24 : 32, alg);
    assert.equal(wrapped.length % blockSize(alg), 0);
    assert.deepEqual(unwrapKey(alg, AUTH[alg], wrapped), KEY16, alg);
    // it is ECB of the padded plaintext
    const plain = concat([16], KEY16, [0x80], new Uint8Array(wrapped.length - 18));
    assert.deepEqual(wrapped, encryptEcb(alg, AUTH[alg], plain), alg);
  }
});

test('wrapKey/unwrapKey round trip an 8-digit PIN block (4 bytes)', () => {
  const pin = pinBlock('12345678');
  assert.equal(toHex(pin), '12345678');
  for (const alg of ALGS) {
    const wrapped = wrapKey(alg, AUTH[alg], pin);
    assert.equal(wrapped.length, blockSize(alg), alg);
    assert.deepEqual(unwrapKey(alg, AUTH[alg], wrapped), pin, alg);
  }
});

test('unwrapKey returns undefined for a wrong authority key', () => {
  for (const alg of ALGS) {
    assert.equal(unwrapKey(alg, OTHER[alg], wrapKey(alg, AUTH[alg], KEY16)), undefined, alg);
    assert.equal(unwrapKey(alg, OTHER[alg], wrapKey(alg, AUTH[alg], pinBlock('123456'))), undefined, alg);
  }
});

test('unwrapKey returns undefined for a wrong length (empty, not whole blocks)', () => {
  for (const alg of ALGS) {
    const wrapped = wrapKey(alg, AUTH[alg], KEY16);
    assert.equal(unwrapKey(alg, AUTH[alg], new Uint8Array(0)), undefined, alg);
    assert.equal(unwrapKey(alg, AUTH[alg], wrapped.slice(0, wrapped.length - 1)), undefined, alg);
    assert.equal(unwrapKey(alg, AUTH[alg], concat(wrapped, [0])), undefined, alg);
  }
});

test('unwrapKey returns undefined for bad padding or a length byte that does not fit', () => {
  for (const alg of ALGS) {
    const bs = blockSize(alg);
    const enc = (plain: Uint8Array) => encryptEcb(alg, AUTH[alg], plain);
    const padTo = (b: Uint8Array) => concat(b, new Uint8Array((bs - (b.length % bs)) % bs));
    // 81 instead of 80
    assert.equal(unwrapKey(alg, AUTH[alg], enc(padTo(concat([16], KEY16, [0x81])))), undefined, `${alg} 81`);
    // no padding marker at all (L ‖ key ‖ 00…)
    assert.equal(unwrapKey(alg, AUTH[alg], enc(padTo(concat([16], KEY16, [0x00])))), undefined, `${alg} 00`);
    // a non-zero byte after 80
    const tail = padTo(concat([16], KEY16, [0x80]));
    tail[tail.length - 1] = 0x01;
    assert.equal(unwrapKey(alg, AUTH[alg], enc(tail)), undefined, `${alg} 80 … 01`);
    // L larger than the plaintext
    assert.equal(unwrapKey(alg, AUTH[alg], enc(padTo(concat([0x40], KEY16, [0x80])))), undefined, `${alg} L too big`);
    // L one short: the key's last byte is taken for the padding
    assert.equal(unwrapKey(alg, AUTH[alg], enc(padTo(concat([15], KEY16, [0x80])))), undefined, `${alg} L short`);
    // a whole extra block of padding (more than method 2 ever adds)
    assert.equal(
      unwrapKey(alg, AUTH[alg], enc(concat(padTo(concat([16], KEY16, [0x80])), new Uint8Array(bs)))),
      undefined,
      `${alg} extra block`,
    );
  }
});

// ---------------------------------------------------------------- PIN blocks

test('pinBlock: BCD digits padded with F', () => {
  assert.equal(toHex(pinBlock('1234')), '1234');
  assert.equal(toHex(pinBlock('12345')), '12345F');
  assert.equal(toHex(pinBlock('12')), '12');
  assert.equal(toHex(pinBlock('123456789012')), '123456789012');
  assert.equal(toHex(pinBlock('0000000')), '0000000F');
});

test('pinBlock rejects 1 digit, 13 digits, letters and an empty PIN', () => {
  for (const bad of ['1', '1234567890123', '12a4', 'ABCD', '', '12 34', '-123']) {
    assert.throws(() => pinBlock(bad), RangeError, JSON.stringify(bad));
  }
  assert.throws(() => pinBlock('1'), /a PIN has 2 to 12 digits, got "1"/);
});

test('pinDigits inverts pinBlock', () => {
  assert.equal(pinDigits(fromHex('1234')), '1234');
  assert.equal(pinDigits(fromHex('12345F')), '12345');
  for (const pin of ['12', '123', '888888', '123456789012', '05']) assert.equal(pinDigits(pinBlock(pin)), pin);
});

test('pinDigits rejects what is not BCD padded with F', () => {
  for (const hex of ['', '1F', 'FF', '12A4', '1F23', '12FF', 'F123', '12345E', 'A0']) {
    assert.equal(pinDigits(fromHex(hex)), undefined, hex);
  }
});

// ---------------------------------------------------------------- command MAC

test('commandMac is 4 bytes and is MAC-3 / SM4-CBC-MAC over header ‖ Lc ‖ data with IV = challenge', () => {
  for (const alg of ALGS) {
    const m = commandMac(alg, AUTH[alg], CHALLENGE, HEADER, DATA);
    assert.equal(m.length, 4, alg);
    const iv = concat(CHALLENGE, new Uint8Array(blockSize(alg) - 8));
    const input = concat(HEADER, [DATA.length + 4], DATA);
    assert.deepEqual(m, mac(alg === '3des' ? 'iso9797-1-m3' : 'sm4-cbc', AUTH[alg], input, { iv, pad: 2, len: 4 }), alg);
  }
});

test('commandMac changes when any header byte, any data byte, the challenge or the key changes', () => {
  for (const alg of ALGS) {
    const ref = toHex(commandMac(alg, AUTH[alg], CHALLENGE, HEADER, DATA));
    for (let i = 0; i < 4; i++) {
      const h = HEADER.slice();
      h[i]! ^= 0x01;
      assert.notEqual(toHex(commandMac(alg, AUTH[alg], CHALLENGE, h, DATA)), ref, `${alg} header byte ${i}`);
    }
    for (let i = 0; i < DATA.length; i++) {
      const d = DATA.slice();
      d[i]! ^= 0x80;
      assert.notEqual(toHex(commandMac(alg, AUTH[alg], CHALLENGE, HEADER, d)), ref, `${alg} data byte ${i}`);
    }
    for (let i = 0; i < CHALLENGE.length; i++) {
      const c = CHALLENGE.slice();
      c[i]! ^= 0x01;
      assert.notEqual(toHex(commandMac(alg, AUTH[alg], c, HEADER, DATA)), ref, `${alg} challenge byte ${i}`);
    }
    assert.notEqual(toHex(commandMac(alg, OTHER[alg], CHALLENGE, HEADER, DATA)), ref, `${alg} key`);
    // one more data byte changes Lc as well as the data
    assert.notEqual(toHex(commandMac(alg, AUTH[alg], CHALLENGE, HEADER, concat(DATA, [0]))), ref, `${alg} length`);
  }
});

test('commandMac uses only the 4 header bytes (a 5th byte passed in is ignored)', () => {
  assert.deepEqual(
    commandMac('3des', AUTH['3des'], CHALLENGE, concat(HEADER, [0x99]), DATA),
    commandMac('3des', AUTH['3des'], CHALLENGE, HEADER, DATA),
  );
});

test('securedCommand = header ‖ Lc ‖ data ‖ MAC, Lc counting the MAC', () => {
  for (const alg of ALGS) {
    const apdu = securedCommand(alg, AUTH[alg], CHALLENGE, HEADER, DATA);
    const m = commandMac(alg, AUTH[alg], CHALLENGE, HEADER, DATA);
    assert.equal(toHex(apdu), toHex(concat(HEADER, [DATA.length + 4], DATA, m)), alg);
    assert.equal(apdu[4], 20);
    assert.equal(apdu.length, 5 + 20);
    const empty = securedCommand(alg, AUTH[alg], CHALLENGE, HEADER, new Uint8Array(0));
    assert.equal(empty.length, 9);
    assert.equal(empty[4], 4);
  }
});

test('verifyCommandMac accepts the right MAC and refuses any other', () => {
  for (const alg of ALGS) {
    const m = commandMac(alg, AUTH[alg], CHALLENGE, HEADER, DATA);
    assert.equal(verifyCommandMac(alg, AUTH[alg], CHALLENGE, HEADER, DATA, m), true, alg);
    for (let i = 0; i < 4; i++) {
      const bad = m.slice();
      bad[i]! ^= 0x01;
      assert.equal(verifyCommandMac(alg, AUTH[alg], CHALLENGE, HEADER, DATA, bad), false, `${alg} byte ${i}`);
    }
    assert.equal(verifyCommandMac(alg, AUTH[alg], CHALLENGE, HEADER, DATA, m.slice(0, 3)), false, `${alg} short`);
    assert.equal(verifyCommandMac(alg, AUTH[alg], CHALLENGE, HEADER, DATA, concat(m, [0])), false, `${alg} long`);
    assert.equal(verifyCommandMac(alg, OTHER[alg], CHALLENGE, HEADER, DATA, m), false, `${alg} other key`);
    assert.equal(verifyCommandMac(alg, AUTH[alg], fromHex('0102030405060709'), HEADER, DATA, m), false, `${alg} other challenge`);
  }
});

test('known answer: the 3DES command MAC reproduces pyemv’s ISO 9797-1 MAC algorithm 3 vector (m3-hello-world-pad2)', () => {
  const file = loadJson<VectorFile>(join(PROJECT_ROOT, 'vectors', 'mac-pyemv.json'), 'vectors');
  const v = file.vectors.find((x) => x.id === 'm3-hello-world-pad2');
  assert.ok(v, 'vector m3-hello-world-pad2');
  assert.equal(v.inputs.alg, 'iso9797-1-m3');
  assert.equal(v.inputs.pad, 2);
  const key = fromHex(String(v.inputs.key));
  const text = ascii(String(v.inputs.text));
  assert.equal(String(v.inputs.text), 'hello world');
  // 1. the MAC primitive with a zero IV, truncated to the 4 bytes a command carries
  assert.equal(toHex(mac('iso9797-1-m3', key, text, { iv: new Uint8Array(8), pad: 2, len: 4 })), v.expected.slice(0, 8));
  // 2. through commandMac itself: CBC with IV = challenge over block 1 is CBC with IV 0 over
  //    block 1 ⊕ challenge. With header "hell", data " world" (Lc = 6 + 4 = 0A), the input is
  //    "hell" 0A " wo" | "rld" — the vector's message once byte 5 is XORed with 'o' ⊕ 0A = 65.
  const challenge = fromHex('0000000065000000');
  assert.equal(0x0a ^ challenge[4]!, 'o'.charCodeAt(0));
  const m = commandMac('3des', key, challenge, ascii('hell'), ascii(' world'));
  assert.equal(toHex(m), v.expected.slice(0, 8));
  assert.equal(toHex(m), '2BC2D9ED');
});

// ---------------------------------------------------------------- external authentication

test('authCryptogram for 3DES is E_K(challenge) with an 8-byte challenge', () => {
  const c = authCryptogram('3des', AUTH['3des'], CHALLENGE);
  assert.equal(c.length, 8);
  assert.deepEqual(c, encryptEcb('3des', AUTH['3des'], CHALLENGE));
});

test('authCryptogram for SM4 is E_K(challenge ‖ 00…) with the 8-byte challenge zero-padded to 16', () => {
  const c = authCryptogram('sm4', AUTH.sm4, CHALLENGE);
  assert.equal(c.length, 16);
  assert.deepEqual(c, encryptEcb('sm4', AUTH.sm4, concat(CHALLENGE, new Uint8Array(8))));
});

test('authCryptogram with a 4-byte challenge zero-pads it to a block', () => {
  const c4 = fromHex('A1B2C3D4');
  assert.deepEqual(authCryptogram('3des', AUTH['3des'], c4), encryptEcb('3des', AUTH['3des'], fromHex('A1B2C3D400000000')));
  assert.deepEqual(authCryptogram('sm4', AUTH.sm4, c4), encryptEcb('sm4', AUTH.sm4, concat(c4, new Uint8Array(12))));
});

// ---------------------------------------------------------------- key header, algorithm codes

test('algorithm codes: 01 3DES, 04 SM4, anything else unknown', () => {
  assert.equal(ALG_CODE['3des'], 0x01);
  assert.equal(ALG_CODE.sm4, 0x04);
  assert.equal(algOfCode(0x01), '3des');
  assert.equal(algOfCode(0x04), 'sm4');
  for (const c of [0x00, 0x02, 0x03, 0x05, 0xff]) assert.equal(algOfCode(c), undefined);
});

test('encodeKeyHeader: type ‖ algorithm ‖ version ‖ tries ‖ KCV; keyCheckValue is the 3-byte KCV', () => {
  const k = keyCheckValue('3des', KEY16);
  assert.deepEqual(k, kcv('3des', KEY16, 3));
  assert.equal(k.length, 3);
  assert.equal(toHex(encodeKeyHeader({ type: 0x01, alg: '3des', version: 2, tries: 5, kcv: k })), `01010205${toHex(k)}`);
  assert.equal(toHex(encodeKeyHeader({ type: 0x0b, alg: 'none', version: 0, tries: 3, kcv: new Uint8Array(3) })), '0B000003000000');
  assert.equal(
    toHex(encodeKeyHeader({ type: 0x00, alg: 'sm4', version: 1, tries: 15, kcv: keyCheckValue('sm4', KEY16) })).slice(0, 8),
    '0004010F',
  );
});
