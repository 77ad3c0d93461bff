/**
 * Hold-out defects of the COS and the social-security application
 * (model/defects/holdout.ts): selection and file boundaries, try counters and
 * what a failure leaves, near misses, challenges, the firewall, the journal
 * and key loading. Each wraps a conforming handler the way a vendor's faulty
 * bookkeeping would behave; the handlers themselves are not changed.
 */
import { type Bytes, concat, equal } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { SW, sw63C } from '../../core/sw.ts';
import { authCryptogram, commandMac, pinBlock, pinDigits } from '../../cos/formats.ts';
import { blockSize } from '../../crypto/block.ts';
import { counted } from '../commands/authentication.ts';
import type { CardContext, CommandSpec, Handler } from '../context.ts';
import { CardError, fail } from '../errors.ts';
import { type DedicatedFile, type ElementaryFile, type PinObject, efBySfi } from '../fs.ts';
import { Nvm } from '../nvm.ts';
import { enterEnvironment, takeChallenge } from '../security.ts';
import { otherEnvironments, txnOf } from './application-parts.ts';
import { type Composition, type Defect, wrap } from './compose.ts';

type Around = (spec: CommandSpec) => Handler;

/** The status word of a CardError, or undefined for anything else. */
const swOf = (e: unknown): number | undefined => (e instanceof CardError ? e.sw : undefined);
const isTriesLeft = (e: unknown): boolean => ((swOf(e) ?? 0) & 0xfff0) === 0x63c0;

/** Wraps `ins` in the card's common table and, where it has its own, in the PSE's command set. */
function wrapCommonAndPse(c: Composition, ins: number, around: Around): void {
  wrap(c, ins, around);
  if (c.applicationCommands.PSE?.has(ins)) wrap(c, ins, around, 'PSE');
}

/** The EF a record or binary command addresses: by SFI in the current DF, or the current EF. */
function addressed(ctx: CardContext, sfi: number): ElementaryFile | undefined {
  return sfi !== 0 ? efBySfi(ctx.currentDf, sfi) : ctx.currentEf;
}

/** The PIN digits of a VERIFY data field, when it is a BCD PIN block. */
function presentedDigits(cmd: CommandApdu): string | undefined {
  return cmd.data.length > 0 && cmd.data.length <= 6 ? pinDigits(cmd.data) : undefined;
}

/** The PIN try counters a session spent, kept in RAM by a defective COS and written back at the next session. */
interface VolatileTries {
  session: CardContext;
  saved: Map<PinObject, number>;
}

function pinTryCounterVolatile(c: Composition): void {
  const kept = new WeakMap<DedicatedFile, VolatileTries>();
  /** The first command of a new session (the card was reset) finds the counters as they were before the last one. */
  const restore = (ctx: CardContext): void => {
    const k = kept.get(ctx.mf);
    if (!k || k.session === ctx) return;
    for (const [pin, tries] of k.saved) if (pin.tries !== tries) ctx.nvm.set(pin, 'tries', tries);
    kept.delete(ctx.mf);
  };
  const restoring: Around = (spec) => (cmd, ctx) => {
    restore(ctx);
    return spec.handler(cmd, ctx);
  };
  wrapCommonAndPse(c, 0xa4, restoring);
  wrapCommonAndPse(c, 0xca, restoring);
  wrap(c, 0x20, (spec) => (cmd, ctx) => {
    restore(ctx);
    const pin = ctx.security.env.pins.get(cmd.p2);
    const before = pin?.tries;
    try {
      const result = spec.handler(cmd, ctx);
      if (pin && cmd.data.length > 0) kept.get(ctx.mf)?.saved.delete(pin);
      return result;
    } catch (e) {
      if (pin && before !== undefined && isTriesLeft(e)) {
        let k = kept.get(ctx.mf);
        if (!k) {
          k = { session: ctx, saved: new Map() };
          kept.set(ctx.mf, k);
        }
        if (!k.saved.has(pin)) k.saved.set(pin, before);
      }
      throw e;
    }
  });
}

