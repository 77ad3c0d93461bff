/**
 * `ssc-lab terminal-test --terminal "<command>" [--cards FILE] [--card ID]...`:
 * a terminal program under test against the lab's test-card set, over real
 * PC/SC. Each card is served through vpcd with its PSAM in the second reader,
 * the command runs with the reader names in its environment, the traces
 * recorded at the served card are judged by the trace checks, and the
 * results go to Allure (into the results of a card run when --out names the
 * same directory).
 *
 * Exit codes: 0 no check failed, 1 a check failed or a card could not be
 * judged, 2 usage or configuration error.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalogue } from '../model/catalog.ts';
import { findPcscReader } from '../lab/target.ts';
import { TEST_CARDS_FILE, loadTestCards, testCard } from '../lab/test-cards.ts';
import { generateHtml } from '../report/html.ts';
import { parseEndpoint } from '../vpcd/card-server.ts';
import { VERSION } from '../core/version.ts';
import { type CardRun, VpcdUnreachable, runTerminalTest } from '../terminal-test/runner.ts';
import { writeTerminalResults } from '../terminal-test/report.ts';
import { EXIT, UsageError } from './errors.ts';
import { relativeOrAbsolute } from './paths.ts';
import { intFlag, rejectEmpty } from './flags.ts';
import { checkOutDir, claimOutDir } from './out-dir.ts';

export const TERMINAL_TEST_USAGE = `Usage: ssc-lab terminal-test --terminal "<command>" [--name NAME] [--cards FILE] [--card ID]...
         [--vpcd HOST[:PORT]] [--reader NAME] [--psam-reader NAME] [--no-psam] [--timeout S]
         [--out DIR] [--no-html] [--show-secrets] [--quiet]

  For each card of the test-card set (default cards/test-cards.json; --card picks some), serves
  the card to pcscd through vpcd (default 127.0.0.1:35963, reader "Virtual PCD 00 00") and the
  PSAM of the card's key set in the second slot (port + 1, reader "Virtual PCD 00 01"), runs
  the terminal command with sh -c and, in its environment:
    SSC_LAB_READER, SSC_LAB_PSAM_READER, SSC_LAB_CARD, SSC_LAB_CARD_PROFILE
  and judges the APDU traces recorded at the card and the PSAM against the terminal
  requirements (exit code 0 = the terminal accepted, 1 = it refused). Results go to
  DIR/allure-results (default reports/terminal-test), next to those of a card run there.
  Needs pcscd with vsmartcard-vpcd running.

Exit codes: 0 no non-conformity, 1 non-conformities or cards that could not be judged, 2 usage error.`;

export async function terminalTestCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'help' || argv[0] === '--help') {
    console.log(TERMINAL_TEST_USAGE);
    return EXIT.OK;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        terminal: { type: 'string' },
        name: { type: 'string' },
        cards: { type: 'string' },
        card: { type: 'string', multiple: true },
        vpcd: { type: 'string' },
        reader: { type: 'string', default: 'Virtual PCD 00 00' },
        'psam-reader': { type: 'string', default: 'Virtual PCD 00 01' },
        'no-psam': { type: 'boolean', default: false },
        timeout: { type: 'string', default: '120' },
        out: { type: 'string', default: join('reports', 'terminal-test') },
        'no-html': { type: 'boolean', default: false },
        'show-secrets': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(`terminal-test: ${(e as Error).message}`);
  }
  const v = parsed.values;
  if (!v.terminal?.trim()) throw new UsageError('terminal-test: --terminal "<command>" is required (the terminal program to test)');
  rejectEmpty('terminal-test', v);
  const timeoutS = intFlag('terminal-test', 'timeout', v.timeout!, 1, 3600, 'seconds');
  const outDir = checkOutDir('terminal-test', 'out', v.out!);
  let endpoint;
  try {
    endpoint = parseEndpoint(v.vpcd);
  } catch (e) {
    throw new UsageError(`terminal-test --vpcd: ${(e as Error).message}`);
  }
  if (endpoint.port >= 65535) throw new UsageError('terminal-test --vpcd: the PSAM needs port + 1; choose a lower port');
  const set = loadTestCards(v.cards ? resolve(v.cards) : TEST_CARDS_FILE);
  const cards = v.card?.length ? v.card.map((id) => testCard(set, id)) : set.cards;
  const index = loadCatalogue();
  const terminal = v.name ?? v.terminal.trim().split(/\s+/).slice(0, 4).join(' ');
  const log = v.quiet ? undefined : (line: string) => console.error(`ssc-lab terminal-test: ${line}`);

  // no other terminal test or card run writes into --out meanwhile (the lock goes at exit)
  claimOutDir('terminal-test', 'out', outDir);
  // PC/SC must be there before anything is served
  try {
    const { reader, names } = await findPcscReader(v.reader!);
    if (!reader)
      throw new UsageError(
        `terminal-test: no reader "${v.reader}" (readers: ${names.join(', ') || 'none'}); is vsmartcard-vpcd installed for pcscd?`,
      );
  } catch (e) {
    if ((e as Error).name === 'PcscUnavailable') throw new UsageError(`terminal-test: ${(e as Error).message}`);
    throw e;
  }

  const started = new Date();
  const print = (run: CardRun) => {
    if (v.quiet) return;
    const c = { passed: 0, failed: 0, na: 0 };
    for (const x of run.checks) {
      if (x.result.verdict === 'passed') c.passed++;
      else if (x.result.verdict === 'failed') c.failed++;
      else c.na++;
    }
    const decision =
      run.exitCode === 0
        ? 'accepted'
        : run.exitCode === 1
          ? 'refused'
          : run.timedOut !== undefined
            ? `stopped after ${run.timedOut} s`
            : `exit ${run.exitCode}`;
    const head = `  ${run.card.id.padEnd(18)} ${decision.padEnd(9)} ${String(run.trace.filter((x) => x.kind === 'apdu').length).padStart(4)} APDUs${run.psamTrace ? ` ${String(run.psamTrace.filter((x) => x.kind === 'apdu').length).padStart(3)} PSAM` : ''}`;
    if (run.broken) console.log(`${head}  BROKEN: ${run.broken}`);
    else console.log(`${head}  ${c.passed} passed, ${c.failed} non-conforming, ${c.na} not applicable`);
    for (const x of run.checks.filter((y) => y.result.verdict === 'failed'))
      console.log(`    ✗ [${x.check.requirements.join(', ')}] ${x.check.title}: ${x.result.detail}`);
  };
  if (!v.quiet)
    console.log(
      `ssc-lab ${VERSION} — terminal under test: ${v.terminal}\n  test cards   ${relativeOrAbsolute(set.file)} (${cards.length} of ${set.cards.length})`,
    );
  let runs: CardRun[];
  try {
    runs = await runTerminalTest(
      {
        command: v.terminal,
        set,
        cards,
        host: endpoint.host,
        port: endpoint.port,
        reader: v.reader!,
        psamReader: v['psam-reader']!,
        psam: !v['no-psam'],
        timeoutS,
        ...(log ? { log } : {}),
      },
      print,
    );
  } catch (e) {
    if (e instanceof VpcdUnreachable) throw new UsageError(`terminal-test: ${e.message}`);
    throw e;
  }
  const resultsDir = join(outDir, 'allure-results');
  const environment: Record<string, string> = {
    [`Terminal under test: ${terminal}`]: v.terminal,
    'Test-card set': `${relativeOrAbsolute(set.file)} (${cards.map((c) => c.id).join(', ')})`,
    'Card reader': v.reader!,
    'PSAM reader': v['no-psam'] ? 'none (the terminal brings its own PSAM)' : v['psam-reader']!,
    'Terminal test started': started.toISOString(),
    'Requirement catalogue': `${index.catalogue.catalogue} ${index.catalogue.version}`,
    'Tool version': `ssc-lab ${VERSION}`,
  };
  const written = writeTerminalResults(resultsDir, runs, {
    index,
    terminal,
    command: v.terminal,
    showSecrets: v['show-secrets']!,
    environment,
  });
  let html = '';
  if (!v['no-html']) {
    const out = join(outDir, 'allure-report');
    const gen = await generateHtml(resultsDir, out);
    html = gen.ok ? relativeOrAbsolute(join(out, 'index.html')) : `not generated: ${gen.error}`;
  }
  const brokenCards = runs.filter((r) => r.broken).length;
  if (!v.quiet) {
    console.log(`  results      ${relativeOrAbsolute(resultsDir)} (${written.results})${html ? `\n  report       ${html}` : ''}`);
  }
  console.log(
    `terminal checks: ${written.passed} passed, ${written.failed + written.broken} failed, ${written.notApplicable} not applicable (${runs.length} cards${brokenCards ? `, ${brokenCards} could not be judged` : ''})`,
  );
  return written.failed + written.broken === 0 ? EXIT.OK : EXIT.NONCONFORMING;
}
