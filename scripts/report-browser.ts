/**
 * `npm run test:browser`: the generated report as a reader sees it, in
 * headless Chromium (Debian's, driven by playwright-core).
 *
 *   1. `ssc-lab run --plan social-security` (all three areas, a third of the
 *      suite) with the HTML report into reports/test-browser, and a run on a
 *      card with one simulator defect (a profile extending the default one)
 *      into reports/test-browser-defect;
 *   2. each output directory served over http on 127.0.0.1 (ephemeral port);
 *      the report is one file, allure-report/index.html, which also opens from disk;
 *   3. the checks, each one line, ok or FAIL with what was not there:
 *      (a) the Behaviors tree shows the areas, their groups and requirements;
 *      (b) typing a requirement id into the tree's search finds its story and scenario;
 *      (c) the scenario shows its steps and its whole-scenario APDU trace;
 *      (d) the result's link and the Overview's executor open the matrix at the requirement's row;
 *      (e) a non-conforming scenario shows as failed with a message naming its requirement;
 *      (f) opened from disk (file://, no server), the report shows the Behaviors tree and asks the network for nothing.
 *
 * Screenshots of every step go to reports/browser-screenshots/ (outside the
 * runs' directories, which their dossiers' signed manifests cover). Without a
 * Chromium it prints why it skipped and exits 0, unless
 * SSC_LAB_REQUIRE_BROWSER=1, which makes that a failure. Exit 1 when a check
 * fails. `--reuse` checks the reports the last runs left, without running
 * them again.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../src/core/json.ts';
import { AREA_TITLES } from '../src/model/catalog.ts';
import {
  WAIT_MS,
  attachmentText,
  expandGroups,
  followToNewPage,
  leaf,
  openReport,
  openScenario,
  search,
  shows,
  textOf,
  topLevelGroups,
} from './browser/allure-page.ts';
import { findChromium, type Launched, launchChromium } from './browser/chromium.ts';
import { readScenarios, type ScenarioSeen, scenarioProving } from './browser/results.ts';
import { serveDirectory } from './browser/serve.ts';

/** The clean run's selection: a run plan whose requirements span every area. */
const PLAN = 'social-security';
const CLEAN_OUT = join(PROJECT_ROOT, 'reports', 'test-browser');
const DEFECT_OUT = join(PROJECT_ROOT, 'reports', 'test-browser-defect');
const SHOTS = join(PROJECT_ROOT, 'reports', 'browser-screenshots');
/** The requirement looked up, opened and followed to the matrix (one of the plan's). */
const REQUIREMENT = 'CARD-SSSE-SEL-01';
/** The simulator defect of the non-conforming run, and the requirement whose scenarios catch it. */
const DEFECT = { id: 'read-binary-ignores-offset', requirement: 'CARD-RB-01' };
const TRACE = 'APDU trace (whole scenario)';
/** A command APDU's header as the trace prints it, e.g. "00 A4 04 00". */
const APDU_BYTES = /\b[0-9A-F]{2}(?: [0-9A-F]{2}){3,}\b/;
const MATRIX_LINK = (id: string) => `Traceability matrix: ${id}`;
/** The whole test, runs included, stops after this. */
const DEADLINE_MS = 10 * 60_000;

interface Outcome {
  id: string;
  what: string;
  problem?: string;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `ssc-lab run ARGS`: its exit code and what it printed. */
function sscLabRun(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'ssc-lab.js'), 'run', '--quiet', ...args], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      output += b.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}

/** A profile that is the default card with one simulator defect, in a temporary directory. */
function defectProfile(dir: string): string {
  const file = join(dir, 'defect.json');
  const profile = {
    id: `browser-test-${DEFECT.id}`,
    extends: join(PROJECT_ROOT, 'profiles', 'default.json'),
    title: `Reference card with the simulator defect ${DEFECT.id}`,
    simulator: { defects: [DEFECT.id] },
  };
  writeFileSync(file, `${JSON.stringify(profile, null, 2)}\n`);
  return file;
}

let shotNo = 0;
async function shot(page: Page, name: string): Promise<void> {
  shotNo += 1;
  await page.mouse.move(0, 0); // no tooltip over the picture
  await page.screenshot({ path: join(SHOTS, `${String(shotNo).padStart(2, '0')}-${name}.png`) });
}

