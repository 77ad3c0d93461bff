/**
 * Offline data authentication structures (JR/T 0025 ≈ EMV 4.x Book 2).
 *
 * RSA with SHA-1, EMV Book 2:
 *   issuer PK certificate   format 02, §5.3 Table 6   (tags 90, 92, 9F32)
 *   signed static data      format 03, §5.4 Table 7   (tag 93)
 *   ICC PK certificate      format 04, §6.4 Table 14  (tags 9F46, 9F48, 9F47)
 *   signed dynamic data     format 05, §6.5 Table 17  (tag 9F4B; CDA §6.6 Table 19)
 * Recovered data are 6A ‖ format ‖ … ‖ hash ‖ BC.
 *
 * SM2 with SM3 (PBOC 3.0 style, formats 12–15). The standard text is not in
 * the lab's sources; the lab's layout (observed shape, marked as such in the
 * catalogue) is a plain signed structure: the same fields as the RSA format
 * with the SM2 public key x ‖ y (64 bytes) in full, followed by the SM2
 * signature r ‖ s (64 bytes) of the signer over everything before it (and
 * the static or terminal data where the RSA format hashes them). Z_A uses
 * the default ID 1234567812345678 (src/crypto/sm2.ts).
 */
import { type Bytes, concat, equal, toHex } from '../core/bytes.ts';
import { sha1, sm3 } from '../crypto/hash.ts';
import { type RsaPrivateKey, rsaKeyFromCrt, rsaPrivate, rsaPublic } from '../crypto/rsa.ts';
import { sm2PublicKey, sm2Sign, sm2Verify } from '../crypto/sm2.ts';

export type OdaSuite = 'rsa' | 'sm2';

export type PublicKey = { suite: 'rsa'; n: Bytes; e: Bytes } | { suite: 'sm2'; q: Bytes };
export type PrivateKey = ({ suite: 'rsa' } & RsaPrivateKey) | { suite: 'sm2'; d: Bytes };

/** What the card keeps of its ICC key: RSA CRT components and exponent, or the SM2 d. */
export type IccPrivateKey = { suite: 'rsa'; p: Bytes; q: Bytes; dp: Bytes; dq: Bytes; qinv: Bytes; e: Bytes } | { suite: 'sm2'; d: Bytes };

export class OdaError extends Error {
  constructor(
    readonly check: string,
    message: string,
  ) {
    super(message);
    this.name = 'OdaError';
  }
}

const HASH_SHA1 = 0x01;
const ALG_RSA = 0x01;
const ALG_SM = 0x04;

export function publicOf(key: PrivateKey): PublicKey {
  return key.suite === 'rsa' ? { suite: 'rsa', n: key.n, e: key.e } : { suite: 'sm2', q: sm2PublicKey(key.d) };
}

/** Issuer identifier (4 bytes): the leftmost 3–8 PAN digits, F-padded (Book 2 Table 6). */
export function issuerIdentifier(digits: string): Bytes {
  return Uint8Array.from(digits.padEnd(8, 'F').match(/../g)!.map((b) => parseInt(b, 16)));
}

/** PAN as 10 bytes, F-padded (Book 2 Table 14). */
export function panField(pan: string): Bytes {
  return Uint8Array.from(pan.padEnd(20, 'F').match(/../g)!.map((b) => parseInt(b, 16)));
}

function bcd(digits: string): Bytes {
  return Uint8Array.from(digits.match(/../g)!.map((b) => parseInt(b, 16)));
}

function bb(n: number): Bytes {
  return new Uint8Array(Math.max(0, n)).fill(0xbb);
}

export interface CertificateMeta {
  /** Issuer certificate: issuer identifier digits; ICC certificate: the PAN. */
  id: string;
  /** MMYY */
  expiry: string;
  /** 3 bytes, hex */
  serial: string;
}

export interface Certificate {
  cert: Bytes;
  remainder: Bytes;
  exponent: Bytes;
}

function rsaSign(signer: { suite: 'rsa' } & RsaPrivateKey, body: Bytes, hashed: Bytes): Bytes {
  return rsaPrivate(signer, concat([0x6a], body, sha1(hashed), [0xbc]));
}

/** Recovers 6A ‖ body ‖ hash ‖ BC and checks header, trailer, format and hash (over body ‖ `extra`). */
function rsaRecover(pub: { n: Bytes; e: Bytes }, cert: Bytes, format: number, extra: (body: Bytes) => Bytes, what: string): Bytes {
  if (cert.length !== pub.n.length) throw new OdaError('length', `${what}: ${cert.length} bytes, the key's modulus ${pub.n.length}`);
  let m: Bytes;
  try {
    m = rsaPublic(pub, cert);
  } catch (e) {
    throw new OdaError('recovery', `${what}: ${(e as Error).message}`);
  }
  if (m[0] !== 0x6a) throw new OdaError('header', `${what}: recovered data header ${toHex([m[0]!])}, not 6A`);
  if (m[m.length - 1] !== 0xbc) throw new OdaError('trailer', `${what}: recovered data trailer ${toHex([m[m.length - 1]!])}, not BC`);
  if (m[1] !== format) throw new OdaError('format', `${what}: format ${toHex([m[1]!])}, not ${toHex([format])}`);
  const body = m.slice(1, m.length - 21);
  const hash = m.slice(m.length - 21, m.length - 1);
  if (!equal(sha1(concat(body, extra(body))), hash)) throw new OdaError('hash', `${what}: the hash does not match`);
  return body;
}

