/**
 * Offline data authentication: the shared pieces of the signed formats
 * (docs/pboc-design.md; EMV 4.3 Book 2 Annex A2.1 for RSA, the lab's SM2
 * layout described in pboc/oda.ts): key and error types, the algorithm
 * indicators, the numeric fields, and signing / recovering one signed
 * structure with RSA (6A ‖ body ‖ SHA-1 ‖ BC) or SM2 (body ‖ r ‖ s).
 */
import { type Bytes, concat, equal, toHex } from '../core/bytes.ts';
import { sha1 } from '../crypto/hash.ts';
import { type RsaPrivateKey, rsaPrivate, rsaPublic } from '../crypto/rsa.ts';
import { sm2PublicKey, sm2Sign, sm2Verify } from '../crypto/sm2.ts';

export type OdaSuite = 'rsa' | 'sm2';

export type PublicKey = { suite: 'rsa'; n: Bytes; e: Bytes } | { suite: 'sm2'; q: Bytes };
export type PrivateKey = ({ suite: 'rsa' } & RsaPrivateKey) | { suite: 'sm2'; d: Bytes };

/** What the card keeps of its ICC key: RSA CRT components and exponent, or the SM2 d. */
export type IccPrivateKey = { suite: 'rsa'; p: Bytes; q: Bytes; dp: Bytes; dq: Bytes; qinv: Bytes; e: Bytes } | { suite: 'sm2'; d: Bytes };

/**
 * The check that failed (EMV Book 2 §5.3, §5.4, §6.3–6.6 step order):
 * - `length`     the certificate / signature length is not the key's modulus length (step 1), or a length field is inconsistent
 * - `recovery`   the value is not below the modulus (no recovery possible)
 * - `trailer`    recovered data trailer is not BC (step 2)
 * - `header`     recovered data header is not 6A (step 3)
 * - `format`     certificate / signed data format is not the expected 02, 03, 04, 05 (12–15 for SM2) (step 4)
 * - `algorithm`  hash or public key algorithm indicator not recognised (step 6 "the indicated hash algorithm", step 11 / 10)
 * - `hash`       the hash result does not match (step 7)
 * - `signature`  the SM2 signature does not verify
 * - `issuer-id`  the issuer identifier is not the leftmost PAN digits (§5.3 / §6.3 step 8)
 * - `pan`        the PAN in the ICC certificate is not the application PAN (§6.4 step 8)
 * - `date`       the certificate expiration date is not a valid MMYY
 * - `expired`    the certificate expired before today (step 9)
 * - `remainder`  certificate part and remainder do not give a modulus of the stated length (step 12)
 * - `suite`      keys of different suites
 * Callers add their own (`missing`, `ca`, `cid`, …).
 */
export type OdaCheck =
  | 'length'
  | 'recovery'
  | 'trailer'
  | 'header'
  | 'format'
  | 'algorithm'
  | 'hash'
  | 'signature'
  | 'issuer-id'
  | 'pan'
  | 'date'
  | 'expired'
  | 'remainder'
  | 'suite';

export class OdaError extends Error {
  constructor(
    readonly check: OdaCheck | (string & {}),
    message: string,
  ) {
    super(message);
    this.name = 'OdaError';
  }
}

/** Hash algorithm indicator SHA-1, public key algorithm indicator RSA (values of EMV Book 2 Annex B). */
export const HASH_SHA1 = 0x01;
export const ALG_RSA = 0x01;
/** SM algorithm indicator of the lab's SM2 layout (SM3 hash, SM2 key) *(assumed)*. */
export const ALG_SM = 0x04;
export const SM2_KEY_LENGTH = 0x40;

export function publicOf(key: PrivateKey): PublicKey {
  return key.suite === 'rsa' ? { suite: 'rsa', n: key.n, e: key.e } : { suite: 'sm2', q: sm2PublicKey(key.d) };
}

/** Issuer identifier (4 bytes, cn 8): the leftmost 3–8 PAN digits, F-padded (Book 2 Table 6). */
export function issuerIdentifier(digits: string): Bytes {
  if (!/^[0-9]{3,8}$/.test(digits)) throw new RangeError(`an issuer identifier is 3 to 8 PAN digits, got "${digits}"`);
  return cn(digits, 4);
}

/** Application PAN as 10 bytes, F-padded (cn 20, Book 2 Table 11 / 14). */
export function panField(pan: string): Bytes {
  if (!/^[0-9]{1,19}$/.test(pan)) throw new RangeError(`a PAN is 1 to 19 digits, got "${pan}"`);
  return cn(pan, 10);
}

