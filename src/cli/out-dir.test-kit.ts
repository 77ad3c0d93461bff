/**
 * Test set-up shared by the tests of the --out lock: another process holding
 * a directory's lock, as a run writing there does.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const OUT_DIR_MODULE = fileURLToPath(new URL('./out-dir.ts', import.meta.url));

/** A process that holds the lock of `dir`, as a run writing there does, until it is killed. */
export async function lockHolder(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { claimOutDir } = await import(${JSON.stringify(OUT_DIR_MODULE)}); claimOutDir('run', 'out', process.argv[1]); console.log('held'); setInterval(() => {}, 1000);`,
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env },
  );
  await new Promise<void>((done, fail) => {
    child.stdout!.once('data', () => done());
    child.once('exit', (code) => fail(new Error(`the holder ended with ${code}`)));
  });
  return child;
}
