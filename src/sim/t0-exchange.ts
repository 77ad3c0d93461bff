/**
 * One command exchanged with a simulated card as a T=0 terminal does it
 * (ISO/IEC 7816-3 §10.3.5): 6Cxx re-issues the command with Le = xx, 61xx
 * fetches the data with GET RESPONSE. For the simulator's unit tests, which
 * talk to a card without a channel; an internal fault of the COS (an
 * exception a handler did not turn into a status word) is thrown.
 */
import { type Bytes, concat, fromHex } from '../core/bytes.ts';
import type { SimulatedCard } from './card.ts';

/** The card's response APDU (data ‖ SW1 SW2) to `apdu`, after 6Cxx and 61xx handling. */
export function exchangeT0(card: SimulatedCard, apdu: Bytes | string): Bytes {
  let bytes = typeof apdu === 'string' ? fromHex(apdu) : apdu;
  let r = card.process(bytes);
  if (r.length === 2 && r[0] === 0x6c) {
    bytes = concat(bytes.slice(0, bytes.length - 1), [r[1]!]);
    r = card.process(bytes);
  }
  if (r.length === 2 && r[0] === 0x61) r = card.process(new Uint8Array([0x00, 0xc0, 0x00, 0x00, r[1]!]));
  if (card.lastFault) throw new Error(`internal fault of the simulated COS: ${card.lastFault.message}`, { cause: card.lastFault });
  return r;
}
