/**
 * The traceability matrix of a run: requirement × the scenarios that prove it
 * (and those that only name it) × verdict × evidence, with the run's
 * metadata — who ran what on which sample, with which inputs (by SHA-256) and
 * which tool. Written from the run model like every other output, as JSON,
 * CSV and a self-contained HTML page that links each piece of evidence (the
 * scenario's Allure result, with its APDU trace) and the report.
 */
import type { RequirementIndex } from '../model/catalog.ts';
import { type CardIdentity, identityText } from '../model/identity.ts';
import type { RequirementVerdict, ScenarioResult, Verdict } from './verdicts.ts';

/** Who ran the suite on what, with what. */
export interface RunMetadata {
  lab?: string;
  operator?: string;
  sampleId: string;
  target: string;
  reader: string;
  atr: string;
  protocol: string;
  profile: { id: string; file: string; sha256: string; specVersion: string };
  catalogue: { name: string; version: string; sha256: string };
  tool: { version: string; commit?: string };
  started: string;
  finished: string;
  /** Tag filter or feature files, when the run was a selection. */
  selection?: string;
  /** The vendor and COS, as the ICS states them. */
  vendor?: string;
  cos?: string;
  /** The sample's identity read from the card by the pre-flight. */
  identity?: CardIdentity;
  /** What the pre-flight found and the operator forced past (`--force`). */
  preflight?: string[];
  /** The sample's implementation conformance statement. */
  ics?: { id: string; vendor: string; product: string; file: string; sha256: string };
}

/** A scenario as the matrix shows it: its name and verdict, and where its evidence is. */
export interface MatrixScenario {
  name: string;
  uri: string;
  line?: number;
  verdict: Verdict;
  reason?: string;
  /** The scenario's Allure result, relative to the matrix's directory's parent (the run's output directory). */
  evidence?: string;
  /** The scenario's page in the HTML report (steps, APDU trace), relative to the run's output directory. */
  report?: string;
}

export interface MatrixRow {
  id: string;
  title: string;
  area: string;
  group: string;
  severity: string;
  source: string;
  verdict: RequirementVerdict['verdict'];
  /** The scenarios whose primary requirement it is. */
  proving: MatrixScenario[];
  /** The scenarios that name it as a reference. */
  referencing: MatrixScenario[];
}

export interface Matrix {
  metadata: RunMetadata;
  summary: Record<RequirementVerdict['verdict'], number>;
  requirements: MatrixRow[];
}

const REQUIREMENT_VERDICTS: RequirementVerdict['verdict'][] = [
  'passed',
  'failed',
  'inconclusive',
  'not-applicable',
  'not-run',
  'no-scenario',
  'trace-check',
];

/** The matrix from the catalogue, the requirement verdicts and the scenarios; `evidence` names each scenario's result file. */
export function buildMatrix(
  index: RequirementIndex,
  verdicts: readonly RequirementVerdict[],
  scenarios: readonly ScenarioResult[],
  metadata: RunMetadata,
  evidence: (s: ScenarioResult) => string | undefined = () => undefined,
  mask: (s: ScenarioResult, text: string) => string = (_s, t) => t,
): Matrix {
  const shown = (s: ScenarioResult): MatrixScenario => {
    const e = evidence(s);
    return {
      name: mask(s, s.name),
      uri: s.uri,
      ...(s.line !== undefined ? { line: s.line } : {}),
      verdict: s.verdict,
      ...(s.reason ? { reason: mask(s, s.reason) } : {}),
      ...(e ? { evidence: e } : {}),
    };
  };
  const requirements = verdicts.map((v): MatrixRow => {
    const req = index.get(v.id)!;
    return {
      id: v.id,
      title: v.title,
      area: v.area,
      group: req.group,
      severity: req.severity,
      source: `${index.documentTitle(req.source.document)}, ${req.source.clause}`,
      verdict: v.verdict,
      proving: scenarios.filter((s) => s.requirements[0] === v.id).map(shown),
      referencing: scenarios.filter((s) => s.requirements.indexOf(v.id) > 0).map(shown),
    };
  });
  const summary = Object.fromEntries(REQUIREMENT_VERDICTS.map((x) => [x, 0])) as Matrix['summary'];
  for (const r of requirements) summary[r.verdict]++;
  return { metadata, summary, requirements };
}

/**
 * The matrix with each scenario's page in the HTML report, once the report
 * exists: `page` gives it from the scenario's evidence (its result file).
 */
