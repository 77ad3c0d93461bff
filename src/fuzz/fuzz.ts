/**
 * The fuzzing run: episodes over the targets in turn, each seeded from the
 * run's seed and its number, until the requested number of APDUs was sent;
 * at the first violation the failing episode is shrunk to a minimal sequence
 * and the run stops. Deterministic: the same seed, count and targets give the
 * same episodes, answers and result.
 */
import { toHex } from '../core/bytes.ts';
import { playEpisode, traceLines } from './episode.ts';
import type { Violation } from './invariants.ts';
import { Prng, deriveSeed } from './prng.ts';
import { shrink } from './shrink.ts';
import type { Target } from './targets.ts';

export interface Failure {
  violation: Violation;
  target: string;
  episode: number;
  /** Actions of the failing episode before shrinking. */
  originalLength: number;
  /** The minimal sequence: APDUs in hex, resets and power cuts. */
  lines: string[];
  /** The answer to the last APDU of the minimal sequence, in hex ('' after a power cut). */
  lastAnswer: string;
}

export interface FuzzResult {
  apdus: number;
  episodes: number;
  checks: number;
  ms: number;
  sws: Map<number, number>;
  failure?: Failure;
}

/** Episode lengths: short ones reach fresh states often, long ones reach deep states. */
function episodeLength(seed: number): number {
  const rng = new Prng(deriveSeed(seed, 2));
  return rng.chance(0.7) ? rng.range(10, 120) : rng.range(120, 600);
}

export function runFuzz(options: { count: number; seed: number; targets: readonly Target[]; shrinkReplays?: number }): FuzzResult {
  const { count, seed, targets } = options;
  if (targets.length === 0) throw new RangeError('no card to fuzz');
  const t0 = performance.now();
  const result: FuzzResult = { apdus: 0, episodes: 0, checks: 0, ms: 0, sws: new Map() };
  for (let episode = 0; result.apdus < count; episode++) {
    const target = targets[episode % targets.length]!;
    const eseed = deriveSeed(seed, episode);
    const r = playEpisode(target, eseed, { budget: Math.min(count - result.apdus, episodeLength(eseed)) });
    result.episodes++;
    result.apdus += r.sent;
    result.checks += r.checks;
    for (const [sw, n] of r.sws) result.sws.set(sw, (result.sws.get(sw) ?? 0) + n);
    if (r.violation) {
      const invariant = r.violation.invariant;
      const minimal = shrink(
        r.actions,
        (list) => {
          const again = playEpisode(target, eseed, { replay: list });
          return again.violation?.invariant === invariant ? again.actions : undefined;
        },
        options.shrinkReplays,
      );
      const final = playEpisode(target, eseed, { replay: minimal });
      const last = final.trace[final.trace.length - 1]?.response;
      result.failure = {
        violation: final.violation ?? r.violation,
        target: target.id,
        episode,
        originalLength: r.actions.length,
        lines: traceLines(final.trace),
        lastAnswer: last ? toHex(last) : '',
      };
      break;
    }
    if (r.sent === 0) break;
  }
  result.ms = performance.now() - t0;
  return result;
}
