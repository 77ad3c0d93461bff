/**
 * How a deliberate defect is put onto a conforming COS: the composition the
 * blank card is built from (its command table, ATR, response filters, NVM
 * journaling, try-counter order) and the handler wrapper most defects use.
 */
import type { Bytes } from '../../core/bytes.ts';
import type { CommandSpec } from '../context.ts';

export interface Composition {
  commands: Map<number, CommandSpec>;
  /** Each application's own command set, by environment name (SSSE, PSE, PSAM: sim/apps/index.ts). */
  applicationCommands: Record<string, Map<number, CommandSpec>>;
  atr: Bytes;
  /** Applied to every response APDU the card returns. */
  responseFilters: ((response: Bytes) => Bytes)[];
  /** False: persistent writes are not rolled back when the power fails (no anti-tear protection). */
  atomicNvm: boolean;
  /** When try counters are written: before the comparison (conforming) or only after a mismatch. */
  tryCounter: 'decrement-first' | 'compare-first';
}

export interface Defect {
  description: string;
  apply(c: Composition): void;
}

/** Wraps the handler of `ins` in the card's common command table, or in the command set of application `app` when named. */
export function wrap(c: Composition, ins: number, around: (spec: CommandSpec) => CommandSpec['handler'], app?: string): void {
  const table = app === undefined ? c.commands : c.applicationCommands[app];
  const spec = table?.get(ins);
  if (!table || !spec) throw new Error(`cannot apply a defect to INS ${ins.toString(16)}: not in the command table`);
  table.set(ins, { ...spec, handler: around(spec) });
}
