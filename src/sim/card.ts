/**
 * The simulated COS: an INS → handler table, handlers shaped
 * `(command, context) → response`, errors raised as {@link CardError} carrying
 * the status word. The dispatcher owns what is common to every command:
 * APDU decoding (a malformed APDU is 6700), CLA and INS checks (6E00, 6D00),
 * and the transport rules of the protocol in use for response data
 * (ISO/IEC 7816-3 §10.3.5 T=0 case 2/4 handling: 61xx and 6Cxx).
 */
import { type Bytes, equal } from '../core/bytes.ts';
import { type CommandApdu, ApduFormatError, apduCase, decodeCommand } from '../core/apdu.ts';
import type { Protocol } from '../core/atr.ts';
import { SW } from '../core/sw.ts';
import { randomBytes, randomFillSync } from 'node:crypto';
import { CardError } from './errors.ts';
import type { DedicatedFile } from './fs.ts';
import { Nvm, PowerLoss } from './nvm.ts';
import type { Application, CardContext, CommandSpec, CommandTable, HandlerResult } from './context.ts';
import { freshSecurity } from './security.ts';
import { unwrapSecured } from './secure-messaging.ts';
import { type CosBehaviour, DEFAULT_BEHAVIOUR } from '../model/behaviour.ts';

export interface SimulatedCardOptions {
  atr: Bytes;
  protocol: Protocol;
  mf: DedicatedFile;
  commands: CommandTable;
  behaviour?: Partial<CosBehaviour>;
  /** Applied in order to every response APDU (used for deliberate defects). */
  responseFilters?: ((response: Bytes) => Bytes)[];
  /** Command sets of the applications, by environment. */
  applications?: Application[];
  /** Persistent memory; a non-atomic one models a COS without anti-tear protection. */
  nvm?: Nvm;
  random?: (n: number) => Bytes;
  tryCounter?: 'decrement-first' | 'compare-first';
}

export class SimulatedCard {
  readonly atr: Bytes;
  readonly protocol: Protocol;
  readonly mf: DedicatedFile;
  private readonly commands: CommandTable;
  private readonly applications: Application[];
  private readonly behaviour: CosBehaviour;
  /** CLA values the card recognises at all: those of its commands. */
  private readonly knownCla: ReadonlySet<number>;
  private readonly responseFilters: ((response: Bytes) => Bytes)[];
  readonly nvm: Nvm;
  private readonly random: (n: number) => Bytes;
  private readonly tryCounter: 'decrement-first' | 'compare-first';
  private ctx: CardContext;
  /** False after a power loss, until the next reset. */
  private powered = true;
  private tear?: { k: number; ins?: number };
  /** Last internal fault, for diagnosis: a handler bug must show up, not be hidden behind 6F00. */
  lastFault?: Error;

  constructor(options: SimulatedCardOptions) {
    this.atr = options.atr;
    this.protocol = options.protocol;
    this.mf = options.mf;
    this.commands = options.commands;
    this.applications = options.applications ?? [];
    this.behaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
    this.knownCla = new Set(
      [options.commands, ...this.applications.map((a) => a.commands)].flatMap((t) => [...t.values()].flatMap((c) => c.cla)),
    );
    this.responseFilters = options.responseFilters ?? [];
    this.nvm = options.nvm ?? new Nvm();
    this.random = options.random ?? pooledRandom;
    this.tryCounter = options.tryCounter ?? 'decrement-first';
    this.ctx = this.freshContext();
  }

  private freshContext(): CardContext {
    return {
      mf: this.mf,
      protocol: this.protocol,
      behaviour: this.behaviour,
      nvm: this.nvm,
      random: this.random,
      tryCounter: this.tryCounter,
      security: freshSecurity(this.mf),
      currentDf: this.mf,
    };
  }

  /**
   * An identical card: same COS and a copy of this card's persistent memory,
   * as a batch of cards personalised alike. The copy starts unpowered-reset.
   * `random` replaces the source of its challenges (a seeded one makes a run reproducible).
   */
  clone(options: { random?: (n: number) => Bytes } = {}): SimulatedCard {
    return new SimulatedCard({
      atr: this.atr,
      protocol: this.protocol,
      mf: structuredClone(this.mf),
      commands: this.commands,
      applications: this.applications,
      behaviour: this.behaviour,
      responseFilters: this.responseFilters,
      nvm: new Nvm(this.nvm.atomic),
      random: options.random ?? this.random,
      tryCounter: this.tryCounter,
    });
  }

