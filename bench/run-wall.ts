/**
 * The default `ssc-lab run` as a user starts it — the whole suite on the
 * simulator, the HTML report, the matrix and the dossier — timed from the
 * outside (median of 5 wall times), with where the time went
 * (SSC_LAB_TIMINGS), and the same run with --no-html, serial and with
 * --parallel 2. Each configuration runs again and again into one output
 * directory, as a user runs into `reports/`; the configurations take turns,
 * so that a slow moment of the machine does not fall on one of them only.
 * Prints figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../src/core/json.ts';

const cli = join(PROJECT_ROOT, 'bin', 'ssc-lab.js');

interface Timed {
  s: number;
  phases: string;
  scenarios: string;
}

function timed(out: string, args: string[]): Timed {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'run', '--quiet', '--out', out, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, SSC_LAB_TIMINGS: '1' },
  });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`ssc-lab run ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
  return {
    s,
    phases: [...r.stderr.matchAll(/ssc-lab timings(?:, (shard [^:]*))?: (.*)/g)]
      .map((m) => (m[1] ? `${m[1]}: ${m[2]}` : m[2]))
      .join('\n    '),
    scenarios: /scenarios {4}(\d+)/.exec(r.stdout)?.[1] ?? '?',
  };
}

const configurations: { label: string; args: string[] }[] = [
  { label: 'ssc-lab run (default: HTML report, matrix, dossier, PDF)', args: [] },
  { label: 'ssc-lab run --no-html', args: ['--no-html', '--parallel', '1'] },
  { label: 'ssc-lab run --no-html --parallel 2', args: ['--no-html', '--parallel', '2'] },
];
const ROUNDS = 5;
const dirs = configurations.map(() => mkdtempSync(join(tmpdir(), 'ssc-lab-bench-')));
const runs: Timed[][] = configurations.map(() => []);
try {
  for (let round = 0; round < ROUNDS; round++) for (const [i, c] of configurations.entries()) runs[i]!.push(timed(dirs[i]!, c.args));
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
for (const [i, c] of configurations.entries()) {
  const sorted = [...runs[i]!].sort((a, b) => a.s - b.s);
  const m = sorted[Math.floor(ROUNDS / 2)]!;
  console.log(
    `${c.label.padEnd(58)} ${m.s.toFixed(1).padStart(10)} s wall (median of ${ROUNDS}: ${sorted.map((r) => r.s.toFixed(1)).join(', ')}; ${m.scenarios} scenarios)`,
  );
  console.log(`${''.padEnd(4)}${m.phases}`);
}
