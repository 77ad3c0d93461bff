/**
 * The "spy" of a card–terminal connection, as commercial test tools record
 * the card–terminal traffic (docs/sources.md §6): a virtual card that records every power-up,
 * reset and APDU exchange passing through it, where the card is served. The
 * terminal under test cannot bypass it, so the trace is what the card saw.
 * The recording itself is the channel recorder's ({@link ExchangeRecorder}).
 */
import { ExchangeRecorder, type Exchange } from '../channel/recorder.ts';
import type { Bytes } from '../core/bytes.ts';
import type { VirtualCard } from './card-server.ts';

export class RecordingVirtualCard implements VirtualCard {
  readonly recorder = new ExchangeRecorder();
  readonly powerOn?: () => Bytes;

  constructor(private readonly inner: VirtualCard) {
    if (inner.powerOn) {
      const powerOn = inner.powerOn.bind(inner);
      this.powerOn = () => this.recorder.record('reset', new Uint8Array(0), powerOn);
    }
  }

  get exchanges(): readonly Exchange[] {
    return this.recorder.exchanges;
  }

  reset(): Bytes {
    return this.recorder.record('reset', new Uint8Array(0), () => this.inner.reset());
  }

  process(apdu: Bytes): Bytes {
    return this.recorder.record('apdu', apdu, () => this.inner.process(apdu));
  }
}
