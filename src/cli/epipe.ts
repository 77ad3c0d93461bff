/**
 * A reader that stops reading (`ssc-lab readers | head -1`) has what it
 * wanted: every command ends quietly with exit code 0 instead of dying on
 * EPIPE with a stack trace. Nothing can be said any more on a closed stderr,
 * so its EPIPE errors are dropped. Any other stream error is thrown as before.
 */
import { EXIT } from './errors.ts';

export function endQuietlyOnEpipe(
  stdout: NodeJS.EventEmitter = process.stdout,
  stderr: NodeJS.EventEmitter = process.stderr,
  exit: (code: number) => void = (c) => process.exit(c),
): void {
  stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    exit(EXIT.OK);
  });
  stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}
