/**
 * Raw RSA (no padding), as EMV offline data authentication uses it (EMV 4.x
 * Book 2 §5–6: recovery with the public key, signing with the private key;
 * the formats bring their own redundancy). BigInt arithmetic; keys are
 * generated with node:crypto.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { Bytes } from '../core/bytes.ts';

export interface RsaPublicKey {
  n: Bytes;
  e: Bytes;
}

export interface RsaPrivateKey extends RsaPublicKey {
  d: Bytes;
  p: Bytes;
  q: Bytes;
  dp: Bytes;
  dq: Bytes;
  qinv: Bytes;
}

export function toBigInt(b: Bytes): bigint {
  let x = 0n;
  for (const v of b) x = (x << 8n) | BigInt(v);
  return x;
}

/** Big-endian bytes of `x`, left-padded to `length`. */
export function fromBigInt(x: bigint, length: number): Bytes {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  if (x !== 0n) throw new RangeError(`the number does not fit in ${length} bytes`);
  return out;
}

export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

function checkInput(key: RsaPublicKey, data: Bytes): bigint {
  if (data.length !== key.n.length) throw new RangeError(`RSA input has ${data.length} bytes, the modulus ${key.n.length}`);
  const m = toBigInt(data);
  if (m >= toBigInt(key.n)) throw new RangeError('RSA input is not smaller than the modulus');
  return m;
}

/** data^e mod n (recovery of a signature). */
export function rsaPublic(key: RsaPublicKey, data: Bytes): Bytes {
  return fromBigInt(modPow(checkInput(key, data), toBigInt(key.e), toBigInt(key.n)), key.n.length);
}

/** data^d mod n with the Chinese remainder theorem (signing). */
export function rsaPrivate(key: RsaPrivateKey, data: Bytes): Bytes {
  const c = checkInput(key, data);
  const p = toBigInt(key.p);
  const q = toBigInt(key.q);
  const m1 = modPow(c % p, toBigInt(key.dp), p);
  const m2 = modPow(c % q, toBigInt(key.dq), q);
  let h = ((m1 - m2) * toBigInt(key.qinv)) % p;
  if (h < 0n) h += p;
  return fromBigInt(m2 + h * q, key.n.length);
}

/** A private key from its CRT components and public exponent (n = p·q). */
export function rsaKeyFromCrt(parts: { p: Bytes; q: Bytes; dp: Bytes; dq: Bytes; qinv: Bytes; e: Bytes }, modulusLength?: number): RsaPrivateKey {
  const n = toBigInt(parts.p) * toBigInt(parts.q);
  const len = modulusLength ?? Math.ceil(n.toString(16).length / 2);
  const phi = (toBigInt(parts.p) - 1n) * (toBigInt(parts.q) - 1n);
  const d = modInverse(toBigInt(parts.e), phi);
  return { ...parts, n: fromBigInt(n, len), d: fromBigInt(d, len) };
}

export function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [a % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new RangeError('no modular inverse');
  return ((s0 % m) + m) % m;
}

/** A fresh key of `bits` (a multiple of 8) with public exponent `e` (3 or 65537). */
export function generateRsaKey(bits: number, e: 3 | 65537 = 3): RsaPrivateKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: e });
  const jwk = privateKey.export({ format: 'jwk' });
  const b64 = (s: string | undefined) => new Uint8Array(Buffer.from(s ?? '', 'base64url'));
  const len = bits / 8;
  const pad = (b: Bytes, l: number) => fromBigInt(toBigInt(b), l);
  return {
    n: pad(b64(jwk.n), len),
    e: b64(jwk.e),
    d: pad(b64(jwk.d), len),
    p: pad(b64(jwk.p), len / 2),
    q: pad(b64(jwk.q), len / 2),
    dp: pad(b64(jwk.dp), len / 2),
    dq: pad(b64(jwk.dq), len / 2),
    qinv: pad(b64(jwk.qi), len / 2),
  };
}
