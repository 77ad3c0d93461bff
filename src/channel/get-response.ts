/**
 * Transport-level response handling as a terminal's TPDU layer does it
 * (ISO/IEC 7816-4:2005 §5.1.3 and ISO/IEC 7816-3 §10.3.5 for T=0):
 *   61xx  → GET RESPONSE (00 C0 00 00 xx), repeated while the card says 61xx,
 *           data concatenated;
 *   6Cxx  → the same command re-issued once with Le = xx.
 */
import { type Bytes, concat } from '../core/bytes.ts';
import { ApduFormatError, command, decodeCommand, encodeCommand } from '../core/apdu.ts';
import { ChannelDecorator, type CardChannel } from './channel.ts';

export interface GetResponseOptions {
  /** Most GET RESPONSE commands chained for one command before giving up. */
  maxChain?: number;
  /** CLA used for GET RESPONSE when the command's CLA is proprietary (b8 set). */
  claForProprietary?: number;
}

export class GetResponseChannel extends ChannelDecorator {
  private readonly maxChain: number;
  private readonly claForProprietary: number;

  constructor(inner: CardChannel, options: GetResponseOptions = {}) {
    super(inner);
    this.maxChain = options.maxChain ?? 32;
    this.claForProprietary = options.claForProprietary ?? 0x00;
  }

  override async transmit(cmd: Bytes): Promise<Bytes> {
    let response = await this.inner.transmit(cmd);
    let sw1 = response[response.length - 2];
    if (sw1 === 0x6c) {
      const reissued = withLe(cmd, response[response.length - 1]!);
      if (reissued) {
        response = await this.inner.transmit(reissued);
        sw1 = response[response.length - 2];
      }
    }
    if ((sw1 === 0x62 || sw1 === 0x63) && response.length === 2 && isCase4(cmd)) {
      // T=0 case 4 with a warning: the data, if any, come with GET RESPONSE (EMV Book 1 §9.3.1.3);
      // the warning is what the command answered.
      const cla = (cmd[0]! & 0x80) !== 0 ? this.claForProprietary : cmd[0]! & 0x03;
      const fetched = await this.inner.transmit(getResponse(cla, 0x00));
      const n = fetched.length;
      if (n >= 2 && fetched[n - 2] === 0x6c) {
        const again = await this.inner.transmit(getResponse(cla, fetched[n - 1]!));
        if (again.length > 2 && again[again.length - 2] === 0x90) return concat(again.subarray(0, again.length - 2), response);
      } else if (n > 2 && fetched[n - 2] === 0x90) {
        return concat(fetched.subarray(0, n - 2), response);
      }
      return response;
    }
    if (sw1 !== 0x61) return response;
    const cla = (cmd[0]! & 0x80) !== 0 ? this.claForProprietary : cmd[0]! & 0x03;
    const parts: Bytes[] = [dataOf(response)];
    for (let i = 0; i < this.maxChain; i++) {
      const available = response[response.length - 1]!;
      response = await this.inner.transmit(getResponse(cla, available));
      sw1 = response[response.length - 2];
      if (sw1 === 0x6c) {
        const le = response[response.length - 1]!;
        response = await this.inner.transmit(getResponse(cla, le));
        sw1 = response[response.length - 2];
      }
      parts.push(dataOf(response));
      if (sw1 !== 0x61) break;
    }
    return concat(...parts, response.subarray(response.length - 2));
  }
}

/** Read-only stand-in for no data: a zero-length typed array is slow to make in V8. */
const NO_DATA: Bytes = new Uint8Array(0);

/**
 * A copy of the data of a response (without SW1 SW2), taken before the next
 * command: a transport may reuse the buffer it answered in.
 */
function dataOf(response: Bytes): Bytes {
  return response.length > 2 ? response.slice(0, response.length - 2) : NO_DATA;
}

/** GET RESPONSE (ISO/IEC 7816-4:2005 §7.6.1) for `le` bytes (00 = 256). */
function getResponse(cla: number, le: number): Bytes {
  // The five bytes directly when CLA is a byte (always, but for a configured CLA the codec checks).
  if (Number.isInteger(cla) && cla >= 0 && cla <= 0xff) return Uint8Array.of(cla, 0xc0, 0x00, 0x00, le);
  return encodeCommand(command(cla, 0xc0, 0x00, 0x00, undefined, le === 0 ? 256 : le));
}

/** The same command with Le set to `le` (00 = 256), or undefined when the command is not a valid APDU. */
function withLe(cmd: Bytes, le: number): Bytes | undefined {
  try {
    const decoded = decodeCommand(cmd);
    decoded.ne = le === 0 ? 256 : le;
    return encodeCommand(decoded);
  } catch (e) {
    if (e instanceof ApduFormatError) return undefined;
    throw e;
  }
}

/** True for a case 4 command (data and Le). */
function isCase4(cmd: Bytes): boolean {
  try {
    const d = decodeCommand(cmd);
    return d.data.length > 0 && d.ne !== undefined;
  } catch (e) {
    if (e instanceof ApduFormatError) return false;
    throw e;
  }
}
