/**
 * Real cards through PC/SC (pcsc-lite), behind the channel interface. The
 * npm binding `pcsclite` is an optional dependency, loaded only when a PC/SC
 * target is opened; without it, or without pcscd, the user gets one line
 * saying what to install or start. Only the composition root
 * (src/lab/target.ts) imports this module; `ssc-lab readers` lists readers
 * through it.
 */
import { createRequire } from 'node:module';
import type { Bytes } from '../core/bytes.ts';
import type { Protocol } from '../core/atr.ts';
import { type CardChannel, TransportError } from '../channel/channel.ts';

/** The part of the pcsclite binding ssc-lab uses. */
interface PcscReader {
  name: string;
  state: number;
  SCARD_STATE_PRESENT: number;
  SCARD_SHARE_SHARED: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_LEAVE_CARD: number;
  SCARD_RESET_CARD: number;
  SCARD_UNPOWER_CARD: number;
  on(event: 'status', cb: (status: { state: number; atr?: Buffer }) => void): void;
  on(event: 'error', cb: (e: Error) => void): void;
  on(event: 'end', cb: () => void): void;
  connect(options: { share_mode: number; protocol?: number }, cb: (e: Error | null, protocol: number) => void): void;
  disconnect(disposition: number, cb: (e: Error | null) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (e: Error | null, data: Buffer) => void): void;
  close(): void;
}

interface PcscContext {
  on(event: 'reader', cb: (r: PcscReader) => void): void;
  on(event: 'error', cb: (e: Error) => void): void;
  close(): void;
}

/**
 * PC/SC errors that mean the card is gone (pcsclite's SCARD_E_* and
 * SCARD_W_* codes): removed, reset under us, no longer powered, or the
 * transaction cut off.
 */
function lostCard(message: string): boolean {
  return /0x8010000c|0x80100016|0x80100069|0x80100068|0x80100067|0x80100017|removed|No smart card inserted|Transaction failed|not connected/i.test(
    message,
  );
}

/** How long a reset waits for a card that dropped out of the reader to be back. */
const RESET_GRACE_MS = 3000;

export class PcscUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PcscUnavailable';
  }
}

function binding(): () => PcscContext {
  try {
    const require = createRequire(import.meta.url);
    return require('pcsclite') as () => PcscContext;
  } catch (e) {
    throw new PcscUnavailable(
      `the PC/SC binding is not installed (npm package "pcsclite", an optional dependency): install libpcsclite-dev and a C++ toolchain, then run npm install (${(e as Error).message.split('\n')[0]})`,
    );
  }
}

/** A PC/SC context; without pcscd the binding throws at once. */
function context(): PcscContext {
  const create = binding();
  try {
    return create();
  } catch (e) {
    throw new PcscUnavailable(`PC/SC is not available: ${(e as Error).message} (is pcscd running? start it with: pcscd)`);
  }
}

export interface ReaderInfo {
  name: string;
  present: boolean;
  atr?: Bytes;
}

/**
 * The reader `select` names among `readers`: its index in the list sorted by
 * name, its exact name, or a part of its name; the first reader when
 * `select` is undefined.
 */
export function pickReader<T extends { name: string }>(readers: readonly T[], select: string | undefined): T | undefined {
  const sorted = [...readers].sort((a, b) => a.name.localeCompare(b.name));
  if (select === undefined) return sorted[0];
  if (/^\d+$/.test(select)) return sorted[Number(select)];
  return sorted.find((r) => r.name === select) ?? sorted.find((r) => r.name.includes(select));
}

