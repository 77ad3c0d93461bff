/**
 * The PBOC debit application's transaction start and data retrieval: GET
 * PROCESSING OPTIONS (suite choice, ATC increment, a new transaction) and
 * GET DATA, which shares its instruction with the COS's GET KEY INFO.
 */
import type { Bytes } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { encodeTlv, tagHex } from '../../core/tlv.ts';
import { wrongLeFor } from '../card.ts';
import { getKeyInfo } from '../commands/authentication.ts';
import type { CardContext, HandlerResult } from '../context.ts';
import { fail } from '../errors.ts';
import { dolLength, dolValue } from '../../emv/dol.ts';
import { pbocOf, pdolOf, requirePboc, suiteOf, transactions, u16 } from './pboc-data.ts';
import { pinOf } from './pboc-pin-oda.ts';

export function getProcessingOptions(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const { df, data } = requirePboc(ctx);
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  if (!data.gpo || !data.udk) fail(SW.CONDITIONS_NOT_SATISFIED, 'the application is not personalised');
  if (cmd.data[0] !== 0x83) fail(SW.WRONG_DATA, 'the GPO data field is a template 83');
  const pdol = pdolOf(df);
  const len = cmd.data[1];
  if (len === undefined || cmd.data.length !== 2 + len) fail(SW.WRONG_LENGTH, 'template 83 length');
  if (len !== dolLength(pdol)) fail(SW.WRONG_LENGTH, `the PDOL asks for ${dolLength(pdol)} bytes, got ${len}`);
  const pdolData = cmd.data.slice(2);
  const cardSuite = suiteOf(data);
  // DF69 = 01: the terminal supports the SM suite, and the card uses it if it has it; 00 (or absent): DES/RSA only
  const terminalSm = dolValue(pdol, pdolData, 0xdf69)?.[0] === 0x01;
  const suite = terminalSm && cardSuite === 'sm' ? 'sm' : 'des-rsa';
  if (suite !== cardSuite) fail(SW.CONDITIONS_NOT_SATISFIED, `the card has the ${cardSuite} suite only; the terminal does not support it`);
  if (data.atc >= 0xffff) fail(SW.CONDITIONS_NOT_SATISFIED, 'the ATC has reached its maximum');
  const response = encodeTlv(0x77, data.gpo);
  const wrongLe = wrongLeFor(cmd, response.length, ctx);
  if (wrongLe !== undefined) fail(wrongLe, 'wrong Le: no transaction is started');
  ctx.nvm.set(data, 'atc', data.atc + 1);
  transactions.set(ctx.security, { suite, pdolData, stage: 'gpo', scripts: 0, cvr: new Uint8Array([0x03, 0x00, 0x00, 0x00]) });
  return { data: response };
}

/** GET DATA `80 CA <tag>`; P1 00 / 01 is the COS's GET KEY INFO, which shares the instruction. */
export function getData(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const p = pbocOf(ctx);
  if (!p || cmd.p1 === 0x00 || cmd.p1 === 0x01) return getKeyInfo(cmd, ctx);
  const { data } = p;
  if (cmd.data.length !== 0) fail(SW.WRONG_LENGTH);
  const tag = (cmd.p1 << 8) | cmd.p2;
  let value: Bytes | undefined;
  if (tag === 0x9f36) value = u16(data.atc);
  else if (tag === 0x9f13) value = u16(data.lastOnlineAtc);
  else if (tag === 0x9f17) value = new Uint8Array([pinOf(ctx).tries]);
  else value = data.objects[tagHex(tag)];
  if (value === undefined || tag === 0xdf69) fail(SW.REF_DATA_NOT_FOUND, `no data object ${tagHex(tag)}`);
  return { data: encodeTlv(tag, value) };
}
