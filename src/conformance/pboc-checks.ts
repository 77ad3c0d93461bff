/**
 * Checks of PBOC data structures the scenarios look at (JR/T 0025 ≈ EMV 4.x
 * Book 1 §12.2 directory, Book 3 Annex C1 application usage control).
 */
import type { Bytes } from '../core/bytes.ts';
import { TlvError, findAll, findTag } from '../core/tlv.ts';
import { AflError } from '../emv/afl.ts';
import { DolError, parseDol } from '../emv/dol.ts';
import { AtrError } from '../core/atr.ts';
import { OdaError } from '../pboc/oda-format.ts';
import { fail, tlvOf } from './expect.ts';

/**
 * Whether an error thrown while the harness works on the card's data is the
 * card's doing: a signature or certificate that does not recover (OdaError),
 * malformed TLV, AFL or DOL data, or a value out of the range its format
 * allows (RangeError from a length or size the card gave).
 */
export function isCardDataError(e: unknown): e is Error {
  return e instanceof OdaError || e instanceof TlvError || e instanceof AflError || e instanceof DolError || e instanceof RangeError;
}

/**
 * The general rule behind {@link cardFault}, for errors that escape a step: a
 * signature or certificate that does not recover, malformed TLV, AFL or DOL
 * data, a malformed ATR — failures only the card's answers can cause, since
 * profiles, vectors and plans are validated before anything runs — are the
 * card's non-conformity under the step's requirement, never a tool error.
 * Returns the error to throw: the non-conformity, or `e` itself.
 */
export function asCardNonConformity(e: unknown): unknown {
  if (!(e instanceof OdaError || e instanceof TlvError || e instanceof AflError || e instanceof DolError || e instanceof AtrError))
    return e;
  try {
    fail(`the card's data do not hold together (${e.name}): ${e.message}`);
  } catch (nc) {
    return nc;
  }
}

/**
 * Runs `f` on the card's data; an error the card's data caused becomes the
 * check's own failure (a non-conformity naming `what`), anything else
 * propagates as a tool error.
 */
export function cardFault<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isCardDataError(e)) fail(`${what}: ${e.message}`);
    throw e;
  }
}

/** {@link cardFault} for an operation that talks to the card. */
export async function cardFaultAsync<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isCardDataError(e)) fail(`${what}: ${e.message}`);
    throw e;
  }
}

/** AIDs (4F) of the directory entries (61) in a PSE directory record (70). */
export function directoryAids(record: Bytes): Bytes[] {
  const top = tlvOf(record, 'the directory record').find((t) => t.tag === 0x70);
  return top ? findAll(top.children ?? [], 0x61).flatMap((e) => (e.children ?? []).filter((c) => c.tag === 0x4f).map((c) => c.value)) : [];
}

/** AIDs (4F) of the directory entries (61) in an FCI's issuer discretionary data (BF0C), as a PPSE answers. */
export function fciDirectoryAids(fci: Bytes): Bytes[] {
  const bf0c = findTag(tlvOf(fci, 'the FCI'), 0xbf0c);
  return bf0c
    ? findAll(bf0c.children ?? [], 0x61).flatMap((e) => (e.children ?? []).filter((c) => c.tag === 0x4f).map((c) => c.value))
    : [];
}

/** The tags a PDOL (9F38 in an FCI) requests. */
export function pdolTags(fci: Bytes): number[] {
  const pdol = findTag(tlvOf(fci, 'the FCI'), 0x9f38);
  return pdol ? cardFault('the PDOL 9F38', () => parseDol(pdol.value)).map((e) => e.tag) : [];
}

/** Application usage control 9F07 (EMV Book 3 Annex C1): what it allows. */
export function usageControl(auc: Bytes): { domestic: boolean; international: string[] } {
  const b1 = auc[0] ?? 0;
  const b2 = auc[1] ?? 0;
  const international: string[] = [];
  if (b1 & 0x40) international.push('cash');
  if (b1 & 0x10) international.push('goods');
  if (b1 & 0x04) international.push('services');
  if (b2 & 0x40) international.push('cashback');
  return { domestic: (b1 & 0x80) !== 0 || (b1 & 0x20) !== 0 || (b1 & 0x08) !== 0, international };
}

/** Static data with one bit of the PAN (5A) changed, for a negative ODA check. */
export function tamperPan(staticData: Bytes): Bytes {
  const out = staticData.slice();
  const i = out.findIndex((b, j) => b === 0x5a && j + 2 < out.length);
  out[i >= 0 ? i + 2 : 0]! ^= 0x01;
  return out;
}

/**
 * What is wrong with the ATCs of a card's cryptogram responses (JR/T 0025.5,
 * EMV 4.3 Book 3 §4.4 application transaction counter): the cryptograms of one
 * transaction carry the same ATC, each transaction's is higher than the one
 * before, and GET DATA 9F36 tells the last. Undefined when they are right.
 */
export function atcProblem(seen: readonly { transaction: number; atc: number }[], now: number): string | undefined {
  if (seen.length === 0) return 'no cryptogram response carried an ATC';
  for (let i = 1; i < seen.length; i++) {
    const a = seen[i - 1]!;
    const b = seen[i]!;
    if (b.transaction === a.transaction && b.atc !== a.atc)
      return `the cryptograms of one transaction carry the ATCs ${a.atc} and ${b.atc}`;
    if (b.transaction !== a.transaction && b.atc <= a.atc)
      return `a transaction's cryptogram carries the ATC ${b.atc}, not above the ${a.atc} of the transaction before`;
  }
  const last = seen[seen.length - 1]!.atc;
  if (now !== last) return `GET DATA 9F36 tells ${now}, the last cryptogram carried ${last}`;
  return undefined;
}
