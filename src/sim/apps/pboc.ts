/**
 * The PBOC debit application (JR/T 0025, ≈ EMV 4.x; docs/pboc-design.md) inside the
 * PSE: its commands answer in an ADF that holds PBOC data (personalised with
 * STORE DATA); elsewhere in the PSE they answer 6D00, or — for VERIFY and
 * EXTERNAL AUTHENTICATE — behave as the card's common commands.
 *
 *   STORE DATA            84 E2 P1 P2 Lc DGI‖L‖data… ‖ MAC (PSE master key, personalisation only)
 *   GET PROCESSING OPT.   80 A8 00 00 Lc 83 L <PDOL data> 00     → 77 { 82 AIP, 94 AFL }
 *   GET DATA              80 CA <tag> 00                         → tag L value
 *   VERIFY (offline PIN)  00 20 00 80 08 <2N PIN F…>             (plaintext PIN block, EMV Book 3 §6.5.12)
 *   INTERNAL AUTHENTICATE 00 88 00 00 Lc <DDOL data> 00          → 80 L SDAD (DDA)
 *   GENERATE AC           80 AE P1 00 Lc <CDOL1 / CDOL2 data> 00 → 77 { 9F27, 9F36, 9F26 | 9F4B, 9F10 }
 *   EXTERNAL AUTHENTICATE 00 82 00 00 0A ARPC ‖ ARC               (issuer authentication, ARPC method 1)
 *   issuer scripts        84 1E / 84 18 / 84 16 / 84 24 / 04 DA with the script MAC
 *
 * Design: docs/pboc-design.md. The card keeps its risk data persistently
 * (ATC, last online ATC, counters, the transaction log) and a transaction's
 * state per session (cleared by reset and by leaving the PSE).
 *
 * This module holds the command table. The commands live beside it:
 * pboc-data.ts (card data, transaction state, shared lookups),
 * pboc-store-data.ts (personalisation), pboc-processing.ts (GET PROCESSING
 * OPTIONS, GET DATA), pboc-pin-oda.ts (offline PIN, DDA), pboc-gac.ts
 * (GENERATE AC, card risk management, transaction log) and pboc-issuer.ts
 * (issuer authentication and scripts).
 */
import type { CommandApdu } from '../../core/apdu.ts';
import { CLA_PLAIN, CLA_PLAIN_OR_SM, CLA_PROPRIETARY, CLA_PROPRIETARY_OR_SM } from '../commands/index.ts';
import { appendRecord, updateMacKey } from '../commands/update.ts';
import { select as commonSelect } from '../commands/select.ts';
import type { CardContext, CommandSpec, CommandTable, HandlerResult } from '../context.ts';
import { masterKey, requirePboc, transactions } from './pboc-data.ts';
import { storeData } from './pboc-store-data.ts';
import { getData, getProcessingOptions } from './pboc-processing.ts';
import { internalAuthenticate, verify } from './pboc-pin-oda.ts';
import { generateAc } from './pboc-gac.ts';
import {
  SCRIPT_SM,
  applicationBlock,
  applicationUnblock,
  cardBlock,
  issuerAuthenticate,
  pinChangeUnblock,
  putData,
} from './pboc-issuer.ts';

function adfOnly(handler: (cmd: CommandApdu, ctx: CardContext) => HandlerResult) {
  return (cmd: CommandApdu, ctx: CardContext): HandlerResult => {
    requirePboc(ctx);
    return handler(cmd, ctx);
  };
}

/** SELECT ends the transaction in progress (a new selection starts a new one). */
function select(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  transactions.delete(ctx.security);
  return commonSelect(cmd, ctx);
}

export const PBOC_COMMANDS: CommandTable = new Map<number, CommandSpec>([
  [0xa4, { name: 'SELECT', cla: CLA_PLAIN, handler: select }],
  // INS E2: STORE DATA with CLA 80/84, the COS's APPEND RECORD with CLA 00/04
  [
    0xe2,
    {
      name: 'STORE DATA / APPEND RECORD',
      cla: [...CLA_PLAIN_OR_SM, ...CLA_PROPRIETARY_OR_SM],
      handler: (cmd, ctx) => ((cmd.cla & 0x80) !== 0 ? storeData(cmd, ctx) : appendRecord(cmd, ctx)),
      sm: { required: false, key: (cmd, ctx) => ((cmd.cla & 0x80) !== 0 ? masterKey(ctx) : updateMacKey(cmd, ctx)) },
    },
  ],
  [0xa8, { name: 'GET PROCESSING OPTIONS', cla: CLA_PROPRIETARY, handler: getProcessingOptions }],
  [0xca, { name: 'GET DATA / GET KEY INFO', cla: CLA_PROPRIETARY, handler: getData }],
  [0x20, { name: 'VERIFY', cla: CLA_PLAIN, handler: verify }],
  [0x88, { name: 'INTERNAL AUTHENTICATE', cla: CLA_PLAIN, handler: adfOnly(internalAuthenticate) }],
  [0xae, { name: 'GENERATE AC', cla: CLA_PROPRIETARY, handler: generateAc }],
  [0x82, { name: 'EXTERNAL AUTHENTICATE', cla: CLA_PLAIN, handler: issuerAuthenticate }],
  [0x1e, { name: 'APPLICATION BLOCK', cla: CLA_PROPRIETARY_OR_SM, handler: applicationBlock, sm: SCRIPT_SM, whenBlocked: true }],
  [0x18, { name: 'APPLICATION UNBLOCK', cla: CLA_PROPRIETARY_OR_SM, handler: applicationUnblock, sm: SCRIPT_SM, whenBlocked: true }],
  [0x16, { name: 'CARD BLOCK', cla: CLA_PROPRIETARY_OR_SM, handler: cardBlock, sm: SCRIPT_SM, whenBlocked: true }],
  [0x24, { name: 'PIN CHANGE/UNBLOCK', cla: CLA_PROPRIETARY_OR_SM, handler: pinChangeUnblock, sm: SCRIPT_SM }],
  [0xda, { name: 'PUT DATA', cla: CLA_PLAIN_OR_SM, handler: putData, sm: SCRIPT_SM }],
]);
