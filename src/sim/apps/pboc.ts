/**
 * The PBOC debit application (JR/T 0025, ≈ EMV 4.x; digest §3) inside the
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
 */
import { type Bytes, concat, equal, toHex } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { encodeTlv, findTag, parseTlv, tagHex, type Tlv } from '../../core/tlv.ts';
import { type BlockAlg, blockSize, decryptEcb } from '../../crypto/block.ts';
import { kcv } from '../../crypto/kcv.ts';
import { CLA_PLAIN, CLA_PLAIN_OR_SM, CLA_PROPRIETARY, CLA_PROPRIETARY_OR_SM } from '../commands/index.ts';
import { counted, externalAuthenticate as commonExternalAuthenticate, getKeyInfo, verify as commonVerify } from '../commands/authentication.ts';
import { appendRecord, updateMacKey } from '../commands/update.ts';
import { select as commonSelect } from '../commands/select.ts';
import type { CardContext, CommandSpec, CommandTable, HandlerResult } from '../card.ts';
import { fail } from '../errors.ts';
import { type DedicatedFile, type ElementaryFile, type KeyObject, createEf } from '../fs.ts';
import { KEY_TYPE } from '../../model/keys.ts';
import { inPersonalisation, type SecurityState } from '../security.ts';
import { applicationCryptogram, arpcMethod1, cryptogramTypeOf, scriptMac, sessionKey, type SymmetricSuite } from '../../pboc/cryptograms.ts';
import { type IccPrivateKey, cdaDynamicData, signDynamicData, transactionDataHash } from '../../pboc/oda.ts';
import { type DolEntry, dolLength, dolValue, parseDol } from '../../emv/dol.ts';

/** The card's persistent PBOC data, kept on its ADF. */
export interface PbocCardData {
  /** UDK-AC, UDK-MAC, UDK-ENC (DGI 8000). */
  udk?: { ac: Bytes; mac: Bytes; enc: Bytes };
  /** GPO response data: 82 AIP ‖ 94 AFL (DGI 9102). */
  gpo?: Bytes;
  /** Data objects for GET DATA and card risk management (DGI 9200), by tag (hex). */
  objects: Record<string, Bytes>;
  atc: number;
  lastOnlineAtc: number;
  /** Set when an online transaction did not reach the second GENERATE AC. */
  lastOnlineNotCompleted: boolean;
  /** Set when issuer authentication failed in the last online transaction. */
  lastIssuerAuthFailed: boolean;
  /** RSA CRT components (DGIs 8201–8205), SM2 private key (DGI 8301). */
  rsa: Partial<Record<'p' | 'q' | 'dp' | 'dq' | 'qinv', Bytes>>;
  sm2?: Bytes;
}

type CidType = 'AAC' | 'TC' | 'ARQC';
const CID: Record<CidType, number> = { AAC: 0x00, TC: 0x40, ARQC: 0x80 };

/** One transaction: from GET PROCESSING OPTIONS to the last GENERATE AC or script. */
interface Transaction {
  suite: 'des-rsa' | 'sm';
  pdolData: Bytes;
  stage: 'gpo' | 'first-gac' | 'done';
  firstCid?: CidType;
  arqc?: Bytes;
  cdol1Data?: Bytes;
  issuerAuth?: 'ok' | 'failed';
  offlinePin?: 'ok' | 'failed';
  /** Issuer script commands processed in this transaction. */
  scripts: number;
  cvr: Uint8Array;
}

const transactions = new WeakMap<SecurityState, Transaction>();

/** The PBOC data of the current DF, when it is a personalised PBOC ADF. */
function pbocOf(ctx: CardContext): { df: DedicatedFile; data: PbocCardData } | undefined {
  const df = ctx.currentDf as DedicatedFile & { pboc?: PbocCardData };
  return df.pboc ? { df, data: df.pboc } : undefined;
}

