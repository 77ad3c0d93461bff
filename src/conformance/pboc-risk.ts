/**
 * The card risk data of the PBOC debit application as a terminal sees them
 * (EMV 4.3 Book 3 §10.6 card risk management; JR/T 0025.5 Annex CVR): the
 * "last online transaction not completed" and "issuer authentication failed
 * on the last online transaction" indicators the next cryptogram's CVR tells,
 * the last online ATC register 9F13, the transaction log and the ATC. After a
 * power cut inside GENERATE AC they must all be those of before the command
 * or all those of after it (LD/T 6001 part 2, 防拔).
 */
import { type Bytes, equal, fromHex, toHex } from '../core/bytes.ts';
import { findTag } from '../core/tlv.ts';
import { dolLength, dolValue, parseDol } from '../emv/dol.ts';
import { swHex } from '../core/sw.ts';
import { fail, tlvOf } from './expect.ts';
import { getDataValue, type PbocOperations } from './pboc.ts';
import { cvrHas } from './pboc-oda.ts';

/** The risk data one state of the card holds. */
export interface RiskData {
  onlineNotCompleted: boolean;
  issuerAuthFailed: boolean;
  lastOnlineAtc: number;
  /** Records of the transaction log, when the card keeps one. */
  logRecords?: number;
}

const FIELDS: Record<keyof RiskData, string> = {
  onlineNotCompleted: '"last online transaction not completed"',
  issuerAuthFailed: '"issuer authentication failed on the last online transaction"',
  lastOnlineAtc: 'the last online ATC 9F13',
  logRecords: 'the number of transaction log records',
};

function differences(a: RiskData, b: RiskData): (keyof RiskData)[] {
  return (Object.keys(FIELDS) as (keyof RiskData)[]).filter((k) => a[k] !== undefined && b[k] !== undefined && a[k] !== b[k]);
}

const show = (r: RiskData): string =>
  (Object.keys(FIELDS) as (keyof RiskData)[])
    .filter((k) => r[k] !== undefined)
    .map((k) => `${k} ${r[k]}`)
    .join(', ');

/** What is wrong with the risk data found after a torn command: undefined when they are all `before` or all `after`. */
export function riskProblem(found: RiskData, before: RiskData, after: RiskData): string | undefined {
  const fromBefore = differences(found, before);
  const fromAfter = differences(found, after);
  if (fromBefore.length === 0 || fromAfter.length === 0) return undefined;
  const asBefore = fromAfter.filter((k) => !fromBefore.includes(k)).map((k) => FIELDS[k]);
  const asAfter = fromBefore.filter((k) => !fromAfter.includes(k)).map((k) => FIELDS[k]);
  const mix = asBefore.length && asAfter.length ? `: ${asAfter.join(', ')} as after but ${asBefore.join(', ')} as before` : '';
  const neither = `neither all before (${show(before)}) nor all after (${show(after)})`;
  return `after the power cut the risk data are (${show(found)}), ${neither}${mix}`;
}

/** The number of records of the transaction log (9F4D in the FCI: SFI ‖ records), undefined when the card keeps none. */
export function logCapacity(ops: PbocOperations): number | undefined {
  return findTag(tlvOf(ops.fci, 'the FCI of the debit application'), 0x9f4d)?.value[1];
}

/** The risk data the card holds now that GET DATA and READ RECORD tell (the CVR indicators come from a transaction). */
export async function storedRiskData(ops: PbocOperations): Promise<Pick<RiskData, 'lastOnlineAtc' | 'logRecords'>> {
  const v = getDataValue(await ops.getData(0x9f13), 0x9f13, 2);
  const lastOnlineAtc = (v[0]! << 8) | v[1]!;
  return logCapacity(ops) !== undefined ? { lastOnlineAtc, logRecords: (await ops.readLog()).length } : { lastOnlineAtc };
}

/**
 * The card's risk data after a power-up: the stored ones, then a new
 * transaction asking for a TC, whose CVR tells the indicators of the last
 * online transaction (EMV 4.3 Book 3 §10.6.3). Also the ATC of that cryptogram.
 */
export async function observeRisk(ops: PbocOperations): Promise<{ risk: RiskData; atc: number }> {
  for (const [name, op] of [
    ['SELECT', () => ops.select()],
    ['GET PROCESSING OPTIONS', () => ops.gpo()],
  ] as const) {
    const r = await op();
    if (r.sw !== 0x9000) fail(`after the power cut ${name} of the debit application answered ${swHex(r.sw)}`);
  }
  const stored = await storedRiskData(ops);
  const r = await ops.generateAc('TC');
  const ac = ops.txn?.firstAc;
  if (r.sw !== 0x9000 || !ac) fail(`after the power cut the first GENERATE AC answered ${swHex(r.sw)}`);
  const risk = {
    onlineNotCompleted: cvrHas(ac.iad, 'last online transaction not completed'),
    issuerAuthFailed: cvrHas(ac.iad, 'issuer authentication failed last time'),
    ...stored,
  };
  return { risk, atc: (ac.atc[0]! << 8) | ac.atc[1]! };
}

/** The risk data before and after a GENERATE AC, and the ATC of its transaction. */
export interface TornGac {
  before: RiskData;
  after: RiskData;
  atc: number;
}

