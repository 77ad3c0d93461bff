/**
 * The authentication defects (sim/defects/authentication.ts) at the APDU
 * level: each one, on a personalised card of the default profile, shows the
 * faulty behaviour its description names, and the clean card does not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type Bytes, concat, fromHex, toHex } from '../core/bytes.ts';
import { PROJECT_ROOT } from '../core/json.ts';
import { GET_CHALLENGE, type KeyMaterial, externalAuthenticate, verifyPin } from '../cos/commands.ts';
import { pinBlock, securedCommand, wrapKey } from '../cos/formats.ts';
import { personalisedCard } from '../lab/cards.ts';
import { keysetPath, loadProfile } from '../lab/profile.ts';
import { AUTHENTICATION_DEFECTS } from '../model/defects/authentication.ts';
import type { DefectId } from '../model/defects.ts';
import { loadKeyset } from '../model/keyset.ts';
import { factorsOfProfile } from '../ssse/factors.ts';
import type { SimulatedCard } from './card.ts';
import { exchangeT0 } from './t0-exchange.ts';

const PROFILE_FILE = join(PROJECT_ROOT, 'profiles', 'default.json');
const PROFILE = loadProfile(PROFILE_FILE);
const KEYSET = loadKeyset(keysetPath(PROFILE, PROFILE_FILE));
const CLEAN = await personalisedCard(PROFILE, KEYSET);
const FACTORS = factorsOfProfile(PROFILE)!;
const ssseKey = (id: number): KeyMaterial => KEYSET.cardKey('SSSE', id, FACTORS);

const SELECT_SSSE = '00A4000C02DDF1';
const SELECT_PSE = '00A4000C02DDF2';
const SELECT_ADF = '00A4040008A000000333010101';
const SELECT_EF0C = '00A4020C02EF0C';
const RIGHT = '123456';
const WRONG = '000000';

/** A personalised card with the defect, and a clean one. */
async function pair(id: DefectId): Promise<{ bad: SimulatedCard; clean: SimulatedCard }> {
  const bad = await personalisedCard({ ...structuredClone(PROFILE), simulator: { defects: [id] } }, KEYSET);
  return { bad, clean: CLEAN.clone() };
}

/** Sends one command as a T=0 terminal would (6Cxx re-sent, 61xx fetched); data and status word in hex. */
function send(c: SimulatedCard, apdu: Bytes | string): { data: string; sw: string } {
  const r = exchangeT0(c, apdu);
  return { data: toHex(r.subarray(0, r.length - 2)), sw: toHex(r.subarray(r.length - 2)) };
}

const sw = (c: SimulatedCard, apdu: Bytes | string): string => send(c, apdu).sw;

function ok(c: SimulatedCard, apdu: Bytes | string, what: string): string {
  const a = send(c, apdu);
  assert.equal(a.sw, '9000', what);
  return a.data;
}

const challenge = (c: SimulatedCard): Bytes => fromHex(ok(c, GET_CHALLENGE, 'GET CHALLENGE'));

/** Runs `steps` on both cards from the SSSE and returns the last status word of each. */
function both(cards: { bad: SimulatedCard; clean: SimulatedCard }, steps: (c: SimulatedCard) => string): [string, string] {
  return [cards.bad, cards.clean].map((c) => {
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    return steps(c);
  }) as [string, string];
}

const wrongTimes = (c: SimulatedCard, n: number): void => {
  for (let i = 0; i < n; i++) sw(c, verifyPin(0, WRONG));
};

/** Tries left of the SSSE PIN 0, by GET KEY INFO. */
const pinTries = (c: SimulatedCard): number => fromHex(ok(c, '80CA010000', 'GET KEY INFO'))[7]!;

/** A secured SSSE command with the MAC of `key` over the card's challenge; `mac` rewrites the MAC. */
function secured(c: SimulatedCard, header: number[], data: Bytes, key: KeyMaterial, mac: (m: Bytes) => Bytes = (m) => m): Bytes {
  const apdu = securedCommand(key.alg, key.value, challenge(c), new Uint8Array(header), data);
  return concat(apdu.slice(0, apdu.length - 4), mac(apdu.slice(apdu.length - 4)));
}

const lastByteFlipped = (m: Bytes): Bytes => concat(m.slice(0, -1), [m[m.length - 1]! ^ 0x01]);

test('every authentication defect has a test below', () => {
  assert.equal(AUTHENTICATION_DEFECTS.length, 24);
});

// ---------------------------------------------------------------- state after a failure

test('verify-failure-keeps-verified: a wrong VERIFY after the right one leaves the PIN verified', async () => {
  const r = both(await pair('verify-failure-keeps-verified'), (c) => {
    ok(c, verifyPin(0, RIGHT), 'VERIFY');
    assert.equal(sw(c, verifyPin(0, WRONG)), '63C2');
    return sw(c, '00200000');
  });
  assert.deepEqual(r, ['9000', '63C2']);
});