  /** Power-on or reset: the MF is selected, volatile state cleared (ISO/IEC 7816-4 §5.3.1.1 implicit selection). */
  reset(): Bytes {
    this.ctx = this.freshContext();
    this.powered = true;
    return this.atr;
  }

  get isPowered(): boolean {
    return this.powered;
  }

  /** The current context, read-only view for tests and diagnostics. */
  get context(): Readonly<CardContext> {
    return this.ctx;
  }

  /**
   * Processes one command APDU. Every outcome is a response APDU, with one
   * exception that is not an answer: {@link PowerLoss}, when a simulated tear
   * cuts the power. The card then stays silent until it is reset.
   */
  /**
   * Arms a power cut at the k-th persistent write of the next command with
   * instruction `ins` (any command when omitted). Simulator control for anti-tear tests.
   */
  armTear(k: number, ins?: number): void {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`tear point must be 1 or more, got ${k}`);
    this.tear = { k, ...(ins !== undefined ? { ins } : {}) };
  }

  process(apdu: Bytes): Bytes {
    if (!this.powered) throw new PowerLoss(0);
    if (this.tear && (this.tear.ins === undefined || apdu[1] === this.tear.ins)) {
      this.nvm.armTear(this.tear.k);
      this.tear = undefined;
    }
    let response: Bytes;
    this.nvm.beginCommand();
    try {
      response = this.dispatch(apdu);
    } catch (e) {
      this.nvm.rollback();
      if (e instanceof PowerLoss) {
        this.powered = false;
        throw e;
      }
      if (e instanceof CardError) response = swBytes(e.sw);
      else {
        this.lastFault = e instanceof Error ? e : new Error(String(e));
        response = swBytes(SW.NO_PRECISE_DIAGNOSIS);
      }
    }
    try {
      // Commit; a tear armed beyond the command's last write cuts the power before the answer leaves.
      this.nvm.endCommand();
    } catch (e) {
      if (e instanceof PowerLoss) this.powered = false;
      throw e;
    }
    for (const filter of this.responseFilters) response = filter(response);
    return response;
  }

  private dispatch(apdu: Bytes): Bytes {
    if (apdu.length >= 1 && !this.knownCla.has(apdu[0]!)) {
      this.ctx.pending = undefined;
      const cla = apdu[0]!;
      // Logical channels 1..3 (b2-b1) of an interindustry CLA: not supported (§5.1.1.2).
      if (((cla & 0xfc) === 0x00 || (cla & 0xfc) === 0x80) && (cla & 0x03) !== 0) throw new CardError(0x6881);
      throw new CardError(SW.CLA_NOT_SUPPORTED);
    }
    let cmd: CommandApdu;
    try {
      cmd = decodeCommand(apdu);
    } catch (e) {
      if (e instanceof ApduFormatError) {
        this.ctx.pending = undefined;
        throw new CardError(SW.WRONG_LENGTH, e.message);
      }
      throw e;
    }
    const spec = this.commandFor(cmd.ins);
    if (!spec) {
      this.ctx.pending = undefined;
      throw new CardError(SW.INS_NOT_SUPPORTED);
    }
    if (!spec.keepsPending) this.ctx.pending = undefined;
    if (!spec.cla.includes(cmd.cla)) throw new CardError(SW.CLA_NOT_SUPPORTED);
    this.ctx.sm = undefined;
    const blocked = this.ctx.security.env.blocked;
    if (blocked && ![0xa4, 0xc0].includes(cmd.ins)) {
      if (blocked === 'permanent') throw new CardError(SW.APP_PERMANENTLY_BLOCKED);
      if (!spec.whenBlocked && cmd.ins !== 0x84) throw new CardError(SW.FUNC_NOT_SUPPORTED, 'the application is blocked');
    }
    const plain = unwrapSecured(cmd, spec, this.ctx);
    const result = spec.handler(plain, this.ctx);
    return this.applyLe(plain, result);
  }

  /** The application of the current environment, if it has its own command set. */
  get currentApplication(): Application | undefined {
    const env = this.ctx.security.env;
    if (!env.parent || !env.name) return undefined;
    return this.applications.find((a) => equal(a.dfName, env.name!));
  }

  private commandFor(ins: number): CommandSpec | undefined {
    return this.currentApplication?.commands.get(ins) ?? this.commands.get(ins);
  }

  /** Response-data rules shared by all commands (T=0 61xx/6Cxx, Le as a maximum for T=1). */
  private applyLe(cmd: CommandApdu, result: HandlerResult): Bytes {
    const sw = result.sw ?? SW.OK;
    const data = result.data ?? NO_DATA;
    if (data.length === 0 || result.sizedToNe || (sw !== SW.OK && sw >> 8 !== 0x62)) {
      return withSw(data, data.length, sw);
    }
    const c = apduCase(cmd);
    const t0 = this.protocol === 'T=0';
    if (sw !== SW.OK) {
      // A warning with data (62xx): under T=0 the warning comes first and the data wait for
      // GET RESPONSE (EMV Book 1 §9.3.1.3); under T=1 both come together, within Ne as for 9000.
      if (!t0)
        return cmd.ne === undefined ? withSw(data, data.length, sw) : leRule(cmd.ne, cmd.extended === true, data, sw, this.behaviour);
      this.ctx.pending = data;
      return swBytes(sw);
    }
    // T=0: data for a command that carried data (case 3/4) always comes back through GET RESPONSE.
    if (t0 && (c === 3 || c === 4 || this.behaviour.t0GetResponse === 'always')) return this.makePending(data);
    if (cmd.ne === undefined) {
      // Case 1 or 3 (no Le) under T=1: ISO/IEC 7816-4 expects no data, but cards in
      // the field return it and terminals rely on that for SELECT; so does the simulator.
      return t0 ? this.makePending(data) : withSw(data, data.length, sw);
    }
    return leRule(cmd.ne, cmd.extended === true, data, sw, this.behaviour);
  }

  private makePending(data: Bytes): Bytes {
    this.ctx.pending = data;
    return swBytes(0x6100 | (data.length >= 256 ? 0 : data.length));
  }
}

