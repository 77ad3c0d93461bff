/**
 * The social-security application's own commands (LD/T 32 family; formats
 * observed in public terminal implementations, docs/ssse.md §4), answering only
 * while the SSSE is the current environment:
 *
 *   INTERNAL AUTHENTICATE  00 88 00 <key id> 08 <random>      → E_IRK(random ‖ 00…)
 *   CHANGE PIN             80 5E 01 <PIN ref> Lc old ‖ FF ‖ new (BCD, F-padded)
 *   PIN UNBLOCK            84 24 00 00 Lc E_PUK(L ‖ PIN ‖ 80 00…) ‖ MAC     (PIN unblock key)
 *   PIN RELOAD             84 24 00 01 Lc E_RK(L ‖ PIN ‖ 80 00…) ‖ MAC      (PIN reload key)
 *   APPLICATION BLOCK      84 1E 00 00 04 MAC                      (maintenance key STK)
 *   APPLICATION UNBLOCK    84 18 00 00 04 MAC                      (maintenance key STK)
 *   CARD BLOCK             84 16 00 00 04 MAC                      (card block key BK)
 *
 * A temporarily blocked application answers SELECT with 6283 and every
 * command but GET CHALLENGE, APPLICATION UNBLOCK and CARD BLOCK with 6A81; a
 * permanently blocked one (CARD BLOCK) answers 9303. The block stays inside
 * the SSSE: the payment environment is not affected (firewall).
 */
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { authCryptogram, pinDigits, unwrapKey } from '../../cos/formats.ts';
import { CLA_PLAIN, CLA_PROPRIETARY, CLA_PROPRIETARY_OR_SM } from '../commands/index.ts';
import type { CardContext, CommandSpec, CommandTable, HandlerResult } from '../context.ts';
import { fail } from '../errors.ts';
import { KEY_TYPE } from '../../model/keys.ts';
import type { KeyObject } from '../fs.ts';
import { counted } from '../commands/authentication.ts';

/** The first key of a type in the current environment (6A88 when there is none). */
function keyOfType(ctx: CardContext, type: number): KeyObject {
  for (const k of ctx.security.env.keys.values()) if (k.type === type) return k;
  fail(SW.REF_DATA_NOT_FOUND, `no key of type ${type} in this environment`);
}

/**
 * INTERNAL AUTHENTICATE `00 88 00 P2` (docs/ssse.md §4: `00 88 00 00`): P2 names
 * the key; P2 = 00 means the environment's internal authentication key (the
 * one with the lowest id).
 */
function internalAuthenticate(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  if (cmd.p1 !== 0) fail(SW.INCORRECT_P1P2);
  const keys = ctx.security.env.keys;
  const key =
    cmd.p2 === 0 ? [...keys.values()].sort((a, b) => a.id - b.id).find((k) => k.type === KEY_TYPE.INTERNAL_AUTH) : keys.get(cmd.p2);
  if (!key) fail(SW.REF_DATA_NOT_FOUND);
  if (key.type !== KEY_TYPE.INTERNAL_AUTH) fail(SW.CONDITIONS_NOT_SATISFIED, 'not an internal authentication key');
  if (cmd.data.length !== 8) fail(SW.WRONG_LENGTH, 'the random has 8 bytes');
  return { data: authCryptogram(key.alg, key.value, cmd.data) };
}

function changePin(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  if (cmd.p1 !== 0x01) fail(SW.INCORRECT_P1P2);
  const pin = ctx.security.env.pins.get(cmd.p2);
  if (!pin) fail(SW.REF_DATA_NOT_FOUND);
  const sep = cmd.data.indexOf(0xff);
  if (sep < 1 || sep === cmd.data.length - 1) fail(SW.WRONG_DATA, 'old PIN ‖ FF ‖ new PIN');
  const oldPin = pinDigits(cmd.data.slice(0, sep));
  const newPin = pinDigits(cmd.data.slice(sep + 1));
  if (oldPin === undefined || newPin === undefined || newPin.length < 6 || newPin.length > 12) {
    fail(SW.WRONG_DATA, 'PINs are 6 to 12 BCD digits padded with F');
  }
  // the old PIN is verified as by VERIFY: the attempt ends an earlier verification (ISO/IEC 7816-4 §7.5.6, §7.5.7)
  ctx.security.pins.delete(pin.id);
  counted(ctx, pin, () => oldPin === pin.value);
  ctx.nvm.set(pin, 'value', newPin);
  ctx.security.pins.add(pin.id);
  return {};
}