/** The readers pcscd knows, with card presence and ATR, after `settleMs`. */
export async function listReaders(settleMs = 800): Promise<ReaderInfo[]> {
  const pcsc = context();
  const readers = new Map<string, ReaderInfo>();
  const seen: PcscReader[] = [];
  let failure: Error | undefined;
  pcsc.on('error', (e) => (failure = e));
  pcsc.on('reader', (r) => {
    seen.push(r);
    readers.set(r.name, { name: r.name, present: false });
    r.on('error', () => {});
    r.on('status', (s) => {
      const present = (s.state & r.SCARD_STATE_PRESENT) !== 0;
      readers.set(r.name, { name: r.name, present, ...(present && s.atr?.length ? { atr: new Uint8Array(s.atr) } : {}) });
    });
  });
  await new Promise((r) => setTimeout(r, settleMs));
  for (const r of seen) r.close();
  pcsc.close();
  if (failure && readers.size === 0) throw new PcscUnavailable(`PC/SC is not available: ${failure.message} (is pcscd running?)`);
  return [...readers.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A card in a PC/SC reader as a channel. */
export class PcscChannel implements CardChannel {
  private protocolCode = 0;
  private currentAtr: Bytes = new Uint8Array(0);
  private present = false;
  private closed = false;

  private constructor(
    private readonly pcsc: PcscContext,
    readonly reader: PcscReader,
  ) {}

  /** A status event of the reader: card present or not, its ATR. */
  update(state: { present: boolean; atr?: Bytes }): void {
    this.present = state.present;
    if (state.atr) this.currentAtr = state.atr;
  }

  /**
   * Opens the reader named `select` (exact name, a part of it, or its index
   * in the sorted list), waits up to `waitMs` for a card and connects with
   * the protocol the card offers.
   */
  static async open(select: string | undefined, waitMs = 5000): Promise<PcscChannel> {
    const pcsc = context();
    const readers: PcscReader[] = [];
    let failure: Error | undefined;
    pcsc.on('error', (e) => (failure = e));
    const states = new Map<PcscReader, { present: boolean; atr?: Bytes }>();
    let channel: PcscChannel | undefined;
    pcsc.on('reader', (r) => {
      r.on('error', () => {});
      readers.push(r);
      // status events come from the first moment: keep them per reader, hand them to the channel once it exists
      r.on('status', (st) => {
        const present = (st.state & r.SCARD_STATE_PRESENT) !== 0;
        const state = { present, ...(present && st.atr?.length ? { atr: new Uint8Array(st.atr) } : {}) };
        states.set(r, state);
        if (channel && channel.reader === r) channel.update(state);
      });
    });
    const deadline = Date.now() + waitMs;
    let reader = pickReader(readers, select);
    while (!reader && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      reader = pickReader(readers, select);
    }
    if (!reader) {
      for (const r of readers) r.close();
      pcsc.close();
      if (failure) throw new PcscUnavailable(`PC/SC is not available: ${failure.message} (is pcscd running?)`);
      throw new PcscUnavailable(select === undefined ? 'no PC/SC reader' : `no PC/SC reader "${select}" (ssc-lab readers lists them)`);
    }
    for (const r of readers) if (r !== reader) r.close();
    channel = new PcscChannel(pcsc, reader);
    const known = states.get(reader);
    if (known) channel.update(known);
    while (!channel.present && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!channel.present) {
      await channel.close();
      throw new PcscUnavailable(`no card in the reader "${reader.name}"`);
    }
    await channel.connect();
    return channel;
  }

  get description(): string {
    return this.reader.name;
  }

  get atr(): Bytes {
    return this.currentAtr;
  }

  get protocol(): Protocol {
    return this.protocolCode === this.reader.SCARD_PROTOCOL_T1 ? 'T=1' : 'T=0';
  }

  private connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.reader.connect(
        { share_mode: this.reader.SCARD_SHARE_SHARED, protocol: this.reader.SCARD_PROTOCOL_T0 | this.reader.SCARD_PROTOCOL_T1 },
        (e, protocol) => {
          if (e)
            reject(
              new TransportError(
                lostCard(e.message)
                  ? `no card in the reader "${this.reader.name}" (${e.message})`
                  : `cannot connect to the card in "${this.reader.name}": ${e.message}`,
              ),
            );
          else {
            this.protocolCode = protocol;
            resolve();
          }
        },
      );
    });
  }

  private disconnect(disposition: number): Promise<void> {
    return new Promise((resolve) => this.reader.disconnect(disposition, () => resolve()));
  }

  async transmit(command: Bytes): Promise<Bytes> {
    if (this.closed) throw new TransportError('the reader has been released');
    if (!this.present) throw new TransportError(`the card was removed from "${this.reader.name}"`);
    return new Promise((resolve, reject) => {
      this.reader.transmit(Buffer.from(command), 65538, this.protocolCode, (e, data) => {
        const head = Buffer.from(command.slice(0, 4)).toString('hex').toUpperCase();
        if (e)
          reject(
            new TransportError(
              lostCard(e.message)
                ? `the card was removed from "${this.reader.name}" during the command ${head}… (${e.message})`
                : `${this.reader.name}: ${e.message}`,
            ),
          );
        // a reader that loses the card in the middle of an exchange hands back nothing at all
        else if (data.length === 0)
          reject(
            new TransportError(
              `the card was removed from "${this.reader.name}" during the command ${head}…: no answer, not even a status word`,
            ),
          );
        else resolve(new Uint8Array(data));
      });
    });
  }

  /** Warm reset (SCARD_RESET_CARD) or cold (SCARD_UNPOWER_CARD), then reconnect; returns the ATR. */
  async reset(cold = false): Promise<Bytes> {
    if (this.closed) throw new TransportError('the reader has been released');
    await this.disconnect(cold ? this.reader.SCARD_UNPOWER_CARD : this.reader.SCARD_RESET_CARD);
    // A card that went silent (a power cut) may leave the reader for a moment and come back, as
    // a virtual card does through vpcd: give it RESET_GRACE_MS to be there and answer again.
    const deadline = Date.now() + RESET_GRACE_MS;
    for (;;) {
      while (!this.present && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      if (!this.present) throw new TransportError(`the card was removed from "${this.reader.name}"`);
      try {
        await this.connect();
        break;
      } catch (e) {
        if (Date.now() >= deadline || !lostCard((e as Error).message)) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    // the status event brings the new ATR; give it a moment
    await new Promise((r) => setTimeout(r, 20));
    return this.currentAtr;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.disconnect(this.reader.SCARD_LEAVE_CARD).catch(() => {});
    this.reader.close();
    this.pcsc.close();
  }
}
