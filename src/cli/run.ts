import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfiguration, runCucumber, type IRunConfiguration } from '@cucumber/cucumber/api';
import { toHex } from '../core/bytes.ts';
import { DEFAULT_CATALOGUE, checkScenarioTags, coverage, loadCatalogue } from '../model/catalog.ts';
import { DEFAULT_PROFILE, profileFiles } from '../lab/profile.ts';
import type { Profile } from '../model/profile.ts';
import { KNOWN_CAPABILITIES, type TargetKind, capabilitiesOf, isTarget, openTarget, TARGETS, targetConfigOf } from '../lab/target.ts';
import type { WrittenResult } from '../report/allure-formatter.ts';
import { writeRunFiles } from '../report/allure.ts';
import { onInterrupt } from '../core/interrupt.ts';
import { phaseTimer } from './timings.ts';
import { generateHtml, reportPages } from '../report/html.ts';
import { clearResults, removePool } from '../report/results-writer.ts';
import { junitXml } from '../report/junit.ts';
import { RESULT_PREFIX } from '../terminal-test/report.ts';
import { buildMatrix, matrixCsv, matrixHtml, withReportPages } from '../report/matrix.ts';
import { summaryHtml, writeDossier } from '../report/dossier.ts';
import { htmlToPdf } from '../report/pdf.ts';
import { describeCertificate } from '../crypto/cms.ts';
import { labKeyDir, loadLabKey } from '../lab/lab-key.ts';
import { type CardIdentity, type PreflightFinding, identityText, preflight } from '../conformance/preflight.ts';
import { CardSession } from '../channel/session.ts';
import { TransportError } from '../channel/channel.ts';
import { Progress } from '../report/progress.ts';
import { RunResults } from '../report/run-results.ts';
import { type ShardJob, Shards, planShares, runShard } from './shards.ts';
import { type Ics, icsExclusions as exclusionsOf } from '../model/ics.ts';
import { type Plan, planRequirements, planTagExpression } from '../model/plan.ts';
import { gitCommit, relativeOrAbsolute, sha256File } from './paths.ts';
import { pinMasker } from '../report/secrets.ts';
import { type RequirementVerdict, RunModel, type ScenarioResult, countVerdicts, requirementVerdicts } from '../report/verdicts.ts';
import { DataError, PROJECT_ROOT, loadJson } from '../core/json.ts';
import { VERSION } from '../core/version.ts';
import { EXIT, UsageError } from './errors.ts';
import { parseEndpoint } from '../vpcd/card-server.ts';
import { intFlag, rejectEmpty } from './flags.ts';
import { checkOutDir, claimOutDir } from './out-dir.ts';
import { checkSelection, unknownTags } from './selection.ts';
import { checkLabKey } from './dossier.ts';
import { nullStream } from './null-stream.ts';

export interface RunOptions {
  target: TargetKind;
  /** PC/SC reader (name, part of it, or index). */
  reader?: string;
  /** PC/SC target: fixture control of a served simulated card. */
  simControl?: { host: string; port: number };
  profileFile: string;
  tags?: string;
  sampleId: string;
  /** The lab and the operator, for the matrix and the dossier. */
  lab?: string;
  operator?: string;
  /** Where the lab's signing key is (lab/lab-key.ts). */
  labKeyDir?: string;
  /** Run even when the pre-flight finds the sample is not the card expected, or blocked. */
  force: boolean;
  /** The sample's implementation conformance statement (schemas/ics.schema.json). */
  icsFile?: string;
  /** A run plan (plans/NAME.json or a file): the requirements the run tests. */
  planFile?: string;
  /** Processes the scenarios are split over (1: serial). */
  parallel: number;
  outDir: string;
  showSecrets: boolean;
  /** Each step's APDU trace attached to the step too, not only the scenario's whole trace. */
  stepTraces: boolean;
  html: boolean;
  quiet: boolean;
  paths: string[];
}

