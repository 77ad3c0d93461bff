/** The COS-basics defects (model/defects/cos.ts): selection, files, APDU handling, ATR, anti-tear, firewall. */
import { parseAtr } from '../../core/atr.ts';
import { SW } from '../../core/sw.ts';
import type { COS_DEFECTS } from '../../model/defects/cos.ts';
import { CardError } from '../errors.ts';
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
};
