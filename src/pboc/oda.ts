/**
 * Offline data authentication structures (JR/T 0025 ≈ EMV 4.x Book 2; table
 * numbers as in EMV 4.3 / 4.4 Book 2).
 *
 * RSA with SHA-1, EMV Book 2 (recovered data 6A ‖ format ‖ … ‖ hash ‖ BC):
 *   issuer PK certificate   format 02  §5.3 Table 6 (§6.3 Table 13); signed Table 2 / 10   tags 90, 92, 9F32
 *   signed static data      format 03  §5.4 Table 7; signed Table 3                         tag 93 (DAC → 9F45)
 *   ICC PK certificate      format 04  §6.4 Table 14; signed Table 11                       tags 9F46, 9F48, 9F47
 *   signed dynamic data     format 05  §6.5.2 Table 17 (DDA), §6.6.2 Table 22 (CDA)         tag 9F4B
 *   CDA ICC dynamic data               §6.6.1 Table 19 (number length ‖ number ‖ CID ‖ AC ‖ transaction data hash code)
 *
 * Recovery follows the steps of §5.3 / §6.3 / §6.4 in their order: length,
 * recovery, trailer BC, header 6A, format, hash; then — when the caller gives
 * the PAN and today's date ({@link RecoveryOptions}) — issuer identifier or
 * PAN, certificate expiration date; then the public key algorithm indicator
 * and the modulus. A failure is an {@link OdaError} whose `check` names the
 * step. (Step 10, the CA revocation list, is the terminal's business.)
 *
 * SM2 with SM3 (PBOC 3.0 style, formats 12–15). The PBOC text defining these
 * layouts (JR/T 0025.17) is not in the lab's sources, so the layout below is
 * the LAB'S OWN, *assumed/observed*, not quoted from the standard: a plain
 * signed structure, the same fields as the RSA format with the SM2 public key
 * x ‖ y (64 bytes) in full, followed by the SM2 signature r ‖ s (64 bytes) of
 * the signer over everything before it, continued (like the RSA hash input)
 * by the static data or the terminal dynamic data. Algorithm indicator 04
 * (SM) for both the hash (SM3) and the key (SM2). Z_A with the default ID
 * 1234567812345678 (src/crypto/sm2.ts).
 *
 *   12  issuer cert  12 ‖ issuer id(4) ‖ MMYY(2) ‖ serial(3) ‖ 04 ‖ 04 ‖ 40 ‖ Q(64) ‖ sig        (141 bytes)
 *   13  SSAD         13 ‖ 04 ‖ DAC(2) ‖ sig(static data appended to the signed input)          (68 bytes)
 *   14  ICC cert     14 ‖ PAN(10) ‖ MMYY(2) ‖ serial(3) ‖ 04 ‖ 04 ‖ 40 ‖ Q(64) ‖ sig(+ static)  (147 bytes)
 *   15  SDAD         15 ‖ 04 ‖ L ‖ ICC dynamic data(L) ‖ sig(+ terminal dynamic data)
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
const HASH_SHA1 = 0x01;
const ALG_RSA = 0x01;
/** SM algorithm indicator of the lab's SM2 layout (SM3 hash, SM2 key) *(assumed)*. */
const ALG_SM = 0x04;
const SM2_KEY_LENGTH = 0x40;

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

function cn(digits: string, bytes: number): Bytes {
  return Uint8Array.from(digits.padEnd(bytes * 2, 'F').match(/../g)!.map((b) => parseInt(b, 16)));
}

/** Digits of a cn field without the F padding. */
function cnDigits(field: Bytes): string {
  return toHex(field).replace(/F+$/, '');
}

function bb(n: number): Bytes {
  return new Uint8Array(Math.max(0, n)).fill(0xbb);
}

function hexByte(b: number | undefined): string {
  return toHex([b ?? 0]);
}

