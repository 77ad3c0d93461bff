/**
 * The trace model: a recorded exchange ({@link Exchange}) decoded once, the
 * same way for every reader of a trace. The command APDU is decoded as
 * ISO/IEC 7816-4:2005 §5.1 codes it (a byte string that is none of its forms
 * is kept as malformed, with the reason), the command is named by its class
 * and instruction (core/ins.ts), the response is split into data and status
 * word (SW1 SW2, §5.1.3). The report's APDU trace formats this model
 * (report/trace.ts), the terminal-test checks annotate it with card sessions
 * and applications (terminal-test/trace-model.ts), the harness checks fold
 * the T=0 transport out of it (conformance/terminal.ts).
 */
import type { Bytes } from '../core/bytes.ts';
import { ApduFormatError, type CommandApdu, decodeCommand } from '../core/apdu.ts';
import { commandName } from '../core/ins.ts';
import type { Exchange, ExchangeKind } from './recorder.ts';

export interface DecodedExchange {
  /** Sequence number in the recorded trace. */
  seq: number;
  kind: ExchangeKind;
  /** Epoch milliseconds when the command was sent. */
  at: number;
  durationMs: number;
  /** "RESET", the command's name ("SELECT", "INS 6A" when unknown), or the name with " (malformed)". */
  name: string;
  /** The decoded command; undefined for a reset or a malformed APDU. */
  command?: CommandApdu;
  /** Why the command does not decode. */
  malformed?: string;
  /** Status word of the response; undefined for a reset, a transport failure or a response too short to carry one. */
  sw?: number;
  /** Response data without the status word (empty when there is none); the ATR for a reset. */
  data: Bytes;
  /** Transport failure message, when there was no response. */
  error?: string;
  /** The exchange as recorded. */
  raw: Exchange;
}

/** The buffer under empty data: a zero-length typed array with a buffer of its own is slow to make in V8. */
const NO_BYTES = new ArrayBuffer(0);

/** Decodes one recorded exchange. */
export function decodeExchange(x: Exchange): DecodedExchange {
  // Built property by property in the order of the interface, without spreading a common base: a spread
  // followed by more properties is slow in V8, and a report decodes every exchange of a run.
  const decoded = { seq: x.seq, kind: x.kind, at: x.at, durationMs: x.durationMs, raw: x } as DecodedExchange;
  if (x.error !== undefined) decoded.error = x.error;
  if (x.kind === 'reset') {
    decoded.name = 'RESET';
    decoded.data = x.response;
    return decoded;
  }
  let command: CommandApdu | undefined;
  let malformed: string | undefined;
  try {
    command = decodeCommand(x.command);
  } catch (e) {
    if (!(e instanceof ApduFormatError)) throw e;
    malformed = e.message;
  }
  if (command) decoded.name = commandName(command.cla, command.ins);
  else decoded.name = x.command.length >= 2 ? `${commandName(x.command[0]!, x.command[1]!)} (malformed)` : '(malformed)';
  const n = x.response.length;
  decoded.data = n > 2 ? x.response.slice(0, n - 2) : new Uint8Array(NO_BYTES);
  if (command) decoded.command = command;
  if (malformed !== undefined) decoded.malformed = malformed;
  if (n >= 2) decoded.sw = (x.response[n - 2]! << 8) | x.response[n - 1]!;
  return decoded;
}

/** Decodes a recorded trace, in order. */
export function decodeTrace(exchanges: readonly Exchange[]): DecodedExchange[] {
  return exchanges.map(decodeExchange);
}
