/**
 * The Allure results of a run, completed from the run model as they are
 * written: each result gets the requirement tree from the catalogue (epic =
 * area, feature = requirement group, story = requirement), its severity and
 * source clauses, the status of its verdict (a set-up that failed shows as
 * broken with the hook's message, a scenario the target cannot run says what
 * it lacks) and the APDU trace of the whole scenario. The environment (sample,
 * target, reader, ATR, profile, spec version), the executor and the verdict
 * categories are written once the run ends.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMessageAndTraceFromError } from 'allure-js-commons/sdk';
import { AREA_TITLES, type RequirementIndex, type Severity } from '../model/catalog.ts';
import { pinMasker } from './secrets.ts';
import { ALLURE_STATUS, type ScenarioResult, hookFailure } from './verdicts.ts';

export interface Label {
  name: string;
  value: string;
}

/** A step of an Allure result, with its own steps. */
interface AllureStep {
  name?: string;
  parameters?: { name: string; value: string }[];
  steps?: AllureStep[];
}

/** The parts of an Allure test result this module completes. */
export interface AllureResult {
  uuid: string;
  name?: string;
  fullName?: string;
  steps?: AllureStep[];
  status?: string;
  statusDetails?: { message?: string; trace?: string };
  labels: Label[];
  parameters: { name: string; value: string }[];
  attachments: { name: string; source: string; type: string }[];
  links?: { name?: string; url: string; type?: string }[];
}

const SEVERITY_ORDER: Severity[] = ['blocker', 'critical', 'normal', 'minor', 'trivial'];

/** Labels the requirement tree replaces (allure-cucumberjs sets `feature` to the feature's name). */
const TREE_LABELS = ['feature', 'epic', 'story', 'severity', 'requirement'];

export const SCENARIO_TRACE_NAME = 'APDU trace (whole scenario)';

/**
 * The label carrying a result's own uuid into the HTML report, where Allure
 * gives each test case an id of its own: the matrix links each scenario to
 * its page in the report through it (html.ts reportPages).
 */
export const RESULT_LABEL = 'ssc-lab-result';

/** The traceability matrix page, from the HTML report's index.html (both under the run's output directory). */
export const MATRIX_FROM_REPORT = '../matrix/matrix.html';

/** The link from a result to its requirement's row of the matrix, which shows the source clause and every scenario. */
export function matrixLink(index: RequirementIndex, id: string): { name: string; url: string; type: string } {
  const req = index.get(id);
  const source = req ? ` — ${index.documentTitle(req.source.document)}, ${req.source.clause}` : '';
  return { name: `Traceability matrix: ${id}${source}`, url: `${MATRIX_FROM_REPORT}#${id}`, type: 'matrix' };
}

/**
 * The Allure labels that place a result once in the requirement tree, under
 * its primary requirement (the first id: epic = area, feature = group, story =
 * requirement), its severity (the primary requirement's), a `requirement`
 * label for every id (the references too, for filtering) and the source
 * clauses, for catalogue ids.
 */
export function requirementTree(index: RequirementIndex, ids: readonly string[]): { labels: Label[]; source?: string } {
  const reqs = ids.map((id) => index.get(id)).filter((x) => x !== undefined);
  const labels: Label[] = [];
  const primary = reqs[0];
  if (primary) {
    labels.push({ name: 'epic', value: AREA_TITLES[primary.area] });
    labels.push({ name: 'feature', value: primary.group });
    labels.push({ name: 'story', value: `${primary.id} ${primary.title}` });
  }
  for (const req of reqs) labels.push({ name: 'requirement', value: req.id });
  const severity = primary ? SEVERITY_ORDER.find((s) => s === primary.severity) : undefined;
  if (severity) labels.push({ name: 'severity', value: severity });
  const sources = reqs.map((q) => `${q.id}: ${index.documentTitle(q.source.document)}, ${q.source.clause}`);
  return { labels, ...(sources.length ? { source: sources.join(' | ') } : {}) };
}

