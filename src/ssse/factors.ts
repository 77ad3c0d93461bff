/**
 * Diversification factors of the social-security keys (observed in public
 * PSAM and terminal implementations; a key-set option, not a rule of the
 * standard text): the card factor is the rightmost 8 bytes of the card
 * identification code (EF05 tag 01), the city factor the city code (its first
 * 3 bytes, BCD) padded with 00 to 8 bytes.
 */
import { type Bytes, concat } from '../core/bytes.ts';
import type { FactorName } from '../perso/keyset.ts';

export function diversificationFactors(cardIdCode: Bytes): Record<FactorName, Bytes> {
  if (cardIdCode.length !== 16) throw new RangeError(`the card identification code has 16 bytes, got ${cardIdCode.length}`);
  return { card: cardIdCode.slice(8, 16), city: concat(cardIdCode.slice(0, 3), new Uint8Array(5)) };
}