export function parseRunArgs(argv: string[]): RunOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        target: { type: 'string', default: 'sim' },
        reader: { type: 'string' },
        'sim-control': { type: 'string' },
        profile: { type: 'string' },
        tags: { type: 'string' },
        'sample-id': { type: 'string' },
        lab: { type: 'string' },
        operator: { type: 'string' },
        'lab-key': { type: 'string' },
        force: { type: 'boolean', default: false },
        ics: { type: 'string' },
        plan: { type: 'string' },
        parallel: { type: 'string' },
        out: { type: 'string', default: 'reports' },
        'show-secrets': { type: 'boolean', default: false },
        'step-traces': { type: 'boolean', default: false },
        'no-html': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(`run: ${(e as Error).message}`);
  }
  const v = parsed.values;
  rejectEmpty('run', v);
  if (!isTarget(v.target!)) throw new UsageError(`run: unknown target "${v.target}" (available: ${TARGETS.join(', ')})`);
  // by default a simulator run uses one process per two cores (defaultParallel); one card in one reader, one process
  const parallel =
    v.parallel === undefined
      ? v.target === 'sim'
        ? defaultParallel()
        : 1
      : Math.max(1, intFlag('run', 'parallel', v.parallel, 0, 16, 'processes'));
  if (parallel > 1 && v.target !== 'sim')
    throw new UsageError(`run: --parallel ${v.parallel} goes with --target sim (a card in a reader is tested by one process)`);
  const profileFile = v.profile ? resolve(v.profile) : DEFAULT_PROFILE;
  if (v.tags !== undefined) {
    const unknown = unknownTags(v.tags, loadCatalogue(), KNOWN_CAPABILITIES);
    if (unknown.length) throw new UsageError(`run: --tags "${v.tags}": ${unknown.join('; ')}`);
  }
  checkLabKey('run', 'lab-key', v['lab-key']);
  for (const p of parsed.positionals) {
    // FEATURE, FEATURE:LINE or a directory of features
    const file = /^(.*?)(:\d+)*$/.exec(p)![1]!;
    if (file.trim() === '' || !existsSync(file)) throw new UsageError(`run: FEATURE ${p}: no such file or directory`);
  }
  const opts: RunOptions = {
    target: v.target,
    profileFile,
    sampleId: v['sample-id'] ?? '',
    parallel,
    outDir: checkOutDir('run', 'out', v.out!),
    showSecrets: v['show-secrets']!,
    stepTraces: v['step-traces']!,
    force: v.force!,
    html: !v['no-html'],
    quiet: v.quiet!,
    paths: parsed.positionals,
  };
  if (v.tags) opts.tags = v.tags;
  if (v.lab) opts.lab = v.lab;
  if (v.operator) opts.operator = v.operator;
  if (v['lab-key']) opts.labKeyDir = v['lab-key'];
  if (v.ics) opts.icsFile = resolve(v.ics);
  if (v.plan) {
    const named = join(PROJECT_ROOT, 'plans', `${v.plan}.json`);
    opts.planFile = existsSync(named) ? named : resolve(v.plan);
    if (!existsSync(opts.planFile))
      throw new UsageError(`run: --plan ${v.plan}: no plans/${v.plan}.json and no such file (plans: ${planNames().join(', ')})`);
  }
  if (v.reader !== undefined) {
    if (v.target !== 'pcsc') throw new UsageError('run: --reader goes with --target pcsc');
    opts.reader = v.reader;
  }
  if (v['sim-control'] !== undefined) {
    if (v.target !== 'pcsc')
      throw new UsageError('run: --sim-control goes with --target pcsc (the card in the reader is a served simulator)');
    try {
      opts.simControl = parseEndpoint(v['sim-control'], { portRequired: true });
    } catch (e) {
      throw new UsageError(`run --sim-control: ${(e as Error).message}`);
    }
  }
  return opts;
}

/**
 * The processes a simulator run uses by default: one per two cores, at most 4. One Node process running the
 * suite keeps 1.3 cores busy (the engine compiles and collects garbage on other threads), and each process warms
 * up on its own: on this project's 2-core machine a second process made the run no faster (5.7 s against 5.5 s,
 * medians of 5), so there a run is serial.
 */
export function defaultParallel(cores = availableParallelism()): number {
  return Math.max(1, Math.min(4, Math.floor(cores / 2)));
}

/** Scenarios a process should have to be worth its start-up (about a second of a core). */
const SCENARIOS_PER_PROCESS = 40;

