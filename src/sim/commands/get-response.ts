/**
 * GET RESPONSE, ISO/IEC 7816-4:2005 §7.6.1 (INS C0): P1-P2 = 0000; returns
 * the bytes a previous command left for the T=0 transport. Le smaller than
 * what is pending returns Le bytes and 61xx for the rest; Le larger, or a
 * mismatch under the profile's Le rules, 6Cxx with the exact count.
 */
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { fail } from '../errors.ts';
import { leRule } from '../card.ts';
import type { CardContext, HandlerResult } from '../context.ts';

export function getResponse(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2, 'GET RESPONSE takes P1-P2 = 0000');
  if (cmd.data.length !== 0) fail(SW.WRONG_LENGTH, 'GET RESPONSE takes no command data');
  const pending = ctx.pending;
  if (!pending) fail(ctx.behaviour.getResponseNothingPending, 'no response data pending');
  const ne = cmd.ne ?? 256;
  if (ne < pending.length && ne !== 256) {
    ctx.pending = pending.slice(ne);
    const rest = ctx.pending.length;
    return { data: pending.slice(0, ne), sw: 0x6100 | (rest >= 256 ? 0 : rest), sizedToNe: true };
  }
  if (ne === 256 && pending.length > 256) {
    ctx.pending = pending.slice(256);
    const rest = ctx.pending.length;
    return { data: pending.slice(0, 256), sw: 0x6100 | (rest >= 256 ? 0 : rest), sizedToNe: true };
  }
  const response = leRule(ne, cmd.extended === true, pending, SW.OK, ctx.behaviour);
  const sw = (response[response.length - 2]! << 8) | response[response.length - 1]!;
  if (sw === SW.OK) ctx.pending = undefined;
  return { data: response.slice(0, response.length - 2), sw, sizedToNe: true };
}
