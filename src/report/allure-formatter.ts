/**
 * The cucumber formatter `ssc-lab run` writes its Allure results with. Each
 * message of the run goes first to the run model, then to allure-cucumberjs;
 * as allure-cucumberjs writes a scenario's result, the result is completed
 * from what the model made of that scenario (allure.ts); then the scenario
 * and its result file go to `onScenario` (`ssc-lab run` indexes them in
 * `allure.out` and merges them with those of its other processes). Nothing is
 * read back from the results directory. When the run ends, the environment,
 * executor and categories are written.
 *
 * `ssc-lab run` names this module as the formatter of each process's run and
 * passes the model, the catalogue and the environment under the format option
 * {@link RUN_REPORT_OPTION}; the formatter writes nothing to its own stream.
 */
import { EventEmitter } from 'node:events';
import { Formatter, type IFormatterOptions } from '@cucumber/cucumber';
import type { Envelope } from '@cucumber/messages';
import allureCucumber from 'allure-cucumberjs/reporter';
import { InodePool, ResultsWriter } from './results-writer.ts';
import type { RequirementIndex } from '../model/catalog.ts';
import { type AllureResult, completeResult, writeRunFiles } from './allure.ts';
import { pinMasker } from './secrets.ts';
import { TRACE_NAME } from './trace.ts';
import type { RunModel, ScenarioResult } from './verdicts.ts';

// The package's types describe its CommonJS build, whose exports hold the class as `default`; the ESM build
// loaded here exports the class itself as the default.
const AllureCucumberReporter = ('default' in allureCucumber ? allureCucumber.default : allureCucumber) as typeof allureCucumber.default;

/** The format option that carries {@link RunReportOptions}. */
export const RUN_REPORT_OPTION = 'sscLabRun';

/** This module, as cucumber's `formats` names a formatter. */
export const RUN_REPORT_FORMATTER = import.meta.url;

export interface RunReportOptions {
  /** The run model, fed by this formatter with every message of the run. */
  model: RunModel;
  index: RequirementIndex;
  /** The Allure environment (sample, target, reader, ATR, profile, …). */
  environment: Record<string, string>;
  /** PINs in clear in step names and parameters (`--show-secrets`); masked otherwise. */
  showSecrets?: boolean;
  /**
   * Each step's APDU trace as an attachment of that step as well (`--step-traces`). By default a result carries
   * the trace of its whole scenario, under each step's name, and a non-conformity the last APDUs of its step: the
   * same exchanges, in a fifth of the files for the report to render and the dossier to hash.
   */
  stepTraces?: boolean;
  /** The last run's results, to write over (results-writer.ts InodePool): its directory, and this process's share. */
  pool?: { dir: string; share: number; of: number };
  /** Each scenario as it finished, with the Allure result written for it (its file and name), when one was. */
  onScenario?: (scenario: ScenarioResult, written: WrittenResult | undefined) => void;
}

/** A scenario's Allure result as written: its file in the results directory and its name there. */
export interface WrittenResult {
  file: string;
  name: string;
}

/** The Allure label each `@req:` tag of a scenario becomes. */
export const REQUIREMENT_LABELS = [{ pattern: [/@req:(.*)/], name: 'requirement' }];

export default class RunReportFormatter extends Formatter {
  static override readonly documentation = 'Allure results completed from the ssc-lab run model as they are written';

  /** The scenario whose result allure-cucumberjs is writing. */
  private writing: ScenarioResult | undefined;

  /** Its result, once written. */
  private written: WrittenResult | undefined;

  constructor(options: IFormatterOptions) {
    super(options);
    const own = options.parsedArgvOptions[RUN_REPORT_OPTION] as RunReportOptions | undefined;
    const resultsDir = options.parsedArgvOptions.resultsDir as string | undefined;
    if (!own || !resultsDir) throw new Error(`the ssc-lab run report needs the format options ${RUN_REPORT_OPTION} and resultsDir`);
    const writer = new ResultsWriter(resultsDir, own.pool && new InodePool(own.pool.dir, own.pool.share, own.pool.of));
    if (!own.showSecrets) {
      // allure-cucumberjs writes a scenario's Examples table and data tables as CSV attachments: their PINs masked too
      const write = writer.writeAttachment.bind(writer);
      writer.writeAttachment = (source: string, content: Buffer) => {
        if (!source.endsWith('.csv')) return write(source, content);
        const text = content.toString('utf8');
        return write(source, Buffer.from(pinMasker(text.split('\n'), false)(text)));
      };
    }
    const complete = (r: AllureResult) => {
      if (!this.writing) return;
      completeResult(r, this.writing, own.index, (source, text) => writer.writeAttachment(source, Buffer.from(text)), own.showSecrets);
      this.written = { file: `${r.uuid}-result.json`, name: r.name ?? '' };
    };
    // allure-cucumberjs hears the run through this relay, after the model has.
    const relay = new EventEmitter();
    new AllureCucumberReporter({
      ...options,
      eventBroadcaster: relay,
      parsedArgvOptions: { ...options.parsedArgvOptions, writer, listeners: [{ beforeTestResultWrite: complete }] },
    });
    options.eventBroadcaster.on('envelope', (m: Envelope) => {
      own.model.onMessage(m);
      this.writing = m.testCaseFinished ? own.model.scenarioOf(m.testCaseFinished.testCaseStartedId) : undefined;
      try {
        if (own.stepTraces || m.attachment?.fileName !== TRACE_NAME) relay.emit('envelope', m);
        if (this.writing) own.onScenario?.(this.writing, this.written);
      } finally {
        this.writing = undefined;
        this.written = undefined;
      }
      if (m.testRunFinished) writeRunFiles(resultsDir, own.environment);
    });
  }
}
