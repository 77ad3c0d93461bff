/**
 * The node:crypto engine of SM2 (src/crypto/sm2.ts): the elliptic-curve
 * work of signing and verifying done by OpenSSL, the rest (Z_A, e, the
 * modular arithmetic of GB/T 32918.2 §6.1 and §7.1) by the caller.
 *
 * What node:crypto offers for SM2 and why it is used this way:
 * - `crypto.sign` / `crypto.verify` with an SM2 key do SM2 signatures, but
 *   Node has no way to set the distinguishing ID, and OpenSSL 3.0 then computes
 *   Z_A with an empty ID (ENTL = 0), not the lab's 1234567812345678; they
 *   cannot sign or verify a digest e given by the caller either. So they are
 *   not used.
 * - `crypto.createECDH('SM2')` multiplies the base point: setting a private
 *   key k gives k·G as the public key. That is the point multiplication of a
 *   signature (x1 of k·G, §6.1 A4) and of a public key (d·G).
 * - Verification needs x of s·G + t·P_A (§7.1 B5–B6). ECDH gives only x of
 *   t·P_A, so the check is handed to OpenSSL's ECDSA verification on the same
 *   curve, which computes x of u1·G' + u2·Q and compares it mod n with its r:
 *   with r' = (r − e) mod n, s' = r'/t, Q = P_A and the generator G' = λ·G,
 *   λ = s·r'/(h·t) (h the digest of a fixed message), that is u2 = t and
 *   u1·G' = s·G, so ECDSA accepts exactly when (e + x1) mod n = r. A key
 *   with G' ≠ G has explicit curve parameters, which OpenSSL treats as a
 *   plain EC key (a named SM2 key only takes SM2 signatures).
 * Whatever OpenSSL cannot do here (r' = 0, λ = 1, a refused key) returns
 * undefined and the caller uses the JavaScript engine.
 */
import { createECDH, createHash, createPublicKey, getCurves, verify } from 'node:crypto';
import { type Bytes, concat } from '../core/bytes.ts';
import { fromBigInt, modInverse, toBigInt } from './rsa.ts';
import { A, B, N, P, type Point } from './sm2-curve.ts';

/** True when this Node's OpenSSL knows the SM2 curve. */
export function nodeHasSm2Curve(): boolean {
  return getCurves().includes('SM2');
}

let ecdh: ReturnType<typeof createECDH> | undefined;

/** k·G for 1 ≤ k ≤ n − 1, by OpenSSL. */
export function nodeBaseMultiply(k: bigint): Point {
  ecdh ??= createECDH('SM2');
  ecdh.setPrivateKey(fromBigInt(k, 32));
  const q = ecdh.getPublicKey(); // 04 ‖ x ‖ y
  return { x: toBigInt(q.subarray(1, 33)), y: toBigInt(q.subarray(33, 65)) };
}

/** The fixed message of the ECDSA check and its digest h mod n. */
const FIXED = new Uint8Array(0);
const H = toBigInt(createHash('sha256').update(FIXED).digest()) % N;
const H_INVERSE = modInverse(H, N);

/** DER: tag, length, value. */
function tlv(tag: number, value: Bytes): Bytes {
  const n = value.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return concat([tag], length, value);
}

/** DER INTEGER of a non-negative number given as big-endian bytes. */
function integer(bytes: ArrayLike<number>): Bytes {
  return tlv(0x02, (bytes[0]! & 0x80) !== 0 ? concat([0], bytes) : Uint8Array.from(bytes));
}

const ID_EC_PUBLIC_KEY = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01); // 1.2.840.10045.2.1
const ID_PRIME_FIELD = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x01, 0x01); // 1.2.840.10045.1.1
const FIELD = tlv(0x30, concat(tlv(0x06, ID_PRIME_FIELD), integer(fromBigInt(P, 32))));
const CURVE = tlv(0x30, concat(tlv(0x04, fromBigInt(A, 32)), tlv(0x04, fromBigInt(B, 32))));
const ORDER_AND_COFACTOR = concat(integer(fromBigInt(N, 32)), integer([1]));

/**
 * SubjectPublicKeyInfo (RFC 5480) of the point `q` (04 ‖ x ‖ y) on the curve
 * with explicit parameters (SEC 1 §C.2, ECParameters) and generator `g` (04 ‖ x ‖ y).
 */
function spkiWithGenerator(g: Bytes, q: Bytes): Bytes {
  const parameters = tlv(0x30, concat(integer([1]), FIELD, CURVE, tlv(0x04, g), ORDER_AND_COFACTOR));
  const algorithm = tlv(0x30, concat(tlv(0x06, ID_EC_PUBLIC_KEY), parameters));
  return tlv(0x30, concat(algorithm, tlv(0x03, concat([0x00], q))));
}

/**
 * Whether (e + x(s·G + t·P_A)) mod n = r, t = (r + s) mod n, by OpenSSL; the
 * caller has checked 1 ≤ r, s ≤ n − 1, t ≠ 0 and that P_A (x ‖ y, 64 bytes)
 * is on the curve. Undefined when OpenSSL cannot decide it this way.
 */
export function nodeVerifies(publicKey: Bytes, e: bigint, r: bigint, s: bigint): boolean | undefined {
  const t = (r + s) % N;
  const r2 = (((r - e) % N) + N) % N;
  if (r2 === 0n || t === 0n) return undefined;
  const s2 = (r2 * modInverse(t, N)) % N;
  const lambda = (((s * s2) % N) * H_INVERSE) % N;
  if (lambda === 1n) return undefined; // G' = G: the named curve, an SM2 key
  try {
    ecdh ??= createECDH('SM2');
    ecdh.setPrivateKey(fromBigInt(lambda, 32));
    const key = createPublicKey({
      key: Buffer.from(spkiWithGenerator(ecdh.getPublicKey(), concat([0x04], publicKey))),
      format: 'der',
      type: 'spki',
    });
    if (key.asymmetricKeyType !== 'ec') return undefined;
    const signature = concat(fromBigInt(r2, 32), fromBigInt(s2, 32));
    return verify('sha256', FIXED, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return undefined;
  }
}
