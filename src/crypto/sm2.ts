/**
 * SM2 digital signatures (GB/T 32918.2-2016, GM/T 0003.2) over the
 * recommended curve sm2p256v1 (GB/T 32918.5-2017 / GM/T 0003.5), with SM3
 * (GB/T 32905).
 *
 * Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GB/T 32918.2 §5.5);
 * e = SM3(Z_A ‖ M); signature r ‖ s, 32 bytes each (§6.1), verification §7.1.
 *
 * User ID: the lab uses the default "1234567812345678" (ENTL = 0x0080), the
 * default of GM/T 0009 / GB/T 35276 and the ID of the published example of
 * GM/T 0003.5 (docs/sources.md §5), unless a caller gives another ID. The PBOC 3.0 SM2 ODA
 * structures (src/pboc/oda.ts) sign with this default too *(assumed: the ID
 * a real terminal uses is not in the lab's sources)*.
 *
 * Curve: only the recommended curve. The GM/T 0003.5 example (d = 3945…,
 * k = 5927…, Z_A = B2E1…, r = F5A0…, s = B1B6…) is a signature on the
 * recommended curve — sm2.test.ts reproduces every value of it here — not on
 * the 256-bit example curve of GB/T 32918.2 Annex A (p = 8542D69E…, ID
 * ALICE123@YAHOO.COM), so the curve is not a parameter. The doubling formula
 * relies on a = p − 3 of the recommended curve.
 *
 * BigInt arithmetic in Jacobian coordinates (one inversion per scalar
 * multiplication); not constant-time — test keys only.
 */
import { randomBytes } from 'node:crypto';
import { type Bytes, concat } from '../core/bytes.ts';
import { sm3 } from './hash.ts';
import { fromBigInt, modInverse, toBigInt } from './rsa.ts';

const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
export const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const G: Point = {
  x: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  y: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
};

export const DEFAULT_ID = new TextEncoder().encode('1234567812345678');

interface Point {
  x: bigint;
  y: bigint;
}
type MaybePoint = Point | null;

const mod = (a: bigint, m = P): bigint => ((a % m) + m) % m;

/** A point in Jacobian coordinates: x = X / Z², y = Y / Z³; Z = 0 is the point at infinity. */
interface Jacobian {
  X: bigint;
  Y: bigint;
  Z: bigint;
}

const INFINITY: Jacobian = { X: 1n, Y: 1n, Z: 0n };

/** Doubling with a = −3 (sm2p256v1: a = p − 3), "dbl-2001-b". */
function double(p: Jacobian): Jacobian {
  if (p.Z === 0n || p.Y === 0n) return INFINITY;
  const delta = mod(p.Z * p.Z);
  const gamma = mod(p.Y * p.Y);
  const beta = mod(p.X * gamma);
  const alpha = mod(3n * (p.X - delta) * (p.X + delta));
  const X = mod(alpha * alpha - 8n * beta);
  const Z = mod((p.Y + p.Z) * (p.Y + p.Z) - gamma - delta);
  const Y = mod(alpha * (4n * beta - X) - 8n * gamma * gamma);
  return { X, Y, Z };
}

/** Addition, "add-2007-bl". */
function addJ(p: Jacobian, q: Jacobian): Jacobian {
  if (p.Z === 0n) return q;
  if (q.Z === 0n) return p;
  const z1z1 = mod(p.Z * p.Z);
  const z2z2 = mod(q.Z * q.Z);
  const u1 = mod(p.X * z2z2);
  const u2 = mod(q.X * z1z1);
  const s1 = mod(p.Y * q.Z * z2z2);
  const s2 = mod(q.Y * p.Z * z1z1);
  if (u1 === u2) return s1 === s2 ? double(p) : INFINITY;
  const h = mod(u2 - u1);
  const i = mod(4n * h * h);
  const j = mod(h * i);
  const r = mod(2n * (s2 - s1));
  const v = mod(u1 * i);
  const X = mod(r * r - j - 2n * v);
  const Y = mod(r * (v - X) - 2n * s1 * j);
  const Z = mod(((p.Z + q.Z) * (p.Z + q.Z) - z1z1 - z2z2) * h);
  return { X, Y, Z };
}

function toAffine(p: Jacobian): MaybePoint {
  if (p.Z === 0n) return null;
  const zi = modInverse(p.Z, P);
  const zi2 = mod(zi * zi);
  return { x: mod(p.X * zi2), y: mod(p.Y * zi2 * zi) };
}

function jacobian(p: Point): Jacobian {
  return { X: p.x, Y: p.y, Z: 1n };
}

function add(p: MaybePoint, q: MaybePoint): MaybePoint {
  if (!p) return q;
  if (!q) return p;
  return toAffine(addJ(jacobian(p), jacobian(q)));
}

function multiply(k: bigint, p: Point): MaybePoint {
  let r = INFINITY;
  const a = jacobian(p);
  for (let i = BigInt(k.toString(2).length - 1); i >= 0n; i--) {
    r = double(r);
    if ((k >> i) & 1n) r = addJ(r, a);
  }
  return toAffine(r);
}