export async function runCommand(argv: string[]): Promise<number> {
  const opts = parseRunArgs(argv);
  // before anything runs: the selection is not empty, and no other run writes into --out (the lock goes at exit)
  const selected = await checkSelection('run', opts);
  claimOutDir('run', 'out', opts.outDir);
  // the other processes start now, and load while this one runs the pre-flight and the dry run
  const shards = new Shards(Math.max(1, Math.min(opts.parallel, Math.ceil(selected / SCENARIOS_PER_PROCESS))));
  try {
    return await runWith(opts, shards);
  } finally {
    shards.stop();
  }
}

async function runWith(opts: RunOptions, shards: Shards): Promise<number> {
  const targetConfig = targetConfigOf(opts);
  const profile = targetConfig.profile;
  const index = loadCatalogue();
  // the ICS is valid (DataError → exit 2) before anything runs; what it does not claim is not applicable
  const ics = opts.icsFile ? loadJson<Ics>(opts.icsFile, 'ics') : undefined;
  const icsExclusions = ics
    ? Object.fromEntries(
        exclusionsOf(
          ics,
          index.all.map((r) => r.id),
        ),
      )
    : undefined;
  // a plan selects requirements: the scenarios naming them (and the tag filter, if any)
  let plan: Plan | undefined;
  if (opts.planFile) {
    plan = loadJson<Plan>(opts.planFile, 'plan');
    const { selected, unmatched } = planRequirements(
      plan,
      index.all.map((r) => r.id),
    );
    if (unmatched.length)
      throw new DataError(
        relativeOrAbsolute(opts.planFile),
        unmatched.map((i) => `/requirements/${i}: "${plan!.requirements[i]}" names no requirement of the catalogue`),
      );
    const byPlan = planTagExpression(selected);
    opts.tags = opts.tags ? `(${byPlan}) and (${opts.tags})` : byPlan;
  }
  const timings = phaseTimer();
  const started = new Date();

  // 2. The target, once, for the environment of the report.
  let opened;
  try {
    opened = await openTarget(targetConfig);
  } catch (e) {
    if ((e as Error).name === 'PcscUnavailable') throw new UsageError(`run: ${(e as Error).message}`);
    throw e;
  }
  const probe = opened.channel;
  const atr = toHex(probe.atr, ' ');
  const protocol = probe.protocol;
  const description = probe.description;
  const capabilities = capabilitiesOf(targetConfig, probe);
  // Pre-flight: is the sample the card the profile describes, and not blocked already? Before any scenario.
  let findings: PreflightFinding[];
  let identity: CardIdentity;
  try {
    const session = new CardSession(probe);
    await session.reset(true);
    ({ findings, identity } = await preflight(session, profile, opened.keyset, session.atr, probe.protocol, ics));
  } catch (e) {
    // the card or reader failed before any scenario: nothing was run, and nothing is said of the sample
    if (e instanceof TransportError)
      throw new UsageError(
        `run: stopped in the pre-flight, before any scenario — ${e.message} (nothing was run; check the reader and the card)`,
      );
    throw e;
  } finally {
    await probe.close().catch(() => undefined);
  }
  if (findings.length && !opts.force) {
    for (const f of findings) console.error(`ssc-lab: pre-flight: ${f.problem}`);
    console.error(
      `ssc-lab: run: stopped before any scenario — the sample in ${description} is not the card ${relativeOrAbsolute(opts.profileFile)} describes, or cannot be tested (--force runs it anyway)`,
    );
    return EXIT.USAGE;
  }
  const sampleId = opts.sampleId || (opts.target === 'sim' ? `SIM-${profile.id}` : 'unnamed-sample');

  // 3. Configuration and the dry run.
  const allureResults = join(opts.outDir, 'allure-results');
  const environment = { cwd: PROJECT_ROOT, stdout: opts.quiet ? nullStream() : process.stdout, stderr: process.stderr, env: process.env };
  const provided: Record<string, unknown> = {
    worldParameters: {
      target: opts.target,
      profileFile: opts.profileFile,
      ...(opts.reader !== undefined ? { reader: opts.reader } : {}),
      ...(opts.simControl ? { simControl: opts.simControl } : {}),
      sampleId,
      showSecrets: opts.showSecrets,
      ...(icsExclusions ? { icsExclusions } : {}),
    },
  };
  if (opts.tags) provided.tags = opts.tags;
  const { runConfiguration } = await loadConfiguration({ file: 'cucumber.js', provided }, environment);
  // Feature paths on the command line replace those of cucumber.js.
  if (opts.paths.length) runConfiguration.sources.paths = opts.paths.map((p) => resolve(p));
  // Outputs follow --out; the formatters of cucumber.js are replaced, not added to: the Allure results are written by
  // the run report (allure-cucumberjs completed from the run model), JUnit from the model after the run.
  const dry = new RunModel();
  const dryConfig: IRunConfiguration = {
    ...runConfiguration,
    runtime: { ...runConfiguration.runtime, dryRun: true, parallel: 0 },
    formats: { stdout: 'summary', files: {}, publish: false, options: {} },
  };
  timings.mark('start-up, target and pre-flight');
  const dryResult = await runCucumber(dryConfig, { ...environment, stdout: nullStream() }, dry.onMessage);
  const scenarios = dry.allPickles.map((p) => ({ name: p.name, uri: p.uri, tags: p.tags.map((t) => t.name) }));
  const problems = checkScenarioTags(scenarios, index, KNOWN_CAPABILITIES);
  const undefinedSteps = dry.scenarios.filter((r) => r.verdict === 'undefined');
  if (problems.length || undefinedSteps.length) {
    for (const p of problems) console.error(`ssc-lab: ${p.where}: ${p.problem}`);
    for (const u of undefinedSteps) console.error(`ssc-lab: ${u.uri} "${u.name}": ${u.reason ?? 'a step has no definition'}`);
    console.error(`ssc-lab: ${problems.length + undefinedSteps.length} problem(s) in the scenarios; nothing was run`);
    return EXIT.USAGE;
  }
  if (scenarios.length === 0) throw new UsageError('run: no scenario matches the paths and tags given');

  // 4. The run: the run report feeds the model and writes the Allure results completed from it.
  const env: Record<string, string> = {
    'Sample ID': sampleId,
    Target: opts.target,
    Reader: description,
    ATR: atr,
    Protocol: protocol,
    'Profile ID': profile.id,
    'Profile title': profile.title,
    'Profile file': relativeOrAbsolute(opts.profileFile),
    'Specification version': profile.specVersion,
    'Requirement catalogue': `${index.catalogue.catalogue} ${index.catalogue.version}`,
    'Tool version': `ssc-lab ${VERSION}`,
    'Run started': started.toISOString(),
    ...(identityText(identity) ? { 'Card identity (read from the card)': identityText(identity)! } : {}),
    ...(findings.length ? { 'Pre-flight (forced past)': findings.map((f) => f.problem).join(' | ') } : {}),
    ...(ics && opts.icsFile ? { ICS: `${ics.id} — ${ics.vendor}, ${ics.product} (${relativeOrAbsolute(opts.icsFile)})` } : {}),
    Node: process.version,
  };
  if (plan) env.Plan = `${plan.id} — ${plan.title}`;
  else if (opts.tags) env['Tag filter'] = opts.tags;
  if (opts.simControl) env['Fixture control'] = `${opts.simControl.host}:${opts.simControl.port} (a simulated card served through vpcd)`;
  // Every process's scenarios, as they finish: the run's results (in the dry run's order), the progress line and
  // allure.out, the index of the results written so far (result file, verdict, name).
  const planned = dry.scenarios;
  const results = new RunResults(planned);
  const progress = new Progress(planned.length, opts.quiet ? undefined : process.stdout);
  // the last card run's results go; a terminal-test run's results there and the report history stay
  const pool = clearResults(allureResults, (f) => f.startsWith(RESULT_PREFIX));
  const resultIndex = openSync(join(opts.outDir, 'allure.out'), 'w');
  const onScenario = (s: ScenarioResult, written: WrittenResult | undefined) => {
    results.add(s, written?.file);
    if (written) writeSync(resultIndex, `${written.file}\t${s.verdict}\t${written.name}\n`);
    progress.scenario(s);
  };
  const suiteName = (runConfiguration.formats.options as { junit?: { suiteName?: string } }).junit?.suiteName ?? 'ssc-lab';
  // Interrupted (SIGINT, SIGTERM): the results so far stay as they are (each written whole), JUnit is written from
  // what the run holds, the run files too, so that `ssc-lab report DIR` renders them; the process exits 130/143.
  const stopped = onInterrupt((signal) => {
    shards.stop();
    removePool(pool);
    const done = results.scenarios.length;
    writeFileSync(join(opts.outDir, 'junit.xml'), junitXml(results, suiteName, opts.showSecrets));
    writeRunFiles(allureResults, { ...env, Interrupted: `${signal} after ${done} of ${scenarios.length} scenarios` });
    console.error(
      `ssc-lab: run: interrupted by ${signal} after ${done} of ${scenarios.length} scenarios; the results so far are in ${relativeOrAbsolute(allureResults)} and ${relativeOrAbsolute(join(opts.outDir, 'junit.xml'))} (ssc-lab report ${relativeOrAbsolute(opts.outDir)} renders them)`,
    );
  });
  timings.mark('configuration and dry run');
  // shard 1 of N here, with the steps the dry run loaded; shards 2..N in the processes started at the beginning
  const shares = planShares(planned, shards.n);
  const job = (k: number): ShardJob => ({
    share: k,
    of: shards.n,
    sources: { ...runConfiguration.sources, paths: shares.paths[k - 1]! },
    worldParameters: runConfiguration.runtime.worldParameters as Record<string, unknown>,
    resultsDir: allureResults,
    ...(pool ? { pool } : {}),
    environment: env,
    showSecrets: opts.showSecrets,
    stepTraces: opts.stepTraces,
    capabilities: [...capabilities],
  });
  const [own, others] = await Promise.all([
    runShard({ ...runConfiguration, support: dryResult.support }, job(1), onScenario),
    shards.run(job, onScenario),
  ]);
  stopped();
  progress.end();
  closeSync(resultIndex);
  removePool(pool);
  results.ran(own.runStarted, own.runFinished);
  let success = own.success;
  for (const o of others) {
    if ('outcome' in o) {
      results.ran(o.outcome.runStarted, o.outcome.runFinished);
      success &&= o.outcome.success;
      continue;
    }
    // a process that ended before its share was done: the rest of its share is not run — the tool's fault, not the card's
    success = false;
    console.error(`ssc-lab: run: ${o.failure}`);
    results.notRun(`not run: ${o.failure}`, (_p, i) => shares.shareOf[i] === o.k);
  }

  // 5. Report: every output from the one model.
  const cov = coverage(scenarios, index);
  const verdicts = results.scenarios;
  const requirements = requirementVerdicts(index, cov, verdicts);
  writeFileSync(join(opts.outDir, 'junit.xml'), junitXml(results, suiteName, opts.showSecrets));
  writeFileSync(join(opts.outDir, 'coverage.json'), JSON.stringify(requirements, null, 2));
  const commit = gitCommit();
  const matrix = buildMatrix(
    index,
    requirements,
    verdicts,
    {
      ...(opts.lab ? { lab: opts.lab } : {}),
      ...(opts.operator ? { operator: opts.operator } : {}),
      sampleId,
      target: opts.target,
      reader: description,
      atr,
      protocol,
      profile: {
        id: profile.id,
        file: relativeOrAbsolute(opts.profileFile),
        sha256: sha256File(opts.profileFile),
        specVersion: profile.specVersion,
      },
      catalogue: { name: index.catalogue.catalogue, version: index.catalogue.version, sha256: sha256File(DEFAULT_CATALOGUE) },
      tool: { version: VERSION, ...(commit ? { commit } : {}) },
      started: started.toISOString(),
      finished: new Date().toISOString(),
      identity,
      ...(ics ? { vendor: ics.vendor, ...(ics.cos ? { cos: ics.cos } : {}) } : {}),
      ...(findings.length ? { preflight: findings.map((f) => f.problem) } : {}),
      ...(ics && opts.icsFile
        ? {
            ics: {
              id: ics.id,
              vendor: ics.vendor,
              product: ics.product,
              file: relativeOrAbsolute(opts.icsFile),
              sha256: sha256File(opts.icsFile),
            },
          }
        : {}),
      ...(opts.tags || opts.paths.length
        ? { selection: [plan ? `plan ${plan.id}` : opts.tags, ...opts.paths.map(relativeOrAbsolute)].filter(Boolean).join(' ') }
        : {}),
    },
    (s) => {
      const f = results.resultFile(s.pickleId);
      return f ? `allure-results/${f}` : undefined;
    },
    (s, text) =>
      pinMasker(
        s.steps.map((st) => st.text),
        opts.showSecrets,
      )(text),
  );
  timings.mark('the scenarios');
  // the summary's PDF is printed while the HTML report renders: two child processes, one after the other otherwise
  const pdfDir = mkdtempSync(join(tmpdir(), 'ssc-lab-summary-'));
  const early = { html: summaryHtml(matrix), pdf: join(pdfDir, 'summary.pdf') };
  writeFileSync(join(pdfDir, 'summary.html'), early.html);
  const printing = htmlToPdf(join(pdfDir, 'summary.html'), early.pdf);
  let html = '';
  let reportWritten = false;
  let linked = matrix;
  if (opts.html) {
    const out = join(opts.outDir, 'allure-report');
    const gen = await generateHtml(allureResults, out);
    html = gen.ok ? `${relativeOrAbsolute(join(out, 'index.html'))}` : `not generated: ${gen.error}`;
    reportWritten = gen.ok;
    // each scenario of the matrix links its page in the report (its steps and APDU trace)
    const pages = reportWritten ? reportPages(out) : new Map<string, string>();
    linked = withReportPages(matrix, (s) => {
      const page = s.evidence ? pages.get(basename(s.evidence).replace(/-result\.json$/, '')) : undefined;
      return page ? `allure-report/index.html${page}` : undefined;
    });
  }
  timings.mark('JUnit, coverage and the HTML report');
  const matrixDir = join(opts.outDir, 'matrix');
  mkdirSync(matrixDir, { recursive: true });
  writeFileSync(join(matrixDir, 'matrix.json'), `${JSON.stringify(linked, null, 2)}\n`);
  writeFileSync(join(matrixDir, 'matrix.csv'), matrixCsv(linked));
  writeFileSync(join(matrixDir, 'matrix.html'), matrixHtml(linked, reportWritten ? '../allure-report/index.html' : undefined));
  // last: the dossier's manifest covers every file the run wrote, the HTML report included
  const key = loadLabKey(labKeyDir(opts.labKeyDir));
  const dossier = await writeDossier(
    opts.outDir,
    linked,
    [
      ...profileFiles(opts.profileFile).map((f) => ({ name: `profile-${basename(f)}`, file: f })),
      { name: 'requirements.json', file: DEFAULT_CATALOGUE },
      ...(opts.icsFile ? [{ name: `ics-${basename(opts.icsFile)}`, file: opts.icsFile }] : []),
    ],
    {
      ...(key ? { key } : {}),
      // the PDF printed meanwhile, when it was printed from the same summary; printed again otherwise
      pdf: async (summary, pdf) => {
        const done = await printing;
        if (!done.ok || readFileSync(summary, 'utf8') !== early.html) return htmlToPdf(summary, pdf);
        copyFileSync(early.pdf, pdf);
        return done;
      },
    },
  );
  rmSync(pdfDir, { recursive: true, force: true });
  timings.mark('matrix and dossier');
  timings.print();
  const signedBy = key ? describeCertificate(key.certPem).subject : undefined;
  const dossierLine = `${relativeOrAbsolute(dossier.dir)} (${dossier.files} files, ${signedBy ? `signed by ${signedBy}` : 'NOT SIGNED: no lab key — ssc-lab lab-key init --lab NAME'}; summary.html${dossier.pdf.ok ? ' and summary.pdf' : `, no PDF: ${dossier.pdf.error}`})`;
  printSummary({
    opts,
    profile,
    sampleId,
    description,
    atr,
    protocol,
    verdicts,
    requirements,
    html,
    dossier: dossierLine,
    identity: identityText(identity),
  });
  const counts = countVerdicts(verdicts);
  return success && counts['non-conforming'] === 0 && counts.inconclusive === 0 ? EXIT.OK : EXIT.NONCONFORMING;
}