test('pin-tries-not-decremented: a wrong PIN answers 63C3 and keeps 3 tries', async () => {
  const r = both(await pair('pin-tries-not-decremented'), (c) => `${sw(c, verifyPin(0, WRONG))} ${pinTries(c)}`);
  assert.deepEqual(r, ['63C3 3', '63C2 2']);
});

test('pin-tries-reported-before-decrement: 63C3 although 2 tries are left', async () => {
  const r = both(await pair('pin-tries-reported-before-decrement'), (c) => `${sw(c, verifyPin(0, WRONG))} ${pinTries(c)}`);
  assert.deepEqual(r, ['63C3 2', '63C2 2']);
});

test('pin-tries-not-reset-after-success: the right PIN after a wrong one leaves 2 tries', async () => {
  const r = both(await pair('pin-tries-not-reset-after-success'), (c) => {
    wrongTimes(c, 1);
    ok(c, verifyPin(0, RIGHT), 'VERIFY');
    return String(pinTries(c));
  });
  assert.deepEqual(r, ['2', '3']);
});

test('pin-blocked-one-early: with one try left the right PIN is refused 6983', async () => {
  const r = both(await pair('pin-blocked-one-early'), (c) => {
    wrongTimes(c, 2);
    return sw(c, verifyPin(0, RIGHT));
  });
  assert.deepEqual(r, ['6983', '9000']);
});

test('pin-blocked-one-late: after 63C0 the right PIN is still accepted', async () => {
  const r = both(await pair('pin-blocked-one-late'), (c) => {
    wrongTimes(c, 3);
    return sw(c, verifyPin(0, RIGHT));
  });
  assert.deepEqual(r, ['9000', '6983']);
});

test('pin-verified-on-last-wrong-try: the blocking wrong PIN opens EF0C (update after the PIN)', async () => {
  const r = both(await pair('pin-verified-on-last-wrong-try'), (c) => {
    wrongTimes(c, 2);
    assert.equal(sw(c, verifyPin(0, WRONG)), '63C0');
    ok(c, SELECT_EF0C, 'SELECT EF0C');
    return sw(c, '00D600000101');
  });
  assert.deepEqual(r, ['9000', '6982']);
});

test('security-state-survives-reset: a PIN verified before a reset is verified again in the SSSE after it', async () => {
  const r = both(await pair('security-state-survives-reset'), (c) => {
    ok(c, verifyPin(0, RIGHT), 'VERIFY');
    c.reset();
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    return sw(c, '00200000');
  });
  assert.deepEqual(r, ['9000', '63C3']);
});

test('key-tries-not-decremented: a wrong cryptogram answers 63C5 and keeps the key try counter', async () => {
  const r = both(await pair('key-tries-not-decremented'), (c) => {
    const first = sw(c, externalAuthenticate(1, ssseKey(6), challenge(c)));
    return `${first} ${sw(c, externalAuthenticate(1, ssseKey(6), challenge(c)))}`;
  });
  assert.deepEqual(r, ['63C5 63C5', '63C4 63C3']);
});

test('offline-pin-tries-not-decremented: the PBOC offline PIN keeps its 3 tries after a wrong PIN', async () => {
  const { bad, clean } = await pair('offline-pin-tries-not-decremented');
  const r = [bad, clean].map((c) => {
    ok(c, SELECT_PSE, 'SELECT PSE');
    ok(c, SELECT_ADF, 'SELECT ADF');
    const first = sw(c, '002000800826888880FFFFFFFF');
    return `${first} ${sw(c, '002000800826888880FFFFFFFF')}`;
  });
  assert.deepEqual(r, ['63C3 63C3', '63C2 63C1']);
  ok(clean, '002000800826888888FFFFFFFF', 'the right offline PIN');
});

// ---------------------------------------------------------------- near misses

test('pin-last-digit-ignored: 123450 is accepted for 123456', async () => {
  const r = both(await pair('pin-last-digit-ignored'), (c) => sw(c, verifyPin(0, '123450')));
  assert.deepEqual(r, ['9000', '63C2']);
});

test('pin-prefix-accepted: 1234 is accepted for 123456', async () => {
  const r = both(await pair('pin-prefix-accepted'), (c) => sw(c, verifyPin(0, '1234')));
  assert.deepEqual(r, ['9000', '63C2']);
});

test('cryptogram-compared-on-4-bytes: a cryptogram wrong in its last byte authenticates', async () => {
  const r = both(await pair('cryptogram-compared-on-4-bytes'), (c) =>
    sw(c, lastByteFlipped(externalAuthenticate(1, ssseKey(1), challenge(c)))),
  );
  assert.deepEqual(r, ['9000', '63C4']);
});

test('external-auth-any-key-type: the internal authentication key serves EXTERNAL AUTHENTICATE', async () => {
  const r = both(await pair('external-auth-any-key-type'), (c) => sw(c, externalAuthenticate(2, ssseKey(2), challenge(c))));
  assert.deepEqual(r, ['9000', '6985']);
});

