/**
 * `ssc-lab mutation`: the suite's strength. The suite runs against each
 * deliberate defect of the catalogue (model/defects.ts): card defects on the
 * profile with the defect added to `simulator.defects` (the world parameter
 * `cardDefects`), terminal defects with the clean card and the world
 * parameter `terminalDefects`. A defect is caught when some scenario becomes
 * non-conforming (report/mutation.ts).
 *
 *   1. flags, --only names, the profile                          → exit 2 on any problem, before anything runs
 *   2. cucumber's configuration and support code, loaded once for the whole campaign
 *   3. the clean card: the whole suite must pass                 → exit 2 otherwise (the suite or profile is wrong)
 *   4. per defect, in this process: first the scenarios of the requirements expected to catch it (a tag
 *      expression over `@req:<id>`), and when they do not catch it the whole suite (terminal defects:
 *      features/terminal/); each run a `runCucumber` with the loaded support and a run model of its own,
 *      judged with the same scenario verdicts as `ssc-lab run`. `--parallel N` splits the defects over N
 *      child processes, each one campaign (`--worker FILE`, internal: no clean run, outcomes to FILE).
 *   5. the table, the score, mutation.json, mutation.md, Allure results → exit 0 all caught, 1 otherwise
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type IRunConfiguration,
  type IRunEnvironment,
  type ISupportCodeLibrary,
  loadConfiguration,
  loadSupport,
  runCucumber,
} from '@cucumber/cucumber/api';
import { PROJECT_ROOT } from '../core/json.ts';
import { VERSION } from '../core/version.ts';
import { CARD_DEFECTS, type DefectInfo, HOLDOUT_2_DEFECTS, HOLDOUT_DEFECTS, TERMINAL_DEFECTS } from '../model/defects.ts';
import { DEFAULT_PROFILE } from '../lab/profile.ts';
import { targetConfigOf } from '../lab/target.ts';
import {
  type CampaignDefect,
  type DefectOutcome,
  campaignJson,
  consoleTable,
  defectOutcome,
  figureLine,
  judgeDefect,
  markdownReport,
  scoreLine,
  summarise,
  writeAllureResults,
} from '../report/mutation.ts';
import { RunModel, type ScenarioResult, countVerdicts } from '../report/verdicts.ts';
import { EXIT, UsageError } from './errors.ts';
import { relativeOrAbsolute } from './paths.ts';
import { intFlag, rejectEmpty } from './flags.ts';
import { checkOutDir, claimOutDir } from './out-dir.ts';
import { nullStream } from './null-stream.ts';

export interface MutationOptions {
  only: string[];
  /** Defects left out of this campaign (a stated subset, e.g. the known survivors while their scenarios are written). */
  except: string[];
  /** The profiles each card defect runs on, in order, until one catches it (terminal defects: the first). */
  profileFiles: string[];
  /** The defects of the campaign: the main catalogue, or the hold-out set (model/defects/holdout.ts). */
  set: DefectSet;
  parallel: number;
  outDir: string;
  list: boolean;
  quiet: boolean;
  /** Internal: run as one of the campaign's child processes, writing the outcomes to this file. */
  worker?: string;
}

export const DEFECT_SETS = ['main', 'holdout', 'holdout-2'] as const;
export type DefectSet = (typeof DEFECT_SETS)[number];

/** The campaign's defects: the card defects, then the terminal defects, in catalogue order; or the hold-out set. */
export function campaignDefects(set: DefectSet = 'main'): CampaignDefect[] {
  if (set !== 'main')
    return ((set === 'holdout' ? HOLDOUT_DEFECTS : HOLDOUT_2_DEFECTS) as readonly DefectInfo[]).map((d) => ({
      ...d,
      kind: 'card' as const,
    }));
  return [
    ...(CARD_DEFECTS as readonly DefectInfo[]).map((d) => ({ ...d, kind: 'card' as const })),
    ...(TERMINAL_DEFECTS as readonly DefectInfo[]).map((d) => ({ ...d, kind: 'terminal' as const })),
  ];
}

