/**
 * Checks of the reference social-security terminal and its PSAM against the
 * terminal requirements (社会保障卡加载金融功能通用规范, terminals: read the
 * SSSE, application initialisation, validity check, PSAM only for social
 * security). The terminal is src/terminal/social-security.ts; these functions
 * look at what it showed and at the commands it sent to the card and the PSAM.
 */
import { type Bytes, concat, toHex } from '../core/bytes.ts';
import { command, encodeCommand } from '../core/apdu.ts';
import { swHex } from '../core/sw.ts';
import type { Exchange } from '../channel/recorder.ts';
import { decodeTrace } from '../channel/trace.ts';
import { GET_CHALLENGE } from '../cos/commands.ts';
import { authCryptogram } from '../cos/formats.ts';
import { PsamError } from '../psam/client.ts';
import { type BasicInfo, type KeyRole, SocialSecurityTerminal } from '../terminal/social-security.ts';
import type { CardSession } from '../channel/session.ts';
import type { BasicData } from '../model/basic-data.ts';
import { basicDataDifferences } from './basic-data.ts';
import type { CardManager, KeyTypeName } from './management.ts';
import { KEY_TYPE_CODE, type Keyset } from '../model/keyset.ts';
import type { Profile } from '../model/profile.ts';
import { factorsOfProfile } from '../ssse/factors.ts';
import { EF05_FIELDS, RecordError, encodeRecord } from '../ssse/records.ts';

/** What the terminal showed that differs from the card's basic data and ATR. */
export function basicInfoDifferences(info: BasicInfo, expected: BasicData, atr: Bytes): string[] {
  const out = basicDataDifferences(info, expected);
  const city = expected.cardIdCode.slice(0, 6);
  if (info.cityCode !== city) out.push(`city code: terminal "${info.cityCode}", card identification code starts with "${city}"`);
  if (info.atr !== toHex(atr)) out.push(`ATR: terminal ${info.atr}, card ${toHex(atr)}`);
  return out;
}

/** The date `days` after (or before, when negative) a date YYYYMMDD, in the Gregorian calendar. */
export function shiftDate(date: string, days: number): string {
  if (!/^\d{8}$/.test(date)) throw new RangeError(`a date is YYYYMMDD, got "${date}"`);
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8))) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10).replaceAll('-', '');
}

/** A command a terminal sent, decoded for checks of its order, with the card's status word. */
export interface SentCommand {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Bytes;
  sw: number | undefined;
}

/**
 * The commands the terminal sent, as the application saw them: resets and
 * malformed commands left out, and the T=0 transport folded in — a command
 * answered 6Cxx is dropped for its re-issue, a GET RESPONSE gives its status
 * word to the command before it.
 */
export function sentCommands(exchanges: readonly Exchange[]): SentCommand[] {
  const out: SentCommand[] = [];
  for (const { command: c, sw } of decodeTrace(exchanges)) {
    if (!c) continue; // a reset, or not a command of the terminal's protocol
    const previous = out[out.length - 1];
    if (c.ins === 0xc0 && c.cla === 0x00 && previous && previous.sw !== undefined && previous.sw >> 8 === 0x61) {
      previous.sw = sw;
      continue;
    }
    if (sw !== undefined && sw >> 8 === 0x6c) continue;
    out.push({ cla: c.cla, ins: c.ins, p1: c.p1, p2: c.p2, data: c.data, sw });
  }
  return out;
}

/** A sent command with the data of the card's answer (after GET RESPONSE under T=0). */
export interface AnsweredCommand extends SentCommand {
  response: Bytes;
}

/** {@link sentCommands} with the response data: a GET RESPONSE gives its data and status word to the command before it. */
export function answeredCommands(exchanges: readonly Exchange[]): AnsweredCommand[] {
  const out: AnsweredCommand[] = [];
  for (const { command: c, sw, data } of decodeTrace(exchanges)) {
    if (!c) continue;
    const previous = out[out.length - 1];
    if (c.ins === 0xc0 && c.cla === 0x00 && previous && previous.sw !== undefined && previous.sw >> 8 === 0x61) {
      previous.sw = sw;
      previous.response = concat(previous.response, data);
      continue;
    }
    if (sw !== undefined && sw >> 8 === 0x6c) continue;
    out.push({ cla: c.cla, ins: c.ins, p1: c.p1, p2: c.p2, data: c.data, sw, response: data });
  }
  return out;
}

