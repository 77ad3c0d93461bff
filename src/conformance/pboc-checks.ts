/**
 * Checks of PBOC data structures the scenarios look at (JR/T 0025 ≈ EMV 4.x
 * Book 1 §12.2 directory, Book 3 Annex C1 application usage control).
 */
import type { Bytes } from '../core/bytes.ts';
import { findAll, findTag, parseTlv } from '../core/tlv.ts';
import { parseDol } from '../emv/dol.ts';

/** AIDs (4F) of the directory entries (61) in a PSE directory record (70). */
export function directoryAids(record: Bytes): Bytes[] {
  const top = parseTlv(record).find((t) => t.tag === 0x70);
  return top ? findAll(top.children ?? [], 0x61).flatMap((e) => (e.children ?? []).filter((c) => c.tag === 0x4f).map((c) => c.value)) : [];
}

/** AIDs (4F) of the directory entries (61) in an FCI's issuer discretionary data (BF0C), as a PPSE answers. */
export function fciDirectoryAids(fci: Bytes): Bytes[] {
  const bf0c = findTag(parseTlv(fci), 0xbf0c);
  return bf0c
    ? findAll(bf0c.children ?? [], 0x61).flatMap((e) => (e.children ?? []).filter((c) => c.tag === 0x4f).map((c) => c.value))
    : [];
}

/** The tags a PDOL (9F38 in an FCI) requests. */
export function pdolTags(fci: Bytes): number[] {
  const pdol = findTag(parseTlv(fci), 0x9f38);
  return pdol ? parseDol(pdol.value).map((e) => e.tag) : [];
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
