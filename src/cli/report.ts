/**
 * `ssc-lab report DIR`: the HTML report of a run's results, rendered again —
 * after a run stopped before it rendered its report (interrupted, or run with
 * `--no-html`), or to bring a report up to date after `ssc-lab terminal-test`
 * added its results next to a card run's. The report continues the history
 * of the one it replaces.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateHtml } from '../report/html.ts';
import { EXIT, UsageError } from './errors.ts';
import { relativeOrAbsolute } from './paths.ts';

export async function reportCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {} });
  } catch (e) {
    throw new UsageError(`report: ${(e as Error).message}`);
  }
  const [dir, ...extra] = parsed.positionals;
  if (!dir || extra.length) throw new UsageError("report: give one directory, a run's --out (ssc-lab report DIR)");
  const root = resolve(dir);
  const results = join(root, 'allure-results');
  if (!existsSync(results) || !readdirSync(results).some((f) => f.endsWith('-result.json')))
    throw new UsageError(`report: no results in ${relativeOrAbsolute(results)} (is ${dir} the --out of a run?)`);
  const out = join(root, 'allure-report');
  const gen = await generateHtml(results, out);
  if (!gen.ok) {
    console.error(`ssc-lab: report: ${gen.error}`);
    return EXIT.NONCONFORMING;
  }
  console.log(`report  ${relativeOrAbsolute(join(out, 'index.html'))}`);
  if (existsSync(join(root, 'dossier', 'MANIFEST.sha256')))
    console.log('note    the dossier there signed the report as it was: ssc-lab verify now names the report files changed');
  return EXIT.OK;
}
