import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FuzzUsageError, parseFuzzArgs, selectTargets, todaySeed } from './args.ts';

const NOW = new Date('2025-03-07T12:00:00Z');

test('defaults: 10000 APDUs, today as the seed, every card', () => {
  assert.deepEqual(parseFuzzArgs([], NOW), { count: 10000, seed: 20250307, cards: [], help: false });
  assert.equal(todaySeed(NOW), 20250307);
});

test('flags with a separate or an inline value; --card repeats', () => {
  assert.deepEqual(parseFuzzArgs(['--count', '200000', '--seed=4294967295', '--card', 'good-t1', '--card=profile:psam.json'], NOW), {
    count: 200000,
    seed: 4294967295,
    cards: ['good-t1', 'profile:psam.json'],
    help: false,
  });
  assert.equal(parseFuzzArgs(['--help'], NOW).help, true);
});

test('bad flags: one line naming the flag', () => {
  for (const [argv, message] of [
    [['--count', '0'], '--count: expected an integer 1..1000000000, got "0"'],
    [['--count', '1e6'], '--count: expected an integer 1..1000000000, got "1e6"'],
    [['--seed', '-1'], '--seed: expected an integer 0..4294967295, got "-1"'],
    [['--seed', '--count', '5'], '--seed needs a value'],
    [['--seed', '4294967296'], '--seed: expected an integer 0..4294967295, got "4294967296"'],
    [['--count'], '--count needs a value'],
    [['--cout', '5'], 'unknown flag --cout (npm run fuzz -- --help)'],
    [['5'], 'unexpected argument "5" (npm run fuzz -- --help)'],
  ] as const) {
    assert.throws(
      () => parseFuzzArgs(argv, NOW),
      (e: unknown) => e instanceof FuzzUsageError && e.message === message && !e.message.includes('\n'),
      argv.join(' '),
    );
  }
});

test('--card names a test card by id or a profile by file; an unknown one lists the cards', () => {
  const targets = [{ id: 'profile:default.json' }, { id: 'card:good-t1' }];
  assert.deepEqual(selectTargets(targets, []), targets);
  assert.deepEqual(selectTargets(targets, ['good-t1', 'profile:default.json']), [targets[1], targets[0]]);
  assert.throws(() => selectTargets(targets, ['nope']), { message: '--card: no card "nope" (profile:default.json, good-t1)' });
});