export function cn(digits: string, bytes: number): Bytes {
  return Uint8Array.from(
    digits
      .padEnd(bytes * 2, 'F')
      .match(/../g)!
      .map((b) => parseInt(b, 16)),
  );
}

/** Digits of a cn field without the F padding. */
export function cnDigits(field: Bytes): string {
  return toHex(field).replace(/F+$/, '');
}

export function bb(n: number): Bytes {
  return new Uint8Array(Math.max(0, n)).fill(0xbb);
}

export function hexByte(b: number | undefined): string {
  return toHex([b ?? 0]);
}

// ---------------------------------------------------------------- RSA: sign and recover

export function rsaSign(signer: { suite: 'rsa' } & RsaPrivateKey, body: Bytes, hashed: Bytes): Bytes {
  return rsaPrivate(signer, concat([0x6a], body, sha1(hashed), [0xbc]));
}

/**
 * Recovers 6A ‖ body ‖ hash ‖ BC (Book 2 A2.1) and runs steps 1–7: length,
 * trailer, header, format, hash algorithm indicator at `hashAlgAt` (index in
 * the body), hash over body ‖ `extra(body)`. Returns the body (format byte
 * first).
 */
export function rsaRecover(
  pub: { n: Bytes; e: Bytes },
  signed: Bytes,
  format: number,
  hashAlgAt: number,
  extra: (body: Bytes) => Bytes,
  what: string,
): Bytes {
  if (signed.length !== pub.n.length) throw new OdaError('length', `${what}: ${signed.length} bytes, the key's modulus ${pub.n.length}`);
  let m: Bytes;
  try {
    m = rsaPublic(pub, signed);
  } catch (e) {
    throw new OdaError('recovery', `${what}: ${(e as Error).message}`);
  }
  if (m[m.length - 1] !== 0xbc) throw new OdaError('trailer', `${what}: recovered data trailer ${hexByte(m[m.length - 1])}, not BC`);
  if (m[0] !== 0x6a) throw new OdaError('header', `${what}: recovered data header ${hexByte(m[0])}, not 6A`);
  if (m[1] !== format) throw new OdaError('format', `${what}: format ${hexByte(m[1])}, not ${hexByte(format)}`);
  const body = m.slice(1, m.length - 21);
  const hash = m.slice(m.length - 21, m.length - 1);
  if (body[hashAlgAt] !== HASH_SHA1)
    throw new OdaError('algorithm', `${what}: hash algorithm indicator ${hexByte(body[hashAlgAt])}, not 01 (SHA-1)`);
  if (!equal(sha1(concat(body, extra(body))), hash)) throw new OdaError('hash', `${what}: the hash result does not match`);
  return body;
}

// ---------------------------------------------------------------- SM2: sign and open

export function sm2Signed(signer: { d: Bytes }, body: Bytes, extra: Bytes): Bytes {
  return concat(body, sm2Sign(signer.d, concat(body, extra), { deterministic: true }));
}

/** Checks format, length (`bodyLength` of the body, or computed from it), algorithm indicators at `algAt`, then the signature. */
export function sm2Open(
  pub: Bytes,
  signed: Bytes,
  format: number,
  bodyLength: (signed: Bytes) => number,
  algAt: number[],
  extra: (body: Bytes) => Bytes,
  what: string,
): Bytes {
  if (signed.length < 1 || signed[0] !== format)
    throw new OdaError('format', `${what}: format ${hexByte(signed[0])}, not ${hexByte(format)}`);
  const expected = bodyLength(signed) + 64;
  if (signed.length !== expected) throw new OdaError('length', `${what}: ${signed.length} bytes, the layout gives ${expected}`);
  const body = signed.slice(0, signed.length - 64);
  for (const at of algAt)
    if (body[at] !== ALG_SM) throw new OdaError('algorithm', `${what}: algorithm indicator ${hexByte(body[at])}, not 04 (SM2/SM3)`);
  if (!sm2Verify(pub, concat(body, extra(body)), signed.slice(signed.length - 64)))
    throw new OdaError('signature', `${what}: the SM2 signature does not verify`);
  return body;
}

export function fromBcd(digits: string): Bytes {
  return Uint8Array.from(digits.match(/../g)!.map((b) => parseInt(b, 16)));
}
