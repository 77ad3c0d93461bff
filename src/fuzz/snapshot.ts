/**
 * What the oracle sees of the card around each command (a white-box
 * snapshot: every DF's keys and PINs with their try counters and values, the
 * application blocks, the PBOC ATC, the security state of the session and the
 * PBOC transaction in progress), one exchange as it sees it, and what it
 * remembers over an episode (the challenges already spent).
 */
import { type Bytes, toHex } from '../core/bytes.ts';
import type { CommandApdu } from '../core/apdu.ts';
import type { Protocol } from '../core/atr.ts';
import type { BlockAlg } from '../crypto/block.ts';
import { KEY_TYPE } from '../model/keys.ts';
import { type PbocCardData, transactions } from '../sim/apps/pboc-data.ts';
import type { SimulatedCard } from '../sim/card.ts';
import { type DedicatedFile, allDfs, environmentOf } from '../sim/fs.ts';

export interface RefState {
  tries: number;
  max: number;
  /** A key's value, or a PIN's digits. */
  value: Bytes | string;
  type: number;
  alg?: BlockAlg;
}

export interface DfState {
  env: DedicatedFile;
  keys: Map<number, RefState>;
  pins: Map<number, RefState>;
  blocked?: 'temporary' | 'permanent';
  pboc?: PbocCardData;
  atc?: number;
}

/** The card's security-relevant state at one moment. */
export interface Snapshot {
  mf: DedicatedFile;
  dfs: Map<DedicatedFile, DfState>;
  env: DedicatedFile;
  currentDf: DedicatedFile;
  keys: ReadonlySet<number>;
  pins: ReadonlySet<number>;
  challenge?: Bytes;
  /** The PBOC transaction in progress: its stage and ARQC. */
  pboc?: { stage: string; arqc?: Bytes };
}

export function snapshot(card: SimulatedCard): Snapshot {
  const dfs = new Map<DedicatedFile, DfState>();
  for (const df of allDfs(card.mf)) {
    const keys = new Map<number, RefState>();
    for (const k of df.keys.values()) keys.set(k.id, { tries: k.tries, max: k.maxTries, value: k.value, type: k.type, alg: k.alg });
    const pins = new Map<number, RefState>();
    for (const p of df.pins.values()) pins.set(p.id, { tries: p.tries, max: p.maxTries, value: p.value, type: KEY_TYPE.PIN });
    const state: DfState = { env: environmentOf(df), keys, pins };
    if (df.blocked) state.blocked = df.blocked;
    const pboc = (df as DedicatedFile & { pboc?: PbocCardData }).pboc;
    if (pboc) {
      state.pboc = pboc;
      state.atc = pboc.atc;
    }
    dfs.set(df, state);
  }
  const sec = card.context.security;
  const snap: Snapshot = {
    mf: card.mf,
    dfs,
    env: sec.env,
    currentDf: card.context.currentDf,
    keys: new Set(sec.keys),
    pins: new Set(sec.pins),
  };
  if (sec.challenge) snap.challenge = sec.challenge;
  const txn = transactions.get(sec);
  if (txn) snap.pboc = { stage: txn.stage, ...(txn.arqc ? { arqc: txn.arqc } : {}) };
  return snap;
}

/** One exchange as the oracle sees it. */
export interface Exchange {
  apdu: Bytes;
  /** The decoded command, when the bytes are a valid APDU. */
  cmd?: CommandApdu;
  response: Bytes;
  protocol: Protocol;
  fault?: Error;
  /** The power was cut during the command: its answer is lost, its committed writes stay. */
  torn?: boolean;
}

/** What the oracle remembers over an episode: the challenges already spent by a command that needed one. */
export class OracleMemory {
  private readonly used = new Set<string>();
  private spent?: string;

  /** The challenge before the command, unless an earlier command already spent it. */
  fresh(challenge: Bytes | undefined): Bytes | undefined {
    if (!challenge) return undefined;
    const hex = toHex(challenge);
    if (this.used.has(hex)) return undefined;
    this.spent = hex;
    return challenge;
  }

  /** The command was judged: the challenge it relied on is spent. */
  commit(): void {
    if (this.spent) this.used.add(this.spent);
    this.spent = undefined;
  }
}

/** Whether a key or PIN value differs between two snapshots (the card holds a new secret). */
export function referencesChanged(before: Snapshot, after: Snapshot): boolean {
  for (const [df, a] of after.dfs) {
    const b = before.dfs.get(df);
    if (!b) return true;
    for (const [id, k] of a.keys) if (b.keys.get(id)?.value !== k.value) return true;
    for (const [id, p] of a.pins) if (b.pins.get(id)?.value !== p.value) return true;
  }
  return false;
}
