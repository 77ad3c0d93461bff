/**
 * PC/SC benchmarks: print figures, assert nothing. `npm run bench` (after
 * bench/run.ts), or `tsx bench/pcsc.ts [--quick]` (--quick: without the two
 * full suites). Over real PC/SC — pcscd with vsmartcard's vpcd and the
 * simulated card served to it with its fixture control, as
 * scripts/pcsc-e2e.sh does — it prints:
 *   - the round trip of one APDU through the pcsclite binding called
 *     directly, through PcscChannel, and their ratio (interleaved rounds,
 *     medians: the machine is shared);
 *   - what a scenario costs at the fixture: a new sample opened and powered
 *     up, and a power cut with the reset that brings the card back;
 *   - the whole suite's wall time in-process and over PC/SC with fixture
 *     control, their ratio, and the PC/SC cost per scenario (3 interleaved
 *     rounds, medians).
 * It starts pcscd when none runs and the quickack route when it is missing,
 * and stops or removes what it started, by PID. Without pcscd, vpcd or the
 * binding it prints one line "skipped: …".
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fromHex } from '../src/core/bytes.ts';
import { PROJECT_ROOT } from '../src/core/json.ts';
import { openTarget, targetConfigOf } from '../src/lab/target.ts';
import { PcscChannel, leakedPcscWatchers, releasePcsc, responseLength, waitForCard } from '../src/transport/pcsc.ts';

const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const READER = 'Virtual PCD 00 00';
const CONTROL_PORT = 35990;
const quick = process.argv.includes('--quick');
const cli = join(PROJECT_ROOT, 'bin', 'ssc-lab.js');

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function running(name: string): boolean {
  try {
    execFileSync('pidof', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The pcsclite binding's reader, as far as the raw round trip uses it. */
interface RawReader {
  name: string;
  SCARD_SHARE_SHARED: number;
  SCARD_LEAVE_CARD: number;
  on(event: 'status' | 'error', cb: (x: unknown) => void): void;
  connect(options: { share_mode: number }, cb: (e: Error | null, protocol: number) => void): void;
  disconnect(disposition: number, cb: () => void): void;
  transmit(data: Uint8Array, resLen: number, protocol: number, cb: (e: Error | null, data: Buffer) => void): void;
  close(): void;
}

const missing: string[] = [];
if (!has('pcscd')) missing.push('pcscd');
if (!existsSync(VPCD_DRIVER)) missing.push('vsmartcard-vpcd');
let binding: (() => { on(event: string, cb: (x: never) => void): void; close(): void }) | undefined;
try {
  binding = createRequire(import.meta.url)('pcsclite');
} catch {
  missing.push('the pcsclite binding');
}
if (missing.length || !binding) {
  console.log(`skipped: PC/SC benchmarks need ${missing.join(', ')} (apt-get install pcscd libpcsclite-dev vsmartcard-vpcd, then npm ci)`);
  process.exit(0);
}
const pcsclite = binding;

const cleanups: (() => void | Promise<void>)[] = [];
async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c();
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function line(name: string, value: string): void {
  console.log(`${name.padEnd(64)} ${value}`);
}

/** A run of the CLI: wall time, exit code, and whether it exited by itself within `timeoutMs`. */
function timeRun(args: string[], timeoutMs: number): Promise<{ ms: number; code: number | null; exited: boolean; out: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ ms: performance.now() - started, code: null, exited: false, out });
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - started, code, exited: true, out });
    });
  });
}

