/**
 * In-process transport: the simulator behind the channel interface. The
 * bytes are copied both ways so that neither side can alias the other's buffers.
 */
import type { Bytes } from '../core/bytes.ts';
import type { Protocol } from '../core/atr.ts';
import { type CardChannel, TransportError } from '../channel/channel.ts';
import type { SimulatedCard } from './card.ts';
import { PowerLoss } from './nvm.ts';

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
    if (!this.card.isPowered) throw new TransportError('the card is not powered (it lost power; reset it)');
    try {
      return this.card.process(command.slice());
    } catch (e) {
      if (e instanceof PowerLoss) throw new TransportError(`card lost power during the command (${e.message})`, { cause: e });
      throw e;
    }
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
