/**
 * The writer of a run's Allure results. allure-js-commons' own writer syncs
 * every file to disk (fsync) before renaming it into place: with a result,
 * a scenario trace and a trace per step, a run writes thousands of files and
 * spent most of its wall time waiting for the disk. This writer keeps what
 * matters to a lab — a file appears whole or not at all (written under a
 * temporary name, then renamed), so a run interrupted at any moment leaves
 * only valid results — and leaves the flushing to the operating system, as
 * every other output of the run does. Given the files of the last results
 * (`InodePool`), it writes over them rather than create new ones.
 */
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Writer } from 'allure-js-commons/sdk/reporter';
import { environmentProperties } from './allure.ts';

/** The directory Allure keeps a report's history in, in the results as in the report (html.ts). */
const HISTORY = 'history';

type WriterOf<K extends keyof Writer> = Parameters<Writer[K]>;

/** `content` as the whole of the existing file `file`: written from its first byte, then cut to its length. */
function writeOver(file: string, content: Uint8Array): void {
  const fd = openSync(file, 'r+');
  try {
    let at = 0;
    while (at < content.length) at += writeSync(fd, content, at, content.length - at, at);
    ftruncateSync(fd, content.length);
  } finally {
    closeSync(fd);
  }
}

type Group = WriterOf<'writeGroup'>[0];

/** A container worth a file: one of its fixtures did not pass, or has steps or attachments. */
export function saysSomething(group: Group): boolean {
  const fixtures = [...(group.befores ?? []), ...(group.afters ?? [])];
  return fixtures.some((f) => f.status !== 'passed' || (f.steps?.length ?? 0) > 0 || (f.attachments?.length ?? 0) > 0);
}

export class ResultsWriter implements Writer {
  private made = false;
  private serial = 0;

  /** `pool`: files to write over rather than create (the last run's results), when there are. */
  constructor(
    readonly resultsDir: string,
    private readonly pool?: InodePool,
  ) {}

  private path(name: string): string {
    if (!this.made) {
      mkdirSync(this.resultsDir, { recursive: true });
      this.made = true;
    }
    return join(this.resultsDir, name);
  }

  /**
   * Writes `name` whole or not at all: a temporary file in the same directory, renamed into place. The temporary
   * file is a file of the pool when there is one left, written over in place: from its first byte, then cut to the
   * new length — truncating it first would free its blocks only for the new content to allocate them again (with
   * the file system's `discard`, a quarter of a millisecond a file, measured).
   */
  private publish(name: string, content: string | Uint8Array): void {
    const to = this.path(name);
    const tmp = join(this.resultsDir, `.writing-${process.pid}-${++this.serial}.tmp`);
    try {
      if (this.pool?.take(tmp)) writeOver(tmp, typeof content === 'string' ? Buffer.from(content) : content);
      else writeFileSync(tmp, content);
      renameSync(tmp, to);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  }

  private json(name: string, data: unknown): void {
    this.publish(name, JSON.stringify(data));
  }

  writeAttachment(...[name, content]: WriterOf<'writeAttachment'>): void {
    this.publish(name, content);
  }

  writeAttachmentFromPath(...[name, from]: WriterOf<'writeAttachmentFromPath'>): void {
    this.publish(name, readFileSync(from));
  }

  writeEnvironmentInfo(...[info]: WriterOf<'writeEnvironmentInfo'>): void {
    this.publish('environment.properties', environmentProperties(info as Record<string, string>));
  }

  writeCategoriesDefinitions(...[categories]: WriterOf<'writeCategoriesDefinitions'>): void {
    this.json('categories.json', categories);
  }

  /**
   * A hook's container, when it says something: a hook that did not pass, or that has steps or attachments. Each
   * scenario's passing "open the card" and "close the card" would otherwise be two files with nothing in them, 44 %
   * of a run's results for the report to read and the dossier to hash.
   */
  writeGroup(...[group]: WriterOf<'writeGroup'>): void {
    if (!saysSomething(group)) return;
    this.json(`${group.uuid}-container.json`, group);
  }

  writeResult(...[result]: WriterOf<'writeResult'>): void {
    this.json(`${result.uuid}-result.json`, result);
  }

  writeGlobals(...[name, globals]: WriterOf<'writeGlobals'>): void {
    this.json(name, globals);
  }
}

/**
 * The files of a run's last results, there to be written over by the next
 * run's instead of being deleted. Creating a file where thousands were just
 * deleted costs the file system a scan past every freed inode (ext4 without a
 * journal skips the inodes freed in the last half minute, one lookup each):
 * on this project's 2-core machine a run into the same `--out` as a run a few
 * seconds before spent 1.7 ms per file on it, 1.8 s of each process's share
 * of the suite. A file of the pool is renamed to the new file's temporary
 * name and written over in place; no inode is freed, none is allocated, and
 * the blocks the new content fits in are kept.
 *
 * Each process of a run takes its own share of the pool (`share` of `of`), so
 * that they do not reach for the same files; a file gone already is passed
 * over. What is left when the run is done goes with the pool's directory.
 */
export class InodePool {
  private readonly files: string[];

  constructor(
    readonly dir: string,
    share = 1,
    of = 1,
  ) {
    let names: string[] = [];
    try {
      names = readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => d.name)
        .sort();
    } catch {
      // no pool: every file is created
    }
    this.files = names.filter((_f, i) => i % of === share - 1);
  }

  /** A file of the pool renamed to `to` (to be written over), or false when the share is used up. */
  take(to: string): boolean {
    for (let f = this.files.pop(); f !== undefined; f = this.files.pop()) {
      try {
        renameSync(join(this.dir, f), to);
        return true;
      } catch {
        // taken by another process, or gone: the next one
      }
    }
    return false;
  }
}

/**
 * Empties `dir` (created) of the previous results of this kind, keeping the
 * files `keep` names (another tool's results: a terminal-test run's next to a
 * card run's) and the history carried from the last report. The previous
 * results are not deleted but set aside in a directory next to `dir`, whose
 * path is returned: the pool (`InodePool`) the new results are written over;
 * `removePool` removes it with what is left once the run is done.
 */
export function clearResults(dir: string, keep: (file: string) => boolean): string | undefined {
  const parent = dirname(dir);
  const aside = `${basename(dir)}.old-`;
  mkdirSync(parent, { recursive: true });
  // what an interrupted run left aside
  for (const f of readdirSync(parent)) if (f.startsWith(aside)) rmSync(join(parent, f), { recursive: true, force: true });
  if (!existsSync(dir)) {
    mkdirSync(dir);
    return undefined;
  }
  const old = join(parent, `${aside}${process.pid}`);
  renameSync(dir, old);
  mkdirSync(dir);
  for (const f of readdirSync(old)) if (f === HISTORY || keep(f)) renameSync(join(old, f), join(dir, f));
  return old;
}

/** The pool of a run's last results, with the files the new run did not write over. */
export function removePool(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
