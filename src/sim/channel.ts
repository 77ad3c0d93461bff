/**
 * In-process transport: the simulator behind the channel interface. The
 * bytes are copied both ways so that neither side can alias the other's buffers.
 */
import type { Bytes } from '../core/bytes.ts';
import type { Protocol } from '../core/atr.ts';
import { type CardChannel, TransportError } from '../channel/channel.ts';
import type { SimulatedCard } from './card.ts';

export class SimulatorChannel implements CardChannel {
  private closed = false;
  private currentAtr: Bytes;

  constructor(
    private readonly card: SimulatedCard,
    readonly description: string,
  ) {
    this.currentAtr = card.reset();
  }

  get atr(): Bytes {
    return this.currentAtr;
  }

  get protocol(): Protocol {
    return this.card.protocol;
  }

  async transmit(command: Bytes): Promise<Bytes> {
    if (this.closed) throw new TransportError('the simulated card has been released');
    return this.card.process(command.slice());
  }

  async reset(_cold?: boolean): Promise<Bytes> {
    if (this.closed) throw new TransportError('the simulated card has been released');
    this.currentAtr = this.card.reset();
    return this.currentAtr.slice();
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
