/**
 * Checks whose expected outcome the profile declares, because the standard
 * allows more than one conforming behaviour (profile `behaviour`).
 */
import type { Bytes } from '../core/bytes.ts';
import type { ResponseApdu } from '../core/apdu.ts';
import { SW, sw6C, swHex } from '../core/sw.ts';
import { DEFAULT_BEHAVIOUR } from '../model/behaviour.ts';
import type { Profile } from '../model/profile.ts';
import { expectData, fail } from './expect.ts';

/**
 * READ BINARY with an explicit Le that crosses the end of the EF
 * (ISO/IEC 7816-4 §7.2.3): 6Cxx with the bytes left, or those bytes with 6282.
 */
export function expectReadPastEnd(r: ResponseApdu, profile: Profile, rest: Bytes): void {
  const mode = profile.behaviour?.readBinaryBeyondEnd ?? DEFAULT_BEHAVIOUR.readBinaryBeyondEnd;
  if (mode === '6282') {
    if (r.sw !== SW.END_OF_FILE) fail(`profile declares 6282 with the remaining bytes; card answered ${swHex(r.sw)}`);
    expectData(r, rest, 'bytes up to the end of the EF');
  } else if (r.sw !== sw6C(rest.length)) {
    fail(`profile declares 6Cxx with the ${rest.length} bytes left (${swHex(sw6C(rest.length))}); card answered ${swHex(r.sw)}`);
  }
}
