/**
 * The reference financial terminal's vocabulary: its configuration, what a
 * transaction reports, and the transaction in progress that the steps of
 * src/terminal/financial.ts, financial-oda.ts and financial-online.ts hand
 * on to each other (EMV 4.x Book 3 chapter 10; JR/T 0025 the same).
 */
import { randomBytes } from 'node:crypto';
import { type Bytes, fromHex } from '../core/bytes.ts';
import type { RecordRead } from '../emv/afl.ts';
import { type ActionCodes, issuerActionCodes } from '../emv/action-analysis.ts';
import type { CardSession } from '../channel/session.ts';
import type { IssuerHost, ScriptKind, ScriptOptions } from '../pboc/issuer-host.ts';
import type { CryptogramType } from '../pboc/cryptograms.ts';
import type { PublicKey } from '../pboc/oda-format.ts';
import type { TerminalDefectId } from '../model/defects.ts';

export interface FinancialTerminalConfig {
  /** Read the PSE directory first (else the AID list only). */
  usePse: boolean;
  /** AIDs the terminal supports, in its order of preference. */
  aids: Bytes[];
  /** ODA methods the terminal supports. */
  oda: { cda: boolean; dda: boolean; sda: boolean };
  /** The terminal supports the SM suite (DF69 = 01 in the PDOL data). */
  sm: boolean;
  offlinePin: boolean;
  country: string;
  currency: string;
  /** Transaction date YYMMDD. */
  date: string;
  /** Application version numbers (9F09) the terminal accepts, its own first. */
  applicationVersions: Bytes[];
  /** Floor limit, in the minor unit (9F02 as a number). */
  floorLimit: number;
  /** Terminal action codes (5 bytes each). */
  tac: { denial: Bytes; online: Bytes; default: Bytes };
  /** CA public keys by index (8F), as the terminal loaded them. */
  caKeys: Map<string, PublicKey>;
  /** Deliberate defects of the terminal (model/defects/terminal.ts), for the mutation campaign; none by default. */
  defects?: readonly TerminalDefectId[];
}

/** Whether the terminal was configured with the deliberate defect `id`. */
export function hasDefect(config: { defects?: readonly TerminalDefectId[] }, id: TerminalDefectId): boolean {
  return config.defects?.includes(id) ?? false;
}

/**
 * The terminal's and the card's action codes as terminal action analysis
 * uses them (Book 3 §10.7): the configuration's TAC, the card's IAC (9F0D,
 * 9F0E, 9F0F, Book 3 defaults when absent); the denial codes, or the
 * IAC-Default, read as zero under the defects that ignore them.
 */
export function actionCodes(config: FinancialTerminalConfig, card: ReadonlyMap<number, Bytes>): { tac: ActionCodes; iac: ActionCodes } {
  const tac = { ...config.tac };
  const iac = issuerActionCodes(card);
  if (hasDefect(config, 'fin-tac-denial-ignored')) tac.denial = iac.denial = new Uint8Array(5);
  if (hasDefect(config, 'fin-iac-default-ignored')) iac.default = new Uint8Array(5);
  return { tac, iac };
}

export type PinEntry = { pin: string } | { bypass: true };

export interface TransactionResult {
  aid?: Bytes;
  selectedVia?: 'PSE' | 'AID list';
  outcome: 'approved offline' | 'approved online' | 'declined offline' | 'declined online' | 'terminated';
  reason?: string;
  oda: 'CDA' | 'DDA' | 'SDA' | 'none';
  tvr: Bytes;
  tsi: Bytes;
  /** CVM results 9F34: rule, condition, result (01 failed, 02 successful). */
  cvmResults: Bytes;
  firstCryptogram?: CryptogramType;
  finalCryptogram?: CryptogramType;
  online?: { arqcValid: boolean; arc: Bytes; issuerAuthSw?: number };
  /** What processing restrictions found, in words. */
  restrictions?: string[];
  scripts: { kind: ScriptKind; sw: number }[];
}

/** The transaction ends early: terminated (by default) or, after a failed CDA, declined offline. */
export class TerminalFailure extends Error {
  constructor(
    message: string,
    readonly outcome: TransactionResult['outcome'] = 'terminated',
  ) {
    super(message);
    this.name = 'TerminalFailure';
  }
}