/**
 * A certificate expiration date MMYY as [year, month], or undefined when the
 * field is not a valid date (n 4, month 01–12). YY 00–49 is 20YY, 50–99 is
 * 19YY (the EMV convention for two-digit years, Book 4 date management).
 */
export function parseExpiry(mmyy: string): [number, number] | undefined {
  if (!/^[0-9]{4}$/.test(mmyy)) return undefined;
  const month = Number(mmyy.slice(0, 2));
  const yy = Number(mmyy.slice(2));
  if (month < 1 || month > 12) return undefined;
  return [yy < 50 ? 2000 + yy : 1900 + yy, month];
}

function checkMeta(meta: CertificateMeta): void {
  if (!parseExpiry(meta.expiry)) throw new RangeError(`a certificate expiration date is MMYY, got "${meta.expiry}"`);
  if (!/^[0-9A-Fa-f]{6}$/.test(meta.serial)) throw new RangeError(`a certificate serial number is 3 bytes (6 hex digits), got "${meta.serial}"`);
}

export interface CertificateMeta {
  /** Issuer certificate: the issuer identifier digits (leftmost 3–8 PAN digits); ICC certificate: the PAN. */
  id: string;
  /** Certificate expiration date MMYY */
  expiry: string;
  /** Certificate serial number, 3 bytes as 6 hex digits */
  serial: string;
}

export interface Certificate {
  /** Tag 90 (issuer) or 9F46 (ICC). */
  cert: Bytes;
  /** Tag 92 or 9F48; empty when the modulus fits (and for SM2). */
  remainder: Bytes;
  /** Tag 9F32 or 9F47; empty for SM2. */
  exponent: Bytes;
}

/** The terminal's view at recovery: with these, the PAN and expiry steps are performed. */
export interface RecoveryOptions {
  /** The application PAN (tag 5A) read from the card: issuer identifier (§6.3 step 8) / PAN (§6.4 step 8). */
  pan?: string;
  /** Today: the certificate must not have expired (step 9; the last day of the expiry month counts). */
  today?: Date;
}

export interface RecoveredKey {
  key: PublicKey;
  /** Issuer identifier (4 bytes) or PAN field (10 bytes), F-padded. */
  id: Bytes;
  /** MMYY */
  expiry: string;
  /** hex */
  serial: string;
}

// ---------------------------------------------------------------- RSA: sign and recover

function rsaSign(signer: { suite: 'rsa' } & RsaPrivateKey, body: Bytes, hashed: Bytes): Bytes {
  return rsaPrivate(signer, concat([0x6a], body, sha1(hashed), [0xbc]));
}

/**
 * Recovers 6A ‖ body ‖ hash ‖ BC (Book 2 A2.1) and runs steps 1–7: length,
 * trailer, header, format, hash algorithm indicator at `hashAlgAt` (index in
 * the body), hash over body ‖ `extra(body)`. Returns the body (format byte
 * first).
 */
function rsaRecover(pub: { n: Bytes; e: Bytes }, signed: Bytes, format: number, hashAlgAt: number, extra: (body: Bytes) => Bytes, what: string): Bytes {
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
  if (body[hashAlgAt] !== HASH_SHA1) throw new OdaError('algorithm', `${what}: hash algorithm indicator ${hexByte(body[hashAlgAt])}, not 01 (SHA-1)`);
  if (!equal(sha1(concat(body, extra(body))), hash)) throw new OdaError('hash', `${what}: the hash result does not match`);
  return body;
}

// ---------------------------------------------------------------- SM2: sign and open

function sm2Signed(signer: { d: Bytes }, body: Bytes, extra: Bytes): Bytes {
  return concat(body, sm2Sign(signer.d, concat(body, extra), { deterministic: true }));
}

