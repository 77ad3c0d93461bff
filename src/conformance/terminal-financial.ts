/**
 * Checks of the reference financial terminal (JR/T 0025, EMV 4.3 Book 3
 * chapter 10): what it reported (TVR, TSI, CVM results) and the commands it
 * sent to the card — GENERATE AC with the cryptogram it asked for and its
 * CDOL data, VERIFY, INTERNAL AUTHENTICATE, issuer scripts — read from the
 * card's trace with {@link sentCommands}.
 */
import type { Bytes } from '../core/bytes.ts';
import type { ResponseApdu } from '../core/apdu.ts';
import type { CardSession } from '../channel/session.ts';
import { dolValue } from '../emv/dol.ts';
import { type AuthorisationRequest, IssuerHost } from '../pboc/issuer-host.ts';
import { TSI_BITS, TVR_BITS, type TsiBit, type TvrBit, hasTsi, setTvr } from '../emv/tvr.ts';
import type { SentCommand } from './terminal.ts';

export type AskedCryptogram = 'AAC' | 'TC' | 'ARQC' | 'RFU';

/** A GENERATE AC the terminal sent: the cryptogram asked for (P1 b8-b7), the CDA signature request (P1 b5), its CDOL data. */
export interface GenerateAcSent {
  asked: AskedCryptogram;
  cda: boolean;
  data: Bytes;
  sw: number | undefined;
  /** Index among the commands sent. */
  index: number;
}

/** The cryptogram a GENERATE AC P1 asks for (EMV 4.3 Book 3 §6.5.5, table 12). */
export function askedCryptogram(p1: number): AskedCryptogram {
  return (['AAC', 'TC', 'ARQC', 'RFU'] as const)[(p1 >> 6) & 0x03]!;
}

/** The GENERATE AC commands (80 AE) among `sent`, in order. */
export function generateAcs(sent: readonly SentCommand[]): GenerateAcSent[] {
  return sent.flatMap((c, index) =>
    c.cla === 0x80 && c.ins === 0xae ? [{ asked: askedCryptogram(c.p1), cda: (c.p1 & 0x10) !== 0, data: c.data, sw: c.sw, index }] : [],
  );
}

/** Commands with instruction `ins` (and class `cla` when given) among `sent`, with their index. */
export function commandsWith(sent: readonly SentCommand[], ins: number, cla?: number): (SentCommand & { index: number })[] {
  return sent.flatMap((c, index) => (c.ins === ins && (cla === undefined || c.cla === cla) ? [{ ...c, index }] : []));
}

/** The Authorisation Response Code 8A a second GENERATE AC carried, as its CDOL2 `cdol2` places it. */
export function arcOfSecondAc(cdol2: Bytes, ac: GenerateAcSent): Bytes | undefined {
  return dolValue(cdol2, ac.data, 0x8a);
}

/** The TSI bit whose Book 3 Annex C6 wording is `name` (any case). */
export function tsiBitNamed(name: string): TsiBit {
  const found = (Object.entries(TSI_BITS) as [TsiBit, { name: string }][]).find(([, d]) => d.name.toLowerCase() === name.toLowerCase());
  if (!found) throw new Error(`unknown TSI condition "${name}"`);
  return found[0];
}

/** Whether the TSI has the bit of that wording set. */
export function tsiHas(tsi: Bytes, name: string): boolean {
  return hasTsi(tsi, tsiBitNamed(name));
}

/** A terminal action code (5 bytes) with only the TVR bit of that wording set. */
export function actionCodeWith(tvrBit: TvrBit): Bytes {
  return setTvr(new Uint8Array(5), tvrBit);
}

/** The TVR bit of a Book 3 Annex C5 wording, for action codes. */
export function tvrBitOf(name: string): TvrBit {
  const found = (Object.entries(TVR_BITS) as [TvrBit, { name: string }][]).find(([, d]) => d.name.toLowerCase() === name.toLowerCase());
  if (!found) throw new Error(`unknown TVR condition "${name}"`);
  return found[0];
}

/** An application version number 9F08/9F09 (hex) plus `n`, in two bytes: a near miss of the card's. */
export function versionPlus(version: string, n: number): string {
  return ((Number.parseInt(version, 16) + n) & 0xffff).toString(16).toUpperCase().padStart(4, '0');
}

/**
 * An issuer host whose ARPC is wrong in its last byte: a near miss the card
 * refuses (EXTERNAL AUTHENTICATE answered 6300), so the terminal must report
 * issuer authentication failed (EMV 4.3 Book 3 §10.9, TERM-FIN-10).
 */
export class IssuerHostWithWrongArpc extends IssuerHost {
  override arpc(req: Pick<AuthorisationRequest, 'suite' | 'pan' | 'psn' | 'atc' | 'arqc'>, arc: Bytes): Bytes {
    const arpc = super.arpc(req, arc).slice();
    arpc[arpc.length - 1]! ^= 0x01;
    return arpc;
  }
}

/** Where a card fault was put: the card's trace length when the terminal got the faulty answer. */
export interface RecordFault {
  /** The card's trace length when the faulty answer was given; undefined while not yet given. */
  at?: number;
}

/**
 * The card session as a terminal sees it when the card answers `sw` to the
 * `nth` READ RECORD after GET PROCESSING OPTIONS — a record the AFL names
 * that the card cannot return (EMV 4.3 Book 3 §10.2: the transaction is
 * terminated). The faulty READ RECORD does not reach the card; everything
 * else passes through and is recorded as usual.
 */
export function withRecordFault(session: CardSession, nth: number, sw: number, fault: RecordFault): CardSession {
  let afterGpo = false;
  let reads = 0;
  return new Proxy(session, {
    get(target, prop) {
      if (prop === 'send')
        return async (apdu: Parameters<CardSession['send']>[0], options?: Parameters<CardSession['send']>[1]) => {
          const bytes = apdu instanceof Uint8Array ? apdu : undefined;
          if (bytes && bytes[0] === 0x80 && bytes[1] === 0xa8) afterGpo = true;
          return target.send(apdu, options);
        };
      if (prop === 'readRecord')
        return async (...args: Parameters<CardSession['readRecord']>): Promise<ResponseApdu> => {
          if (afterGpo && ++reads === nth) {
            fault.at = target.recorder.mark();
            return { data: new Uint8Array(0), sw };
          }
          return target.readRecord(...args);
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The issuer script commands among `sent` (EMV 4.3 Book 3 §10.10: proprietary
 * class, secured — everything of class 8x but GET PROCESSING OPTIONS, GET DATA
 * and GENERATE AC), split at the command of index `at` (the second GENERATE AC).
 */
export function scriptCommandsAround(sent: readonly SentCommand[], at: number): { before: SentCommand[]; after: SentCommand[] } {
  const script = (c: SentCommand) => (c.cla & 0xf0) === 0x80 && ![0xae, 0xca, 0xa8].includes(c.ins);
  return { before: sent.slice(0, at).filter(script), after: sent.slice(at + 1).filter(script) };
}
