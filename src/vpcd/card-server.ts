/**
 * The simulator as a PC/SC card through vsmartcard's vpcd driver (docs/sources.md §6):
 * pcscd's vpcd shows a virtual reader and listens on TCP (port 35963); the
 * virtual card connects to it as a client. Every message, both ways, is a
 * 2-byte big-endian length and the payload. A one-byte message from vpcd is
 * a control: 00 power off, 01 power on, 02 reset, 04 get ATR (answered with
 * the ATR); anything longer is a command APDU, answered with the response
 * APDU. Debian's vpcd writes length and body separately, so frames are
 * reassembled from whatever the TCP stream delivers.
 *
 * A power cut (a tear armed on the simulated card) leaves the card in the
 * reader, silent: vpcd waits for an answer for ever, and an empty frame
 * blocks it as well, so the card answers one byte, which no response APDU
 * is (it has no status word). The terminal's exchange fails, and the card
 * comes back through the reset the terminal asks for, as a torn card in a
 * real reader does: no reinsertion, no wait for pcscd to see the card go
 * and come back (it polls vpcd every 400 ms).
 */
import { Socket } from 'node:net';
import type { Bytes } from '../core/bytes.ts';

export const VPCD_PORT = 35963;

export const VPCD_CONTROL = { POWER_OFF: 0x00, POWER_ON: 0x01, RESET: 0x02, GET_ATR: 0x04 } as const;

/** What a card that lost power in the middle of a command hands vpcd: one byte, no status word. */
export const TORN_ANSWER: Bytes = Uint8Array.of(0x00);

/** What vpcd drives: a card with power, reset and APDUs (the simulated card fits). */
export interface VirtualCard {
  /** Warm reset (and power-up, unless `powerOn` is given): the ATR. */
  reset(): Bytes;
  /** Power-up after power off, when it differs from a warm reset (a fresh sample): the ATR. */
  powerOn?(): Bytes;
  /** One command APDU → the response APDU. */
  process(apdu: Bytes): Bytes;
}

/** Reassembles length-prefixed frames from a byte stream split anywhere. */
export class FrameReader {
  private buffer: Bytes = new Uint8Array(0);

  /** Adds received bytes; returns the frames completed by them. */
  push(chunk: Bytes): Bytes[] {
    if (this.buffer.length === 0) this.buffer = chunk;
    else {
      const merged = new Uint8Array(this.buffer.length + chunk.length);
      merged.set(this.buffer);
      merged.set(chunk, this.buffer.length);
      this.buffer = merged;
    }
    const frames: Bytes[] = [];
    while (this.buffer.length >= 2) {
      const len = (this.buffer[0]! << 8) | this.buffer[1]!;
      if (this.buffer.length < 2 + len) break;
      frames.push(this.buffer.slice(2, 2 + len));
      this.buffer = this.buffer.slice(2 + len);
    }
    return frames;
  }

  /** Bytes waiting for the rest of their frame. */
  get pending(): number {
    return this.buffer.length;
  }
}

export function frame(payload: Bytes): Bytes {
  if (payload.length > 0xffff) throw new RangeError(`a vpcd frame carries at most 65535 bytes, got ${payload.length}`);
  const out = new Uint8Array(2 + payload.length);
  out[0] = payload.length >> 8;
  out[1] = payload.length & 0xff;
  out.set(payload, 2);
  return out;
}

export interface CardServerOptions {
  host: string;
  port: number;
  /** Delay before reconnecting after the connection is lost or refused (pcscd restarting). */
  reconnectMs?: number;
  /** Delay before every answer to an APDU (a slow card). */
  delayMs?: number;
  log?: (line: string) => void;
}

export interface CardServerStats {
  connections: number;
  apdus: number;
  controls: number;
}

/**
 * Connects a virtual card to vpcd and answers it until stopped; reconnects
 * when pcscd (re)starts or the connection drops.
 */
export class VpcdCardServer {
  private socket?: Socket;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private powered = false;
  private atr?: Bytes;
  readonly stats: CardServerStats = { connections: 0, apdus: 0, controls: 0 };
  private connectedOnce?: () => void;

