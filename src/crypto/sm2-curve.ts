/**
 * The SM2 recommended curve sm2p256v1 (GB/T 32918.5-2017 / GM/T 0003.5) and
 * its point arithmetic in JavaScript: BigInt, Jacobian coordinates (one
 * inversion per scalar multiplication), not constant-time — test keys only.
 * This is the JavaScript engine of src/crypto/sm2.ts and the reference the
 * node:crypto engine (sm2-node.ts) is checked against.
 *
 * The doubling formula relies on a = p − 3 of the recommended curve; the
 * curve is not a parameter (see sm2.ts on the published example).
 */
import { modInverse } from './rsa.ts';

export const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
export const A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
export const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
/** Order n of the base point. */
export const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

export interface Point {
  x: bigint;
  y: bigint;
}
/** A point, or null for the point at infinity. */
export type MaybePoint = Point | null;

/** The base point G. */
export const G: Point = {
  x: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  y: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
};

export const mod = (a: bigint, m = P): bigint => ((a % m) + m) % m;

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

/** p + q. */
export function add(p: MaybePoint, q: MaybePoint): MaybePoint {
  if (!p) return q;
  if (!q) return p;
  return toAffine(addJ(jacobian(p), jacobian(q)));
}

/** k·p, double-and-add from the most significant bit. */
export function multiply(k: bigint, p: Point): MaybePoint {
  let r = INFINITY;
  const a = jacobian(p);
  for (let i = BigInt(k.toString(2).length - 1); i >= 0n; i--) {
    r = double(r);
    if ((k >> i) & 1n) r = addJ(r, a);
  }
  return toAffine(r);
}

/** True when p satisfies y² = x³ + ax + b. */
export function onCurve(p: Point): boolean {
  return mod(p.y * p.y - (p.x * p.x * p.x + A * p.x + B)) === 0n;
}
