/**
 * The one interface every card sits behind: the built-in simulator, a PC/SC
 * reader, a vpcd virtual card. Cross-cutting concerns (GET RESPONSE handling,
 * recording, secure messaging) are decorators that implement the same
 * interface around another channel.
 */
import type { Bytes } from '../core/bytes.ts';
import type { Protocol } from '../core/atr.ts';

export interface CardChannel {
  /** ATR of the current power-up. */
  readonly atr: Bytes;
  /** Protocol in use for this session. */
  readonly protocol: Protocol;
  /** Human-readable description of the target: reader name, simulator profile. */
  readonly description: string;
  /** Sends one command APDU, returns the response APDU (data ‖ SW1 SW2). */
  transmit(command: Bytes): Promise<Bytes>;
  /** Resets the card (warm by default; cold = power cycle) and returns the new ATR. */
  reset(cold?: boolean): Promise<Bytes>;
  /** Releases the card. */
  close(): Promise<void>;
}

/** The transport failed: reader removed, card removed, connection lost. Not a card verdict. */
export class TransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/** Base for decorators: forwards everything to the inner channel. */
export abstract class ChannelDecorator implements CardChannel {
  constructor(protected readonly inner: CardChannel) {}
  get atr(): Bytes {
    return this.inner.atr;
  }
  get protocol(): Protocol {
    return this.inner.protocol;
  }
  get description(): string {
    return this.inner.description;
  }
  transmit(command: Bytes): Promise<Bytes> {
    return this.inner.transmit(command);
  }
  reset(cold?: boolean): Promise<Bytes> {
    return this.inner.reset(cold);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