async function checkTree(page: Page, origin: string, scenarios: ScenarioSeen[], target: ScenarioSeen): Promise<void> {
  await openReport(page, origin, 'behaviors');
  const groups = await topLevelGroups(page);
  const areas = [...new Set(scenarios.map((s) => s.epic))].sort();
  const titles = Object.values(AREA_TITLES);
  const unknown = areas.filter((a) => !titles.includes(a));
  if (unknown.length) throw new Error(`results carry epics that are no area of the catalogue: ${unknown.join(', ')}`);
  const missing = areas.filter((a) => !groups.includes(a));
  if (missing.length) throw new Error(`the tree's top level lacks ${missing.join(', ')} (it shows: ${groups.join(', ')})`);
  if (areas.length < 2) throw new Error(`the run covers ${areas.length} area(s); the check needs several`);
  await expandGroups(page, [target.epic, target.feature]);
  const story = page.locator('.node__name', { hasText: target.story }).first();
  if (!(await shows(story))) throw new Error(`the group "${target.feature}" shows no requirement "${target.story}"`);
  await shot(page, 'behaviors-tree');
}

async function checkSearch(page: Page, origin: string, target: ScenarioSeen): Promise<void> {
  await openReport(page, origin, 'behaviors');
  await search(page, REQUIREMENT);
  const story = page.locator('.node__name', { hasText: target.story }).first();
  const found = (await shows(story, 5_000)) && (await shows(leaf(page, target.name), 2_000));
  await shot(page, `search-${REQUIREMENT}`);
  if (!found) {
    const seen = (await textOf(page.locator('.tree__content').first())).replace(/\s+/g, ' ').trim().slice(0, 120);
    throw new Error(
      `typing ${REQUIREMENT} into the Behaviors search does not show "${target.story}" and its scenario "${target.name}" (the tree shows: "${seen}")`,
    );
  }
}

async function checkScenario(page: Page, origin: string, target: ScenarioSeen): Promise<void> {
  await openReport(page, origin, 'behaviors');
  await search(page, '');
  await expandGroups(page, [target.epic, target.feature, target.story]);
  const pane = await openScenario(page, target.name);
  await shot(page, 'scenario');
  if (!/passed/i.test(pane.status)) throw new Error(`"${target.name}" shows as ${pane.status}, the run says passed`);
  if (!pane.steps.some((s) => /^(Given|When|Then|And|But) /.test(s))) throw new Error(`"${target.name}" shows no Gherkin steps`);
  const trace = await attachmentText(page, TRACE);
  await shot(page, 'apdu-trace');
  if (!APDU_BYTES.test(trace)) throw new Error(`the attachment "${TRACE}" shows no APDU bytes: "${trace.slice(0, 80)}"`);
}

/** The matrix page opened by a link: the right file, with the requirement's row. */
async function checkMatrixPage(matrix: Page, wantHash: string | undefined): Promise<void> {
  const url = new URL(matrix.url());
  if (!url.pathname.endsWith('/matrix/matrix.html')) throw new Error(`the link opened ${url.pathname}, not matrix/matrix.html`);
  if (wantHash !== undefined && url.hash !== wantHash) throw new Error(`the link opened ${url.pathname}${url.hash}, not ${wantHash}`);
  const row = matrix.locator(`[id="${REQUIREMENT}"]`);
  if (!(await shows(row, 5_000))) throw new Error(`matrix.html has no row with id="${REQUIREMENT}"`);
  if (!(await textOf(row)).includes(REQUIREMENT)) throw new Error(`the matrix row id="${REQUIREMENT}" does not name it`);
}

async function checkResultLink(page: Page, origin: string, target: ScenarioSeen): Promise<void> {
  await openReport(page, origin, 'behaviors');
  await expandGroups(page, [target.epic, target.feature, target.story]);
  await openScenario(page, target.name);
  const links = page.locator('allure-test-result-view .testresult-link a');
  const link = links.filter({ hasText: MATRIX_LINK(REQUIREMENT) }).first();
  if (!(await shows(link, 3_000))) {
    const present = (await links.allInnerTexts()).map((s) => `"${s.trim()}"`).join(', ') || 'none';
    throw new Error(`the test result has no link "${MATRIX_LINK(REQUIREMENT)}" (its links: ${present})`);
  }
  await link.scrollIntoViewIfNeeded();
  await shot(page, 'result-links');
  const matrix = await followToNewPage(page, link);
  try {
    await shot(matrix, `matrix-from-result-${REQUIREMENT}`);
    await checkMatrixPage(matrix, `#${REQUIREMENT}`);
    const [top, height] = await matrix
      .locator(`[id="${REQUIREMENT}"]`)
      .evaluate((el) => [el.getBoundingClientRect().top, el.ownerDocument.documentElement.clientHeight]);
    if (top === undefined || height === undefined || top < -5 || top > height)
      throw new Error(`matrix.html#${REQUIREMENT} opens without its row in view (row at y=${Math.round(top)})`);
  } finally {
    await matrix.close();
  }
}

