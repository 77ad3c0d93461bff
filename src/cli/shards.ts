/**
 * `ssc-lab run --parallel N`: the run's scenarios split over N processes.
 * The run's own process runs shard 1 of N; N − 1 child processes run the
 * others, each serially, each with its own cards, model and Allure results
 * (written into the one results directory), and each scenario goes back to
 * the run as it finishes (its result, its file), where `RunResults` puts
 * them in the plan's order. Each process runs consecutive scenarios of the
 * plan (`planShares`), as many as the others.
 *
 * The children are started before the run's pre-flight and dry run, and load
 * the modules and the step definitions meanwhile: a child costs the run its
 * start-up only where a core was idle. Cucumber's own `--parallel` sends
 * every message of every worker back to one coordinator, which then formats
 * all of them: slower than serial on two cores, measured.
 *
 * The child side is `shard-main.ts`: it speaks only over the IPC channel,
 * and ends when the run goes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type IRunConfiguration, type ISupportCodeLibrary, loadConfiguration, loadSupport, runCucumber } from '@cucumber/cucumber/api';
import type { Timestamp } from '@cucumber/messages';
import { PROJECT_ROOT } from '../core/json.ts';
import { loadCatalogue } from '../model/catalog.ts';
import {
  REQUIREMENT_LABELS,
  RUN_REPORT_FORMATTER,
  RUN_REPORT_OPTION,
  type RunReportOptions,
  type WrittenResult,
} from '../report/allure-formatter.ts';
import { RunModel, type ScenarioResult } from '../report/verdicts.ts';
import { EXIT } from './errors.ts';
import { phaseTimer } from './timings.ts';
import { nullStream } from './null-stream.ts';

/** The child's entry, as built (dist/) or as the sources under tsx (whose loader is in `process.execArgv`). */
const SHARD_MAIN = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './shard-main.ts' : './shard-main.js', import.meta.url));

/** What a shard's child process is started with: a word for whoever reads the process list. */
export const SHARD_COMMAND = '__shard';

/**
 * The run's planned scenarios (feature file and line, in the plan's order) in `n` shares of consecutive
 * scenarios, as many in each as can be: each share as the feature paths with lines that select it, and the
 * share of each planned scenario. Consecutive scenarios exercise the same parts of the card and the harness, so
 * a process warms up (the engine compiles) the code of its share only, not of the whole suite.
 */
export function planShares(plan: readonly { uri: string; line?: number }[], n: number): { paths: string[][]; shareOf: number[] } {
  const paths: string[][] = [];
  const shareOf: number[] = [];
  for (let k = 0; k < n; k++) {
    const from = Math.floor((k * plan.length) / n);
    const to = Math.floor(((k + 1) * plan.length) / n);
    const lines = new Map<string, number[]>();
    for (let i = from; i < to; i++) {
      const s = plan[i]!;
      shareOf[i] = k + 1;
      lines.set(s.uri, [...(lines.get(s.uri) ?? []), ...(s.line !== undefined ? [s.line] : [])]);
    }
    paths.push([...lines].map(([uri, ls]) => (ls.length ? `${uri}:${ls.join(':')}` : uri)));
  }
  return { paths, shareOf };
}

/** What a shard runs: its share and everything its formatter needs, as plain data. */
export interface ShardJob {
  /** This share, 1-based, of how many. */
  share: number;
  of: number;
  /** The run's sources, their paths those of this share (`planShares`). */
  sources: IRunConfiguration['sources'];
  worldParameters: Record<string, unknown>;
  resultsDir: string;
  /** The last run's results, set aside to be written over (results-writer.ts InodePool). */
  pool?: string;
  /** The Allure environment. */
  environment: Record<string, string>;
  showSecrets: boolean;
  stepTraces: boolean;
  /** The target's capabilities (`@needs:` tags it meets). */
  capabilities: string[];
}

/** A shard's run as it ended. */
export interface ShardOutcome {
  success: boolean;
  runStarted?: Timestamp;
  runFinished?: Timestamp;
}

type FromShard =
  | { type: 'ready' }
  | { type: 'scenario'; scenario: ScenarioResult; written?: WrittenResult }
  | ({ type: 'done' } & ShardOutcome)
  | { type: 'failed'; message: string };

type ToShard = { type: 'run'; job: ShardJob };

/** Runs one shard's job with cucumber loaded once (`support`): the run's own process, and each child. */
export async function runShard(
  config: IRunConfiguration & { support: ISupportCodeLibrary },
  job: ShardJob,
  onScenario: NonNullable<RunReportOptions['onScenario']>,
): Promise<ShardOutcome> {
  const model = new RunModel(job.capabilities);
  const report: RunReportOptions = {
    ...(job.pool ? { pool: { dir: job.pool, share: job.share, of: job.of } } : {}),
    model,
    index: loadCatalogue(),
    environment: job.environment,
    showSecrets: job.showSecrets,
    stepTraces: job.stepTraces,
    onScenario,
  };
  const result = await runCucumber(
    {
      ...config,
      sources: { ...config.sources, ...job.sources },
      runtime: {
        ...config.runtime,
        dryRun: false,
        parallel: 0,
        worldParameters: job.worldParameters as IRunConfiguration['runtime']['worldParameters'],
      },
      formats: {
        stdout: RUN_REPORT_FORMATTER,
        files: {},
        publish: false,
        options: { resultsDir: job.resultsDir, labels: REQUIREMENT_LABELS, [RUN_REPORT_OPTION]: report } as never,
      },
    },
    { cwd: PROJECT_ROOT, stdout: nullStream(), stderr: process.stderr, env: process.env },
  );
  return {
    success: result.success,
    ...(model.runStarted ? { runStarted: model.runStarted } : {}),
    ...(model.runFinished ? { runFinished: model.runFinished } : {}),
  };
}

