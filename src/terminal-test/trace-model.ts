/**
 * The card side of a terminal-under-test run, as the checks read it: the
 * APDU trace recorded where the card is served (the vpcd card server), cut
 * into card sessions (from one power-up or reset to the next), each command
 * annotated with the application that was current when it was sent and with
 * the logical answer it got.
 *
 * A logical answer follows the transport: under T=0 a case 4 command is
 * answered 61xx and its data come with the following GET RESPONSE
 * (ISO/IEC 7816-3 T=0, procedure bytes 61xx); a 6Cxx answer is followed by the
 * same command with Le = xx. The data and final status word of the chain
 * belong to the command that started it.
 *
 * Applications are recognised by the names the terminal selects (SELECT with
 * P1 = 04): the SSSE (`sx1.sh.社会保障`, general specification, file
 * structure), the PSE `1PAY.SYS.DDF01`, the PPSE `2PAY.SYS.DDF01` and a PBOC
 * application by its AID (JR/T 0025 application selection). A SELECT by file
 * identifier keeps the application, except the MF (3F00).
 */
import type { Exchange } from '../channel/recorder.ts';
import { decodeExchange } from '../channel/trace.ts';
import { type Bytes, ascii, concat, equal, toHex } from '../core/bytes.ts';
import type { CommandApdu } from '../core/apdu.ts';
import { commandName } from '../core/ins.ts';
import { swHex } from '../core/sw.ts';

/** The SSSE's DF name: "sx1.sh." and 社会保障 in GBK. */
export const SSSE_DF_NAME = concat(ascii('sx1.sh.'), new Uint8Array([0xc9, 0xe7, 0xbb, 0xe1, 0xb1, 0xa3, 0xd5, 0xcf]));
export const PSE_DF_NAME = ascii('1PAY.SYS.DDF01');
export const PPSE_DF_NAME = ascii('2PAY.SYS.DDF01');

export type AppKind = 'none' | 'mf' | 'ssse' | 'pse' | 'ppse' | 'pboc' | 'other';

/** Which of the card's applications a selected name belongs to. */
export function classifyName(name: Bytes): AppKind {
  if (equal(name, SSSE_DF_NAME) || equal(name.slice(0, 7), ascii('sx1.sh.'))) return 'ssse';
  if (equal(name, PSE_DF_NAME)) return 'pse';
  if (equal(name, PPSE_DF_NAME)) return 'ppse';
  // a registered application provider (RID A0…, ISO/IEC 7816-5) after the directories: a PBOC application
  if (name.length >= 5 && name[0] === 0xa0) return 'pboc';
  return 'other';
}

/** The business area an application kind belongs to. */
export function areaOf(app: AppKind): 'social-security' | 'financial' | undefined {
  if (app === 'ssse') return 'social-security';
  if (app === 'pse' || app === 'ppse' || app === 'pboc') return 'financial';
  return undefined;
}

export interface TraceStep {
  /** Sequence number in the recorded trace. */
  seq: number;
  at: number;
  kind: 'apdu' | 'reset';
  /** Card session: 0 before the first power-up seen, then one more at every power-up or reset. */
  session: number;
  /** The decoded command; undefined for a reset or a malformed APDU. */
  command?: CommandApdu;
  /** Why the command does not decode. */
  malformed?: string;
  /** Status word of this exchange (0 when the card gave none). */
  sw: number;
  /** Response data of this exchange. */
  data: Bytes;
  /** The application current when the command was sent. */
  app: AppKind;
  /** The application current after the card's answer. */
  appAfter: AppKind;
  /** The selected name, for a SELECT by name. */
  selectedName?: Bytes;
  /** True for a GET RESPONSE or 6Cxx re-send that continues the previous command. */
  continuation: boolean;
  /** For the command that starts a chain: the final status word and all data of the chain. */
  final: { sw: number; data: Bytes };
  raw: Exchange;
}

