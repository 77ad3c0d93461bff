/**
 * The PBOC debit application's state: the persistent card data kept on its
 * ADF (personalised with STORE DATA), the transaction in progress per
 * security state, and the lookups every PBOC command shares (the current ADF,
 * the suite, the PSE master key, the PDOL and the data elements of the records).
 */
import type { Bytes } from '../../core/bytes.ts';
import { SW } from '../../core/sw.ts';
import { findTag, parseTlv } from '../../core/tlv.ts';
import type { CardContext, SecurityState } from '../context.ts';
import { fail } from '../errors.ts';
import type { DedicatedFile, KeyObject } from '../fs.ts';
import { KEY_TYPE } from '../../model/keys.ts';
import type { SymmetricSuite } from '../../pboc/cryptograms.ts';
import { type DolEntry, parseDol } from '../../emv/dol.ts';

/** The card's persistent PBOC data, kept on its ADF. */
export interface PbocCardData {
  /** UDK-AC, UDK-MAC, UDK-ENC (DGI 8000). */
  udk?: { ac: Bytes; mac: Bytes; enc: Bytes };
  /** GPO response data: 82 AIP ‖ 94 AFL (DGI 9102). */
  gpo?: Bytes;
  /** Data objects for GET DATA and card risk management (DGI 9200), by tag (hex). */
  objects: Record<string, Bytes>;
  atc: number;
  lastOnlineAtc: number;
  /** Set when an online transaction did not reach the second GENERATE AC. */
  lastOnlineNotCompleted: boolean;
  /** Set when issuer authentication failed in the last online transaction. */
  lastIssuerAuthFailed: boolean;
  /** RSA CRT components (DGIs 8201–8205), SM2 private key (DGI 8301). */
  rsa: Partial<Record<'p' | 'q' | 'dp' | 'dq' | 'qinv', Bytes>>;
  sm2?: Bytes;
}

export type CidType = 'AAC' | 'TC' | 'ARQC';
/** One transaction: from GET PROCESSING OPTIONS to the last GENERATE AC or script. */
export interface Transaction {
  suite: 'des-rsa' | 'sm';
  pdolData: Bytes;
  stage: 'gpo' | 'first-gac' | 'done';
  firstCid?: CidType;
  arqc?: Bytes;
  cdol1Data?: Bytes;
  issuerAuth?: 'ok' | 'failed';
  offlinePin?: 'ok' | 'failed';
  /** Issuer script commands processed in this transaction. */
  scripts: number;
  cvr: Uint8Array;
}

export const transactions = new WeakMap<SecurityState, Transaction>();

/** The PBOC data of the current DF, when it is a personalised PBOC ADF. */
export function pbocOf(ctx: CardContext): { df: DedicatedFile; data: PbocCardData } | undefined {
  const df = ctx.currentDf as DedicatedFile & { pboc?: PbocCardData };
  return df.pboc ? { df, data: df.pboc } : undefined;
}

export function requirePboc(ctx: CardContext): { df: DedicatedFile; data: PbocCardData } {
  const p = pbocOf(ctx);
  if (!p) fail(SW.INS_NOT_SUPPORTED, 'not in a PBOC application');
  return p;
}

export function suiteOf(data: PbocCardData): 'des-rsa' | 'sm' {
  return data.objects.DF69?.[0] === 0x01 ? 'sm' : 'des-rsa';
}

export function symmetric(suite: 'des-rsa' | 'sm'): SymmetricSuite {
  return suite === 'sm' ? 'sm4' : '3des';
}

export function u16(n: number): Bytes {
  return new Uint8Array([(n >> 8) & 0xff, n & 0xff]);
}

/** The PSE master key (personalisation authority for STORE DATA). */
export function masterKey(ctx: CardContext): KeyObject {
  for (const k of ctx.security.env.keys.values()) if (k.type === KEY_TYPE.MASTER) return k;
  fail(SW.REF_DATA_NOT_FOUND, 'no environment master key');
}

/** The PDOL of the ADF (9F38 in its FCI), empty when it has none. */
export function pdolOf(df: DedicatedFile): DolEntry[] {
  if (!df.fci) return [];
  try {
    const found = findTag(parseTlv(df.fci), 0x9f38);
    return found ? parseDol(found.value) : [];
  } catch {
    return [];
  }
}

/** A data element of the card's records (8C CDOL1, 8D CDOL2, …). */
export function recordElement(df: DedicatedFile, tag: number): Bytes | undefined {
  for (const ef of df.children) {
    if (ef.kind !== 'EF') continue;
    for (const r of ef.records) {
      try {
        const found = findTag(parseTlv(r), tag);
        if (found) return found.value;
      } catch {
        // a record that is no TLV holds no data element
      }
    }
  }
  return undefined;
}
