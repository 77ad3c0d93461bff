/**
 * Offline data authentication by the reference financial terminal (EMV 4.x
 * Book 3 §10.3, Book 2 §5 SDA, §6.5 DDA, §6.6 CDA; JR/T 0025 the same, with
 * SM2 certificates and SM3 hashes for the SM suite): the method both sides
 * support, CDA before DDA before SDA; the key recovery and the check of the
 * signed dynamic data that the first GENERATE AC returns under CDA.
 */
import { type Bytes, concat, equal, fromHex, toHex } from '../core/bytes.ts';
import { encodeTlv, parseTlv } from '../core/tlv.ts';
import { AflError, staticDataToAuthenticate } from '../emv/afl.ts';
import { buildDolData } from '../emv/dol.ts';
import { type TvrBit, setTsi, setTvr } from '../emv/tvr.ts';
import { OdaError, type PublicKey } from '../pboc/oda-format.ts';
import { parseCdaDynamicData, recoverDynamicData, transactionDataHash, verifyStaticData } from '../pboc/oda-data.ts';
import { recoverIccKey, recoverIssuerKey } from '../pboc/oda.ts';
import { type CardData, type TerminalContext, type Transaction, type TransactionResult, hasDefect, swOf } from './financial-transaction.ts';

/** The transaction date YYMMDD as a Date (20YY). */
function transactionDate(yymmdd: string): Date {
  return new Date(Date.UTC(2000 + Number(yymmdd.slice(0, 2)), Number(yymmdd.slice(2, 4)) - 1, Number(yymmdd.slice(4, 6))));
}

/** The static data to be authenticated (Book 3 §10.3); a record that cannot take part makes ODA fail. */
function staticData(data: CardData): Bytes {
  try {
    return staticDataToAuthenticate(data.afl, data.records, data.aip, data.elements.get(0x9f4a));
  } catch (e) {
    if (e instanceof AflError) throw new OdaError('records', e.message);
    throw e;
  }
}

/**
 * The issuer public key and, when the card has an ICC certificate, the ICC
 * public key, recovered with the CA key the terminal has for 8F.
 * @throws OdaError
 */
function recoverKeys(terminal: TerminalContext, data: CardData): { issuer: PublicKey; icc?: PublicKey } {
  const el = (tag: number) => data.elements.get(tag);
  const ca = terminal.config.caKeys.get(toHex(el(0x8f) ?? new Uint8Array(0)));
  if (!ca) throw new OdaError('ca', `the terminal has no CA key ${toHex(el(0x8f) ?? new Uint8Array(0))}`);
  const cert = el(0x90);
  if (!cert) throw new OdaError('missing', 'no issuer certificate');
  // EMV Book 2 §6.3–6.4 steps 8–9: the certificates name this card's issuer / PAN and have not expired on the transaction date
  const panDigits = toHex(el(0x5a) ?? new Uint8Array(0)).replace(/F+$/, '');
  const checks = { pan: panDigits, today: transactionDate(terminal.config.date) };
  const none = new Uint8Array(0);
  const issuer = recoverIssuerKey(ca, { cert, remainder: el(0x92) ?? none, exponent: el(0x9f32) ?? none }, checks).key;
  const iccCert = el(0x9f46);
  if (!iccCert) return { issuer };
  const icc = { cert: iccCert, remainder: el(0x9f48) ?? none, exponent: el(0x9f47) ?? none };
  return { issuer, icc: recoverIccKey(issuer, icc, staticData(data), checks).key };
}

/** DDA (Book 2 §6.5): INTERNAL AUTHENTICATE with the DDOL data, the signed dynamic data checked with the ICC key. */
async function dynamicDataAuthentication(terminal: TerminalContext, t: Transaction, data: CardData): Promise<void> {
  const icc = recoverKeys(terminal, data).icc;
  if (!icc) throw new OdaError('missing', 'no ICC certificate');
  const ddol = data.elements.get(0x9f49) ?? fromHex('9F3704');
  const ddolData = buildDolData(ddol, t.values);
  const r = await terminal.card.send(concat([0x00, 0x88, 0x00, 0x00, ddolData.length], ddolData, [0x00]));
  if (r.sw !== 0x9000) throw new OdaError('card', `INTERNAL AUTHENTICATE answered ${swOf(r)}`);
  const sdad = parseTlv(r.data)[0]?.value ?? new Uint8Array(0);
  recoverDynamicData(icc, sdad, ddolData);
}

