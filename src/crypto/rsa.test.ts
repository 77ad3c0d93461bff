import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { fromHex, toHex } from '../core/bytes.ts';
import { generateRsaKey, modPow, rsaKeyFromCrt, rsaPrivate, rsaPublic, toBigInt } from './rsa.ts';

test('modPow: textbook RSA with p = 61, q = 53 (n = 3233, e = 17, d = 2753)', () => {
  assert.equal(modPow(65n, 17n, 3233n), 2790n);
  assert.equal(modPow(2790n, 2753n, 3233n), 65n);
});

test('sign with the private key, recover with the public key; agrees with OpenSSL raw RSA', () => {
  const key = generateRsaKey(768, 3);
  assert.equal(key.n.length, 96);
  const m = new Uint8Array(96);
  m[0] = 0x6a;
  m.set(fromHex('0102030405'), 10);
  m[95] = 0xbc;
  const s = rsaPrivate(key, m);
  assert.equal(toHex(rsaPublic(key, s)), toHex(m));
  const pub = createPublicKey({ key: { kty: 'RSA', n: Buffer.from(key.n).toString('base64url'), e: Buffer.from(key.e).toString('base64url') }, format: 'jwk' });
  assert.equal(Buffer.from(publicEncrypt({ key: pub, padding: constants.RSA_NO_PADDING }, Buffer.from(s))).toString('hex').toUpperCase(), toHex(m));
  // the key rebuilt from its CRT components (as the card stores it) signs the same
  const rebuilt = rsaKeyFromCrt(key, 96);
  assert.equal(toBigInt(rebuilt.n), toBigInt(key.n));
  assert.equal(toHex(rsaPrivate(rebuilt, m)), toHex(s));
});

test('inputs of the wrong length or not below the modulus are refused', () => {
  const key = generateRsaKey(512, 3);
  assert.throws(() => rsaPublic(key, new Uint8Array(63)), RangeError);
  assert.throws(() => rsaPublic(key, new Uint8Array(64).fill(0xff)), RangeError);
});
