/**
 * The run model: what a run found, built once from the cucumber message
 * stream as it arrives. Every output reads it: the Allure results (completed
 * from it as allure-cucumberjs writes them), JUnit, coverage.json and the
 * console summary; `ssc-lab compare` reads a run back through the Allure
 * status each verdict is written as.
 *
 * A scenario's verdict comes from the most severe result among its steps and
 * hooks, the first of equally severe ones (README, Verdicts):
 *
 *   passed          every step and hook passed
 *   non-conforming  a step's check failed (an AssertionError): the card did not do what the requirement states
 *   inconclusive    the tool, reader or transport failed, or a hook (opening or releasing the card) did: no verdict
 *   not applicable  the scenario was skipped: the target lacks what its `@needs:` tags name
 *   not run         the scenario was skipped because the sample could not be tested any more (the card left the reader)
 *   undefined       a step has no definition, or several, or is pending (the dry run stops on these)
 *
 * A requirement's verdict comes from the scenarios that name it.
 */
import {
  type Envelope,
  type GherkinDocument,
  type Pickle,
  type Scenario,
  type TestStepResult,
  type Timestamp,
  TimeConversion,
} from '@cucumber/messages';
import { NEEDS_TAG, type RequirementIndex, type coverage, requirementIds } from '../model/catalog.ts';
import { TRACE_NAME } from './trace.ts';

export type Verdict = 'passed' | 'non-conforming' | 'inconclusive' | 'not-applicable' | 'not-run' | 'undefined';

export const VERDICTS: readonly Verdict[] = ['passed', 'non-conforming', 'inconclusive', 'not-applicable', 'not-run', 'undefined'];

/** What the set-up logs to have a skipped scenario reported not run (steps/hooks.ts), the reason after it. */
export const NOT_RUN_LOG = 'not run: ';

/** What the set-up logs when the sample's ICS makes the scenario's requirement not applicable, the ICS item after it. */
export const ICS_LOG = 'not applicable by the ICS: ';

/** One step or hook of a scenario as it finished. */
export interface StepOutcome {
  result: TestStepResult;
  /** Set for a hook: run before the scenario (set-up) or after it (tear-down), with its name. */
  hook?: { when: 'before' | 'after'; name?: string };
}

/** Severity of a step result; the most severe decides the scenario (the first of equals). */
const SEVERITY: Record<string, number> = { PASSED: 0, SKIPPED: 1, UNKNOWN: 2, PENDING: 3, UNDEFINED: 4, AMBIGUOUS: 5, FAILED: 6 };

export interface ScenarioVerdict {
  verdict: Verdict;
  /** The step or hook that decided a verdict other than passed. */
  decisive?: StepOutcome;
  /** Why, in one line, when the scenario did not pass (and, when not applicable, the target's lack is known). */
  reason?: string;
}

/** What a hook's failure is called in a reason: `set-up "open the card" failed: …`. */
export function hookFailure(hook: NonNullable<StepOutcome['hook']>, message: string): string {
  return `${hook.when === 'before' ? 'set-up' : 'tear-down'} "${hook.name ?? 'hook'}" failed: ${message}`;
}

/**
 * The verdict of one scenario from its steps and hooks in the order they ran;
 * `missing` lists the capabilities the target lacks for it, if known.
 */
export function scenarioVerdict(steps: readonly StepOutcome[], missing: readonly string[] = []): ScenarioVerdict {
  let decisive: StepOutcome | undefined;
  for (const s of steps) if ((SEVERITY[s.result.status] ?? 2) > (decisive ? (SEVERITY[decisive.result.status] ?? 2) : 0)) decisive = s;
  if (!decisive) return { verdict: 'passed' };
  const r = decisive.result;
  const firstLine = (r.exception?.message ?? r.message)?.split('\n')[0];
  switch (r.status) {
    case 'SKIPPED':
      return { verdict: 'not-applicable', decisive, ...(missing.length ? { reason: `the scenario needs ${missing.join(', ')}` } : {}) };
    case 'UNDEFINED':
      return { verdict: 'undefined', decisive, reason: firstLine ?? 'a step has no definition' };
    case 'AMBIGUOUS':
    case 'PENDING':
      return { verdict: 'undefined', decisive, ...(firstLine ? { reason: firstLine } : {}) };
    case 'FAILED': {
      if (decisive.hook) return { verdict: 'inconclusive', decisive, reason: hookFailure(decisive.hook, firstLine ?? 'no message') };
      const verdict = r.exception?.type === 'AssertionError' ? 'non-conforming' : 'inconclusive';
      return { verdict, decisive, ...(firstLine ? { reason: firstLine } : {}) };
    }
    default:
      return { verdict: 'inconclusive', decisive, ...(firstLine ? { reason: firstLine } : {}) };
  }
}

