/**
 * The "spy" of a card–terminal connection (digest §5: commercial tools record
 * the card–terminal traffic): a virtual card that records every power-up,
 * reset and APDU exchange passing through it, where the card is served. The
 * terminal under test cannot bypass it, so the trace is what the card saw.
 */
import { performance } from 'node:perf_hooks';
import type { Exchange } from '../channel/recorder.ts';
import type { Bytes } from '../core/bytes.ts';
import type { VirtualCard } from './card-server.ts';

const now = (): number => performance.timeOrigin + performance.now();

export class RecordingVirtualCard implements VirtualCard {
  private readonly log: Exchange[] = [];
  readonly powerOn?: () => Bytes;

  constructor(private readonly inner: VirtualCard) {
    if (inner.powerOn) {
      const powerOn = inner.powerOn.bind(inner);
      this.powerOn = () => this.record('reset', new Uint8Array(0), powerOn);
    }
  }

  get exchanges(): readonly Exchange[] {
    return this.log;
  }

  reset(): Bytes {
    return this.record('reset', new Uint8Array(0), () => this.inner.reset());
  }

  process(apdu: Bytes): Bytes {
    return this.record('apdu', apdu, () => this.inner.process(apdu));
  }

  private record(kind: Exchange['kind'], command: Bytes, op: () => Bytes): Bytes {
    const at = now();
    const entry: Exchange = { seq: this.log.length + 1, kind, at, durationMs: 0, command: command.slice(), response: new Uint8Array(0) };
    this.log.push(entry);
    try {
      entry.response = op().slice();
      return entry.response;
    } catch (e) {
      entry.error = (e as Error).message;
      throw e;
    } finally {
      entry.durationMs = now() - at;
    }
  }
}
