/**
 * The APDU trace a lab hands over: every exchange with its command name, the
 * raw bytes, the response data decoded as BER-TLV where it is TLV, the status
 * word and its meaning, and the time the card took. PIN and key fields are
 * masked unless the run shows secrets.
 */
import { toHex } from '../core/bytes.ts';
import { ApduFormatError, decodeCommand } from '../core/apdu.ts';
import { carriesSecret, commandName } from '../core/ins.ts';
import { describeSw } from '../core/sw.ts';
import { TlvError, dumpTlv, parseTlv } from '../core/tlv.ts';
import type { Exchange } from '../channel/recorder.ts';

export interface TraceOptions {
  /** Show PIN blocks and key material in clear. */
  showSecrets?: boolean;
}

export interface TraceEntry {
  seq: number;
  time: string;
  durationMs: number;
  kind: 'apdu' | 'reset';
  name: string;
  command: string;
  response: string;
  sw?: string;
  meaning?: string;
  tlv?: string;
  error?: string;
}

function maskedCommand(e: Exchange, showSecrets: boolean): { name: string; hex: string } {
  try {
    const cmd = decodeCommand(e.command);
    const name = commandName(cmd.cla, cmd.ins);
    if (!showSecrets && cmd.data.length > 0 && carriesSecret(cmd.cla, cmd.ins, cmd.p1)) {
      const headerLen = e.command.length - cmd.data.length - (cmd.ne === undefined ? 0 : cmd.extended ? 2 : 1);
      const head = toHex(e.command.slice(0, headerLen), ' ');
      const tail = cmd.ne === undefined ? '' : ' ' + toHex(e.command.slice(headerLen + cmd.data.length), ' ');
      return { name, hex: `${head} ${'**'.repeat(cmd.data.length)} (${cmd.data.length} bytes masked)${tail}` };
    }
    return { name, hex: toHex(e.command, ' ') };
  } catch (err) {
    if (!(err instanceof ApduFormatError)) throw err;
    const name = e.command.length >= 2 ? `${commandName(e.command[0]!, e.command[1]!)} (malformed)` : '(malformed)';
    return { name, hex: toHex(e.command, ' ') };
  }
}

export function traceEntry(e: Exchange, options: TraceOptions = {}): TraceEntry {
  const time = new Date(e.at).toISOString().slice(11, 23);
  const base = { seq: e.seq, time, durationMs: Math.round(e.durationMs * 1000) / 1000, kind: e.kind };
  if (e.kind === 'reset') {
    return { ...base, name: 'RESET', command: '', response: toHex(e.response, ' '), ...(e.error ? { error: e.error } : {}) };
  }
  const { name, hex } = maskedCommand(e, options.showSecrets === true);
  const entry: TraceEntry = { ...base, name, command: hex, response: '' };
  if (e.error) {
    entry.error = e.error;
    return entry;
  }
  if (e.response.length >= 2) {
    const n = e.response.length;
    const sw = (e.response[n - 2]! << 8) | e.response[n - 1]!;
    const data = e.response.slice(0, n - 2);
    const d = describeSw(sw);
    entry.response = toHex(data, ' ');
    entry.sw = d.hex;
    entry.meaning = d.meaning;
    if (data.length > 0) {
      try {
        const tlv = parseTlv(data);
        if (tlv.length > 0) entry.tlv = dumpTlv(tlv);
      } catch (err) {
        if (!(err instanceof TlvError)) throw err;
      }
    }
  } else {
    entry.response = toHex(e.response, ' ');
    entry.error = `response of ${e.response.length} byte(s) carries no status word`;
  }
  return entry;
}

/** Plain-text trace, one block per exchange. */
export function formatTrace(exchanges: readonly Exchange[], options: TraceOptions = {}): string {
  if (exchanges.length === 0) return '(no exchanges)';
  return exchanges
    .map((x) => {
      const e = traceEntry(x, options);
      const head = `#${e.seq} ${e.time} ${e.name} (${e.durationMs.toFixed(3)} ms)`;
      if (e.kind === 'reset') return `${head}\n  ATR ${e.response}${e.error ? `\n  !! ${e.error}` : ''}`;
      const lines = [head, `  > ${e.command}`];
      if (e.error) lines.push(`  !! ${e.error}`);
      else lines.push(`  < ${e.response ? e.response + ' ' : ''}${e.sw} ${e.meaning}`);
      if (e.tlv) lines.push(...e.tlv.split('\n').map((l) => `      ${l}`));
      return lines.join('\n');
    })
    .join('\n');
}
