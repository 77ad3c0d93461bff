/**
 * ssc-lab command line. Each subcommand returns its exit code; usage and
 * configuration errors (bad flags, invalid profiles) are one clear message and
 * exit code 2, before anything runs.
 */
// first: cucumber's step matching is set up before cucumber loads (step-matching.ts)
import './step-matching.ts';
import { DataError } from '../core/json.ts';
import { EXIT, UsageError } from './errors.ts';
import { keysCommand } from './keys.ts';
import { persoCommand } from './perso.ts';
import { runCommand } from './run.ts';
import { mutationCommand } from './mutation.ts';
import { simCommand } from './sim.ts';
import { readersCommand } from './readers.ts';
import { terminalCommand } from './terminal.ts';
import { compareCommand } from './compare.ts';
import { terminalTestCommand } from './terminal-test.ts';
import { labKeyCommand, verifyCommand } from './dossier.ts';
import { VERSION } from '../core/version.ts';
import { endQuietlyOnEpipe } from './epipe.ts';
import { reportCommand } from './report.ts';
import { installInterruptHandlers } from '../core/interrupt.ts';

const USAGE = `ssc-lab ${VERSION} — conformance lab for the social security card with financial function

Usage:
  ssc-lab run [--target sim|pcsc] [--reader NAME] [--sim-control HOST:PORT] [--profile FILE]
              [--tags EXPR] [--sample-id ID] [--lab NAME] [--operator NAME] [--lab-key DIR] [--plan NAME] [--ics FILE] [--force] [--parallel N] [--out DIR] [--show-secrets] [--step-traces]
              [--no-html] [--quiet] [FEATURE...]
  ssc-lab mutation [--only DEFECT]... [--except DEFECT]... [--profile FILE]... [--set main|holdout|holdout-2]
              [--parallel N] [--out DIR] [--list] [--quiet]
              the suite against each deliberate card and terminal defect: caught, broken-only
              or survived, and the mutation score (exit 0 all caught, 1 otherwise)
  ssc-lab perso script|run [--profile FILE] ...
              the personalisation script of a profile; personalise a blank card with it
              (ssc-lab perso help)
  ssc-lab keys kcv|components|combine|diversify|udk|session|mac [FLAGS] [--json]
              key check values, key components, dispersion, PBOC card and session keys, MACs
              (ssc-lab keys help)
  ssc-lab readers
              the PC/SC readers, with card and ATR
  ssc-lab terminal social-security|purchase [--target sim|pcsc] [--reader NAME] ...
              the reference terminals as programs (ssc-lab terminal help)
  ssc-lab terminal-test --terminal "<command>" [--cards FILE] [--card ID]... [--out DIR]
              a terminal program under test against the test-card set over PC/SC, its
              APDU traces judged against the terminal requirements (ssc-lab terminal-test help)
  ssc-lab sim serve --vpcd [HOST:PORT] [--profile FILE] [--fresh] [--control HOST:PORT] ...
              offer the simulated card to pcscd through vsmartcard's vpcd driver
  ssc-lab compare DIR_A DIR_B
              the scenario verdicts of two runs side by side (exit 0 when identical)
  ssc-lab lab-key init --lab NAME [--dir DIR] [--force] | show [--dir DIR]
              the lab's key and self-signed certificate that sign each run's dossier
  ssc-lab report DIR
              the HTML report of a run's results, rendered again (after an interrupted or --no-html run)
  ssc-lab verify DIR [--cert FILE]
              a run's dossier: the manifest's signature and every file added, removed or changed
  ssc-lab --version
  ssc-lab help

Exit codes: 0 all scenarios passed, 1 non-conformities found, 2 usage or configuration error,
130/143 stopped by SIGINT/SIGTERM (what was written so far stays valid).`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run':
        return await runCommand(rest);
      case 'mutation':
        return await mutationCommand(rest);
      case 'keys':
        return await keysCommand(rest);
      case 'perso':
        return await persoCommand(rest);
      case 'sim':
        return await simCommand(rest);
      case 'readers':
        return await readersCommand(rest);
      case 'terminal':
        return await terminalCommand(rest);
      case 'terminal-test':
        return await terminalTestCommand(rest);
      case 'compare':
        return await compareCommand(rest);
      case 'lab-key':
        return await labKeyCommand(rest);
      case 'verify':
        return await verifyCommand(rest);
      case 'report':
        return await reportCommand(rest);
      case '--version':
      case 'version':
        if (rest.length) throw new UsageError(`${cmd} takes no arguments, got ${rest.join(' ')}`);
        console.log(VERSION);
        return EXIT.OK;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return cmd === undefined ? EXIT.USAGE : EXIT.OK;
      default:
        throw new UsageError(`unknown command "${cmd}" (try: ssc-lab help)`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof DataError) {
      console.error(`ssc-lab: ${e.message}`);
      return EXIT.USAGE;
    }
    throw e;
  }
}

endQuietlyOnEpipe();
installInterruptHandlers();
const code = await main(process.argv.slice(2));
// The process ends once what it wrote has left: a native binding (pcsclite after close) may keep the event loop alive.
process.exitCode = code;
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
