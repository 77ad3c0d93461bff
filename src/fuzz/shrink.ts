/**
 * Shrinking a failing episode to a minimal sequence (delta debugging by
 * removal, Zeller's ddmin "complement" step): drop chunks of actions, halving
 * the chunk size when no chunk can go, while the replay still breaks the same
 * invariant. Actions are remade against the live state at every replay, so a
 * MAC or a cryptogram stays right when the commands before it change.
 */
import type { Action } from './world.ts';

/**
 * The smallest list found, by removal, for which `fails` still holds. `fails`
 * may cut the list itself (a replay stops at its first failure) by returning
 * the prefix that failed, or undefined when the list no longer fails.
 */
export function shrink(
  actions: readonly Action[],
  fails: (list: readonly Action[]) => readonly Action[] | undefined,
  maxReplays = 5000,
): Action[] {
  let list = [...actions];
  let replays = 0;
  let chunk = Math.max(1, Math.ceil(list.length / 2));
  while (chunk >= 1 && replays < maxReplays) {
    let removed = false;
    for (let i = 0; i < list.length && replays < maxReplays; ) {
      const candidate = [...list.slice(0, i), ...list.slice(i + chunk)];
      replays++;
      const failed = candidate.length ? fails(candidate) : undefined;
      if (failed) {
        list = [...failed];
        removed = true;
      } else i += chunk;
    }
    if (!removed) {
      if (chunk === 1) break;
      chunk = Math.ceil(chunk / 2);
    } else chunk = Math.min(chunk, Math.max(1, Math.ceil(list.length / 2)));
  }
  return list;
}
