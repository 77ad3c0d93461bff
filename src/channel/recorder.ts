/**
 * Records every exchange that passes through it, with wall-clock time and
 * duration, for the report's APDU trace. Sits directly on the transport so
 * that GET RESPONSE and re-issued commands appear as the card saw them.
 */
import type { Bytes } from '../core/bytes.ts';
import { ChannelDecorator, type CardChannel } from './channel.ts';

export type ExchangeKind = 'apdu' | 'reset';

export interface Exchange {
  /** Sequence number within the recorder, from 1. */
  seq: number;
  kind: ExchangeKind;
  /** Epoch milliseconds when the command was sent. */
  at: number;
  /** Duration in milliseconds (fractional). */
  durationMs: number;
  command: Bytes;
  /** Response APDU (or the ATR for a reset); empty when the transport failed. */
  response: Bytes;
  /** Transport failure message, when there was no response. */
  error?: string;
}

export class RecordingChannel extends ChannelDecorator {
  private readonly log: Exchange[] = [];
  private seq = 0;

  constructor(inner: CardChannel) {
    super(inner);
  }

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

  clear(): void {
    this.log.length = 0;
  }

  override async transmit(command: Bytes): Promise<Bytes> {
    return this.record('apdu', command, () => this.inner.transmit(command));
  }

  override async reset(cold?: boolean): Promise<Bytes> {
    return this.record('reset', new Uint8Array(0), () => this.inner.reset(cold));
  }

  private async record(kind: ExchangeKind, command: Bytes, op: () => Promise<Bytes>): Promise<Bytes> {
    const at = Date.now();
    const t0 = performance.now();
    const entry: Exchange = { seq: ++this.seq, kind, at, durationMs: 0, command: command.slice(), response: new Uint8Array(0) };
    this.log.push(entry);
    try {
      const response = await op();
      entry.response = response.slice();
      return response;
    } catch (e) {
      entry.error = e instanceof Error ? e.message : String(e);
      throw e;
    } finally {
      entry.durationMs = performance.now() - t0;
    }
  }
}
