/**
 * Checks of the reference social-security terminal and its PSAM against the
 * terminal requirements (社会保障卡加载金融功能通用规范, terminals: read the
 * SSSE, application initialisation, validity check, PSAM only for social
 * security). The terminal is src/terminal/social-security.ts; these functions
 * look at what it showed and at the commands it sent to the card and the PSAM.
 */
import { type Bytes, concat, toHex } from '../core/bytes.ts';
import { command } from '../core/apdu.ts';
import { swHex } from '../core/sw.ts';
import type { Exchange } from '../channel/recorder.ts';
import { decodeTrace } from '../channel/trace.ts';
import { GET_CHALLENGE } from '../cos/commands.ts';
import { PsamError } from '../psam/client.ts';
import type { BasicInfo, SocialSecurityTerminal } from '../terminal/social-security.ts';
import type { BasicData } from '../model/basic-data.ts';
import { basicDataDifferences } from './basic-data.ts';
import type { CardManager, KeyTypeName } from './management.ts';
import { KEY_TYPE_CODE, type Keyset } from '../model/keyset.ts';
import type { Profile } from '../model/profile.ts';
import { factorsOfProfile } from '../ssse/factors.ts';

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
