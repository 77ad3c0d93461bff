/**
 * Harness operations: what a scenario step asks of a card, in the words of
 * ISO/IEC 7816-4, built into APDUs here so that steps stay thin. A session
 * owns a recorded decorator stack (compose.ts)
 *
 *     steps → session ─┬─ GET RESPONSE / 6Cxx handling ─┐
 *                      └──────────── (raw) ──────────────┴→ recorder → transport
 *
 * so that the recorder sees every exchange as the card saw it.
 */
import { type Bytes, fromHex } from '../core/bytes.ts';
import { type CommandApdu, type ResponseApdu, command, decodeResponse, encodeCommand } from '../core/apdu.ts';
import type { CardChannel } from './channel.ts';
import { composeChannel } from './compose.ts';
import type { RecordingChannel } from './recorder.ts';

/** SELECT P2 response options (ISO/IEC 7816-4 Table 40, b4-b3). */
export type SelectReturn = 'fci' | 'fcp' | 'none';
const P2_RETURN: Record<SelectReturn, number> = { fci: 0x00, fcp: 0x04, none: 0x0c };

/** READ RECORD occurrence of a record identifier (Table 49, b3-b1). */
export type Occurrence = 'first' | 'last' | 'next' | 'previous';
const OCCURRENCE: Record<Occurrence, number> = { first: 0, last: 1, next: 2, previous: 3 };

export interface Exchanged {
  command: Bytes;
  response: ResponseApdu;
}

export class CardSession {
  readonly recorder: RecordingChannel;
  private readonly handled: CardChannel;
  private readonly raw: CardChannel;
  private lastExchange?: Exchanged;
  private atrAtStart: Bytes;

  constructor(transport: CardChannel) {
    const stack = composeChannel(transport, { record: true });
    this.recorder = stack.recorder;
    this.handled = stack.handled;
    this.raw = stack.raw;
    this.atrAtStart = transport.atr;
  }

  get atr(): Bytes {
    return this.recorder.atr;
  }

  get protocol() {
    return this.recorder.protocol;
  }

  get description(): string {
    return this.recorder.description;
  }

  /** ATR seen when the session was opened, for comparison after resets. */
  get initialAtr(): Bytes {
    return this.atrAtStart;
  }

  /** The last command and its response; throws when nothing was sent yet. */
  get last(): Exchanged {
    if (!this.lastExchange) throw new Error('no command has been sent in this scenario yet');
    return this.lastExchange;
  }

  async reset(cold = false): Promise<Bytes> {
    this.lastExchange = undefined;
    return this.recorder.reset(cold);
  }

  async close(): Promise<void> {
    await this.recorder.close();
  }

  /**
   * Sends a command. `raw` bypasses the transport handling (61xx, 6Cxx), for
   * scenarios that test that handling itself.
   */
  async send(apdu: Bytes | CommandApdu, options: { raw?: boolean } = {}): Promise<ResponseApdu> {
    const bytes = apdu instanceof Uint8Array ? apdu : encodeCommand(apdu);
    const channel = options.raw ? this.raw : this.handled;
    const response = decodeResponse(await channel.transmit(bytes));
    this.lastExchange = { command: bytes, response };
    return response;
  }

  sendHex(hex: string, options: { raw?: boolean } = {}): Promise<ResponseApdu> {
    return this.send(fromHex(hex), options);
  }

  // --- SELECT, ISO/IEC 7816-4 §7.1.1 ---------------------------------------------------------

  selectMf(): Promise<ResponseApdu> {
    return this.send(command(0x00, 0xa4, 0x00, 0x00, fid(0x3f00), 256));
  }

  /** P1 = 00 (MF, DF or EF by FID), 01 (child DF) or 02 (EF under the current DF). */
  selectFid(id: number, options: { p1?: 0 | 1 | 2; returns?: SelectReturn } = {}): Promise<ResponseApdu> {
    const p2 = P2_RETURN[options.returns ?? 'fci'];
    return this.send(command(0x00, 0xa4, options.p1 ?? 0, p2, fid(id), p2 === 0x0c ? undefined : 256));
  }

  selectParent(): Promise<ResponseApdu> {
    return this.send(command(0x00, 0xa4, 0x03, 0x0c, NO_DATA));
  }

  /** P1 = 04 by DF name, with occurrence control. */
  selectName(name: Bytes, options: { occurrence?: Occurrence; returns?: SelectReturn } = {}): Promise<ResponseApdu> {
    const p2 = P2_RETURN[options.returns ?? 'fci'] | OCCURRENCE[options.occurrence ?? 'first'];
    return this.send(command(0x00, 0xa4, 0x04, p2, name, (p2 & 0x0c) === 0x0c ? undefined : 256));
  }

  /** P1 = 08 (path from the MF) or 09 (path from the current DF); `path` without the starting DF's FID. */
  selectPath(path: number[], from: 'mf' | 'current' = 'mf', returns: SelectReturn = 'fci'): Promise<ResponseApdu> {
    const p2 = P2_RETURN[returns];
    const data = new Uint8Array(path.flatMap((f) => [f >> 8, f & 0xff]));
    return this.send(command(0x00, 0xa4, from === 'mf' ? 0x08 : 0x09, p2, data, p2 === 0x0c ? undefined : 256));
  }

  // --- READ BINARY §7.2.3, READ RECORD §7.3.3, GET RESPONSE §7.6.1 ------------------------------

  readBinary(offset: number, le: number, options: { sfi?: number; raw?: boolean } = {}): Promise<ResponseApdu> {
    if (options.sfi !== undefined) {
      return this.send(command(0x00, 0xb0, 0x80 | options.sfi, offset, NO_DATA, le), options);
    }
    return this.send(command(0x00, 0xb0, offset >> 8, offset & 0xff, NO_DATA, le), options);
  }

  readRecord(record: number, options: { sfi?: number; le?: number; raw?: boolean } = {}): Promise<ResponseApdu> {
    const p2 = ((options.sfi ?? 0) << 3) | 0x04;
    return this.send(command(0x00, 0xb2, record, p2, NO_DATA, options.le ?? 256), options);
  }

  readRecordById(id: number, occurrence: Occurrence, options: { sfi?: number; le?: number } = {}): Promise<ResponseApdu> {
    const p2 = ((options.sfi ?? 0) << 3) | OCCURRENCE[occurrence];
    return this.send(command(0x00, 0xb2, id, p2, NO_DATA, options.le ?? 256));
  }

  getResponse(le: number): Promise<ResponseApdu> {
    return this.send(command(0x00, 0xc0, 0x00, 0x00, NO_DATA, le), { raw: true });
  }
}

/** The data field of a command without data: shared, it is only read (the codec copies it). */
const NO_DATA: Bytes = new Uint8Array(0);

function fid(id: number): Bytes {
  return new Uint8Array([id >> 8, id & 0xff]);
}