/** SDA (Book 2 §5): the signed static application data 93 checked with the issuer key. */
function staticDataAuthentication(terminal: TerminalContext, data: CardData): void {
  const { issuer } = recoverKeys(terminal, data);
  const ssad = data.elements.get(0x93);
  if (!ssad) throw new OdaError('missing', 'no signed static data');
  verifyStaticData(issuer, ssad, staticData(data));
}

/**
 * Performs one ODA method: TSI 'ODA performed', the method's TVR bit when it
 * fails (not with the defect fin-oda-failure-ignored).
 */
async function perform(
  terminal: TerminalContext,
  t: Transaction,
  method: TransactionResult['oda'],
  failed: TvrBit,
  authenticate: () => unknown,
): Promise<void> {
  t.result.oda = method;
  setTsi(t.tsi, 'odaPerformed');
  try {
    await authenticate();
  } catch (e) {
    if (!(e instanceof OdaError)) throw e;
    if (!hasDefect(terminal.config, 'fin-oda-failure-ignored')) setTvr(t.tvr, failed);
  }
}

/**
 * Offline data authentication (Book 3 §10.3): CDA, DDA or SDA, the first
 * that the card (AIP byte 1) and the terminal both support; none, 'Offline
 * data authentication was not performed'. CDA recovers the ICC key here and
 * checks the card's signature at the first GENERATE AC ({@link verifyCdaSignature}).
 */
export async function offlineDataAuthentication(terminal: TerminalContext, t: Transaction, data: CardData): Promise<void> {
  // defect fin-oda-skipped: no ODA and no word of it in the TVR, whatever the AIP says
  if (hasDefect(terminal.config, 'fin-oda-skipped')) return;
  const { oda } = terminal.config;
  // AIP byte 1 (Book 3 Annex C1): b7 SDA, b6 DDA, b1 CDA supported
  const card = { sda: (data.aip[0]! & 0x40) !== 0, dda: (data.aip[0]! & 0x20) !== 0, cda: (data.aip[0]! & 0x01) !== 0 };
  if (card.cda && oda.cda) {
    await perform(terminal, t, 'CDA', 'cdaFailed', () => {
      t.iccKey = recoverKeys(terminal, data).icc;
      if (!t.iccKey) throw new OdaError('missing', 'no ICC certificate');
    });
  } else if (card.dda && oda.dda) await perform(terminal, t, 'DDA', 'ddaFailed', () => dynamicDataAuthentication(terminal, t, data));
  else if (card.sda && oda.sda) {
    // 'SDA selected' (Book 3 §10.3, TVR byte 1 b2): set whatever the outcome; not with the defect fin-sda-selected-not-set
    if (!hasDefect(terminal.config, 'fin-sda-selected-not-set')) setTvr(t.tvr, 'sdaSelected');
    await perform(terminal, t, 'SDA', 'sdaFailed', () => staticDataAuthentication(terminal, data));
  } else setTvr(t.tvr, 'odaNotPerformed');
}

/** What the first GENERATE AC returned that CDA signs. */
export interface CdaResponse {
  cid: number;
  atc: Bytes;
  iad: Bytes;
  /** Signed dynamic application data 9F4B. */
  sdad?: Bytes;
}

/**
 * CDA at the first GENERATE AC (Book 2 §6.6.2): recovers the signed dynamic
 * data with the ICC key, checks the transaction data hash over the PDOL data,
 * the CDOL1 data and the response's 9F27, 9F36 and 9F10 (SHA-1, or SM3 for
 * the SM suite) and returns the application cryptogram it carries.
 * @throws OdaError
 */
export function verifyCdaSignature(t: Transaction, response: CdaResponse, cdolData: Bytes): Bytes {
  const { cid, atc, iad, sdad } = response;
  if (!sdad || !t.iccKey) throw new OdaError('missing', 'no signed dynamic data');
  const sm = t.identity.suite === 'sm';
  const dyn = parseCdaDynamicData(recoverDynamicData(t.iccKey, sdad, t.un), sm ? 32 : 20);
  const hashed = concat(t.pdolData, cdolData, encodeTlv(0x9f27, Uint8Array.of(cid)), encodeTlv(0x9f36, atc), encodeTlv(0x9f10, iad));
  const hash = transactionDataHash(sm ? 'sm3' : 'sha1', hashed);
  if (!equal(dyn.transactionDataHash, hash)) throw new OdaError('hash', 'transaction data hash');
  return dyn.ac;
}
