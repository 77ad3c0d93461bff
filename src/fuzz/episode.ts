/**
 * One fuzzing episode: a fresh clone of a target card (its challenges drawn
 * from a generator seeded by the episode), a sequence of actions — generated
 * as it goes, or replayed from a list when a failure is shrunk — and every
 * invariant checked after every response. The episode stops at the first
 * violation and returns the actions up to it, with what was sent and answered.
 */
import { type Bytes, toHex } from '../core/bytes.ts';
import { type CommandApdu, decodeCommand } from '../core/apdu.ts';
import { PowerLoss } from '../sim/nvm.ts';
import { nextActions } from './generate.ts';
import {
  INVARIANTS,
  type Exchange,
  OracleMemory,
  type Violation,
  checkLeak,
  checkReset,
  checkResponse,
  checkState,
  referencesChanged,
  snapshot,
} from './invariants.ts';
import { Prng, deriveSeed } from './prng.ts';
import { secretsOf } from './secrets.ts';
import type { Target } from './targets.ts';
import { type Action, type Step, type World, forget, observe } from './world.ts';

export interface TraceEntry {
  step: Step;
  /** The answer; undefined after a reset or a power cut. */
  response?: Bytes;
}

export interface EpisodeResult {
  /** APDUs sent. */
  sent: number;
  /** Invariant evaluations. */
  checks: number;
  /** The actions played, up to and including the one that failed. */
  actions: Action[];
  trace: TraceEntry[];
  violation?: Violation;
  /** Status words seen, with their counts. */
  sws: Map<number, number>;
}

function decode(apdu: Bytes): CommandApdu | undefined {
  try {
    return decodeCommand(apdu);
  } catch {
    return undefined;
  }
}

/** Instructions after whose success the card may hold new secrets (PINs, keys). */
const RELOADS = new Set([0xd4, 0x24, 0x5e, 0xe2]);

/**
 * Plays an episode on a fresh clone of `target`: the `replay` actions, or
 * generated ones until `budget` APDUs were sent.
 */
export function playEpisode(target: Target, seed: number, options: { budget?: number; replay?: readonly Action[] } = {}): EpisodeResult {
  const cardRng = new Prng(deriveSeed(seed, 0x5eed));
  const card = target.template.clone({ random: (n) => cardRng.bytes(n) });
  card.reset();
  const w: World = { card, know: target.know, live: {} };
  const gen = new Prng(deriveSeed(seed, 1));
  const budget = options.budget ?? Number.POSITIVE_INFINITY;
  const checksPerApdu = INVARIANTS.filter((i) => !target.excused.has(i)).length;
  const result: EpisodeResult = { sent: 0, checks: 0, actions: [], trace: [], sws: new Map() };
  let secrets = target.secrets;
  let before = snapshot(card);
  const memory = new OracleMemory();
  const queue: Action[] = [];
  let next = 0;
  const fail = (v: Violation | undefined): boolean => {
    if (!v || target.excused.has(v.invariant)) return false;
    result.violation = v;
    return true;
  };
  while (result.sent < budget) {
    let action: Action | undefined;
    if (options.replay) action = options.replay[next++];
    else {
      if (queue.length === 0) queue.push(...nextActions(w, gen));
      action = queue.shift();
    }
    if (!action) break;
    result.actions.push(action);
    const step = action.make(w, new Prng(action.seed));
    if (step.kind === 'reset') {
      card.reset();
      forget(w.live);
      result.trace.push({ step });
      before = snapshot(card);
      if (fail(checkReset(before))) break;
      continue;
    }
    if (step.kind === 'tear') card.armTear(step.write);
    let response: Bytes | undefined;
    let escaped: Error | undefined;
    try {
      response = card.process(step.apdu);
    } catch (e) {
      if (!(step.kind === 'tear' && e instanceof PowerLoss)) escaped = e instanceof Error ? e : new Error(String(e));
    }
    result.sent++;
    result.checks += checksPerApdu;
    result.trace.push({ step, ...(response ? { response } : {}) });
    const cmd = decode(step.apdu);
    if (escaped) {
      fail({ invariant: 'internal-fault', message: `an exception escaped the simulator: ${escaped.message}` });
      break;
    }
    if (!response) {
      // the power was cut: the card comes back after a reset; what it committed must still hold the invariants
      card.reset();
      forget(w.live);
      const after = snapshot(card);
      const x: Exchange = { apdu: step.apdu, response: new Uint8Array(0), protocol: card.protocol, torn: true, ...(cmd ? { cmd } : {}) };
      if (fail(checkState(before, after, x, memory) ?? checkReset(after))) break;
      if (referencesChanged(before, after)) secrets = secretsOf(target.keysets, card.mf, target.publicData, secrets);
      before = after;
      continue;
    }
    const sw = response.length >= 2 ? (response[response.length - 2]! << 8) | response[response.length - 1]! : -1;
    result.sws.set(sw, (result.sws.get(sw) ?? 0) + 1);
    const x: Exchange = {
      apdu: step.apdu,
      response,
      protocol: card.protocol,
      ...(cmd ? { cmd } : {}),
      ...(card.lastFault ? { fault: card.lastFault } : {}),
    };
    card.lastFault = undefined;
    observe(w.live, step.apdu, response);
    if (fail(checkResponse(x)) || fail(checkLeak(x, secrets))) break;
    const after = snapshot(card);
    if (fail(checkState(before, after, x, memory))) break;
    if (cmd && RELOADS.has(cmd.ins) && (sw === 0x9000 || sw >> 8 === 0x61) && referencesChanged(before, after)) {
      secrets = secretsOf(target.keysets, card.mf, target.publicData, secrets);
    }
    before = after;
  }
  return result;
}

/** The trace as lines: each APDU in hex, `reset` for a reset, `power cut at write k:` before a torn APDU. */
export function traceLines(trace: readonly TraceEntry[]): string[] {
  return trace.map(({ step }) => {
    if (step.kind === 'reset') return 'reset';
    if (step.kind === 'tear') return `power cut at write ${step.write}: ${toHex(step.apdu)}`;
    return toHex(step.apdu);
  });
}
