/**
 * READ RECORD(S), ISO/IEC 7816-4:2005 §7.3.3 (INS B2), P2 per Table 49:
 *   b8-b4 SFI (00000 = current EF)
 *   b3-b1 100 = record number P1 (00 = current record)
 *         000 / 001 / 010 / 011 = first / last / next / previous occurrence
 *         of the record identifier P1 (the first byte of a TLV record, its tag)
 *         101 = all records from P1 to the last (not supported: 6A81)
 * Social-security cards use 04 (by number), 00 (by identifier) and the SFI
 * forms such as 2C / 28 for EF05 and 34 / 30 for EF06.
 */
import { concat } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { fail } from '../errors.ts';
import type { CardContext, HandlerResult } from '../context.ts';
import { type ElementaryFile, efBySfi, isRecordStructured } from '../fs.ts';
import { checkAccess } from '../security.ts';

export function readRecord(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  if (cmd.data.length !== 0) fail(SW.WRONG_LENGTH, 'READ RECORD takes no command data');
  const sfi = cmd.p2 >> 3;
  const mode = cmd.p2 & 0x07;
  if (sfi === 0x1f) fail(SW.INCORRECT_P1P2, 'SFI 31 is reserved');
  if (mode === 0x05 || mode === 0x06) fail(SW.FUNC_NOT_SUPPORTED, 'reading several records is not supported');
  if (mode === 0x07) fail(SW.INCORRECT_P1P2, 'P2 b3-b1 = 111 is RFU');
  let ef: ElementaryFile;
  if (sfi !== 0) {
    const found = efBySfi(ctx.currentDf, sfi);
    if (!found) fail(SW.FILE_NOT_FOUND, `no EF with SFI ${sfi} in the current DF`);
    ef = found;
  } else {
    if (!ctx.currentEf) fail(SW.NO_CURRENT_EF);
    ef = ctx.currentEf;
  }
  if (!isRecordStructured(ef)) fail(SW.INCOMPATIBLE_FILE_STRUCTURE);
  checkAccess(ef.access.read, ctx, ef, 'read');
  const sameEf = ctx.currentEf === ef;
  if (sfi !== 0) {
    ctx.currentEf = ef;
    if (!sameEf) ctx.currentRecord = undefined;
  }
  const current = sameEf ? ctx.currentRecord : undefined;
  let number: number;
  if (mode === 0x04) {
    if (cmd.p1 === 0xff) fail(SW.INCORRECT_P1P2, 'record number FF is RFU');
    if (cmd.p1 === 0) {
      if (current === undefined) fail(SW.RECORD_NOT_FOUND, 'no current record');
      number = current;
    } else number = cmd.p1;
    if (number > ef.records.length) fail(SW.RECORD_NOT_FOUND);
  } else {
    number = byIdentifier(ef, cmd.p1, mode, current);
  }
  ctx.currentRecord = number;
  const record = ef.records[number - 1]!;
  if (record.length === 0) fail(SW.RECORD_NOT_FOUND, 'record is empty');
  return { data: concat(record) };
}

/** Occurrence search by record identifier (the record's first byte). */
function byIdentifier(ef: ElementaryFile, id: number, mode: number, current: number | undefined): number {
  const n = ef.records.length;
  const matches = (i: number) => ef.records[i - 1]!.length > 0 && ef.records[i - 1]![0] === id;
  const scan = (from: number, step: number): number => {
    for (let i = from; i >= 1 && i <= n; i += step) if (matches(i)) return i;
    fail(SW.RECORD_NOT_FOUND);
  };
  switch (mode) {
    case 0x00:
      return scan(1, 1);
    case 0x01:
      return scan(n, -1);
    case 0x02:
      return scan((current ?? 0) + 1, 1);
    default:
      return scan(current === undefined ? n : current - 1, -1);
  }
}