/** A skipped scenario whose set-up said why it was not run is not run, not not applicable. */
function notRunOr(v: ScenarioVerdict, notRun: string | undefined, byIcs?: string): ScenarioVerdict {
  if (v.verdict !== 'not-applicable') return v;
  if (notRun !== undefined) return { ...v, verdict: 'not-run', reason: notRun };
  return byIcs !== undefined ? { ...v, reason: byIcs } : v;
}

/** The Allure status a verdict is written as (README, Verdicts). */
export const ALLURE_STATUS: Record<Verdict, 'passed' | 'failed' | 'broken' | 'skipped'> = {
  passed: 'passed',
  'non-conforming': 'failed',
  inconclusive: 'broken',
  'not-applicable': 'skipped',
  'not-run': 'skipped',
  undefined: 'broken',
};

/** The verdict an Allure status stands for: `'undefined'` (no verdict) for a status no verdict is written as. */
export function verdictOfAllureStatus(status: string | undefined): Verdict {
  switch (status) {
    case 'passed':
      return 'passed';
    case 'failed':
      return 'non-conforming';
    case 'broken':
      return 'inconclusive';
    case 'skipped':
      return 'not-applicable';
    default:
      return 'undefined';
  }
}

/** Where a scenario sits in its feature file, as JUnit names it. */
export interface Lineage {
  feature?: string;
  rule?: string;
  scenario?: string;
  examples?: string;
  /** Outline examples: the Examples block's and the row's positions, from 0. */
  example?: { block: number; row: number };
}

/** A step of the scenario (not a hook) as it finished. */
export interface PickleStepOutcome {
  keyword: string;
  text: string;
  status: TestStepResult['status'];
}

/** One executed scenario (the last attempt when retried). */
export interface ScenarioResult extends ScenarioVerdict {
  pickleId: string;
  name: string;
  uri: string;
  line?: number;
  lineage: Lineage;
  tags: string[];
  requirements: string[];
  steps: PickleStepOutcome[];
  /** The APDU traces its set-up and steps attached, in order, each under the step's name. */
  traces: { step: string; text: string }[];
  started: Timestamp;
  finished: Timestamp;
}

interface Attempt {
  pickleId: string;
  testCaseId: string;
  started: Timestamp;
  outcomes: StepOutcome[];
  steps: PickleStepOutcome[];
  traces: { step: string; text: string }[];
  /** Why the set-up did not run the scenario, when it said so (NOT_RUN_LOG). */
  notRun?: string;
  /** Why the ICS makes it not applicable (ICS_LOG). */
  byIcs?: string;
}

/**
 * The model of one run, fed with every message of the stream (`onMessage`).
 * Built without capabilities (the dry run), it names no lack for scenarios
 * that were not applicable.
 */
export class RunModel {
  private readonly pickles = new Map<string, Pickle>();
  private readonly hooks = new Map<string, { when?: 'before' | 'after'; name?: string }>();
  private readonly testCases = new Map<string, { pickleId: string; steps: Map<string, { hookId?: string; pickleStepId?: string }> }>();
  private readonly keywords = new Map<string, string>(); // Gherkin step id → keyword
  private readonly lineages = new Map<string, Lineage>(); // scenario or example row id → lineage
  private readonly attempts = new Map<string, Attempt>();
  private readonly byPickle = new Map<string, ScenarioResult>();
  private readonly byAttempt = new Map<string, ScenarioResult>();
  runStarted?: Timestamp;
  runFinished?: Timestamp;

  constructor(private readonly capabilities?: readonly string[]) {}

