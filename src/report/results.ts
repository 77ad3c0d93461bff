/**
 * Collects scenario verdicts from the cucumber message stream: one verdict per
 * executed pickle (the last attempt when retried), with the requirement ids it
 * names and the first line of the reason when it did not pass.
 */
import type { Envelope, Pickle, TestStepResult } from '@cucumber/messages';
import { REQ_TAG } from '../model/catalog.ts';

/** passed; failed = non-conformity (assertion); broken = tool/transport error; not-applicable; undefined step. */
export type Verdict = 'passed' | 'failed' | 'broken' | 'not-applicable' | 'undefined';

export interface ScenarioVerdict {
  pickleId: string;
  name: string;
  uri: string;
  requirements: string[];
  tags: string[];
  verdict: Verdict;
  reason?: string;
}

const RANK: Record<string, number> = { PASSED: 0, SKIPPED: 1, PENDING: 2, UNDEFINED: 3, AMBIGUOUS: 4, FAILED: 5, UNKNOWN: 1 };

export class VerdictCollector {
  private readonly pickles = new Map<string, Pickle>();
  private readonly testCases = new Map<string, string>(); // testCase id → pickle id
  private readonly started = new Map<string, { pickleId: string; worst?: TestStepResult }>();
  private readonly verdicts = new Map<string, ScenarioVerdict>();

  readonly onMessage = (m: Envelope): void => {
    if (m.pickle) this.pickles.set(m.pickle.id, m.pickle);
    else if (m.testCase) this.testCases.set(m.testCase.id, m.testCase.pickleId);
    else if (m.testCaseStarted) {
      const pickleId = this.testCases.get(m.testCaseStarted.testCaseId);
      if (pickleId) this.started.set(m.testCaseStarted.id, { pickleId });
    } else if (m.testStepFinished) {
      const s = this.started.get(m.testStepFinished.testCaseStartedId);
      const r = m.testStepFinished.testStepResult;
      if (s && (!s.worst || (RANK[r.status] ?? 0) > (RANK[s.worst.status] ?? 0))) s.worst = r;
    } else if (m.testCaseFinished) {
      const s = this.started.get(m.testCaseFinished.testCaseStartedId);
      if (!s || m.testCaseFinished.willBeRetried) return;
      const pickle = this.pickles.get(s.pickleId)!;
      const tags = pickle.tags.map((t) => t.name);
      const v: ScenarioVerdict = {
        pickleId: pickle.id,
        name: pickle.name,
        uri: pickle.uri,
        tags,
        requirements: tags.map((t) => REQ_TAG.exec(t)?.[1]).filter((x): x is string => x !== undefined),
        verdict: toVerdict(s.worst),
      };
      const reason = s.worst?.exception?.message ?? s.worst?.message ?? (s.worst?.status === 'UNDEFINED' ? 'a step has no definition' : undefined);
      if (v.verdict !== 'passed' && reason) v.reason = reason.split('\n')[0];
      this.verdicts.set(pickle.id, v);
    }
  };

  /** Pickles seen in the stream (all of them, also in a dry run). */
  get allPickles(): Pickle[] {
    return [...this.pickles.values()];
  }

  get results(): ScenarioVerdict[] {
    return [...this.verdicts.values()];
  }
}

function toVerdict(r: TestStepResult | undefined): Verdict {
  switch (r?.status) {
    case undefined:
    case 'PASSED':
      return 'passed';
    case 'SKIPPED':
      return 'not-applicable';
    case 'UNDEFINED':
    case 'AMBIGUOUS':
    case 'PENDING':
      return 'undefined';
    case 'FAILED':
      return r.exception?.type === 'AssertionError' ? 'failed' : 'broken';
    default:
      return 'broken';
  }
}

export function countVerdicts(results: ScenarioVerdict[]): Record<Verdict, number> {
  const c: Record<Verdict, number> = { passed: 0, failed: 0, broken: 0, 'not-applicable': 0, undefined: 0 };
  for (const r of results) c[r.verdict]++;
  return c;
}
