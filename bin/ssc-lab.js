#!/usr/bin/env node
// Launcher: brings the built JavaScript in dist/ up to date with the sources
// (bin/build.js: only modules edited since are transpiled again) and runs the
// CLI from it in a child Node process; cucumber's workers load the built steps
// too (SSC_LAB_BUILT). Where it cannot build, it runs the TypeScript under tsx
// instead, whose loader is then part of the child's execArgv and reaches the
// workers. Signals are forwarded to the child, which writes what it has and
// exits 128 + the signal's number; the launcher passes the child's exit code
// back, and a child killed by a signal gives that code too (130 for SIGINT,
// 143 for SIGTERM): an interrupted run never exits 0.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

let entry;
try {
  if (process.env.SSC_LAB_NO_BUILD === '1') throw new Error('asked to run the sources');
  const { build } = await import('./build.js');
  build();
  entry = { args: [here('../dist/src/cli/main.js')], env: { ...process.env, SSC_LAB_BUILT: '1' } };
} catch {
  entry = { args: ['--import', import.meta.resolve('tsx'), here('../src/cli/main.ts')], env: { ...process.env, SSC_LAB_BUILT: '0' } };
}
const child = spawn(process.execPath, [...entry.args, ...process.argv.slice(2)], { stdio: 'inherit', env: entry.env });
const exitCodeOf = (signal) => 128 + (constants.signals[signal] ?? 1);
let received;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    // the first signal asks the child to stop cleanly; a second one, or a child that does not stop, is killed
    if (received) child.kill('SIGKILL');
    else {
      received = sig;
      child.kill(sig);
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    }
  });
}
child.on('exit', (code, signal) => {
  if (signal) process.exit(exitCodeOf(received ?? signal));
  else if (received && code === 0) process.exit(exitCodeOf(received));
  else process.exit(code ?? 1);
});