/** Checks format, length (`bodyLength` of the body, or computed from it), algorithm indicators at `algAt`, then the signature. */
function sm2Open(pub: Bytes, signed: Bytes, format: number, bodyLength: (signed: Bytes) => number, algAt: number[], extra: (body: Bytes) => Bytes, what: string): Bytes {
  if (signed.length < 1 || signed[0] !== format) throw new OdaError('format', `${what}: format ${hexByte(signed[0])}, not ${hexByte(format)}`);
  const expected = bodyLength(signed) + 64;
  if (signed.length !== expected) throw new OdaError('length', `${what}: ${signed.length} bytes, the layout gives ${expected}`);
  const body = signed.slice(0, signed.length - 64);
  for (const at of algAt) if (body[at] !== ALG_SM) throw new OdaError('algorithm', `${what}: algorithm indicator ${hexByte(body[at])}, not 04 (SM2/SM3)`);
  if (!sm2Verify(pub, concat(body, extra(body)), signed.slice(signed.length - 64))) throw new OdaError('signature', `${what}: the SM2 signature does not verify`);
  return body;
}

// ---------------------------------------------------------------- checks after the signature

function checkIssuerId(id: Bytes, options: RecoveryOptions, what: string): void {
  if (options.pan === undefined) return;
  const digits = cnDigits(id);
  if (!/^[0-9]{3,8}$/.test(digits) || !options.pan.startsWith(digits)) throw new OdaError('issuer-id', `${what}: issuer identifier ${toHex(id)} is not the leftmost digits of the PAN ${options.pan}`);
}

function checkPan(id: Bytes, options: RecoveryOptions, what: string): void {
  if (options.pan === undefined) return;
  if (!/^[0-9]{1,19}$/.test(options.pan) || !equal(id, panField(options.pan))) throw new OdaError('pan', `${what}: certificate PAN ${toHex(id)} is not the application PAN ${options.pan}`);
}

function checkExpiry(expiry: string, options: RecoveryOptions, what: string): void {
  if (!options.today) return;
  const date = parseExpiry(expiry);
  if (!date) throw new OdaError('date', `${what}: certificate expiration date ${expiry} is not a valid MMYY`);
  const [year, month] = date;
  const nowYear = options.today.getUTCFullYear();
  const nowMonth = options.today.getUTCMonth() + 1;
  if (year < nowYear || (year === nowYear && month < nowMonth)) throw new OdaError('expired', `${what}: the certificate expired at the end of ${expiry}`);
}

// ---------------------------------------------------------------- certificates

/** Issuer public key certificate signed by the CA (format 02: Book 2 Table 2 signed, Table 6 recovered; format 12 for SM2). */
export function issuerCertificate(ca: PrivateKey, issuer: PublicKey, meta: CertificateMeta): Certificate {
  checkMeta(meta);
  const head = concat(issuerIdentifier(meta.id), fromBcd(meta.expiry), fromBcd(meta.serial));
  if (ca.suite === 'sm2' && issuer.suite === 'sm2') {
    return { cert: sm2Signed(ca, concat([0x12], head, [ALG_SM, ALG_SM, SM2_KEY_LENGTH], issuer.q), new Uint8Array(0)), remainder: new Uint8Array(0), exponent: new Uint8Array(0) };
  }
  if (ca.suite !== 'rsa' || issuer.suite !== 'rsa') throw new OdaError('suite', 'the CA and the issuer keys are of different suites');
  const room = ca.n.length - 36;
  if (room < 1 || issuer.n.length > 255) throw new RangeError(`an issuer key of ${issuer.n.length} bytes does not fit a certificate of a ${ca.n.length}-byte CA key`);
  const part = issuer.n.slice(0, room);
  const remainder = issuer.n.length > room ? issuer.n.slice(room) : new Uint8Array(0);
  const body = concat([0x02], head, [HASH_SHA1, ALG_RSA, issuer.n.length, issuer.e.length], part, bb(room - part.length));
  return { cert: rsaSign(ca, body, concat(body, remainder, issuer.e)), remainder, exponent: issuer.e };
}

/**
 * Retrieval of the issuer public key (Book 2 §5.3 / §6.3). With `options.pan`
 * the issuer identifier is checked against the PAN (step 8), with
 * `options.today` the expiration date (step 9).
 */
