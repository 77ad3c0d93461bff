import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, fromHex, toHex } from '../core/bytes.ts';
import { KeyLengthError, encryptEcb } from './block.ts';
import { adjustParity, diversify, hasOddParity, optionA, pbocSessionKey } from './derive.ts';

const K16 = fromHex('0123456789ABCDEFFEDCBA9876543210');
const not = (b: Uint8Array) => Uint8Array.from(b, (x) => ~x & 0xff);

test('adjustParity sets the low bit so every byte has odd parity', () => {
  assert.equal(toHex(adjustParity(fromHex('0001020304FEFF80'))), '0101020204FEFE80');
  const random = Uint8Array.from({ length: 256 }, (_, i) => i);
  const adjusted = adjustParity(random);
  assert.ok(hasOddParity(adjusted));
  for (let i = 0; i < 256; i++) assert.equal(adjusted[i]! & 0xfe, i & 0xfe, 'only the low bit changes');
  assert.deepEqual(adjustParity(adjusted), adjusted, 'idempotent');
  assert.equal(random[0], 0, 'input untouched');
});

test('hasOddParity', () => {
  assert.equal(hasOddParity(fromHex('0123456789ABCDEF')), true, 'the classic test key already has odd parity');
  assert.equal(hasOddParity(fromHex('0022446688AACCEE')), false);
  assert.equal(hasOddParity(fromHex('0101010101010101')), true);
  assert.equal(hasOddParity(fromHex('00')), false);
  assert.equal(hasOddParity(new Uint8Array(0)), true);
});

test('3des diversify: E(K, F) ‖ E(K, ¬F), no parity change', () => {
  const f = fromHex('1122334455667788');
  const out = diversify('3des', K16, f);
  assert.equal(out.length, 16);
  assert.deepEqual(out, concat(encryptEcb('3des', K16, f), encryptEcb('3des', K16, not(f))));
});

test('sm4 diversify: SM4(K, F) for 16 bytes; an 8-byte factor becomes F ‖ ¬F', () => {
  const f16 = fromHex('00112233445566778899AABBCCDDEEFF');
  assert.deepEqual(diversify('sm4', K16, f16), encryptEcb('sm4', K16, f16));
  const f8 = fromHex('1122334455667788');
  assert.deepEqual(diversify('sm4', K16, f8), encryptEcb('sm4', K16, concat(f8, not(f8))));
  assert.deepEqual(diversify('sm4', K16, f8), diversify('sm4', K16, concat(f8, not(f8))));
});

test('other factor lengths are a RangeError saying what is expected', () => {
  for (const n of [0, 7, 9, 16])
    assert.throws(() => diversify('3des', K16, new Uint8Array(n)), new RegExp(`3des diversification factor must be 8 bytes, got ${n}`));
  for (const n of [0, 4, 12, 24])
    assert.throws(() => diversify('sm4', K16, new Uint8Array(n)), new RegExp(`sm4 diversification factor must be 8 or 16 bytes, got ${n}`));
  assert.throws(() => diversify('3des', new Uint8Array(10), new Uint8Array(8)), KeyLengthError);
});

test('two-level diversification is two calls', () => {
  const master = K16;
  const card = fromHex('3100000000001234');
  const city = fromHex('3100FFFFFFFF0000');
  const level1 = diversify('3des', master, card);
  const level2 = diversify('3des', level1, city);
  assert.deepEqual(level2, concat(encryptEcb('3des', level1, city), encryptEcb('3des', level1, not(city))));
  assert.notDeepEqual(level2, diversify('3des', master, city));
  assert.notDeepEqual(level2, level1);
  const sm4Level2 = diversify('sm4', diversify('sm4', master, card), city);
  assert.equal(sm4Level2.length, 16);
});

test('Option A: Y is the rightmost 16 digits of PAN ‖ PSN, left-padded with 0', () => {
  // short PAN: 12345 ‖ 00 → 0000000001234500
  assert.deepEqual(optionA('3des', K16, '12345', '00'), adjustParity(diversify('3des', K16, fromHex('0000000001234500'))));
  // long PAN: 19 digits + PSN, only the rightmost 16 count
  assert.deepEqual(optionA('3des', K16, '6228480402564890018', '01'), optionA('3des', K16, '999980402564890018', '01'));
  assert.deepEqual(optionA('3des', K16, '6228480402564890018', '01'), adjustParity(diversify('3des', K16, fromHex('8040256489001801'))));
  assert.ok(hasOddParity(optionA('3des', K16, '12345678901234567', '01')));
});

test('Option A with SM4 (observed): SM4(MDK, Y ‖ ¬Y), not parity adjusted', () => {
  const y = fromHex('4567890123456701');
  assert.deepEqual(optionA('sm4', K16, '12345678901234567', '01'), encryptEcb('sm4', K16, concat(y, not(y))));
});

test('Option A input checks: PAN digits, PSN two digits, master-key length', () => {
  for (const pan of ['', '1234 5678', '12345678901234AB', '-123'])
    assert.throws(() => optionA('3des', K16, pan, '01'), /PAN must be decimal digits only/, pan);
  for (const psn of ['', '1', '001', 'AB', '0x'])
    assert.throws(() => optionA('3des', K16, '1234567890', psn), /PAN sequence number must be two digits/, psn);
  assert.throws(
    () => optionA('3des', K16.subarray(0, 8), '1234567890', '00'),
    (e: unknown) => e instanceof KeyLengthError && /3des IMK key must be 16 or 24 bytes, got 8/.test((e as Error).message),
  );
  assert.throws(() => optionA('sm4', concat(K16, K16.subarray(0, 8)), '1234567890', '00'), KeyLengthError);
});

test('PBOC session key: 000000000000‖ATC and 000000000000‖¬ATC under the UDK', () => {
  const udk = optionA('3des', K16, '12345678901234567', '01');
  const atc = fromHex('0240');
  const sk = pbocSessionKey('3des', udk, atc);
  assert.deepEqual(sk, concat(encryptEcb('3des', udk, fromHex('0000000000000240')), encryptEcb('3des', udk, fromHex('000000000000FDBF'))));
  // not the EMV common session key (R = ATC ‖ F0/0F ‖ 00…)
  const csk = concat(encryptEcb('3des', udk, fromHex('0240F00000000000')), encryptEcb('3des', udk, fromHex('02400F0000000000')));
  assert.notDeepEqual(sk, csk);
  const sm4 = pbocSessionKey('sm4', K16, atc);
  assert.deepEqual(sm4, encryptEcb('sm4', K16, fromHex('000000000000' + '0240' + '000000000000' + 'FDBF')));
});

test('PBOC session key input checks', () => {
  assert.throws(() => pbocSessionKey('3des', K16, fromHex('01')), /ATC must be 2 bytes, got 1/);
  assert.throws(() => pbocSessionKey('3des', K16, fromHex('000001')), /ATC must be 2 bytes, got 3/);
  assert.throws(() => pbocSessionKey('3des', fromHex('0123456789ABCDEF'), fromHex('0001')), /3des UDK key must be 16 or 24 bytes, got 8/);
  assert.throws(() => pbocSessionKey('des' as never, K16, fromHex('0001')), /unknown block cipher/);
});