export function parseMutationArgs(argv: string[]): MutationOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        only: { type: 'string', multiple: true, default: [] },
        except: { type: 'string', multiple: true, default: [] },
        profile: { type: 'string', multiple: true, default: [] },
        set: { type: 'string', default: 'main' },
        parallel: { type: 'string', default: '1' },
        out: { type: 'string', default: 'reports/mutation' },
        list: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        worker: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError(`mutation: ${(e as Error).message}`);
  }
  const v = parsed.values;
  rejectEmpty('mutation', v);
  const parallel = intFlag('mutation', 'parallel', v.parallel!, 1, 16, 'child processes');
  const set = DEFECT_SETS.find((x) => x === v.set);
  if (!set) throw new UsageError(`mutation: --set takes ${DEFECT_SETS.join(', ')}, got "${v.set}"`);
  const known = new Set(DEFECT_SETS.flatMap((x) => campaignDefects(x)).map((d) => d.id));
  for (const flag of ['only', 'except'] as const) {
    const unknown = v[flag]!.filter((id) => !known.has(id));
    if (unknown.length)
      throw new UsageError(
        `mutation: --${flag} names no defect of the catalogue: ${unknown.join(', ')} (ssc-lab mutation --list names them)`,
      );
  }
  return {
    only: [...new Set(v.only!)],
    except: [...new Set(v.except!)],
    profileFiles: v.profile!.length ? [...new Set(v.profile!.map((f) => resolve(f)))] : [DEFAULT_PROFILE],
    set,
    parallel,
    outDir: checkOutDir('mutation', 'out', v.out!),
    list: v.list!,
    quiet: v.quiet!,
    ...(v.worker !== undefined ? { worker: resolve(v.worker) } : {}),
  };
}

/** Where the whole suite is, for each kind of defect (a terminal defect cannot show in a card's own scenarios). */
const SUITE_PATHS: Record<CampaignDefect['kind'], string[] | undefined> = {
  card: undefined,
  terminal: ['features/terminal/**/*.feature'],
};

/** A tag expression for the scenarios of some requirements. */
export function requirementTags(ids: readonly string[]): string {
  return ids.map((id) => `@req:${id.replace(/([\\() ])/g, '\\$1')}`).join(' or ');
}

/**
 * Cucumber loaded once: the configuration of cucumber.js and the support
 * code (steps, hooks, world); each run is a `runCucumber` with that support,
 * its own world parameters and selection, and a run model of its own.
 */
class Suite {
  private constructor(
    private readonly config: IRunConfiguration,
    private readonly support: ISupportCodeLibrary,
    private readonly environment: IRunEnvironment,
    private readonly world: Record<string, unknown>,
  ) {}

  static async load(profileFile: string): Promise<Suite> {
    const environment: IRunEnvironment = { cwd: PROJECT_ROOT, stdout: nullStream(), stderr: process.stderr, env: process.env };
    const world = { target: 'sim', profileFile };
    const { runConfiguration } = await loadConfiguration(
      { file: 'cucumber.js', provided: { worldParameters: world, parallel: 0 } },
      environment,
    );
    const support = await loadSupport(runConfiguration, environment);
    return new Suite(runConfiguration, support, environment, world);
  }

  /** One run: the scenarios of `paths` (all by default) that match `tags`, with more world parameters. */
  async run(o: { world?: Record<string, unknown>; tags?: string; paths?: string[] } = {}): Promise<ScenarioResult[]> {
    const model = new RunModel();
    await runCucumber(
      {
        ...this.config,
        sources: {
          ...this.config.sources,
          ...(o.paths ? { paths: o.paths } : {}),
          ...(o.tags !== undefined ? { tagExpression: o.tags } : {}),
        },
        runtime: {
          ...this.config.runtime,
          parallel: 0,
          worldParameters: { ...this.world, ...o.world } as IRunConfiguration['runtime']['worldParameters'],
        },
        formats: { stdout: 'summary', files: {}, publish: false, options: {} },
        support: this.support,
      },
      this.environment,
      model.onMessage,
    );
    return model.scenarios;
  }
}

/** Per requirement, the feature files of the clean run's scenarios that name it. */
type FilesOf = Record<string, string[]>;

/** Per profile (absolute path), the files of its clean run's requirements. */
type FilesByProfile = Record<string, FilesOf>;

/** The profiles a defect runs on: its own (a defect of one cipher suite), else the campaign's; a terminal defect on the first. */
export function profilesFor(d: CampaignDefect, campaign: readonly string[]): string[] {
  if (d.profiles?.length) return d.profiles.map((p) => resolve(PROJECT_ROOT, p));
  return d.kind === 'terminal' ? [campaign[0]!] : [...campaign];
}

function filesOf(scenarios: readonly ScenarioResult[]): FilesOf {
  const files = new Map<string, Set<string>>();
  for (const s of scenarios) for (const r of s.requirements) files.set(r, (files.get(r) ?? new Set()).add(s.uri));
  return Object.fromEntries([...files].map(([r, uris]) => [r, [...uris]]));
}

/**
 * Runs the suite against one defect, on each of its profiles in turn until
 * one catches it: the expected requirements' scenarios first, the whole suite
 * when needed.
 */