function sm2Signed(signer: { d: Bytes }, body: Bytes, extra: Bytes): Bytes {
  return concat(body, sm2Sign(signer.d, concat(body, extra), { deterministic: true }));
}

function sm2Open(pub: Bytes, signed: Bytes, format: number, extra: (body: Bytes) => Bytes, what: string): Bytes {
  if (signed.length < 65) throw new OdaError('length', `${what}: ${signed.length} bytes, too short for a signature`);
  if (signed[0] !== format) throw new OdaError('format', `${what}: format ${toHex([signed[0]!])}, not ${toHex([format])}`);
  const body = signed.slice(0, signed.length - 64);
  if (!sm2Verify(pub, concat(body, extra(body)), signed.slice(signed.length - 64))) throw new OdaError('signature', `${what}: the SM2 signature does not verify`);
  return body;
}

// ---------------------------------------------------------------- certificates

/** Issuer public key certificate signed by the CA (format 02 / 12). */
export function issuerCertificate(ca: PrivateKey, issuer: PublicKey, meta: CertificateMeta): Certificate {
  const head = concat(issuerIdentifier(meta.id), bcd(meta.expiry), bcd(meta.serial));
  if (ca.suite === 'sm2' && issuer.suite === 'sm2') {
    return { cert: sm2Signed(ca, concat([0x12], head, [ALG_SM, ALG_SM, 0x40], issuer.q), new Uint8Array(0)), remainder: new Uint8Array(0), exponent: new Uint8Array(0) };
  }
  if (ca.suite !== 'rsa' || issuer.suite !== 'rsa') throw new OdaError('suite', 'the CA and the issuer keys are of different suites');
  const room = ca.n.length - 36;
  const part = issuer.n.slice(0, room);
  const remainder = issuer.n.length > room ? issuer.n.slice(room) : new Uint8Array(0);
  const body = concat([0x02], head, [HASH_SHA1, ALG_RSA, issuer.n.length, issuer.e.length], part, bb(room - part.length));
  return { cert: rsaSign(ca, body, concat(body, remainder, issuer.e)), remainder, exponent: issuer.e };
}

export interface RecoveredKey {
  key: PublicKey;
  /** Issuer identifier or PAN field, expiry MMYY, serial (hex). */
  id: Bytes;
  expiry: string;
  serial: string;
}

export function recoverIssuerKey(ca: PublicKey, c: Certificate): RecoveredKey {
  if (ca.suite === 'sm2') {
    const body = sm2Open(ca.q, c.cert, 0x12, () => new Uint8Array(0), 'issuer certificate');
    return { key: { suite: 'sm2', q: body.slice(13, 77) }, id: body.slice(1, 5), expiry: toHex(body.slice(5, 7)), serial: toHex(body.slice(7, 10)) };
  }
  const body = rsaRecover(ca, c.cert, 0x02, () => concat(c.remainder, c.exponent), 'issuer certificate');
  const nLen = body[12]!;
  const part = body.slice(14, 14 + Math.min(nLen, body.length - 14));
  const n = concat(part, c.remainder).slice(0, nLen);
  if (n.length !== nLen) throw new OdaError('remainder', `issuer certificate: the modulus has ${nLen} bytes, certificate and remainder give ${n.length}`);
  return { key: { suite: 'rsa', n, e: c.exponent }, id: body.slice(1, 5), expiry: toHex(body.slice(5, 7)), serial: toHex(body.slice(7, 10)) };
}

/** ICC public key certificate signed by the issuer over the static data (format 04 / 14). */
export function iccCertificate(issuer: PrivateKey, icc: PublicKey, meta: CertificateMeta, staticData: Bytes): Certificate {
  const head = concat(panField(meta.id), bcd(meta.expiry), bcd(meta.serial));
  if (issuer.suite === 'sm2' && icc.suite === 'sm2') {
    return { cert: sm2Signed(issuer, concat([0x14], head, [ALG_SM, ALG_SM, 0x40], icc.q), staticData), remainder: new Uint8Array(0), exponent: new Uint8Array(0) };
  }
  if (issuer.suite !== 'rsa' || icc.suite !== 'rsa') throw new OdaError('suite', 'the issuer and the ICC keys are of different suites');
  const room = issuer.n.length - 42;
  const part = icc.n.slice(0, room);
  const remainder = icc.n.length > room ? icc.n.slice(room) : new Uint8Array(0);
  const body = concat([0x04], head, [HASH_SHA1, ALG_RSA, icc.n.length, icc.e.length], part, bb(room - part.length));
  return { cert: rsaSign(issuer, body, concat(body, remainder, icc.e, staticData)), remainder, exponent: icc.e };
}