export function recoverIssuerKey(ca: PublicKey, c: Certificate, options: RecoveryOptions = {}): RecoveredKey {
  const what = 'issuer certificate';
  if (ca.suite === 'sm2') {
    const body = sm2Open(ca.q, c.cert, 0x12, () => 77, [10, 11], () => new Uint8Array(0), what);
    if (body[12] !== SM2_KEY_LENGTH) throw new OdaError('length', `${what}: public key length ${hexByte(body[12])}, not 40`);
    const rec: RecoveredKey = { key: { suite: 'sm2', q: body.slice(13, 77) }, id: body.slice(1, 5), expiry: toHex(body.slice(5, 7)), serial: toHex(body.slice(7, 10)) };
    checkIssuerId(rec.id, options, what);
    checkExpiry(rec.expiry, options, what);
    return rec;
  }
  const body = rsaRecover(ca, c.cert, 0x02, 10, () => concat(c.remainder, c.exponent), what);
  const id = body.slice(1, 5);
  const expiry = toHex(body.slice(5, 7));
  checkIssuerId(id, options, what);
  checkExpiry(expiry, options, what);
  if (body[11] !== ALG_RSA) throw new OdaError('algorithm', `${what}: issuer public key algorithm indicator ${hexByte(body[11])}, not 01 (RSA)`);
  const n = assembleModulus(body, 12, 14, c, what);
  if (c.exponent.length !== body[13]) throw new OdaError('length', `${what}: the exponent has ${c.exponent.length} bytes, the certificate says ${body[13]}`);
  return { key: { suite: 'rsa', n, e: c.exponent }, id, expiry, serial: toHex(body.slice(7, 10)) };
}

/** Leftmost digits of the modulus ‖ remainder, `body[lengthAt]` bytes (step 12 / 11). */
function assembleModulus(body: Bytes, lengthAt: number, keyAt: number, c: Certificate, what: string): Bytes {
  const nLen = body[lengthAt]!;
  const part = body.slice(keyAt, keyAt + Math.min(nLen, body.length - keyAt));
  const n = concat(part, c.remainder);
  if (n.length !== nLen) throw new OdaError('remainder', `${what}: the modulus has ${nLen} bytes, certificate and remainder give ${n.length}`);
  return n;
}

/** ICC public key certificate signed by the issuer over the static data to be authenticated (format 04: Table 11 signed, Table 14 recovered; 14 for SM2). */
export function iccCertificate(issuer: PrivateKey, icc: PublicKey, meta: CertificateMeta, staticData: Bytes): Certificate {
  checkMeta(meta);
  const head = concat(panField(meta.id), fromBcd(meta.expiry), fromBcd(meta.serial));
  if (issuer.suite === 'sm2' && icc.suite === 'sm2') {
    return { cert: sm2Signed(issuer, concat([0x14], head, [ALG_SM, ALG_SM, SM2_KEY_LENGTH], icc.q), staticData), remainder: new Uint8Array(0), exponent: new Uint8Array(0) };
  }
  if (issuer.suite !== 'rsa' || icc.suite !== 'rsa') throw new OdaError('suite', 'the issuer and the ICC keys are of different suites');
  const room = issuer.n.length - 42;
  if (room < 1 || icc.n.length > 255) throw new RangeError(`an ICC key of ${icc.n.length} bytes does not fit a certificate of a ${issuer.n.length}-byte issuer key`);
  const part = icc.n.slice(0, room);
  const remainder = icc.n.length > room ? icc.n.slice(room) : new Uint8Array(0);
  const body = concat([0x04], head, [HASH_SHA1, ALG_RSA, icc.n.length, icc.e.length], part, bb(room - part.length));
  return { cert: rsaSign(issuer, body, concat(body, remainder, icc.e, staticData)), remainder, exponent: icc.e };
}