async function runDefect(suite: Suite, d: CampaignDefect, campaign: readonly string[], files: FilesByProfile): Promise<DefectOutcome> {
  const t0 = performance.now();
  const profiles = profilesFor(d, campaign);
  let scenarios: ScenarioResult[] = [];
  let judged = judgeDefect(scenarios);
  let phase: DefectOutcome['phase'] = 'expected';
  let caughtOn: string | undefined;
  for (const profileFile of profiles) {
    const world = { profileFile, ...(d.kind === 'card' ? { cardDefects: [d.id] } : { terminalDefects: [d.id] }) };
    const of = files[profileFile]!;
    const expected = d.requirements.filter((r) => of[r]?.length);
    if (expected.length) {
      // only the feature files that hold them: the others need not even be parsed
      const paths = [...new Set(expected.flatMap((r) => of[r]!))];
      scenarios = [...scenarios, ...(await suite.run({ world, tags: requirementTags(expected), paths }))];
      judged = judgeDefect(scenarios);
    }
    if (judged.verdict !== 'caught') {
      phase = 'suite';
      // the rest of the suite: the expected requirements' scenarios have run already
      const rest = expected.length ? { tags: `not (${requirementTags(expected)})` } : {};
      scenarios = [...scenarios, ...(await suite.run({ world, ...rest, ...(SUITE_PATHS[d.kind] ? { paths: SUITE_PATHS[d.kind]! } : {}) }))];
      judged = judgeDefect(scenarios);
    }
    if (judged.verdict === 'caught') {
      caughtOn = relativeOrAbsolute(profileFile);
      break;
    }
  }
  return defectOutcome(d, judged, {
    phase,
    profiles: profiles.map(relativeOrAbsolute),
    ...(caughtOn ? { caughtOn } : {}),
    scenariosRun: scenarios.length,
    seconds: (performance.now() - t0) / 1000,
  });
}

function progressLine(o: DefectOutcome): string {
  const by = o.verdict === 'caught' ? `: ${o.caughtBy.join(', ')}` : o.first?.reason ? ` — ${o.first.reason}` : '';
  const where = `${o.phase === 'expected' ? 'expected requirements' : 'whole suite'}${o.caughtOn ? ` on ${o.caughtOn}` : ''}`;
  return `  ${o.verdict.padEnd(11)} ${o.id} (${o.kind}, ${where}, ${o.scenariosRun} scenarios, ${o.seconds.toFixed(1)} s)${by}`;
}

async function runDefects(
  suite: Suite,
  defects: readonly CampaignDefect[],
  campaign: readonly string[],
  files: FilesByProfile,
  quiet: boolean,
): Promise<DefectOutcome[]> {
  const outcomes: DefectOutcome[] = [];
  for (const d of defects) {
    const o = await runDefect(suite, d, campaign, files);
    if (!quiet) console.log(progressLine(o));
    outcomes.push(o);
  }
  return outcomes;
}

// the command's own entry point, as this module runs: TypeScript under tsx, or the JavaScript built in dist/
const MAIN = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './main.ts' : './main.js', import.meta.url));

