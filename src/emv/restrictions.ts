/**
 * Processing restrictions, EMV 4.x Book 3 §10.4 (JR/T 0025 the same): the
 * terminal checks whether the application may be used for this transaction
 * and records the outcome in byte 2 of the TVR; nothing here declines the
 * transaction by itself (terminal action analysis does, from the TVR).
 *
 * - §10.4.1 Application Version Number: card 9F08 against terminal 9F09;
 *   absent on the card → compatible.
 * - §10.4.2 Application Usage Control 9F07 (Annex C2, Table 38): ATM / other
 *   than ATM (needs 9F07 only); domestic / international cash, goods,
 *   services and cashback (needs 9F07 and the issuer country code 5F28;
 *   domestic when 5F28 equals the terminal country code 9F1A).
 * - §10.4.3 Application Effective / Expiration Dates 5F25 / 5F24 against the
 *   transaction date 9A (YYMMDD, Book 4 §6.7.3 century rule).
 */
import { type Bytes, equal, toHex } from '../core/bytes.ts';
import { compareYymmdd, isAtm, numericBytes, parseYymmdd } from './data.ts';
import { type TvrBit, newTvr, setTvr } from './tvr.ts';

/** Application Usage Control 9F07 bits (Book 3 Annex C2, Table 38): [byte index, mask]. */
export const AUC = {
  domesticCash: [0, 0x80],
  internationalCash: [0, 0x40],
  domesticGoods: [0, 0x20],
  internationalGoods: [0, 0x10],
  domesticServices: [0, 0x08],
  internationalServices: [0, 0x04],
  atm: [0, 0x02],
  otherThanAtm: [0, 0x01],
  domesticCashback: [1, 0x80],
  internationalCashback: [1, 0x40],
} as const satisfies Record<string, readonly [number, number]>;

export type AucBit = keyof typeof AUC;

export function aucAllows(auc: Bytes, bit: AucBit): boolean {
  const [i, m] = AUC[bit];
  return ((auc[i] ?? 0) & m) !== 0;
}

/** What the cardholder asks for, as Application Usage Control sees it. */
export type ServiceKind = 'cash' | 'goods' | 'services';

/**
 * The service of a Transaction Type 9C: 01 (cash) → cash; 00 (goods and
 * services) and 09 (purchase with cashback) → goods (a terminal selling
 * services says so with `service`); other types (refund, inquiry…) have no
 * Application Usage Control bit.
 */
export function serviceOfTransactionType(type: string): ServiceKind | undefined {
  if (type === '01') return 'cash';
  if (type === '00' || type === '09') return 'goods';
  return undefined;
}

/** The terminal side of the checks; {@link TerminalTransaction} of data.ts fits it. */
export interface RestrictionsTerminal {
  /** 9F1A, 4 digits. */
  terminalCountry: string;
  /** 9F35, 2 digits. */
  terminalType: string;
  /** 9F40. */
  additionalCapabilities: Bytes;
  /** 9F09. */
  applicationVersion: Bytes;
  /** 9A YYMMDD. */
  date: string;
  /** 9C. */
  type: string;
  /** 9F03, minor unit: a cashback part when non-zero. */
  amountOther: number;
}

export interface RestrictionsOptions {
  /** Overrides {@link serviceOfTransactionType} (e.g. 'services' at a service merchant). */
  service?: ServiceKind;
  /** Further application version numbers the terminal accepts besides 9F09 (e.g. 0020 and 0030). */
  acceptedVersions?: readonly Bytes[];
  /** The TVR to set bits in (default: a fresh one). */
  tvr?: Bytes;
}

export interface Finding {
  bit: TvrBit;
  reason: string;
}

export interface RestrictionsResult {
  tvr: Bytes;
  findings: Finding[];
  /** Domestic (5F28 = 9F1A), international, or unknown when 5F28 is absent. */
  scope: 'domestic' | 'international' | 'unknown';
}

/** §10.4.1: compares 9F08 with the terminal's version(s). */
export function checkApplicationVersion(card: Bytes | undefined, terminal: Bytes, accepted: readonly Bytes[] = []): Finding[] {
  if (!card) return [];
  if (equal(card, terminal) || accepted.some((v) => equal(v, card))) return [];
  return [
    {
      bit: 'differentVersions',
      reason: `card application version ${toHex(card)}, terminal ${[terminal, ...accepted].map((v) => toHex(v)).join('/')}`,
    },
  ];
}

