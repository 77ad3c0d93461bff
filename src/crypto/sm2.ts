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
 * Two engines do the elliptic-curve work: node:crypto (OpenSSL, see
 * sm2-node.ts for what it can and cannot do for SM2) when this Node's OpenSSL
 * has the curve and reproduces the published example, else JavaScript
 * (sm2-curve.ts, BigInt, not constant-time — test keys only). Both give the
 * same public keys and, for the same k, the same signatures; sm2.test.ts
 * checks one against the other. `engine` picks one explicitly.
 */
import { randomBytes } from 'node:crypto';
import { type Bytes, concat, toHex } from '../core/bytes.ts';
import { sm3 } from './hash.ts';
import { fromBigInt, modInverse, toBigInt } from './rsa.ts';
import { A, B, G, N, type Point, add, mod, multiply, onCurve } from './sm2-curve.ts';
import { nodeBaseMultiply, nodeHasSm2Curve, nodeVerifies } from './sm2-node.ts';

export const SM2_N = N;

export const DEFAULT_ID = new TextEncoder().encode('1234567812345678');

/** Who does the point multiplications: OpenSSL through node:crypto, or the JavaScript of sm2-curve.ts. */
export type Sm2Engine = 'node:crypto' | 'javascript';

export interface Sm2EngineOption {
  /** Default: {@link sm2Engine}(). */
  engine?: Sm2Engine;
}

// The published example of GM/T 0003.5 (see sm2.test.ts), the check an engine passes before it is used.
const EXAMPLE = {
  d: 0x3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8n,
  q: {
    x: 0x09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020n,
    y: 0xccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13n,
  },
  e: 0xf0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640n,
  k: 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n,
  r: 0xf5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3n,
  s: 0xb1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aan,
};

let defaultEngine: Sm2Engine | undefined;

/** Sets the engine used when a call names none (`undefined`: back to the choice of {@link sm2Engine}); for comparisons. */
export function useSm2Engine(engine: Sm2Engine | undefined): void {
  defaultEngine = engine;
}

/**
 * The engine used when a call names none: node:crypto when this Node's OpenSSL
 * knows the SM2 curve and reproduces the published example (d·G, x1 of k·G,
 * the example signature verifies and a changed one does not), else JavaScript.
 */
export function sm2Engine(): Sm2Engine {
  if (defaultEngine) return defaultEngine;
  defaultEngine = 'javascript';
  try {
    if (nodeHasSm2Curve()) {
      const q = nodeBaseMultiply(EXAMPLE.d);
      const x1 = nodeBaseMultiply(EXAMPLE.k).x;
      const pub = concat(fromBigInt(q.x, 32), fromBigInt(q.y, 32));
      if (
        q.x === EXAMPLE.q.x &&
        q.y === EXAMPLE.q.y &&
        mod(EXAMPLE.e + x1, N) === EXAMPLE.r &&
        nodeVerifies(pub, EXAMPLE.e, EXAMPLE.r, EXAMPLE.s) === true &&
        nodeVerifies(pub, EXAMPLE.e + 1n, EXAMPLE.r, EXAMPLE.s) === false
      ) {
        defaultEngine = 'node:crypto';
      }
    }
  } catch {
    // node:crypto without a usable SM2 curve: JavaScript it is.
  }
  return defaultEngine;
}

/** k·G, 1 ≤ k ≤ n − 1. */
function baseMultiply(k: bigint, engine: Sm2Engine): Point {
  if (engine === 'node:crypto') return nodeBaseMultiply(k);
  const q = multiply(k, G);
  if (!q) throw new RangeError('k·G is the point at infinity'); // impossible for 1 ≤ k ≤ n − 1
  return q;
}

/** Public keys of the private keys signed with lately, by engine and d (a card signs with one key all along). */
const publicKeys = new Map<string, Bytes>();

/** Public key x ‖ y (64 bytes) of a private key d (32 bytes, 1 ≤ d ≤ n − 2, GB/T 32918.1 §6.1). */
export function sm2PublicKey(d: Bytes, options: Sm2EngineOption = {}): Bytes {
  const dn = toBigInt(d);
  if (d.length !== 32 || dn < 1n || dn > N - 2n) throw new RangeError('an SM2 private key d is 32 bytes with 1 ≤ d ≤ n − 2');
  const engine = options.engine ?? sm2Engine();
  const cacheKey = `${engine}:${toHex(d)}`;
  const known = publicKeys.get(cacheKey);
  if (known) return known.slice();
  const q = baseMultiply(dn, engine);
  const pub = concat(fromBigInt(q.x, 32), fromBigInt(q.y, 32));
  if (publicKeys.size >= 64) publicKeys.clear();
  publicKeys.set(cacheKey, pub.slice());
  return pub;
}

