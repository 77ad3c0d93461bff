/**
 * What the process does when it is told to stop (SIGINT, SIGTERM, SIGHUP):
 * every part that holds something unfinished — a run's results so far, a
 * child process (the Java report renderer, a terminal under test), a served
 * card's connections — registers a clean-up; on the first signal they all
 * run, in the reverse order of registration (one that returns a promise is
 * given up to 5 s to settle), and the process exits with 128 + the signal's number
 * (130 for SIGINT, 143 for SIGTERM): an interrupted run never reads as a pass.
 * A second signal while cleaning up exits at once with the same code.
 */
import { constants } from 'node:os';

export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export const INTERRUPT_SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The exit code of a process ended by `signal`: 128 + its number (POSIX shells' convention). */
export function signalExitCode(signal: NodeJS.Signals): number {
  const n = constants.signals[signal];
  return 128 + (typeof n === 'number' ? n : 1);
}

type Cleanup = (signal: InterruptSignal) => unknown;

const cleanups: Cleanup[] = [];
let interrupted: InterruptSignal | undefined;

/** Registers a clean-up for an interruption; the function returned removes it (call it once the work is done). */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.push(cleanup);
  return () => {
    const i = cleanups.lastIndexOf(cleanup);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/**
 * A turn of the event loop, for a signal that came meanwhile to be handled. A
 * run on the simulator waits on no I/O: its scenarios follow one another as
 * promise continuations, and a signal would be handled only once the last
 * one is done. Awaited before each scenario (steps/hooks.ts).
 */
export function letSignalsIn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The signal that interrupted the process, once one has. */
export function interruptedBy(): InterruptSignal | undefined {
  return interrupted;
}

/**
 * Runs the registered clean-ups for `signal` (newest first); a clean-up that
 * throws does not stop the others. Returns the exit code and the clean-ups
 * still settling.
 */
export function runCleanups(
  signal: InterruptSignal,
  report: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
): { code: number; pending: Promise<unknown>[] } {
  interrupted = signal;
  const pending: Promise<unknown>[] = [];
  for (const c of [...cleanups].reverse()) {
    try {
      const r = c(signal);
      if (r instanceof Promise) pending.push(r.catch((e: Error) => report(`ssc-lab: while stopping: ${e.message}`)));
    } catch (e) {
      report(`ssc-lab: while stopping: ${(e as Error).message}`);
    }
  }
  cleanups.length = 0;
  return { code: signalExitCode(signal), pending };
}

/** How long clean-ups that return a promise are given before the process exits anyway. */
const SETTLE_MS = 5000;

/**
 * Installs the handlers: on a signal, the clean-ups run and the process exits
 * with the signal's code once stderr and stdout have taken what was written.
 */
export function installInterruptHandlers(): void {
  for (const signal of INTERRUPT_SIGNALS) {
    process.on(signal, () => {
      if (interrupted) process.exit(signalExitCode(interrupted));
      const { code, pending } = runCleanups(signal);
      const exit = () => process.stderr.write(`ssc-lab: stopped by ${signal} (exit ${code})\n`, () => process.exit(code));
      const late = setTimeout(exit, SETTLE_MS);
      late.unref();
      void Promise.allSettled(pending).then(() => {
        clearTimeout(late);
        exit();
      });
      // a stream that never drains must not keep an interrupted process alive
      setTimeout(() => process.exit(code), SETTLE_MS + 2000).unref();
    });
  }
}
