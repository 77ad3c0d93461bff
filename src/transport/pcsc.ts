/**
 * Real cards through PC/SC (pcsc-lite), behind the channel interface. The
 * npm binding `pcsclite` is an optional dependency, loaded only when a PC/SC
 * target is opened; without it, or without pcscd, the user gets one line
 * saying what to install or start. Only the composition root
 * (src/lab/target.ts) imports this module; `ssc-lab readers` lists readers
 * through it.
 *
 * A process keeps one PC/SC context with its readers and their card state,
 * kept up to date by the binding's events, for as long as channels use it
 * and IDLE_CLOSE_MS after the last one is released: a run opens the reader
 * once per scenario, and each open then costs one SCardConnect, not a
 * context, two watcher threads and the wait for their first events. Every
 * wait (a reader, a card, a card back after a power cut) is on those events,
 * never a polling loop.
 */
import { createRequire } from 'node:module';
import type { Bytes } from '../core/bytes.ts';
import type { Protocol } from '../core/atr.ts';
import { type CardChannel, TransportError } from '../channel/channel.ts';

/** The part of the pcsclite binding ssc-lab uses. */
interface PcscReader {
  name: string;
  /** Set by the binding while it holds a card handle. */
  connected: boolean;
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
  connect(options: { share_mode: number; protocol?: number }, cb: (e: Error | null, protocol?: number) => void): void;
  disconnect(disposition: number, cb: (e: Error | null) => void): void;
  /** The binding takes any Uint8Array (node's Buffer::HasInstance is "an ArrayBufferView"). */
  transmit(data: Uint8Array, resLen: number, protocol: number, cb: (e: Error | null, data: Buffer) => void): void;
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
/** How long the context stays open after the last channel is released, for the next one (the next scenario). */
export const IDLE_CLOSE_MS = 200;
/** Quiet time after a reader's last event before its watcher thread is stopped (see ReaderWatch.stopWatcher). */
const QUIET_MS = 20;
/** How long a stopped watcher has to report its end. */
const END_MS = 500;

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

/**
 * The response buffer to ask of PC/SC for a command: the 256 data bytes and
 * the status word a short command allows at most (ISO/IEC 7816-4 §5.1), or
 * 65536 and the status word for an extended one (Lc or Le on three bytes,
 * the first 00). The size costs nothing measurable per exchange; a card that
 * answers a short command with more fails the exchange with PC/SC's
 * "insufficient buffer".
 */
export function responseLength(command: Bytes): number {
  return command.length >= 7 && command[4] === 0 ? 65538 : 258;
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

/** What a context knows of one reader, from the binding's events. */
interface Slot {
  readonly name: string;
  readonly reader: PcscReader;
  present: boolean;
  atr?: Bytes;
  /** Status events so far: the first one shows the binding's watcher thread is running. */
  events: number;
  lastEvent: number;
  /** The watcher reported its end: stopped, or the reader is gone. */
  ended: boolean;
  /** The channel of this process using the reader. */
  user?: PcscChannel;
}

/**
 * Event waits: `until(done, ms)` resolves true as soon as `done()` holds after
 * some event, false when it still does not after `ms`. Events are looked at
 * once the turn of the loop that brought them is over, so that a burst (the
 * binding announces all readers of a listing in one go) is seen whole.
 */
export class EventWaits {
  private readonly waiters = new Set<() => void>();
  private scheduled = false;

  /** Something changed: every waiter looks again, after the current turn. */
  changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      for (const w of [...this.waiters]) w();
    });
  }

  until(done: () => boolean, ms: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    if (ms <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      const check = () => {
        if (done()) finish(true);
      };
      const timer = setTimeout(() => finish(done()), ms);
      this.waiters.add(check);
    });
  }

  /** Waiters now waiting. */
  get size(): number {
    return this.waiters.size;
  }
}

/** Watchers that did not report their end after being stopped (see ReaderWatch.stopWatcher): each holds the process's loop. */
let leakedWatchers = 0;

