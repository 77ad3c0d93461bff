/**
 * Terminal risk management, EMV 4.x Book 3 §10.6 (JR/T 0025 the same), with
 * the exception file of Book 4 §6.3.5; the results go to TVR byte 4 (and
 * 'New card' in byte 2, 'Card appears on terminal exception file' in byte 1),
 * and 'Terminal risk management was performed' to the TSI.
 *
 * - §10.6.1 floor limit: 'Transaction exceeds floor limit' when the amount
 *   authorised — plus the amount of the most recent entry for the same PAN
 *   in the terminal's transaction log, when it keeps one — is greater than
 *   or equal to the terminal floor limit.
 * - §10.6.2 random transaction selection: a number drawn from 1 to 99; below
 *   the threshold for biased random selection the transaction is selected
 *   when the number ≤ the target percentage; from the threshold up to the
 *   floor limit (excluded) when it is ≤ the transaction target percent
 *   ((maximum target − target) × (amount − threshold) / (floor limit −
 *   threshold) + target); at or above the floor limit there is no random
 *   selection. The draw comes from an injected {@link RandomSource}.
 * - §10.6.3 velocity checking, only when the card has both the lower (9F14)
 *   and upper (9F23) consecutive offline limits: with ATC (9F36) and last
 *   online ATC register (9F13) from GET DATA, a limit is exceeded when
 *   ATC − last online ATC is above it; when either is not returned, or the
 *   ATC is not above the register, both bits are set. 'New card' when the
 *   last online ATC register is returned and is zero.
 */
import { randomInt } from 'node:crypto';
import { type Bytes, readUint } from '../core/bytes.ts';
import { terminalTypeInfo } from './data.ts';
import { type TvrBit, newTsi, newTvr, setTsi, setTvr } from './tvr.ts';

export interface RiskFinding {
  bit: TvrBit;
  reason: string;
}

/** One transaction in the terminal's log (split-sales detection, §10.6.1). */
export interface LogEntry {
  pan: string;
  psn?: string;
  /** Amount, authorised in the minor unit. */
  amount: number;
}

/**
 * The amount of the most recent log entry (the last of the array) for the
 * PAN — and the PSN when both sides have one.
 */
export function lastLoggedAmount(log: readonly LogEntry[], pan: string, psn?: string): number | undefined {
  for (let i = log.length - 1; i >= 0; i--) {
    const e = log[i]!;
    if (e.pan !== pan) continue;
    if (psn !== undefined && e.psn !== undefined && e.psn !== psn) continue;
    return e.amount;
  }
  return undefined;
}

/** §10.6.1: the floor limit check; `loggedAmount` from {@link lastLoggedAmount}. */
export function checkFloorLimit(amount: number, floorLimit: number, loggedAmount = 0): RiskFinding[] {
  const total = amount + loggedAmount;
  if (total < floorLimit) return [];
  const what = loggedAmount ? `amount ${amount} + logged ${loggedAmount} = ${total}` : `amount ${amount}`;
  return [{ bit: 'floorLimitExceeded', reason: `${what} ≥ floor limit ${floorLimit}` }];
}

/** Draws an integer from 1 to 99 inclusive. */
export type RandomSource = () => number;

/** 1-99 from node:crypto. */
export const cryptoRandom: RandomSource = () => randomInt(1, 100);

/** A fixed sequence of draws, for tests and replayed transactions. */
export function sequenceRandom(...draws: number[]): RandomSource {
  let i = 0;
  return () => {
    if (i >= draws.length) throw new RangeError('the random sequence is exhausted');
    return draws[i++]!;
  };
}

export interface RandomSelectionParams {
  /** Target percentage to be used for random selection, 0-99. */
  targetPercent: number;
  /** Maximum target percentage to be used for biased random selection, 0-99, ≥ the target. */
  maxTargetPercent: number;
  /** Threshold value for biased random selection, minor unit, 0 ≤ threshold < floor limit. */
  threshold: number;
}

export interface RandomSelection {
  selected: boolean;
  /** The number drawn (absent when the amount is at or above the floor limit). */
  draw?: number;
  /** The percentage the draw was compared with. */
  percent?: number;
}

function checkParams(p: RandomSelectionParams, floorLimit: number): void {
  const pct = (n: number) => Number.isInteger(n) && n >= 0 && n <= 99;
  if (!pct(p.targetPercent) || !pct(p.maxTargetPercent))
    throw new RangeError(`target percentages ${p.targetPercent} / ${p.maxTargetPercent} must be 0-99`);
  if (p.maxTargetPercent < p.targetPercent)
    throw new RangeError(`maximum target ${p.maxTargetPercent} is below the target ${p.targetPercent}`);
  if (p.threshold < 0 || p.threshold >= floorLimit)
    throw new RangeError(`threshold ${p.threshold} must be ≥ 0 and below the floor limit ${floorLimit}`);
}

/** §10.6.2: random transaction selection. @throws RangeError on invalid parameters or a draw outside 1-99. */
export function randomSelection(
  amount: number,
  floorLimit: number,
  p: RandomSelectionParams,
  random: RandomSource = cryptoRandom,
): RandomSelection {
  if (amount >= floorLimit) return { selected: false };
  checkParams(p, floorLimit);
  const draw = random();
  if (!Number.isInteger(draw) || draw < 1 || draw > 99) throw new RangeError(`random draw ${draw} is not 1-99`);
  let percent: number = p.targetPercent;
  if (amount >= p.threshold) {
    const interpolation = (amount - p.threshold) / (floorLimit - p.threshold);
    percent = (p.maxTargetPercent - p.targetPercent) * interpolation + p.targetPercent;
  }
  return { selected: draw <= percent, draw, percent };
}