function requirePboc(ctx: CardContext): { df: DedicatedFile; data: PbocCardData } {
  const p = pbocOf(ctx);
  if (!p) fail(SW.INS_NOT_SUPPORTED, 'not in a PBOC application');
  return p;
}

function suiteOf(data: PbocCardData): 'des-rsa' | 'sm' {
  return data.objects['DF69']?.[0] === 0x01 ? 'sm' : 'des-rsa';
}

function symmetric(suite: 'des-rsa' | 'sm'): SymmetricSuite {
  return suite === 'sm' ? 'sm4' : '3des';
}

function u16(n: number): Bytes {
  return new Uint8Array([(n >> 8) & 0xff, n & 0xff]);
}

/** The PSE master key (personalisation authority for STORE DATA). */
function masterKey(ctx: CardContext): KeyObject {
  for (const k of ctx.security.env.keys.values()) if (k.type === KEY_TYPE.MASTER) return k;
  fail(SW.REF_DATA_NOT_FOUND, 'no environment master key');
}

// ---------------------------------------------------------------- STORE DATA (personalisation)

/** DGIs of one STORE DATA data field: DGI (2 bytes) ‖ length (1 byte, or FF ‖ 2 bytes) ‖ data. */
function parseDgis(data: Bytes): { dgi: number; value: Bytes }[] {
  const out: { dgi: number; value: Bytes }[] = [];
  let i = 0;
  while (i < data.length) {
    if (i + 3 > data.length) fail(SW.WRONG_LENGTH, 'truncated DGI');
    const dgi = (data[i]! << 8) | data[i + 1]!;
    let len = data[i + 2]!;
    let start = i + 3;
    if (len === 0xff) {
      if (i + 5 > data.length) fail(SW.WRONG_LENGTH, 'truncated DGI length');
      len = (data[i + 3]! << 8) | data[i + 4]!;
      start = i + 5;
    }
    if (start + len > data.length) fail(SW.WRONG_LENGTH, `DGI ${toHex(u16(dgi))} is longer than the data`);
    out.push({ dgi, value: data.slice(start, start + len) });
    i = start + len;
  }
  return out;
}

function decryptUnderMaster(ctx: CardContext, value: Bytes): Bytes {
  const key = masterKey(ctx);
  const alg: BlockAlg = key.alg === 'sm4' ? 'sm4' : '3des';
  if (value.length === 0 || value.length % blockSize(alg) !== 0) fail(SW.WRONG_LENGTH, 'encrypted DGI data are whole blocks');
  return decryptEcb(alg, key.value, value);
}

function recordEf(ctx: CardContext, df: DedicatedFile, sfi: number): ElementaryFile {
  const found = df.children.find((c): c is ElementaryFile => c.kind === 'EF' && c.sfi === sfi);
  if (found) return found;
  const ef = createEf({ sfi, structure: 'linear-variable', access: { read: 'always', update: 'never' } });
  ctx.nvm.push(df.children, ef);
  return ef;
}

