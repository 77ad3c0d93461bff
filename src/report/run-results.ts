/**
 * The results of one run whose scenarios finished in one process or in
 * several (`ssc-lab run --parallel N` runs a share of them in each): every
 * scenario as it finished, wherever it ran, with the Allure result file
 * written for it, given back in the order of the run's plan — the order a
 * serial run finishes them in — so that JUnit, the matrix and the summary do
 * not depend on how the run was split.
 *
 * A planned scenario that no process reported (a process that ended before
 * its share was done) is given as not run, with why; it is never given a
 * verdict about the card.
 */
import type { Timestamp } from '@cucumber/messages';
import type { ScenarioResult } from './verdicts.ts';

/** What identifies a scenario across processes: its feature file and line (an example row's, for an outline). */
export type PlannedScenario = Pick<ScenarioResult, 'uri' | 'line'>;

const keyOf = (s: PlannedScenario) => `${s.uri}:${s.line ?? ''}`;

const earlier = (a: Timestamp | undefined, b: Timestamp | undefined) => (!a || (b && tsLess(b, a)) ? b : a);
const later = (a: Timestamp | undefined, b: Timestamp | undefined) => (!a || (b && tsLess(a, b)) ? b : a);

function tsLess(a: Timestamp, b: Timestamp): boolean {
  const sa = Number(a.seconds);
  const sb = Number(b.seconds);
  return sa < sb || (sa === sb && a.nanos < b.nanos);
}

export class RunResults {
  private readonly order = new Map<string, number>();
  private readonly finished = new Map<string, ScenarioResult>();
  private readonly files = new Map<string, string>();
  runStarted?: Timestamp;
  runFinished?: Timestamp;

  /** `plan`: the run's scenarios (the dry run's results) in the order they are given back. */
  constructor(private readonly plan: readonly ScenarioResult[]) {
    for (const [i, s] of plan.entries()) this.order.set(keyOf(s), i);
  }

  /** A scenario finished, with the Allure result file written for it. */
  add(s: ScenarioResult, resultFile?: string): void {
    this.finished.set(keyOf(s), s);
    if (resultFile) this.files.set(s.pickleId, resultFile);
  }

  /** A process ran between these times. */
  ran(started: Timestamp | undefined, finished: Timestamp | undefined): void {
    this.runStarted = earlier(this.runStarted, started);
    this.runFinished = later(this.runFinished, finished);
  }

  /** The finished scenarios, in the plan's order (a scenario outside the plan last, in the order it came). */
  get scenarios(): ScenarioResult[] {
    const rank = (s: ScenarioResult) => this.order.get(keyOf(s)) ?? Number.MAX_SAFE_INTEGER;
    return [...this.finished.values()]
      .map((s, i) => ({ s, i }))
      .sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i)
      .map(({ s }) => s);
  }

  /** The Allure result file of a finished scenario (by its pickle id). */
  resultFile(pickleId: string): string | undefined {
    return this.files.get(pickleId);
  }

  /** The planned scenarios no process reported. */
  get missing(): PlannedScenario[] {
    return this.plan.filter((s) => !this.finished.has(keyOf(s)));
  }

  /**
   * The planned scenarios no process reported (of those `which` picks by their place in the plan), given as not
   * run for `reason`, each made from its planned scenario (the dry run's result: name, tags, requirements).
   */
  notRun(reason: string, which: (planned: ScenarioResult, i: number) => boolean = () => true): void {
    this.plan.forEach((p, i) => {
      if (this.finished.has(keyOf(p)) || !which(p, i)) return;
      const { decisive: _decisive, ...rest } = p;
      this.finished.set(keyOf(p), { ...rest, verdict: 'not-run', reason, traces: [] });
    });
  }
}
