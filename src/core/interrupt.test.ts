import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onInterrupt, runCleanups, signalExitCode } from './interrupt.ts';

test('a signal exits 128 + its number: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP', () => {
  assert.equal(signalExitCode('SIGINT'), 130);
  assert.equal(signalExitCode('SIGTERM'), 143);
  assert.equal(signalExitCode('SIGHUP'), 129);
});

test('clean-ups run newest first, a failing one does not stop the rest, a removed one does not run', () => {
  const ran: string[] = [];
  const reported: string[] = [];
  onInterrupt(() => ran.push('first'));
  onInterrupt(() => {
    throw new Error('cannot write');
  });
  const remove = onInterrupt(() => ran.push('removed'));
  onInterrupt((s) => ran.push(`last ${s}`));
  remove();
  assert.equal(runCleanups('SIGTERM', (m) => reported.push(m)).code, 143);
  assert.deepEqual(ran, ['last SIGTERM', 'first']);
  assert.deepEqual(reported, ['ssc-lab: while stopping: cannot write']);
  assert.equal(runCleanups('SIGINT', () => undefined).code, 130, 'nothing left to run the second time');
  assert.deepEqual(ran, ['last SIGTERM', 'first']);
});

test('a clean-up that settles later is handed back to wait for; its failure is reported', async () => {
  const reported: string[] = [];
  let closed = false;
  onInterrupt(async () => {
    await new Promise((r) => setTimeout(r, 10));
    closed = true;
  });
  onInterrupt(async () => {
    throw new Error('socket gone');
  });
  const { code, pending } = runCleanups('SIGINT', (m) => reported.push(m));
  assert.equal(code, 130);
  assert.equal(pending.length, 2);
  await Promise.allSettled(pending);
  assert.equal(closed, true);
  assert.deepEqual(reported, ['ssc-lab: while stopping: socket gone']);
});