/**
 * What GET DATA returned for velocity checking, and the card's limits; each
 * as a number or as the data element's value (b1 / b2, read big-endian).
 */
export interface VelocityData {
  /** Lower consecutive offline limit 9F14; undefined when the card has none. */
  lcol?: number | Bytes;
  /** Upper consecutive offline limit 9F23; undefined when the card has none. */
  ucol?: number | Bytes;
  /** ATC 9F36, undefined when not returned. */
  atc?: number | Bytes;
  /** Last online ATC register 9F13, undefined when not returned. */
  lastOnlineAtc?: number | Bytes;
}

const num = (v: number | Bytes) => (typeof v === 'number' ? v : readUint(v));

/** §10.6.3: velocity checking and 'New card'. */
export function checkVelocity(v: VelocityData): RiskFinding[] {
  if (v.lcol === undefined || v.ucol === undefined) return [];
  const lcol = num(v.lcol);
  const ucol = num(v.ucol);
  const out: RiskFinding[] = [];
  const both = (reason: string) => {
    out.push({ bit: 'lowerOfflineLimitExceeded', reason }, { bit: 'upperOfflineLimitExceeded', reason });
  };
  const atc = v.atc === undefined ? undefined : num(v.atc);
  const last = v.lastOnlineAtc === undefined ? undefined : num(v.lastOnlineAtc);
  if (atc === undefined || last === undefined) both(`${atc === undefined ? 'ATC' : 'last online ATC register'} not returned by GET DATA`);
  else if (atc <= last) both(`ATC ${atc} is not above the last online ATC register ${last}`);
  else {
    const since = atc - last;
    const reason = (which: string, limit: number) => `${since} transactions since the last online one > ${which} limit ${limit}`;
    if (since > lcol) out.push({ bit: 'lowerOfflineLimitExceeded', reason: reason('lower', lcol) });
    if (since > ucol) out.push({ bit: 'upperOfflineLimitExceeded', reason: reason('upper', ucol) });
  }
  if (last === 0) out.push({ bit: 'newCard', reason: 'last online ATC register is 0' });
  return out;
}

export interface RiskInput {
  /** Amount, authorised in the minor unit. */
  amount: number;
  /** Terminal floor limit 9F1B in the minor unit. */
  floorLimit: number;
  /** Card identity, for the log and the exception file. */
  pan?: string;
  psn?: string;
  /** The terminal's transaction log, oldest first. */
  log?: readonly LogEntry[];
  /** Random transaction selection parameters; none, no random selection. */
  random?: RandomSelectionParams;
  /** Terminal type 9F35: online-only and offline-only terminals skip random selection (Book 4 §6.4). */
  terminalType?: string;
  /** Card data and GET DATA answers for velocity checking; none, no velocity checking. */
  velocity?: VelocityData;
  /** Exception file (Book 4 §6.3.5): PANs (with PSN when given) the terminal refuses. */
  exceptionFile?: readonly { pan: string; psn?: string }[];
  /** The merchant forces the transaction online (TVR byte 4 b4). */
  merchantForcedOnline?: boolean;
  /** AIP 82: with byte 1 b4 = 0 the card does not ask for terminal risk management (§10.6); only the exception file is checked. */
  aip?: Bytes;
}

export interface RiskOptions {
  random?: RandomSource;
  tvr?: Bytes;
  tsi?: Bytes;
}

export interface RiskResult {
  tvr: Bytes;
  tsi: Bytes;
  findings: RiskFinding[];
  random?: RandomSelection;
}

/** Terminal risk management (Book 3 §10.6, Book 4 §6.3.5). */
export function terminalRiskManagement(input: RiskInput, opts: RiskOptions = {}): RiskResult {
  const tvr = opts.tvr ?? newTvr();
  const tsi = opts.tsi ?? newTsi();
  const findings: RiskFinding[] = [];
  const result: RiskResult = { tvr, tsi, findings };
  if (
    input.pan !== undefined &&
    input.exceptionFile?.some((e) => e.pan === input.pan && (e.psn === undefined || input.psn === undefined || e.psn === input.psn))
  ) {
    findings.push({ bit: 'exceptionFile', reason: `PAN ${input.pan} is in the exception file` });
  }
  if (input.merchantForcedOnline) findings.push({ bit: 'merchantForcedOnline', reason: 'merchant forced the transaction online' });
  const performed = !input.aip || ((input.aip[0] ?? 0) & 0x08) !== 0;
  if (performed) {
    const logged = input.log && input.pan !== undefined ? lastLoggedAmount(input.log, input.pan, input.psn) : undefined;
    findings.push(...checkFloorLimit(input.amount, input.floorLimit, logged));
    const env = input.terminalType ? terminalTypeInfo(input.terminalType).online : 'offline with online capability';
    if (input.random && env === 'offline with online capability') {
      result.random = randomSelection(input.amount, input.floorLimit, input.random, opts.random);
      if (result.random.selected) {
        findings.push({ bit: 'randomlySelected', reason: `draw ${result.random.draw} ≤ ${Number(result.random.percent!.toFixed(2))}%` });
      }
    }
    if (input.velocity) findings.push(...checkVelocity(input.velocity));
    setTsi(tsi, 'terminalRiskManagementPerformed');
  }
  for (const f of findings) setTvr(tvr, f.bit);
  return result;
}
