/**
 * The one APDU recorder: every power-up, reset and command exchange that
 * passes a point of the card path, with wall-clock time and duration, for the
 * report's APDU trace and the terminal-test checks. It records wherever the
 * card is reached: as a decorator sitting directly on the transport
 * ({@link RecordingChannel}), so that GET RESPONSE and re-issued commands
 * appear as the card saw them, and where a simulated card is served to pcscd
 * (vpcd/recording-card.ts), so that a terminal under test cannot bypass it.
 */
import { performance } from 'node:perf_hooks';
import type { Bytes } from '../core/bytes.ts';
import { ChannelDecorator, type CardChannel } from './channel.ts';

export type ExchangeKind = 'apdu' | 'reset';

export interface Exchange {
  /** Sequence number within the recorder, from 1. */
  seq: number;
  kind: ExchangeKind;
  /** Epoch milliseconds (fractional) when the command was sent. */
  at: number;
  /** Duration in milliseconds (fractional). */
  durationMs: number;
  command: Bytes;
  /** Response APDU (or the ATR for a reset); empty when the transport failed. */
  response: Bytes;
  /** Transport failure message, when there was no response. */
  error?: string;
}

/** The process's time origin, read once: it does not change while the process runs. */
const ORIGIN = performance.timeOrigin;

/** One clock for every recorder: epoch milliseconds that never run backwards within the process. */
function now(): number {
  return ORIGIN + performance.now();
}

/** The response of an exchange still under way (or failed): nothing. Shared, it has no byte to change. */
const NO_RESPONSE: Bytes = new Uint8Array(0);

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The exchange log: numbering, timing and copies of the bytes. Records a
 * card operation given as a function, synchronous (a card served in this
 * process) or asynchronous (a channel); a failure is recorded with its message
 * and rethrown.
 */
export class ExchangeRecorder {
  private readonly log: Exchange[] = [];
  private seq = 0;

  /** All exchanges so far. */
  get exchanges(): readonly Exchange[] {
    return this.log;
  }

  /** Index to pass later to {@link since}. */
  mark(): number {
    return this.log.length;
  }

  since(mark: number): Exchange[] {
    return this.log.slice(mark);
  }

  /** Empties the log; the numbering goes on. */
  clear(): void {
    this.log.length = 0;
  }

  /** Records a synchronous operation. */
  record(kind: ExchangeKind, command: Bytes, op: () => Bytes): Bytes {
    const entry = this.begin(kind, command);
    try {
      return this.answered(entry, op());
    } catch (e) {
      this.failed(entry, e);
      throw e;
    }
  }

  /** Records an asynchronous operation. */
  async recordAsync(kind: ExchangeKind, command: Bytes, op: () => Promise<Bytes>): Promise<Bytes> {
    const entry = this.begin(kind, command);
    try {
      return this.answered(entry, await op());
    } catch (e) {
      this.failed(entry, e);
      throw e;
    }
  }

  /**
   * Opens the entry of an exchange about to start: numbered, timed from now,
   * with its own copy of the command. {@link answered} or {@link failed} closes it.
   */
  begin(kind: ExchangeKind, command: Bytes): Exchange {
    const entry: Exchange = { seq: ++this.seq, kind, at: now(), durationMs: 0, command: command.slice(), response: NO_RESPONSE };
    this.log.push(entry);
    return entry;
  }

  /** Closes an entry with its response (copied) and returns the response. */
  answered(entry: Exchange, response: Bytes): Bytes {
    entry.response = response.slice();
    entry.durationMs = now() - entry.at;
    return response;
  }

  /** Closes an entry whose operation failed with `e`. */
  failed(entry: Exchange, e: unknown): void {
    entry.error = message(e);
    entry.durationMs = now() - entry.at;
  }
}

/** The recorder as a channel decorator: what passes through it is logged. */
export class RecordingChannel extends ChannelDecorator {
  readonly log = new ExchangeRecorder();

  constructor(inner: CardChannel) {
    super(inner);
  }

  /** All exchanges so far. */
  get exchanges(): readonly Exchange[] {
    return this.log.exchanges;
  }

  /** Index to pass later to {@link since}. */
  mark(): number {
    return this.log.mark();
  }

  since(mark: number): Exchange[] {
    return this.log.since(mark);
  }

  clear(): void {
    this.log.clear();
  }

  override async transmit(command: Bytes): Promise<Bytes> {
    // recordAsync without its closure: this runs for every APDU of a session.
    const entry = this.log.begin('apdu', command);
    try {
      return this.log.answered(entry, await this.inner.transmit(command));
    } catch (e) {
      this.log.failed(entry, e);
      throw e;
    }
  }

  override reset(cold?: boolean): Promise<Bytes> {
    return this.log.recordAsync('reset', new Uint8Array(0), () => this.inner.reset(cold));
  }
}
