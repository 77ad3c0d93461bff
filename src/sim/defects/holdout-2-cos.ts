/**
 * Second hold-out set (model/defects/holdout-2.ts): the defects of the COS and
 * the social-security application — selection variants, GET RESPONSE, record
 * pointers and boundaries, status words, access conditions, try counters, the
 * challenge, short EF identifiers, key loading and a write-back cache. Each
 * wraps a conforming handler the way a vendor's faulty code path would behave.
 */
import type { CommandApdu } from '../../core/apdu.ts';
import { SW, sw63C } from '../../core/sw.ts';
import { authCryptogram, pinDigits } from '../../cos/formats.ts';
import { counted } from '../commands/authentication.ts';
import type { CardContext, CommandSpec, Handler } from '../context.ts';
import { CardError, fail } from '../errors.ts';
import { type DedicatedFile, type ElementaryFile, efBySfi, environmentOf, masterKeyOf } from '../fs.ts';
import { Nvm } from '../nvm.ts';
import { checkAccess, freshSecurity, inPersonalisation } from '../security.ts';
import { otherEnvironments } from './application-parts.ts';
import { type Composition, type Defect, wrap } from './compose.ts';

type Around = (spec: CommandSpec) => Handler;

/** Wraps `ins` in the card's common table and, where it has its own, in the PSE's command set. */
function wrapCommonAndPse(c: Composition, ins: number, around: Around): void {
  wrap(c, ins, around);
  if (c.applicationCommands.PSE?.has(ins)) wrap(c, ins, around, 'PSE');
}

/** The EF an update or record command addresses: by SFI in the current DF, or the current EF. */
function addressed(ctx: CardContext, sfi: number): ElementaryFile | undefined {
  return sfi !== 0 ? efBySfi(ctx.currentDf, sfi) : ctx.currentEf;
}

/** The SFI of a command: P1 b5-b1 (with b8 set) for binary commands, P2 b8-b4 for record commands. */
function sfiOf(cmd: CommandApdu): number {
  if (cmd.ins === 0xd6 || cmd.ins === 0xb0) return cmd.p1 & 0x80 ? cmd.p1 & 0x1f : 0;
  return cmd.p2 >> 3;
}

/** Runs the handler and answers `to` where it answered `from` (a status word mixed up in the vendor's table). */
const swMixedUp =
  (from: number, to: number): Around =>
  (spec) =>
  (cmd, ctx) => {
    try {
      return spec.handler(cmd, ctx);
    } catch (e) {
      if (e instanceof CardError && e.sw === from) throw new CardError(to, e.message);
      throw e;
    }
  };

const UPDATES = [0xd6, 0xdc, 0xe2] as const;

// --- the challenge register that a reset does not clear ----------------------------------------

interface KeptChallenge {
  challenge: Uint8Array;
  security: CardContext['security'];
}

function challengeSurvivesReset(c: Composition): void {
  const kept = new WeakMap<DedicatedFile, KeptChallenge>();
  /** A session without a challenge finds the one the last session left unused, in the same environment. */
  const restore = (ctx: CardContext): void => {
    const k = kept.get(ctx.mf);
    if (!k || ctx.security.challenge || k.security === ctx.security) return;
    if (k.security.challenge !== k.challenge || k.security.env !== ctx.security.env) return;
    ctx.security.challenge = k.challenge;
    k.security.challenge = undefined;
    kept.delete(ctx.mf);
  };
  wrap(c, 0x84, (spec) => (cmd, ctx) => {
    const result = spec.handler(cmd, ctx);
    if (ctx.security.challenge) kept.set(ctx.mf, { challenge: ctx.security.challenge, security: ctx.security });
    return result;
  });
  wrapCommonAndPse(c, 0x82, (spec) => (cmd, ctx) => {
    restore(ctx);
    return spec.handler(cmd, ctx);
  });
  // secured commands take the challenge in the SM stage, right after asking for their key
  for (const table of [c.commands, ...Object.values(c.applicationCommands)]) {
    for (const [ins, spec] of table) {
      const sm = spec.sm;
      if (!sm || sm.verify) continue;
      const key = sm.key;
      table.set(ins, {
        ...spec,
        sm: {
          ...sm,
          key: (cmd, ctx) => {
            restore(ctx);
            return key(cmd, ctx);
          },
        },
      });
    }
  }
}