test('external-auth-any-key-of-environment: key 1 is granted for a cryptogram of the read key 6', async () => {
  const { bad, clean } = await pair('external-auth-any-key-of-environment');
  const r = both({ bad, clean }, (c) => sw(c, externalAuthenticate(1, ssseKey(6), challenge(c))));
  assert.deepEqual(r, ['9000', '63C4']);
  assert.ok(bad.context.security.keys.has(1));
});

test('mac-last-byte-ignored: APPLICATION BLOCK with the last MAC byte wrong blocks the SSSE', async () => {
  const r = both(await pair('mac-last-byte-ignored'), (c) => {
    const block = sw(c, secured(c, [0x84, 0x1e, 0, 0], new Uint8Array(0), ssseKey(3), lastByteFlipped));
    return `${block} ${sw(c, SELECT_SSSE)}`;
  });
  assert.deepEqual(r, ['9000 6283', '6988 9000']);
});

test('mac-unchecked-without-data: APPLICATION BLOCK with MAC 00000000 and no challenge blocks the SSSE', async () => {
  const r = both(await pair('mac-unchecked-without-data'), (c) => sw(c, '841E00000400000000'));
  assert.equal(r[0], '9000');
  assert.notEqual(r[1], '9000');
});

test('change-pin-old-unchecked-when-verified: after VERIFY, CHANGE PIN with a wrong old PIN sets the new one', async () => {
  const r = both(await pair('change-pin-old-unchecked-when-verified'), (c) => {
    ok(c, verifyPin(0, RIGHT), 'VERIFY');
    const data = concat(pinBlock(WRONG), [0xff], pinBlock('654321'));
    return sw(c, concat([0x80, 0x5e, 0x01, 0x00, data.length], data));
  });
  assert.deepEqual(r, ['9000', '63C2']);
});

// ---------------------------------------------------------------- freshness and replay

test('challenge-kept-after-failed-auth: after a wrong cryptogram the same challenge serves the right one', async () => {
  const r = both(await pair('challenge-kept-after-failed-auth'), (c) => {
    const ch = challenge(c);
    assert.equal(sw(c, externalAuthenticate(1, ssseKey(6), ch)), '63C4');
    return sw(c, externalAuthenticate(1, ssseKey(1), ch));
  });
  assert.deepEqual(r, ['9000', '6984']);
});

test('challenge-reusable: the same EXTERNAL AUTHENTICATE is accepted twice', async () => {
  const r = both(await pair('challenge-reusable'), (c) => {
    const apdu = externalAuthenticate(1, ssseKey(1), challenge(c));
    ok(c, apdu, 'first EXTERNAL AUTHENTICATE');
    return sw(c, apdu);
  });
  assert.deepEqual(r, ['9000', '6984']);
});

test('secured-command-replay: a recorded APPLICATION UNBLOCK is accepted again', async () => {
  const r = both(await pair('secured-command-replay'), (c) => {
    const apdu = secured(c, [0x84, 0x18, 0, 0], new Uint8Array(0), ssseKey(3));
    ok(c, apdu, 'APPLICATION UNBLOCK');
    return sw(c, apdu);
  });
  assert.deepEqual(r, ['9000', '6984']);
});

test('challenge-repeats-after-reset: the first challenge after each reset is the same', async () => {
  const { bad, clean } = await pair('challenge-repeats-after-reset');
  const firstAfterReset = (c: SimulatedCard): string => {
    c.reset();
    ok(c, SELECT_SSSE, 'SELECT SSSE');
    return toHex(challenge(c));
  };
  assert.equal(firstAfterReset(bad), firstAfterReset(bad));
  assert.notEqual(firstAfterReset(clean), firstAfterReset(clean));
  // the challenge it answers is the one the card checks
  ok(bad, SELECT_SSSE, 'SELECT SSSE');
  ok(bad, externalAuthenticate(1, ssseKey(1), challenge(bad)), 'EXTERNAL AUTHENTICATE');
});

// ---------------------------------------------------------------- life cycle

test('pin-unblock-keeps-tries: PIN UNBLOCK of a blocked PIN sets the new PIN but leaves it blocked', async () => {
  const r = both(await pair('pin-unblock-keeps-tries'), (c) => {
    wrongTimes(c, 3);
    const key = ssseKey(4);
    ok(c, secured(c, [0x84, 0x24, 0, 0], wrapKey(key.alg, key.value, pinBlock('111111')), key), 'PIN UNBLOCK');
    return sw(c, verifyPin(0, '111111'));
  });
  assert.deepEqual(r, ['6983', '9000']);
});

test('change-pin-ignores-block: CHANGE PIN with the right old PIN changes and unblocks a blocked PIN', async () => {
  const r = both(await pair('change-pin-ignores-block'), (c) => {
    wrongTimes(c, 3);
    const data = concat(pinBlock(RIGHT), [0xff], pinBlock('654321'));
    return sw(c, concat([0x80, 0x5e, 0x01, 0x00, data.length], data));
  });
  assert.deepEqual(r, ['9000', '6983']);
});
