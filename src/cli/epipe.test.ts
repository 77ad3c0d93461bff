import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/json.ts';
import { endQuietlyOnEpipe } from './epipe.ts';

const epipe = () => Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });

test('EPIPE on stdout ends with exit code 0; on stderr it is dropped; other errors are thrown', () => {
  const [out, err] = [new EventEmitter(), new EventEmitter()];
  const exits: number[] = [];
  endQuietlyOnEpipe(out, err, (c) => exits.push(c));
  out.emit('error', epipe());
  assert.deepEqual(exits, [0]);
  err.emit('error', epipe());
  assert.deepEqual(exits, [0]);
  assert.throws(() => out.emit('error', Object.assign(new Error('disk full'), { code: 'ENOSPC' })), /disk full/);
  assert.throws(() => err.emit('error', Object.assign(new Error('bad fd'), { code: 'EBADF' })), /bad fd/);
});

test('a command whose reader stops reading (| head -1) ends quietly with exit code 0', async () => {
  // mutation --list writes ~190 lines into a pipe whose reader is gone before the first
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'ssc-lab.js'), 'mutation', '--list'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout.destroy();
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