export function isGetResponse(c: CommandApdu | undefined): boolean {
  return c !== undefined && c.ins === 0xc0 && (c.cla & 0x80) === 0;
}

/** A short label for messages: "#12 SELECT (00 A4 04 00 …) → 6283". */
export function describeStep(s: TraceStep): string {
  if (s.kind === 'reset') return `#${s.seq} reset`;
  const head = toHex(s.raw.command.slice(0, 5), ' ');
  const name = s.command ? commandName(s.command.cla, s.command.ins) : 'malformed command';
  return `#${s.seq} ${name} (${head}${s.raw.command.length > 5 ? ' …' : ''}) → ${s.raw.response.length >= 2 ? swHex(s.sw) : 'no answer'}`;
}

/** Annotates a recorded trace for the checks; the exchanges are decoded by the trace model (channel/trace.ts). */
export function analyseTrace(exchanges: readonly Exchange[]): TraceStep[] {
  const steps: TraceStep[] = [];
  let session = 0;
  let app: AppKind = 'none';
  let chainHead: TraceStep | undefined;
  let pendingSelect: { step: TraceStep; kind: AppKind } | undefined;
  for (const x of exchanges.map(decodeExchange)) {
    if (x.kind === 'reset') {
      session++;
      app = 'none';
      chainHead = undefined;
      pendingSelect = undefined;
      const reset = { sw: 0, data: x.data };
      steps.push({
        seq: x.seq,
        at: x.at,
        kind: 'reset',
        session,
        ...reset,
        app,
        appAfter: app,
        continuation: false,
        final: reset,
        raw: x.raw,
      });
      continue;
    }
    const { command, malformed, data } = x;
    const sw = x.sw ?? 0;
    const prev = steps.at(-1);
    const prevSw = prev && prev.kind === 'apdu' && prev.session === session ? prev.sw : 0;
    const continuation =
      chainHead !== undefined &&
      ((prevSw >> 8 === 0x61 && isGetResponse(command)) ||
        (prevSw >> 8 === 0x6c &&
          command !== undefined &&
          prev?.command !== undefined &&
          command.ins === prev.command.ins &&
          command.cla === prev.command.cla));
    const step: TraceStep = {
      seq: x.seq,
      at: x.at,
      kind: 'apdu',
      session,
      ...(command ? { command } : {}),
      ...(malformed ? { malformed } : {}),
      sw,
      data,
      app,
      appAfter: app,
      continuation,
      final: { sw, data },
      raw: x.raw,
    };
    if (command?.ins === 0xa4 && command.p1 === 0x04 && !continuation) step.selectedName = command.data;
    steps.push(step);
    if (continuation && chainHead) {
      chainHead.final = { sw, data: prevSw >> 8 === 0x6c ? data : concat(chainHead.final.data, data) };
    } else {
      chainHead = step;
    }
    // the application changes with a SELECT that the card accepted (or accepted as blocked)
    const head = chainHead;
    if (head.command?.ins === 0xa4 && !continuation) {
      if (head.command.p1 === 0x04) pendingSelect = { step: head, kind: classifyName(head.command.data) };
      else if ((head.command.p1 === 0x00 || head.command.p1 === 0x01 || head.command.p1 === 0x02) && toHex(head.command.data) === '3F00')
        pendingSelect = { step: head, kind: 'mf' };
      else pendingSelect = undefined;
    }
    if (pendingSelect && pendingSelect.step === head) {
      const f = head.final.sw;
      if (f === 0x9000 || f === 0x6283 || f === 0x9303 || f >> 8 === 0x61) app = pendingSelect.kind;
    }
    step.appAfter = app;
  }
  return steps;
}

/** Steps of the apdu kind only, grouped by session, sessions in order. */
export function sessions(steps: readonly TraceStep[]): TraceStep[][] {
  const by = new Map<number, TraceStep[]>();
  for (const s of steps) {
    if (s.kind !== 'apdu') continue;
    const list = by.get(s.session) ?? [];
    list.push(s);
    by.set(s.session, list);
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}
