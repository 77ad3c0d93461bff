/**
 * The authentication defects (model/defects/authentication.ts), composed onto
 * a conforming COS: each wraps the handler of VERIFY, EXTERNAL AUTHENTICATE,
 * GET CHALLENGE, SELECT or an SSSE PIN command, or replaces the MAC check of
 * the secured commands, the way a vendor's faulty comparison or bookkeeping
 * would behave. The handlers themselves are not changed.
 */
import { type Bytes, equal } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { SW, sw63C } from '../../core/sw.ts';
import { authCryptogram, commandMac, pinBlock, pinDigits } from '../../cos/formats.ts';
import type { AUTHENTICATION_DEFECTS } from '../../model/defects/authentication.ts';
import { counted } from '../commands/authentication.ts';
import type { CardContext, CommandSpec, Handler, HandlerResult } from '../context.ts';
import { CardError, fail } from '../errors.ts';
import type { DedicatedFile, KeyObject, PinObject } from '../fs.ts';
import { takeChallenge } from '../security.ts';
import { type Composition, type Defect, wrap } from './compose.ts';

type Around = (spec: CommandSpec) => Handler;

/** The tries left that a 63Cx error tells, or undefined for any other error. */
function triesOf(e: unknown): number | undefined {
  return e instanceof CardError && (e.sw & 0xfff0) === 0x63c0 ? e.sw & 0x0f : undefined;
}

/** The PIN a VERIFY (or CHANGE PIN) names by P2 in the current environment. */
function pinNamed(cmd: CommandApdu, ctx: CardContext): PinObject | undefined {
  return ctx.security.env.pins.get(cmd.p2);
}

/** VERIFY in the MF and the SSSE (the COS's own) and in the PSE (the PBOC application's, which serves its offline PIN). */
function wrapVerify(c: Composition, around: Around): void {
  wrap(c, 0x20, around);
  wrap(c, 0x20, around, 'PSE');
}

/** A wrong attempt whose counter is put back (and committed, so that the failed command's rollback keeps it): 63Cx with the old count. */
function restoreTries(ctx: CardContext, obj: { tries: number }, before: number): never {
  ctx.nvm.set(obj, 'tries', before);
  ctx.nvm.commit();
  fail(sw63C(Math.min(before, 15)));
}

/** The counter of the object a command names is not decremented on a wrong attempt. */
const triesNotDecremented =
  (objectOf: (cmd: CommandApdu, ctx: CardContext) => { tries: number } | undefined): Around =>
  (spec) =>
  (cmd, ctx) => {
    const obj = objectOf(cmd, ctx);
    const before = obj?.tries;
    try {
      return spec.handler(cmd, ctx);
    } catch (e) {
      if (obj && before !== undefined && triesOf(e) !== undefined) restoreTries(ctx, obj, before);
      throw e;
    }
  };

/** VERIFY compared the presented digits with `accepts`: when it accepts them the reference PIN is passed on instead. */
const loosePinCompare =
  (accepts: (presented: string, reference: string) => boolean): Around =>
  (spec) =>
  (cmd, ctx) => {
    const pin = pinNamed(cmd, ctx);
    const digits = cmd.data.length > 0 && cmd.data.length <= 6 ? pinDigits(cmd.data) : undefined;
    if (pin && digits !== undefined && digits !== pin.value && accepts(digits, pin.value)) {
      return spec.handler({ ...cmd, data: pinBlock(pin.value) }, ctx);
    }
    return spec.handler(cmd, ctx);
  };

/**
 * Replaces the challenge MAC check of every secured command that uses it (the
 * card's own and the applications', not the PBOC issuer-script MAC):
 * `check` decides with the expected and received MAC; `consume` false leaves
 * the challenge for the next command.
 */
function macCheck(c: Composition, check: (expected: Bytes, received: Bytes, body: Bytes) => boolean, consume = true): void {
  for (const table of [c.commands, ...Object.values(c.applicationCommands)]) {
    for (const [ins, spec] of table) {
      const sm = spec.sm;
      if (!sm || sm.verify) continue;
      const verify = (cmd: CommandApdu, body: Bytes, mac: Bytes, ctx: CardContext): boolean => {
        const key: KeyObject = sm.key(cmd, ctx);
        const challenge = consume ? takeChallenge(ctx) : ctx.security.challenge;
        if (!challenge) fail(SW.REF_DATA_INVALID, 'no challenge: GET CHALLENGE first');
        const expected = commandMac(key.alg, key.value, challenge, new Uint8Array([cmd.cla, cmd.ins, cmd.p1, cmd.p2]), body);
        return check(expected, mac, body);
      };
      table.set(ins, { ...spec, sm: { ...sm, verify } });
    }
  }
}

