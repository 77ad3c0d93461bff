/**
 * Persistent memory (EEPROM) of the simulated card, with the anti-tear
 * behaviour the social-security card test specification checks (LD/T 6001
 * part 2, 防拔 "anti-tear"): every persistent write of a command goes through
 * here, journaled; the command commits at its end, and a power loss before the
 * commit rolls every write of the command back, so that data is either the old
 * or the new value, never a mix. A command can commit part of its work early
 * (VERIFY commits the decremented try counter before comparing the PIN).
 *
 * For tests, a power loss can be armed at the k-th persistent write of the next
 * command: the write does not happen and {@link PowerLoss} propagates to the
 * transport. When the command performs fewer than k writes, the power is lost
 * after its last write, before the response leaves the card.
 */

export class PowerLoss extends Error {
  constructor(readonly write: number) {
    super(`the card lost power at persistent write ${write}`);
    this.name = 'PowerLoss';
  }
}

export class Nvm {
  private journal: (() => void)[] = [];
  private writes = 0;
  private tearAt?: number;
  /** Set by {@link bypassJournal} for the current command. */
  private unjournaled = false;
  /** Total persistent writes since the card was made (for benchmarks and wear statistics). */
  totalWrites = 0;

  /** @param atomic false models a COS without anti-tear protection (a defect): no rollback. */
  constructor(readonly atomic = true) {}

  /** Arms a power loss at the k-th persistent write (1-based) of the next command. */
  armTear(k: number): void {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`tear point must be 1 or more, got ${k}`);
    this.tearAt = k;
  }

  get tearArmed(): boolean {
    return this.tearAt !== undefined;
  }

  beginCommand(): void {
    this.writes = 0;
    this.journal = [];
    this.unjournaled = false;
  }

  /**
   * The rest of the current command writes in place, without the journal: a
   * power loss does not roll its writes back (a defect composed onto one command).
   */
  bypassJournal(): void {
    this.unjournaled = true;
  }

  /** One persistent write: `apply` changes the data, `undo` restores what it changed. */
  write(apply: () => void, undo: () => void): void {
    this.writes++;
    if (this.tearAt !== undefined && this.writes >= this.tearAt) {
      const at = this.writes;
      this.tearAt = undefined;
      throw new PowerLoss(at);
    }
    apply();
    this.totalWrites++;
    this.journal.push(undo);
  }

  /** Makes the writes so far permanent. */
  commit(): void {
    this.journal = [];
  }

  /** Undoes the writes since the last commit (a failed command, or power lost). */
  rollback(): void {
    if (!this.atomic || this.unjournaled) {
      this.journal = [];
      return;
    }
    for (const undo of this.journal.reverse()) undo();
    this.journal = [];
  }

  /** End of a command that completed: commit, or lose power if a tear is still armed. */
  endCommand(): void {
    this.commit();
    if (this.tearAt !== undefined) {
      const at = this.writes + 1;
      this.tearAt = undefined;
      throw new PowerLoss(at);
    }
  }

  /** Sets `obj[key]` persistently. */
  set<T extends object, K extends keyof T>(obj: T, key: K, value: T[K]): void {
    const old = obj[key];
    this.write(
      () => {
        obj[key] = value;
      },
      () => {
        obj[key] = old;
      },
    );
  }

  /** Writes `data` into `target` at `offset` in pages of `page` bytes, one persistent write each. */
  writeBytes(target: Uint8Array, offset: number, data: Uint8Array, page = 4): void {
    for (let i = 0; i < data.length; i += page) {
      const chunk = data.slice(i, i + page);
      const old = target.slice(offset + i, offset + i + chunk.length);
      this.write(
        () => target.set(chunk, offset + i),
        () => target.set(old, offset + i),
      );
    }
  }

  /** Map entry set persistently. */
  mapSet<K, V>(map: Map<K, V>, key: K, value: V): void {
    const had = map.has(key);
    const old = map.get(key);
    this.write(
      () => {
        map.set(key, value);
      },
      () => {
        if (had) map.set(key, old as V);
        else map.delete(key);
      },
    );
  }

  /** Array push / splice persistently. */
  push<T>(arr: T[], value: T): void {
    this.write(
      () => {
        arr.push(value);
      },
      () => {
        arr.pop();
      },
    );
  }

  remove<T>(arr: T[], index: number): void {
    const old = arr[index] as T;
    this.write(
      () => {
        arr.splice(index, 1);
      },
      () => {
        arr.splice(index, 0, old);
      },
    );
  }
}