// --- a write-back cache: an acknowledged update is flushed only by the next command --------------

interface Unflushed {
  session: CardContext;
  undo: (() => void)[];
}

function updateAcknowledgedBeforeCommit(c: Composition): void {
  const cache = new WeakMap<DedicatedFile, Unflushed>();
  /** Every command first flushes the cache; after a reset (a new session) the cached writes are gone. */
  const flushing: Around = (spec) => (cmd, ctx) => {
    const u = cache.get(ctx.mf);
    if (u) {
      cache.delete(ctx.mf);
      if (u.session !== ctx) for (const undo of u.undo.reverse()) undo();
    }
    return spec.handler(cmd, ctx);
  };
  for (const table of [c.commands, ...Object.values(c.applicationCommands)]) {
    for (const [ins, spec] of table) table.set(ins, { ...spec, handler: flushing(spec) });
  }
  for (const ins of UPDATES) {
    wrap(c, ins, (spec) => (cmd, ctx) => {
      const ef = addressed(ctx, sfiOf(cmd));
      if (!ef || inPersonalisation(ef)) return spec.handler(cmd, ctx);
      const nvm = ctx.nvm;
      const undo: (() => void)[] = [];
      nvm.write = (apply: () => void, back: () => void): void => {
        Nvm.prototype.write.call(nvm, apply, back);
        undo.push(back);
      };
      try {
        const result = spec.handler(cmd, ctx);
        cache.set(ctx.mf, { session: ctx, undo });
        return result;
      } finally {
        Reflect.deleteProperty(nvm, 'write');
      }
    });
  }
}

// --- a block flag kept in RAM ----------------------------------------------------------------------

function applicationBlockVolatile(c: Composition): void {
  const kept = new WeakMap<DedicatedFile, { session: CardContext; env: DedicatedFile }>();
  wrap(
    c,
    0x1e,
    (spec) => (cmd, ctx) => {
      const result = spec.handler(cmd, ctx);
      if (ctx.security.env.blocked === 'temporary') kept.set(ctx.mf, { session: ctx, env: ctx.security.env });
      return result;
    },
    'SSSE',
  );
  // the first selection of a new session finds the block flag as it was before the block
  wrapCommonAndPse(c, 0xa4, (spec) => (cmd, ctx) => {
    const k = kept.get(ctx.mf);
    if (k && k.session !== ctx) {
      kept.delete(ctx.mf);
      if (k.env.blocked === 'temporary') ctx.nvm.set(k.env, 'blocked', undefined);
    }
    return spec.handler(cmd, ctx);
  });
}