/** The security state of one session, kept by a defective COS where a reset does not reach. */
interface KeptState {
  session: CardContext;
  env: DedicatedFile;
  keys: Set<number>;
  pins: Set<number>;
}

function securityStateSurvivesReset(c: Composition): void {
  const kept = new WeakMap<DedicatedFile, KeptState>();
  const record: Around = (spec) => (cmd, ctx) => {
    try {
      return spec.handler(cmd, ctx);
    } finally {
      const s = ctx.security;
      kept.set(ctx.mf, { session: ctx, env: s.env, keys: new Set(s.keys), pins: new Set(s.pins) });
    }
  };
  wrapVerify(c, record);
  wrap(c, 0x82, record);
  wrap(c, 0xa4, (spec) => (cmd, ctx) => {
    const result = spec.handler(cmd, ctx);
    const k = kept.get(ctx.mf);
    // A new session (the card was reset) entering the environment of the kept state gets it back.
    if (k && k.session !== ctx && k.env === ctx.security.env) {
      for (const id of k.keys) ctx.security.keys.add(id);
      for (const id of k.pins) ctx.security.pins.add(id);
      k.session = ctx;
    }
    return result;
  });
}

/** The old PIN of a CHANGE PIN `old ‖ FF ‖ new` replaced by `old`. */
function withOldPin(data: Bytes, old: string): Bytes | undefined {
  const sep = data.indexOf(0xff);
  if (sep < 1) return undefined;
  const block = pinBlock(old);
  const out = new Uint8Array(block.length + data.length - sep);
  out.set(block);
  out.set(data.slice(sep), block.length);
  return out;
}