/** A fresh key pair: d (32 bytes) and the public key x ‖ y (64 bytes). */
export function generateSm2Key(options: Sm2EngineOption = {}): { d: Bytes; publicKey: Bytes } {
  for (;;) {
    const d = toBigInt(new Uint8Array(randomBytes(32)));
    if (d >= 1n && d < N - 1n) {
      const db = fromBigInt(d, 32);
      return { d: db, publicKey: sm2PublicKey(db, options) };
    }
  }
}

/** a ‖ b ‖ x_G ‖ y_G, the curve's part of every Z_A. */
const CURVE_BYTES = concat(fromBigInt(A, 32), fromBigInt(B, 32), fromBigInt(G.x, 32), fromBigInt(G.y, 32));

/** Z_A of a public key x ‖ y (GB/T 32918.2 §5.5). */
export function sm2Za(publicKey: Bytes, id: Bytes = DEFAULT_ID): Bytes {
  if (publicKey.length !== 64) throw new RangeError(`an SM2 public key is x ‖ y, 64 bytes, got ${publicKey.length}`);
  const entl = id.length * 8;
  return sm3(concat([entl >> 8, entl & 0xff], id, CURVE_BYTES, publicKey));
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
export function sm2Sign(
  d: Bytes,
  message: Bytes,
  options: { id?: Bytes; k?: Bytes; deterministic?: boolean } & Sm2EngineOption = {},
): Bytes {
  const engine = options.engine ?? sm2Engine();
  const dn = toBigInt(d);
  const pub = sm2PublicKey(d, { engine });
  const e = digest(pub, message, options.id ?? DEFAULT_ID);
  for (let attempt = 0; ; attempt++) {
    let k: bigint;
    if (options.k) k = toBigInt(options.k);
    else if (options.deterministic) k = (toBigInt(sm3(concat(d, fromBigInt(e, 32), [attempt]))) % (N - 1n)) + 1n;
    else k = (toBigInt(new Uint8Array(randomBytes(32))) % (N - 1n)) + 1n;
    if (k < 1n || k >= N) throw new RangeError('the SM2 nonce k must satisfy 1 ≤ k ≤ n − 1');
    const p1 = baseMultiply(k, engine);
    const r = mod(e + p1.x, N);
    const s = mod(modInverse(1n + dn, N) * (k - r * dn), N);
    if (r === 0n || r + k === N || s === 0n) {
      // GB/T 32918.2 §6.1 A5/A6: take another k — impossible when the caller fixed it
      if (options.k) throw new RangeError('the given k gives r = 0, r + k = n or s = 0');
      continue;
    }
    return concat(fromBigInt(r, 32), fromBigInt(s, 32));
  }
}

/** Verifies r ‖ s over `message` with the public key x ‖ y. */
export function sm2Verify(publicKey: Bytes, message: Bytes, signature: Bytes, options: { id?: Bytes } & Sm2EngineOption = {}): boolean {
  if (signature.length !== 64 || publicKey.length !== 64) return false;
  const r = toBigInt(signature.slice(0, 32));
  const s = toBigInt(signature.slice(32));
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const pa = { x: toBigInt(publicKey.slice(0, 32)), y: toBigInt(publicKey.slice(32)) };
  if (!onCurve(pa)) return false;
  const t = mod(r + s, N);
  if (t === 0n) return false;
  const e = digest(publicKey, message, options.id ?? DEFAULT_ID);
  const engine = options.engine ?? sm2Engine();
  // e covers the key, the ID and the message: the same e, key and signature is the same verification.
  const memoKey = `${engine}:${toHex(publicKey)}:${toHex(signature)}:${e.toString(16)}`;
  const known = verdicts.get(memoKey);
  if (known !== undefined) return known;
  let verdict = engine === 'node:crypto' ? nodeVerifies(publicKey, e, r, s) : undefined;
  if (verdict === undefined) {
    const p1 = add(multiply(s, G), multiply(t, pa));
    verdict = p1 !== null && mod(e + p1.x, N) === r;
  }
  if (verdicts.size >= 256) verdicts.clear();
  verdicts.set(memoKey, verdict);
  return verdict;
}

/**
 * Verdicts of recent verifications: a terminal checks the same issuer and ICC
 * certificates at every transaction with a card. A verdict depends only on
 * its inputs, so a repeated verification gives the remembered one.
 */
const verdicts = new Map<string, boolean>();
