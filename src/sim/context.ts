/**
 * The shapes shared by the simulated COS and its command handlers: the
 * session context a handler works on ({@link CardContext}, with the security
 * state of the current environment), the handler and its result, the command
 * specification and table, and an application's command set. The dispatcher
 * (card.ts), the security rules (security.ts), the secure-messaging stage
 * (secure-messaging.ts) and the command tables (commands/, apps/) all build on
 * this module; it imports none of them.
 */
import type { Bytes } from '../core/bytes.ts';
import type { CommandApdu } from '../core/apdu.ts';
import type { Protocol } from '../core/atr.ts';
import type { DedicatedFile, ElementaryFile, KeyObject } from './fs.ts';
import type { Nvm } from './nvm.ts';
import type { CosBehaviour } from '../model/behaviour.ts';

/** Security state of one environment; its rules and the firewall between environments are in security.ts. */
export interface SecurityState {
  /** The environment this state belongs to (MF, SSSE or PSE DF). */
  env: DedicatedFile;
  /** Ids of keys of `env` with which the terminal authenticated (EXTERNAL AUTHENTICATE). */
  keys: Set<number>;
  /** Ids of PINs of `env` verified since the environment was entered. */
  pins: Set<number>;
  /** The last GET CHALLENGE answer; consumed by the next EXTERNAL AUTHENTICATE or secured command. */
  challenge?: Bytes;
}

/** Volatile state of one card session; cleared on reset. Persistent data lives in the file tree, written through `nvm`. */
export interface CardContext {
  readonly mf: DedicatedFile;
  readonly protocol: Protocol;
  readonly behaviour: CosBehaviour;
  /** Persistent memory: every write of file content, keys, PINs and life cycle goes through it. */
  readonly nvm: Nvm;
  /** Random bytes for challenges. */
  readonly random: (n: number) => Bytes;
  /** Security state of the current environment (see security.ts). */
  security: SecurityState;
  /** Set by the secure-messaging stage for the handler of a secured command. */
  sm?: { key: KeyObject };
  /** When try counters are written (a defect may compare first). */
  readonly tryCounter: 'decrement-first' | 'compare-first';
  currentDf: DedicatedFile;
  currentEf?: ElementaryFile;
  /** Current record number (1-based) in the current EF, §7.3.1. */
  currentRecord?: number;
  /** Last DF-name selection, for SELECT next occurrence (P2 b2-b1 = 10). */
  lastNameSelection?: { name: Bytes; index: number };
  /** Response bytes waiting for GET RESPONSE. */
  pending?: Bytes;
}

export interface HandlerResult {
  data?: Bytes;
  sw?: number;
  /**
   * The handler sized the data to Ne itself (READ BINARY reads a window); the
   * dispatcher's Le rules for "natural length" data do not apply.
   */
  sizedToNe?: boolean;
}

export type Handler = (cmd: CommandApdu, ctx: CardContext) => HandlerResult;

export interface CommandSpec {
  /** Name for traces and diagnostics. */
  name: string;
  /** CLA values the command accepts (besides logical-channel bits, which the card does not support). */
  cla: readonly number[];
  handler: Handler;
  /** When true, a pending GET RESPONSE buffer survives this command (only GET RESPONSE itself). */
  keepsPending?: boolean;
  /**
   * Secure messaging (CLA b3 set: 04, 84): the key whose MAC the command must
   * carry. `required` commands are refused in plain (6982).
   */
  sm?: {
    required: boolean;
    key: (cmd: CommandApdu, ctx: CardContext) => KeyObject;
    /**
     * The application's own MAC scheme (e.g. PBOC issuer scripts: session
     * key from the ATC, MAC over the transaction's ATC and ARQC): replaces
     * the challenge-based check. Returns whether `mac` is right for `body`.
     */
    verify?: (cmd: CommandApdu, body: Bytes, mac: Bytes, ctx: CardContext) => boolean;
  };
  /** Still answers while the application is temporarily blocked (SELECT, GET RESPONSE and GET CHALLENGE always do). */
  whenBlocked?: boolean;
}

export type CommandTable = ReadonlyMap<number, CommandSpec>;

/**
 * An application's own command set (社会保障卡加载金融功能通用规范: each
 * application has its own command-management module): its commands answer
 * only while its environment — the DF with this name directly under the MF —
 * is current; they take precedence over the card's common commands there.
 */
export interface Application {
  name: string;
  dfName: Bytes;
  commands: CommandTable;
}
