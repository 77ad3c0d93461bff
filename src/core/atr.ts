/**
 * Answer-to-reset, ISO/IEC 7816-3:2006 §8.2 (TS, T0, TAi/TBi/TCi/TDi interface
 * bytes, historical bytes, TCK). Built for the simulator from a profile and
 * parsed for the report's environment.
 */
import { type Bytes, concat, toHex } from './bytes.ts';

export type Protocol = 'T=0' | 'T=1';

export interface AtrInfo {
  ts: number;
  protocols: Protocol[];
  historical: Bytes;
  /** TA1 (Fi/Di) when present. */
  ta1?: number;
  tckPresent: boolean;
  tckValid: boolean;
  hex: string;
}

export class AtrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AtrError';
  }
}

/**
 * Builds a direct-convention ATR offering `protocols` (the first one is the
 * default protocol), with optional TA1, and up to 15 historical bytes.
 *   T=0 only: 3B 6K 00 00 <hist>           (TB1, TC1 = 00; no TCK)
 *   T=1 ...:  3B EK 00 00 8x 31 FE 45 ...  (TD1 → T=1, TA3 IFSC 254, TB3 BWI 4 CWI 5), TCK
 */
export function buildAtr(protocols: Protocol[], historical: Bytes, ta1?: number): Bytes {
  if (historical.length > 15) throw new AtrError('at most 15 historical bytes');
  if (protocols.length === 0) throw new AtrError('at least one protocol');
  const k = historical.length;
  const hasT1 = protocols.includes('T=1');
  const ta = ta1 !== undefined ? [ta1] : [];
  const y1 = (ta1 !== undefined ? 0x10 : 0) | 0x20 | 0x40 | (hasT1 ? 0x80 : 0);
  const body: number[] = [y1 | k, ...ta, 0x00, 0x00];
  if (hasT1) {
    if (protocols[0] === 'T=0') {
      // TD1 announces T=0 then TD2 announces T=1 with TA3/TB3.
      body.push(0x80, 0x31, 0xfe, 0x45);
    } else {
      body.push(0x81, 0x31, 0xfe, 0x45);
    }
  }
  const withHist = concat(body, historical);
  if (!hasT1) return concat([0x3b], withHist);
  let tck = 0;
  for (const b of withHist) tck ^= b;
  return concat([0x3b], withHist, [tck]);
}

export function parseAtr(atr: Bytes): AtrInfo {
  if (atr.length < 2) throw new AtrError(`an ATR has at least TS and T0, got ${atr.length} byte(s)`);
  const ts = atr[0]!;
  if (ts !== 0x3b && ts !== 0x3f) throw new AtrError(`TS must be 3B or 3F, got ${toHex([ts])}`);
  let i = 1;
  const t0 = atr[i++]!;
  const k = t0 & 0x0f;
  let y = t0 >> 4;
  const protocols: Protocol[] = [];
  let ta1: number | undefined;
  let level = 1;
  let anyTd = false;
  let otherThanT0 = false;
  for (;;) {
    if (y & 0x1) {
      if (i >= atr.length) throw new AtrError('ATR ends inside its interface bytes');
      if (level === 1) ta1 = atr[i];
      i++;
    }
    if (y & 0x2) i++;
    if (y & 0x4) i++;
    if (i > atr.length) throw new AtrError('ATR ends inside its interface bytes');
    if (y & 0x8) {
      if (i >= atr.length) throw new AtrError('ATR ends inside its interface bytes');
      const td = atr[i++]!;
      anyTd = true;
      const t = td & 0x0f;
      if (t !== 0) otherThanT0 = true;
      const p: Protocol | undefined = t === 0 ? 'T=0' : t === 1 ? 'T=1' : undefined;
      if (p && !protocols.includes(p)) protocols.push(p);
      y = td >> 4;
      level++;
    } else break;
  }
  if (!anyTd) protocols.push('T=0');
  if (i + k > atr.length) throw new AtrError(`ATR announces ${k} historical bytes but has ${atr.length - i}`);
  const historical = atr.slice(i, i + k);
  // TCK is absent only when T=0 alone is indicated (possibly by default); T=15 counts (ISO/IEC 7816-3 §8.2.5).
  const tckPresent = otherThanT0;
  let tckValid = true;
  if (tckPresent) {
    if (atr.length !== i + k + 1) throw new AtrError('TCK missing');
    let x = 0;
    for (let j = 1; j < atr.length; j++) x ^= atr[j]!;
    tckValid = x === 0;
  } else if (atr.length !== i + k) {
    throw new AtrError(`${atr.length - i - k} unexpected byte(s) after the historical bytes`);
  }
  const info: AtrInfo = { ts, protocols, historical, tckPresent, tckValid, hex: toHex(atr) };
  if (ta1 !== undefined) info.ta1 = ta1;
  return info;
}
