/**
 * `npm run fuzz`: parses the flags, builds the cards, runs the fuzzer and
 * reports — one summary line (APDUs, cards, episodes, time and rate, seed,
 * distinct status words, invariant checks), and for a failure the invariant,
 * the seed, the card and the shrunk APDU sequence, one APDU in hex per line.
 * Exit codes: 0 no violation, 1 violation, 2 usage or configuration error.
 */
import { DataError } from '../core/json.ts';
import { FUZZ_USAGE, FuzzUsageError, parseFuzzArgs, selectTargets } from './args.ts';
import { type FuzzResult, runFuzz } from './fuzz.ts';
import { type Target, allTargets } from './targets.ts';

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

export function summaryLine(r: FuzzResult, seed: number, cards: number): string {
  const s = r.ms / 1000;
  const rate = s > 0 ? Math.round(r.apdus / s) : r.apdus;
  return (
    `fuzz: ${r.apdus} APDUs, ${cards} cards, ${r.episodes} episodes in ${s.toFixed(1)} s (${rate} APDUs/s), seed ${seed}, ` +
    `${r.sws.size} distinct status words, ${r.checks} invariant checks, ${r.failure ? 'VIOLATION' : 'no violation'}`
  );
}

export function failureReport(r: FuzzResult, seed: number): string[] {
  const f = r.failure;
  if (!f) return [];
  return [
    `violated: ${f.violation.invariant} — ${f.violation.message}`,
    `seed ${seed}, episode ${f.episode}, card ${f.target}; shrunk from ${f.originalLength} to ${f.lines.length} steps, from a fresh clone of the card:`,
    ...f.lines,
    `last answer: ${f.lastAnswer || '(none: power cut)'}`,
  ];
}

export async function fuzzCommand(argv: readonly string[], io: Output, build: () => Promise<Target[]> = allTargets): Promise<number> {
  let targets: Target[];
  let args: ReturnType<typeof parseFuzzArgs>;
  try {
    args = parseFuzzArgs(argv);
    if (args.help) {
      io.out(FUZZ_USAGE);
      return 0;
    }
    targets = selectTargets(await build(), args.cards);
  } catch (e) {
    if (e instanceof FuzzUsageError || e instanceof DataError) {
      io.err(`fuzz: ${e.message.split('\n')[0]}`);
      return 2;
    }
    throw e;
  }
  // The simulator answers most fuzzed commands by throwing a CardError: their stack traces are never read here.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let result: FuzzResult;
  try {
    result = runFuzz({ count: args.count, seed: args.seed, targets });
  } finally {
    Error.stackTraceLimit = limit;
  }
  io.out(summaryLine(result, args.seed, targets.length));
  for (const line of failureReport(result, args.seed)) io.out(line);
  return result.failure ? 1 : 0;
}
