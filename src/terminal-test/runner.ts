/**
 * Terminal-under-test runs: each card of a test-card set is served to pcscd
 * through vpcd (so any PC/SC terminal program can use it), together with the
 * PSAM that matches the card's key set in the second vpcd slot; the
 * terminal's command runs with the readers named in its environment; the
 * card's and the PSAM's traces are recorded where they are served, and the
 * trace checks judge them.
 *
 * Environment of the terminal command:
 *   SSC_LAB_READER        the reader that holds the test card
 *   SSC_LAB_PSAM_READER   the reader that holds the PSAM (unset with --no-psam)
 *   SSC_LAB_CARD          the test card's id
 *   SSC_LAB_CARD_PROFILE  the test card's profile (its data sheet), absolute path
 */
import { spawn } from 'node:child_process';
import type { Exchange } from '../channel/recorder.ts';
import { parseAtr } from '../core/atr.ts';
import { toHex } from '../core/bytes.ts';
import { keysetPath, loadProfile } from '../lab/profile.ts';
import { loadKeyset } from '../model/keyset.ts';
import { buildPsam } from '../lab/cards.ts';
import type { SimulatedCard } from '../sim/card.ts';
import { defaultPsamProfile, waitForReader } from '../lab/target.ts';
import { type TestCardJson, type TestCardSet, buildTestCard, testCardProfile } from '../lab/test-cards.ts';
import { RecordingVirtualCard } from '../vpcd/recording-card.ts';
import { VpcdCardServer } from '../vpcd/card-server.ts';
import { type EvaluatedCheck, evaluate } from './checks.ts';

export interface TerminalTestOptions {
  /** The terminal program, run by `sh -c`. */
  command: string;
  set: TestCardSet;
  cards: TestCardJson[];
  /** vpcd of the card's reader; the PSAM goes to port + 1 (the second slot of Debian's vpcd). */
  host: string;
  port: number;
  reader: string;
  psamReader: string;
  /** Serve the PSAM in its own reader. */
  psam: boolean;
  timeoutS: number;
  log?: (line: string) => void;
}

export interface CardRun {
  card: TestCardJson;
  profileFile: string;
  atr: string;
  protocol: 'T=0' | 'T=1';
  trace: Exchange[];
  psamTrace?: Exchange[];
  exitCode: number | null;
  timedOut?: number;
  stdout: string;
  stderr: string;
  started: number;
  stopped: number;
  /** Set when the run gave the checks nothing to judge (the card never appeared, the terminal sent nothing). */
  broken?: string;
  checks: EvaluatedCheck[];
}

interface Served {
  server: VpcdCardServer;
  recorder: RecordingVirtualCard;
}

/** Thrown when nothing listens where the cards are to be served. */
export class VpcdUnreachable extends Error {
  override name = 'VpcdUnreachable';
}

async function serve(card: SimulatedCard, host: string, port: number, delayMs: number): Promise<Served> {
  const recorder = new RecordingVirtualCard(card);
  const server = new VpcdCardServer(recorder, { host, port, reconnectMs: 200, delayMs });
  let timer: NodeJS.Timeout | undefined;
  const unreachable = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new VpcdUnreachable(`vpcd does not answer at ${host}:${port} (is pcscd running with vsmartcard-vpcd?)`)),
      5000,
    );
  });
  try {
    await Promise.race([server.start(), unreachable]);
  } catch (e) {
    await server.stop();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return { server, recorder };
}

function runCommand(
  command: string,
  env: Record<string, string>,
  timeoutS: number,
): Promise<{ exitCode: number | null; timedOut?: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut: number | undefined;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // the terminal runs in a process group of its own: stopping it stops whatever it started
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = timeoutS;
      killGroup();
    }, timeoutS * 1000);
    // terminal-test itself interrupted: the terminal goes with it
    const onSignal = (signal: NodeJS.Signals) => {
      killGroup();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const done = () => {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
    child.on('error', (e) => {
      done();
      resolve({ exitCode: null, stdout, stderr: `${stderr}${e.message}\n` });
    });
    child.on('close', (code) => {
      done();
      resolve({ exitCode: timedOut !== undefined ? null : code, ...(timedOut !== undefined ? { timedOut } : {}), stdout, stderr });
    });
  });
}

