/**
 * Verdicts of two runs side by side: the same scenarios with the same
 * verdicts, or what differs. A lab compares a card in two readers, a sample
 * against the last certified one, or — as CI does — the PC/SC path against
 * the in-process simulator. Scenarios are matched by their full name (feature
 * file and scenario, an outline's example included) and parameters, less
 * the `source` parameter (the catalogue's citation of the requirement, which
 * changes with the catalogue, not with the scenario); the verdict is the one the run model wrote as the Allure status (verdicts.ts).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Verdict, verdictOfAllureStatus } from './verdicts.ts';

/** A scenario's verdict as a run's Allure results give it. */
export interface RecordedVerdict {
  name: string;
  verdict: Verdict;
  /** The Allure status, as the verdict is shown. */
  status: string;
  message?: string;
}

/** The parameters that tell scenarios apart: an outline's example values, not the requirement's citation. */
function scenarioParameters(parameters: unknown): unknown {
  return Array.isArray(parameters) ? parameters.filter((p) => (p as { name?: unknown } | null)?.name !== 'source') : (parameters ?? []);
}

/** The verdicts in an Allure results directory, by scenario key; results of terminal-test are left out. */
export function readVerdicts(dir: string): Map<string, RecordedVerdict> {
  if (!existsSync(dir)) throw new Error(`no Allure results in ${dir}`);
  const out = new Map<string, RecordedVerdict>();
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('-result.json') || f.startsWith('terminal-test-')) continue;
    let r: { fullName?: string; name?: string; status?: string; parameters?: unknown; statusDetails?: { message?: string } };
    try {
      r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    } catch (e) {
      throw new Error(`${join(dir, f)}: not JSON (${(e as Error).message})`);
    }
    const key = `${r.fullName ?? r.name ?? f}|${JSON.stringify(scenarioParameters(r.parameters))}`;
    if (out.has(key))
      throw new Error(`${dir}: the scenario "${r.fullName ?? r.name}" appears twice (results of two runs in one directory?)`);
    const status = r.status ?? 'unknown';
    const message = r.statusDetails?.message;
    // a skipped result that says it was not run is not run, not not applicable
    const verdict = status === 'skipped' && message?.startsWith('Not run') ? 'not-run' : verdictOfAllureStatus(status);
    out.set(key, { name: r.fullName ?? r.name ?? f, verdict, status, ...(message ? { message } : {}) });
  }
  return out;
}

export interface Comparison {
  same: number;
  /** Scenarios in both runs with different verdicts. */
  differ: { name: string; a: RecordedVerdict; b: RecordedVerdict }[];
  onlyA: RecordedVerdict[];
  onlyB: RecordedVerdict[];
  /** Verdict counts per run. */
  counts: { a: Record<string, number>; b: Record<string, number> };
}

export function compareVerdicts(a: Map<string, RecordedVerdict>, b: Map<string, RecordedVerdict>): Comparison {
  const result: Comparison = { same: 0, differ: [], onlyA: [], onlyB: [], counts: { a: {}, b: {} } };
  for (const v of a.values()) result.counts.a[v.verdict] = (result.counts.a[v.verdict] ?? 0) + 1;
  for (const v of b.values()) result.counts.b[v.verdict] = (result.counts.b[v.verdict] ?? 0) + 1;
  for (const [key, va] of a) {
    const vb = b.get(key);
    if (!vb) result.onlyA.push(va);
    else if (vb.verdict !== va.verdict) result.differ.push({ name: va.name, a: va, b: vb });
    else result.same++;
  }
  for (const [key, vb] of b) if (!a.has(key)) result.onlyB.push(vb);
  return result;
}

export function identical(c: Comparison): boolean {
  return c.differ.length === 0 && c.onlyA.length === 0 && c.onlyB.length === 0;
}

/** A requirement's verdict as a run's `coverage.json` gives it. */
export interface RecordedRequirement {
  id: string;
  title: string;
  verdict: string;
}

export interface RequirementComparison {
  same: number;
  /** Requirements whose verdict differs, A's and B's. */
  differ: { id: string; title: string; a: string; b: string }[];
  onlyA: string[];
  onlyB: string[];
}

/** The requirement verdicts of two runs (or two samples) side by side. */
export function compareRequirements(a: readonly RecordedRequirement[], b: readonly RecordedRequirement[]): RequirementComparison {
  const inB = new Map(b.map((r) => [r.id, r]));
  const inA = new Set(a.map((r) => r.id));
  const result: RequirementComparison = { same: 0, differ: [], onlyA: [], onlyB: b.filter((r) => !inA.has(r.id)).map((r) => r.id) };
  for (const r of a) {
    const other = inB.get(r.id);
    if (!other) result.onlyA.push(r.id);
    else if (other.verdict === r.verdict) result.same++;
    else result.differ.push({ id: r.id, title: r.title, a: r.verdict, b: other.verdict });
  }
  return result;
}
