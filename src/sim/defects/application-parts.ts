/**
 * The building blocks of the application defects (defects/application.ts):
 * a replaced script-MAC check, a handler taken off the NVM journal, a block
 * kept card-wide, a PBOC handler run outside its ADF, and the PBOC lookups
 * the wrappers share.
 */
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { parseDol } from '../../emv/dol.ts';
import { type PbocCardData, recordElement, transactions } from '../apps/pboc-data.ts';
import type { CardContext, CommandSpec, Handler } from '../context.ts';
import { CardError } from '../errors.ts';
import type { DedicatedFile } from '../fs.ts';
import type { Nvm } from '../nvm.ts';
import type { Composition } from './compose.ts';

export type Verify = NonNullable<NonNullable<CommandSpec['sm']>['verify']>;

/** Replaces the application-specific MAC check of `ins` in application `app`. */
export function replaceMacCheck(c: Composition, app: string, ins: number, around: (verify: Verify) => Verify): void {
  const table = c.applicationCommands[app];
  const spec = table?.get(ins);
  if (!table || !spec?.sm?.verify) throw new Error(`cannot apply a defect to the MAC check of INS ${ins.toString(16)} of ${app}`);
  table.set(ins, { ...spec, sm: { ...spec.sm, verify: around(spec.sm.verify) } });
}

/** The script MAC is not checked at all (the SM stage's conditions still apply). */
export const macUnchecked =
  (verify: Verify): Verify =>
  (cmd, body, mac, ctx) => {
    verify(cmd, body, mac, ctx);
    return true;
  };

/** The script MAC is compared on all bytes but the last. */
export const macLastByteIgnored =
  (verify: Verify): Verify =>
  (cmd, body, mac, ctx) => {
    for (let b = 0; b < 256; b++) {
      const m = mac.slice();
      m[m.length - 1] = b;
      if (verify(cmd, body, m, ctx)) return true;
    }
    return false;
  };

/** The handler runs with the current command's writes off the NVM journal. */
export const unjournaled =
  (spec: CommandSpec): Handler =>
  (cmd, ctx) => {
    ctx.nvm.bypassJournal();
    return spec.handler(cmd, ctx);
  };

/** The other environments of the card (DFs directly under the MF besides the current one). */
export function otherEnvironments(ctx: CardContext): DedicatedFile[] {
  return ctx.mf.children.filter((d): d is DedicatedFile => d.kind === 'DF' && d !== ctx.security.env);
}

/** After the handler, every other environment is blocked too (a block flag kept card-wide). */
export const blocksOthers =
  (state: 'temporary' | 'permanent') =>
  (spec: CommandSpec): Handler =>
  (cmd, ctx) => {
    const result = spec.handler(cmd, ctx);
    for (const df of otherEnvironments(ctx)) if (df.blocked !== 'permanent') ctx.nvm.set(df, 'blocked', state);
    return result;
  };

/** The personalised PBOC ADF of the card, wherever it is. */
export function findPbocAdf(df: DedicatedFile): DedicatedFile | undefined {
  if ((df as DedicatedFile & { pboc?: PbocCardData }).pboc) return df;
  for (const child of df.children) {
    if (child.kind !== 'DF') continue;
    const found = findPbocAdf(child);
    if (found) return found;
  }
  return undefined;
}

/** A PBOC handler run against the PBOC ADF from wherever the terminal is (no environment check). */
export const anywhere =
  (handler: Handler): Handler =>
  (cmd, ctx) => {
    const adf = findPbocAdf(ctx.mf);
    if (!adf) throw new CardError(SW.INS_NOT_SUPPORTED);
    const current = ctx.currentDf;
    ctx.currentDf = adf;
    try {
      return handler(cmd, ctx);
    } finally {
      ctx.currentDf = current;
    }
  };

export const txnOf = (ctx: CardContext) => transactions.get(ctx.security);
export const asksTc = (cmd: CommandApdu) => (cmd.p1 & 0xc0) === 0x40;

/** Offset and length of `tag` in data built from the DOL of record element `dolTag` (8C CDOL1, 8D CDOL2). */
export function dolSlot(df: DedicatedFile, dolTag: number, tag: number): { offset: number; length: number } | undefined {
  let offset = 0;
  for (const e of parseDol(recordElement(df, dolTag) ?? new Uint8Array(0))) {
    if (e.tag === tag) return { offset, length: e.length };
    offset += e.length;
  }
  return undefined;
}

/** Data objects PUT DATA may not change (as the conforming application). */
export const PUT_DATA_FORBIDDEN = new Set(['9F36', '9F13', 'DF69', '9F4D', '9F4F']);

export function setAtc(nvm: Nvm, data: PbocCardData, atc: number): void {
  nvm.set(data, 'atc', atc);
}