async function checkExecutorLink(page: Page, origin: string): Promise<void> {
  await openReport(page, origin, '');
  const widget = page.locator('h2.widget__title', { hasText: /^\s*Executors\s*$/ }).locator('xpath=..');
  if (!(await shows(widget))) throw new Error('the Overview shows no Executors widget');
  await widget.scrollIntoViewIfNeeded();
  await shot(page, 'overview-executor');
  const link = widget.locator('a[href*="matrix.html"]').first();
  if (!(await shows(link, 3_000))) {
    const text = (await textOf(widget)).replace(/\s+/g, ' ').trim();
    throw new Error(`the Overview's executor links to no matrix.html (it shows: "${text}")`);
  }
  const matrix = await followToNewPage(page, link);
  try {
    await shot(matrix, 'matrix-from-overview');
    await checkMatrixPage(matrix, undefined);
  } finally {
    await matrix.close();
  }
}

async function checkNonConforming(page: Page, origin: string, failed: ScenarioSeen): Promise<void> {
  await openReport(page, origin, 'behaviors');
  await expandGroups(page, [failed.epic, failed.feature, failed.story]);
  const l = leaf(page, failed.name);
  if (!(await shows(l.locator('.status-icon_status_failed'), 5_000))) throw new Error(`the tree does not mark "${failed.name}" as failed`);
  const pane = await openScenario(page, failed.name);
  if (!/failed/i.test(pane.status)) throw new Error(`"${failed.name}" shows as ${pane.status}, not failed`);
  const details = page.locator('allure-test-result-view .status-details_status_failed').first();
  const message = details.locator('.status-details__message');
  if (!(await shows(message, 5_000))) throw new Error(`the failed result "${failed.name}" shows no message`);
  await shot(page, 'nonconforming');
  const text = (await textOf(message)).trim();
  if (!text.startsWith(`${DEFECT.requirement}:`))
    throw new Error(`the failed result's message does not name ${DEFECT.requirement}: "${text}"`);
  await message.click();
  const trace = details.locator('.status-details__trace');
  if (!(await shows(trace, 5_000)) || !(await textOf(trace)).includes(`Requirement: ${DEFECT.requirement}`))
    throw new Error(`the failed result's trace, opened, does not name the requirement ${DEFECT.requirement}`);
  await shot(page, 'nonconforming-trace');
}

/** The report as a reviewer opens it by double-click: from disk, no server, no network. */
async function checkFromDisk(page: Page, browser: Launched, scenarios: ScenarioSeen[]): Promise<void> {
  const askedBefore = browser.blocked.length;
  await openReport(page, pathToFileURL(CLEAN_OUT).href, 'behaviors');
  const groups = await topLevelGroups(page).catch(() => {
    throw new Error(`${page.url()} shows no Behaviors tree`);
  });
  const areas = [...new Set(scenarios.map((s) => s.epic))].sort();
  const missing = areas.filter((a) => !groups.includes(a));
  if (missing.length) throw new Error(`the tree's top level lacks ${missing.join(', ')} (it shows: ${groups.join(', ')})`);
  await shot(page, 'from-disk-behaviors');
  const asked = browser.blocked.slice(askedBefore);
  if (asked.length) throw new Error(`the report asked the network for ${asked.length} URL(s), the first ${asked[0]}`);
}

/** The two runs whose reports are checked; why not, when one does not end as it should. */
async function runReports(): Promise<string | undefined> {
  rmSync(CLEAN_OUT, { recursive: true, force: true });
  let t = Date.now();
  const clean = await sscLabRun(['--plan', PLAN, '--out', CLEAN_OUT]);
  console.log(`report browser test: ssc-lab run --plan ${PLAN} ${seconds(Date.now() - t)}`);
  if (clean.code !== 0) return `ssc-lab run --plan ${PLAN} --out ${CLEAN_OUT} exited ${clean.code}, expected 0:\n${clean.output.trim()}`;
  const profileDir = mkdtempSync(join(tmpdir(), 'ssc-lab-browser-'));
  t = Date.now();
  rmSync(DEFECT_OUT, { recursive: true, force: true });
  const defect = await sscLabRun([
    '--profile',
    defectProfile(profileDir),
    '--tags',
    `@req:${DEFECT.requirement}`,
    '--out',
    DEFECT_OUT,
  ]).finally(() => rmSync(profileDir, { recursive: true, force: true }));
  console.log(`report browser test: ssc-lab run with the defect ${DEFECT.id} ${seconds(Date.now() - t)}`);
  if (defect.code !== 1)
    return `the run with the defect ${DEFECT.id} exited ${defect.code}, expected 1 (non-conformities):\n${defect.output.trim()}`;
  return undefined;
}