function storeDgi(ctx: CardContext, df: DedicatedFile & { pboc?: PbocCardData }, data: PbocCardData, dgi: number, value: Bytes): void {
  const hi = dgi >> 8;
  const lo = dgi & 0xff;
  if (hi >= 0x01 && hi <= 0x1e && lo >= 0x01) {
    // record lo of SFI hi: a record template 70
    if (value[0] !== 0x70) fail(SW.WRONG_DATA, `DGI ${toHex(u16(dgi))}: a record is a template 70`);
    const ef = recordEf(ctx, df, hi);
    if (lo <= ef.records.length) ctx.nvm.set(ef.records, lo - 1, value);
    else if (lo === ef.records.length + 1) ctx.nvm.push(ef.records, value);
    else fail(SW.WRONG_DATA, `DGI ${toHex(u16(dgi))}: record ${lo} would leave a gap after record ${ef.records.length}`);
    return;
  }
  switch (dgi) {
    case 0x8000: {
      const keys = decryptUnderMaster(ctx, value);
      if (keys.length !== 48) fail(SW.WRONG_LENGTH, 'DGI 8000 holds three 16-byte keys');
      ctx.nvm.set(data, 'udk', { ac: keys.slice(0, 16), mac: keys.slice(16, 32), enc: keys.slice(32, 48) });
      return;
    }
    case 0x9000: {
      if (!data.udk) fail(SW.CONDITIONS_NOT_SATISFIED, 'DGI 9000 (KCVs) before DGI 8000');
      if (value.length !== 9) fail(SW.WRONG_LENGTH, 'DGI 9000 holds three 3-byte KCVs');
      const alg: BlockAlg = symmetric(suiteOf(data)) === 'sm4' ? 'sm4' : '3des';
      const { ac, mac, enc } = data.udk;
      [ac, mac, enc].forEach((k, i) => {
        if (!equal(kcv(alg, k), value.slice(3 * i, 3 * i + 3))) fail(SW.WRONG_DATA, `DGI 9000: KCV ${i + 1} does not match the key`);
      });
      return;
    }
    case 0x9102: {
      const tlvs = parseTlvOr6A80(value);
      if (!tlvs.some((t) => t.tag === 0x82) || !tlvs.some((t) => t.tag === 0x94)) fail(SW.WRONG_DATA, 'DGI 9102 holds 82 AIP and 94 AFL');
      ctx.nvm.set(data, 'gpo', value);
      return;
    }
    case 0x9200: {
      const objects = { ...data.objects };
      for (const t of parseTlvOr6A80(value)) objects[tagHex(t.tag)] = t.value;
      ctx.nvm.set(data, 'objects', objects);
      if (objects['9F36']) ctx.nvm.set(data, 'atc', (objects['9F36'][0]! << 8) | objects['9F36'][1]!);
      if (objects['9F13']) ctx.nvm.set(data, 'lastOnlineAtc', (objects['9F13'][0]! << 8) | objects['9F13'][1]!);
      return;
    }
    case 0x8201:
    case 0x8202:
    case 0x8203:
    case 0x8204:
    case 0x8205: {
      const part = (['p', 'q', 'dp', 'dq', 'qinv'] as const)[dgi - 0x8201]!;
      ctx.nvm.set(data, 'rsa', { ...data.rsa, [part]: decryptUnderMaster(ctx, value) });
      return;
    }
    case 0x8301:
      ctx.nvm.set(data, 'sm2', decryptUnderMaster(ctx, value).slice(0, 32));
      return;
    default:
      fail(SW.REF_DATA_NOT_FOUND, `unknown DGI ${toHex(u16(dgi))}`);
  }
}

function parseTlvOr6A80(value: Bytes): Tlv[] {
  try {
    return parseTlv(value);
  } catch {
    fail(SW.WRONG_DATA, 'not BER-TLV');
  }
}

function storeData(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const df = ctx.currentDf as DedicatedFile & { pboc?: PbocCardData };
  if (!df.parent || df === ctx.security.env || !df.name) fail(SW.CONDITIONS_NOT_SATISFIED, 'STORE DATA personalises an application DF (ADF)');
  if (!inPersonalisation(df)) fail(SW.CONDITIONS_NOT_SATISFIED, 'the application is no longer in personalisation');
  if (!ctx.sm) fail(SW.SECURITY_NOT_SATISFIED, 'STORE DATA carries a MAC made with the environment master key');
  if (!df.pboc) ctx.nvm.set(df, 'pboc', { objects: {}, atc: 0, lastOnlineAtc: 0, lastOnlineNotCompleted: false, lastIssuerAuthFailed: false, rsa: {} });
  for (const { dgi, value } of parseDgis(cmd.data)) storeDgi(ctx, df, df.pboc!, dgi, value);
  return {};
}

// ---------------------------------------------------------------- transaction commands

