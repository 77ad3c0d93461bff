import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shrink } from './shrink.ts';
import type { Action } from './world.ts';

const action = (name: string): Action => ({ name, seed: 0, make: () => ({ kind: 'reset' }) });

/** Fails when the list holds `needed` in that order; a replay stops at the action that completes them. */
function failsWith(...needed: string[]) {
  let replays = 0;
  const fails = (list: readonly Action[]) => {
    replays++;
    let k = 0;
    for (let i = 0; i < list.length; i++) {
      if (list[i]!.name === needed[k]) k++;
      if (k === needed.length) return list.slice(0, i + 1);
    }
    return undefined;
  };
  return { fails, replays: () => replays };
}

test('shrinks to exactly the actions the failure needs, in their order', () => {
  const list = Array.from({ length: 200 }, (_, i) => action(`a${i}`));
  const f = failsWith('a17', 'a120', 'a121', 'a190');
  assert.deepEqual(
    shrink(list, f.fails).map((a) => a.name),
    ['a17', 'a120', 'a121', 'a190'],
  );
  assert.ok(f.replays() < 400, `${f.replays()} replays`);
});

test('a list whose single action fails stays that action; the replay budget bounds the work', () => {
  assert.deepEqual(
    shrink([action('x'), action('y')], failsWith('y').fails).map((a) => a.name),
    ['y'],
  );
  const list = Array.from({ length: 64 }, (_, i) => action(`a${i}`));
  const f = failsWith('a3', 'a60');
  const out = shrink(list, f.fails, 5);
  assert.ok(f.replays() <= 5);
  assert.ok(out.length < 64 && out.some((a) => a.name === 'a60'));
});