  readonly onMessage = (m: Envelope): void => {
    if (m.gherkinDocument) this.document(m.gherkinDocument);
    else if (m.pickle) this.pickles.set(m.pickle.id, m.pickle);
    else if (m.hook) {
      const when = m.hook.type === 'BEFORE_TEST_CASE' ? 'before' : m.hook.type === 'AFTER_TEST_CASE' ? 'after' : undefined;
      this.hooks.set(m.hook.id, { ...(when ? { when } : {}), ...(m.hook.name !== undefined ? { name: m.hook.name } : {}) });
    } else if (m.testCase) {
      const steps = new Map(
        m.testCase.testSteps.map((s) => [
          s.id,
          { ...(s.hookId ? { hookId: s.hookId } : {}), ...(s.pickleStepId ? { pickleStepId: s.pickleStepId } : {}) },
        ]),
      );
      this.testCases.set(m.testCase.id, { pickleId: m.testCase.pickleId, steps });
    } else if (m.testCaseStarted) {
      const tc = this.testCases.get(m.testCaseStarted.testCaseId);
      if (tc)
        this.attempts.set(m.testCaseStarted.id, {
          pickleId: tc.pickleId,
          testCaseId: m.testCaseStarted.testCaseId,
          started: m.testCaseStarted.timestamp,
          outcomes: [],
          steps: [],
          traces: [],
        });
    } else if (m.attachment) this.attachment(m.attachment);
    else if (m.testStepFinished) {
      const a = this.attempts.get(m.testStepFinished.testCaseStartedId);
      const step = a && this.step(a, m.testStepFinished.testStepId);
      if (!a || !step) return;
      const result = m.testStepFinished.testStepResult;
      a.outcomes.push({ result, ...(step.hook ? { hook: step.hook } : {}) });
      if (step.pickle) a.steps.push({ ...step.pickle, status: result.status });
    } else if (m.testCaseFinished) {
      const a = this.attempts.get(m.testCaseFinished.testCaseStartedId);
      this.attempts.delete(m.testCaseFinished.testCaseStartedId);
      if (a && !m.testCaseFinished.willBeRetried) this.finish(m.testCaseFinished.testCaseStartedId, a, m.testCaseFinished.timestamp);
    } else if (m.testRunStarted) this.runStarted = m.testRunStarted.timestamp;
    else if (m.testRunFinished) this.runFinished = m.testRunFinished.timestamp;
  };

  /** Pickles seen in the stream (all of them, also in a dry run). */
  get allPickles(): Pickle[] {
    return [...this.pickles.values()];
  }

  /** The executed scenarios, in the order they first finished. */
  get scenarios(): ScenarioResult[] {
    return [...this.byPickle.values()];
  }

  /** The scenario a test-case attempt finished as (once its `testCaseFinished` arrived). */
  scenarioOf(testCaseStartedId: string): ScenarioResult | undefined {
    return this.byAttempt.get(testCaseStartedId);
  }

  private finish(attemptId: string, a: Attempt, finished: Timestamp): void {
    const pickle = this.pickles.get(a.pickleId)!;
    const tags = pickle.tags.map((t) => t.name);
    const needs = tags.map((t) => NEEDS_TAG.exec(t)?.[1]).filter((c): c is string => c !== undefined);
    const missing = this.capabilities ? needs.filter((c) => !this.capabilities!.includes(c)) : [];
    const result: ScenarioResult = {
      pickleId: pickle.id,
      name: pickle.name,
      uri: pickle.uri,
      ...(pickle.location ? { line: pickle.location.line } : {}),
      lineage: this.lineages.get(pickle.astNodeIds.at(-1) ?? '') ?? {},
      tags,
      requirements: requirementIds(tags),
      ...notRunOr(scenarioVerdict(a.outcomes, a.byIcs ? [] : missing), a.notRun, a.byIcs),
      steps: a.steps,
      traces: a.traces,
      started: a.started,
      finished,
    };
    this.byPickle.set(pickle.id, result);
    this.byAttempt.set(attemptId, result);
  }

  /** What a test step of an attempt is: a hook, or a pickle step with its keyword and text. */
  private step(a: Attempt, testStepId: string): { hook?: StepOutcome['hook']; pickle?: { keyword: string; text: string } } | undefined {
    const ts = this.testCases.get(a.testCaseId)?.steps.get(testStepId);
    if (!ts) return undefined;
    if (ts.hookId) {
      const h = this.hooks.get(ts.hookId);
      return { hook: { when: h?.when ?? 'before', ...(h?.name !== undefined ? { name: h.name } : {}) } };
    }
    const ps = this.pickles.get(a.pickleId)?.steps.find((s) => s.id === ts.pickleStepId);
    if (!ps) return {};
    const keyword = ps.astNodeIds.map((id) => this.keywords.get(id)).find((k) => k !== undefined) ?? '';
    return { pickle: { keyword, text: ps.text } };
  }

  /** APDU traces: those of the set-up and of the steps, under the step's name; the tear-down's are left out. */
  private attachment(att: NonNullable<Envelope['attachment']>): void {
    if (att.mediaType === 'text/x.cucumber.log+plain' && att.testCaseStartedId) {
      const a = this.attempts.get(att.testCaseStartedId);
      if (a && att.body.startsWith(NOT_RUN_LOG)) a.notRun = att.body.slice(NOT_RUN_LOG.length);
      if (a && att.body.startsWith(ICS_LOG)) a.byIcs = att.body.slice(ICS_LOG.length);
      return;
    }
    if (att.fileName !== TRACE_NAME || !att.testCaseStartedId || !att.testStepId) return;
    const a = this.attempts.get(att.testCaseStartedId);
    const step = a && this.step(a, att.testStepId);
    if (!a || !step || step.hook?.when === 'after') return;
    const label = step.hook ? `set-up: ${step.hook.name ?? 'hook'}` : `${step.pickle?.keyword ?? ''}${step.pickle?.text ?? ''}`;
    const text = att.contentEncoding === 'BASE64' ? Buffer.from(att.body, 'base64').toString('utf8') : att.body;
    a.traces.push({ step: label, text });
  }

