/**
 * READ BINARY, ISO/IEC 7816-4:2005 §7.2.3 (INS B0).
 *   P1 b8 = 1: P1 b5-b1 is an SFI, P2 the offset (0..255); the EF becomes current.
 *   P1 b8 = 0: P1-P2 is a 15-bit offset into the current EF.
 * Le is the number of bytes to read (00 = up to 256).
 */
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { fail } from '../errors.ts';
import type { CardContext, HandlerResult } from '../context.ts';
import { type ElementaryFile, efBySfi } from '../fs.ts';
import { checkAccess } from '../security.ts';

export function readBinary(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  if (cmd.data.length !== 0) fail(SW.WRONG_LENGTH, 'READ BINARY takes no command data');
  if (cmd.ne === undefined) fail(SW.WRONG_LENGTH, 'READ BINARY needs Le');
  let ef: ElementaryFile;
  let offset: number;
  if (cmd.p1 & 0x80) {
    if (cmd.p1 & 0x60) fail(SW.INCORRECT_P1P2, 'P1 b7-b6 must be 0 with an SFI');
    const sfi = cmd.p1 & 0x1f;
    if (sfi === 0 || sfi === 0x1f) fail(SW.INCORRECT_P1P2, 'SFI must be 1..30');
    const found = efBySfi(ctx.currentDf, sfi);
    if (!found) fail(SW.FILE_NOT_FOUND, `no EF with SFI ${sfi} in the current DF`);
    ef = found;
    offset = cmd.p2;
  } else {
    if (!ctx.currentEf) fail(SW.NO_CURRENT_EF);
    ef = ctx.currentEf;
    offset = (cmd.p1 << 8) | cmd.p2;
  }
  if (ef.structure !== 'transparent') fail(SW.INCOMPATIBLE_FILE_STRUCTURE);
  checkAccess(ef.access.read, ctx, ef, 'read');
  if (cmd.p1 & 0x80) {
    ctx.currentEf = ef;
    ctx.currentRecord = undefined;
  }
  const size = ef.data.length;
  if (offset > size || (offset === size && size > 0 && cmd.ne !== 256))
    fail(SW.WRONG_P1P2, `offset ${offset} beyond the end of the ${size}-byte EF`);
  const available = size - offset;
  const ne = cmd.ne;
  if (ne === 256 && !cmd.extended) {
    return { data: ef.data.slice(offset, offset + Math.min(256, available)), sizedToNe: true };
  }
  if (ne <= available) return { data: ef.data.slice(offset, offset + ne), sizedToNe: true };
  // Extended Le is a maximum (ISO/IEC 7816-4 §5.1): what is there, with 6282.
  if (cmd.extended || ctx.behaviour.readBinaryBeyondEnd === '6282') {
    return { data: ef.data.slice(offset), sw: SW.END_OF_FILE, sizedToNe: true };
  }
  fail(0x6c00 | available);
}
