/**
 * The terminal requirements that can be judged from the card's side of the
 * interface: checks on the APDU trace a terminal under test produced with one
 * test card (and, when the PSAM was served too, the PSAM's trace), and on the
 * decision it reported. Each check names the catalogue requirements it
 * verifies (catalogue group "Terminal at the card interface", and TERM-SS-04).
 *
 * A check is not applicable when the trace gives it nothing to judge (no 61xx
 * under T=1, no blocked application, no write): a verdict "passed" always
 * means that the situation occurred and the terminal handled it.
 */
import type { Exchange } from '../channel/recorder.ts';
import { toHex } from '../core/bytes.ts';
import { findTag, parseTlv, TlvError } from '../core/tlv.ts';
import { type AppKind, type TraceStep, analyseTrace, areaOf, classifyName, describeStep, isGetResponse, sessions } from './trace-model.ts';
import type { CardExpectation, Decision } from '../model/test-card.ts';

export interface TerminalRun {
  /** The card's trace, recorded where the card is served. */
  card: readonly Exchange[];
  /** The PSAM's trace, when the PSAM was served in a second reader. */
  psam?: readonly Exchange[];
  /** Transmission protocol of the test card. */
  protocol: 'T=0' | 'T=1';
  expect: CardExpectation;
  /** Exit code of the terminal program; null when it was stopped. */
  exitCode: number | null;
  /** Set when the terminal did not finish in time and was stopped. */
  timedOut?: number;
}

export type CheckVerdict = 'passed' | 'failed' | 'not-applicable';

export interface CheckResult {
  verdict: CheckVerdict;
  /** What was seen: the evidence for a pass, the first offending exchange for a failure. */
  detail: string;
}

export interface TraceCheck {
  id: string;
  title: string;
  requirements: string[];
  run(steps: readonly TraceStep[], run: TerminalRun): CheckResult;
}

const pass = (detail: string): CheckResult => ({ verdict: 'passed', detail });
const fail = (detail: string): CheckResult => ({ verdict: 'failed', detail });
const na = (detail: string): CheckResult => ({ verdict: 'not-applicable', detail });

function apdus(steps: readonly TraceStep[]): TraceStep[] {
  return steps.filter((s) => s.kind === 'apdu');
}

/** Commands that run an application's business (refused to a blocked application). */
const BUSINESS_INS: Record<number, string> = {
  0xa8: 'GET PROCESSING OPTIONS',
  0xae: 'GENERATE AC',
  0x20: 'VERIFY',
  0x5e: 'CHANGE PIN',
  0xd6: 'UPDATE BINARY',
  0xdc: 'UPDATE RECORD',
  0xe2: 'APPEND RECORD',
  0x50: 'INITIALIZE FOR PURCHASE/LOAD',
  0x54: 'PURCHASE/LOAD',
};

