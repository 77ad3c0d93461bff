/**
 * GET CHALLENGE (ISO/IEC 7816-4 §7.5.3), EXTERNAL AUTHENTICATE (§7.5.4),
 * VERIFY (§7.5.6) and GET KEY INFO (proprietary, cos/formats.ts).
 *
 * Key and PIN try counters are persistent and decremented before the result
 * of the comparison is known: the decrement is committed first, so that
 * cutting the power during the comparison never gives a free try (LD/T 6001
 * part 2, anti-tear of the PIN try counter).
 */
import { concat, equal } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { SW, sw63C } from '../../core/sw.ts';
import { ALG_CODE, authCryptogram, keyCheckValue, pinDigits } from '../../cos/formats.ts';
import { blockSize } from '../../crypto/block.ts';
import { fail } from '../errors.ts';
import type { CardContext, HandlerResult } from '../context.ts';
import { KEY_TYPE } from '../../model/keys.ts';
import type { KeyObject } from '../fs.ts';
import { keyOf, takeChallenge } from '../security.ts';

export function getChallenge(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  if (cmd.data.length !== 0) fail(SW.WRONG_LENGTH, 'GET CHALLENGE takes no data');
  if (cmd.ne !== 4 && cmd.ne !== 8) fail(SW.WRONG_LENGTH, 'the challenge has 4 or 8 bytes');
  const challenge = ctx.random(cmd.ne);
  ctx.security.challenge = challenge;
  return { data: challenge, sizedToNe: true };
}

/** Keys that a terminal may authenticate with. */
const EXTERNAL_AUTH_TYPES: readonly number[] = [KEY_TYPE.MASTER, KEY_TYPE.EXTERNAL_AUTH, KEY_TYPE.READ, KEY_TYPE.MAINTENANCE];

/**
 * Compares a presented value with the expected one under a persistent try
 * counter: decrement and commit, compare, restore on success.
 */
export function counted(ctx: CardContext, obj: { tries: number; maxTries: number }, matches: () => boolean): void {
  if (obj.tries === 0) fail(SW.AUTH_BLOCKED);
  if (ctx.tryCounter === 'compare-first') {
    // Defective order: the result is known before anything is written.
    if (matches()) {
      if (obj.tries !== obj.maxTries) ctx.nvm.set(obj, 'tries', obj.maxTries);
      return;
    }
    ctx.nvm.set(obj, 'tries', obj.tries - 1);
    ctx.nvm.commit();
    fail(sw63C(Math.min(obj.tries, 15)));
  }
  ctx.nvm.set(obj, 'tries', obj.tries - 1);
  ctx.nvm.commit();
  if (!matches()) fail(sw63C(Math.min(obj.tries, 15)));
  ctx.nvm.set(obj, 'tries', obj.maxTries);
}

export function externalAuthenticate(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  if (cmd.p1 !== 0) fail(SW.INCORRECT_P1P2);
  const key: KeyObject = keyOf(ctx, cmd.p2);
  if (!EXTERNAL_AUTH_TYPES.includes(key.type)) fail(SW.CONDITIONS_NOT_SATISFIED, 'this key is not for external authentication');
  if (cmd.data.length !== blockSize(key.alg)) fail(SW.WRONG_LENGTH, `the cryptogram has ${blockSize(key.alg)} bytes`);
  const challenge = takeChallenge(ctx);
  counted(ctx, key, () => equal(authCryptogram(key.alg, key.value, challenge), cmd.data));
  ctx.security.keys.add(key.id);
  return {};
}

export function verify(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  if (cmd.p1 !== 0) fail(SW.INCORRECT_P1P2);
  const pin = ctx.security.env.pins.get(cmd.p2);
  if (!pin) fail(SW.REF_DATA_NOT_FOUND, `no PIN ${cmd.p2} in this environment`);
  if (cmd.data.length === 0) {
    // ISO/IEC 7816-4 §7.5.6: VERIFY without data tells the tries left.
    if (pin.tries === 0) fail(SW.AUTH_BLOCKED);
    return { sw: ctx.security.pins.has(pin.id) ? SW.OK : sw63C(Math.min(pin.tries, 15)) };
  }
  if (cmd.data.length > 6) fail(SW.WRONG_LENGTH, 'a PIN block has 1 to 6 bytes');
  const digits = pinDigits(cmd.data);
  if (digits === undefined) fail(SW.WRONG_DATA, 'the PIN is not BCD padded with F');
  ctx.security.pins.delete(pin.id);
  counted(ctx, pin, () => digits === pin.value);
  ctx.security.pins.add(pin.id);
  return {};
}

/** GET KEY INFO: P1 00 a key, P1 01 a PIN, by reference in P2. */
export function getKeyInfo(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  if (cmd.p1 !== 0 && cmd.p1 !== 1) fail(SW.INCORRECT_P1P2);
  if (!ctx.behaviour.keyInfoReadable) fail(SW.FUNC_NOT_SUPPORTED, 'key information is not readable on this card');
  if (cmd.data.length !== 0) fail(SW.WRONG_LENGTH);
  if (cmd.p1 === 0) {
    const key = ctx.security.env.keys.get(cmd.p2);
    if (!key) fail(SW.REF_DATA_NOT_FOUND);
    return { data: concat([key.id, key.type, ALG_CODE[key.alg], key.version], keyCheckValue(key.alg, key.value), [key.tries]) };
  }
  const pin = ctx.security.env.pins.get(cmd.p2);
  if (!pin) fail(SW.REF_DATA_NOT_FOUND);
  return { data: new Uint8Array([pin.id, KEY_TYPE.PIN, 0, 0, 0, 0, 0, pin.tries]) };
}