/**
 * The journal holds four writes: a command that makes more commits each full
 * journal before going on, so a power loss keeps the first part of the command.
 */
const journalOfFour: Around = (spec) => (cmd, ctx) => {
  const nvm = ctx.nvm;
  let writes = 0;
  nvm.write = (apply: () => void, undo: () => void): void => {
    if (writes > 0 && writes % 4 === 0) nvm.commit();
    writes++;
    Nvm.prototype.write.call(nvm, apply, undo);
  };
  try {
    return spec.handler(cmd, ctx);
  } finally {
    Reflect.deleteProperty(nvm, 'write');
  }
};

/** Secured commands whose MAC is checked with the challenge (not the PBOC scripts' own scheme). */
function challengeMacCommands(c: Composition, f: (spec: CommandSpec, sm: NonNullable<CommandSpec['sm']>) => CommandSpec): void {
  for (const table of [c.commands, ...Object.values(c.applicationCommands)]) {
    for (const [ins, spec] of table) if (spec.sm && !spec.sm.verify) table.set(ins, f(spec, spec.sm));
  }
}

/** The state of a key before a WRITE KEY, to put one field back after it (a key update that forgets a field). */
const keyFieldKept =
  (field: 'version' | 'tries'): Around =>
  (spec) =>
  (cmd, ctx) => {
    const existing = ctx.currentDf.keys.get(cmd.p2);
    const before = existing?.[field];
    const result = spec.handler(cmd, ctx);
    if (existing && before !== undefined && ctx.currentDf.keys.get(cmd.p2) === existing && existing[field] !== before) {
      ctx.nvm.set(existing, field, before);
    }
    return result;
  };

