/**
 * The APDU trace a lab hands over: every exchange with its command name, the
 * raw bytes, the response data decoded as BER-TLV where it is TLV, the status
 * word and its meaning, and the time the card took. PIN and key fields are
 * masked unless the run shows secrets. The exchanges are decoded by the trace
 * model (channel/trace.ts); this module formats them.
 */
import { toHex } from '../core/bytes.ts';
import { carriesSecret } from '../core/ins.ts';
import { describeSw } from '../core/sw.ts';
import { TlvError, parseTlv } from '../core/tlv.ts';
import { dumpTlv } from '../core/tlv-dump.ts';
import type { Exchange } from '../channel/recorder.ts';
import { type DecodedExchange, decodeExchange } from '../channel/trace.ts';

/** The name a step's APDU trace is attached under (and the whole scenario's trace is assembled from). */
export const TRACE_NAME = 'APDU trace';

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

/** The command bytes, with the data field masked when it carries a PIN or key material. */
function maskedCommand(x: DecodedExchange, showSecrets: boolean): string {
  const bytes = x.raw.command;
  const cmd = x.command;
  if (!showSecrets && cmd && cmd.data.length > 0 && carriesSecret(cmd.cla, cmd.ins, cmd.p1)) {
    const headerLen = bytes.length - cmd.data.length - (cmd.ne === undefined ? 0 : cmd.extended ? 2 : 1);
    const head = toHex(bytes.slice(0, headerLen), ' ');
    const tail = cmd.ne === undefined ? '' : ` ${toHex(bytes.slice(headerLen + cmd.data.length), ' ')}`;
    return `${head} ${'**'.repeat(cmd.data.length)} (${cmd.data.length} bytes masked)${tail}`;
  }
  return toHex(bytes, ' ');
}

export function traceEntry(e: Exchange, options: TraceOptions = {}): TraceEntry {
  const x = decodeExchange(e);
  const time = new Date(x.at).toISOString().slice(11, 23);
  const base = { seq: x.seq, time, durationMs: Math.round(x.durationMs * 1000) / 1000, kind: x.kind };
  if (x.kind === 'reset') {
    return { ...base, name: x.name, command: '', response: toHex(x.data, ' '), ...(x.error ? { error: x.error } : {}) };
  }
  const entry: TraceEntry = { ...base, name: x.name, command: maskedCommand(x, options.showSecrets === true), response: '' };
  if (x.error) {
    entry.error = x.error;
    return entry;
  }
  if (x.sw !== undefined) {
    const d = describeSw(x.sw);
    entry.response = toHex(x.data, ' ');
    entry.sw = d.hex;
    entry.meaning = d.meaning;
    if (x.data.length > 0) {
      try {
        const tlv = parseTlv(x.data);
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
      else lines.push(`  < ${e.response ? `${e.response} ` : ''}${e.sw} ${e.meaning}`);
      if (e.tlv) lines.push(...e.tlv.split('\n').map((l) => `      ${l}`));
      return lines.join('\n');
    })
    .join('\n');
}
