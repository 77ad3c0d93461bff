/**
 * After a run, the Allure results are completed from the data the product
 * owns: each result gets the requirement tree from the catalogue (epic = area,
 * feature = requirement group, story = requirement) and its severity; a
 * scenario whose set-up failed is shown as broken, not skipped; a scenario the
 * target cannot run is marked not applicable; the environment (sample, target,
 * reader, ATR, profile, spec version) and the verdict categories are written.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AREA_TITLES, NEEDS_TAG, REQ_TAG, type RequirementIndex, type Severity } from '../model/catalog.ts';

export interface Label {
  name: string;
  value: string;
}

interface StatusDetails {
  message?: string;
  trace?: string;
}

interface AllureResult extends StepNode {
  uuid: string;
  name: string;
  status?: string;
  statusDetails?: StatusDetails;
  labels: Label[];
  links: { name?: string; url: string; type?: string }[];
  parameters?: { name: string; value: string }[];
}

interface Attachment {
  name: string;
  source: string;
  type: string;
}

interface StepNode {
  name?: string;
  attachments?: Attachment[];
  steps?: StepNode[];
}

interface FixtureResult extends StepNode {
  status?: string;
  statusDetails?: StatusDetails;
}

interface AllureContainer {
  children?: string[];
  befores?: FixtureResult[];
  afters?: FixtureResult[];
}

const SEVERITY_ORDER: Severity[] = ['blocker', 'critical', 'normal', 'minor', 'trivial'];

export interface EnrichOptions {
  index: RequirementIndex;
  capabilities: readonly string[];
  environment: Record<string, string>;
}

export interface EnrichSummary {
  results: number;
  withRequirement: number;
  withTrace: number;
  repairedSetupFailures: number;
  notApplicable: number;
}

export const TRACE_NAME = 'APDU trace';
export const SCENARIO_TRACE_NAME = 'APDU trace (whole scenario)';

/** Trace attachments below a node, in document order, with the step they belong to. */
function traces(node: StepNode, stepName?: string): { step: string; source: string }[] {
  const own = (node.attachments ?? []).filter((a) => a.name === TRACE_NAME).map((a) => ({ step: stepName ?? node.name ?? '', source: a.source }));
  return [...own, ...(node.steps ?? []).flatMap((s) => traces(s, s.name === TRACE_NAME ? stepName ?? node.name : s.name))];
}

/**
 * The Allure labels that place a result in the requirement tree (epic = area,
 * feature = group, story = requirement), its severity (the highest of its
 * requirements) and the source clauses, for catalogue ids.
 */
export function requirementTree(index: RequirementIndex, ids: readonly string[]): { labels: Label[]; source?: string } {
  const reqs = ids.map((id) => index.get(id)).filter((x) => x !== undefined);
  const labels: Label[] = [];
  for (const req of reqs) {
    labels.push({ name: 'requirement', value: req.id });
    labels.push({ name: 'epic', value: AREA_TITLES[req.area] });
    labels.push({ name: 'feature', value: req.group });
    labels.push({ name: 'story', value: `${req.id} ${req.title}` });
  }
  const severity = SEVERITY_ORDER.find((s) => reqs.some((q) => q.severity === s));
  if (severity) labels.push({ name: 'severity', value: severity });
  const sources = reqs.map((q) => `${q.id}: ${index.documentTitle(q.source.document)}, ${q.source.clause}`);
  return { labels, ...(sources.length ? { source: sources.join(' | ') } : {}) };
}

