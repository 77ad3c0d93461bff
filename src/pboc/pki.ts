/**
 * The lab's test PKI for offline data authentication (pki/test-pki.json,
 * schema schemas/pki.schema.json): a test CA per suite (RID A000000333, CA
 * public key index), issuer keys and ICC keys — TEST keys generated for
 * ssc-lab (src/pboc/pki-generate.ts), never for issued cards.
 */
import { join } from 'node:path';
import { type Bytes, fromHex } from '../core/bytes.ts';
import { DataError, PROJECT_ROOT, loadJson } from '../core/json.ts';
import type { IccPrivateKey, PrivateKey, PublicKey } from './oda-format.ts';
import { publicOf } from './oda-format.ts';

export interface PkiKeyJson {
  id: string;
  suite: 'rsa' | 'sm2';
  label: string;
  /** RSA */
  n?: string;
  e?: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qinv?: string;
  /** SM2: d above, public key x ‖ y */
  publicKey?: string;
}

export interface PkiJson {
  description: string;
  rid: string;
  cas: (PkiKeyJson & { index: string })[];
  issuers: (PkiKeyJson & { ca: string; issuerId: string; expiry: string; serial: string })[];
  iccs: (PkiKeyJson & { expiry: string; serial: string })[];
}

export const PKI_FILE = join(PROJECT_ROOT, 'pki', 'test-pki.json');

const cache = new Map<string, PkiJson>();

/**
 * The PKI document, validated against schemas/pki.schema.json through
 * loadJson (a DataError names the file and the JSON path of each problem);
 * cached per file.
 */
export function loadPki(file: string = PKI_FILE): PkiJson {
  let pki = cache.get(file);
  if (!pki) {
    pki = loadJson<PkiJson>(file, 'pki');
    cache.set(file, pki);
  }
  return pki;
}

export function privateKeyOf(k: PkiKeyJson): PrivateKey {
  const h = (v: string | undefined, name: string): Bytes => {
    if (!v) throw new DataError('pki/test-pki.json', [`${k.id}: no ${name}`]);
    return fromHex(v);
  };
  if (k.suite === 'sm2') return { suite: 'sm2', d: h(k.d, 'd') };
  return {
    suite: 'rsa',
    n: h(k.n, 'n'),
    e: h(k.e, 'e'),
    d: h(k.d, 'd'),
    p: h(k.p, 'p'),
    q: h(k.q, 'q'),
    dp: h(k.dp, 'dp'),
    dq: h(k.dq, 'dq'),
    qinv: h(k.qinv, 'qinv'),
  };
}

export function publicKeyOf(k: PkiKeyJson): PublicKey {
  if (k.suite === 'sm2' && k.publicKey) return { suite: 'sm2', q: fromHex(k.publicKey) };
  return publicOf(privateKeyOf(k));
}

function find<T extends { id: string }>(list: readonly T[], id: string, what: string): T {
  const found = list.find((x) => x.id === id);
  if (!found) throw new DataError('pki/test-pki.json', [`no ${what} "${id}" (${list.map((x) => x.id).join(', ')})`]);
  return found;
}

export function issuerOf(pki: PkiJson, id: string) {
  return find(pki.issuers, id, 'issuer');
}

export function iccOf(pki: PkiJson, id: string) {
  return find(pki.iccs, id, 'ICC key');
}

export function caOf(pki: PkiJson, index: string) {
  const ca = pki.cas.find((c) => c.index.toUpperCase() === index.toUpperCase());
  if (!ca) throw new DataError('pki/test-pki.json', [`no CA public key with index ${index}`]);
  return ca;
}

/** The ICC private key as the card keeps it. */
export function iccPrivateKeyOf(pki: PkiJson, id: string): IccPrivateKey {
  const k = privateKeyOf(iccOf(pki, id));
  if (k.suite === 'sm2') return k;
  return { suite: 'rsa', p: k.p, q: k.q, dp: k.dp, dq: k.dq, qinv: k.qinv, e: k.e };
}

/** The CA public keys a terminal loads, by index (8F). */
export function caPublicKeys(pki: PkiJson): Map<string, PublicKey> {
  return new Map(pki.cas.map((c) => [c.index.toUpperCase(), publicKeyOf(c)]));
}