try {
  // 1. pcscd, the quickack route, the served card
  if (!running('pcscd')) {
    const pcscd = spawn('pcscd', ['-f'], { stdio: 'ignore' });
    cleanups.push(() => stopChild(pcscd));
    for (let i = 0; i < 50 && !existsSync(PCSCD_SOCKET); i++) await new Promise((r) => setTimeout(r, 100));
  }
  let host = '127.0.0.1';
  const routes = execFileSync('ip', ['route', 'show', 'table', 'local'], { encoding: 'utf8' });
  if (/127\.0\.0\.2.*quickack/.test(routes)) host = '127.0.0.2';
  else {
    const route = ['local', '127.0.0.2', 'dev', 'lo', 'table', 'local', 'scope', 'host', 'src', '127.0.0.2', 'quickack', '1'];
    try {
      execFileSync('ip', ['route', 'add', ...route], { stdio: 'ignore' });
      host = '127.0.0.2';
      cleanups.push(() => void execFileSync('ip', ['route', 'del', ...route], { stdio: 'ignore' }));
    } catch {
      // without the route every exchange waits for a delayed ACK on loopback: the figures say so
    }
  }
  if (await waitForCard(READER, true, 300)) {
    console.log(`skipped: the reader "${READER}" already holds a card (another PC/SC run is using it)`);
    throw new Error('busy');
  }
  const serve = spawn(
    process.execPath,
    [cli, 'sim', 'serve', '--vpcd', `${host}:35963`, '--control', `${host}:${CONTROL_PORT}`, '--quiet'],
    {
      cwd: PROJECT_ROOT,
      stdio: 'ignore',
    },
  );
  cleanups.push(() => stopChild(serve));
  if (!(await waitForCard(READER, true, 30_000))) throw new Error(`the served card did not show in "${READER}"`);
  console.log(
    `PC/SC benchmarks — node ${process.version}, pcscd with vpcd, the card served at ${host} (${host === '127.0.0.2' ? 'quickack route' : 'no quickack route'})`,
  );

  // 2. One APDU: the binding's own round trip against the channel's, interleaved on the same served card
  const command = fromHex('0084000008');
  const raw = await rawReader();
  const channel = await PcscChannel.open(READER);
  const rawOnce = (size: number) =>
    new Promise<void>((resolve, reject) => raw.reader.transmit(command, size, raw.protocol, (e) => (e ? reject(e) : resolve())));
  const timeBlock = async (fn: () => Promise<unknown>, n: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return ((performance.now() - t0) * 1000) / n;
  };
  const size = responseLength(command);
  for (let i = 0; i < 300; i++) {
    await rawOnce(size);
    await channel.transmit(command);
  }
  const rounds = 40;
  const block = 100;
  const rawTimes: number[] = [];
  const bigTimes: number[] = [];
  const channelTimes: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const a = await timeBlock(() => rawOnce(size), block);
    const c = await timeBlock(() => channel.transmit(command), block);
    bigTimes.push(await timeBlock(() => rawOnce(65538), block));
    rawTimes.push(a);
    channelTimes.push(c);
    ratios.push(c / a);
  }
  line(`binding: reader.transmit, ${size}-byte buffer (raw round trip)`, `${median(rawTimes).toFixed(1).padStart(8)} µs/APDU`);
  line('binding: reader.transmit, 65538-byte buffer', `${median(bigTimes).toFixed(1).padStart(8)} µs/APDU`);
  line('PcscChannel.transmit', `${median(channelTimes).toFixed(1).padStart(8)} µs/APDU`);
  line('channel / binding (median of per-round ratios)', `${median(ratios).toFixed(2).padStart(8)} ×`);
  await channel.close();
  await raw.close();

  // 3. What a scenario costs at the fixture: a new sample, open, power-up (the Before hook resets once more), close
  const config = targetConfigOf({ target: 'pcsc', reader: READER, simControl: { host, port: CONTROL_PORT } });
  const openTimes: number[] = [];
  const tearTimes: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    const opened = await openTarget(config);
    await opened.channel.reset(true);
    openTimes.push(performance.now() - t0);
    if (i % 2 === 0) {
      // a power cut at the first write of VERIFY (the try counter), then the cold reset that brings the card back
      const t1 = performance.now();
      await opened.control!.armTear(1, 0x20);
      await opened.channel.transmit(fromHex('0020000003999999')).catch(() => undefined);
      await opened.channel.reset(true);
      tearTimes.push(performance.now() - t1);
    }
    await opened.channel.close();
  }
  line('scenario set-up: new sample, open, two cold resets, close', `${median(openTimes).toFixed(2).padStart(8)} ms`);
  line('power cut: arm, torn exchange, cold reset', `${median(tearTimes).toFixed(2).padStart(8)} ms`);
  await releasePcsc();
  line('binding watchers that did not end (each holds the loop)', `${leakedPcscWatchers()}`.padStart(8));

  // 4. The whole suite: in-process, then over PC/SC with fixture control
  if (!quick) {
    const out = mkdtempSync(join(tmpdir(), 'ssc-lab-bench-pcsc-'));
    cleanups.push(() => rmSync(out, { recursive: true, force: true }));
    // interleaved rounds, medians: the machine is shared, and one slow moment must not decide the ratio
    const ROUNDS = 3;
    const rounds: { sim: Awaited<ReturnType<typeof timeRun>>; pcsc: Awaited<ReturnType<typeof timeRun>> }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const sim = await timeRun(['run', '--no-html', '--quiet', '--out', join(out, 'sim')], 20 * 60_000);
      const pcsc = await timeRun(
        [
          'run',
          '--target',
          'pcsc',
          '--reader',
          READER,
          '--sim-control',
          `${host}:${CONTROL_PORT}`,
          '--no-html',
          '--quiet',
          '--out',
          join(out, 'pcsc'),
        ],
        20 * 60_000,
      );
      rounds.push({ sim, pcsc });
      if (!pcsc.exited) break;
    }
    const sim = { ...rounds[0]!.sim, ms: median(rounds.map((r) => r.sim.ms)) };
    const pcsc = { ...rounds.at(-1)!.pcsc, ms: median(rounds.map((r) => r.pcsc.ms)) };
    const ratio = median(rounds.map((r) => r.pcsc.ms / r.sim.ms));
    const results = join(out, 'pcsc', 'allure-results');
    const scenarios = existsSync(results) ? readdirSync(results).filter((f) => f.endsWith('-result.json')).length : 0;
    line(`full suite in-process (median of ${rounds.length})`, `${(sim.ms / 1000).toFixed(1).padStart(8)} s (exit ${sim.code})`);
    line(
      `full suite over PC/SC with fixture control (median of ${rounds.length})`,
      `${(pcsc.ms / 1000).toFixed(1).padStart(8)} s (exit ${pcsc.exited ? pcsc.code : 'none: still running after 20 min, killed'})`,
    );
    line(
      "PC/SC / in-process (median of the rounds' ratios)",
      `${ratio.toFixed(2).padStart(8)} × (${rounds.map((r) => (r.pcsc.ms / r.sim.ms).toFixed(2)).join(', ')})`,
    );
    if (scenarios)
      line(`PC/SC cost per scenario (${scenarios} scenarios)`, `${((pcsc.ms - sim.ms) / scenarios).toFixed(1).padStart(8)} ms`);
    const compare = await timeRun(['compare', join(out, 'sim'), join(out, 'pcsc')], 120_000);
    line('verdicts, in-process against PC/SC', compare.out.trim().split('\n').at(-1) ?? `compare exited ${compare.code}`);
  }
} catch (e) {
  if ((e as Error).message !== 'busy') console.log(`PC/SC benchmarks stopped: ${(e as Error).message}`);
} finally {
  await releasePcsc();
  await cleanUp();
}
// a bench exits when its figures are out, whatever a failed step left open
process.exit(0);

/** The served card through the binding alone: its own context, the reader, a shared connection. */
async function rawReader(): Promise<{ reader: RawReader; protocol: number; close(): Promise<void> }> {
  const context = pcsclite();
  context.on('error', () => {});
  const others: RawReader[] = [];
  const reader = await new Promise<RawReader>((resolve) =>
    context.on('reader', ((r: RawReader) => {
      r.on('error', () => {});
      if (r.name === READER) resolve(r);
      else others.push(r);
    }) as (x: never) => void),
  );
  // the binding's status watchers are stopped only once they wait (see src/transport/pcsc.ts): give them a moment
  await new Promise((r) => setTimeout(r, 100));
  const protocol = await new Promise<number>((resolve, reject) =>
    reader.connect({ share_mode: reader.SCARD_SHARE_SHARED }, (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    reader,
    protocol,
    close: async () => {
      await new Promise<void>((r) => reader.disconnect(reader.SCARD_LEAVE_CARD, () => r()));
      await new Promise((r) => setTimeout(r, 50));
      for (const r of [reader, ...others]) r.close();
      context.close();
    },
  };
}
