/**
 * Command and response APDUs, ISO/IEC 7816-4:2005 §5.1 (Table 1, "Command-response
 * pairs", and the four cases of §5.1.1/§5.1.2 in short and extended length).
 *
 *   case 1   CLA INS P1 P2
 *   case 2S  CLA INS P1 P2 Le                      Le 00 = 256
 *   case 3S  CLA INS P1 P2 Lc data                 Lc 01..FF
 *   case 4S  CLA INS P1 P2 Lc data Le
 *   case 2E  CLA INS P1 P2 00 Le1 Le2              0000 = 65536
 *   case 3E  CLA INS P1 P2 00 Lc1 Lc2 data         Lc 0001..FFFF
 *   case 4E  CLA INS P1 P2 00 Lc1 Lc2 data Le1 Le2
 */
import { type Bytes, concat, toHex } from './bytes.ts';

export type ApduCase = 1 | 2 | 3 | 4;

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data field (Nc = data.length); empty for cases 1 and 2. */
  data: Bytes;
  /** Maximum number of response bytes expected (Ne); undefined when there is no Le field. */
  ne?: number;
  /** True when the APDU was, or is to be, coded with extended length fields. */
  extended?: boolean;
}

export interface ResponseApdu {
  data: Bytes;
  sw: number;
}

export class ApduFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApduFormatError';
  }
}

/** The buffer under every empty data field: a zero-length typed array with a buffer of its own is slow to make in V8. */
const NO_BYTES = new ArrayBuffer(0);

/** A new empty byte string. */
function empty(): Bytes {
  return new Uint8Array(NO_BYTES);
}

function checkByte(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new ApduFormatError(`${name} must be a byte, got ${v}`);
}

/** The case of a command by its fields (§5.1, Table 1). */
export function apduCase(cmd: Pick<CommandApdu, 'data' | 'ne'>): ApduCase {
  const hasData = cmd.data.length > 0;
  const hasLe = cmd.ne !== undefined;
  if (!hasData) return hasLe ? 2 : 1;
  return hasLe ? 4 : 3;
}

export function command(cla: number, ins: number, p1: number, p2: number, data: Bytes = empty(), ne?: number): CommandApdu {
  const cmd: CommandApdu = { cla, ins, p1, p2, data };
  if (ne !== undefined) cmd.ne = ne;
  return cmd;
}

/**
 * Encodes a command. Short length is used when Nc ≤ 255 and Ne ≤ 256, unless
 * `extended` is set on the command; extended length otherwise.
 */
export function encodeCommand(cmd: CommandApdu): Bytes {
  checkByte('CLA', cmd.cla);
  checkByte('INS', cmd.ins);
  checkByte('P1', cmd.p1);
  checkByte('P2', cmd.p2);
  const nc = cmd.data.length;
  const ne = cmd.ne;
  if (nc > 65535) throw new ApduFormatError(`Nc ${nc} exceeds 65535`);
  if (ne !== undefined && (!Number.isInteger(ne) || ne < 1 || ne > 65536)) {
    throw new ApduFormatError(`Ne must be 1..65536, got ${ne}`);
  }
  const extended = cmd.extended === true || nc > 255 || (ne !== undefined && ne > 256);
  const header = [cmd.cla, cmd.ins, cmd.p1, cmd.p2];
  if (!extended) {
    const lc = nc > 0 ? [nc] : [];
    const le = ne !== undefined ? [ne === 256 ? 0 : ne] : [];
    return concat(header, lc, cmd.data, le);
  }
  const leBytes = (n: number) => (n === 65536 ? [0, 0] : [n >> 8, n & 0xff]);
  if (nc === 0) {
    return concat(header, ne !== undefined ? [0, ...leBytes(ne)] : []);
  }
  return concat(header, [0, nc >> 8, nc & 0xff], cmd.data, ne !== undefined ? leBytes(ne) : []);
}

/**
 * Decodes a command APDU. Throws {@link ApduFormatError} for any byte string
 * that is none of the seven forms (a card answers those with 6700).
 */
export function decodeCommand(bytes: Bytes): CommandApdu {
  const n = bytes.length;
  if (n < 4) throw new ApduFormatError(`a command APDU has at least 4 bytes, got ${n}`);
  const cla = bytes[0]!;
  const ins = bytes[1]!;
  const p1 = bytes[2]!;
  const p2 = bytes[3]!;
  // Whole object literals: a spread of a common base plus more properties costs microseconds in V8, and every APDU is decoded here.
  if (n === 4) return { cla, ins, p1, p2, data: empty() };
  const b4 = bytes[4]!;
  if (n === 5) return { cla, ins, p1, p2, data: empty(), ne: b4 === 0 ? 256 : b4 };
  if (b4 !== 0) {
    const lc = b4;
    if (n === 5 + lc) return { cla, ins, p1, p2, data: bytes.slice(5, 5 + lc) };
    if (n === 6 + lc) {
      const le = bytes[5 + lc]!;
      return { cla, ins, p1, p2, data: bytes.slice(5, 5 + lc), ne: le === 0 ? 256 : le };
    }
    throw new ApduFormatError(`Lc ${lc} does not match the ${n - 5} bytes that follow it`);
  }
  // b4 = 00 with more bytes: extended length.
  if (n === 6) throw new ApduFormatError('6 bytes is no valid APDU form');
  const l = (bytes[5]! << 8) | bytes[6]!;
  if (n === 7) return { cla, ins, p1, p2, data: empty(), ne: l === 0 ? 65536 : l, extended: true };
  if (l === 0) throw new ApduFormatError('extended Lc 0000 is not allowed');
  if (n === 7 + l) return { cla, ins, p1, p2, data: bytes.slice(7, 7 + l), extended: true };
  if (n === 9 + l) {
    const le = (bytes[7 + l]! << 8) | bytes[8 + l]!;
    return { cla, ins, p1, p2, data: bytes.slice(7, 7 + l), ne: le === 0 ? 65536 : le, extended: true };
  }
  throw new ApduFormatError(`extended Lc ${l} does not match the ${n - 7} bytes that follow it`);
}

export function decodeResponse(bytes: Bytes): ResponseApdu {
  if (bytes.length < 2) throw new ApduFormatError(`a response APDU has at least SW1 SW2, got ${bytes.length} byte(s)`);
  const n = bytes.length;
  return { data: n === 2 ? empty() : bytes.slice(0, n - 2), sw: (bytes[n - 2]! << 8) | bytes[n - 1]! };
}

export function encodeResponse(r: ResponseApdu): Bytes {
  return concat(r.data, [r.sw >> 8, r.sw & 0xff]);
}

export function swOf(response: Bytes): number {
  const n = response.length;
  if (n < 2) throw new ApduFormatError(`a response APDU has at least SW1 SW2, got ${n} byte(s)`);
  return (response[n - 2]! << 8) | response[n - 1]!;
}

/** "00 A4 04 00 | Lc=0E | 315041... | Le=00" style one-liner. */
export function formatCommand(cmd: CommandApdu): string {
  const parts = [toHex([cmd.cla, cmd.ins, cmd.p1, cmd.p2], ' ')];
  if (cmd.data.length > 0) parts.push(`Lc=${cmd.data.length}`, toHex(cmd.data));
  if (cmd.ne !== undefined) parts.push(`Le=${cmd.ne}`);
  return parts.join(' | ');
}