/** §10.4.2: checks 9F07 against the terminal and the requested service. */
export function checkUsageControl(
  auc: Bytes | undefined,
  issuerCountry: Bytes | undefined,
  t: Pick<RestrictionsTerminal, 'terminalCountry' | 'terminalType' | 'additionalCapabilities'>,
  service: ServiceKind | undefined,
  cashback: boolean,
): Finding[] {
  if (!auc) return [];
  const out: Finding[] = [];
  const deny = (reason: string) => out.push({ bit: 'serviceNotAllowed', reason });
  if (isAtm(t.terminalType, t.additionalCapabilities)) {
    if (!aucAllows(auc, 'atm')) deny(`application usage control ${toHex(auc)} is not valid at ATMs`);
  } else if (!aucAllows(auc, 'otherThanAtm')) deny(`application usage control ${toHex(auc)} is not valid at terminals other than ATMs`);
  if (!issuerCountry) return out;
  const domestic = equal(issuerCountry, numericBytes(t.terminalCountry, 2));
  const scope = domestic ? 'domestic' : 'international';
  if (service) {
    const bit = `${scope}${service === 'cash' ? 'Cash' : service === 'goods' ? 'Goods' : 'Services'}` as AucBit;
    if (!aucAllows(auc, bit))
      deny(
        `application usage control ${toHex(auc)} does not allow ${scope} ${service} (issuer country ${toHex(issuerCountry)}, terminal ${t.terminalCountry})`,
      );
  }
  if (cashback && !aucAllows(auc, domestic ? 'domesticCashback' : 'internationalCashback')) {
    deny(`application usage control ${toHex(auc)} does not allow ${scope} cashback`);
  }
  return out;
}

/** §10.4.3: effective date ≤ transaction date ≤ expiration date. A malformed card date counts as failing its check. */
export function checkDates(date: string, effective: Bytes | undefined, expiry: Bytes | undefined): Finding[] {
  parseYymmdd(date);
  const out: Finding[] = [];
  const valid = (d: Bytes) => {
    try {
      parseYymmdd(d);
      return true;
    } catch {
      return false;
    }
  };
  if (effective) {
    if (!valid(effective))
      out.push({ bit: 'notYetEffective', reason: `application effective date ${toHex(effective)} is not a YYMMDD date` });
    else if (compareYymmdd(date, effective) < 0)
      out.push({ bit: 'notYetEffective', reason: `transaction date ${date} is before the effective date ${toHex(effective)}` });
  }
  if (expiry) {
    if (!valid(expiry)) out.push({ bit: 'expired', reason: `application expiration date ${toHex(expiry)} is not a YYMMDD date` });
    else if (compareYymmdd(date, expiry) > 0)
      out.push({ bit: 'expired', reason: `transaction date ${date} is after the expiration date ${toHex(expiry)}` });
  }
  return out;
}

/**
 * All processing restrictions (Book 3 §10.4) from the card's data elements
 * by tag (9F08, 9F07, 5F28, 5F25, 5F24, as read from the records) and the
 * terminal's transaction data; sets TVR byte 2 bits.
 */
export function processingRestrictions(
  card: ReadonlyMap<number, Bytes>,
  t: RestrictionsTerminal,
  opts: RestrictionsOptions = {},
): RestrictionsResult {
  const tvr = opts.tvr ?? newTvr();
  const issuerCountry = card.get(0x5f28);
  const service = opts.service ?? serviceOfTransactionType(t.type);
  const cashback = t.type === '09' || t.amountOther > 0;
  const findings = [
    ...checkApplicationVersion(card.get(0x9f08), t.applicationVersion, opts.acceptedVersions),
    ...checkUsageControl(card.get(0x9f07), issuerCountry, t, service, cashback),
    ...checkDates(t.date, card.get(0x5f25), card.get(0x5f24)),
  ];
  for (const f of findings) setTvr(tvr, f.bit);
  const scope = !issuerCountry ? 'unknown' : equal(issuerCountry, numericBytes(t.terminalCountry, 2)) ? 'domestic' : 'international';
  return { tvr, findings, scope };
}
