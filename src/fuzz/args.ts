/**
 * The fuzzer's command line: `--count N` APDUs (default 10000), `--seed S`
 * (a 32-bit unsigned integer; default today's date as YYYYMMDD), `--card ID`
 * (repeatable: only the cards whose id is or ends with ID, e.g.
 * `good-2.0-des` or `profile:default.json`), `--help`. A bad flag is a
 * {@link FuzzUsageError}: one line, exit code 2.
 */

export const FUZZ_USAGE = `Usage: npm run fuzz -- [--count N] [--seed S] [--card ID]...

Structure-aware APDU fuzzing of the simulator: every profile and test card, every
instruction with mutated parameters, extended and truncated APDUs, logical channels,
environment switches, resets and power cuts, PBOC transactions with issuer scripts;
invariants checked after every response. A failure is shrunk to a minimal sequence.

  --count N   APDUs to send (default 10000)
  --seed S    seed, 0..4294967295 (default: today as YYYYMMDD)
  --card ID   only this card (test card id or profile:<file>); repeatable

Exit codes: 0 no violation, 1 an invariant was violated, 2 usage error.`;

export class FuzzUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FuzzUsageError';
  }
}

export interface FuzzArgs {
  count: number;
  seed: number;
  cards: string[];
  help: boolean;
}

export function todaySeed(now = new Date()): number {
  return now.getUTCFullYear() * 10000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate();
}

function integer(flag: string, text: string, min: number, max: number): number {
  if (!/^[0-9]+$/.test(text)) throw new FuzzUsageError(`${flag}: expected an integer ${min}..${max}, got "${text}"`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new FuzzUsageError(`${flag}: expected an integer ${min}..${max}, got "${text}"`);
  return n;
}

export function parseFuzzArgs(argv: readonly string[], now = new Date()): FuzzArgs {
  const out: FuzzArgs = { count: 10000, seed: todaySeed(now), cards: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new FuzzUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--count':
        out.count = integer('--count', value(), 1, 1_000_000_000);
        break;
      case '--seed':
        out.seed = integer('--seed', value(), 0, 0xffffffff);
        break;
      case '--card':
        out.cards.push(value());
        break;
      case '--help':
      case '-h':
        out.help = true;
        break;
      default:
        throw new FuzzUsageError(
          arg.startsWith('-') ? `unknown flag ${flag} (npm run fuzz -- --help)` : `unexpected argument "${arg}" (npm run fuzz -- --help)`,
        );
    }
  }
  return out;
}

/** The targets named by `--card`, in their order; an unknown one is a usage error. */
export function selectTargets<T extends { id: string }>(targets: readonly T[], cards: readonly string[]): T[] {
  if (cards.length === 0) return [...targets];
  return cards.map((c) => {
    const t = targets.find((x) => x.id === c || x.id.endsWith(`:${c}`));
    if (!t) throw new FuzzUsageError(`--card: no card "${c}" (${targets.map((x) => x.id.replace(/^card:/, '')).join(', ')})`);
    return t;
  });
}