export function withReportPages(m: Matrix, page: (s: MatrixScenario) => string | undefined): Matrix {
  const linked = (s: MatrixScenario): MatrixScenario => {
    const p = page(s);
    return p ? { ...s, report: p } : s;
  };
  return {
    ...m,
    requirements: m.requirements.map((r) => ({ ...r, proving: r.proving.map(linked), referencing: r.referencing.map(linked) })),
  };
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
function csvField(v: string | number | undefined): string {
  const s = v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The matrix as CSV: one line per requirement and proving scenario (one line for a requirement without any). */
export function matrixCsv(m: Matrix): string {
  const header = [
    'requirement',
    'title',
    'severity',
    'source',
    'requirement verdict',
    'scenario',
    'feature file',
    'scenario verdict',
    'reason',
    'evidence',
    'report page',
  ];
  const lines = [header.map(csvField).join(',')];
  for (const r of m.requirements) {
    const rows = r.proving.length ? r.proving : [undefined];
    for (const s of rows) {
      lines.push(
        [
          r.id,
          r.title,
          r.severity,
          r.source,
          r.verdict,
          s?.name,
          s ? `${s.uri}${s.line !== undefined ? `:${s.line}` : ''}` : undefined,
          s?.verdict,
          s?.reason,
          s?.evidence,
          s?.report,
        ]
          .map(csvField)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const VERDICT_TEXT: Record<RequirementVerdict['verdict'], string> = {
  passed: 'passed',
  failed: 'FAILED',
  inconclusive: 'inconclusive',
  'not-applicable': 'not applicable',
  'not-run': 'not run',
  'no-scenario': 'requirement missing',
  'trace-check': 'terminal-test',
};

/** The matrix as one HTML page, readable without a server; `reportHref` links the Allure report. */
export function matrixHtml(m: Matrix, reportHref?: string): string {
  const meta = m.metadata;
  const metaRows: [string, string | undefined][] = [
    ['Lab', meta.lab],
    ['Operator', meta.operator],
    ['Sample', meta.sampleId],
    ['Vendor', meta.vendor],
    ['COS', meta.cos],
    ['Card identity (read from the card)', meta.identity ? identityText(meta.identity) : undefined],
    ['Not read by the pre-flight', meta.identity?.notRead.length ? meta.identity.notRead.join(' | ') : undefined],
    ['Target', meta.target],
    ['Reader', meta.reader],
    ['ATR', `${meta.atr} (${meta.protocol})`],
    ['Profile', `${meta.profile.id} — ${meta.profile.file}, specification ${meta.profile.specVersion}, SHA-256 ${meta.profile.sha256}`],
    ['Catalogue', `${meta.catalogue.name} ${meta.catalogue.version}, SHA-256 ${meta.catalogue.sha256}`],
    ['Tool', `ssc-lab ${meta.tool.version}${meta.tool.commit ? ` (commit ${meta.tool.commit})` : ''}`],
    ['Run', `${meta.started} — ${meta.finished}`],
    ['Selection', meta.selection],
    ['Pre-flight (forced past)', meta.preflight?.join(' | ')],
    [
      'ICS',
      meta.ics ? `${meta.ics.id} — ${meta.ics.vendor}, ${meta.ics.product} (${meta.ics.file}, SHA-256 ${meta.ics.sha256})` : undefined,
    ],
  ];
  const scenarioList = (list: MatrixScenario[]) =>
    list
      .map((s) => {
        const target = s.report ?? s.evidence;
        const name = target ? `<a href="../${esc(target)}">${esc(s.name)}</a>` : esc(s.name);
        const result = s.report && s.evidence ? ` <a class="v" href="../${esc(s.evidence)}">result</a>` : '';
        return `<li class="${s.verdict}">${name} <span class="v">${esc(s.verdict)}</span>${result}${s.reason ? ` — ${esc(s.reason)}` : ''}</li>`;
      })
      .join('');
  const rows = m.requirements
    .map(
      (r) =>
        `<tr id="${esc(r.id)}" class="${r.verdict}"><td><b>${esc(r.id)}</b><br>${esc(r.title)}</td><td>${esc(r.severity)}</td>` +
        `<td>${esc(r.source)}</td><td class="verdict">${esc(VERDICT_TEXT[r.verdict])}</td>` +
        `<td><ul>${scenarioList(r.proving)}</ul>${r.referencing.length ? `<details><summary>${r.referencing.length} referencing</summary><ul>${scenarioList(r.referencing)}</ul></details>` : ''}</td></tr>`,
    )
    .join('\n');
  const summary = REQUIREMENT_VERDICTS.filter((v) => m.summary[v] > 0)
    .map((v) => `${m.summary[v]} ${VERDICT_TEXT[v]}`)
    .join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Traceability matrix — sample ${esc(meta.sampleId)}</title>
<style>
body{font-family:sans-serif,"WenQuanYi Zen Hei";margin:1.5em;color:#222}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left}th{background:#eee}
tr.failed td.verdict{background:#f8c8c8;font-weight:bold}tr.passed td.verdict{background:#d4f0d4}
tr.inconclusive td.verdict{background:#fbe7b0}tr.not-applicable td.verdict,tr.not-run td.verdict{background:#eee}
tr.no-scenario td.verdict{background:#e8d4f0}ul{margin:0;padding-left:1.2em}li.non-conforming{color:#a00}
li.inconclusive{color:#a60}.v{font-size:.85em;color:#666}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}
</style></head><body>
<h1>Traceability matrix</h1>
<dl>${metaRows
    .filter(([, v]) => v)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v!)}</dd>`)
    .join('')}</dl>
<p id="summary">Requirements: ${esc(summary)}.${reportHref ? ` <a href="${esc(reportHref)}">The report</a>.` : ''}</p>
<table><thead><tr><th>Requirement</th><th>Severity</th><th>Source</th><th>Verdict</th><th>Scenarios proving it (evidence)</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