/** The defects split over `n` child processes, each one campaign; their outcomes in catalogue order. */
async function runChildren(
  opts: MutationOptions,
  defects: readonly CampaignDefect[],
  n: number,
  files: FilesByProfile,
): Promise<DefectOutcome[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-lab-mutation-'));
  try {
    const shares = Array.from({ length: n }, (_, i) => defects.filter((_d, j) => j % n === i));
    const results = await Promise.all(
      shares.map(async (share, i) => {
        // the child reads the clean run's files per requirement from its file and writes its outcomes over them
        const file = join(dir, `worker-${i}.json`);
        writeFileSync(file, JSON.stringify(files));
        const args = [...process.execArgv, MAIN, 'mutation', '--worker', file, '--set', opts.set];
        for (const p of opts.profileFiles) args.push('--profile', p);
        for (const d of share) args.push('--only', d.id);
        if (opts.quiet) args.push('--quiet');
        const code = await new Promise<number | null>((done, fail) => {
          const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
          child.on('error', fail);
          child.on('exit', (c) => done(c));
        });
        if (code !== EXIT.OK) throw new Error(`mutation: child process ${i + 1} of ${n} ended with exit code ${code}`);
        return JSON.parse(readFileSync(file, 'utf8')) as DefectOutcome[];
      }),
    );
    const byId = new Map(results.flat().map((o) => [o.id, o]));
    return defects.map((d) => byId.get(d.id)!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printList(set: DefectSet): void {
  const defects = campaignDefects(set);
  const w = Math.max(...defects.map((d) => d.id.length), 6);
  console.log(`${'defect'.padEnd(w)}  kind      class                 expected requirements / rule`);
  for (const d of defects) {
    console.log(`${d.id.padEnd(w)}  ${d.kind.padEnd(8)}  ${d.class.padEnd(20)}  ${d.requirements.join(', ') || '(none named)'}`);
    console.log(`${' '.repeat(w + 34)}${d.rule}${d.profiles?.length ? ` [runs on ${d.profiles.join(', ')}]` : ''}`);
  }
  const card = defects.filter((d) => d.kind === 'card').length;
  console.log(`${defects.length} defects: ${card} card, ${defects.length - card} terminal`);
}

/** The clean card of one profile: every scenario passes (the files of its requirements), or why not. */
async function cleanRun(suite: Suite, profileFile: string, quiet: boolean): Promise<FilesOf | undefined> {
  const clean = await suite.run({ world: { profileFile } });
  const c = countVerdicts(clean);
  const bad = clean.filter((s) => s.verdict === 'non-conforming' || s.verdict === 'inconclusive' || s.verdict === 'undefined');
  if (bad.length || clean.length === 0) {
    for (const s of bad.slice(0, 8))
      console.error(`ssc-lab: clean card: ${s.verdict} [${s.requirements.join(', ')}] ${s.name} — ${s.reason ?? ''}`);
    console.error(
      `ssc-lab: mutation: the clean card (${relativeOrAbsolute(profileFile)}) does not pass the suite ` +
        `(${c['non-conforming']} non-conforming, ${c.inconclusive + c.undefined} inconclusive of ${clean.length}): ` +
        'the suite or the profile is wrong, not a defect; no defect was run',
    );
    return undefined;
  }
  if (!quiet) console.log(`clean card ${relativeOrAbsolute(profileFile)}: ${clean.length} scenarios, ${c.passed} passed`);
  return filesOf(clean);
}

export async function mutationCommand(argv: string[]): Promise<number> {
  const opts = parseMutationArgs(argv);
  if (opts.list) {
    printList(opts.set);
    return EXIT.OK;
  }
  const all = opts.only.length ? DEFECT_SETS.flatMap((x) => campaignDefects(x)) : campaignDefects(opts.set);
  const defects = (opts.only.length ? all.filter((d) => opts.only.includes(d.id)) : all).filter((d) => !opts.except.includes(d.id));
  // every profile the defects run on is valid (DataError → exit 2) before anything runs
  const profiles = [...new Set(defects.flatMap((d) => profilesFor(d, opts.profileFiles)))];
  if (!profiles.length) profiles.push(opts.profileFiles[0]!);
  for (const profileFile of profiles) targetConfigOf({ target: 'sim', profileFile });
  // the parent writes the results; no other campaign or run writes there meanwhile (a child writes only its --worker file)
  const claim = opts.worker ? undefined : claimOutDir('mutation', 'out', opts.outDir);
  try {
    return await campaign(opts, defects, profiles);
  } finally {
    claim?.release();
  }
}

async function campaign(opts: MutationOptions, defects: CampaignDefect[], profiles: string[]): Promise<number> {
  const started = new Date();
  const t0 = performance.now();
  const suite = await Suite.load(profiles[0]!);

  // The clean card of each profile: every scenario passes, or the campaign has nothing to measure against.
  let files: FilesByProfile = {};
  if (!opts.worker) {
    for (const profileFile of profiles) {
      const of = await cleanRun(suite, profileFile, opts.quiet);
      if (!of) return EXIT.USAGE;
      files[profileFile] = of;
    }
  } else {
    // a child runs no clean card: the parent's clean runs told which files hold each requirement's scenarios
    files = JSON.parse(readFileSync(opts.worker, 'utf8')) as FilesByProfile;
  }

  const parallel = Math.min(opts.parallel, defects.length);
  const outcomes =
    parallel > 1 && !opts.worker
      ? await runChildren(opts, defects, parallel, files)
      : await runDefects(suite, defects, opts.profileFiles, files, opts.quiet);
  if (opts.worker) {
    writeFileSync(opts.worker, JSON.stringify(outcomes));
    return EXIT.OK;
  }

  const seconds = (performance.now() - t0) / 1000;
  const summary = summarise(outcomes);
  mkdirSync(opts.outDir, { recursive: true });
  const profile = profiles.map(relativeOrAbsolute).join(', ');
  writeFileSync(
    join(opts.outDir, 'mutation.json'),
    campaignJson(outcomes, { profile, started: started.toISOString(), seconds, tool: `ssc-lab ${VERSION}` }),
  );
  writeFileSync(join(opts.outDir, 'mutation.md'), markdownReport(outcomes, { profile, seconds }));
  const allure = join(opts.outDir, 'allure-results');
  rmSync(allure, { recursive: true, force: true });
  writeAllureResults(allure, outcomes, started.getTime());
  console.log(
    [
      '',
      `ssc-lab ${VERSION} — mutation campaign on ${profile}`,
      consoleTable(outcomes),
      scoreLine(summary),
      `results      ${['mutation.json', 'mutation.md', 'allure-results'].map((f) => relativeOrAbsolute(join(opts.outDir, f))).join(', ')}`,
      figureLine(summary, seconds),
    ].join('\n'),
  );
  return summary.caught === summary.defects ? EXIT.OK : EXIT.NONCONFORMING;
}
