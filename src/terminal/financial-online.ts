/**
 * The reference financial terminal from the first GENERATE AC on (EMV 4.x
 * Book 3 §10.8–10.11; JR/T 0025 the same): card action analysis, online
 * processing with the issuer host and issuer authentication, the second
 * GENERATE AC, and the issuer scripts after it.
 */
import { type Bytes, concat, equal } from '../core/bytes.ts';
import { findTag, parseTlv } from '../core/tlv.ts';
import { buildDolData } from '../emv/dol.ts';
import { hasTvr, setTsi, setTvr } from '../emv/tvr.ts';
import { generateAcP1, secondGenerateAc as secondAcDecision } from '../emv/action-analysis.ts';
import { ARC } from '../pboc/issuer-host.ts';
import { type CryptogramType, cryptogramTypeOf } from '../pboc/cryptograms.ts';
import { OdaError } from '../pboc/oda-format.ts';
import { verifyCdaSignature } from './financial-oda.ts';
import {
  type CardData,
  type FirstAc,
  type TerminalContext,
  type Transaction,
  TerminalFailure,
  actionCodes,
  hasDefect,
  swOf,
} from './financial-transaction.ts';

/** The template 77 of a GENERATE AC response, by tag. */
function responseElements(data: Bytes): (tag: number) => Bytes | undefined {
  const t = findTag(parseTlv(data), 0x77);
  return (tag) => (t ? findTag(t.children ?? [], tag)?.value : undefined);
}

/**
 * The first GENERATE AC (Book 3 §10.8) asking for `ask` with the CDOL1
 * data, a CDA signature requested when CDA is under way and the terminal does
 * not ask for an AAC. A failed CDA check declines the transaction offline.
 * @throws TerminalFailure when the card refuses the command or CDA fails
 */
export async function firstGenerateAc(terminal: TerminalContext, t: Transaction, data: CardData, ask: CryptogramType): Promise<FirstAc> {
  t.values.set(0x95, t.tvr);
  const cdolData = buildDolData(data.elements.get(0x8c) ?? new Uint8Array(0), t.values);
  const cda = t.result.oda === 'CDA' && !hasTvr(t.tvr, 'cdaFailed') && ask !== 'AAC';
  const r = await terminal.card.send(concat([0x80, 0xae, generateAcP1(ask, cda), 0x00, cdolData.length], cdolData, [0x00]));
  if (r.sw !== 0x9000) throw new TerminalFailure(`GENERATE AC answered ${swOf(r)}`);
  const get = responseElements(r.data);
  const cid = get(0x9f27)?.[0] ?? 0;
  const atc = get(0x9f36) ?? new Uint8Array(2);
  const iad = get(0x9f10) ?? new Uint8Array(0);
  // IAD byte 8 names the card's algorithm (01 3DES, 04 SM4; observed, docs/sources.md §4)
  if (iad.length >= 8) t.identity.suite = iad[7] === 0x04 ? 'sm' : 'des-rsa';
  let ac = get(0x9f26);
  if (cda) {
    try {
      ac = verifyCdaSignature(t, { cid, atc, iad, sdad: get(0x9f4b) }, cdolData);
    } catch (e) {
      if (!(e instanceof OdaError)) throw e;
      setTvr(t.tvr, 'cdaFailed');
      t.result.firstCryptogram = cryptogramTypeOf(cid);
      throw new TerminalFailure(`CDA failed: ${e.message}`, 'declined offline');
    }
  }
  setTsi(t.tsi, 'cardRiskManagementPerformed');
  const type = cryptogramTypeOf(cid);
  t.result.firstCryptogram = type;
  return { type, cid, atc, iad, ac, cdolData };
}

/** What online processing leaves for the second GENERATE AC: the ARC for CDOL2 and the cryptogram to ask for. */
export interface OnlineDecision {
  arc: Bytes;
  request: 'TC' | 'AAC';
}

/**
 * Online processing (Book 3 §10.9): the ARQC to the issuer host, then, when
 * the card supports issuer authentication (AIP byte 1 b3), EXTERNAL
 * AUTHENTICATE with the ARPC and the ARC. A terminal that cannot go online
 * (or has no cryptogram to send) lets the default action codes decide
 * (Book 3 §10.7, Book 4 Annex A6: ARC Y3 / Z3).
 */