export function recoverIccKey(issuer: PublicKey, c: Certificate, staticData: Bytes): RecoveredKey {
  if (issuer.suite === 'sm2') {
    const body = sm2Open(issuer.q, c.cert, 0x14, () => staticData, 'ICC certificate');
    return { key: { suite: 'sm2', q: body.slice(19, 83) }, id: body.slice(1, 11), expiry: toHex(body.slice(11, 13)), serial: toHex(body.slice(13, 16)) };
  }
  const body = rsaRecover(issuer, c.cert, 0x04, () => concat(c.remainder, c.exponent, staticData), 'ICC certificate');
  const nLen = body[18]!;
  const n = concat(body.slice(20, 20 + Math.min(nLen, body.length - 20)), c.remainder).slice(0, nLen);
  if (n.length !== nLen) throw new OdaError('remainder', `ICC certificate: the modulus has ${nLen} bytes, certificate and remainder give ${n.length}`);
  return { key: { suite: 'rsa', n, e: c.exponent }, id: body.slice(1, 11), expiry: toHex(body.slice(11, 13)), serial: toHex(body.slice(13, 16)) };
}

// ---------------------------------------------------------------- static and dynamic data

/** Signed static application data (format 03 / 13) with the data authentication code `dac` (2 bytes). */
export function signStaticData(issuer: PrivateKey, staticData: Bytes, dac: Bytes): Bytes {
  if (issuer.suite === 'sm2') return sm2Signed(issuer, concat([0x13, ALG_SM], dac), staticData);
  const body = concat([0x03, HASH_SHA1], dac, bb(issuer.n.length - 26));
  return rsaSign(issuer, body, concat(body, staticData));
}

/** Verifies signed static data; returns the data authentication code. */
export function verifyStaticData(issuer: PublicKey, ssad: Bytes, staticData: Bytes): Bytes {
  if (issuer.suite === 'sm2') return sm2Open(issuer.q, ssad, 0x13, () => staticData, 'signed static data').slice(2, 4);
  return rsaRecover(issuer, ssad, 0x03, () => staticData, 'signed static data').slice(2, 4);
}

function iccSigner(key: IccPrivateKey): PrivateKey {
  if (key.suite === 'sm2') return key;
  return { suite: 'rsa', ...rsaKeyFromCrt(key) };
}

/** Signed dynamic application data (format 05 / 15) over the ICC dynamic data and the terminal dynamic data. */
export function signDynamicData(key: IccPrivateKey | PrivateKey, data: { iccDynamicData: Bytes; terminalDynamicData: Bytes }): Bytes {
  const signer = 'n' in key || key.suite === 'sm2' ? (key as PrivateKey) : iccSigner(key);
  const ldd = data.iccDynamicData.length;
  if (signer.suite === 'sm2') return sm2Signed(signer, concat([0x15, ALG_SM, ldd], data.iccDynamicData), data.terminalDynamicData);
  const body = concat([0x05, HASH_SHA1, ldd], data.iccDynamicData, bb(signer.n.length - ldd - 25));
  return rsaSign(signer, body, concat(body, data.terminalDynamicData));
}

/** Verifies signed dynamic data; returns the ICC dynamic data. */
export function recoverDynamicData(icc: PublicKey, sdad: Bytes, terminalDynamicData: Bytes): Bytes {
  const body = icc.suite === 'sm2' ? sm2Open(icc.q, sdad, 0x15, () => terminalDynamicData, 'signed dynamic data') : rsaRecover(icc, sdad, 0x05, () => terminalDynamicData, 'signed dynamic data');
  const ldd = body[2]!;
  return body.slice(3, 3 + ldd);
}

/** ICC dynamic data of CDA (Book 2 §6.6.1 Table 18): number length ‖ number ‖ CID ‖ AC ‖ transaction data hash. */
export function cdaDynamicData(d: { dynamicNumber: Bytes; cid: number; ac: Bytes; transactionDataHash: Bytes }): Bytes {
  return concat([d.dynamicNumber.length], d.dynamicNumber, [d.cid], d.ac, d.transactionDataHash);
}

export function parseCdaDynamicData(data: Bytes, hashLength: number): { dynamicNumber: Bytes; cid: number; ac: Bytes; transactionDataHash: Bytes } {
  const n = data[0]!;
  return { dynamicNumber: data.slice(1, 1 + n), cid: data[1 + n]!, ac: data.slice(2 + n, 10 + n), transactionDataHash: data.slice(10 + n, 10 + n + hashLength) };
}

/** Transaction data hash code of CDA: SHA-1 (DES/RSA suite) or SM3 (SM suite). */
export function transactionDataHash(alg: 'sha1' | 'sm3', data: Bytes): Bytes {
  return alg === 'sm3' ? sm3(data) : sha1(data);
}
