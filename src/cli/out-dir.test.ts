import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { UsageError } from './errors.ts';
import { checkOutDir, claimOutDir, lockFileOf, prepareOutDir } from './out-dir.ts';
import { lockHolder } from './out-dir.test-kit.ts';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ssc-out-dir-'));
}

// every lock of this file in a directory of its own
process.env.SSC_LAB_LOCK_DIR = join(tmp(), 'locks');

const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test(e.message) && !e.message.includes('\n');

test('checkOutDir: a new or existing directory is fine, and nothing is made', () => {
  const dir = tmp();
  assert.equal(checkOutDir('run', 'out', dir), dir);
  const deep = join(dir, 'a', 'b');
  assert.equal(checkOutDir('run', 'out', deep), deep);
  assert.ok(!existsSync(join(dir, 'a')), 'a check makes nothing');
  assert.equal(checkOutDir('run', 'out', relative(process.cwd(), deep)), deep, 'relative paths are resolved');
});

test('checkOutDir: empty, a file, under a file, /proc, /sys and a link into /proc are refused in one line naming the flag', () => {
  const dir = tmp();
  const file = join(dir, 'results.txt');
  writeFileSync(file, 'x');
  assert.throws(() => checkOutDir('run', 'out', ''), usage(/^run: --out is empty/));
  assert.throws(() => checkOutDir('run', 'out', '  '), usage(/^run: --out is empty/));
  assert.throws(() => checkOutDir('run', 'out', file), usage(/^run: --out .*results\.txt: is a file, not a directory$/));
  assert.throws(
    () => checkOutDir('mutation', 'out', join(file, 'sub', 'deeper')),
    usage(/^mutation: --out .*results\.txt\/sub\/deeper: .*results\.txt is a file, not a directory$/),
  );
  assert.throws(() => checkOutDir('run', 'out', '/proc/ssc-lab'), usage(/^run: --out \/proc\/ssc-lab: is under \/proc/));
  assert.throws(() => checkOutDir('run', 'out', '/proc'), usage(/is under \/proc/));
  assert.throws(
    () => checkOutDir('terminal-test', 'out', '/sys/kernel/x'),
    usage(/^terminal-test: --out \/sys\/kernel\/x: is under \/sys/),
  );
  const link = join(dir, 'kernel');
  symlinkSync('/proc', link);
  assert.throws(() => checkOutDir('run', 'out', join(link, 'x')), usage(/is under \/proc/));
  assert.ok(!existsSync('/proc/ssc-lab'));
});

test('prepareOutDir makes the directory and proves it writable', () => {
  const dir = join(tmp(), 'new', 'out');
  assert.equal(prepareOutDir('run', 'out', dir), dir);
  assert.ok(existsSync(dir));
  assert.equal(prepareOutDir('run', 'out', dir), dir, 'an existing directory is fine');
});

test('claimOutDir: a second claim while the first process runs names its PID; when it is killed, its lock is taken over', async () => {
  const dir = join(tmp(), 'out');
  const first = await lockHolder(dir);
  try {
    assert.throws(
      () => claimOutDir('run', 'out', dir),
      usage(new RegExp(`^run: --out .*out: another ssc-lab run \\(PID ${first.pid}, since .*\\) writes there; wait for it`)),
    );
    // another spelling of the same directory meets the same lock
    const link = join(tmp(), 'link');
    symlinkSync(dir, link);
    assert.throws(() => claimOutDir('mutation', 'out', link), usage(new RegExp(`PID ${first.pid}`)));
  } finally {
    // SIGKILL: no exit handler runs, the lock stays behind, stale
    first.kill('SIGKILL');
    await new Promise((done) => first.once('exit', done));
  }
  assert.ok(existsSync(lockFileOf(dir)), 'the killed process left its lock');
  const claim = claimOutDir('run', 'out', dir);
  assert.equal(JSON.parse(readFileSync(lockFileOf(dir), 'utf8')).pid, process.pid, 'taken over');
  claim.release();
  assert.ok(!existsSync(lockFileOf(dir)), 'released');
  const again = claimOutDir('run', 'out', dir);
  again.release();
});

test('claimOutDir: a lock of a dead PID, of a reused PID or that is no lock is stale; one of another host is not', () => {
  const dir = tmp();
  const lock = () => lockFileOf(dir);
  const take = () => claimOutDir('run', 'out', dir).release();
  mkdirSync(process.env.SSC_LAB_LOCK_DIR!, { recursive: true });
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  const base = { host: hostname(), command: 'run', dir, since: 'then' };
  writeFileSync(lock(), JSON.stringify({ ...base, pid: dead }));
  take();
  // this very PID, but a process that started at another time: the PID was reused
  writeFileSync(lock(), JSON.stringify({ ...base, pid: process.pid, startTicks: 1 }));
  take();
  writeFileSync(lock(), 'not a lock');
  take();
  writeFileSync(lock(), JSON.stringify({ ...base, host: 'another-host.example', pid: 1 }));
  assert.throws(() => claimOutDir('run', 'out', dir), usage(/another ssc-lab run \(PID 1 on another-host\.example, since then\)/));
});

test('claimOutDir: a directory it made goes with the lock when nothing was written into it', () => {
  const root = tmp();
  const empty = join(root, 'empty');
  claimOutDir('run', 'out', empty).release();
  assert.ok(!existsSync(empty), 'made and left empty: removed');
  const used = join(root, 'used');
  const claim = claimOutDir('run', 'out', used);
  writeFileSync(join(used, 'junit.xml'), '<x/>');
  claim.release();
  assert.ok(existsSync(join(used, 'junit.xml')), 'results stay');
  const existing = tmp();
  claimOutDir('run', 'out', existing).release();
  assert.ok(existsSync(existing), 'a directory that was there stays');
});