export async function onlineProcessing(terminal: TerminalContext, t: Transaction, data: CardData, first: FirstAc): Promise<OnlineDecision> {
  const { online } = terminal;
  if (!online || !first.ac) {
    const { tac, iac } = actionCodes(terminal.config, data.elements);
    const second = secondAcDecision('ARQC', 'unable to go online', t.tvr, tac, iac);
    const arc = second.request === 'TC' ? ARC.unableOnlineApproved : ARC.unableOnlineDeclined;
    // with an issuer link but no cryptogram to send, the terminal declines
    return { arc, request: !online && second.request === 'TC' ? 'TC' : 'AAC' };
  }
  const { suite, pan, psn } = t.identity;
  const { atc, ac: arqc, cdolData, iad } = first;
  const res = online.host.authorise({ suite, pan, psn, atc, arqc, cdolData, aip: data.aip, iad });
  t.result.online = { arqcValid: res.arqcValid, arc: res.arc };
  if (data.aip[0]! & 0x04) {
    const ea = await terminal.card.send(concat([0x00, 0x82, 0x00, 0x00, 0x0a], res.arpc, res.arc));
    t.result.online.issuerAuthSw = ea.sw;
    setTsi(t.tsi, 'issuerAuthenticationPerformed');
    if (ea.sw !== 0x9000 && !hasDefect(terminal.config, 'fin-issuer-auth-failure-ignored')) setTvr(t.tvr, 'issuerAuthenticationFailed');
  }
  // defect fin-declining-arc-approved: any answer of the issuer taken for an approval
  const approved = equal(res.arc, ARC.approved) || hasDefect(terminal.config, 'fin-declining-arc-approved');
  return { arc: res.arc, request: approved ? 'TC' : 'AAC' };
}

/**
 * The second GENERATE AC (Book 3 §10.11) with the CDOL2 data (ARC 8A, the
 * TVR as it stands); returns the card's final cryptogram.
 * @throws TerminalFailure when the card refuses the command
 */
export async function secondGenerateAc(
  terminal: TerminalContext,
  t: Transaction,
  data: CardData,
  decision: OnlineDecision,
): Promise<CryptogramType | undefined> {
  // defect fin-arc-not-sent: no ARC among the terminal's data, CDOL2 carries zeros in its place
  if (hasDefect(terminal.config, 'fin-arc-not-sent')) t.values.delete(0x8a);
  else t.values.set(0x8a, decision.arc);
  t.values.set(0x95, t.tvr);
  const cdolData = buildDolData(data.elements.get(0x8d) ?? new Uint8Array(0), t.values);
  const r = await terminal.card.send(concat([0x80, 0xae, generateAcP1(decision.request), 0x00, cdolData.length], cdolData, [0x00]));
  if (r.sw !== 0x9000) throw new TerminalFailure(`second GENERATE AC answered ${swOf(r)}`);
  const final = cryptogramTypeOf(responseElements(r.data)(0x9f27)?.[0] ?? 0);
  t.result.finalCryptogram = final;
  return final;
}

/**
 * Issuer-to-card script processing after the final GENERATE AC (Book 3
 * §10.10, template 72): each script of the issuer host, 'Script processing
 * failed after final GENERATE AC' when the card answers other than 9000,
 * 62xx or 63xx. `when` says where the terminal calls it: the defect
 * fin-scripts-before-final-ac runs the scripts before the second GENERATE AC
 * (failures then set 'Script processing failed before final GENERATE AC'),
 * fin-scripts-not-run not at all.
 */
export async function issuerScripts(
  terminal: TerminalContext,
  t: Transaction,
  first: FirstAc,
  when: 'before final AC' | 'after final AC' = 'after final AC',
): Promise<void> {
  const { online, config } = terminal;
  if (!online || !first.ac || hasDefect(config, 'fin-scripts-not-run')) return;
  if (hasDefect(config, 'fin-scripts-before-final-ac') !== (when === 'before final AC')) return;
  const failedBit = when === 'before final AC' ? 'scriptFailedBeforeFinalAc' : 'scriptFailedAfterFinalAc';
  const { suite, pan, psn } = t.identity;
  for (const s of online.scripts) {
    const r = await terminal.card.send(online.host.script(s.kind, { suite, pan, psn, atc: first.atc, arqc: first.ac }, s.options ?? {}));
    t.result.scripts.push({ kind: s.kind, sw: r.sw });
    setTsi(t.tsi, 'scriptProcessingPerformed');
    if (r.sw !== 0x9000 && r.sw >> 8 !== 0x62 && r.sw >> 8 !== 0x63) setTvr(t.tvr, failedBit);
  }
}
