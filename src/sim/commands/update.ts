/**
 * UPDATE BINARY (ISO/IEC 7816-4 §7.2.5, INS D6), UPDATE RECORD (§7.3.5, INS
 * DC) and APPEND RECORD (§7.3.6, INS E2), under the EF's update condition.
 * Sent with a MAC (CLA 04), the MAC key is the key of the update condition
 * and the MAC satisfies it. Data are written in 4-byte pages through the
 * persistent memory, so that a power loss mid-update is rolled back whole.
 */
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { fail } from '../errors.ts';
import type { CardContext, HandlerResult } from '../context.ts';
import { type ElementaryFile, type KeyObject, efBySfi, environmentOf, isRecordStructured, masterKeyOf } from '../fs.ts';
import { checkAccess, inPersonalisation, keyOf } from '../security.ts';

/** The EF a command addresses: by SFI (P1 b8 for binary, P2 b8-b4 for records) or the current EF. */
function target(ctx: CardContext, sfi: number): ElementaryFile {
  if (sfi !== 0) {
    const ef = efBySfi(ctx.currentDf, sfi);
    if (!ef) fail(SW.FILE_NOT_FOUND, `no EF with SFI ${sfi} in the current DF`);
    return ef;
  }
  if (!ctx.currentEf) fail(SW.NO_CURRENT_EF);
  return ctx.currentEf;
}

function binarySfi(cmd: CommandApdu): number {
  return cmd.p1 & 0x80 ? cmd.p1 & 0x1f : 0;
}

/** MAC key of a secured update: the key in the EF's update condition (or the environment master key during personalisation). */
export function updateMacKey(cmd: CommandApdu, ctx: CardContext): KeyObject {
  const ef = target(ctx, cmd.ins === 0xd6 ? binarySfi(cmd) : cmd.p2 >> 3);
  const ac = ef.access.update;
  if (typeof ac === 'object' && 'key' in ac) return keyOf(ctx, ac.key);
  const master = masterKeyOf(environmentOf(ef));
  if (master && inPersonalisation(ef)) return master;
  fail(SW.CONDITIONS_NOT_SATISFIED, 'the update condition of this EF names no key for a MAC');
}

export function updateBinary(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const sfi = binarySfi(cmd);
  if (sfi && cmd.p1 & 0x60) fail(SW.INCORRECT_P1P2);
  if (sfi === 0x1f) fail(SW.INCORRECT_P1P2);
  const ef = target(ctx, sfi);
  const offset = sfi ? cmd.p2 : ((cmd.p1 & 0x7f) << 8) | cmd.p2;
  if (ef.structure !== 'transparent') fail(SW.INCOMPATIBLE_FILE_STRUCTURE);
  if (cmd.data.length === 0) fail(SW.WRONG_LENGTH);
  checkAccess(ef.access.update, ctx, ef, 'update');
  if (offset + cmd.data.length > ef.data.length) fail(SW.WRONG_P1P2, 'the data run past the end of the EF');
  ctx.nvm.writeBytes(ef.data, offset, cmd.data);
  if (sfi) ctx.currentEf = ef;
  return {};
}

function checkRecordLength(ef: ElementaryFile, length: number): void {
  if (length === 0) fail(SW.WRONG_LENGTH);
  if (ef.structure === 'linear-fixed' || ef.structure === 'cyclic') {
    if (ef.recordLength !== undefined && length !== ef.recordLength)
      fail(SW.WRONG_LENGTH, `records of this EF have ${ef.recordLength} bytes`);
  } else if (ef.recordLength !== undefined && length > ef.recordLength) {
    fail(SW.WRONG_LENGTH, `records of this EF have at most ${ef.recordLength} bytes`);
  }
}

/** A TLV record keeps its tag (the record identifier) and its length (fixed-size fields). */
function checkTlvRecord(old: Uint8Array, data: Uint8Array): void {
  if (data.length < 2 || data[1] !== data.length - 2) fail(SW.WRONG_DATA, 'the record is not tag ‖ length ‖ value');
  if (data[0] !== old[0]) fail(SW.WRONG_DATA, `the record's tag is ${old[0]!.toString(16)}, not ${data[0]!.toString(16)}`);
  if (data.length !== old.length) fail(SW.WRONG_LENGTH, `the record has ${old.length} bytes`);
}

export function updateRecord(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const sfi = cmd.p2 >> 3;
  if ((cmd.p2 & 0x07) !== 0x04) fail(SW.INCORRECT_P1P2, 'UPDATE RECORD takes a record number (P2 b3-b1 = 100)');
  if (sfi === 0x1f) fail(SW.INCORRECT_P1P2);
  const ef = target(ctx, sfi);
  if (!isRecordStructured(ef)) fail(SW.INCOMPATIBLE_FILE_STRUCTURE);
  checkAccess(ef.access.update, ctx, ef, 'update');
  const number = cmd.p1 === 0 ? (ctx.currentEf === ef ? ctx.currentRecord : undefined) : cmd.p1;
  if (number === undefined || number > ef.records.length) fail(SW.RECORD_NOT_FOUND);
  const record = ef.records[number - 1]!;
  checkRecordLength(ef, cmd.data.length);
  if (ef.tlvRecords) checkTlvRecord(record, cmd.data);
  if (cmd.data.length === record.length) {
    ctx.nvm.writeBytes(record, 0, cmd.data);
  } else {
    ctx.nvm.set(ef.records, number - 1, cmd.data.slice());
  }
  ctx.currentEf = ef;
  ctx.currentRecord = number;
  return {};
}

export function appendRecord(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  if (cmd.p1 !== 0 || (cmd.p2 & 0x07) !== 0) fail(SW.INCORRECT_P1P2);
  const ef = target(ctx, cmd.p2 >> 3);
  if (!isRecordStructured(ef)) fail(SW.INCOMPATIBLE_FILE_STRUCTURE);
  checkAccess(ef.access.update, ctx, ef, 'update');
  checkRecordLength(ef, cmd.data.length);
  const full = ef.maxRecords !== undefined && ef.records.length >= ef.maxRecords;
  ctx.currentEf = ef;
  if (ef.structure === 'cyclic') {
    // §7.3.6: in a cyclic EF the new record becomes record 1; when full, the oldest is replaced.
    if (full) ctx.nvm.remove(ef.records, ef.records.length - 1);
    ctx.nvm.write(
      () => void ef.records.unshift(cmd.data.slice()),
      () => void ef.records.shift(),
    );
    ctx.currentRecord = 1;
    return {};
  }
  if (full) fail(SW.NOT_ENOUGH_MEMORY, 'the EF is full');
  ctx.nvm.push(ef.records, cmd.data.slice());
  ctx.currentRecord = ef.records.length;
  return {};
}
