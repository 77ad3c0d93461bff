/**
 * Terminal action analysis, EMV 4.x Book 3 §10.7 (with Book 4 §6.3.6 -
 * §6.3.8 for the Authorisation Response Code and the second GENERATE AC);
 * JR/T 0025 the same. The TVR is compared with the Terminal Action Codes
 * (TAC, terminal configuration) and the Issuer Action Codes (IAC: 9F0E
 * denial, 9F0F online, 9F0D default):
 *
 * 1. a TVR bit set in TAC-Denial or IAC-Denial → AAC (decline offline);
 * 2. a terminal able to go online: a TVR bit set in TAC-Online or IAC-Online
 *    → ARQC, else TC;
 * 3. an offline-only terminal, or one unable to go online: a TVR bit set in
 *    TAC-Default or IAC-Default → AAC, else TC.
 *
 * An absent IAC-Denial counts as all zeros, absent IAC-Online and
 * IAC-Default as all ones (Book 3 §10.7).
 *
 * Also: the GENERATE AC reference control parameter (Book 3 §6.5.5.2, Table
 * 12), the Cryptogram Information Data 9F27 (Book 3 §6.5.5.4, Table 15) and
 * which answers a card may give to each request (Book 3 §9.3).
 */
import { type Bytes, toHex } from '../core/bytes.ts';
import { terminalTypeInfo } from './data.ts';
import { describeTvr, tvrMatches } from './tvr.ts';

export type CryptogramType = 'AAC' | 'TC' | 'ARQC';

/** TAC or IAC triple, 5 bytes each, coded like the TVR. */
export interface ActionCodes {
  denial: Bytes;
  online: Bytes;
  default: Bytes;
}

const zeros = () => new Uint8Array(5);
const ones = () => new Uint8Array(5).fill(0xff);

/** The card's IACs from its data elements, with the Book 3 §10.7 defaults for absent ones. */
export function issuerActionCodes(card: ReadonlyMap<number, Bytes>): ActionCodes {
  return { denial: card.get(0x9f0e) ?? zeros(), online: card.get(0x9f0f) ?? ones(), default: card.get(0x9f0d) ?? ones() };
}

/** Partial IACs completed with the Book 3 §10.7 defaults. */
export function withIacDefaults(iac: Partial<ActionCodes>): ActionCodes {
  return { denial: iac.denial ?? zeros(), online: iac.online ?? ones(), default: iac.default ?? ones() };
}

/** Whether the terminal can go online, from Terminal Type 9F35 (Book 4 Annex A1). */
export type OnlineCapability = 'online only' | 'offline with online capability' | 'offline only';

export function onlineCapabilityOf(terminalType: string): OnlineCapability {
  return terminalTypeInfo(terminalType).online;
}

export interface ActionDecision {
  cryptogram: CryptogramType;
  /** Which comparison decided. */
  decidedBy: 'denial' | 'online' | 'default' | 'no match';
  /** The TVR bits, by name, that matched the deciding action codes. */
  matched: string[];
  /** Authorisation Response Code the terminal sets for an offline decision (Book 4 §6.3.6, Annex A6): Y1 / Z1. */
  arc?: string;
}

function matchedBits(tvr: Bytes, a: Bytes, b: Bytes): string[] {
  const m = new Uint8Array(5);
  for (let i = 0; i < 5; i++) m[i] = tvr[i]! & (a[i]! | b[i]!);
  return describeTvr(m);
}

function hits(tvr: Bytes, a: Bytes, b: Bytes): boolean {
  return tvrMatches(tvr, a) || tvrMatches(tvr, b);
}

function checkCodes(name: string, c: ActionCodes): void {
  for (const k of ['denial', 'online', 'default'] as const) {
    if (c[k].length !== 5) throw new RangeError(`${name}-${k} must be 5 bytes, got ${toHex(c[k])}`);
  }
}

/**
 * The cryptogram to ask for in the first GENERATE AC (Book 3 §10.7).
 * `capability` is the terminal's; pass 'offline only' for an online-capable
 * terminal that already knows it cannot go online.
 */
export function terminalActionAnalysis(
  tvr: Bytes,
  tac: ActionCodes,
  iac: Partial<ActionCodes>,
  capability: OnlineCapability,
): ActionDecision {
  const i = withIacDefaults(iac);
  checkCodes('TAC', tac);
  checkCodes('IAC', i);
  if (hits(tvr, tac.denial, i.denial))
    return { cryptogram: 'AAC', decidedBy: 'denial', matched: matchedBits(tvr, tac.denial, i.denial), arc: 'Z1' };
  if (capability !== 'offline only') {
    if (hits(tvr, tac.online, i.online))
      return { cryptogram: 'ARQC', decidedBy: 'online', matched: matchedBits(tvr, tac.online, i.online) };
    return { cryptogram: 'TC', decidedBy: 'no match', matched: [], arc: 'Y1' };
  }
  return defaultActionAnalysis(tvr, tac, i, 'Z1', 'Y1');
}

function defaultActionAnalysis(tvr: Bytes, tac: ActionCodes, i: ActionCodes, decline: string, approve: string): ActionDecision {
  if (hits(tvr, tac.default, i.default))
    return { cryptogram: 'AAC', decidedBy: 'default', matched: matchedBits(tvr, tac.default, i.default), arc: decline };
  return { cryptogram: 'TC', decidedBy: 'no match', matched: [], arc: approve };
}