/** The issuer host side the terminal talks to: none when the terminal cannot go online. */
export interface OnlineLink {
  host: IssuerHost;
  scripts: { kind: ScriptKind; options?: ScriptOptions }[];
}

/** What the steps use of the terminal: the card in front of it, its configuration, its issuer link. */
export interface TerminalContext {
  readonly card: CardSession;
  readonly config: FinancialTerminalConfig;
  readonly online: OnlineLink | undefined;
}

/** The card as the issuer host knows it: PAN, PSN and the cryptographic suite. */
export interface CardIdentity {
  pan: string;
  psn: string;
  suite: 'des-rsa' | 'sm';
}

/** A transaction in progress: what the steps learn and hand on. */
export interface Transaction {
  /** What the terminal reports; its TVR and TSI are the ones every step sets bits in. */
  result: TransactionResult;
  tvr: Bytes;
  tsi: Bytes;
  /** Amount, authorised 9F02 in the minor unit. */
  amount: number;
  /** Unpredictable number 9F37. */
  un: Bytes;
  /** The terminal's data elements by tag, for PDOL, DDOL and CDOL data (TVR 95 and ARC 8A join them later). */
  values: Map<number, Bytes>;
  /** PDOL data sent with GET PROCESSING OPTIONS (hashed for CDA). */
  pdolData: Bytes;
  /** The card for the issuer host: from the records, the fallback where they have nothing. */
  identity: CardIdentity;
  /** The ICC public key, once CDA has recovered it. */
  iccKey?: PublicKey;
}

/** What GET PROCESSING OPTIONS and the records gave: the card's data for the rest of the transaction. */
export interface CardData {
  /** Application Interchange Profile 82. */
  aip: Bytes;
  /** Application File Locator 94. */
  afl: Bytes;
  /** The records the AFL names, as read. */
  records: RecordRead[];
  /** The data elements of the records, by tag. */
  elements: Map<number, Bytes>;
}

/** What the first GENERATE AC returned (Book 3 §10.8). */
export interface FirstAc {
  /** Undefined for the RFU cryptogram type 11. */
  type: CryptogramType | undefined;
  /** Cryptogram information data 9F27. */
  cid: number;
  /** Application transaction counter 9F36. */
  atc: Bytes;
  /** Issuer application data 9F10. */
  iad: Bytes;
  /** The application cryptogram: 9F26, or from the signed dynamic data with CDA. */
  ac?: Bytes;
  /** The CDOL1 data sent. */
  cdolData: Bytes;
}

/**
 * A new transaction: zero TVR and TSI, CVM results '3F0000' (no CVM
 * performed) until cardholder verification, a fresh unpredictable number and
 * the terminal's data for a purchase (9C 00) of `amount` (n12, e.g. "000000001000").
 */
export function newTransaction(amount: string, config: FinancialTerminalConfig, identity: CardIdentity): Transaction {
  const tvr = new Uint8Array(5);
  const tsi = new Uint8Array(2);
  const result: TransactionResult = { outcome: 'terminated', oda: 'none', tvr, tsi, cvmResults: fromHex('3F0000'), scripts: [] };
  const un = new Uint8Array(randomBytes(4));
  const values = new Map<number, Bytes>([
    [0x9f02, fromHex(amount)],
    [0x9f03, fromHex('000000000000')],
    [0x9f1a, fromHex(config.country)],
    [0x5f2a, fromHex(config.currency)],
    [0x9a, fromHex(config.date)],
    [0x9c, fromHex('00')],
    [0x9f37, un],
    [0x9f21, fromHex('120000')],
    [0x9f4e, new TextEncoder().encode('SSC-LAB TERMINAL')],
    [0xdf69, Uint8Array.of(config.sm ? 0x01 : 0x00)],
  ]);
  return { result, tvr, tsi, amount: Number(amount), un, values, pdolData: new Uint8Array(0), identity: { ...identity } };
}

/** A status word as four hex digits. */
export function swOf(r: { sw: number }): string {
  return r.sw.toString(16).toUpperCase().padStart(4, '0');
}
