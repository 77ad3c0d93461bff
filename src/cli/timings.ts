/**
 * Where a command's wall time goes, phase by phase, printed to stderr when
 * `SSC_LAB_TIMINGS=1` (for `npm run bench` and for whoever profiles a slow
 * run); silent otherwise.
 */
import { performance } from 'node:perf_hooks';

export interface PhaseTimer {
  /** Ends the current phase under `name`. */
  mark(name: string): void;
  /** The phases so far, in milliseconds, in order. */
  readonly phases: readonly { name: string; ms: number }[];
  /** Prints the phases (with the process's start-up before the first) when asked for by the environment. */
  print(env?: NodeJS.ProcessEnv, label?: string): void;
}

export function phaseTimer(now: () => number = () => performance.now()): PhaseTimer {
  const phases: { name: string; ms: number }[] = [];
  // performance.now() counts from the start of the process: the phase before the first mark includes Node's start-up
  let last = now();
  const startup = last;
  return {
    phases,
    mark(name) {
      const t = now();
      phases.push({ name, ms: t - last });
      last = t;
    },
    print(env = process.env, label = 'ssc-lab timings') {
      if (env.SSC_LAB_TIMINGS !== '1') return;
      const lines = [
        `process start-up and module loading ${(startup / 1000).toFixed(2)} s`,
        ...phases.map((p) => `${p.name} ${(p.ms / 1000).toFixed(2)} s`),
      ];
      process.stderr.write(`${label}: ${lines.join(' | ')}\n`);
    },
  };
}