/** Binding watchers stopped without reporting their end in this process; each one keeps the process from exiting on its own. */
export function leakedPcscWatchers(): number {
  return leakedWatchers;
}

/** One PC/SC context, its readers and their card state. */
class ReaderWatch {
  readonly slots = new Map<string, Slot>();
  readonly waits = new EventWaits();
  failure?: Error;
  /** Channels and listings using the context (the shared one closes when none has for IDLE_CLOSE_MS). */
  users = 0;
  idleTimer?: NodeJS.Timeout;
  private closing?: Promise<void>;
  private readonly pcsc: PcscContext;

  constructor() {
    this.pcsc = context();
    this.pcsc.on('error', (e) => {
      if (this.closing) return;
      this.failure = e;
      this.waits.changed();
    });
    this.pcsc.on('reader', (r) => this.add(r));
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  private add(reader: PcscReader): void {
    const slot: Slot = { name: reader.name, reader, present: false, events: 0, lastEvent: 0, ended: false };
    this.slots.set(reader.name, slot);
    reader.on('error', () => {});
    reader.on('status', (s) => {
      slot.present = (s.state & reader.SCARD_STATE_PRESENT) !== 0;
      if (slot.present && s.atr?.length) slot.atr = new Uint8Array(s.atr);
      slot.events++;
      slot.lastEvent = Date.now();
      this.waits.changed();
    });
    reader.on('end', () => {
      slot.ended = true;
      slot.present = false;
      if (this.slots.get(slot.name) === slot) this.slots.delete(slot.name);
      this.waits.changed();
    });
    // a reader announced while the context closes (a listing already under way) is stopped too
    if (this.closing) void this.closing.then(() => this.stopWatcher(slot));
    this.waits.changed();
  }

  /** The reader `select` names, once the binding has listed the readers. */
  pick(select: string | undefined): Slot | undefined {
    return pickReader([...this.slots.values()], select);
  }

  /** The reader `select` names, once the binding has listed it; PcscUnavailable when it does not within `ms`. */
  async reader(select: string | undefined, ms: number): Promise<Slot> {
    let slot: Slot | undefined;
    const found = () => {
      slot = this.pick(select);
      return slot !== undefined || this.failure !== undefined;
    };
    await this.waits.until(found, ms);
    if (!slot) throw unavailable(this, select);
    return slot;
  }

  /** True once every reader listed has reported its state. */
  get settled(): boolean {
    return this.slots.size > 0 && [...this.slots.values()].every((s) => s.events > 0 || s.ended);
  }

  /**
   * Stops the binding's watcher thread of a reader. pcsclite 1.0.1 stops it
   * with SCardCancel and a flag; a thread the flag reaches between two waits
   * (just after reporting an event, or before its first wait) ends without
   * closing its libuv handle, and that handle keeps the process's loop alive
   * for ever (CardReader::HandlerFunction). So the watcher is stopped only
   * once it has reported its first state and the reader has been quiet for
   * QUIET_MS — then it sits in SCardGetStatusChange, where the cancel finds
   * it — and its end is checked.
   */
  private async stopWatcher(slot: Slot): Promise<void> {
    await this.waits.until(() => slot.events > 0 || slot.ended, END_MS);
    for (let quiet = Date.now() - slot.lastEvent; !slot.ended && quiet < QUIET_MS; quiet = Date.now() - slot.lastEvent) {
      await new Promise((r) => setTimeout(r, QUIET_MS - quiet));
    }
    slot.reader.close();
    if (!(await this.waits.until(() => slot.ended, END_MS))) leakedWatchers++;
  }

  /** Stops every watcher, then the context. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      await Promise.all([...this.slots.values()].map((s) => this.stopWatcher(s)));
      this.pcsc.close();
    })();
    return this.closing;
  }
}

/** The context this process keeps for its channels. */
let shared: ReaderWatch | undefined;

function acquire(): ReaderWatch {
  // a context whose pcscd went away is dropped for a new one
  if (shared && (shared.closed || (shared.failure && shared.slots.size === 0))) {
    const old = shared;
    shared = undefined;
    if (!old.closed && old.users === 0) void old.close();
  }
  shared ??= new ReaderWatch();
  shared.users++;
  if (shared.idleTimer) clearTimeout(shared.idleTimer);
  shared.idleTimer = undefined;
  return shared;
}

function release(watch: ReaderWatch): Promise<void> {
  watch.users--;
  if (watch !== shared) return watch.users === 0 ? watch.close() : Promise.resolve();
  if (watch.users === 0) {
    watch.idleTimer = setTimeout(() => {
      if (watch.users > 0) return;
      if (shared === watch) shared = undefined;
      void watch.close();
    }, IDLE_CLOSE_MS);
    // the binding's threads keep the loop alive until the close; this timer alone need not
    watch.idleTimer.unref();
  }
  return Promise.resolve();
}

/**
 * Closes the PC/SC context kept for the next channel now, rather than
 * IDLE_CLOSE_MS after the last channel was released. Channels still open
 * keep it until they close.
 */
export async function releasePcsc(): Promise<void> {
  const watch = shared;
  if (!watch || watch.users > 0) return;
  shared = undefined;
  await watch.close();
}

function unavailable(watch: ReaderWatch, select: string | undefined): PcscUnavailable {
  if (watch.failure) return new PcscUnavailable(`PC/SC is not available: ${watch.failure.message} (is pcscd running?)`);
  return new PcscUnavailable(select === undefined ? 'no PC/SC reader' : `no PC/SC reader "${select}" (ssc-lab readers lists them)`);
}

/** The readers pcscd knows, with card presence and ATR, once each has reported it (`settleMs` at most). */
export async function listReaders(settleMs = 800): Promise<ReaderInfo[]> {
  const watch = acquire();
  try {
    await watch.waits.until(() => watch.settled || watch.failure !== undefined, settleMs);
    if (watch.failure && watch.slots.size === 0) throw unavailable(watch, undefined);
    return [...watch.slots.values()]
      .map((s) => ({ name: s.name, present: s.present, ...(s.present && s.atr ? { atr: s.atr } : {}) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    await release(watch);
  }
}

/**
 * Waits until the reader `select` shows a card (`present`) or no card; false
 * when it does not within `timeoutMs` (or there is no such reader).
 */
export async function waitForCard(select: string, present: boolean, timeoutMs: number): Promise<boolean> {
  const watch = acquire();
  try {
    return await watch.waits.until(() => {
      const slot = watch.pick(select);
      return slot !== undefined && slot.events > 0 && slot.present === present;
    }, timeoutMs);
  } finally {
    await release(watch);
  }
}

/** A card in a PC/SC reader as a channel. */
export class PcscChannel implements CardChannel {
  private protocolCode = 0;
  private closed = false;
  /** The ATR of the last power-up, for when the reader's state has none (the card left). */
  private lastAtr: Bytes = new Uint8Array(0);

  private constructor(
    private readonly watch: ReaderWatch,
    private readonly slot: Slot,
  ) {}

  get reader(): PcscReader {
    return this.slot.reader;
  }

  /**
   * Opens the reader named `select` (exact name, a part of it, or its index
   * in the sorted list), waits up to `waitMs` for a card and connects with
   * the protocol the card offers.
   */
  static async open(select: string | undefined, waitMs = 5000): Promise<PcscChannel> {
    const deadline = Date.now() + waitMs;
    let watch = acquire();
    try {
      let slot = await watch.reader(select, waitMs);
      if (slot.user || slot.reader.connected) {
        // this process already uses the reader (a second channel to it): a context of its own, as another process would have
        const own = new ReaderWatch();
        own.users++;
        const previous = watch;
        watch = own;
        await release(previous);
        slot = await watch.reader(slot.name, deadline - Date.now());
      }
      const found = slot;
      await watch.waits.until(() => found.present || found.ended, deadline - Date.now());
      if (!found.present) throw new PcscUnavailable(`no card in the reader "${found.name}"`);
      const channel = new PcscChannel(watch, found);
      found.user = channel;
      try {
        await channel.connect();
      } catch (e) {
        found.user = undefined;
        throw e;
      }
      return channel;
    } catch (e) {
      await release(watch);
      throw e;
    }
  }

  get description(): string {
    return this.slot.name;
  }

  get atr(): Bytes {
    return this.slot.atr ?? this.lastAtr;
  }

  get protocol(): Protocol {
    return this.protocolCode === this.reader.SCARD_PROTOCOL_T1 ? 'T=1' : 'T=0';
  }

  private async connect(): Promise<void> {
    const reader = this.reader;
    // a handle the binding still holds (a disconnect that failed) would make it skip the connection
    if (reader.connected) await this.disconnect(reader.SCARD_LEAVE_CARD);
    const protocol = await new Promise<number | undefined>((resolve, reject) => {
      reader.connect({ share_mode: reader.SCARD_SHARE_SHARED, protocol: reader.SCARD_PROTOCOL_T0 | reader.SCARD_PROTOCOL_T1 }, (e, p) => {
        if (!e) resolve(p);
        else if (lostCard(e.message)) reject(new TransportError(`no card in the reader "${this.slot.name}" (${e.message})`));
        else reject(new TransportError(`cannot connect to the card in "${this.slot.name}": ${e.message}`));
      });
    });
    if (protocol === undefined)
      throw new TransportError(`cannot connect to the card in "${this.slot.name}": the binding kept an earlier connection`);
    this.protocolCode = protocol;
    if (this.slot.atr) this.lastAtr = this.slot.atr;
  }

  private disconnect(disposition: number): Promise<void> {
    return new Promise((resolve) => this.reader.disconnect(disposition, () => resolve()));
  }

  /** The error of a failed exchange, its command named by its header. */
  private failed(command: Bytes, why: string, lost: boolean): TransportError {
    const head = Buffer.from(command.subarray(0, 4)).toString('hex').toUpperCase();
    return new TransportError(
      lost
        ? `the card was removed from "${this.slot.name}" during the command ${head}…${why}`
        : `${this.slot.name}: ${why} (command ${head}…)`,
    );
  }

  transmit(command: Bytes): Promise<Bytes> {
    if (this.closed) return Promise.reject(new TransportError('the reader has been released'));
    if (!this.slot.present) return Promise.reject(new TransportError(`the card was removed from "${this.slot.name}"`));
    return new Promise((resolve, reject) => {
      this.reader.transmit(command, responseLength(command), this.protocolCode, (e, data) => {
        if (e) reject(lostCard(e.message) ? this.failed(command, ` (${e.message})`, true) : this.failed(command, e.message, false));
        // a reader that loses the card in the middle of an exchange hands back nothing at all
        else if (data.length === 0) reject(this.failed(command, ': no answer, not even a status word', true));
        // a card that stopped answering mid-response (a power cut, see src/vpcd/card-server.ts): no status word
        else if (data.length < 2) reject(this.failed(command, `the card stopped answering: ${data.length} byte, no status word`, false));
        // the binding's buffer is the response's own: a view, not a copy
        else resolve(new Uint8Array(data.buffer, data.byteOffset, data.length));
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
      await this.watch.waits.until(() => this.slot.present || this.slot.ended, deadline - Date.now());
      if (!this.slot.present) throw new TransportError(`the card was removed from "${this.slot.name}"`);
      const events = this.slot.events;
      try {
        await this.connect();
        break;
      } catch (e) {
        if (Date.now() >= deadline || !lostCard((e as Error).message)) throw e;
        // pcscd has not seen the card leave yet: its next event, or another try shortly
        await this.watch.waits.until(() => this.slot.events !== events, Math.min(50, deadline - Date.now()));
      }
    }
    return this.atr;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.disconnect(this.reader.SCARD_LEAVE_CARD);
    if (this.slot.user === this) this.slot.user = undefined;
    await release(this.watch);
  }
}