export const HOLDOUT_COS_DEFECTS = {
  // --- ISO/IEC 7816 basics ---------------------------------------------------------------------
  'failed-select-resets-current-df': {
    description: 'a SELECT of a file that is not there (6A82) leaves the MF selected, its security state fresh',
    apply(c) {
      wrapCommonAndPse(c, 0xa4, (spec) => (cmd, ctx) => {
        try {
          return spec.handler(cmd, ctx);
        } catch (e) {
          if (swOf(e) === SW.FILE_NOT_FOUND) {
            enterEnvironment(ctx, ctx.mf);
            ctx.currentDf = ctx.mf;
            ctx.currentEf = undefined;
            ctx.currentRecord = undefined;
          }
          throw e;
        }
      });
    },
  },
  'read-binary-sfi-not-made-current': {
    description: 'READ BINARY by SFI reads the EF but leaves the current EF as it was',
    apply(c) {
      wrap(c, 0xb0, (spec) => (cmd, ctx) => {
        const ef = ctx.currentEf;
        const record = ctx.currentRecord;
        const result = spec.handler(cmd, ctx);
        if (cmd.p1 & 0x80) {
          ctx.currentEf = ef;
          ctx.currentRecord = record;
        }
        return result;
      });
    },
  },
  'blocked-application-selects-9000': {
    description: 'a temporarily blocked application is selected with 9000, not the warning 6283 (its commands are still refused)',
    apply(c) {
      wrapCommonAndPse(c, 0xa4, (spec) => (cmd, ctx) => {
        const result = spec.handler(cmd, ctx);
        return result.sw === SW.FILE_DEACTIVATED ? { ...result, sw: SW.OK } : result;
      });
    },
  },
  'append-record-full-linear-overwrites-last': {
    description: 'APPEND RECORD to a full linear EF overwrites its last record and answers 9000',
    apply(c) {
      const overwrite: Around = (spec) => (cmd, ctx) => {
        try {
          return spec.handler(cmd, ctx);
        } catch (e) {
          const ef = addressed(ctx, cmd.p2 >> 3);
          if (swOf(e) !== SW.NOT_ENOUGH_MEMORY || !ef || ef.records.length === 0 || (cmd.cla & 0x80) !== 0) throw e;
          ctx.nvm.set(ef.records, ef.records.length - 1, cmd.data.slice());
          ctx.currentEf = ef;
          ctx.currentRecord = ef.records.length;
          return {};
        }
      };
      wrapCommonAndPse(c, 0xe2, overwrite);
    },
  },
  'read-record-sfi-skips-read-condition': {
    description: 'READ RECORD by SFI skips the read condition of the EF (by the current EF it is checked)',
    apply(c) {
      wrap(c, 0xb2, (spec) => (cmd, ctx) => {
        const file = cmd.p2 >> 3 !== 0 ? efBySfi(ctx.currentDf, cmd.p2 >> 3) : undefined;
        if (!file || typeof file.access.read !== 'object') return spec.handler(cmd, ctx);
        const read = file.access.read;
        file.access.read = 'always';
        try {
          return spec.handler(cmd, ctx);
        } finally {
          file.access.read = read;
        }
      });
    },
  },
  // --- state after a failure -------------------------------------------------------------------
  'pin-try-counter-volatile': {
    description: 'the SSSE PIN try counter is kept in RAM: right within a session, back to its earlier value after a reset',
    apply: pinTryCounterVolatile,
  },
  'change-pin-wrong-old-not-counted': {
    description: 'CHANGE PIN with a wrong old PIN answers 63Cx but keeps the try counter',
    apply(c) {
      wrap(
        c,
        0x5e,
        (spec) => (cmd, ctx) => {
          const pin = ctx.security.env.pins.get(cmd.p2);
          const before = pin?.tries;
          try {
            return spec.handler(cmd, ctx);
          } catch (e) {
            if (!pin || before === undefined || !isTriesLeft(e)) throw e;
            ctx.nvm.set(pin, 'tries', before);
            ctx.nvm.commit();
            fail(sw63C(Math.min(before, 15)));
          }
        },
        'SSSE',
      );
    },
  },
  'pin-length-mismatch-not-counted': {
    description: 'VERIFY compares the PIN length first: a PIN of another length answers 63Cx without spending a try',
    apply(c) {
      wrap(c, 0x20, (spec) => (cmd, ctx) => {
        const pin = ctx.security.env.pins.get(cmd.p2);
        const digits = presentedDigits(cmd);
        if (pin && digits !== undefined && pin.tries > 0 && digits.length !== pin.value.length) {
          ctx.security.pins.delete(pin.id);
          fail(sw63C(Math.min(pin.tries, 15)));
        }
        return spec.handler(cmd, ctx);
      });
    },
  },
  'key-blocked-still-authenticates': {
    description: 'EXTERNAL AUTHENTICATE with a key whose try counter is zero still compares, and the right cryptogram unblocks it',
    apply(c) {
      wrapCommonAndPse(c, 0x82, (spec) => (cmd, ctx) => {
        const key = ctx.security.env.keys.get(cmd.p2);
        const issuerAuth = cmd.p2 === 0 && txnOf(ctx)?.stage === 'first-gac';
        if (key?.tries !== 0 || issuerAuth || cmd.p1 !== 0 || !ctx.security.challenge) return spec.handler(cmd, ctx);
        if (cmd.data.length !== blockSize(key.alg)) return spec.handler(cmd, ctx);
        const challenge = takeChallenge(ctx);
        if (!equal(authCryptogram(key.alg, key.value, challenge), cmd.data)) fail(sw63C(0));
        ctx.nvm.set(key, 'tries', key.maxTries);
        ctx.security.keys.add(key.id);
        return {};
      });
    },
  },
  // --- near misses -----------------------------------------------------------------------------
  'update-binary-one-past-end': {
    description: 'UPDATE BINARY one byte past the end of the EF writes what fits and answers 9000 (the bound is checked with ≤ size + 1)',
    apply(c) {
      wrap(c, 0xd6, (spec) => (cmd, ctx) => {
        const ef = addressed(ctx, cmd.p1 & 0x80 ? cmd.p1 & 0x1f : 0);
        const offset = cmd.p1 & 0x80 ? cmd.p2 : ((cmd.p1 & 0x7f) << 8) | cmd.p2;
        if (ef?.structure === 'transparent' && cmd.data.length > 1 && offset + cmd.data.length === ef.data.length + 1) {
          return spec.handler({ ...cmd, data: cmd.data.slice(0, -1) }, ctx);
        }
        return spec.handler(cmd, ctx);
      });
    },
  },
  'read-record-one-past-end': {
    description: 'READ RECORD of the record after the last one answers 9000 with erased memory (FF…) of a record length',
    apply(c) {
      wrap(c, 0xb2, (spec) => (cmd, ctx) => {
        const ef = addressed(ctx, cmd.p2 >> 3);
        const n = ef?.records.length ?? 0;
        if (!ef || (cmd.p2 & 0x07) !== 0x04 || n === 0 || cmd.p1 !== n + 1) return spec.handler(cmd, ctx);
        // the access condition and the current EF as for the last record, then one record too far
        const last = spec.handler({ ...cmd, p1: n }, ctx);
        return { data: new Uint8Array(ef.recordLength ?? last.data?.length ?? 1).fill(0xff) };
      });
    },
  },
  'pin-extra-digits-accepted': {
    description: 'VERIFY compares as many digits as the reference PIN has: a longer PIN that begins with it is accepted',
    apply(c) {
      wrap(c, 0x20, (spec) => (cmd, ctx) => {
        const pin = ctx.security.env.pins.get(cmd.p2);
        const digits = presentedDigits(cmd);
        if (pin && digits !== undefined && digits.length > pin.value.length && digits.startsWith(pin.value)) {
          return spec.handler({ ...cmd, data: pinBlock(pin.value) }, ctx);
        }
        return spec.handler(cmd, ctx);
      });
    },
  },
  'internal-auth-random-truncated': {
    description: "the SSSE's INTERNAL AUTHENTICATE enciphers the first 4 bytes of the random, the rest taken as zeros",
    apply(c) {
      wrap(
        c,
        0x88,
        (spec) => (cmd, ctx) =>
          spec.handler(cmd.data.length === 8 ? { ...cmd, data: concat(cmd.data.slice(0, 4), new Uint8Array(4)) } : cmd, ctx),
        'SSSE',
      );
    },
  },
  // --- freshness -------------------------------------------------------------------------------
  'challenge-kept-after-wrong-mac': {
    description: 'a secured command refused for its MAC (6988) leaves the challenge valid for the next attempt',
    apply(c) {
      challengeMacCommands(c, (spec, sm) => {
        const verify = (cmd: CommandApdu, body: Bytes, mac: Bytes, ctx: CardContext): boolean => {
          const key = sm.key(cmd, ctx);
          const challenge = ctx.security.challenge;
          if (!challenge) fail(SW.REF_DATA_INVALID, 'no challenge: GET CHALLENGE first');
          if (!equal(commandMac(key.alg, key.value, challenge, new Uint8Array([cmd.cla, cmd.ins, cmd.p1, cmd.p2]), body), mac))
            return false;
          ctx.security.challenge = undefined;
          return true;
        };
        return { ...spec, sm: { ...sm, verify } };
      });
    },
  },
  'challenge-half-constant': {
    description: 'an 8-byte challenge has only 4 random bytes: the last 4 are always 00',
    apply(c) {
      wrap(c, 0x84, (spec) => (cmd, ctx) => {
        const result = spec.handler(cmd, ctx);
        if (result.data?.length !== 8) return result;
        const challenge = concat(result.data.slice(0, 4), new Uint8Array(4));
        ctx.security.challenge = challenge;
        return { ...result, data: challenge };
      });
    },
  },
  // --- firewall --------------------------------------------------------------------------------
  'challenge-crosses-firewall': {
    description: 'the last challenge survives the selection of another environment and serves a command there',
    apply(c) {
      wrapCommonAndPse(c, 0xa4, (spec) => (cmd, ctx) => {
        const challenge = ctx.security.challenge;
        const security = ctx.security;
        try {
          return spec.handler(cmd, ctx);
        } finally {
          if (challenge && ctx.security !== security && !ctx.security.challenge) ctx.security.challenge = challenge;
        }
      });
    },
  },
  'verify-pin-lookup-card-wide': {
    description:
      'VERIFY looks a PIN reference the current environment lacks up in the other environments (the PSE offline PIN in the SSSE)',
    apply(c) {
      wrap(c, 0x20, (spec) => (cmd, ctx) => {
        try {
          return spec.handler(cmd, ctx);
        } catch (e) {
          const digits = presentedDigits(cmd);
          const pin = otherEnvironments(ctx)
            .map((df) => df.pins.get(cmd.p2))
            .find((p) => p !== undefined);
          if (swOf(e) !== SW.REF_DATA_NOT_FOUND || !pin || digits === undefined || cmd.p1 !== 0) throw e;
          counted(ctx, pin, () => digits === pin.value);
          ctx.security.pins.add(pin.id);
          return {};
        }
      });
    },
  },
  'ssse-unblock-unblocks-pse': {
    description: 'the SSSE APPLICATION UNBLOCK clears the block flag of every environment, the financial application too',
    apply(c) {
      wrap(
        c,
        0x18,
        (spec) => (cmd, ctx) => {
          const result = spec.handler(cmd, ctx);
          for (const df of otherEnvironments(ctx)) if (df.blocked === 'temporary') ctx.nvm.set(df, 'blocked', undefined);
          return result;
        },
        'SSSE',
      );
    },
  },
  'ssse-internal-auth-in-pse': {
    description: "the SSSE's INTERNAL AUTHENTICATE answers in the PSE directory too, with the PSE's internal authentication key",
    apply(c) {
      const ssse = c.applicationCommands.SSSE?.get(0x88);
      if (!ssse) throw new Error('no SSSE INTERNAL AUTHENTICATE');
      wrap(
        c,
        0x88,
        (spec) => (cmd, ctx) => {
          try {
            return spec.handler(cmd, ctx);
          } catch (e) {
            if (swOf(e) !== SW.INS_NOT_SUPPORTED) throw e;
            return ssse.handler(cmd, ctx);
          }
        },
        'PSE',
      );
    },
  },
  // --- anti-tear -------------------------------------------------------------------------------
  'journal-overflow-commits-early': {
    description: 'the journal holds 4 writes: a command with more (a long UPDATE BINARY, WRITE KEY) commits every 4',
    apply(c) {
      for (const table of [c.commands, ...Object.values(c.applicationCommands)]) {
        for (const [ins, spec] of table) table.set(ins, { ...spec, handler: journalOfFour(spec) });
      }
    },
  },
  // --- life cycle and key loading --------------------------------------------------------------
  'write-key-version-kept': {
    description: 'WRITE KEY replacing a key writes the new value and keeps the old version',
    apply(c) {
      wrap(c, 0xd4, keyFieldKept('version'));
    },
  },
  'write-key-keeps-try-counter': {
    description: 'WRITE KEY replacing a key keeps its try counter: a blocked key stays blocked after it is reloaded',
    apply(c) {
      wrap(c, 0xd4, keyFieldKept('tries'));
    },
  },
  'blocked-application-accepts-updates': {
    description: 'UPDATE BINARY and UPDATE RECORD still answer in a temporarily blocked application',
    apply(c) {
      for (const ins of [0xd6, 0xdc]) {
        const spec = c.commands.get(ins);
        if (!spec) throw new Error(`no INS ${ins.toString(16)}`);
        c.commands.set(ins, { ...spec, whenBlocked: true });
      }
    },
  },
} satisfies Record<string, Defect>;
