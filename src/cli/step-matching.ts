/**
 * Step matching at the speed of the JavaScript engine. Cucumber matches every
 * step of every scenario against the step definitions through
 * cucumber-expressions, which asks the package `regexp-match-indices` for
 * each match's group positions. That package uses Node's own match indices
 * (the RegExp `d` flag, in V8 since Node 16) only when a plain `exec` already
 * returns them, which it never does; otherwise it re-parses the pattern and
 * compiles a new RegExp on every match: 0.9 s of each pass over the default
 * run's 832 scenarios (its dry run, then the run), measured on this
 * project's 2-core machine.
 *
 * Imported before cucumber (first in `main.ts`), this module puts the native
 * implementation in the package's place in Node's module cache: the same
 * function (a match with `indices`, or null; `lastIndex` kept as `exec`
 * keeps it) over a `d`-flagged copy of each pattern, made once.
 * `nativeExecWithIndices` is exported for its test, which compares it with the
 * package's own implementation.
 */
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';

const flagged = new WeakMap<RegExp, RegExp>();

/** `regexp.exec(s)` with the match's indices (`d`), as `regexp-match-indices` gives it. */
export function nativeExecWithIndices(regexp: RegExp, s: string): RegExpExecArray | null {
  let d = flagged.get(regexp);
  if (!d) {
    d = regexp.hasIndices ? regexp : new RegExp(regexp.source, `${regexp.flags}d`);
    flagged.set(regexp, d);
  }
  d.lastIndex = regexp.lastIndex;
  const match = d.exec(s);
  if (d !== regexp) regexp.lastIndex = d.lastIndex;
  return match;
}

/** Puts `nativeExecWithIndices` in Node's module cache as `regexp-match-indices`, as cucumber-expressions resolves it. */
export function installNativeMatchIndices(): boolean {
  try {
    const require = createRequire(import.meta.url);
    const expressions = dirname(require.resolve('@cucumber/cucumber-expressions'));
    const id = require.resolve('regexp-match-indices', { paths: [expressions] });
    if (require.cache[id]) return false; // loaded already: too late, and harmless
    const m = new Module(id);
    m.filename = id;
    m.loaded = true;
    m.exports = nativeExecWithIndices;
    require.cache[id] = m;
    return true;
  } catch {
    // not installed as expected: cucumber uses the package itself, slower and the same
    return false;
  }
}

installNativeMatchIndices();
