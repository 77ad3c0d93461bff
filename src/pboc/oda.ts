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
import {
  ALG_RSA,
  ALG_SM,
  bb,
  cnDigits,
  fromBcd,
  HASH_SHA1,
  hexByte,
  issuerIdentifier,
  OdaError,
  panField,
  type PrivateKey,
  type PublicKey,
  rsaRecover,
  rsaSign,
  SM2_KEY_LENGTH,
  sm2Open,
  sm2Signed,
} from './oda-format.ts';

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
  if (!/^[0-9A-Fa-f]{6}$/.test(meta.serial))
    throw new RangeError(`a certificate serial number is 3 bytes (6 hex digits), got "${meta.serial}"`);
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

// ---------------------------------------------------------------- checks after the signature

function checkIssuerId(id: Bytes, options: RecoveryOptions, what: string): void {
  if (options.pan === undefined) return;
  const digits = cnDigits(id);
  if (!/^[0-9]{3,8}$/.test(digits) || !options.pan.startsWith(digits))
    throw new OdaError('issuer-id', `${what}: issuer identifier ${toHex(id)} is not the leftmost digits of the PAN ${options.pan}`);
}

function checkPan(id: Bytes, options: RecoveryOptions, what: string): void {
  if (options.pan === undefined) return;
  if (!/^[0-9]{1,19}$/.test(options.pan) || !equal(id, panField(options.pan)))
    throw new OdaError('pan', `${what}: certificate PAN ${toHex(id)} is not the application PAN ${options.pan}`);
}

function checkExpiry(expiry: string, options: RecoveryOptions, what: string): void {
  if (!options.today) return;
  const date = parseExpiry(expiry);
  if (!date) throw new OdaError('date', `${what}: certificate expiration date ${expiry} is not a valid MMYY`);
  const [year, month] = date;
  const nowYear = options.today.getUTCFullYear();
  const nowMonth = options.today.getUTCMonth() + 1;
  if (year < nowYear || (year === nowYear && month < nowMonth))
    throw new OdaError('expired', `${what}: the certificate expired at the end of ${expiry}`);
}

// ---------------------------------------------------------------- certificates

/** Issuer public key certificate signed by the CA (format 02: Book 2 Table 2 signed, Table 6 recovered; format 12 for SM2). */
export function issuerCertificate(ca: PrivateKey, issuer: PublicKey, meta: CertificateMeta): Certificate {
  checkMeta(meta);
  const head = concat(issuerIdentifier(meta.id), fromBcd(meta.expiry), fromBcd(meta.serial));
  if (ca.suite === 'sm2' && issuer.suite === 'sm2') {
    return {
      cert: sm2Signed(ca, concat([0x12], head, [ALG_SM, ALG_SM, SM2_KEY_LENGTH], issuer.q), new Uint8Array(0)),
      remainder: new Uint8Array(0),
      exponent: new Uint8Array(0),
    };
  }
  if (ca.suite !== 'rsa' || issuer.suite !== 'rsa') throw new OdaError('suite', 'the CA and the issuer keys are of different suites');
  const room = ca.n.length - 36;
  if (room < 1 || issuer.n.length > 255)
    throw new RangeError(`an issuer key of ${issuer.n.length} bytes does not fit a certificate of a ${ca.n.length}-byte CA key`);
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
    const body = sm2Open(
      ca.q,
      c.cert,
      0x12,
      () => 77,
      [10, 11],
      () => new Uint8Array(0),
      what,
    );
    if (body[12] !== SM2_KEY_LENGTH) throw new OdaError('length', `${what}: public key length ${hexByte(body[12])}, not 40`);
    const rec: RecoveredKey = {
      key: { suite: 'sm2', q: body.slice(13, 77) },
      id: body.slice(1, 5),
      expiry: toHex(body.slice(5, 7)),
      serial: toHex(body.slice(7, 10)),
    };
    checkIssuerId(rec.id, options, what);
    checkExpiry(rec.expiry, options, what);
    return rec;
  }
  const body = rsaRecover(ca, c.cert, 0x02, 10, () => concat(c.remainder, c.exponent), what);
  const id = body.slice(1, 5);
  const expiry = toHex(body.slice(5, 7));
  checkIssuerId(id, options, what);
  checkExpiry(expiry, options, what);
  if (body[11] !== ALG_RSA)
    throw new OdaError('algorithm', `${what}: issuer public key algorithm indicator ${hexByte(body[11])}, not 01 (RSA)`);
  const n = assembleModulus(body, 12, 14, c, what);
  if (c.exponent.length !== body[13])
    throw new OdaError('length', `${what}: the exponent has ${c.exponent.length} bytes, the certificate says ${body[13]}`);
  return { key: { suite: 'rsa', n, e: c.exponent }, id, expiry, serial: toHex(body.slice(7, 10)) };
}

