import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phaseTimer } from './timings.ts';

test('phases are the time between marks; printed only when asked for', () => {
  let t = 1000;
  const timer = phaseTimer(() => t);
  t = 1500;
  timer.mark('one');
  t = 4000;
  timer.mark('two');
  assert.deepEqual(timer.phases, [
    { name: 'one', ms: 500 },
    { name: 'two', ms: 2500 },
  ]);
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((s: string) => {
    written.push(s);
    return true;
  }) as unknown as typeof process.stderr.write;
  try {
    timer.print({});
    timer.print({ SSC_LAB_TIMINGS: '1' });
  } finally {
    process.stderr.write = write;
  }
  assert.deepEqual(written, ['ssc-lab timings: process start-up and module loading 1.00 s | one 0.50 s | two 2.50 s\n']);
});