  constructor(
    private readonly card: VirtualCard,
    private readonly options: CardServerOptions,
  ) {}

  private log(line: string): void {
    this.options.log?.(line);
  }

  /** Starts connecting; resolves when the first connection is up. */
  start(): Promise<void> {
    this.stopped = false;
    return new Promise((resolve) => {
      this.connectedOnce = resolve;
      this.connect();
    });
  }

  private connect(): void {
    if (this.stopped) return;
    const socket = new Socket();
    this.socket = socket;
    const reader = new FrameReader();
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.stats.connections++;
      this.log(`connected to vpcd at ${this.options.host}:${this.options.port}`);
      this.connectedOnce?.();
      this.connectedOnce = undefined;
    });
    socket.on('data', (chunk: Buffer) => {
      for (const f of reader.push(new Uint8Array(chunk))) this.answer(socket, f);
    });
    socket.on('error', (e) => this.log(`vpcd connection: ${e.message}`));
    socket.on('close', () => {
      this.powered = false;
      if (this.stopped) return;
      const wait = this.options.reconnectMs ?? 1000;
      this.log(`vpcd connection closed; reconnecting in ${wait} ms`);
      this.timer = setTimeout(() => this.connect(), wait);
    });
    socket.connect(this.options.port, this.options.host);
  }

  private answer(socket: Socket, message: Bytes): void {
    if (message.length === 1) {
      this.stats.controls++;
      switch (message[0]) {
        case VPCD_CONTROL.POWER_OFF:
          this.powered = false;
          return;
        case VPCD_CONTROL.POWER_ON:
          this.atr = this.card.powerOn ? this.card.powerOn() : this.card.reset();
          this.powered = true;
          return;
        case VPCD_CONTROL.RESET:
          this.atr = this.card.reset();
          this.powered = true;
          return;
        case VPCD_CONTROL.GET_ATR:
          this.atr ??= this.card.reset();
          socket.write(frame(this.atr));
          return;
        default:
          this.log(`unknown vpcd control byte ${message[0]!.toString(16)}`);
          return;
      }
    }
    this.stats.apdus++;
    if (!this.powered) {
      this.atr = this.card.reset();
      this.powered = true;
    }
    let response: Bytes;
    try {
      response = this.card.process(message);
    } catch (e) {
      this.log(`the card did not answer: ${(e as Error).message}`);
      this.powered = false;
      // the server is stopping (the card is pulled out with this command unanswered): the card leaves the reader,
      // vpcd hands the terminal no bytes (vicc_transmit ejects on a short read)
      if (this.stopped) socket.destroy();
      // a power cut: the card stays in the reader, silent (see TORN_ANSWER), until the terminal resets it
      else socket.write(frame(TORN_ANSWER));
      return;
    }
    const delay = this.options.delayMs ?? 0;
    if (delay > 0) setTimeout(() => socket.write(frame(response)), delay);
    else socket.write(frame(response));
  }

  /** Disconnects and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const s = this.socket;
    if (!s || s.destroyed) return;
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.end();
      setTimeout(() => {
        s.destroy();
        resolve();
      }, 500).unref();
    });
  }
}

/**
 * "HOST:PORT", "HOST" or ":PORT" → host and port (defaults 127.0.0.1 and
 * 35963, vpcd's). With `portRequired` the port must be given: an address of
 * the lab's own (the fixture control) has no default.
 */
export function parseEndpoint(text: string | undefined, options: { portRequired?: boolean } = {}): { host: string; port: number } {
  if (!text && !options.portRequired) return { host: '127.0.0.1', port: VPCD_PORT };
  const m = /^([^:]*)(?::(\d+))?$/.exec(text ?? '');
  if (!m || (options.portRequired && !m[2])) throw new RangeError(`give HOST:PORT, got "${text ?? ''}"`);
  const port = m[2] ? Number(m[2]) : VPCD_PORT;
  if (port < 1 || port > 65535) throw new RangeError(`port ${port} is not 1–65535`);
  return { host: m[1] || '127.0.0.1', port };
}