/**
 * Retrieval of the ICC public key (Book 2 §6.4); the hash covers the static
 * data to be authenticated. With `options.pan` the certificate PAN is checked
 * (step 8), with `options.today` the expiration date (step 9).
 */
export function recoverIccKey(issuer: PublicKey, c: Certificate, staticData: Bytes, options: RecoveryOptions = {}): RecoveredKey {
  const what = 'ICC certificate';
  if (issuer.suite === 'sm2') {
    const body = sm2Open(issuer.q, c.cert, 0x14, () => 83, [16, 17], () => staticData, what);
    if (body[18] !== SM2_KEY_LENGTH) throw new OdaError('length', `${what}: public key length ${hexByte(body[18])}, not 40`);
    const rec: RecoveredKey = { key: { suite: 'sm2', q: body.slice(19, 83) }, id: body.slice(1, 11), expiry: toHex(body.slice(11, 13)), serial: toHex(body.slice(13, 16)) };
    checkPan(rec.id, options, what);
    checkExpiry(rec.expiry, options, what);
    return rec;
  }
  const body = rsaRecover(issuer, c.cert, 0x04, 16, () => concat(c.remainder, c.exponent, staticData), what);
  const id = body.slice(1, 11);
  const expiry = toHex(body.slice(11, 13));
  checkPan(id, options, what);
  checkExpiry(expiry, options, what);
  if (body[17] !== ALG_RSA) throw new OdaError('algorithm', `${what}: ICC public key algorithm indicator ${hexByte(body[17])}, not 01 (RSA)`);
  const n = assembleModulus(body, 18, 20, c, what);
  if (c.exponent.length !== body[19]) throw new OdaError('length', `${what}: the exponent has ${c.exponent.length} bytes, the certificate says ${body[19]}`);
  return { key: { suite: 'rsa', n, e: c.exponent }, id, expiry, serial: toHex(body.slice(13, 16)) };
}

function fromBcd(digits: string): Bytes {
  return Uint8Array.from(digits.match(/../g)!.map((b) => parseInt(b, 16)));
}

// ---------------------------------------------------------------- static and dynamic data

/** Signed static application data, tag 93 (format 03: Table 3 signed, Table 7 recovered; 13 for SM2), with the data authentication code `dac` (2 bytes, 9F45). */
export function signStaticData(issuer: PrivateKey, staticData: Bytes, dac: Bytes): Bytes {
  if (dac.length !== 2) throw new RangeError(`the data authentication code has 2 bytes, got ${dac.length}`);
  if (issuer.suite === 'sm2') return sm2Signed(issuer, concat([0x13, ALG_SM], dac), staticData);
  if (issuer.n.length < 26) throw new RangeError('the issuer key is too short for signed static data');
  const body = concat([0x03, HASH_SHA1], dac, bb(issuer.n.length - 26));
  return rsaSign(issuer, body, concat(body, staticData));
}

/** Verification of signed static application data (Book 2 §5.4); returns the data authentication code (9F45). */
export function verifyStaticData(issuer: PublicKey, ssad: Bytes, staticData: Bytes): Bytes {
  if (issuer.suite === 'sm2') return sm2Open(issuer.q, ssad, 0x13, () => 4, [1], () => staticData, 'signed static data').slice(2, 4);
  return rsaRecover(issuer, ssad, 0x03, 1, () => staticData, 'signed static data').slice(2, 4);
}

function iccSigner(key: IccPrivateKey): PrivateKey {
  if (key.suite === 'sm2') return key;
  return { suite: 'rsa', ...rsaKeyFromCrt(key) };
}

/**
 * Signed dynamic application data, tag 9F4B (format 05: Table 15 / 18 signed,
 * Table 17 / 22 recovered; 15 for SM2) over the ICC dynamic data and the
 * terminal dynamic data (DDOL data for DDA, the unpredictable number for CDA).
 */