function lastOnline(ops: PbocOperations): { issuerAuthFailed: boolean } {
  if (!ops.lastOnline) throw new Error('the scenario must complete an online transaction first: the risk data before are then known');
  return ops.lastOnline;
}

/**
 * The two states a first GENERATE AC asking for an ARQC may leave: the card's
 * before, and the same with "last online transaction not completed" set
 * (EMV 4.3 Book 3 Annex C, CVR; JR/T 0025.5 Annex CVR). Taken after GET PROCESSING OPTIONS.
 */
export async function firstGacStates(ops: PbocOperations): Promise<TornGac> {
  const stored = await storedRiskData(ops);
  const before = { onlineNotCompleted: false, issuerAuthFailed: lastOnline(ops).issuerAuthFailed, ...stored };
  return { before, after: { ...before, onlineNotCompleted: true }, atc: await ops.atc() };
}

/**
 * The two states the second GENERATE AC asking for a TC may leave, from what
 * the transaction did: before it the online transaction is not completed;
 * after it, it is, issuer authentication failed if it did, and an approval
 * (issuer authentication passed, approving response code) moves the last
 * online ATC to this transaction's and logs it (EMV 4.3 Book 3 §10.6, §10.11).
 */
export async function secondGacStates(ops: PbocOperations): Promise<TornGac> {
  const txn = ops.txn;
  const atc = txn?.firstAc?.atc;
  if (!txn?.issuerAuth || !atc) throw new Error('the torn second GENERATE AC follows an ARQC and issuer authentication');
  const stored = await storedRiskData(ops);
  const n = (atc[0]! << 8) | atc[1]!;
  const approved = txn.issuerAuth === 'ok' && ops.pendingArc === undefined;
  const before = { onlineNotCompleted: true, issuerAuthFailed: lastOnline(ops).issuerAuthFailed, ...stored };
  const after: RiskData = {
    onlineNotCompleted: false,
    issuerAuthFailed: txn.issuerAuth === 'failed',
    lastOnlineAtc: approved ? n : stored.lastOnlineAtc,
    ...(stored.logRecords === undefined ? {} : { logRecords: Math.min(stored.logRecords + (approved ? 1 : 0), logCapacity(ops) ?? 0) }),
  };
  return { before, after, atc: n };
}

/** The transaction log before a GENERATE AC that may log its transaction, and the ATC of that transaction. */
export interface LogBefore {
  records: Bytes[];
  atc: number;
}

/** Reads the transaction log before a GENERATE AC of the transaction with ATC `atc`. */
export async function logBefore(ops: PbocOperations, atc: number): Promise<LogBefore> {
  if (logCapacity(ops) === undefined) throw new Error('the card keeps no transaction log (no 9F4D in the FCI)');
  return { records: await ops.readLog(), atc };
}

/** The layout of the card's transaction log: its number of records (9F4D) and its record format (9F4F, a DOL). */
export interface LogLayout {
  capacity: number;
  format: Bytes;
}

export function logLayout(ops: PbocOperations): LogLayout {
  return { capacity: logCapacity(ops) ?? 0, format: fromHex(ops.pboc.cardData['9F4F'] ?? '') };
}

/**
 * What is wrong with the transaction log read after a power cut inside a
 * GENERATE AC: undefined when it holds the records of before, or the new
 * record of the torn transaction (its ATC, the length of the log format 9F4F)
 * as record 1 followed by the records of before, the oldest dropped when the
 * log is full (JR/T 0025.5 transaction log; LD/T 6001 part 2, 防拔).
 */
export function logTearProblem(found: readonly Bytes[], before: LogBefore, layout: LogLayout): string | undefined {
  const same = (a: readonly Bytes[], b: readonly Bytes[]) => a.length === b.length && a.every((r, i) => equal(r, b[i]!));
  const old = before.records;
  if (same(found, old)) return undefined;
  const format = parseDol(layout.format);
  const length = dolLength(format);
  const atcOf = (r: Bytes) => {
    const v = dolValue(format, r, 0x9f36);
    return v?.length === 2 ? (v[0]! << 8) | v[1]! : undefined;
  };
  const newest = found[0];
  const list = (rs: readonly Bytes[]) => rs.map((r) => `ATC ${atcOf(r)?.toString(16).padStart(4, '0') ?? '?'}`).join(', ') || 'none';
  const held = `after the power cut the log holds ${found.length} records (${list(found)}), before it ${old.length} (${list(old)})`;
  const duplicated = found.findIndex((r, i) => found.findIndex((o) => equal(o, r)) !== i);
  if (duplicated >= 0) return `${held}: record ${duplicated + 1} is a duplicate of an earlier one`;
  if (!newest || newest.length !== length || atcOf(newest) !== before.atc) {
    const atc = toHex([before.atc >> 8, before.atc & 0xff]);
    return `${held}: record 1 is neither the old record 1 nor the whole new record (${length} bytes, ATC ${atc})`;
  }
  if (!same(found.slice(1), old.slice(0, layout.capacity - 1)))
    return `${held}: after the new record the old records are not all there, in order`;
  return undefined;
}
