/**
 * Renders the Allure results to HTML with allure-commandline (Allure 2, Java),
 * carrying the history of the report it replaces (Allure's trend and each
 * test's history, by their stable history ids), and clears a results
 * directory of one kind of results without touching the others.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The directory Allure keeps a report's history in, in the report and in the results. */
const HISTORY = 'history';

/**
 * Empties `dir` (created) of the previous results of this kind, keeping the
 * files `keep` names (another tool's results: a terminal-test run's next to a
 * card run's) and the history carried from the last report.
 */
export function clearResults(dir: string, keep: (file: string) => boolean): void {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f !== HISTORY && !keep(f)) rmSync(join(dir, f), { recursive: true, force: true });
}

/** The last report's history into the results, so that the new report continues its trend. */
export function carryHistory(resultsDir: string, reportDir: string): void {
  const from = join(reportDir, HISTORY);
  if (existsSync(from)) cpSync(from, join(resultsDir, HISTORY), { recursive: true });
}

export async function generateHtml(resultsDir: string, reportDir: string): Promise<{ ok: true } | { ok: false; error: string }> {
  carryHistory(resultsDir, reportDir);
  let allure: string;
  try {
    const require = createRequire(import.meta.url);
    allure = join(dirname(require.resolve('allure-commandline/package.json')), 'dist', 'bin', 'allure');
  } catch {
    return { ok: false, error: 'allure-commandline is not installed (npm ci)' };
  }
  return new Promise((resolvePromise) => {
    const child = spawn(allure, ['generate', resultsDir, '-o', reportDir, '--clean'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', () => undefined);
    child.on('error', (e) => resolvePromise({ ok: false, error: `cannot start allure: ${e.message}` }));
    child.on('close', (code) => {
      if (code === 0 && existsSync(join(reportDir, 'index.html'))) resolvePromise({ ok: true });
      else
        resolvePromise({
          ok: false,
          error: `allure generate exited ${code}${err ? `: ${err.trim().split('\n')[0]}` : ''} (is Java 8+ installed?)`,
        });
    });
  });
}