export function enrichAllureResults(dir: string, options: EnrichOptions): EnrichSummary {
  const files = readdirSync(dir);
  // Failed set-up fixtures, by the test they belong to.
  const failedSetup = new Map<string, FixtureResult>();
  const setupTraces = new Map<string, { step: string; source: string }[]>();
  for (const f of files.filter((n) => n.endsWith('-container.json'))) {
    const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as AllureContainer;
    for (const b of c.befores ?? []) {
      for (const child of c.children ?? []) {
        if (b.status === 'failed' || b.status === 'broken') failedSetup.set(child, b);
        const t = traces(b, `set-up: ${b.name ?? 'hook'}`);
        if (t.length) setupTraces.set(child, [...(setupTraces.get(child) ?? []), ...t]);
      }
    }
  }
  const summary: EnrichSummary = { results: 0, withRequirement: 0, withTrace: 0, repairedSetupFailures: 0, notApplicable: 0 };
  for (const f of files.filter((n) => n.endsWith('-result.json'))) {
    const path = join(dir, f);
    const r = JSON.parse(readFileSync(path, 'utf8')) as AllureResult;
    summary.results++;
    const tags = r.labels.filter((l) => l.name === 'tag').map((l) => l.value);
    const reqIds = r.labels.filter((l) => l.name === 'requirement').map((l) => l.value);
    for (const t of tags) {
      const m = REQ_TAG.exec(t);
      if (m && !reqIds.includes(m[1]!)) reqIds.push(m[1]!);
    }
    const kept = r.labels.filter((l) => !['feature', 'epic', 'story', 'severity', 'requirement'].includes(l.name));
    const tree = requirementTree(options.index, reqIds);
    r.labels = [...kept, ...tree.labels];
    if (tree.labels.length) summary.withRequirement++;
    r.parameters = (r.parameters ?? []).filter((p) => p.name !== 'source');
    if (tree.source) r.parameters.push({ name: 'source', value: tree.source });

    const setup = failedSetup.get(r.uuid);
    if (setup && r.status === 'skipped') {
      r.status = 'broken';
      r.statusDetails = { message: `set-up "${setup.name ?? 'hook'}" failed: ${setup.statusDetails?.message ?? 'no message'}`, ...(setup.statusDetails?.trace ? { trace: setup.statusDetails.trace } : {}) };
      summary.repairedSetupFailures++;
    } else if (r.status === 'skipped') {
      const missing = tags.map((t) => NEEDS_TAG.exec(t)?.[1]).filter((c): c is string => c !== undefined && !options.capabilities.includes(c));
      if (missing.length) {
        r.statusDetails = { message: `Not applicable to this target: the scenario needs ${missing.join(', ')}` };
        summary.notApplicable++;
      }
    }
    const all = [...(setupTraces.get(r.uuid) ?? []), ...(r.steps ?? []).flatMap((s) => traces(s, s.name))];
    r.attachments = (r.attachments ?? []).filter((a) => a.name !== SCENARIO_TRACE_NAME);
    if (all.length) {
      const text = all.map((t) => `── ${t.step}\n${readFileSync(join(dir, t.source), 'utf8')}`).join('\n\n');
      const source = `${r.uuid}-scenario-trace-attachment.txt`;
      writeFileSync(join(dir, source), text + '\n');
      r.attachments.push({ name: SCENARIO_TRACE_NAME, source, type: 'text/plain' });
      summary.withTrace++;
    }
    writeFileSync(path, JSON.stringify(r));
  }
  writeFileSync(join(dir, 'environment.properties'), environmentProperties(options.environment));
  // The executor widget and the report title name the sample and the tool.
  const sample = options.environment['Sample ID'] ?? '';
  writeFileSync(
    join(dir, 'executor.json'),
    JSON.stringify({
      name: options.environment['Tool version'] ?? 'ssc-lab',
      type: 'ssc-lab',
      buildName: `${sample} ${options.environment['Run started'] ?? ''}`.trim(),
      reportName: `ssc-lab conformance report${sample ? ` — sample ${sample}` : ''}`,
    }),
  );
  writeFileSync(join(dir, 'categories.json'), JSON.stringify(CATEGORIES, null, 2));
  return summary;
}

/** Java properties format, escaping as the format requires. */
export function environmentProperties(env: Record<string, string>): string {
  const esc = (s: string, key: boolean) =>
    s
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .replace(key ? /[ =:]/g : /^ /, (c) => `\\${c}`);
  return Object.entries(env)
    .map(([k, v]) => `${esc(k, true)}=${esc(v, false)}`)
    .join('\n') + '\n';
}

/** Allure categories: verdicts a lab reads differently. */
export const CATEGORIES = [
  { name: 'Non-conformities', description: 'The card or terminal did not behave as the requirement states.', matchedStatuses: ['failed'] },
  { name: 'Transport failures', description: 'The reader, card or connection failed; no verdict on the requirement.', matchedStatuses: ['broken'], messageRegex: '.*(Transport|reader|removed|connection).*' },
  { name: 'Tool or set-up errors', description: 'The test could not run as intended.', matchedStatuses: ['broken'] },
  { name: 'Not applicable', description: 'The target lacks what the scenario needs.', matchedStatuses: ['skipped'] },
];