  /** Step keywords and scenario lineages of a feature file. */
  private document(doc: GherkinDocument): void {
    const feature = doc.feature;
    if (!feature) return;
    const scenario = (s: Scenario, rule?: string) => {
      for (const step of s.steps) this.keywords.set(step.id, step.keyword);
      const base: Lineage = { feature: feature.name, ...(rule !== undefined ? { rule } : {}), scenario: s.name };
      this.lineages.set(s.id, base);
      for (const [block, ex] of s.examples.entries()) {
        for (const [i, row] of ex.tableBody.entries())
          this.lineages.set(row.id, { ...base, examples: ex.name, example: { block, row: i } });
      }
    };
    for (const child of feature.children) {
      for (const step of child.background?.steps ?? []) this.keywords.set(step.id, step.keyword);
      if (child.scenario) scenario(child.scenario);
      for (const rc of child.rule?.children ?? []) {
        for (const step of rc.background?.steps ?? []) this.keywords.set(step.id, step.keyword);
        if (rc.scenario) scenario(rc.scenario, child.rule!.name);
      }
    }
  }
}

export function countVerdicts(scenarios: readonly { verdict: Verdict }[]): Record<Verdict, number> {
  const c = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const s of scenarios) c[s.verdict]++;
  return c;
}

/** The duration from one message timestamp to another, in seconds (as JUnit gives times). */
export function secondsBetween(from: Timestamp | undefined, to: Timestamp | undefined): number {
  if (!from || !to) return 0;
  const ms = TimeConversion.timestampToMillisecondsSinceEpoch(to) - TimeConversion.timestampToMillisecondsSinceEpoch(from);
  return TimeConversion.durationToMilliseconds(TimeConversion.millisecondsToDuration(ms)) / 1000;
}

export interface RequirementVerdict {
  id: string;
  title: string;
  area: string;
  source: string;
  /** How many scenarios of the suite (or the selection) name it. */
  scenarios: number;
  /** How many scenarios name it as a reference (not their primary requirement): they touch it, they do not prove it. */
  references: number;
  /**
   * From the scenarios whose primary requirement it is (the first `@req:` tag):
   * failed: one of them non-conforming; inconclusive: none non-conforming, one inconclusive or undefined (no verdict);
   * not-applicable: all not applicable; passed: the others passed;
   * trace-check: verified on terminal traces by `ssc-lab terminal-test`, not by scenarios;
   * no-scenario: no scenario of the suite (or the selection) proves it; not-run: its scenarios did not run.
   */
  verdict: 'passed' | 'failed' | 'inconclusive' | 'not-applicable' | 'no-scenario' | 'trace-check' | 'not-run';
}

/** Per requirement of the catalogue: how many scenarios prove it and the verdict derived from theirs (primary requirement only). */
export function requirementVerdicts(
  index: RequirementIndex,
  cov: ReturnType<typeof coverage>,
  scenarios: readonly Pick<ScenarioResult, 'requirements' | 'verdict'>[],
): RequirementVerdict[] {
  return index.all.map((r) => {
    const mine = scenarios.filter((s) => s.requirements[0] === r.id);
    let verdict: RequirementVerdict['verdict'];
    if (!cov.covered.has(r.id)) verdict = r.verifiedBy === 'trace' ? 'trace-check' : 'no-scenario';
    else if (mine.length === 0) verdict = 'not-run';
    else if (mine.some((s) => s.verdict === 'non-conforming')) verdict = 'failed';
    else if (mine.some((s) => s.verdict === 'inconclusive' || s.verdict === 'undefined')) verdict = 'inconclusive';
    else if (mine.some((s) => s.verdict === 'not-run')) verdict = 'not-run';
    else if (mine.every((s) => s.verdict === 'not-applicable')) verdict = 'not-applicable';
    else verdict = 'passed';
    return {
      id: r.id,
      title: r.title,
      area: r.area,
      source: `${r.source.document} ${r.source.clause}`,
      scenarios: cov.covered.get(r.id) ?? 0,
      references: cov.referenced.get(r.id) ?? 0,
      verdict,
    };
  });
}
