/**
 * The output directory of a command (`--out DIR`, `lab-key init --dir DIR`):
 * checked before anything runs, created when missing, and locked while a
 * command writes into it.
 *
 * - `checkOutDir`: a directory that is not a file, not under a file, not
 *   under /proc or /sys (kernel interfaces, where mkdir fails or never
 *   returns), on a file system that can be written; no change is made.
 * - `prepareOutDir`: the same, then the directory is created and a probe
 *   file is written and removed in it.
 * - `claimOutDir`: prepared, and locked for this process: a second command
 *   into the same directory while the first runs is refused, naming the
 *   first one's PID; a lock whose process is gone is taken over. The lock is
 *   a file in the lock directory (`$SSC_LAB_LOCK_DIR`, else
 *   `<tmpdir>/ssc-lab-locks`), named by the directory's real path — not a
 *   file in the output directory, whose every file the dossier's manifest
 *   covers. It goes when the process exits, or when the returned release
 *   function is called.
 */
import { createHash } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { UsageError } from './errors.ts';

/** Kernel interfaces: no command's output goes there. */
const FORBIDDEN_ROOTS = ['/proc', '/sys'];

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}${sep}`);
}

/** The path itself or its nearest ancestor that exists, and whether that one is a directory. */
function nearestExisting(path: string): { path: string; directory: boolean } {
  let p = path;
  for (;;) {
    try {
      return { path: p, directory: statSync(p).isDirectory() };
    } catch (e) {
      const code = errnoOf(e);
      // ENOTDIR: a file on the way; walk up to it
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
    }
    const up = dirname(p);
    if (up === p) return { path: p, directory: true };
    p = up;
  }
}

/**
 * The absolute path of an output directory given as `text` to `cmd --flag`,
 * checked without changing anything.
 * @throws UsageError naming the flag: empty, under /proc or /sys, a file or
 *   under a file, or on a file system that cannot be written.
 */
export function checkOutDir(cmd: string, flag: string, text: string): string {
  const name = `${cmd}: --${flag} ${text}`;
  if (text.trim() === '') throw new UsageError(`${cmd}: --${flag} is empty (name a directory)`);
  const dir = resolve(text);
  const kernel = (p: string) => FORBIDDEN_ROOTS.find((root) => isUnder(p, root));
  let root = kernel(dir);
  let existing: { path: string; directory: boolean };
  try {
    existing = nearestExisting(dir);
    // a symbolic link on the way may lead there too
    root ??= kernel(realpathSync(existing.path));
  } catch (e) {
    throw new UsageError(`${name}: cannot be examined (${errnoOf(e)})`);
  }
  if (root) throw new UsageError(`${name}: is under ${root}, a kernel interface, not a place for results`);
  if (!existing.directory)
    throw new UsageError(
      existing.path === dir ? `${name}: is a file, not a directory` : `${name}: ${existing.path} is a file, not a directory`,
    );
  try {
    accessSync(existing.path, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new UsageError(`${name}: ${existing.path === dir ? 'cannot be written' : `${existing.path} cannot be written`} (${errnoOf(e)})`);
  }
  return dir;
}

/**
 * {@link checkOutDir}, then the directory is created when missing and
 * proven writable by a probe written and removed in it; returns its absolute path.
 */
export function prepareOutDir(cmd: string, flag: string, text: string): string {
  const dir = checkOutDir(cmd, flag, text);
  try {
    mkdirSync(dir, { recursive: true });
    rmdirSync(mkdtempSync(join(dir, '.ssc-lab-probe-')));
  } catch (e) {
    throw new UsageError(`${cmd}: --${flag} ${text}: cannot be written (${errnoOf(e)})`);
  }
  return dir;
}

/** What a lock file holds: who writes into the directory. */
export interface OutDirLock {
  pid: number;
  /** The process's start time in clock ticks since boot (Linux), to tell a reused PID. */
  startTicks?: number;
  host: string;
  command: string;
  dir: string;
  since: string;
}

/** Where the locks are. */
export function lockDir(): string {
  return process.env.SSC_LAB_LOCK_DIR || join(tmpdir(), 'ssc-lab-locks');
}

/** The lock file of an output directory (by its real path, so that every spelling of it meets the same lock). */
export function lockFileOf(dir: string): string {
  const real = realpathSync(dir);
  return join(lockDir(), `${createHash('sha256').update(real).digest('hex').slice(0, 32)}.lock`);
}

/** A process's start time in clock ticks since boot, where /proc tells it (field 22 of stat). */
function startTicksOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** True when the process that took `lock` still runs (on this host; a lock of another host is taken as held). */
export function lockHeld(lock: OutDirLock): boolean {
  if (lock.host !== hostname()) return true;
  try {
    process.kill(lock.pid, 0);
  } catch (e) {
    // EPERM: the process exists and belongs to another user
    if (errnoOf(e) !== 'EPERM') return false;
  }
  // the PID was given to another process since
  const now = startTicksOf(lock.pid);
  return lock.startTicks === undefined || now === undefined || now === lock.startTicks;
}

function readLock(file: string): OutDirLock | undefined {
  try {
    const lock = JSON.parse(readFileSync(file, 'utf8')) as OutDirLock;
    return Number.isInteger(lock.pid) && lock.pid > 0 ? lock : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Prepares the output directory (see {@link prepareOutDir}) and locks it for
 * this process until it exits or the returned function is called.
 * @throws UsageError naming the flag and the PID of the process holding the lock.
 */
export function claimOutDir(cmd: string, flag: string, text: string): { dir: string; release: () => void } {
  const existed = existsSync(resolve(text));
  const dir = prepareOutDir(cmd, flag, text);
  const locks = lockDir();
  try {
    mkdirSync(locks, { recursive: true });
    // shared by every user of the machine, as /tmp is
    if (statSync(locks).uid === process.getuid?.()) chmodSync(locks, 0o1777);
  } catch (e) {
    throw new UsageError(`${cmd}: --${flag} ${text}: cannot lock it: the lock directory ${locks} cannot be made (${errnoOf(e)})`);
  }
  const file = lockFileOf(dir);
  const mine: OutDirLock = {
    pid: process.pid,
    ...(startTicksOf(process.pid) !== undefined ? { startTicks: startTicksOf(process.pid)! } : {}),
    host: hostname(),
    command: cmd,
    dir,
    since: new Date().toISOString(),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST' || attempt >= 2)
        throw new UsageError(`${cmd}: --${flag} ${text}: cannot lock it (${errnoOf(e)} on ${file})`);
    }
    const other = readLock(file);
    if (other && lockHeld(other))
      throw new UsageError(
        `${cmd}: --${flag} ${text}: another ssc-lab ${other.command} (PID ${other.pid}${other.host !== mine.host ? ` on ${other.host}` : ''}, since ${other.since}) writes there; wait for it or choose another directory (lock ${file})`,
      );
    // the process that took it is gone (or the file is not a lock): take it over
    try {
      unlinkSync(file);
    } catch (e) {
      if (errnoOf(e) !== 'ENOENT')
        throw new UsageError(`${cmd}: --${flag} ${text}: cannot take over the stale lock ${file} (${errnoOf(e)})`);
    }
  }
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    // only our own lock: never one a later process took over
    if (readLock(file)?.pid === process.pid) {
      try {
        unlinkSync(file);
      } catch {
        // gone already
      }
    }
    // a directory made for a command that stopped before writing anything goes too
    try {
      if (!existed && readdirSync(dir).length === 0) rmdirSync(dir);
    } catch {
      // taken by something else meanwhile: it stays
    }
  };
  process.on('exit', release);
  return { dir, release };
}
