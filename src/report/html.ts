/**
 * Renders the Allure results to HTML with allure-commandline (Allure 2, Java),
 * carrying the history of the report it replaces (Allure's trend and each
 * test's history, by their stable history ids).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RESULT_LABEL } from './allure.ts';
import { onInterrupt } from '../core/interrupt.ts';

/** JVM options for a process that lives a few seconds. */
const SHORT_JVM = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/** The directory Allure keeps a report's history in, in the report and in the results. */
const HISTORY = 'history';

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
    // its own process group, so that an interruption stops the Java process and whatever it started, not the shell alone
    const child = spawn(allure, ['generate', resultsDir, '-o', reportDir, '--clean'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      // no analytics: a lab's report calls no third party, and a closed network refuses it anyway
      // a short-lived JVM: the C1 compiler only and the serial collector (6.7 s -> 4.3 s for the default run's report);
      // the user's JAVA_OPTS come last and win
      env: { ...process.env, ALLURE_NO_ANALYTICS: '1', JAVA_OPTS: `${SHORT_JVM} ${process.env.JAVA_OPTS ?? ''}`.trim() },
    });
    const stop = onInterrupt(() => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    });
    child.on('exit', stop);
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

/**
 * Each result's page in a generated report: Allure gives every test case an
 * id of its own, and keeps the label that carries the result's uuid
 * (allure.ts RESULT_LABEL). Result uuid → `#testresult/<id>`, the route of
 * the report's page of that test case.
 */
export function reportPages(reportDir: string): Map<string, string> {
  const pages = new Map<string, string>();
  const dir = join(reportDir, 'data', 'test-cases');
  if (!existsSync(dir)) return pages;
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.json')) continue;
    try {
      const tc = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { uid?: string; labels?: { name: string; value: string }[] };
      const uuid = tc.labels?.find((l) => l.name === RESULT_LABEL)?.value;
      if (uuid && tc.uid) pages.set(uuid, `#testresult/${tc.uid}`);
    } catch {
      // a test case the report could not write whole: no page to link
    }
  }
  return pages;
}