export function signDynamicData(key: IccPrivateKey | PrivateKey, data: { iccDynamicData: Bytes; terminalDynamicData: Bytes }): Bytes {
  const signer = 'n' in key || key.suite === 'sm2' ? (key as PrivateKey) : iccSigner(key);
  const ldd = data.iccDynamicData.length;
  if (signer.suite === 'sm2') {
    if (ldd > 255) throw new RangeError(`ICC dynamic data of ${ldd} bytes`);
    return sm2Signed(signer, concat([0x15, ALG_SM, ldd], data.iccDynamicData), data.terminalDynamicData);
  }
  if (ldd > signer.n.length - 25) throw new RangeError(`ICC dynamic data of ${ldd} bytes do not fit a ${signer.n.length}-byte key (at most N_IC − 25)`);
  const body = concat([0x05, HASH_SHA1, ldd], data.iccDynamicData, bb(signer.n.length - ldd - 25));
  return rsaSign(signer, body, concat(body, data.terminalDynamicData));
}

/** Verification of signed dynamic data (Book 2 §6.5.2 / §6.6.2 up to the hash); returns the ICC dynamic data. */
export function recoverDynamicData(icc: PublicKey, sdad: Bytes, terminalDynamicData: Bytes): Bytes {
  const what = 'signed dynamic data';
  const body =
    icc.suite === 'sm2'
      ? sm2Open(icc.q, sdad, 0x15, (s) => 3 + (s[2] ?? 0), [1], () => terminalDynamicData, what)
      : rsaRecover(icc, sdad, 0x05, 1, () => terminalDynamicData, what);
  const ldd = body[2]!;
  if (3 + ldd > body.length) throw new OdaError('length', `${what}: ICC dynamic data length ${ldd} exceeds the recovered data`);
  return body.slice(3, 3 + ldd);
}

export interface CdaDynamicData {
  /** ICC dynamic number, 2–8 bytes (9F4C) */
  dynamicNumber: Bytes;
  /** Cryptogram information data (9F27) */
  cid: number;
  /** TC or ARQC (9F26), 8 bytes */
  ac: Bytes;
  /** SHA-1 (20 bytes) or SM3 (32 bytes) of the transaction data */
  transactionDataHash: Bytes;
}

/** ICC dynamic data of CDA (Book 2 §6.6.1 Table 19): number length ‖ number ‖ CID ‖ AC ‖ transaction data hash code. */
export function cdaDynamicData(d: CdaDynamicData): Bytes {
  if (d.dynamicNumber.length < 2 || d.dynamicNumber.length > 8) throw new RangeError(`the ICC dynamic number has 2 to 8 bytes, got ${d.dynamicNumber.length}`);
  if (d.ac.length !== 8) throw new RangeError(`the application cryptogram has 8 bytes, got ${d.ac.length}`);
  return concat([d.dynamicNumber.length], d.dynamicNumber, [d.cid], d.ac, d.transactionDataHash);
}

/** Parses the leading bytes of CDA ICC dynamic data (Table 19); `hashLength` 20 (SHA-1) or 32 (SM3). */
export function parseCdaDynamicData(data: Bytes, hashLength: number): CdaDynamicData {
  const n = data[0] ?? 0;
  if (n < 2 || n > 8) throw new OdaError('format', `CDA ICC dynamic data: ICC dynamic number length ${n}, not 2 to 8`);
  if (data.length < 10 + n + hashLength) throw new OdaError('length', `CDA ICC dynamic data: ${data.length} bytes, at least ${10 + n + hashLength} needed`);
  return { dynamicNumber: data.slice(1, 1 + n), cid: data[1 + n]!, ac: data.slice(2 + n, 10 + n), transactionDataHash: data.slice(10 + n, 10 + n + hashLength) };
}

/** Transaction data hash code of CDA (Book 2 §6.6.1): SHA-1 (DES/RSA suite) or SM3 (SM suite). */
export function transactionDataHash(alg: 'sha1' | 'sm3', data: Bytes): Bytes {
  return alg === 'sm3' ? sm3(data) : sha1(data);
}
