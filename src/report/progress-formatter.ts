/**
 * The console while a run goes: on a terminal, one line rewritten in place —
 * scenario i of n, the requirement it proves, the non-conformities and
 * inconclusive scenarios so far, the time left at the pace so far; otherwise
 * (a CI log, a pipe) a plain line at every tenth of the run. The failures are
 * summarised one line each when the run ends (cli/run.ts), the details are in
 * the report. `ssc-lab run` names this module as cucumber's stdout formatter.
 */
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type { Envelope } from '@cucumber/messages';
import { RunModel, type Verdict } from './verdicts.ts';

/** This module, as cucumber's `formats` names a formatter. */
export const PROGRESS_FORMATTER = import.meta.url;

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

export default class ProgressFormatter extends Formatter {
  static override readonly documentation = 'one progress line: scenario i of n, requirement, failures so far, time left';

  constructor(options: IFormatterOptions) {
    super(options);
    const model = new RunModel();
    const tty = (options.stream as NodeJS.WriteStream).isTTY === true;
    const counts: Partial<Record<Verdict, number>> = {};
    let total = 0;
    let done = 0;
    let started = 0;
    let nextTenth = 1;
    options.eventBroadcaster.on('envelope', (m: Envelope) => {
      model.onMessage(m);
      if (m.testCase) total++;
      else if (m.testRunStarted) started = Date.now();
      else if (m.testCaseFinished && !m.testCaseFinished.willBeRetried) {
        const s = model.scenarioOf(m.testCaseFinished.testCaseStartedId);
        if (!s) return;
        done++;
        counts[s.verdict] = (counts[s.verdict] ?? 0) + 1;
        const line = progressLine(done, total, (Date.now() - started) / 1000, counts, s.requirements[0]);
        if (tty) this.log(`\r\x1b[2K${line}`);
        else if (done * 10 >= nextTenth * total) {
          this.log(`${line}\n`);
          while (done * 10 >= nextTenth * total) nextTenth++;
        }
      } else if (m.testRunFinished && tty && done > 0) this.log('\n');
    });
  }
}