/** Short description of a sent command for messages: "00 A4 04 00 (9000)". */
export function describeSent(c: SentCommand): string {
  return `${toHex([c.cla, c.ins, c.p1, c.p2], ' ')} (${c.sw === undefined ? 'no answer' : swHex(c.sw)})`;
}

/** True for a READ RECORD (00 B2) that reads through the SFI `sfi` (P2 = SFI << 3 | mode). */
export function readsSfi(c: SentCommand, sfi: number): boolean {
  return c.ins === 0xb2 && c.p2 >> 3 === sfi;
}

/** The diversification data of every DES CALCULATION INITIALISE (80 1A) the PSAM received. */
export function factorsGivenToPsam(psamExchanges: readonly Exchange[]): Bytes[] {
  return sentCommands(psamExchanges)
    .filter((c) => c.cla === 0x80 && c.ins === 0x1a)
    .map((c) => c.data);
}

/** One PSAM key tried against the financial application, and what happened. */
export interface FinancialProbe {
  key: string;
  outcome: string;
  accepted: boolean;
}

/**
 * TERM-SS-04: tries every key the terminal knows in its PSAM on the
 * financial application: the PSE's external authentication key `pseKeyId`
 * gets the PSAM's cryptogram of a fresh PSE challenge, diversified with the
 * card's factors. A PSAM that holds no financial key produces no cryptogram
 * the PSE accepts.
 */
export async function probeFinancialApplication(
  terminal: SocialSecurityTerminal,
  manager: CardManager,
  pseKeyId: number,
): Promise<FinancialProbe[]> {
  const out: FinancialProbe[] = [];
  for (const [role, ref] of Object.entries(terminal.config.keys)) {
    const key = `${role} (usage ${toHex([ref.psamUsage])}, index ${ref.psamIndex})`;
    const select = await manager.selectEnvironment('PSE');
    if (select.sw !== 0x9000) throw new Error(`SELECT of the PSE answered ${swHex(select.sw)}`);
    const challenge = await manager.session.send(GET_CHALLENGE);
    if (challenge.sw !== 0x9000) throw new Error(`GET CHALLENGE in the PSE answered ${swHex(challenge.sw)}`);
    let cryptogram: Bytes;
    try {
      cryptogram = await terminal.psam.externalAuthCryptogram(
        ref.psamUsage,
        ref.psamIndex,
        terminal.diversificationFactors,
        challenge.data,
      );
    } catch (e) {
      if (!(e instanceof PsamError)) throw e;
      out.push({ key, outcome: `the PSAM refused: ${e.message}`, accepted: false });
      continue;
    }
    const r = await manager.session.send(command(0x00, 0x82, 0x00, pseKeyId, cryptogram));
    out.push({ key, outcome: `EXTERNAL AUTHENTICATE of PSE key ${pseKeyId} answered ${swHex(r.sw)}`, accepted: r.sw === 0x9000 });
  }
  return out;
}

/**
 * Replaces the card's key `id` of `env` by a fresh random key of the same
 * type and algorithm, loaded under the environment's master key: the card
 * then holds a key its issuer's PSAM cannot derive, as a counterfeit or
 * wrongly personalised card would.
 */
export async function replaceWithForeignKey(manager: CardManager, env: string, id: number): Promise<void> {
  const current = manager.key(env, id);
  const type = (Object.entries(KEY_TYPE_CODE) as [KeyTypeName, number][]).find(([, code]) => code === current.type)?.[0];
  if (!type) throw new Error(`key ${id} of the ${env} has a type (${current.type}) the lab cannot load`);
  const select = await manager.selectEnvironment(env);
  if (select.sw !== 0x9000) throw new Error(`SELECT of the ${env} answered ${swHex(select.sw)}`);
  const key = manager.newKey(env, id, type, current.alg);
  const r = await manager.loadKey(key, { authority: 'environment' });
  if (r.sw !== 0x9000) throw new Error(`WRITE KEY of a new key ${id} into the ${env} answered ${swHex(r.sw)}`);
  manager.remember(key);
}