/** `args`: none, or `--reuse` to check the reports the last runs left without running again (while working on the checks). */
async function main(args: string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--reuse');
  if (unknown.length) {
    console.error(`report-browser: unknown argument ${unknown[0]} (the only option is --reuse)`);
    return 2;
  }
  const reuse = args.includes('--reuse');
  const chromium = findChromium();
  if ('missing' in chromium) {
    if (process.env.SSC_LAB_REQUIRE_BROWSER === '1') {
      console.error(`FAIL: report browser test not run, SSC_LAB_REQUIRE_BROWSER=1 and ${chromium.missing}`);
      return 1;
    }
    console.log(`report browser test skipped: ${chromium.missing}`);
    return 0;
  }
  const started = Date.now();
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });

  if (!reuse) {
    const problem = await runReports();
    if (problem) {
      console.error(`FAIL: ${problem}`);
      return 1;
    }
  }
  const runsDone = Date.now();

  const scenarios = readScenarios(CLEAN_OUT);
  const target = scenarioProving(scenarios, REQUIREMENT);
  const failed = readScenarios(DEFECT_OUT).find((s) => s.status === 'failed' && s.story.startsWith(`${DEFECT.requirement} `));
  const outcomes: Outcome[] = [];
  const browser = await launchChromium(chromium.path);
  const served = await serveDirectory(CLEAN_OUT);
  const servedDefect = await serveDirectory(DEFECT_OUT);
  try {
    const page = await browser.context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    const check = async (id: string, what: string, run: () => Promise<void>) => {
      try {
        await run();
        outcomes.push({ id, what });
      } catch (e) {
        outcomes.push({ id, what, problem: (e as Error).message.split('\n')[0] });
        await shot(page, `${id}-failed`).catch(() => undefined);
      }
    };
    const needTarget = () => {
      if (!target) throw new Error(`the run has no scenario whose story is ${REQUIREMENT}`);
      return target;
    };
    await check('a', 'the Behaviors view shows the requirement tree', () => checkTree(page, served.origin, scenarios, needTarget()));
    await check('b', `typing ${REQUIREMENT} into the tree's search finds its story and scenario`, () =>
      checkSearch(page, served.origin, needTarget()),
    );
    await check('c', `a ${REQUIREMENT} scenario shows its steps and "${TRACE}" with APDU bytes`, () =>
      checkScenario(page, served.origin, needTarget()),
    );
    await check('d', `the result's link "${MATRIX_LINK(REQUIREMENT)}" opens matrix.html at its row`, () =>
      checkResultLink(page, served.origin, needTarget()),
    );
    await check('d', "the Overview's executor opens matrix.html", () => checkExecutorLink(page, served.origin));
    await check('e', `a non-conforming scenario (defect ${DEFECT.id}) shows failed, naming ${DEFECT.requirement}`, () => {
      if (!failed) throw new Error(`the defect run has no failed scenario of ${DEFECT.requirement}`);
      return checkNonConforming(page, servedDefect.origin, failed);
    });
    await check('f', 'opened from disk (file://), the report shows the Behaviors tree and asks the network for nothing', () =>
      checkFromDisk(page, browser, scenarios),
    );
  } finally {
    await browser.close();
    await served.close();
    await servedDefect.close();
  }

  for (const o of outcomes) {
    if (o.problem) console.error(`FAIL (${o.id}) ${o.what}: ${o.problem}`);
    else console.log(`ok   (${o.id}) ${o.what}`);
  }
  const bad = outcomes.filter((o) => o.problem).length;
  console.log(
    `report browser test: runs ${seconds(runsDone - started)}, browser ${seconds(Date.now() - runsDone)}; ` +
      `screenshots in ${SHOTS.slice(PROJECT_ROOT.length + 1)}/`,
  );
  console.log(`report-browser: ${outcomes.length - bad} passed, ${bad} failed`);
  return bad ? 1 : 0;
}

setTimeout(() => {
  console.error(`FAIL: the report browser test did not finish in ${DEADLINE_MS / 60_000} minutes`);
  process.exit(1);
}, DEADLINE_MS).unref();

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`FAIL: report browser test: ${(e as Error).message}`);
    process.exit(1);
  },
);