/** A finding as one line for a message: its lines joined, spaces squeezed, cut at 300 characters. */
export function oneLine(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The last exchanges of a trace text (its last `n` numbered exchanges), as evidence. */
function lastExchanges(text: string, n: number): string {
  const starts = [...text.matchAll(/^#\d+ /gm)].map((m) => m.index);
  return starts.length > n ? text.slice(starts[starts.length - n]) : text;
}

/**
 * A non-conformity as a lab reads it: the requirement it proves, its source
 * clause, what the check found (expected against actual, as the check says
 * it) and the last APDUs of the step that found it — no stack trace: the card
 * failed, not the tool.
 */
export function nonConformityDetails(s: ScenarioResult, index: RequirementIndex): NonNullable<AllureResult['statusDetails']> {
  const req = s.requirements[0] ? index.get(s.requirements[0]) : undefined;
  const found = s.decisive?.result.exception?.message ?? s.decisive?.result.message ?? s.reason ?? '';
  const failed = s.steps.find((st) => st.status === 'FAILED');
  const evidence = failed ? [...s.traces].reverse().find((t) => t.step.endsWith(failed.text)) : undefined;
  const lines = [
    req ? `Requirement: ${req.id} ${req.title}` : undefined,
    req ? `Source: ${index.documentTitle(req.source.document)}, ${req.source.clause}` : undefined,
    failed ? `Step: ${failed.keyword.trim()} ${failed.text}` : undefined,
    `Found: ${found}`,
    evidence ? `APDUs of that step (the last ones):\n${lastExchanges(evidence.text, 2)}` : undefined,
  ];
  return {
    // the one-line reason, unless it only announces what follows ("content of 3F00/2F02 differs:"): then the finding whole
    message: `${req ? `${req.id}: ` : ''}${oneLine(s.reason && !/:\s*$/.test(s.reason) ? s.reason : found || s.reason || '')}`,
    trace: lines.filter((l) => l !== undefined).join('\n'),
  };
}

/**
 * The status details the verdict gives: a non-conformity with its
 * requirement, clause, finding and APDUs; the hook's failure for a set-up or
 * tear-down that failed; what the target lacks for a scenario not applicable;
 * for an inconclusive step, its one-line reason (the stack goes to an
 * attachment, see {@link completeResult}).
 */
export function statusDetailsOf(s: ScenarioResult, index?: RequirementIndex): AllureResult['statusDetails'] | undefined {
  if (s.verdict === 'not-applicable')
    return s.reason ? { message: `Not applicable to this ${s.reason.startsWith('ICS ') ? 'sample' : 'target'}: ${s.reason}` } : undefined;
  if (s.verdict === 'not-run') return { message: `Not run: ${s.reason ?? 'the sample could not be tested any more'}` };
  if (s.verdict === 'non-conforming' && index) return nonConformityDetails(s, index);
  const d = s.decisive;
  if (!d?.hook && s.verdict === 'inconclusive' && d) return { message: s.reason ?? d.result.exception?.message ?? 'no message' };
  if (!d?.hook || d.result.status !== 'FAILED') return undefined;
  const e = d.result.exception;
  const details = e
    ? getMessageAndTraceFromError({ message: d.result.message ?? e.message ?? '', ...(e.stackTrace ? { stack: e.stackTrace } : {}) })
    : {};
  return { message: hookFailure(d.hook, details.message ?? 'no message'), ...(details.trace ? { trace: details.trace } : {}) };
}

/** The scenario's APDU traces as one text, each under the step (or set-up) that caused it; `mask` hides PINs in step names. */
export function scenarioTrace(s: ScenarioResult, mask: (text: string) => string = (t) => t): string | undefined {
  if (s.traces.length === 0) return undefined;
  return `${s.traces.map((t) => `── ${mask(t.step)}\n${t.text}`).join('\n\n')}\n`;
}

/** The PINs of a result's words masked in place: its names, parameters and steps (secrets.ts). */
function maskResult(r: AllureResult, mask: (text: string) => string): void {
  if (r.name !== undefined) r.name = mask(r.name);
  if (r.fullName !== undefined) r.fullName = mask(r.fullName);
  for (const p of r.parameters) p.value = mask(p.value);
  const steps = (list: AllureStep[] | undefined): void => {
    for (const st of list ?? []) {
      if (st.name !== undefined) st.name = mask(st.name);
      for (const p of st.parameters ?? []) p.value = mask(p.value);
      steps(st.steps);
    }
  };
  steps(r.steps);
}

/**
 * Completes a result allure-cucumberjs is about to write with what the run
 * model says of its scenario; `attach` writes an attachment file next to it.
 */
export function completeResult(
  r: AllureResult,
  s: ScenarioResult,
  index: RequirementIndex,
  attach: (source: string, text: string) => void,
  showSecrets = false,
): void {
  const mask = pinMasker(
    s.steps.map((st) => st.text),
    showSecrets,
  );
  maskResult(r, mask);
  // the primary requirement's id leads the name: the report's search finds a requirement's scenarios by its id
  const primaryId = s.requirements[0];
  if (primaryId && r.name !== undefined && !r.name.startsWith(`${primaryId} `)) r.name = `${primaryId} · ${r.name}`;
  const tree = requirementTree(index, s.requirements);
  r.labels = [...r.labels.filter((l) => !TREE_LABELS.includes(l.name)), ...tree.labels, { name: RESULT_LABEL, value: r.uuid }];
  if (primaryId) r.links = [...(r.links ?? []).filter((l) => l.type !== 'matrix'), matrixLink(index, primaryId)];
  r.parameters = r.parameters.filter((p) => p.name !== 'source');
  if (tree.source) r.parameters.push({ name: 'source', value: tree.source });
  r.status = ALLURE_STATUS[s.verdict];
  const details = statusDetailsOf(s, index);
  if (details) r.statusDetails = { ...details, ...(details.message ? { message: mask(details.message) } : {}) };
  // an inconclusive scenario's stack trace, for whoever fixes the tool or the set-up: an attachment, not the verdict's words
  const stack = s.verdict === 'inconclusive' ? s.decisive?.result.exception?.stackTrace : undefined;
  if (stack) {
    const source = `${r.uuid}-stack-trace-attachment.txt`;
    attach(source, stack);
    r.attachments.push({ name: 'stack trace (tool, set-up or transport)', source, type: 'text/plain' });
  }
  const trace = scenarioTrace(s, mask);
  if (trace) {
    const source = `${r.uuid}-scenario-trace-attachment.txt`;
    attach(source, trace);
    r.attachments.push({ name: SCENARIO_TRACE_NAME, source, type: 'text/plain' });
  }
}

/** The run's environment, executor and categories, next to its results. */
export function writeRunFiles(dir: string, environment: Record<string, string>): void {
  writeFileSync(join(dir, 'environment.properties'), environmentProperties(environment));
  // The executor widget and the report title name the sample and the tool.
  const sample = environment['Sample ID'] ?? '';
  writeFileSync(
    join(dir, 'executor.json'),
    JSON.stringify({
      name: environment['Tool version'] ?? 'ssc-lab',
      type: 'ssc-lab',
      buildName: `Traceability matrix — sample ${sample || '(unnamed)'}, run of ${environment['Run started'] ?? ''}`.trim(),
      reportName: `ssc-lab conformance report${sample ? ` — sample ${sample}` : ''}`,
      // the executor's build links to the traceability matrix of the run
      buildUrl: MATRIX_FROM_REPORT,
    }),
  );
  writeFileSync(join(dir, 'categories.json'), JSON.stringify(CATEGORIES, null, 2));
}

/** Java properties format, escaping as the format requires. */
export function environmentProperties(env: Record<string, string>): string {
  const esc = (s: string, key: boolean) =>
    s
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .replace(key ? /[ =:]/g : /^ /, (c) => `\\${c}`);
  return `${Object.entries(env)
    .map(([k, v]) => `${esc(k, true)}=${esc(v, false)}`)
    .join('\n')}\n`;
}

/** Allure categories: verdicts a lab reads differently. */
export const CATEGORIES = [
  {
    name: 'Card non-conformities',
    description: 'The card (or terminal) did not behave as the requirement states: a verdict against the sample.',
    matchedStatuses: ['failed'],
  },
  {
    name: 'Inconclusive: transport',
    description: 'The reader, the card or the connection failed: no verdict on the requirement.',
    matchedStatuses: ['broken'],
    messageRegex: '(?s).*(Transport|transport|reader|removed|connection|no card).*',
  },
  {
    name: 'Inconclusive: tool or set-up',
    description: 'The test could not run as intended: no verdict on the requirement.',
    matchedStatuses: ['broken'],
  },
  {
    name: 'Not run',
    description: 'The sample could not be tested any more (the card left the reader): no verdict.',
    matchedStatuses: ['skipped'],
    messageRegex: 'Not run.*',
  },
  { name: 'Not applicable', description: 'The target lacks what the scenario needs.', matchedStatuses: ['skipped'] },
];