/** Leftmost digits of the modulus ‖ remainder, `body[lengthAt]` bytes (step 12 / 11). */
function assembleModulus(body: Bytes, lengthAt: number, keyAt: number, c: Certificate, what: string): Bytes {
  const nLen = body[lengthAt]!;
  const part = body.slice(keyAt, keyAt + Math.min(nLen, body.length - keyAt));
  const n = concat(part, c.remainder);
  if (n.length !== nLen)
    throw new OdaError('remainder', `${what}: the modulus has ${nLen} bytes, certificate and remainder give ${n.length}`);
  return n;
}

/** ICC public key certificate signed by the issuer over the static data to be authenticated (format 04: Table 11 signed, Table 14 recovered; 14 for SM2). */
export function iccCertificate(issuer: PrivateKey, icc: PublicKey, meta: CertificateMeta, staticData: Bytes): Certificate {
  checkMeta(meta);
  const head = concat(panField(meta.id), fromBcd(meta.expiry), fromBcd(meta.serial));
  if (issuer.suite === 'sm2' && icc.suite === 'sm2') {
    return {
      cert: sm2Signed(issuer, concat([0x14], head, [ALG_SM, ALG_SM, SM2_KEY_LENGTH], icc.q), staticData),
      remainder: new Uint8Array(0),
      exponent: new Uint8Array(0),
    };
  }
  if (issuer.suite !== 'rsa' || icc.suite !== 'rsa') throw new OdaError('suite', 'the issuer and the ICC keys are of different suites');
  const room = issuer.n.length - 42;
  if (room < 1 || icc.n.length > 255)
    throw new RangeError(`an ICC key of ${icc.n.length} bytes does not fit a certificate of a ${issuer.n.length}-byte issuer key`);
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
    const body = sm2Open(
      issuer.q,
      c.cert,
      0x14,
      () => 83,
      [16, 17],
      () => staticData,
      what,
    );
    if (body[18] !== SM2_KEY_LENGTH) throw new OdaError('length', `${what}: public key length ${hexByte(body[18])}, not 40`);
    const rec: RecoveredKey = {
      key: { suite: 'sm2', q: body.slice(19, 83) },
      id: body.slice(1, 11),
      expiry: toHex(body.slice(11, 13)),
      serial: toHex(body.slice(13, 16)),
    };
    checkPan(rec.id, options, what);
    checkExpiry(rec.expiry, options, what);
    return rec;
  }
  const body = rsaRecover(issuer, c.cert, 0x04, 16, () => concat(c.remainder, c.exponent, staticData), what);
  const id = body.slice(1, 11);
  const expiry = toHex(body.slice(11, 13));
  checkPan(id, options, what);
  checkExpiry(expiry, options, what);
  if (body[17] !== ALG_RSA)
    throw new OdaError('algorithm', `${what}: ICC public key algorithm indicator ${hexByte(body[17])}, not 01 (RSA)`);
  const n = assembleModulus(body, 18, 20, c, what);
  if (c.exponent.length !== body[19])
    throw new OdaError('length', `${what}: the exponent has ${c.exponent.length} bytes, the certificate says ${body[19]}`);
  return { key: { suite: 'rsa', n, e: c.exponent }, id, expiry, serial: toHex(body.slice(13, 16)) };
}