/** The outcome of online processing, as the terminal sees it. */
export type OnlineOutcome = 'approved' | 'declined' | 'unable to go online';

export interface SecondAcDecision {
  /** The cryptogram to ask for in the second GENERATE AC; undefined when there is none to issue. */
  request?: 'TC' | 'AAC';
  /** The terminal's decision on the transaction. */
  decision: 'approve' | 'decline';
  /** ARC for CDOL2 when the terminal makes it up: Y3 / Z3 unable to go online (Book 4 Annex A6); the host's ARC otherwise. */
  arc?: string;
  reason: string;
}

/**
 * The second GENERATE AC (Book 3 §10.7, Book 4 §6.3.8): only after an ARQC.
 * Approved online → TC; declined → AAC; unable to go online → the default
 * action codes decide (AAC with ARC Z3, TC with ARC Y3).
 */
export function secondGenerateAc(
  first: CryptogramType,
  online: OnlineOutcome,
  tvr: Bytes,
  tac: ActionCodes,
  iac: Partial<ActionCodes>,
): SecondAcDecision {
  if (first === 'TC') return { decision: 'approve', reason: 'the card approved offline (TC): no second GENERATE AC' };
  if (first === 'AAC') return { decision: 'decline', reason: 'the card declined offline (AAC): no second GENERATE AC' };
  if (online === 'approved') return { request: 'TC', decision: 'approve', reason: 'approved online' };
  if (online === 'declined') return { request: 'AAC', decision: 'decline', reason: 'declined online' };
  const i = withIacDefaults(iac);
  checkCodes('TAC', tac);
  checkCodes('IAC', i);
  const d = defaultActionAnalysis(tvr, tac, i, 'Z3', 'Y3');
  return d.cryptogram === 'AAC'
    ? {
        request: 'AAC',
        decision: 'decline',
        arc: d.arc!,
        reason: `unable to go online; default action codes match: ${d.matched.join(', ')}`,
      }
    : { request: 'TC', decision: 'approve', arc: d.arc!, reason: 'unable to go online; no default action code matches' };
}

/** Cryptogram type bits b8-b7 (Book 3 Table 12 / Table 15). */
const TYPE_BITS: Record<CryptogramType, number> = { AAC: 0x00, TC: 0x40, ARQC: 0x80 };

/** GENERATE AC P1, the reference control parameter (Book 3 §6.5.5.2 Table 12): b8-b7 type, b5 CDA signature requested. */
export function generateAcP1(type: CryptogramType, cda = false): number {
  return TYPE_BITS[type] | (cda ? 0x10 : 0x00);
}

export type CidReason = 'no information given' | 'service not allowed' | 'PIN Try Limit exceeded' | 'issuer authentication failed' | 'RFU';

export interface Cid {
  /** b8-b7: 00 AAC, 01 TC, 10 ARQC, 11 RFU. */
  type: CryptogramType | 'RFU';
  /** b6-b5: payment system-specific cryptogram. */
  paymentSystem: number;
  /** b4: advice required. */
  adviceRequired: boolean;
  /** b3-b1: reason / advice code. */
  reason: CidReason;
}

const REASONS: CidReason[] = ['no information given', 'service not allowed', 'PIN Try Limit exceeded', 'issuer authentication failed'];

/** Decodes the Cryptogram Information Data 9F27 (Book 3 §6.5.5.4 Table 15). */
export function decodeCid(value: number | Bytes): Cid {
  const b = typeof value === 'number' ? value : value[0];
  if (b === undefined || b < 0 || b > 0xff || (typeof value !== 'number' && value.length !== 1))
    throw new RangeError(`CID must be one byte`);
  return {
    type: (['AAC', 'TC', 'ARQC', 'RFU'] as const)[b >> 6]!,
    paymentSystem: (b >> 4) & 0x03,
    adviceRequired: (b & 0x08) !== 0,
    reason: REASONS[b & 0x07] ?? 'RFU',
  };
}

/** Encodes a CID. */
export function encodeCid(
  type: CryptogramType,
  opts: { adviceRequired?: boolean; reason?: Exclude<CidReason, 'RFU'>; paymentSystem?: number } = {},
): number {
  return (
    TYPE_BITS[type] |
    (((opts.paymentSystem ?? 0) & 0x03) << 4) |
    (opts.adviceRequired ? 0x08 : 0) |
    REASONS.indexOf(opts.reason ?? 'no information given')
  );
}

export function describeCid(value: number | Bytes): string {
  const c = decodeCid(value);
  const parts: string[] = [c.type];
  if (c.paymentSystem) parts.push(`payment system bits ${c.paymentSystem.toString(2).padStart(2, '0')}`);
  if (c.adviceRequired) parts.push('advice required');
  parts.push(c.reason);
  return parts.join(', ');
}

/**
 * Whether a card may answer `returned` to a GENERATE AC asking for
 * `requested` (Book 3 §9.3, Table 13: AAC < ARQC < TC; the card may answer
 * the requested type or a lower one, never a higher one). In the second
 * GENERATE AC there is no ARQC: the terminal asks for TC or AAC and the card
 * answers TC or AAC.
 */
export function cardResponseAllowed(requested: CryptogramType, returned: CryptogramType, second = false): boolean {
  if (second && (requested === 'ARQC' || returned === 'ARQC')) return false;
  const rank: Record<CryptogramType, number> = { AAC: 0, ARQC: 1, TC: 2 };
  return rank[returned] <= rank[requested];
}
