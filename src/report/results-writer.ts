/**
 * The writer of a run's Allure results. allure-js-commons' own writer syncs
 * every file to disk (fsync) before renaming it into place: with a result,
 * a scenario trace and a trace per step, a run writes thousands of files and
 * spent most of its wall time waiting for the disk. This writer keeps what
 * matters to a lab — a file appears whole or not at all (written under a
 * temporary name, then renamed), so a run interrupted at any moment leaves
 * only valid results — and leaves the flushing to the operating system, as
 * every other output of the run does.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Writer } from 'allure-js-commons/sdk/reporter';
import { environmentProperties } from './allure.ts';

/** The directory Allure keeps a report's history in, in the results as in the report (html.ts). */
const HISTORY = 'history';

type WriterOf<K extends keyof Writer> = Parameters<Writer[K]>;

type Group = WriterOf<'writeGroup'>[0];

/** A container worth a file: one of its fixtures did not pass, or has steps or attachments. */
export function saysSomething(group: Group): boolean {
  const fixtures = [...(group.befores ?? []), ...(group.afters ?? [])];
  return fixtures.some((f) => f.status !== 'passed' || (f.steps?.length ?? 0) > 0 || (f.attachments?.length ?? 0) > 0);
}

export class ResultsWriter implements Writer {
  private made = false;
  private serial = 0;

  constructor(readonly resultsDir: string) {}

  private path(name: string): string {
    if (!this.made) {
      mkdirSync(this.resultsDir, { recursive: true });
      this.made = true;
    }
    return join(this.resultsDir, name);
  }

  /** Writes `name` whole or not at all: a temporary file in the same directory, renamed into place. */
  private publish(name: string, write: (tmp: string) => void): void {
    const to = this.path(name);
    const tmp = join(this.resultsDir, `.writing-${process.pid}-${++this.serial}.tmp`);
    try {
      write(tmp);
      renameSync(tmp, to);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  }

  private json(name: string, data: unknown): void {
    this.publish(name, (tmp) => writeFileSync(tmp, JSON.stringify(data)));
  }

  writeAttachment(...[name, content]: WriterOf<'writeAttachment'>): void {
    this.publish(name, (tmp) => writeFileSync(tmp, content));
  }

  writeAttachmentFromPath(...[name, from]: WriterOf<'writeAttachmentFromPath'>): void {
    this.publish(name, (tmp) => copyFileSync(from, tmp));
  }

  writeEnvironmentInfo(...[info]: WriterOf<'writeEnvironmentInfo'>): void {
    this.publish('environment.properties', (tmp) => writeFileSync(tmp, environmentProperties(info as Record<string, string>)));
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
 * Empties `dir` (created) of the previous results of this kind, keeping the
 * files `keep` names (another tool's results: a terminal-test run's next to a
 * card run's) and the history carried from the last report.
 *
 * The directory is replaced, not emptied: the old one is renamed aside, the
 * kept entries are moved into a new one, and the old one is removed. Files
 * created in a directory whose thousands of files were just deleted can cost
 * the file system a scan past every freed inode each (ext4 without a journal
 * skips inodes freed in the last half minute): on this project's 2-core
 * machine, a run into the same `--out` as a run a few seconds before spent
 * 3–4.6 s of system time on it, 0.6 s into a new directory.
 */
export function clearResults(dir: string, keep: (file: string) => boolean): void {
  const parent = dirname(dir);
  const aside = `${basename(dir)}.old-`;
  mkdirSync(parent, { recursive: true });
  // what an interrupted clearing left aside
  for (const f of readdirSync(parent)) if (f.startsWith(aside)) rmSync(join(parent, f), { recursive: true, force: true });
  if (!existsSync(dir)) {
    mkdirSync(dir);
    return;
  }
  const old = join(parent, `${aside}${process.pid}`);
  renameSync(dir, old);
  mkdirSync(dir);
  for (const f of readdirSync(old)) if (f === HISTORY || keep(f)) renameSync(join(old, f), join(dir, f));
  rmSync(old, { recursive: true, force: true });
}