/** The run plans of plans/. */
function planNames(): string[] {
  const dir = join(PROJECT_ROOT, 'plans');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5))
    : [];
}

function printSummary(s: {
  opts: RunOptions;
  profile: Profile;
  sampleId: string;
  description: string;
  atr: string;
  protocol: string;
  verdicts: ScenarioResult[];
  requirements: RequirementVerdict[];
  html: string;
  dossier: string;
  /** The sample's identity read from the card. */
  identity?: string | undefined;
}): void {
  const c = countVerdicts(s.verdicts);
  const reqs = s.requirements;
  const rc = (v: RequirementVerdict['verdict']) => reqs.filter((r) => r.verdict === v).length;
  const lines = [
    '',
    `ssc-lab ${VERSION} — ${s.profile.title}`,
    `  sample       ${s.sampleId}`,
    `  target       ${s.description}`,
    `  ATR          ${s.atr} (${s.protocol})`,
    `  profile      ${s.profile.id}, specification ${s.profile.specVersion}`,
    ...(s.identity ? [`  identity     ${s.identity}`] : []),
    `  scenarios    ${s.verdicts.length}: ${c.passed} passed, ${c['non-conforming']} non-conforming, ${c.inconclusive} inconclusive, ${c['not-applicable']} not applicable${c['not-run'] ? `, ${c['not-run']} NOT RUN` : ''}`,
    `  requirements ${reqs.length}: ${rc('passed')} passed, ${rc('failed')} failed, ${rc('inconclusive')} inconclusive, ${rc('not-applicable')} not applicable, ${rc('no-scenario')} ${s.opts.tags !== undefined || s.opts.paths.length > 0 ? 'not in this selection' : 'without scenarios'}, ${rc('not-run')} not run, ${rc('trace-check')} checked on terminal traces (ssc-lab terminal-test)`,
  ];
  const bad = s.verdicts.filter((v) => v.verdict === 'non-conforming' || v.verdict === 'inconclusive');
  for (const v of bad.slice(0, 40)) {
    const mask = pinMasker(
      v.steps.map((st) => st.text),
      s.opts.showSecrets,
    );
    lines.push(
      `  ✗ ${v.verdict === 'non-conforming' ? 'NON-CONFORMING' : 'INCONCLUSIVE'} [${v.requirements.join(', ')}] ${mask(v.name)}${v.reason ? ` — ${mask(v.reason)}` : ''}`,
    );
  }
  if (bad.length > 40) lines.push(`  … and ${bad.length - 40} more (the matrix lists every one)`);
  const uncovered = reqs.filter((r) => r.verdict === 'no-scenario');
  const filtered = s.opts.tags !== undefined || s.opts.paths.length > 0;
  if (uncovered.length && !filtered) lines.push(`  without scenarios: ${uncovered.map((r) => r.id).join(', ')}`);
  lines.push(
    `  results      ${relativeOrAbsolute(join(s.opts.outDir, 'allure-results'))} (${s.verdicts.length}), ${relativeOrAbsolute(join(s.opts.outDir, 'junit.xml'))}`,
  );
  lines.push(`  matrix       ${relativeOrAbsolute(join(s.opts.outDir, 'matrix', 'matrix.html'))} (and .csv, .json)`);
  if (s.opts.html) lines.push(`  report       ${s.html}`);
  lines.push(`  dossier      ${s.dossier}`);
  // The closing line, in the plain form CI systems read.
  const notRun = s.verdicts.filter((v) => v.verdict === 'not-run');
  if (notRun.length) {
    const first = s.verdicts.indexOf(notRun[0]!);
    const lost = s.verdicts
      .slice(0, first)
      .reverse()
      .find((v) => v.verdict === 'inconclusive');
    lines.push(
      `  NOT RUN      ${notRun.length} scenarios from the ${first + 1}th on: ${notRun[0]!.reason ?? 'the sample could not be tested any more'}${lost ? `; the card left during "${lost.name}"` : ''}`,
    );
  }
  lines.push(
    `scenarios: ${c.passed} passed, ${c['non-conforming'] + c.inconclusive + c.undefined} failed, ${c['not-applicable'] + c['not-run']} skipped${c['not-run'] ? ` (${c['not-run']} not run)` : ''}`,
  );
  console.log(lines.join('\n'));
}