function onCurve(p: Point): boolean {
  return mod(p.y * p.y - (p.x * p.x * p.x + A * p.x + B)) === 0n;
}

/** Public key x ‖ y (64 bytes) of a private key d (32 bytes, 1 ≤ d ≤ n − 2, GB/T 32918.1 §6.1). */
export function sm2PublicKey(d: Bytes): Bytes {
  const dn = toBigInt(d);
  if (d.length !== 32 || dn < 1n || dn > SM2_N - 2n) throw new RangeError('an SM2 private key d is 32 bytes with 1 ≤ d ≤ n − 2');
  const q = multiply(dn, G);
  if (!q) throw new RangeError('invalid SM2 private key');
  return concat(fromBigInt(q.x, 32), fromBigInt(q.y, 32));
}

/** A fresh key pair: d (32 bytes) and the public key x ‖ y (64 bytes). */
export function generateSm2Key(): { d: Bytes; publicKey: Bytes } {
  for (;;) {
    const d = toBigInt(new Uint8Array(randomBytes(32)));
    if (d >= 1n && d < SM2_N - 1n) {
      const db = fromBigInt(d, 32);
      return { d: db, publicKey: sm2PublicKey(db) };
    }
  }
}

/** Z_A of a public key x ‖ y (GB/T 32918.2 §5.5). */
export function sm2Za(publicKey: Bytes, id: Bytes = DEFAULT_ID): Bytes {
  if (publicKey.length !== 64) throw new RangeError(`an SM2 public key is x ‖ y, 64 bytes, got ${publicKey.length}`);
  const entl = id.length * 8;
  return sm3(
    concat([entl >> 8, entl & 0xff], id, fromBigInt(A, 32), fromBigInt(B, 32), fromBigInt(G.x, 32), fromBigInt(G.y, 32), publicKey),
  );
}

/** e = SM3(Z_A ‖ M), the hash that is signed (GB/T 32918.2 §6.1 steps A1–A2), 32 bytes. */
export function sm2Digest(publicKey: Bytes, message: Bytes, id: Bytes = DEFAULT_ID): Bytes {
  return sm3(concat(sm2Za(publicKey, id), message));
}

function digest(publicKey: Bytes, message: Bytes, id: Bytes): bigint {
  return toBigInt(sm2Digest(publicKey, message, id));
}

/**
 * Signature r ‖ s (64 bytes) of `message` with the private key d. `k` fixes
 * the nonce (known-answer tests; the lab's deterministic signatures use
 * k = SM3(d ‖ e) mod (n − 1) + 1 when `deterministic` is set).
 */
export function sm2Sign(d: Bytes, message: Bytes, options: { id?: Bytes; k?: Bytes; deterministic?: boolean } = {}): Bytes {
  const dn = toBigInt(d);
  const pub = sm2PublicKey(d);
  const e = digest(pub, message, options.id ?? DEFAULT_ID);
  for (let attempt = 0; ; attempt++) {
    let k: bigint;
    if (options.k) k = toBigInt(options.k);
    else if (options.deterministic) k = (toBigInt(sm3(concat(d, fromBigInt(e, 32), [attempt]))) % (SM2_N - 1n)) + 1n;
    else k = (toBigInt(new Uint8Array(randomBytes(32))) % (SM2_N - 1n)) + 1n;
    if (k < 1n || k >= SM2_N) throw new RangeError('the SM2 nonce k must satisfy 1 ≤ k ≤ n − 1');
    const p1 = multiply(k, G)!;
    const r = mod(e + p1.x, SM2_N);
    const s = mod(modInverse(1n + dn, SM2_N) * (k - r * dn), SM2_N);
    if (r === 0n || r + k === SM2_N || s === 0n) {
      // GB/T 32918.2 §6.1 A5/A6: take another k — impossible when the caller fixed it
      if (options.k) throw new RangeError('the given k gives r = 0, r + k = n or s = 0');
      continue;
    }
    return concat(fromBigInt(r, 32), fromBigInt(s, 32));
  }
}

/** Verifies r ‖ s over `message` with the public key x ‖ y. */
export function sm2Verify(publicKey: Bytes, message: Bytes, signature: Bytes, options: { id?: Bytes } = {}): boolean {
  if (signature.length !== 64 || publicKey.length !== 64) return false;
  const r = toBigInt(signature.slice(0, 32));
  const s = toBigInt(signature.slice(32));
  if (r < 1n || r >= SM2_N || s < 1n || s >= SM2_N) return false;
  const pa = { x: toBigInt(publicKey.slice(0, 32)), y: toBigInt(publicKey.slice(32)) };
  if (!onCurve(pa)) return false;
  const t = mod(r + s, SM2_N);
  if (t === 0n) return false;
  const p1 = add(multiply(s, G), multiply(t, pa));
  if (!p1) return false;
  return mod(digest(publicKey, message, options.id ?? DEFAULT_ID) + p1.x, SM2_N) === r;
}