/** Serves one test card (and its PSAM), runs the terminal, judges the traces. */
export async function runOneCard(opts: TerminalTestOptions, entry: TestCardJson): Promise<CardRun> {
  const { profile, profileFile } = testCardProfile(opts.set, entry);
  const sim = await buildTestCard(opts.set, entry);
  const atrBytes = sim.reset();
  const atr = parseAtr(atrBytes);
  const protocol = atr.protocols[0] ?? 'T=0';
  const base = { card: entry, profileFile, atr: toHex(atrBytes, ' '), protocol, stdout: '', stderr: '', checks: [] as EvaluatedCheck[] };
  const log = opts.log ?? (() => undefined);
  let psam: Served | undefined;
  let card: Served | undefined;
  const started = Date.now();
  try {
    if (opts.psam) {
      const keyset = loadKeyset(keysetPath(profile, profileFile));
      const psamCard = await buildPsam(loadProfile(defaultPsamProfile(keyset)), keyset);
      psam = await serve(psamCard, opts.host, opts.port + 1, 0);
      if (!(await waitForReader(opts.psamReader, true, 10_000))) {
        return {
          ...base,
          trace: [],
          exitCode: null,
          started,
          stopped: Date.now(),
          broken: `the PSAM did not appear in reader "${opts.psamReader}"`,
        };
      }
    }
    card = await serve(sim, opts.host, opts.port, entry.slowMs ?? 0);
    if (!(await waitForReader(opts.reader, true, 10_000))) {
      return {
        ...base,
        trace: [...card.recorder.exchanges],
        exitCode: null,
        started,
        stopped: Date.now(),
        broken: `the test card did not appear in reader "${opts.reader}"`,
      };
    }
    log(`${entry.id}: card in "${opts.reader}"${opts.psam ? `, PSAM in "${opts.psamReader}"` : ''}; running the terminal`);
    const env: Record<string, string> = { SSC_LAB_READER: opts.reader, SSC_LAB_CARD: entry.id, SSC_LAB_CARD_PROFILE: profileFile };
    if (opts.psam) env.SSC_LAB_PSAM_READER = opts.psamReader;
    const result = await runCommand(opts.command, env, opts.timeoutS);
    const stopped = Date.now();
    const trace = [...card.recorder.exchanges];
    const psamTrace = psam ? [...psam.recorder.exchanges] : undefined;
    const run: CardRun = { ...base, ...result, trace, ...(psamTrace ? { psamTrace } : {}), started, stopped };
    if (!trace.some((x) => x.kind === 'apdu')) {
      run.broken =
        result.exitCode === 127
          ? `the terminal command was not found: ${result.stderr.trim().split('\n').at(-1) ?? ''}`
          : `the terminal sent no command to the card in "${opts.reader}" (exit code ${result.exitCode ?? 'none'})`;
      return run;
    }
    run.checks = evaluate({
      card: trace,
      ...(psamTrace ? { psam: psamTrace } : {}),
      protocol,
      expect: entry.expect,
      exitCode: result.exitCode,
      ...(result.timedOut !== undefined ? { timedOut: result.timedOut } : {}),
    });
    return run;
  } finally {
    // take the card (and the PSAM) out of the readers before the next card goes in
    await card?.server.stop();
    await psam?.server.stop();
    if (card) await waitForReader(opts.reader, false, 5000);
    if (psam) await waitForReader(opts.psamReader, false, 5000);
  }
}

export async function runTerminalTest(opts: TerminalTestOptions, onCard?: (run: CardRun) => void): Promise<CardRun[]> {
  const runs: CardRun[] = [];
  for (const entry of opts.cards) {
    const run = await runOneCard(opts, entry);
    runs.push(run);
    onCard?.(run);
  }
  return runs;
}
