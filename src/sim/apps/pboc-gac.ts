/**
 * GENERATE AC of the PBOC debit application: card action analysis and card
 * risk management (new card, velocity, last online transaction not completed,
 * issuer authentication failed), the card verification results, the
 * application cryptogram or CDA signature, and the transaction log.
 */
import { type Bytes, concat, toHex } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { encodeTlv, findTag, parseTlv } from '../../core/tlv.ts';
import { wrongLeFor } from '../card.ts';
import type { CardContext, HandlerResult } from '../context.ts';
import { fail } from '../errors.ts';
import type { DedicatedFile, ElementaryFile } from '../fs.ts';
import { applicationCryptogram, cryptogramTypeOf, sessionKey } from '../../pboc/cryptograms.ts';
import { cdaDynamicData, signDynamicData, transactionDataHash } from '../../pboc/oda-data.ts';
import { type DolEntry, dolLength, dolValue, parseDol } from '../../emv/dol.ts';
import {
  type CidType,
  type PbocCardData,
  type Transaction,
  pdolOf,
  recordElement,
  requirePboc,
  symmetric,
  transactions,
  u16,
} from './pboc-data.ts';
import { iccKey } from './pboc-pin-oda.ts';

const CID: Record<CidType, number> = { AAC: 0x00, TC: 0x40, ARQC: 0x80 };

function cidType(p1: number): CidType {
  const t = cryptogramTypeOf(p1);
  if (!t) fail(SW.INCORRECT_P1P2, 'reference control parameter 11 is RFU');
  return t;
}

/** Card action analysis of the first GENERATE AC: what the card answers to what the terminal asked. */
function firstDecision(asked: CidType, data: PbocCardData, txn: Transaction): CidType {
  if (asked === 'AAC') return 'AAC';
  if (asked === 'ARQC') return 'ARQC';
  const ucol = data.objects['9F23']?.[0];
  const newCard = data.lastOnlineAtc === 0;
  const velocity = ucol !== undefined && data.atc - data.lastOnlineAtc > ucol;
  if (newCard) txn.cvr[2]! |= 0x10;
  if (velocity) txn.cvr[2]! |= 0x20;
  if (data.lastOnlineNotCompleted) txn.cvr[2]! |= 0x80;
  if (data.lastIssuerAuthFailed) txn.cvr[2]! |= 0x08;
  return newCard || velocity || data.lastOnlineNotCompleted || data.lastIssuerAuthFailed ? 'ARQC' : 'TC';
}

const CVR_GAC_BITS: Record<CidType, number> = { AAC: 0b00, TC: 0b01, ARQC: 0b10 };

