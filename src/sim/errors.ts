import { describeSw } from '../core/sw.ts';

/**
 * Raised by simulator handlers to answer a command with a status word; the
 * dispatcher turns it into the response APDU. Nothing else leaves the card.
 */
export class CardError extends Error {
  constructor(
    readonly sw: number,
    reason?: string,
  ) {
    super(reason ?? describeSw(sw).meaning);
    this.name = 'CardError';
  }
}

export function fail(sw: number, reason?: string): never {
  throw new CardError(sw, reason);
}
