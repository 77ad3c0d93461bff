/**
 * Offline data authentication: signed static application data (tag 93, EMV
 * 4.3 Book 2 §5.4), signed dynamic application data (tag 9F4B, §6.5 DDA and
 * §6.6 CDA), the CDA ICC dynamic data and the transaction data hash code;
 * formats 03/05 (RSA) and 13/15 (the lab's SM2 layout, pboc/oda.ts).
 */
import { type Bytes, concat } from '../core/bytes.ts';
import { sha1, sm3 } from '../crypto/hash.ts';
import { rsaKeyFromCrt } from '../crypto/rsa.ts';
import {
  ALG_SM,
  HASH_SHA1,
  type IccPrivateKey,
  OdaError,
  type PrivateKey,
  type PublicKey,
  bb,
  rsaRecover,
  rsaSign,
  sm2Open,
  sm2Signed,
} from './oda-format.ts';

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
  if (issuer.suite === 'sm2')
    return sm2Open(
      issuer.q,
      ssad,
      0x13,
      () => 4,
      [1],
      () => staticData,
      'signed static data',
    ).slice(2, 4);
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
  if (ldd > signer.n.length - 25)
    throw new RangeError(`ICC dynamic data of ${ldd} bytes do not fit a ${signer.n.length}-byte key (at most N_IC − 25)`);
  const body = concat([0x05, HASH_SHA1, ldd], data.iccDynamicData, bb(signer.n.length - ldd - 25));
  return rsaSign(signer, body, concat(body, data.terminalDynamicData));
}

/** Verification of signed dynamic data (Book 2 §6.5.2 / §6.6.2 up to the hash); returns the ICC dynamic data. */
export function recoverDynamicData(icc: PublicKey, sdad: Bytes, terminalDynamicData: Bytes): Bytes {
  const what = 'signed dynamic data';
  const body =
    icc.suite === 'sm2'
      ? sm2Open(
          icc.q,
          sdad,
          0x15,
          (s) => 3 + (s[2] ?? 0),
          [1],
          () => terminalDynamicData,
          what,
        )
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
  if (d.dynamicNumber.length < 2 || d.dynamicNumber.length > 8)
    throw new RangeError(`the ICC dynamic number has 2 to 8 bytes, got ${d.dynamicNumber.length}`);
  if (d.ac.length !== 8) throw new RangeError(`the application cryptogram has 8 bytes, got ${d.ac.length}`);
  return concat([d.dynamicNumber.length], d.dynamicNumber, [d.cid], d.ac, d.transactionDataHash);
}

/** Parses the leading bytes of CDA ICC dynamic data (Table 19); `hashLength` 20 (SHA-1) or 32 (SM3). */
export function parseCdaDynamicData(data: Bytes, hashLength: number): CdaDynamicData {
  const n = data[0] ?? 0;
  if (n < 2 || n > 8) throw new OdaError('format', `CDA ICC dynamic data: ICC dynamic number length ${n}, not 2 to 8`);
  if (data.length < 10 + n + hashLength)
    throw new OdaError('length', `CDA ICC dynamic data: ${data.length} bytes, at least ${10 + n + hashLength} needed`);
  return {
    dynamicNumber: data.slice(1, 1 + n),
    cid: data[1 + n]!,
    ac: data.slice(2 + n, 10 + n),
    transactionDataHash: data.slice(10 + n, 10 + n + hashLength),
  };
}

/** Transaction data hash code of CDA (Book 2 §6.6.1): SHA-1 (DES/RSA suite) or SM3 (SM suite). */
export function transactionDataHash(alg: 'sha1' | 'sm3', data: Bytes): Bytes {
  return alg === 'sm3' ? sm3(data) : sha1(data);
}