export function generateAc(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const { df, data } = requirePboc(ctx);
  if (cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  const asked = cidType(cmd.p1);
  const cda = (cmd.p1 & 0x10) !== 0;
  const txn = transactions.get(ctx.security);
  if (!txn || txn.stage === 'done') fail(SW.CONDITIONS_NOT_SATISFIED, 'GENERATE AC needs a transaction started by GET PROCESSING OPTIONS');
  if (!data.udk) fail(SW.CONDITIONS_NOT_SATISFIED, 'no application cryptogram key');
  const first = txn.stage === 'gpo';
  const dol = parseDol(recordElement(df, first ? 0x8c : 0x8d) ?? new Uint8Array(0));
  if (cmd.data.length !== dolLength(dol)) {
    fail(SW.WRONG_LENGTH, `the ${first ? 'CDOL1' : 'CDOL2'} asks for ${dolLength(dol)} bytes, got ${cmd.data.length}`);
  }
  const cvrBefore = txn.cvr.slice();
  let cid: CidType;
  if (first) {
    cid = firstDecision(asked, data, txn);
    // JR/T 0025.5 Annex CVR byte 2: bits 6-5 the first cryptogram type; bits 8-7 = 10 "second GENERATE AC not requested"
    txn.cvr[1]! = (txn.cvr[1]! & 0x0f) | 0x80 | (CVR_GAC_BITS[cid] << 4);
  } else {
    if (asked === 'ARQC') fail(SW.CONDITIONS_NOT_SATISFIED, 'the second GENERATE AC asks for TC or AAC');
    const arc = dolValue(dol, cmd.data, 0x8a);
    const approved = arc !== undefined && ['3030', '3130', '3131'].includes(toHex(arc));
    const unableOnline = arc !== undefined && ['5933', '5A33'].includes(toHex(arc));
    if (unableOnline) txn.cvr[1]! |= 0x01;
    if (txn.issuerAuth === 'failed') cid = 'AAC';
    else if (asked === 'AAC') cid = 'AAC';
    else if (approved) cid = 'TC';
    else if (unableOnline) {
      cid = data.objects['9F23'] !== undefined && data.atc - data.lastOnlineAtc > data.objects['9F23'][0]! ? 'AAC' : 'TC';
    } else cid = 'AAC';
    txn.cvr[1]! = (txn.cvr[1]! & 0x3f) | (CVR_GAC_BITS[cid] << 6);
    if (txn.issuerAuth === undefined && approved) txn.cvr[2]! |= 0x04; // issuer authentication not performed after online authorisation
    // the online transaction is complete: the risk data follow its outcome
    ctx.nvm.set(data, 'lastOnlineNotCompleted', false);
    ctx.nvm.set(data, 'lastIssuerAuthFailed', txn.issuerAuth === 'failed');
    if (approved && txn.issuerAuth !== 'failed') ctx.nvm.set(data, 'lastOnlineAtc', data.atc);
  }
  txn.cvr[3]! = (txn.cvr[3]! & 0x0f) | (Math.min(txn.scripts, 15) << 4);
  const sym = symmetric(txn.suite);
  const aip = findTag(parseTlv(data.gpo!), 0x82)?.value ?? new Uint8Array(2);
  const atc = u16(data.atc);
  const sk = sessionKey(sym, data.udk.ac, atc);
  const ac = applicationCryptogram(sym, sk, concat(cmd.data, aip, atc, txn.cvr));
  const iad = concat([0x07, 0x01, 0x01], txn.cvr, [txn.suite === 'sm' ? 0x04 : 0x01]);
  const cidByte = CID[cid];
  let body: Bytes;
  if (cda && cid !== 'AAC') {
    const dynamicNumber = ctx.random(8);
    const hashed = concat(
      txn.pdolData,
      first ? cmd.data : concat(txn.cdol1Data ?? new Uint8Array(0), cmd.data),
      encodeTlv(0x9f27, Uint8Array.of(cidByte)),
      encodeTlv(0x9f36, atc),
      encodeTlv(0x9f10, iad),
    );
    const iccDynamicData = cdaDynamicData({
      dynamicNumber,
      cid: cidByte,
      ac,
      transactionDataHash: transactionDataHash(txn.suite === 'sm' ? 'sm3' : 'sha1', hashed),
    });
    // EMV Book 2 §6.6.1: the terminal dynamic data of CDA is the unpredictable number of the CDOL data
    const un = dolValue(dol, cmd.data, 0x9f37) ?? new Uint8Array(0);
    const sdad = signDynamicData(iccKey(data, txn.suite), { iccDynamicData, terminalDynamicData: un });
    body = concat(encodeTlv(0x9f27, Uint8Array.of(cidByte)), encodeTlv(0x9f36, atc), encodeTlv(0x9f4b, sdad), encodeTlv(0x9f10, iad));
  } else {
    body = concat(encodeTlv(0x9f27, Uint8Array.of(cidByte)), encodeTlv(0x9f36, atc), encodeTlv(0x9f26, ac), encodeTlv(0x9f10, iad));
  }
  const response = encodeTlv(0x77, body);
  const wrongLe = wrongLeFor(cmd, response.length, ctx);
  if (wrongLe !== undefined) {
    // refused for its Le: the transaction stays where it was (the risk data written above are rolled back)
    txn.cvr.set(cvrBefore);
    fail(wrongLe, 'wrong Le: no cryptogram is given');
  }
  if (first) {
    txn.firstCid = cid;
    txn.cdol1Data = cmd.data;
    if (cid === 'ARQC') {
      txn.arqc = ac;
      txn.stage = 'first-gac';
      ctx.nvm.set(data, 'lastOnlineNotCompleted', true);
    } else txn.stage = 'done';
  } else txn.stage = 'done';
  if (cid === 'TC') appendLog(ctx, df, data, dol, cmd.data, txn);
  return { data: response };
}

/** Transaction log (9F4D SFI ‖ records, 9F4F format): newest record first, the oldest dropped when full. */
function appendLog(
  ctx: CardContext,
  df: DedicatedFile,
  data: PbocCardData,
  dol: readonly DolEntry[],
  dolData: Bytes,
  txn: Transaction,
): void {
  const entry = data.objects['9F4D'];
  const format = data.objects['9F4F'];
  if (!entry || !format) return;
  const ef = df.children.find((c): c is ElementaryFile => c.kind === 'EF' && c.sfi === entry[0]);
  if (!ef) return;
  const cdol1 = parseDol(recordElement(df, 0x8c) ?? new Uint8Array(0));
  const fields = parseDol(format).map((f) => {
    let v: Bytes | undefined;
    if (f.tag === 0x9f36) v = u16(data.atc);
    else {
      v =
        dolValue(dol, dolData, f.tag) ??
        (txn.cdol1Data ? dolValue(cdol1, txn.cdol1Data, f.tag) : undefined) ??
        dolValue(pdolOf(df), txn.pdolData, f.tag);
    }
    const out = new Uint8Array(f.length);
    if (v) out.set(v.slice(0, f.length));
    return out;
  });
  const record = concat(...fields);
  ctx.nvm.set(ef, 'records', [record, ...ef.records].slice(0, ef.maxRecords ?? entry[1] ?? 10));
}
