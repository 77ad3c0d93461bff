/**
 * What `ssc-lab run --tags EXPR [FEATURE...]` selects, checked before
 * anything runs: every tag the expression names is one the scenarios can
 * carry (`@req:<id>` of the catalogue, `@needs:<capability>`), the
 * expression parses, and it selects at least one scenario of the features
 * (cucumber's own loading and filtering, without running anything).
 */
import { resolve } from 'node:path';
import { loadConfiguration, loadSources } from '@cucumber/cucumber/api';
import { PROJECT_ROOT } from '../core/json.ts';
import { NEEDS_TAG, REQ_TAG, type RequirementIndex } from '../model/catalog.ts';
import { UsageError } from './errors.ts';
import { nullStream } from './null-stream.ts';

const OPERATORS = new Set(['and', 'or', 'not']);

/**
 * The tags a cucumber tag expression names, in order: its words other than
 * `and`, `or`, `not`, split at blanks and parentheses, with `\` escaping the
 * next character.
 */
export function tagLiterals(expr: string): string[] {
  const out: string[] = [];
  let word = '';
  let escaped = false;
  const end = () => {
    if (word && !OPERATORS.has(word)) out.push(word);
    word = '';
  };
  for (const ch of expr) {
    if (escaped) {
      word += ch;
      escaped = false;
    } else if (ch === '\\') escaped = true;
    else if (/\s/.test(ch) || ch === '(' || ch === ')') end();
    else word += ch;
  }
  end();
  return out;
}

/** One line per tag of `expr` that no scenario can carry. */
export function unknownTags(expr: string, index: RequirementIndex, capabilities: readonly string[]): string[] {
  const problems: string[] = [];
  for (const tag of new Set(tagLiterals(expr))) {
    const req = REQ_TAG.exec(tag);
    if (req) {
      if (!index.has(req[1]!)) problems.push(`${tag} names no requirement of the catalogue`);
      continue;
    }
    const needs = NEEDS_TAG.exec(tag);
    if (needs) {
      if (!capabilities.includes(needs[1]!)) problems.push(`${tag} names no capability (${capabilities.join(', ')})`);
      continue;
    }
    problems.push(`${tag} is no tag of a scenario (@req:<id> or @needs:<capability>)`);
  }
  return problems;
}

/**
 * The number of scenarios `tags` selects from `paths` (default: the features
 * of cucumber.js), as cucumber loads and filters them.
 * @throws UsageError when the expression does not parse, naming `--tags`.
 */
export async function countSelected(cmd: string, tags: string | undefined, paths: readonly string[]): Promise<number> {
  const environment = { cwd: PROJECT_ROOT, stdout: nullStream(), stderr: nullStream(), env: process.env };
  const { runConfiguration } = await loadConfiguration({ file: 'cucumber.js', provided: tags ? { tags } : {} }, environment);
  const sources = paths.length ? { ...runConfiguration.sources, paths: paths.map((p) => resolve(p)) } : runConfiguration.sources;
  try {
    const { plan } = await loadSources(sources, environment);
    return plan.length;
  } catch (e) {
    const cause = ((e as Error).cause as Error | undefined)?.message ?? (e as Error).message;
    const syntax = /syntax error: (.*)$/.exec(cause);
    throw new UsageError(`${cmd}: --tags "${tags ?? ''}": ${syntax ? `not a tag expression: ${syntax[1]!.replace(/\.$/, '')}` : cause}`);
  }
}

/** Refuses a selection of no scenario, naming the flags and paths that made it. */
export async function checkSelection(cmd: string, o: { tags?: string; paths: readonly string[] }): Promise<number> {
  const n = await countSelected(cmd, o.tags, o.paths);
  if (n > 0) return n;
  const what = [o.tags !== undefined ? `--tags "${o.tags}"` : '', o.paths.length ? o.paths.join(' ') : ''].filter(Boolean).join(' with ');
  throw new UsageError(`${cmd}: ${what || 'the features'} select${o.tags !== undefined && o.paths.length ? '' : 's'} no scenario`);
}
