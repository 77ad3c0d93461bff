/**
 * The run as JUnit XML, from the run model: one testcase per scenario in
 * feature-file order, named as cucumber's JUnit formatter names them (the
 * scenario, its Examples and the example's number, with the pickle's name
 * when it differs), a `failure` for a scenario that is non-conforming (the
 * card's non-conformity: its requirement and what the check found, no stack
 * trace), an `error` for one that is inconclusive or undefined (no verdict: the
 * tool, set-up or transport failed; with the exception's stack), `skipped` for
 * one that is not applicable, and the steps with their status as the
 * testcase's output. Cucumber's own JUnit formatter calls all of them failures.
 */
import { pinMasker } from './secrets.ts';
import { type Lineage, type RunModel, type ScenarioResult, countVerdicts, secondsBetween } from './verdicts.ts';

/** What JUnit needs of the run model. */
export type RunRecord = Pick<RunModel, 'scenarios' | 'runStarted' | 'runFinished'>;

/** The text without the characters XML 1.0 does not allow (W3C XML 1.0, 2.2 Characters): controls, lone surrogates, FFFE, FFFF. */
function xmlChars(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000) out += ch;
  }
  return out;
}

function attribute(value: string | number): string {
  return xmlChars(String(value))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}

function cdata(text: string): string {
  return `<![CDATA[${xmlChars(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

type Attributes = Record<string, string | number | undefined>;

function attributes(attrs: Attributes): string {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${attribute(v!)}"`)
    .join('');
}

/** An element on one line: empty (`<name/>`) or with its content. */
function element(name: string, attrs: Attributes, content?: string): string {
  return content === undefined ? `<${name}${attributes(attrs)}/>` : `<${name}${attributes(attrs)}>${content}</${name}>`;
}

/** An element with child elements, one a line, indented by two spaces a level. */
function parent(name: string, attrs: Attributes, children: string[], indent: string): string {
  if (children.length === 0) return `${indent}${element(name, attrs)}`;
  return [`${indent}<${name}${attributes(attrs)}>`, ...children, `${indent}</${name}>`].join('\n');
}

/** The testcase name: rule, scenario, Examples name, then `#block.row` (and the pickle's name when it differs). */
export function testCaseName(lineage: Lineage, pickleName: string): string {
  const parts = [lineage.rule, lineage.scenario || pickleName, lineage.examples];
  if (lineage.example) {
    const number = `#${lineage.example.block + 1}.${lineage.example.row + 1}`;
    parts.push(lineage.scenario !== pickleName ? `${number}: ${pickleName}` : number);
  }
  return parts.filter((p) => !!p).join(' - ');
}

/** A step's line of output: keyword and text, dotted out to the status. */
function stepLine(s: ScenarioResult['steps'][number]): string {
  let text = `${s.keyword.trim()} ${s.text.trim()}.`;
  do text += '.';
  while (text.length < 76);
  return text + s.status.toLowerCase();
}

function testCase(s: ScenarioResult, showSecrets: boolean): string {
  const mask = pinMasker(
    s.steps.map((st) => st.text),
    showSecrets,
  );
  const children: string[] = [];
  const r = s.decisive?.result;
  if (r && s.verdict !== 'passed') {
    const stack = r.exception?.stackTrace ?? r.message;
    const body = stack ? cdata(stack) : undefined;
    if (s.verdict === 'not-applicable') children.push(element('skipped', {}, body));
    else if (s.verdict === 'not-run') children.push(element('skipped', { message: `not run: ${s.reason ?? ''}` }));
    else if (s.verdict === 'non-conforming') {
      const message = r.exception?.message ?? r.message ?? '';
      const requirement = s.requirements[0] ? `${s.requirements[0]}: ` : '';
      children.push(element('failure', { type: 'non-conformity', message: `${requirement}${s.reason ?? message}` }, cdata(message)));
    } else children.push(element('error', { type: r.exception?.type, message: r.exception?.message }, body));
  }
  if (s.steps.length) children.push(element('system-out', {}, cdata(mask(s.steps.map(stepLine).join('\n')))));
  const attrs = {
    classname: s.lineage.feature ?? s.uri,
    name: mask(testCaseName(s.lineage, s.name)),
    time: secondsBetween(s.started, s.finished),
  };
  return parent(
    'testcase',
    attrs,
    children.map((c) => `    ${c}`),
    '  ',
  );
}

/** Feature files by path, scenarios by line; scenarios without a line keep the order they ran in. */
function fileOrder(a: ScenarioResult, b: ScenarioResult): number {
  if (a.uri !== b.uri) return a.uri.localeCompare(b.uri);
  if (a.line === undefined) return b.line === undefined ? 0 : -1;
  if (b.line === undefined) return 1;
  return a.line - b.line;
}

/** The time a run started, as JUnit gives it (ISO 8601, UTC, milliseconds only when not zero). */
function timestamp(model: RunRecord): string | undefined {
  if (!model.runStarted) return undefined;
  const iso = new Date(Math.floor(Number(model.runStarted.seconds) * 1000 + model.runStarted.nanos / 1e6)).toISOString();
  return iso.replace(/\.000Z$/, 'Z');
}

/** The JUnit XML of a run; PINs the scenarios name are masked unless `showSecrets`. */
export function junitXml(model: RunRecord, suiteName: string, showSecrets = false): string {
  const scenarios = [...model.scenarios].sort(fileOrder);
  const c = countVerdicts(scenarios);
  const suite = {
    name: suiteName,
    time: secondsBetween(model.runStarted, model.runFinished),
    tests: scenarios.length,
    skipped: c['not-applicable'] + c['not-run'],
    failures: c['non-conforming'],
    errors: c.inconclusive + c.undefined,
    timestamp: timestamp(model),
  };
  return `<?xml version="1.0"?>\n${parent(
    'testsuite',
    suite,
    scenarios.map((s) => testCase(s, showSecrets)),
    '',
  )}`;
}