/**
 * Le against natural-length data. Exported for GET RESPONSE, which applies
 * the same rule to the pending bytes.
 */
export function leRule(ne: number, extended: boolean, data: Bytes, sw: number, behaviour: CosBehaviour): Bytes {
  const n = data.length;
  if (extended) return withSw(data, Math.min(ne, n), sw);
  return shortLeTakes(ne, n, behaviour) ? withSw(data, n, sw) : swBytes(0x6c00 | (n >= 256 ? 0 : n));
}

/**
 * The 6Cxx the dispatcher will answer when a command's natural-length answer
 * has `n` bytes and its short Le does not take them (T=1, or a T=0 case 2
 * command), else undefined. A handler that changes state asks before the
 * change: a command refused for its Le (a checking error, ISO/IEC 7816-4
 * §5.1.3) leaves the card as it was, so that the same command sent again with
 * the right Le does its work once.
 */
export function wrongLeFor(cmd: CommandApdu, n: number, ctx: CardContext): number | undefined {
  if (n === 0 || cmd.ne === undefined || cmd.extended) return undefined;
  const c = apduCase(cmd);
  if (ctx.protocol === 'T=0' && (c === 3 || c === 4 || ctx.behaviour.t0GetResponse === 'always')) return undefined;
  const r = leRule(cmd.ne, false, new Uint8Array(n), SW.OK, ctx.behaviour);
  return r.length === 2 && r[0] === 0x6c ? 0x6c00 | r[1]! : undefined;
}

/** Whether a short Le lets natural-length data of `n` bytes out as they are (else 6Cxx). */
function shortLeTakes(ne: number, n: number, behaviour: CosBehaviour): boolean {
  if (n > 256) return false; // more than a short response can carry: 6C00
  if (ne === n) return true;
  if (ne === 256) return behaviour.leZero === 'return-all';
  if (ne < n) return false;
  return behaviour.wrongLe === 'lenient';
}

/**
 * Random bytes from the system's generator, drawn 4 KiB at a time: one call
 * into node:crypto per few hundred challenges instead of one each. Every
 * caller gets its own copy.
 */
const pool = new Uint8Array(4096);
let poolAt = pool.length;
function pooledRandom(n: number): Bytes {
  if (n > pool.length) return new Uint8Array(randomBytes(n));
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += n;
  return pool.slice(poolAt - n, poolAt);
}

/** A handler's result without data; only ever read (empty). */
const NO_DATA: Bytes = new Uint8Array(0);

export function swBytes(sw: number): Bytes {
  return new Uint8Array([sw >> 8, sw & 0xff]);
}

/** The first `n` bytes of `data` followed by SW1 SW2, in one new array: every response with data ends here. */
function withSw(data: Bytes, n: number, sw: number): Bytes {
  const out = new Uint8Array(n + 2);
  out.set(n === data.length ? data : data.subarray(0, n));
  out[n] = sw >> 8;
  out[n + 1] = sw & 0xff;
  return out;
}