/** The diversification data a PSAM should get for the card of `profile`: its factors in the key set's order. */
export function expectedFactorData(profile: Profile, keyset: Keyset): Bytes {
  const factors = factorsOfProfile(profile);
  if (!factors) throw new Error(`profile ${profile.id} tells no diversification factors`);
  return concat(...keyset.factorNames('SSSE').map((n) => factors[n]));
}

/** Whose key an EXTERNAL AUTHENTICATE cryptogram is made with, other than the card's own diversified key. */
export type ForeignKeySource = 'master' | 'another card';

/**
 * TERM-SS-02: an EXTERNAL AUTHENTICATE of the terminal's `role` key with a
 * cryptogram of a fresh card challenge made with a key the card must not
 * accept — the undiversified master key (as a terminal that skips
 * diversification would use it), or the PSAM's key diversified with the
 * factors of another card (the first factor's last byte changed). Returns the
 * card's status word.
 */
export async function externalAuthWithForeignKey(
  terminal: SocialSecurityTerminal,
  keyset: Keyset,
  role: KeyRole,
  source: ForeignKeySource,
): Promise<number> {
  const ref = terminal.config.keys[role];
  if (!ref) throw new Error(`the terminal has no ${role} key`);
  const challenge = await terminal.card.send(GET_CHALLENGE);
  if (challenge.sw !== 0x9000) throw new Error(`GET CHALLENGE answered ${swHex(challenge.sw)}`);
  let cryptogram: Bytes;
  if (source === 'master') {
    const master = keyset.key('SSSE', ref.cardKeyId);
    cryptogram = authCryptogram(master.alg, master.value, challenge.data);
  } else {
    cryptogram = await terminal.psam.externalAuthCryptogram(
      ref.psamUsage,
      ref.psamIndex,
      otherCardFactors(terminal.diversificationFactors),
      challenge.data,
    );
  }
  const r = await terminal.card.send(command(0x00, 0x82, 0x00, ref.cardKeyId, cryptogram));
  return r.sw;
}

/** The factors of another card: the same, with the last byte of the first one changed (a near miss). */
export function otherCardFactors(factors: readonly Bytes[]): Bytes[] {
  return factors.map((f, i) => (i === 0 ? Uint8Array.from(f, (b, j) => (j === f.length - 1 ? b ^ 0x01 : b)) : f));
}

/**
 * TERM-SS-02: the flow of one authentication between the card and the PSAM —
 * what the card was sent (`card`: GET CHALLENGE, EXTERNAL AUTHENTICATE of key
 * `keyId`; or INTERNAL AUTHENTICATE) and what the PSAM computed (`psam`).
 * Returns the differences from the flow of the overall scheme: the PSAM given
 * the card's factors, the card's challenge (or the terminal's random) as the
 * data it encrypted, and its result as the cryptogram sent (or compared).
 */
export function authenticationFlowDifferences(
  card: readonly Exchange[],
  psam: readonly Exchange[],
  kind: 'external' | 'internal',
  factors: Bytes,
): string[] {
  const sent = answeredCommands(card);
  const psamSent = answeredCommands(psam);
  const out: string[] = [];
  const init = psamSent.filter((c) => c.cla === 0x80 && c.ins === 0x1a);
  const calc = psamSent.filter((c) => c.cla === 0x80 && c.ins === 0xfa);
  if (init.length === 0) out.push('the terminal never asked its PSAM for a diversified key');
  for (const i of init) if (toHex(i.data) !== toHex(factors)) out.push(`the PSAM got the factors ${toHex(i.data)}`);
  const last = calc[calc.length - 1];
  if (last?.sw !== 0x9000) return [...out, 'the PSAM computed no cryptogram'];
  const input = toHex(last.data);
  const output = toHex(last.response);
  if (kind === 'external') {
    const challenge = sent.filter((c) => c.ins === 0x84 && c.sw === 0x9000);
    const auth = sent.filter((c) => c.ins === 0x82);
    const ch = challenge[challenge.length - 1];
    const ea = auth[auth.length - 1];
    if (!ch || !ea) return [...out, 'the terminal sent no GET CHALLENGE and EXTERNAL AUTHENTICATE'];
    if (ch.response.length === 0 || !input.startsWith(toHex(ch.response)))
      out.push(`the PSAM encrypted ${input}, not the card's challenge`);
    if (toHex(ea.data) !== output) out.push(`EXTERNAL AUTHENTICATE carried ${toHex(ea.data)}, not the PSAM's ${output}`);
  } else {
    const ia = sent.filter((c) => c.ins === 0x88)[0];
    if (!ia) return [...out, 'the terminal sent no INTERNAL AUTHENTICATE'];
    if (ia.data.length !== 8) out.push(`INTERNAL AUTHENTICATE carried ${ia.data.length} bytes, not an 8-byte random`);
    if (!input.startsWith(toHex(ia.data))) out.push(`the PSAM encrypted ${input}, not the terminal's random ${toHex(ia.data)}`);
  }
  return out;
}

