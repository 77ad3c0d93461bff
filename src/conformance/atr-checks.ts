/**
 * ATR checks, ISO/IEC 7816-3:2006 §8.2: structure, protocol indication, TCK.
 */
import { type Bytes, equal, toHex } from '../core/bytes.ts';
import { AtrError, type AtrInfo, parseAtr } from '../core/atr.ts';
import { fail } from './expect.ts';

export function checkAtr(atr: Bytes): AtrInfo {
  let info: AtrInfo;
  try {
    info = parseAtr(atr);
  } catch (e) {
    if (e instanceof AtrError) fail(`ATR ${toHex(atr, ' ')} is malformed: ${e.message}`);
    throw e;
  }
  if (info.tckPresent && !info.tckValid) fail(`ATR ${info.hex}: TCK is wrong (XOR of T0..TCK is not 00)`);
  return info;
}

export function expectAtrProtocol(atr: Bytes, protocol: string): void {
  const info = checkAtr(atr);
  if (!(info.protocols as string[]).includes(protocol)) {
    fail(`ATR ${info.hex} declares ${info.protocols.join(', ')}, not ${protocol}`);
  }
}

export function expectSameAtr(atr: Bytes, first: Bytes): void {
  if (!equal(atr, first)) fail(`ATR changed: ${toHex(first)} at power-up, ${toHex(atr)} now`);
}
