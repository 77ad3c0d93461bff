/**
 * Renders the Allure results to HTML with allure-commandline (Allure 2, Java)
 * as a single file, `index.html`, which holds the report's every data file
 * and opens from disk without a web server; the rendering carries the
 * history of the report it replaces (Allure's trend and each test's history,
 * by their stable history ids).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RESULT_LABEL } from './allure.ts';
import { onInterrupt } from '../core/interrupt.ts';

/** JVM options for a process that lives a few seconds. */
const SHORT_JVM = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/** The report, the only file a rendering leaves in its directory. */
const INDEX = 'index.html';

/** The directory Allure keeps a report's history in: in the results, and in a report of several files. */
const HISTORY = 'history';

/** A history file of the report, by its path in the report: one level under history/, a JSON file. */
const HISTORY_FILE = /^history\/[A-Za-z0-9_-][A-Za-z0-9._-]*\.json$/;

/** A data file of a single-file report: its path in the report and its content, base64 as embedded. */
export interface EmbeddedFile {
  path: string;
  base64: string;
}

/**
 * The data files embedded in a single-file report whose path starts with
 * `prefix`: Allure writes each as `d('<path>','<base64>')`. Neither a path nor
 * base64 holds a quote, so a scan from one quote to the next reads them
 * without parsing the page.
 */
export function* embeddedFiles(html: string, prefix: string): Generator<EmbeddedFile> {
  const open = `d('${prefix}`;
  let at = html.indexOf(open);
  while (at !== -1) {
    const pathStart = at + 3;
    const pathEnd = html.indexOf("'", pathStart);
    if (pathEnd === -1) return;
    let next = pathEnd;
    if (html.startsWith(",'", pathEnd + 1)) {
      const valueStart = pathEnd + 3;
      const valueEnd = html.indexOf("'", valueStart);
      if (valueEnd === -1) return;
      if (html.charCodeAt(valueEnd + 1) === 0x29 /* ) */)
        yield { path: html.slice(pathStart, pathEnd), base64: html.slice(valueStart, valueEnd) };
      next = valueEnd;
    }
    at = html.indexOf(open, next);
  }
}

/** An embedded JSON file's value, or undefined when it does not decode. */
function jsonOf(file: EmbeddedFile): { text: string; value: unknown } | undefined {
  const text = Buffer.from(file.base64, 'base64').toString('utf8');
  try {
    return { text, value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/**
 * The report's index.html, or undefined when there is none. Read as latin1:
 * the embedded paths and base64 are ASCII, and latin1 reads 16 MB several
 * times faster than UTF-8.
 */
function readIndex(reportDir: string): string | undefined {
  try {
    return readFileSync(join(reportDir, INDEX), 'latin1');
  } catch {
    return undefined;
  }
}

/**
 * The last report's history into the results, so that the new report
 * continues its trend: the history files embedded in its index.html, or the
 * history/ directory of a report of several files (as rendered before the
 * report was one file). A history file that does not decode is left out.
 */
export function carryHistory(resultsDir: string, reportDir: string): void {
  const html = readIndex(reportDir);
  const files: { name: string; text: string }[] = [];
  for (const file of html === undefined ? [] : embeddedFiles(html, `${HISTORY}/`)) {
    if (!HISTORY_FILE.test(file.path)) continue;
    const json = jsonOf(file);
    if (json) files.push({ name: file.path.slice(HISTORY.length + 1), text: json.text });
  }
  if (files.length) {
    mkdirSync(join(resultsDir, HISTORY), { recursive: true });
    for (const f of files) writeFileSync(join(resultsDir, HISTORY, f.name), f.text);
    return;
  }
  const legacy = join(reportDir, HISTORY);
  if (existsSync(legacy)) cpSync(legacy, join(resultsDir, HISTORY), { recursive: true });
}

/**
 * The results rendered into `reportDir/index.html`, one file; whatever the
 * directory held before (the last report, of one file or of several) is
 * removed once its history is carried.
 */
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
    const child = spawn(allure, ['generate', '--single-file', resultsDir, '-o', reportDir, '--clean'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      // no analytics: a lab's report calls no third party, and a closed network refuses it anyway; the generator
      // takes any value, the page's tracking script is left out only for "true"
      // a short-lived JVM: the C1 compiler only and the serial collector (6.7 s -> 4.3 s for the default run's report);
      // the user's JAVA_OPTS come last and win
      env: { ...process.env, ALLURE_NO_ANALYTICS: 'true', JAVA_OPTS: `${SHORT_JVM} ${process.env.JAVA_OPTS ?? ''}`.trim() },
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
      if (code === 0 && existsSync(join(reportDir, INDEX))) resolvePromise({ ok: true });
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
 * the report's page of that test case, from the test cases embedded in
 * index.html.
 */
export function reportPages(reportDir: string): Map<string, string> {
  const pages = new Map<string, string>();
  const html = readIndex(reportDir);
  if (html === undefined) return pages;
  for (const file of embeddedFiles(html, 'data/test-cases/')) {
    // a test case that does not decode has no page to link
    const tc = jsonOf(file)?.value as { uid?: unknown; labels?: { name?: unknown; value?: unknown }[] } | null | undefined;
    if (!tc || typeof tc.uid !== 'string' || !Array.isArray(tc.labels)) continue;
    const uuid = tc.labels.find((l) => l?.name === RESULT_LABEL)?.value;
    if (typeof uuid === 'string' && uuid) pages.set(uuid, `#testresult/${tc.uid}`);
  }
  return pages;
}