/** The EF05 tag 03 record (specification version, an 4) holding `version`, e.g. "3.01". */
export function specVersionRecord(version: string): Bytes {
  const def = EF05_FIELDS.find((f) => f.tag === 0x03);
  if (!def) throw new Error('EF05 has no specification version field');
  return encodeRecord(def, version);
}

/** Why a terminal operation refused the card: its error, when the terminal threw for the card's data or status. */
export async function refusal(operation: () => Promise<unknown>): Promise<{ tag?: number; message: string } | undefined> {
  try {
    await operation();
    return undefined;
  } catch (e) {
    if (e instanceof RecordError) return { tag: e.tag, message: e.message };
    if (e instanceof Error && e.name === 'TerminalError') return { message: e.message };
    throw e;
  }
}

/**
 * TERM-SS-06: the card as a terminal sees it when EF05 tag 03 holds `version`
 * — a card of a specification the terminal may not know, which the lab cannot
 * make from a clean card (EF05 is never updated). The record's READ RECORD
 * reaches the card; its answer is replaced; every other command passes.
 */
export function withSpecVersion(session: CardSession, version: string): CardSession {
  const record = specVersionRecord(version);
  return new Proxy(session, {
    get(target, prop) {
      if (prop === 'readRecord')
        return async (...args: Parameters<CardSession['readRecord']>) => {
          const r = await target.readRecord(...args);
          return args[1]?.sfi === 5 && r.sw === 0x9000 && r.data[0] === 0x03 ? { data: record, sw: r.sw } : r;
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * TERM-SS-02: the card as a terminal sees it when its answer to INTERNAL
 * AUTHENTICATE (00 88) is right but for its last byte — a near miss a terminal
 * comparing only part of the cryptogram would accept. The command reaches the
 * card; the last byte of its answer's data is changed; every other command passes.
 */
export function withInternalAuthLastByteWrong(session: CardSession): CardSession {
  return new Proxy(session, {
    get(target, prop) {
      if (prop === 'send')
        return async (...args: Parameters<CardSession['send']>) => {
          const bytes = args[0] instanceof Uint8Array ? args[0] : encodeCommand(args[0]);
          const r = await target.send(...args);
          if (bytes[0] !== 0x00 || bytes[1] !== 0x88 || r.sw !== 0x9000 || r.data.length === 0) return r;
          const data = r.data.slice();
          data[data.length - 1]! ^= 0x01;
          return { ...r, data };
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A second reference terminal, with the PSAM and configuration of `terminal`, in front of the card as `card` shows it. */
export function terminalBefore(card: CardSession, terminal: SocialSecurityTerminal): SocialSecurityTerminal {
  return new SocialSecurityTerminal(card, terminal.psam, terminal.config);
}

/**
 * TERM-IF-03: the commands sent after the first SELECT answered 6283 or 9303
 * (the application blocked) other than SELECT, READ BINARY, READ RECORD and
 * GET RESPONSE; undefined when no SELECT reported a block.
 */
export function businessAfterBlock(sent: readonly SentCommand[]): SentCommand[] | undefined {
  const blocked = sent.findIndex((c) => c.ins === 0xa4 && (c.sw === 0x6283 || c.sw === 0x9303));
  if (blocked < 0) return undefined;
  return sent.slice(blocked + 1).filter((c) => ![0xa4, 0xb0, 0xb2, 0xc0].includes(c.ins));
}