/** P2 00 unblock (PIN unblock key), 01 reload (PIN reload key): a new PIN, tries restored. */
function pinUnblockOrReload(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const key = ctx.sm?.key;
  if (!key) fail(SW.SECURITY_NOT_SATISFIED);
  const pin = [...ctx.security.env.pins.values()][0];
  if (!pin) fail(SW.REF_DATA_NOT_FOUND, 'no PIN in this environment');
  const block = unwrapKey(key.alg, key.value, cmd.data);
  const digits = block ? pinDigits(block) : undefined;
  if (digits === undefined || digits.length < 6 || digits.length > 12)
    fail(SW.WRONG_DATA, 'the PIN block does not decrypt to L ‖ PIN ‖ 80 00…');
  ctx.nvm.set(pin, 'value', digits);
  ctx.nvm.set(pin, 'tries', pin.maxTries);
  return {};
}

function pinKey(cmd: CommandApdu, ctx: CardContext): KeyObject {
  if (cmd.p1 !== 0 || (cmd.p2 !== 0 && cmd.p2 !== 1)) fail(SW.INCORRECT_P1P2);
  return keyOfType(ctx, cmd.p2 === 0 ? KEY_TYPE.PIN_UNBLOCK : KEY_TYPE.PIN_RELOAD);
}

function noData(cmd: CommandApdu): void {
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  if (cmd.data.length !== 0) fail(SW.WRONG_LENGTH, 'the command carries only its MAC');
}

function applicationBlock(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  noData(cmd);
  const env = ctx.security.env;
  if (env.blocked !== 'permanent') ctx.nvm.set(env, 'blocked', 'temporary');
  return {};
}

function applicationUnblock(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  noData(cmd);
  const env = ctx.security.env;
  if (env.blocked === 'permanent') fail(SW.APP_PERMANENTLY_BLOCKED);
  if (env.blocked === 'temporary') ctx.nvm.set(env, 'blocked', undefined);
  return {};
}

function cardBlock(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  noData(cmd);
  ctx.nvm.set(ctx.security.env, 'blocked', 'permanent');
  return {};
}

const byType = (type: number) => (_cmd: CommandApdu, ctx: CardContext) => keyOfType(ctx, type);

export const SSSE_COMMANDS: CommandTable = new Map<number, CommandSpec>([
  [0x88, { name: 'INTERNAL AUTHENTICATE', cla: CLA_PLAIN, handler: internalAuthenticate }],
  [0x5e, { name: 'CHANGE PIN', cla: CLA_PROPRIETARY, handler: changePin }],
  [0x24, { name: 'PIN UNBLOCK/RELOAD', cla: CLA_PROPRIETARY_OR_SM, handler: pinUnblockOrReload, sm: { required: true, key: pinKey } }],
  [
    0x1e,
    {
      name: 'APPLICATION BLOCK',
      cla: CLA_PROPRIETARY_OR_SM,
      handler: applicationBlock,
      sm: { required: true, key: byType(KEY_TYPE.MAINTENANCE) },
      whenBlocked: true,
    },
  ],
  [
    0x18,
    {
      name: 'APPLICATION UNBLOCK',
      cla: CLA_PROPRIETARY_OR_SM,
      handler: applicationUnblock,
      sm: { required: true, key: byType(KEY_TYPE.MAINTENANCE) },
      whenBlocked: true,
    },
  ],
  [
    0x16,
    {
      name: 'CARD BLOCK',
      cla: CLA_PROPRIETARY_OR_SM,
      handler: cardBlock,
      sm: { required: true, key: byType(KEY_TYPE.CARD_BLOCK) },
      whenBlocked: true,
    },
  ],
]);