export const CHECKS: readonly TraceCheck[] = [
  {
    id: 'select-first',
    title: 'selects an application before any other command',
    requirements: ['TERM-IF-01'],
    run(steps) {
      const all = sessions(steps);
      for (const s of all) {
        const first = s[0]!;
        if (first.command?.ins !== 0xa4) return fail(`after the power-up the first command was ${describeStep(first)}, not a SELECT`);
      }
      return pass(`${all.length} card session(s), each opened with SELECT (${all.map((s) => `#${s[0]!.seq}`).join(', ')})`);
    },
  },
  {
    id: 'get-response',
    title: 'under T=0 fetches data with GET RESPONSE after 61xx and re-sends with Le = xx after 6Cxx',
    requirements: ['TERM-IF-02'],
    run(steps, run) {
      if (run.protocol !== 'T=0') return na('the card uses T=1: 61xx and 6Cxx are T=0 procedure answers');
      const list = apdus(steps);
      let seen61 = 0;
      let seen6c = 0;
      for (let i = 0; i < list.length; i++) {
        const s = list[i]!;
        const next = list[i + 1];
        const sameSession = next !== undefined && next.session === s.session;
        if (s.sw >> 8 === 0x61) {
          seen61++;
          const xx = s.sw & 0xff;
          if (!sameSession) return fail(`${describeStep(s)}: the terminal sent no GET RESPONSE for the ${xx || 256} bytes waiting`);
          if (!isGetResponse(next.command)) return fail(`${describeStep(s)} was followed by ${describeStep(next)}, not GET RESPONSE`);
          const le = next.command!.ne ?? 0;
          if (le !== (xx || 256))
            return fail(`${describeStep(s)}: GET RESPONSE #${next.seq} asked for ${le} bytes, the card offered ${xx || 256}`);
        } else if (s.sw >> 8 === 0x6c && s.command) {
          seen6c++;
          const xx = s.sw & 0xff;
          const c = s.command;
          const same =
            sameSession &&
            next.command &&
            next.command.cla === c.cla &&
            next.command.ins === c.ins &&
            next.command.p1 === c.p1 &&
            next.command.p2 === c.p2;
          if (!same)
            return fail(
              `${describeStep(s)}: the next command ${next ? describeStep(next) : '(none)'} is not the same command with Le = ${xx || 256}`,
            );
          if ((next.command!.ne ?? 0) !== (xx || 256))
            return fail(`${describeStep(s)}: re-sent #${next.seq} with Le = ${next.command!.ne ?? 0}, the card asked for ${xx || 256}`);
        }
      }
      if (seen61 + seen6c === 0) return na('the card answered no command with 61xx or 6Cxx');
      return pass(
        `${seen61} answer(s) 61xx each followed by GET RESPONSE with Le = xx${seen6c ? `, ${seen6c} answer(s) 6Cxx each followed by the command with Le = xx` : ''}`,
      );
    },
  },
  {
    id: 'blocked-application',
    title: 'stops using an application the card reports blocked',
    requirements: ['TERM-IF-03'],
    run(steps) {
      let blockedSeen = 0;
      let blocked: { app: AppKind; how: number; at: TraceStep } | undefined;
      let session = -1;
      for (const s of apdus(steps)) {
        if (s.session !== session) {
          session = s.session;
          blocked = undefined;
        }
        if (s.continuation) continue;
        if (s.command?.ins === 0xa4) {
          // a new selection ends the use of the blocked application, unless it selects it again
          blocked = undefined;
          if (s.command.p1 === 0x04 && (s.final.sw === 0x6283 || s.final.sw === 0x9303)) {
            blockedSeen++;
            blocked = { app: 'none', how: s.final.sw, at: s };
          }
          continue;
        }
        if (!blocked) continue;
        if (blocked.how === 0x9303) {
          if (!isGetResponse(s.command))
            return fail(`after ${describeStep(blocked.at)} (blocked for good) the terminal sent ${describeStep(s)}`);
        } else if (s.command && BUSINESS_INS[s.command.ins] !== undefined && !(s.command.ins === 0x50 && (s.command.cla & 0x80) === 0)) {
          return fail(
            `after ${describeStep(blocked.at)} (application blocked) the terminal sent ${BUSINESS_INS[s.command.ins]}: ${describeStep(s)}`,
          );
        }
      }
      if (blockedSeen === 0) return na('no SELECT was answered 6283 or 9303');
      return pass(`${blockedSeen} selection(s) answered blocked; the terminal ran no business of the blocked application afterwards`);
    },
  },
  {
    id: 'blocked-pin',
    title: 'never presents a PIN the card reports blocked or out of tries',
    requirements: ['TERM-IF-04'],
    run(steps) {
      let evidence: TraceStep | undefined;
      let blockedIn: Map<string, TraceStep> = new Map();
      let session = -1;
      for (const s of apdus(steps)) {
        if (s.session !== session) {
          session = s.session;
          blockedIn = new Map();
        }
        if (s.continuation || !s.command) continue;
        const area = areaOf(s.app) ?? s.app;
        if (s.command.ins === 0x20) {
          const earlier = blockedIn.get(area);
          if (earlier)
            return fail(`the card reported the PIN blocked at ${describeStep(earlier)}, yet the terminal sent ${describeStep(s)}`);
          // 6983 blocked, or 63C0: this wrong PIN used the last try (ISO/IEC 7816-4 §7.5.6; EMV 4.3 Book 3 §10.5.1)
          if (s.final.sw === 0x6983 || s.final.sw === 0x63c0) {
            blockedIn.set(area, s);
            evidence ??= s;
          }
        }
        // GET DATA of the PIN try counter 9F17 (JR/T 0025): zero means offline PIN is blocked
        if (s.command.ins === 0xca && s.command.p1 === 0x9f && s.command.p2 === 0x17 && s.final.sw === 0x9000) {
          let counter: number | undefined;
          try {
            counter = findTag(parseTlv(s.final.data), 0x9f17)?.value[0];
          } catch (e) {
            if (!(e instanceof TlvError)) throw e;
          }
          if (counter === 0) {
            blockedIn.set(area, s);
            evidence ??= s;
          }
        }
      }
      if (!evidence) return na('the card reported no blocked PIN (no VERIFY answered 6983 or 63C0, no PIN try counter of zero)');
      return pass(`the card reported the PIN blocked at ${describeStep(evidence)}; the terminal sent no VERIFY for it afterwards`);
    },
  },
  {
    id: 'authenticated-writes',
    title: 'authenticates before it updates social-security files',
    requirements: ['TERM-IF-05'],
    run(steps) {
      let writes = 0;
      let authenticated = false;
      let session = -1;
      for (const s of apdus(steps)) {
        if (s.session !== session) {
          session = s.session;
          authenticated = false;
        }
        if (s.continuation || !s.command) continue;
        const c = s.command;
        if (c.ins === 0xa4 && c.p1 === 0x04 && s.app !== 'ssse') authenticated = false;
        if (s.app !== 'ssse') continue;
        if ((c.ins === 0x82 || c.ins === 0x20) && s.final.sw === 0x9000) authenticated = true;
        if (c.ins === 0xd6 || c.ins === 0xdc || c.ins === 0xe2) {
          writes++;
          if (s.final.sw === 0x6982) return fail(`${describeStep(s)}: the card refused the write for want of authentication`);
          const secureMessaging = (c.cla & 0x0c) !== 0;
          if (!secureMessaging && !authenticated)
            return fail(`${describeStep(s)}: a plain write with no successful EXTERNAL AUTHENTICATE or VERIFY before it`);
        }
      }
      if (writes === 0) return na('the terminal wrote nothing to the social-security environment');
      return pass(`${writes} write(s) to the social-security environment, each after authentication or under secure messaging`);
    },
  },
  {
    id: 'psam-only-for-ssse',
    title: 'uses the PSAM only for the social-security application',
    requirements: ['TERM-SS-04'],
    run(steps, run) {
      const psam = run.psam ?? [];
      const used = psam.filter((x) => x.kind === 'apdu');
      if (used.length === 0)
        return na(run.psam === undefined ? 'the PSAM was not served in a reader of its own' : 'the terminal did not use the PSAM');
      const card = apdus(steps);
      for (const p of used) {
        // the card's application at the time of the PSAM command: the last card command sent before it
        const before = card.filter((s) => s.at <= p.at).at(-1);
        const app = before?.appAfter ?? 'none';
        if (areaOf(app) === 'financial') {
          return fail(
            `PSAM command #${p.seq} (${toHex(p.command.slice(0, 5), ' ')}) while the card's financial application was current (after ${before ? describeStep(before) : 'nothing'})`,
          );
        }
      }
      return pass(`${used.length} PSAM command(s), none while the card's financial application was current`);
    },
  },
  {
    id: 'no-offline-approval-after-failed-oda',
    title: 'asks no offline approval of a card whose offline data authentication fails',
    requirements: ['TERM-FIN-02'],
    run(steps, run) {
      if (run.expect.oda !== 'fails') return na("the data sheet does not say that the card's offline data authentication fails");
      // the first GENERATE AC of each session: P1 bits 8-7 = 01 asks for a TC (EMV Book 3 §6.5.5.2, table 12)
      const firsts = sessions(steps)
        .map((s) => s.find((x) => !x.continuation && x.command?.ins === 0xae && (x.command.cla & 0x80) !== 0))
        .filter((x) => x !== undefined);
      if (firsts.length === 0) return na('the terminal sent no GENERATE AC');
      const tc = firsts.find((s) => (s.command!.p1 & 0xc0) === 0x40);
      if (tc) return fail(`${describeStep(tc)} asks for a TC (offline approval) although the card's offline data authentication fails`);
      const kinds = firsts.map((s) => ((s.command!.p1 & 0xc0) === 0x80 ? 'ARQC' : (s.command!.p1 & 0xc0) === 0 ? 'AAC' : 'RFU')).join(', ');
      return pass(`first GENERATE AC asked for ${kinds}, no offline approval`);
    },
  },
  {
    id: 'well-formed',
    title: 'sends well-formed commands',
    requirements: ['TERM-IF-06'],
    run(steps) {
      const list = apdus(steps);
      for (const s of list) {
        if (s.malformed) return fail(`#${s.seq} ${toHex(s.raw.command, ' ')} is not a command APDU: ${s.malformed}`);
        if (s.command!.cla === 0xff) return fail(`${describeStep(s)}: class byte FF is invalid`);
      }
      return pass(`${list.length} command(s), all well-formed`);
    },
  },
  {
    id: 'decision',
    title: 'decision follows the condition of the card',
    requirements: ['TERM-IF-07', 'TERM-SS-03'],
    run(steps, run) {
      if (run.timedOut !== undefined) return fail(`the terminal did not finish within ${run.timedOut} s`);
      const areas = new Set(
        apdus(steps)
          .flatMap((s) => (s.selectedName ? [classifyName(s.selectedName)] : []))
          .map(areaOf)
          .filter((a) => a !== undefined),
      );
      if (areas.size === 0) return na("the terminal selected none of the card's applications");
      const expected = [...areas].map((a) => (a === 'social-security' ? run.expect.ssse : run.expect.pse));
      const definite = [...new Set(expected.filter((e) => e !== 'any'))];
      const used = [...areas].join(' and ');
      if (definite.length === 0) return na(`the data sheet leaves the decision on the ${used} application open`);
      if (definite.length > 1)
        return na(`the terminal used the ${used} applications, for which the data sheet expects different decisions`);
      const want = definite[0]!;
      const got: Decision | undefined = run.exitCode === 0 ? 'accept' : run.exitCode === 1 ? 'refuse' : undefined;
      if (got === undefined) return fail(`the terminal exited ${run.exitCode}, neither accepted (0) nor refused (1); expected: ${want}`);
      if (got !== want)
        return fail(
          `the terminal ${got === 'accept' ? 'accepted' : 'refused'} the card's ${used} application; a conforming terminal ${want === 'accept' ? 'accepts' : 'refuses'} it`,
        );
      return pass(`the terminal ${got === 'accept' ? 'accepted' : 'refused'} the card's ${used} application, as the data sheet expects`);
    },
  },
];

export interface EvaluatedCheck {
  check: TraceCheck;
  result: CheckResult;
}

/** Runs every check on one terminal run. */
export function evaluate(run: TerminalRun, checks: readonly TraceCheck[] = CHECKS): EvaluatedCheck[] {
  const steps = analyseTrace(run.card);
  return checks.map((check) => ({ check, result: check.run(steps, run) }));
}
