/**
 * The launcher's build (bin/build.js): dist/ follows the sources, a module
 * edited since the last build is transpiled again and only it, relative
 * `.ts` imports become `.js`, and the built command runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/json.ts';

const build = () => spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'build.js')], { cwd: PROJECT_ROOT, encoding: 'utf8' });
const transpiled = (out: string) => Number(/^build: (\d+) module\(s\) transpiled/.exec(out)?.[1]);

test('an edited module, and only it, is transpiled again; its relative imports point at the built .js', () => {
  assert.equal(build().status, 0);
  assert.equal(transpiled(build().stdout), 0, 'nothing edited: nothing to do');
  const source = join(PROJECT_ROOT, 'src', 'cli', 'timings.ts');
  const later = new Date(statSync(join(PROJECT_ROOT, 'dist', 'src', 'cli', 'timings.js')).mtimeMs + 2000);
  utimesSync(source, later, later);
  const r = build();
  assert.equal(r.status, 0, r.stderr);
  assert.equal(transpiled(r.stdout), 1, r.stdout);
  const main = readFileSync(join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js'), 'utf8');
  assert.match(main, /from "\.\/run\.js"/);
  assert.doesNotMatch(main, /from "\.{1,2}\/[^"]*\.ts"/, 'no relative .ts import left');
  assert.doesNotMatch(main, /: Promise<number>/, 'types stripped');
});

test('the command runs from the built JavaScript', () => {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'ssc-lab.js'), '--version'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
});