export const AUTHENTICATION_DEFECT_IMPLEMENTATIONS: Record<(typeof AUTHENTICATION_DEFECTS)[number]['id'], Defect> = {
  'verify-failure-keeps-verified': {
    description: 'a wrong VERIFY leaves an earlier verification of the PIN standing',
    apply(c) {
      wrapVerify(c, (spec) => (cmd, ctx) => {
        const pin = pinNamed(cmd, ctx);
        const was = pin !== undefined && ctx.security.pins.has(pin.id);
        try {
          return spec.handler(cmd, ctx);
        } catch (e) {
          if (pin && was) ctx.security.pins.add(pin.id);
          throw e;
        }
      });
    },
  },
  'pin-tries-not-decremented': {
    description: 'VERIFY of an SSSE (or MF) PIN answers 63Cx to a wrong PIN but keeps the try counter',
    apply(c) {
      wrap(c, 0x20, triesNotDecremented(pinNamed));
    },
  },
  'pin-tries-reported-before-decrement': {
    description: 'the try counter is decremented, but 63Cx tells the tries there were before the attempt',
    apply(c) {
      wrapVerify(c, (spec) => (cmd, ctx) => {
        try {
          return spec.handler(cmd, ctx);
        } catch (e) {
          const n = triesOf(e);
          if (n !== undefined && n < 15) fail(sw63C(n + 1));
          throw e;
        }
      });
    },
  },
  'pin-tries-not-reset-after-success': {
    description: 'the right PIN gives back only the try it spent: earlier wrong attempts stay counted',
    apply(c) {
      wrapVerify(c, (spec) => (cmd, ctx) => {
        const pin = pinNamed(cmd, ctx);
        const before = pin?.tries;
        const result = spec.handler(cmd, ctx);
        if (pin && before !== undefined && cmd.data.length > 0 && pin.tries !== before) ctx.nvm.set(pin, 'tries', before);
        return result;
      });
    },
  },
  'pin-blocked-one-early': {
    description: 'VERIFY refuses a PIN with one try left as blocked (6983): the check is "tries ≤ 1"',
    apply(c) {
      wrapVerify(c, (spec) => (cmd, ctx) => {
        const pin = pinNamed(cmd, ctx);
        if (pin && cmd.data.length > 0 && pin.tries === 1) fail(SW.AUTH_BLOCKED);
        return spec.handler(cmd, ctx);
      });
    },
  },
  'pin-blocked-one-late': {
    description: 'after the try counter reached zero the card still compares one more PIN, and the right one unblocks it',
    apply(c) {
      const extraUsed = new WeakSet<PinObject>();
      wrap(c, 0x20, (spec) => (cmd, ctx) => {
        const pin = pinNamed(cmd, ctx);
        if (!pin || cmd.data.length === 0 || pin.tries !== 0 || extraUsed.has(pin)) return spec.handler(cmd, ctx);
        extraUsed.add(pin);
        if (pinDigits(cmd.data) !== pin.value) fail(sw63C(0));
        ctx.nvm.set(pin, 'tries', pin.maxTries);
        ctx.security.pins.add(pin.id);
        return {};
      });
    },
  },
  'pin-verified-on-last-wrong-try': {
    description: 'the wrong PIN that blocks the PIN (63C0) leaves it verified',
    apply(c) {
      wrapVerify(c, (spec) => (cmd, ctx) => {
        const pin = pinNamed(cmd, ctx);
        try {
          return spec.handler(cmd, ctx);
        } catch (e) {
          if (pin && triesOf(e) === 0) ctx.security.pins.add(pin.id);
          throw e;
        }
      });
    },
  },
  'security-state-survives-reset': {
    description:
      'verified PINs and authenticated keys are kept where a reset does not clear them: entering the environment again restores them',
    apply: securityStateSurvivesReset,
  },
  'key-tries-not-decremented': {
    description: 'EXTERNAL AUTHENTICATE answers 63Cx to a wrong cryptogram but keeps the key try counter',
    apply(c) {
      wrap(
        c,
        0x82,
        triesNotDecremented((cmd, ctx) => ctx.security.env.keys.get(cmd.p2)),
      );
    },
  },
  'offline-pin-tries-not-decremented': {
    description: 'the PBOC offline PIN (VERIFY 00 20 00 80) answers 63Cx to a wrong PIN but keeps the PIN try counter',
    apply(c) {
      wrap(
        c,
        0x20,
        triesNotDecremented((cmd, ctx) => (cmd.p2 === 0x80 ? pinNamed(cmd, ctx) : undefined)),
        'PSE',
      );
    },
  },
  'pin-last-digit-ignored': {
    description: 'VERIFY compares all digits of the PIN but the last',
    apply(c) {
      wrap(
        c,
        0x20,
        loosePinCompare((p, ref) => p.length === ref.length && p.slice(0, -1) === ref.slice(0, -1)),
      );
    },
  },
  'pin-prefix-accepted': {
    description: 'VERIFY compares only as many digits as were presented: the beginning of the PIN is accepted',
    apply(c) {
      wrap(
        c,
        0x20,
        loosePinCompare((p, ref) => ref.startsWith(p)),
      );
    },
  },
  'cryptogram-compared-on-4-bytes': {
    description: 'EXTERNAL AUTHENTICATE compares only the first 4 bytes of the cryptogram',
    apply(c) {
      wrap(c, 0x82, (spec) => (cmd, ctx) => {
        const key = ctx.security.env.keys.get(cmd.p2);
        const challenge = ctx.security.challenge;
        if (key && challenge) {
          const expected = authCryptogram(key.alg, key.value, challenge);
          if (cmd.data.length === expected.length && equal(cmd.data.slice(0, 4), expected.slice(0, 4))) {
            return spec.handler({ ...cmd, data: expected }, ctx);
          }
        }
        return spec.handler(cmd, ctx);
      });
    },
  },
  'external-auth-any-key-type': {
    description: 'EXTERNAL AUTHENTICATE accepts every key of the environment, also internal authentication, PIN and blocking keys',
    apply(c) {
      wrap(c, 0x82, (spec) => (cmd, ctx) => {
        try {
          return spec.handler(cmd, ctx);
        } catch (e) {
          const key = ctx.security.env.keys.get(cmd.p2);
          if (!(e instanceof CardError) || e.sw !== SW.CONDITIONS_NOT_SATISFIED || !key) throw e;
          // The key-type check is missing: the authentication goes on as for any key.
          const challenge = takeChallenge(ctx);
          counted(ctx, key, () => equal(authCryptogram(key.alg, key.value, challenge), cmd.data));
          ctx.security.keys.add(key.id);
          return {} satisfies HandlerResult;
        }
      });
    },
  },
  'external-auth-any-key-of-environment': {
    description: 'EXTERNAL AUTHENTICATE accepts a cryptogram made with any key of the environment, and grants the key P2 names',
    apply(c) {
      wrap(c, 0x82, (spec) => (cmd, ctx) => {
        const key = ctx.security.env.keys.get(cmd.p2);
        const challenge = ctx.security.challenge;
        if (key && challenge) {
          for (const other of ctx.security.env.keys.values()) {
            if (other !== key && equal(authCryptogram(other.alg, other.value, challenge), cmd.data)) {
              return spec.handler({ ...cmd, data: authCryptogram(key.alg, key.value, challenge) }, ctx);
            }
          }
        }
        return spec.handler(cmd, ctx);
      });
    },
  },
  'mac-last-byte-ignored': {
    description: 'secured commands have only the first 3 bytes of their 4-byte MAC checked',
    apply(c) {
      macCheck(c, (expected, received) => equal(expected.slice(0, 3), received.slice(0, 3)));
    },
  },
  'mac-unchecked-without-data': {
    description: 'a secured command that carries no data but its MAC is executed without checking the MAC',
    apply(c) {
      for (const table of [c.commands, ...Object.values(c.applicationCommands)]) {
        for (const [ins, spec] of table) {
          const sm = spec.sm;
          if (!sm || sm.verify) continue;
          // The body is empty: nothing to authenticate, thinks the vendor.
          const verify = (cmd: CommandApdu, body: Bytes, mac: Bytes, ctx: CardContext): boolean => {
            if (body.length === 0) return true;
            const key = sm.key(cmd, ctx);
            const header = new Uint8Array([cmd.cla, cmd.ins, cmd.p1, cmd.p2]);
            return equal(commandMac(key.alg, key.value, takeChallenge(ctx), header, body), mac);
          };
          table.set(ins, { ...spec, sm: { ...sm, verify } });
        }
      }
    },
  },
  'change-pin-old-unchecked-when-verified': {
    description: 'CHANGE PIN skips the old PIN when the PIN was verified in this session',
    apply(c) {
      wrap(
        c,
        0x5e,
        (spec) => (cmd, ctx) => {
          const pin = pinNamed(cmd, ctx);
          const data = pin && ctx.security.pins.has(pin.id) ? withOldPin(cmd.data, pin.value) : undefined;
          return spec.handler(data ? { ...cmd, data } : cmd, ctx);
        },
        'SSSE',
      );
    },
  },
  'challenge-kept-after-failed-auth': {
    description: 'a failed EXTERNAL AUTHENTICATE leaves the challenge valid for the next attempt',
    apply(c) {
      wrap(c, 0x82, (spec) => (cmd, ctx) => {
        const challenge = ctx.security.challenge;
        try {
          return spec.handler(cmd, ctx);
        } catch (e) {
          if (challenge && !ctx.security.challenge) ctx.security.challenge = challenge;
          throw e;
        }
      });
    },
  },
  'challenge-reusable': {
    description: 'a successful EXTERNAL AUTHENTICATE does not use up the challenge',
    apply(c) {
      wrap(c, 0x82, (spec) => (cmd, ctx) => {
        const challenge = ctx.security.challenge;
        const result = spec.handler(cmd, ctx);
        if (challenge) ctx.security.challenge = challenge;
        return result;
      });
    },
  },
  'secured-command-replay': {
    description: 'secured commands check their MAC against the last challenge without using it up: a recorded command replays',
    apply(c) {
      macCheck(c, (expected, received) => equal(expected, received), false);
    },
  },
  'challenge-repeats-after-reset': {
    description: 'the random generator restarts from the same seed at every reset: the challenges after a reset always repeat',
    apply(c) {
      const drawn = new WeakMap<CardContext, number>();
      wrap(c, 0x84, (spec) => (cmd, ctx) => {
        const result = spec.handler(cmd, ctx);
        const n = drawn.get(ctx) ?? 0;
        drawn.set(ctx, n + 1);
        const challenge = (result.data ?? new Uint8Array(0)).map((_, i) => (0x3d * (n * 8 + i + 1) + 0x5a) & 0xff);
        ctx.security.challenge = challenge;
        return { ...result, data: challenge };
      });
    },
  },
  'pin-unblock-keeps-tries': {
    description: 'PIN UNBLOCK and PIN RELOAD set the new PIN but leave its try counter as it was',
    apply(c) {
      wrap(
        c,
        0x24,
        (spec) => (cmd, ctx) => {
          const pin = [...ctx.security.env.pins.values()][0];
          const before = pin?.tries;
          const result = spec.handler(cmd, ctx);
          if (pin && before !== undefined) ctx.nvm.set(pin, 'tries', before);
          return result;
        },
        'SSSE',
      );
    },
  },
  'change-pin-ignores-block': {
    description: 'CHANGE PIN still compares the old PIN of a blocked PIN, and the right one changes and unblocks it',
    apply(c) {
      wrap(
        c,
        0x5e,
        (spec) => (cmd, ctx) => {
          const pin = pinNamed(cmd, ctx);
          if (pin && pin.tries === 0) ctx.nvm.set(pin, 'tries', 1);
          return spec.handler(cmd, ctx);
        },
        'SSSE',
      );
    },
  },
};
