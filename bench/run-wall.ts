/**
 * The default `ssc-lab run` as a user starts it — the whole suite on the
 * simulator, the HTML report, the matrix and the dossier — timed from the
 * outside (median of 3 wall times), with where the time went
 * (SSC_LAB_TIMINGS) and the same run with --no-html and with --parallel 2.
 * Prints figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../src/core/json.ts';

const cli = join(PROJECT_ROOT, 'bin', 'ssc-lab.js');

function timed(args: string[]): { s: number; phases: string; scenarios: string } {
  const out = mkdtempSync(join(tmpdir(), 'ssc-lab-bench-'));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'run', '--quiet', '--out', out, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, SSC_LAB_TIMINGS: '1' },
  });
  const s = (performance.now() - t0) / 1000;
  rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`ssc-lab run ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
  return {
    s,
    phases: /ssc-lab timings: (.*)/.exec(r.stderr)?.[1] ?? '',
    scenarios: /scenarios {4}(\d+)/.exec(r.stdout)?.[1] ?? '?',
  };
}

function median(args: string[], label: string): void {
  const runs = [timed(args), timed(args), timed(args)].sort((a, b) => a.s - b.s);
  const m = runs[1]!;
  console.log(
    `${label.padEnd(58)} ${m.s.toFixed(1).padStart(10)} s wall (median of 3: ${runs.map((r) => r.s.toFixed(1)).join(', ')}; ${m.scenarios} scenarios)`,
  );
  console.log(`${''.padEnd(4)}${m.phases}`);
}

median([], 'ssc-lab run (default: HTML report, matrix, dossier, PDF)');
median(['--no-html'], 'ssc-lab run --no-html');
median(['--parallel', '2', '--no-html'], 'ssc-lab run --no-html --parallel 2');
