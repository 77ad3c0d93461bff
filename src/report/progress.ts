/**
 * The console while a run goes: on a terminal, one line rewritten in place —
 * scenario i of n, the requirement it proves, the non-conformities and
 * inconclusive scenarios so far, the time left at the pace so far; otherwise
 * (a CI log, a pipe) a plain line at every tenth of the run. The failures are
 * summarised one line each when the run ends (cli/run.ts), the details are in
 * the report. Fed with each scenario as it finishes, from whichever process
 * ran it.
 */
import type { ScenarioResult, Verdict } from './verdicts.ts';

/** Seconds as m:ss. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The progress line after `done` of `total` scenarios, `elapsed` seconds in, with the counts so far. */
export function progressLine(
  done: number,
  total: number,
  elapsed: number,
  counts: Partial<Record<Verdict, number>>,
  requirement?: string,
): string {
  const left = done > 0 && total > done ? ` — about ${clock((elapsed / done) * (total - done))} left` : '';
  const bad = [
    `${counts['non-conforming'] ?? 0} non-conforming`,
    `${(counts.inconclusive ?? 0) + (counts.undefined ?? 0)} inconclusive`,
    ...(counts['not-run'] ? [`${counts['not-run']} not run`] : []),
  ].join(', ');
  return `scenario ${done} of ${total}${requirement ? ` [${requirement}]` : ''}: ${bad}${left}`;
}

export class Progress {
  private readonly tty: boolean;
  private readonly counts: Partial<Record<Verdict, number>> = {};
  private readonly started = Date.now();
  private done = 0;
  private nextTenth = 1;

  /** `total` scenarios to come; the lines go to `out` (none without). */
  constructor(
    private readonly total: number,
    private readonly out?: NodeJS.WritableStream,
  ) {
    this.tty = (out as NodeJS.WriteStream | undefined)?.isTTY === true;
  }

  scenario(s: Pick<ScenarioResult, 'verdict' | 'requirements'>): void {
    this.done++;
    this.counts[s.verdict] = (this.counts[s.verdict] ?? 0) + 1;
    if (!this.out) return;
    const line = progressLine(this.done, this.total, (Date.now() - this.started) / 1000, this.counts, s.requirements[0]);
    if (this.tty) this.out.write(`\r\x1b[2K${line}`);
    else if (this.done * 10 >= this.nextTenth * this.total) {
      this.out.write(`${line}\n`);
      while (this.done * 10 >= this.nextTenth * this.total) this.nextTenth++;
    }
  }

  /** The run is over: a terminal's rewritten line is ended. */
  end(): void {
    if (this.out && this.tty && this.done > 0) this.out.write('\n');
  }
}