/** The child side: load cucumber and the steps, say so, run the job the run sends, report each scenario. */
export async function shardCommand(): Promise<number> {
  if (!process.send) {
    console.error("ssc-lab: a shard runs a share of an ssc-lab run's scenarios, started by `ssc-lab run --parallel N`");
    return EXIT.USAGE;
  }
  // the run went (ended, interrupted, killed): nothing more to do here
  process.on('disconnect', () => process.exit(143));
  const send = (m: FromShard) => new Promise<void>((done) => process.send!(m, undefined, {}, () => done()));
  const timings = phaseTimer();
  let label = 'ssc-lab timings, a shard';
  try {
    const environment = { cwd: PROJECT_ROOT, stdout: nullStream(), stderr: process.stderr, env: process.env };
    const { runConfiguration } = await loadConfiguration({ file: 'cucumber.js', provided: { parallel: 0 } }, environment);
    const support = await loadSupport(runConfiguration, environment);
    loadCatalogue();
    timings.mark('cucumber and the steps');
    const job = await new Promise<ShardJob>((done) => {
      process.on('message', (m: ToShard) => {
        if (m.type === 'run') done(m.job);
      });
      void send({ type: 'ready' });
    });
    label = `ssc-lab timings, shard ${job.share}/${job.of}`;
    timings.mark('waiting for its share');
    const sent: Promise<void>[] = [];
    const outcome = await runShard({ ...runConfiguration, support }, job, (scenario, written) =>
      sent.push(send({ type: 'scenario', scenario, ...(written ? { written } : {}) })),
    );
    await Promise.all(sent);
    timings.mark('its share');
    timings.print(process.env, label);
    await send({ type: 'done', ...outcome });
  } catch (e) {
    await send({ type: 'failed', message: (e as Error).message.split('\n')[0]! });
  }
  process.disconnect();
  return EXIT.OK;
}

/** The run's side: child processes for shards 2..N, started early, given their jobs once the run knows them. */
export class Shards {
  private readonly children: { child: ChildProcess; ready: Promise<void>; ended: Promise<string | undefined> }[] = [];

  /** Starts `n − 1` children for a run of `n` shards (none for 1). */
  constructor(readonly n: number) {
    for (let k = 2; k <= n; k++) {
      const child = spawn(process.execPath, [...process.execArgv, SHARD_MAIN, SHARD_COMMAND], {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        serialization: 'advanced',
      });
      const ready = new Promise<void>((done) => {
        const on = (m: FromShard) => {
          if (m.type !== 'ready') return;
          child.off('message', on);
          done();
        };
        child.on('message', on);
      });
      const ended = new Promise<string | undefined>((done) => {
        // an error once it runs is followed by its exit, which says more
        let spawned = false;
        child.once('spawn', () => {
          spawned = true;
        });
        child.on('error', (e) => {
          if (!spawned) done(`could not be started: ${e.message}`);
        });
        child.on('exit', (code, signal) =>
          done(code === 0 ? undefined : signal ? `was stopped by ${signal}` : `ended with exit code ${code}`),
        );
      });
      this.children.push({ child, ready, ended });
    }
  }

  /**
   * Runs shard `k` of each child (`jobFor(k)`, k = 2..N), each scenario to `onScenario` as it comes; resolves
   * with each child's outcome, or why it ended without one.
   */
  async run(
    jobFor: (k: number) => ShardJob,
    onScenario: (scenario: ScenarioResult, written: WrittenResult | undefined) => void,
  ): Promise<({ k: number } & ({ outcome: ShardOutcome } | { failure: string }))[]> {
    return Promise.all(
      this.children.map(async ({ child, ready, ended }, i) => {
        const k = i + 2;
        let outcome: ShardOutcome | undefined;
        let failure: string | undefined;
        child.on('message', (m: FromShard) => {
          if (m.type === 'scenario') onScenario(m.scenario, m.written);
          else if (m.type === 'done')
            outcome = {
              success: m.success,
              ...(m.runStarted ? { runStarted: m.runStarted } : {}),
              ...(m.runFinished ? { runFinished: m.runFinished } : {}),
            };
          else if (m.type === 'failed') failure = m.message;
        });
        const early = await Promise.race([ready.then(() => undefined), ended.then((why) => why ?? 'ended before it was ready')]);
        if (early !== undefined) return { k, failure: `the process of shard ${k} of ${this.n} ${early}` };
        // a child gone meanwhile: its exit says so (a send without a callback would throw it as an 'error' instead)
        child.send({ type: 'run', job: jobFor(k) } satisfies ToShard, () => undefined);
        const why = await ended;
        if (outcome && !failure) return { k, outcome };
        return {
          k,
          failure: `the process of shard ${k} of ${this.n} ${failure ? `failed: ${failure}` : (why ?? 'ended without finishing its share')}`,
        };
      }),
    );
  }

  /** Stops every child still running (the run ends early, or is interrupted). */
  stop(): void {
    for (const { child } of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
}
