#!/usr/bin/env node
// Launcher: runs the TypeScript CLI under tsx in a child Node process, so that
// the tsx loader is part of the process's execArgv and reaches cucumber's
// parallel workers too. Signals are forwarded to the child, which writes what
// it has and exits 128 + the signal's number; the launcher passes the child's
// exit code back, and a child killed by a signal gives that code too (130 for
// SIGINT, 143 for SIGTERM): an interrupted run never exits 0.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const tsx = import.meta.resolve('tsx');
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const child = spawn(process.execPath, ['--import', tsx, main, ...process.argv.slice(2)], { stdio: 'inherit' });
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
