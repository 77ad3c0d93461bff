/**
 * Hash functions: SM3 (GB/T 32905-2016, used by the SM2 signatures of PBOC 3.0
 * and third-generation social-security cards), SHA-1 and SHA-256 (FIPS 180-4;
 * SHA-1 in EMV / PBOC RSA offline data authentication).
 */
import { createHash } from 'node:crypto';
import type { Bytes } from '../core/bytes.ts';

function digest(name: string, data: Bytes): Bytes {
  if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array');
  return new Uint8Array(createHash(name).update(data).digest());
}

/** SM3 digest (32 bytes), GB/T 32905-2016. */
export function sm3(data: Bytes): Bytes {
  return digest('sm3', data);
}

/** SHA-1 digest (20 bytes), FIPS 180-4. */
export function sha1(data: Bytes): Bytes {
  return digest('sha1', data);
}

/** SHA-256 digest (32 bytes), FIPS 180-4. */
export function sha256(data: Bytes): Bytes {
  return digest('sha256', data);
}
