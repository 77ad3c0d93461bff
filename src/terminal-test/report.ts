/**
 * Terminal-under-test results as Allure results, next to (or into) the
 * results of a card run: one result per test card and check, in the
 * requirement tree of the catalogue, with the card's and the PSAM's decoded
 * APDU traces and the terminal's output attached. Results of an earlier
 * test of the same terminal in the same directory are replaced; those of
 * other terminals and of a card run there are kept, and the environment
 * gains the terminal's entries.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequirementIndex } from '../model/catalog.ts';
import { CATEGORIES, type Label, environmentProperties, requirementTree } from '../report/allure.ts';
import { formatTrace } from '../report/trace.ts';
import type { CardRun } from './runner.ts';
import { CHECKS } from './checks.ts';

/** File-name prefix of this command's results. */
export const RESULT_PREFIX = 'terminal-test-';

/** File-name prefix of one terminal's results, so that its next run replaces them and nothing else. */
export function terminalPrefix(terminal: string): string {
  return `${RESULT_PREFIX}${createHash('sha256').update(terminal).digest('hex').slice(0, 8)}-`;
}

export interface ReportContext {
  index: RequirementIndex;
  /** The terminal's name in the report (suite). */
  terminal: string;
  command: string;
  showSecrets: boolean;
  environment: Record<string, string>;
}

/** Reads what {@link environmentProperties} wrote (keys and values with its escapes). */
export function parseEnvironmentProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const unescaped = (s: string) =>
    s.replace(/\\u([0-9a-fA-F]{4})|\\n|\\(.)/g, (_m, u: string | undefined, c: string | undefined) =>
      u ? String.fromCharCode(parseInt(u, 16)) : (c ?? '\n'),
    );
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const m = /^((?:\\.|[^=\\])*)=(.*)$/.exec(line);
    if (m) out[unescaped(m[1]!)] = unescaped(m[2]!);
  }
  return out;
}

export interface WrittenReport {
  results: number;
  passed: number;
  failed: number;
  broken: number;
  notApplicable: number;
}

export function writeTerminalResults(dir: string, runs: readonly CardRun[], ctx: ReportContext): WrittenReport {
  mkdirSync(dir, { recursive: true });
  const prefix = terminalPrefix(ctx.terminal);
  for (const f of readdirSync(dir)) if (f.startsWith(prefix)) rmSync(join(dir, f));
  const counts: WrittenReport = { results: 0, passed: 0, failed: 0, broken: 0, notApplicable: 0 };
  for (const run of runs) {
    const attach = (name: string, text: string) => {
      const source = `${prefix}${randomUUID()}-attachment.txt`;
      writeFileSync(join(dir, source), text.endsWith('\n') ? text : `${text}\n`);
      return { name, source, type: 'text/plain' };
    };
    const attachments = [
      attach('APDU trace (card)', formatTrace(run.trace, { showSecrets: ctx.showSecrets })),
      ...(run.psamTrace ? [attach('APDU trace (PSAM)', formatTrace(run.psamTrace, { showSecrets: ctx.showSecrets }))] : []),
      attach(
        'terminal output',
        `$ ${ctx.command}\n(exit code ${run.exitCode ?? (run.timedOut !== undefined ? `none: stopped after ${run.timedOut} s` : 'none')})\n--- stdout\n${run.stdout}--- stderr\n${run.stderr}`,
      ),
    ];
    const outcomes = run.broken
      ? CHECKS.map((check) => ({ check, status: 'broken', message: run.broken! }))
      : run.checks.map(({ check, result }) => ({
          check,
          status: result.verdict === 'not-applicable' ? 'skipped' : result.verdict,
          message: result.verdict === 'not-applicable' ? `Not applicable: ${result.detail}` : result.detail,
        }));
    for (const o of outcomes) {
      const uuid = `${prefix}${randomUUID()}`;
      const tree = requirementTree(ctx.index, o.check.requirements);
      const labels: Label[] = [
        { name: 'parentSuite', value: 'Terminal under test' },
        { name: 'suite', value: ctx.terminal },
        { name: 'subSuite', value: `${run.card.id}: ${run.card.description}` },
        ...o.check.requirements.map((id) => ({ name: 'tag', value: `@req:${id}` })),
        { name: 'tag', value: `@card:${run.card.id}` },
        ...tree.labels,
      ];
      const result = {
        uuid,
        historyId: createHash('sha256').update(`${ctx.terminal}\0${run.card.id}\0${o.check.id}`).digest('hex').slice(0, 32),
        name: `${run.card.id}: the terminal ${o.check.title}`,
        fullName: `terminal-test ${ctx.terminal} ${run.card.id} ${o.check.id}`,
        status: o.status,
        statusDetails: { message: o.message },
        stage: 'finished',
        start: run.started,
        stop: run.stopped,
        labels,
        links: [],
        parameters: [
          { name: 'test card', value: run.card.id },
          { name: 'check', value: o.check.id },
          { name: 'terminal', value: ctx.command },
          ...(tree.source ? [{ name: 'source', value: tree.source }] : []),
        ],
        attachments,
        steps: [],
      };
      writeFileSync(join(dir, `${uuid}-result.json`), JSON.stringify(result));
      counts.results++;
      if (o.status === 'passed') counts.passed++;
      else if (o.status === 'failed') counts.failed++;
      else if (o.status === 'broken') counts.broken++;
      else counts.notApplicable++;
    }
  }
  // the environment of a card run in the same directory stays; the terminal's entries are added
  const envFile = join(dir, 'environment.properties');
  const previous = existsSync(envFile) ? parseEnvironmentProperties(readFileSync(envFile, 'utf8')) : {};
  writeFileSync(envFile, environmentProperties({ ...previous, ...ctx.environment }));
  if (!existsSync(join(dir, 'categories.json'))) writeFileSync(join(dir, 'categories.json'), JSON.stringify(CATEGORIES, null, 2));
  if (!existsSync(join(dir, 'executor.json'))) {
    writeFileSync(
      join(dir, 'executor.json'),
      JSON.stringify({
        name: ctx.environment['Tool version'] ?? 'ssc-lab',
        type: 'ssc-lab',
        buildName: `terminal-test ${ctx.terminal}`,
        reportName: `ssc-lab terminal report — ${ctx.terminal}`,
      }),
    );
  }
  return counts;
}
