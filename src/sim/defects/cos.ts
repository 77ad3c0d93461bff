/** The COS-basics defects (model/defects/cos.ts): selection, files, APDU handling, ATR, anti-tear, firewall. */
import { parseAtr } from '../../core/atr.ts';
import { SW } from '../../core/sw.ts';
import type { COS_DEFECTS } from '../../model/defects/cos.ts';
import type { CardContext, Handler, HandlerResult } from '../context.ts';
import { CardError } from '../errors.ts';
import { childByFid, environmentOf, masterKeyOf } from '../fs.ts';
import { type Defect, wrap } from './compose.ts';

export const COS_DEFECT_IMPLEMENTATIONS: Record<(typeof COS_DEFECTS)[number]['id'], Defect> = {
  'file-not-found-as-wrong-data': {
    description: 'answers 6A80 where the standard requires 6A82 (file not found)',
    apply(c) {
      c.responseFilters.push((r) => (r.length === 2 && r[0] === 0x6a && r[1] === 0x82 ? new Uint8Array([0x6a, 0x80]) : r));
    },
  },
  'read-binary-ignores-offset': {
    description: 'READ BINARY always reads from offset 0',
    apply(c) {
      wrap(c, 0xb0, (spec) => (cmd, ctx) => spec.handler({ ...cmd, p2: 0, p1: cmd.p1 & 0x80 ? cmd.p1 : 0 }, ctx));
    },
  },
  'no-partial-name-selection': {
    description: 'SELECT by DF name finds only complete names',
    apply(c) {
      wrap(c, 0xa4, (spec) => (cmd, ctx) => {
        const result = spec.handler(cmd, ctx);
        if (cmd.p1 === 0x04 && ctx.currentDf.name && ctx.currentDf.name.length !== cmd.data.length) {
          throw new CardError(SW.FILE_NOT_FOUND);
        }
        return result;
      });
    },
  },
  'no-get-response': {
    description: 'GET RESPONSE is not implemented (6D00)',
    apply(c) {
      c.commands.delete(0xc0);
    },
  },
  'bad-atr-checksum': {
    description: 'the ATR carries a wrong TCK (or, under T=0 only, one trailing byte too many)',
    apply(c) {
      if (parseAtr(c.atr).tckPresent) c.atr = new Uint8Array([...c.atr.slice(0, -1), c.atr[c.atr.length - 1]! ^ 0x01]);
      else c.atr = new Uint8Array([...c.atr, 0x00]);
    },
  },
  'unknown-cla-accepted': {
    description: 'commands with an unknown CLA are processed as if CLA were 00',
    apply(c) {
      for (const [ins, spec] of c.commands) c.commands.set(ins, { ...spec, cla: [...spec.cla, 0x40, 0xa0, 0xff] });
    },
  },
  'no-anti-tear': {
    description: 'persistent writes are not journaled: a power loss mid-command leaves a mix of old and new data',
    apply(c) {
      c.atomicNvm = false;
    },
  },
  'late-try-counter': {
    description: 'PIN and key try counters are compared first and decremented only after a mismatch',
    apply(c) {
      c.tryCounter = 'compare-first';
    },
  },
  'firewall-keeps-security-state': {
    description: 'selecting the other environment keeps the security state (PIN, external authentication) of the first',
    apply(c) {
      wrap(c, 0xa4, (spec) => (cmd, ctx) => {
        const kept = ctx.security;
        const result = spec.handler(cmd, ctx);
        if (ctx.security !== kept) {
          for (const k of kept.keys) ctx.security.keys.add(k);
          for (const p of kept.pins) ctx.security.pins.add(p);
        }
        return result;
      });
    },
  },
  'create-file-replaces-existing': {
    description: 'CREATE FILE with an identifier that exists drops the existing file and creates the new one',
    apply(c) {
      wrap(c, 0xe0, (spec) => (cmd, ctx) => {
        try {
          return spec.handler(cmd, ctx);
        } catch (e) {
          if (!(e instanceof CardError) || e.sw !== 0x6a89) throw e;
          // the file identifier of the FCP: tag 83, two bytes, inside template 62
          const at = cmd.data.findIndex((b, i) => b === 0x83 && cmd.data[i + 1] === 0x02);
          const fid = at < 0 ? undefined : (cmd.data[at + 2]! << 8) | cmd.data[at + 3]!;
          const old = fid === undefined ? undefined : childByFid(ctx.currentDf, fid);
          if (!old) throw e;
          ctx.nvm.remove(ctx.currentDf.children, ctx.currentDf.children.indexOf(old));
          return spec.handler(cmd, ctx);
        }
      });
    },
  },
  'delete-ef-without-master-key': {
    description: 'DELETE FILE checks the master key only for DFs: any EF is deleted without authentication',
    apply(c) {
      wrap(c, 0xe4, (spec) => (cmd, ctx) => {
        const fid = cmd.data.length === 2 ? (cmd.data[0]! << 8) | cmd.data[1]! : undefined;
        const node = fid === undefined ? undefined : childByFid(ctx.currentDf, fid);
        return node?.kind === 'EF' ? asMaster(ctx, () => spec.handler(cmd, ctx)) : spec.handler(cmd, ctx);
      });
    },
  },
  'activate-without-master-key': {
    description: 'ACTIVATE FILE activates the current environment without its master key',
    apply(c) {
      wrap(
        c,
        0x44,
        (spec): Handler =>
          (cmd, ctx) =>
            asMaster(ctx, () => spec.handler(cmd, ctx)),
      );
    },
  },
};

/** Runs `f` as if the current environment's master key were authenticated (the check a defect skips), then forgets it. */
function asMaster(ctx: CardContext, f: () => HandlerResult): HandlerResult {
  const master = masterKeyOf(environmentOf(ctx.currentDf));
  if (!master || ctx.security.keys.has(master.id) || environmentOf(ctx.currentDf) !== ctx.security.env) return f();
  ctx.security.keys.add(master.id);
  try {
    return f();
  } finally {
    ctx.security.keys.delete(master.id);
  }
}