/** The PDOL of the ADF (9F38 in its FCI), empty when it has none. */
function pdolOf(df: DedicatedFile): DolEntry[] {
  if (!df.fci) return [];
  try {
    const found = findTag(parseTlv(df.fci), 0x9f38);
    return found ? parseDol(found.value) : [];
  } catch {
    return [];
  }
}

/** A data element of the card's records (8C CDOL1, 8D CDOL2, …). */
function recordElement(df: DedicatedFile, tag: number): Bytes | undefined {
  for (const ef of df.children) {
    if (ef.kind !== 'EF') continue;
    for (const r of ef.records) {
      try {
        const found = findTag(parseTlv(r), tag);
        if (found) return found.value;
      } catch {
        // a record that is no TLV holds no data element
      }
    }
  }
  return undefined;
}

function getProcessingOptions(cmd: CommandApdu, ctx: CardContext): HandlerResult {
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
  ctx.nvm.set(data, 'atc', data.atc + 1);
  transactions.set(ctx.security, { suite, pdolData, stage: 'gpo', scripts: 0, cvr: new Uint8Array([0x03, 0x00, 0x00, 0x00]) });
  return { data: encodeTlv(0x77, data.gpo) };
}

/** GET DATA `80 CA <tag>`; P1 00 / 01 is the COS's GET KEY INFO, which shares the instruction. */
function getData(cmd: CommandApdu, ctx: CardContext): HandlerResult {
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

/** The offline PIN: reference 80 in the PSE (digest §3: VERIFY 00 20 00 80). */
function pinOf(ctx: CardContext) {
  const pin = ctx.security.env.pins.get(0x80);
  if (!pin) fail(SW.REF_DATA_NOT_FOUND, 'no offline PIN (reference 80)');
  return pin;
}

/** Digits of an EMV plaintext PIN block `2N PPPP…F` (8 bytes), or undefined. */
function plaintextPinBlockDigits(block: Bytes): string | undefined {
  if (block.length !== 8 || block[0]! >> 4 !== 0x2) return undefined;
  const n = block[0]! & 0x0f;
  const hex = toHex(block.slice(1));
  if (n < 4 || n > 12 || !/^[0-9]+$/.test(hex.slice(0, n)) || !/^F*$/.test(hex.slice(n))) return undefined;
  return hex.slice(0, n);
}

function verify(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const p = pbocOf(ctx);
  if (!p || cmd.p2 !== 0x80 || cmd.data.length !== 8) return commonVerify(cmd, ctx);
  if (cmd.p1 !== 0) fail(SW.INCORRECT_P1P2);
  const digits = plaintextPinBlockDigits(cmd.data);
  if (digits === undefined) fail(SW.WRONG_DATA, 'not a plaintext PIN block 2N PIN F…');
  const pin = pinOf(ctx);
  const txn = transactions.get(ctx.security);
  try {
    counted(ctx, pin, () => digits === pin.value);
  } catch (e) {
    if (txn) {
      txn.offlinePin = 'failed';
      txn.cvr[1]! |= 0x04 | 0x02; // offline PIN performed, failed
      if (pin.tries === 0) txn.cvr[2]! |= 0x40; // PIN try limit exceeded
    }
    throw e;
  }
  ctx.security.pins.add(pin.id);
  if (txn) {
    txn.offlinePin = 'ok';
    txn.cvr[1]! |= 0x04;
  }
  return {};
}

/** The ICC private key for DDA / CDA, from DGIs 8201–8205 or 8301. */
function iccKey(data: PbocCardData, suite: 'des-rsa' | 'sm'): IccPrivateKey {
  if (suite === 'sm') {
    if (!data.sm2) fail(SW.CONDITIONS_NOT_SATISFIED, 'no SM2 ICC key');
    return { suite: 'sm2', d: data.sm2 };
  }
  const { p, q, dp, dq, qinv } = data.rsa;
  if (!p || !q || !dp || !dq || !qinv) fail(SW.CONDITIONS_NOT_SATISFIED, 'no RSA ICC key');
  return { suite: 'rsa', p, q, dp, dq, qinv, e: data.objects['9F47'] ?? new Uint8Array([0x03]) };
}

function internalAuthenticate(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const { data } = requirePboc(ctx);
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  if (cmd.data.length === 0) fail(SW.WRONG_LENGTH, 'INTERNAL AUTHENTICATE carries the DDOL data');
  const suite = transactions.get(ctx.security)?.suite ?? suiteOf(data);
  const dynamicNumber = ctx.random(8);
  const sdad = signDynamicData(iccKey(data, suite), { iccDynamicData: concat([dynamicNumber.length], dynamicNumber), terminalDynamicData: cmd.data });
  return { data: encodeTlv(0x80, sdad) };
}

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

function generateAc(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const { df, data } = requirePboc(ctx);
  if (cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  const asked = cidType(cmd.p1);
  const cda = (cmd.p1 & 0x10) !== 0;
  const txn = transactions.get(ctx.security);
  if (!txn || txn.stage === 'done') fail(SW.CONDITIONS_NOT_SATISFIED, 'GENERATE AC needs a transaction started by GET PROCESSING OPTIONS');
  if (!data.udk) fail(SW.CONDITIONS_NOT_SATISFIED, 'no application cryptogram key');
  const first = txn.stage === 'gpo';
  const dol = parseDol(recordElement(df, first ? 0x8c : 0x8d) ?? new Uint8Array(0));
  if (cmd.data.length !== dolLength(dol)) fail(SW.WRONG_LENGTH, `the ${first ? 'CDOL1' : 'CDOL2'} asks for ${dolLength(dol)} bytes, got ${cmd.data.length}`);
  let cid: CidType;
  if (first) {
    cid = firstDecision(asked, data, txn);
    txn.cvr[1]! = (txn.cvr[1]! & 0xcf) | (CVR_GAC_BITS[cid] << 4);
  } else {
    if (asked === 'ARQC') fail(SW.CONDITIONS_NOT_SATISFIED, 'the second GENERATE AC asks for TC or AAC');
    const arc = dolValue(dol, cmd.data, 0x8a);
    const approved = arc !== undefined && ['3030', '3130', '3131'].includes(toHex(arc));
    const unableOnline = arc !== undefined && ['5933', '5A33'].includes(toHex(arc));
    if (unableOnline) txn.cvr[1]! |= 0x01;
    if (txn.issuerAuth === 'failed') cid = 'AAC';
    else if (asked === 'AAC') cid = 'AAC';
    else if (approved) cid = 'TC';
    else if (unableOnline) cid = data.objects['9F23'] !== undefined && data.atc - data.lastOnlineAtc > data.objects['9F23'][0]! ? 'AAC' : 'TC';
    else cid = 'AAC';
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
    const hashed = concat(txn.pdolData, first ? cmd.data : concat(txn.cdol1Data ?? new Uint8Array(0), cmd.data), encodeTlv(0x9f27, Uint8Array.of(cidByte)), encodeTlv(0x9f36, atc), encodeTlv(0x9f10, iad));
    const iccDynamicData = cdaDynamicData({ dynamicNumber, cid: cidByte, ac, transactionDataHash: transactionDataHash(txn.suite === 'sm' ? 'sm3' : 'sha1', hashed) });
    // EMV Book 2 §6.6.1: the terminal dynamic data of CDA is the unpredictable number of the CDOL data
    const un = dolValue(dol, cmd.data, 0x9f37) ?? new Uint8Array(0);
    const sdad = signDynamicData(iccKey(data, txn.suite), { iccDynamicData, terminalDynamicData: un });
    body = concat(encodeTlv(0x9f27, Uint8Array.of(cidByte)), encodeTlv(0x9f36, atc), encodeTlv(0x9f4b, sdad), encodeTlv(0x9f10, iad));
  } else {
    body = concat(encodeTlv(0x9f27, Uint8Array.of(cidByte)), encodeTlv(0x9f36, atc), encodeTlv(0x9f26, ac), encodeTlv(0x9f10, iad));
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
  return { data: encodeTlv(0x77, body) };
}

/** Transaction log (9F4D SFI ‖ records, 9F4F format): newest record first, the oldest dropped when full. */
function appendLog(ctx: CardContext, df: DedicatedFile, data: PbocCardData, dol: readonly DolEntry[], dolData: Bytes, txn: Transaction): void {
  const entry = data.objects['9F4D'];
  const format = data.objects['9F4F'];
  if (!entry || !format) return;
  const ef = df.children.find((c): c is ElementaryFile => c.kind === 'EF' && c.sfi === entry[0]);
  if (!ef) return;
  const cdol1 = parseDol(recordElement(df, 0x8c) ?? new Uint8Array(0));
  const fields = parseDol(format).map((f) => {
    let v: Bytes | undefined;
    if (f.tag === 0x9f36) v = u16(data.atc);
    else v = dolValue(dol, dolData, f.tag) ?? (txn.cdol1Data ? dolValue(cdol1, txn.cdol1Data, f.tag) : undefined) ?? dolValue(pdolOf(df), txn.pdolData, f.tag);
    const out = new Uint8Array(f.length);
    if (v) out.set(v.slice(0, f.length));
    return out;
  });
  const record = concat(...fields);
  ctx.nvm.set(ef, 'records', [record, ...ef.records].slice(0, ef.maxRecords ?? entry[1] ?? 10));
}

function issuerAuthenticate(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const p = pbocOf(ctx);
  const txn = transactions.get(ctx.security);
  // without an online transaction in progress, EXTERNAL AUTHENTICATE is the COS's (key id in P2)
  if (!p || cmd.p2 !== 0x00 || !txn || txn.stage !== 'first-gac' || !txn.arqc) return commonExternalAuthenticate(cmd, ctx);
  const { data } = p;
  if (cmd.p1 !== 0) fail(SW.INCORRECT_P1P2);
  if (txn.issuerAuth) fail(SW.CONDITIONS_NOT_SATISFIED, 'issuer authentication is performed once per transaction');
  if (cmd.data.length !== 10) fail(SW.WRONG_LENGTH, 'ARPC (8) ‖ ARC (2)');
  const sym = symmetric(txn.suite);
  const sk = sessionKey(sym, data.udk!.ac, u16(data.atc));
  const expected = arpcMethod1(sym, sk, txn.arqc, cmd.data.slice(8, 10));
  if (!equal(expected, cmd.data.slice(0, 8))) {
    txn.issuerAuth = 'failed';
    txn.cvr[1]! |= 0x08;
    return { sw: 0x6300 };
  }
  txn.issuerAuth = 'ok';
  return {};
}

// ---------------------------------------------------------------- issuer scripts

/** Key stand-in for the SM stage: scripts are MAC'd with the session key of UDK-MAC. */
function scriptKey(_cmd: CommandApdu, ctx: CardContext): KeyObject {
  const { data } = requirePboc(ctx);
  if (!data.udk) fail(SW.CONDITIONS_NOT_SATISFIED, 'no MAC key');
  return { id: 0, type: KEY_TYPE.MAINTENANCE, alg: suiteOf(data) === 'sm' ? 'sm4' : '3des', version: 1, value: data.udk.mac, tries: 0, maxTries: 0 };
}

/** Script MAC (observed): session key from UDK-MAC and the ATC; input CLA INS P1 P2 Lc ‖ ATC ‖ ARQC ‖ data. */
function verifyScriptMac(cmd: CommandApdu, body: Bytes, mac: Bytes, ctx: CardContext): boolean {
  const { data } = requirePboc(ctx);
  const txn = transactions.get(ctx.security);
  if (!txn?.arqc || !data.udk) fail(SW.CONDITIONS_NOT_SATISFIED, 'an issuer script belongs to an online transaction (after the ARQC)');
  const sym = symmetric(txn.suite);
  const atc = u16(data.atc);
  const sk = sessionKey(sym, data.udk.mac, atc);
  return equal(scriptMac(sym, sk, new Uint8Array([cmd.cla, cmd.ins, cmd.p1, cmd.p2]), atc, txn.arqc, body), mac);
}

const SCRIPT_SM = { required: true, key: scriptKey, verify: verifyScriptMac };

function scripted(handler: (cmd: CommandApdu, ctx: CardContext, data: PbocCardData) => HandlerResult) {
  return (cmd: CommandApdu, ctx: CardContext): HandlerResult => {
    const { data } = requirePboc(ctx);
    const result = handler(cmd, ctx, data);
    const txn = transactions.get(ctx.security);
    if (txn) txn.scripts++;
    return result;
  };
}

const applicationBlock = scripted((cmd, ctx) => {
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  ctx.nvm.set(ctx.security.env, 'blocked', 'temporary');
  return {};
});

const applicationUnblock = scripted((cmd, ctx) => {
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  if (ctx.security.env.blocked === 'permanent') fail(SW.APP_PERMANENTLY_BLOCKED);
  ctx.nvm.set(ctx.security.env, 'blocked', undefined);
  return {};
});

const cardBlock = scripted((cmd, ctx) => {
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  ctx.nvm.set(ctx.security.env, 'blocked', 'permanent');
  return {};
});

/**
 * PIN CHANGE/UNBLOCK `84 24 00 P2`: P2 00 resets the try counter; P2 02
 * (observed) also sets a new PIN, sent as the plaintext PIN block padded to
 * whole blocks and enciphered (ECB) under the session key of UDK-ENC.
 */
const pinChangeUnblock = scripted((cmd, ctx, data) => {
  if (cmd.p1 !== 0 || (cmd.p2 !== 0x00 && cmd.p2 !== 0x02)) fail(SW.INCORRECT_P1P2);
  const pin = pinOf(ctx);
  if (cmd.p2 === 0x02) {
    const sym = symmetric(suiteOf(data));
    const alg: BlockAlg = sym === 'sm4' ? 'sm4' : '3des';
    if (cmd.data.length === 0 || cmd.data.length % blockSize(alg) !== 0) fail(SW.WRONG_LENGTH, 'the enciphered PIN block is whole blocks');
    const block = decryptEcb(alg, sessionKey(sym, data.udk!.enc, u16(data.atc)), cmd.data).slice(0, 8);
    const digits = plaintextPinBlockDigits(block);
    if (digits === undefined) fail(SW.WRONG_DATA, 'the deciphered PIN block is not 2N PIN F…');
    ctx.nvm.set(pin, 'value', digits);
  } else if (cmd.data.length !== 0) fail(SW.WRONG_LENGTH, 'PIN UNBLOCK carries only the MAC');
  ctx.nvm.set(pin, 'tries', pin.maxTries);
  return {};
});

/** Data objects an issuer script may change with PUT DATA (not the ATC, the last online ATC or the suite). */
const PUT_DATA_FORBIDDEN = new Set(['9F36', '9F13', 'DF69', '9F4D', '9F4F']);

const putData = scripted((cmd, ctx, data) => {
  const tag = tagHex((cmd.p1 << 8) | cmd.p2);
  if (PUT_DATA_FORBIDDEN.has(tag) || data.objects[tag] === undefined) fail(SW.REF_DATA_NOT_FOUND, `data object ${tag} cannot be changed`);
  if (cmd.data.length !== data.objects[tag].length) fail(SW.WRONG_LENGTH, `data object ${tag} has ${data.objects[tag].length} bytes`);
  ctx.nvm.set(data, 'objects', { ...data.objects, [tag]: cmd.data });
  return {};
});

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