export const HOLDOUT_2_COS_DEFECTS = {
  // --- ISO/IEC 7816 ----------------------------------------------------------------------------
  'select-next-occurrence-restarts': {
    description: 'SELECT by DF name with P2 "next occurrence" selects the first occurrence again, every time',
    apply(c) {
      wrapCommonAndPse(c, 0xa4, (spec) => (cmd, ctx) => {
        if (cmd.p1 !== 0x04 || (cmd.p2 & 0x03) !== 0x02) return spec.handler(cmd, ctx);
        return spec.handler({ ...cmd, p2: cmd.p2 & ~0x03 }, ctx);
      });
    },
  },
  'select-fcp-answers-fci': {
    description: 'SELECT with P2 = 04 (return the FCP) answers as P2 = 00: the FCI of a DF, nothing for an EF',
    apply(c) {
      wrapCommonAndPse(c, 0xa4, (spec) => (cmd, ctx) => {
        if ((cmd.p2 & 0x0c) !== 0x04) return spec.handler(cmd, ctx);
        return spec.handler({ ...cmd, p2: cmd.p2 & ~0x0c }, ctx);
      });
    },
  },
  'get-response-ignores-le': {
    description: 'GET RESPONSE returns all the data waiting with 9000, whatever shorter Le the terminal asked for',
    apply(c) {
      wrap(c, 0xc0, (spec) => (cmd, ctx) => {
        const n = ctx.pending?.length;
        if (n === undefined || n > 256 || cmd.ne === undefined || cmd.ne >= n) return spec.handler(cmd, ctx);
        return spec.handler({ ...cmd, ne: n }, ctx);
      });
    },
  },
  'read-record-current-reads-first': {
    description: 'READ RECORD P1 = 00 (the current record) reads record 1',
    apply(c) {
      wrap(c, 0xb2, (spec) => (cmd, ctx) => spec.handler((cmd.p2 & 0x07) === 0x04 && cmd.p1 === 0 ? { ...cmd, p1: 1 } : cmd, ctx));
    },
  },
  'security-not-satisfied-as-6985': {
    description: 'UPDATE BINARY, UPDATE RECORD and APPEND RECORD refused for their access condition answer 6985 instead of 6982',
    apply(c) {
      for (const ins of UPDATES) wrap(c, ins, swMixedUp(SW.SECURITY_NOT_SATISFIED, SW.CONDITIONS_NOT_SATISFIED));
    },
  },
  // --- near misses -----------------------------------------------------------------------------
  'read-binary-offset-at-end-empty': {
    description: 'READ BINARY at the offset just past the last byte answers 9000 with no data (the bound is checked with >)',
    apply(c) {
      wrap(c, 0xb0, (spec) => (cmd, ctx) => {
        const bySfi = (cmd.p1 & 0x80) !== 0;
        const ef = bySfi ? efBySfi(ctx.currentDf, cmd.p1 & 0x1f) : ctx.currentEf;
        const offset = bySfi ? cmd.p2 : (cmd.p1 << 8) | cmd.p2;
        const size = ef?.structure === 'transparent' ? ef.data.length : undefined;
        if (size === undefined || size === 0 || offset !== size || cmd.ne === undefined || cmd.ne === 256 || cmd.data.length !== 0)
          return spec.handler(cmd, ctx);
        // the same checks as a read from the start (access condition, the EF made current), then nothing to read
        spec.handler({ ...cmd, p1: bySfi ? cmd.p1 : 0, p2: 0, ne: 1 }, ctx);
        return { data: new Uint8Array(0), sizedToNe: true };
      });
    },
  },
  'update-record-one-past-end-appends': {
    description: 'UPDATE RECORD of the record number after the last one appends the record and answers 9000',
    apply(c) {
      wrap(c, 0xdc, (spec) => (cmd, ctx) => {
        const ef = addressed(ctx, cmd.p2 >> 3);
        if (!ef || ef.structure === 'transparent' || (cmd.p2 & 0x07) !== 0x04 || cmd.p1 === 0 || cmd.p1 !== ef.records.length + 1)
          return spec.handler(cmd, ctx);
        checkAccess(ef.access.update, ctx, ef, 'update');
        if (cmd.data.length === 0 || (ef.recordLength !== undefined && cmd.data.length > ef.recordLength)) fail(SW.WRONG_LENGTH);
        ctx.nvm.push(ef.records, cmd.data.slice());
        ctx.currentEf = ef;
        ctx.currentRecord = ef.records.length;
        return {};
      });
    },
  },
  'change-pin-short-new-pin': {
    description: "the SSSE's CHANGE PIN accepts a new PIN of 4 or 5 digits (the lower bound is checked as 4)",
    apply(c) {
      wrap(
        c,
        0x5e,
        (spec) => (cmd, ctx) => {
          const pin = ctx.security.env.pins.get(cmd.p2);
          const sep = cmd.data.indexOf(0xff);
          if (cmd.p1 !== 0x01 || !pin || sep < 1 || sep === cmd.data.length - 1) return spec.handler(cmd, ctx);
          const oldPin = pinDigits(cmd.data.slice(0, sep));
          const newPin = pinDigits(cmd.data.slice(sep + 1));
          if (oldPin === undefined || newPin === undefined || newPin.length < 4 || newPin.length > 5) return spec.handler(cmd, ctx);
          counted(ctx, pin, () => oldPin === pin.value);
          ctx.nvm.set(pin, 'value', newPin);
          ctx.security.pins.add(pin.id);
          return {};
        },
        'SSSE',
      );
    },
  },
  'access-any-authenticated-key': {
    description: 'an update condition naming a key is met by an external authentication with any key of the environment',
    apply(c) {
      for (const ins of UPDATES) {
        wrap(c, ins, (spec) => (cmd, ctx) => {
          const ac = addressed(ctx, sfiOf(cmd))?.access.update;
          const keys = ctx.security.keys;
          if (typeof ac !== 'object' || !('key' in ac) || keys.size === 0 || keys.has(ac.key)) return spec.handler(cmd, ctx);
          keys.add(ac.key);
          try {
            return spec.handler(cmd, ctx);
          } finally {
            keys.delete(ac.key);
          }
        });
      }
    },
  },
  'sm4-external-auth-half-cryptogram': {
    description: 'with an SM4 key EXTERNAL AUTHENTICATE also takes an 8-byte cryptogram, compared with the first half of the right one',
    apply(c) {
      wrap(c, 0x82, (spec) => (cmd, ctx) => {
        const key = ctx.security.env.keys.get(cmd.p2);
        const challenge = ctx.security.challenge;
        if (cmd.p1 !== 0 || key?.alg !== 'sm4' || cmd.data.length !== 8 || !challenge) return spec.handler(cmd, ctx);
        const expected = authCryptogram('sm4', key.value, challenge);
        const half = expected.slice(0, 8).every((b, i) => b === cmd.data[i]);
        const data = half ? expected : new Uint8Array(16);
        if (!half) data.set(cmd.data);
        return spec.handler({ ...cmd, data }, ctx);
      });
    },
  },
  // --- state after a failure -------------------------------------------------------------------
  'verify-without-data-spends-try': {
    description: 'VERIFY without data (asking for the tries left) is compared as an empty PIN: it spends a try and answers 63Cx',
    apply(c) {
      wrap(c, 0x20, (spec) => (cmd, ctx) => {
        const pin = ctx.security.env.pins.get(cmd.p2);
        if (cmd.p1 !== 0 || cmd.data.length !== 0 || !pin || pin.tries === 0 || ctx.security.pins.has(pin.id))
          return spec.handler(cmd, ctx);
        ctx.nvm.set(pin, 'tries', pin.tries - 1);
        ctx.nvm.commit();
        fail(sw63C(Math.min(pin.tries, 15)));
      });
    },
  },
  'select-ef-clears-security-state': {
    description: 'selecting an EF clears the security state of the environment (PIN verified, keys authenticated) once it is operational',
    apply(c) {
      wrapCommonAndPse(c, 0xa4, (spec) => (cmd, ctx) => {
        const before = ctx.security;
        const result = spec.handler(cmd, ctx);
        const ef = ctx.currentEf;
        if (ef && ctx.security === before && !inPersonalisation(ef)) ctx.security = freshSecurity(before.env);
        return result;
      });
    },
  },
  // --- freshness -------------------------------------------------------------------------------
  'challenge-survives-reset': {
    description: 'the last challenge is kept in a register a reset does not clear: after a reset it still serves a command',
    apply: challengeSurvivesReset,
  },
  'external-auth-without-challenge': {
    description: 'EXTERNAL AUTHENTICATE without a GET CHALLENGE before it checks the cryptogram of a challenge of zeros',
    apply(c) {
      wrap(c, 0x82, (spec) => (cmd, ctx) => {
        const key = ctx.security.env.keys.get(cmd.p2);
        if (!ctx.security.challenge && key) ctx.security.challenge = new Uint8Array(8);
        return spec.handler(cmd, ctx);
      });
    },
  },
  // --- firewall --------------------------------------------------------------------------------
  'read-record-sfi-card-wide': {
    description: 'READ RECORD by an SFI the current DF does not have looks it up in the other environments (one SFI table per card)',
    apply(c) {
      wrap(c, 0xb2, (spec) => (cmd, ctx) => {
        const sfi = cmd.p2 >> 3;
        if (sfi === 0 || sfi === 0x1f || efBySfi(ctx.currentDf, sfi)) return spec.handler(cmd, ctx);
        const foreign = otherEnvironments(ctx)
          .map((env) => efBySfi(env, sfi))
          .find((ef) => ef !== undefined);
        if (!foreign?.parent) return spec.handler(cmd, ctx);
        const saved = { df: ctx.currentDf, ef: ctx.currentEf, record: ctx.currentRecord };
        ctx.currentDf = foreign.parent;
        try {
          return spec.handler(cmd, ctx);
        } finally {
          ctx.currentDf = saved.df;
          ctx.currentEf = saved.ef;
          ctx.currentRecord = saved.record;
        }
      });
    },
  },
  'card-master-reloads-environment-master': {
    description: 'WRITE KEY P1 = 01 (card master key) is accepted in an environment that has its master key: it replaces that key',
    apply(c) {
      const spec = c.commands.get(0xd4);
      if (!spec?.sm) throw new Error('no WRITE KEY with secure messaging');
      const key = spec.sm.key;
      c.commands.set(0xd4, {
        ...spec,
        sm: {
          ...spec.sm,
          key: (cmd, ctx) => {
            const df = ctx.currentDf;
            const cardMaster = masterKeyOf(ctx.mf);
            if (cmd.p1 === 0x01 && cardMaster && environmentOf(df) === df) return cardMaster;
            return key(cmd, ctx);
          },
        },
      });
    },
  },
  // --- life cycle ------------------------------------------------------------------------------
  'write-key-zero-tries-accepted': {
    description: 'WRITE KEY with a try limit of 0 loads the key with 15 tries (0 read as "the maximum")',
    apply(c) {
      wrap(c, 0xd4, (spec) => (cmd, ctx) => {
        if (cmd.data.length < 4 || cmd.data[3] !== 0) return spec.handler(cmd, ctx);
        const data = cmd.data.slice();
        data[3] = 15;
        return spec.handler({ ...cmd, data }, ctx);
      });
    },
  },
  'application-block-volatile': {
    description: 'the SSSE APPLICATION BLOCK flag is kept in RAM: after a reset the application is no longer blocked',
    apply: applicationBlockVolatile,
  },
  'application-unblock-resets-pin-tries': {
    description: 'the SSSE APPLICATION UNBLOCK also gives every PIN of the SSSE its tries back, a blocked PIN too',
    apply(c) {
      wrap(
        c,
        0x18,
        (spec) => (cmd, ctx) => {
          const result = spec.handler(cmd, ctx);
          for (const pin of ctx.security.env.pins.values()) if (pin.tries !== pin.maxTries) ctx.nvm.set(pin, 'tries', pin.maxTries);
          return result;
        },
        'SSSE',
      );
    },
  },
  // --- anti-tear -------------------------------------------------------------------------------
  'update-acknowledged-before-commit': {
    description:
      'updates of an operational EF answer 9000 from a write-back cache flushed by the next command: a reset before it loses them',
    apply: updateAcknowledgedBeforeCommit,
  },
} satisfies Record<string, Defect>;
