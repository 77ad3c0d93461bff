/**
 * Diversification factors of the social-security keys (observed in public
 * PSAM and terminal implementations; a key-set option, not a rule of the
 * standard text): the card factor is the rightmost 8 bytes of the card
 * identification code (EF05 tag 01), the city factor the city code (its first
 * 3 bytes, BCD) padded with 00 to 8 bytes.
 */
import { type Bytes, concat, fromHex } from '../core/bytes.ts';
import type { DfJson, EfJson, Profile } from '../model/profile.ts';
import type { FactorName } from '../model/keyset.ts';

export function diversificationFactors(cardIdCode: Bytes): Record<FactorName, Bytes> {
  if (cardIdCode.length !== 16) throw new RangeError(`the card identification code has 16 bytes, got ${cardIdCode.length}`);
  return { card: cardIdCode.slice(8, 16), city: concat(cardIdCode.slice(0, 3), new Uint8Array(5)) };
}

/**
 * Factors from the ATR's historical bytes (observed on cards that protect
 * EF05): the last 8 bytes are the card factor, the 3 before them the city code.
 */
export function factorsFromHistoricalBytes(historical: Bytes): Record<FactorName, Bytes> {
  if (historical.length < 11)
    throw new RangeError(`the historical bytes carry no diversification factors (${historical.length} bytes, 11 needed)`);
  const n = historical.length;
  return { card: historical.slice(n - 8), city: concat(historical.slice(n - 11, n - 8), new Uint8Array(5)) };
}

/**
 * The factors of the card a profile describes: from the card identification
 * code in the SSSE's EF05 (SFI 5), record with tag 01, or from the ATR's
 * historical bytes when the profile says so.
 */
export function factorsOfProfile(profile: Profile): Record<FactorName, Bytes> | undefined {
  if (profile.diversificationFactors === 'atr-historical-bytes') return factorsFromHistoricalBytes(fromHex(profile.atr.historical));
  const ssse = profile.fileSystem.children.find((c): c is DfJson => c.kind === 'DF' && c.environment === 'SSSE');
  const ef05 = ssse?.children?.find((c): c is EfJson => c.kind === 'EF' && c.sfi === 5);
  const record = ef05?.records?.map((r) => fromHex(r)).find((r) => r[0] === 0x01 && r[1] === 16);
  return record ? diversificationFactors(record.slice(2, 18)) : undefined;
}
