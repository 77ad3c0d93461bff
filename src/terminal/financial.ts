/**
 * The reference financial terminal (JR/T 0025 ≈ EMV 4.x Book 3 chapter 10,
 * Book 4): a complete contact transaction against the PBOC debit
 * application — application selection (PSE, then the AID list), GPO with
 * the PDOL, read application data, offline data authentication (CDA, DDA,
 * SDA; RSA or SM2), processing restrictions, cardholder verification,
 * terminal risk management, terminal action analysis, first GENERATE AC,
 * online processing with the issuer host, issuer authentication, second
 * GENERATE AC and issuer scripts. It drives the financial terminal scenarios
 * and serves later as a terminal under test.
 */
import { randomBytes } from 'node:crypto';
import { type Bytes, concat, equal, fromHex, toHex } from '../core/bytes.ts';
import type { ResponseApdu } from '../core/apdu.ts';
import { type Tlv, encodeTlv, findTag, parseTlv } from '../core/tlv.ts';
import { buildDolData } from '../emv/dol.ts';
import { TVR_BITS, type TvrBit, describeTvr, hasTvr, setTsi, setTvr } from '../emv/tvr.ts';
import { processingRestrictions } from '../emv/restrictions.ts';
import { issuerActionCodes, secondGenerateAc, terminalActionAnalysis } from '../emv/action-analysis.ts';
import type { CardSession } from '../channel/session.ts';
import { ARC, type IssuerHost, type ScriptKind, type ScriptOptions, plaintextPinBlock } from '../pboc/issuer-host.ts';
import { cryptogramTypeOf, type CryptogramType } from '../pboc/cryptograms.ts';
import { OdaError, type PublicKey, parseCdaDynamicData, recoverDynamicData, recoverIccKey, recoverIssuerKey, transactionDataHash, verifyStaticData } from '../pboc/oda.ts';

/** The TVR bit whose Book 3 Annex C5 wording is `name` (any case), e.g. "new card". */
export function tvrBitNamed(name: string): TvrBit {
  const found = (Object.entries(TVR_BITS) as [TvrBit, { name: string }][]).find(([, d]) => d.name.toLowerCase() === name.toLowerCase());
  if (!found) throw new Error(`unknown TVR condition "${name}"`);
  return found[0];
}

/** Whether the TVR has the bit of that wording set. */
export function tvrHas(tvr: Bytes, name: string): boolean {
  return hasTvr(tvr, tvrBitNamed(name));
}

export { describeTvr };

export interface FinancialTerminalConfig {
  /** Read the PSE directory first (else the AID list only). */
  usePse: boolean;
  /** AIDs the terminal supports, in its order of preference. */
  aids: Bytes[];
  /** ODA methods the terminal supports. */
  oda: { cda: boolean; dda: boolean; sda: boolean };
  /** The terminal supports the SM suite (DF69 = 01 in the PDOL data). */
  sm: boolean;
  offlinePin: boolean;
  country: string;
  currency: string;
  /** Transaction date YYMMDD. */
  date: string;
  /** Application version numbers (9F09) the terminal accepts, its own first. */
  applicationVersions: Bytes[];
  /** Floor limit, in the minor unit (9F02 as a number). */
  floorLimit: number;
  /** Terminal action codes (5 bytes each). */
  tac: { denial: Bytes; online: Bytes; default: Bytes };
  /** CA public keys by index (8F), as the terminal loaded them. */
  caKeys: Map<string, PublicKey>;
}

export type PinEntry = { pin: string } | { bypass: true };

export interface TransactionResult {
  aid?: Bytes;
  selectedVia?: 'PSE' | 'AID list';
  outcome: 'approved offline' | 'approved online' | 'declined offline' | 'declined online' | 'terminated';
  reason?: string;
  oda: 'CDA' | 'DDA' | 'SDA' | 'none';
  tvr: Bytes;
  tsi: Bytes;
  /** CVM results 9F34: rule, condition, result (01 failed, 02 successful). */
  cvmResults: Bytes;
  firstCryptogram?: CryptogramType;
  finalCryptogram?: CryptogramType;
  online?: { arqcValid: boolean; arc: Bytes; issuerAuthSw?: number };
  /** What processing restrictions found, in words. */
  restrictions?: string[];
  scripts: { kind: ScriptKind; sw: number }[];
}

export class TerminalFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerminalFailure';
  }
}

/** The transaction date YYMMDD as a Date (20YY). */
function transactionDate(yymmdd: string): Date {
  return new Date(Date.UTC(2000 + Number(yymmdd.slice(0, 2)), Number(yymmdd.slice(2, 4)) - 1, Number(yymmdd.slice(4, 6))));
}

function swOf(r: ResponseApdu): string {
  return r.sw.toString(16).toUpperCase().padStart(4, '0');
}

function num(b: Bytes): number {
  return Number(toHex(b));
}

const PSE_NAME = new TextEncoder().encode('1PAY.SYS.DDF01');

/** The issuer host side the terminal talks to: none when the terminal cannot go online. */
export interface OnlineLink {
  host: IssuerHost;
  scripts: { kind: ScriptKind; options?: ScriptOptions }[];
}

export class FinancialTerminal {
  constructor(
    readonly card: CardSession,
    readonly config: FinancialTerminalConfig,
    readonly online: OnlineLink | undefined,
    private readonly pan: { pan: string; psn: string; suite: 'des-rsa' | 'sm' },
  ) {}

  /** Application selection (Book 1 §12): PSE directory ∩ terminal AIDs, else each AID of the list. */
  async selectApplication(): Promise<{ aid: Bytes; fci: Bytes; via: 'PSE' | 'AID list' }> {
    if (this.config.usePse) {
      const pse = await this.card.selectName(PSE_NAME);
      if (pse.sw === 0x9000) {
        const sfi = findTag(parseTlv(pse.data), 0x88)?.value[0];
        const listed: Bytes[] = [];
        for (let n = 1; sfi !== undefined && n <= 16; n++) {
          const r = await this.card.readRecord(n, { sfi });
          if (r.sw !== 0x9000) break;
          for (const e of parseTlv(r.data).flatMap((t) => t.children ?? []).filter((t) => t.tag === 0x61)) {
            const aid = findTag(e.children ?? [], 0x4f)?.value;
            if (aid) listed.push(aid);
          }
        }
        for (const aid of this.config.aids) {
          if (!listed.some((l) => equal(l, aid))) continue;
          const s = await this.card.selectName(aid);
          if (s.sw === 0x9000) return { aid, fci: s.data, via: 'PSE' };
        }
      }
    }
    for (const aid of this.config.aids) {
      const s = await this.card.selectName(aid);
      if (s.sw === 0x9000) return { aid, fci: s.data, via: 'AID list' };
    }
    throw new TerminalFailure('no application of the terminal is on the card');
  }

  /** A purchase of `amount` (n12, e.g. "000000001000"), the cardholder entering `pin`. */
  async purchase(amount: string, pinEntry: PinEntry): Promise<TransactionResult> {
    const tvr = new Uint8Array(5);
    const tsi = new Uint8Array(2);
    const result: TransactionResult = { outcome: 'terminated', oda: 'none', tvr, tsi, cvmResults: fromHex('3F0000'), scripts: [] };
    let selected;
    try {
      selected = await this.selectApplication();
    } catch (e) {
      if (e instanceof TerminalFailure) return { ...result, reason: e.message };
      throw e;
    }
    const { aid, fci, via } = selected;
    result.aid = aid;
    result.selectedVia = via;

    // terminal data
    const un = new Uint8Array(randomBytes(4));
    const values = new Map<number, Bytes>([
      [0x9f02, fromHex(amount)],
      [0x9f03, fromHex('000000000000')],
      [0x9f1a, fromHex(this.config.country)],
      [0x5f2a, fromHex(this.config.currency)],
      [0x9a, fromHex(this.config.date)],
      [0x9c, fromHex('00')],
      [0x9f37, un],
      [0x9f21, fromHex('120000')],
      [0x9f4e, new TextEncoder().encode('SSC-LAB TERMINAL')],
      [0xdf69, Uint8Array.of(this.config.sm ? 0x01 : 0x00)],
    ]);

    // GET PROCESSING OPTIONS
    const pdol = findTag(parseTlv(fci), 0x9f38)?.value ?? new Uint8Array(0);
    const pdolData = buildDolData(pdol, values);
    const gpo = await this.card.send(concat([0x80, 0xa8, 0x00, 0x00, pdolData.length + 2, 0x83, pdolData.length], pdolData, [0x00]));
    if (gpo.sw !== 0x9000) return { ...result, reason: `GET PROCESSING OPTIONS answered ${swOf(gpo)}` };
    const gpoT = findTag(parseTlv(gpo.data), 0x77);
    const aip = gpoT && findTag(gpoT.children ?? [], 0x82)?.value;
    const afl = gpoT && findTag(gpoT.children ?? [], 0x94)?.value;
    if (!aip || !afl) return { ...result, reason: 'no AIP or AFL' };

    // read application data; static data to be authenticated
    const elements = new Map<number, Bytes>();
    const staticParts: Bytes[] = [];
    for (let i = 0; i + 4 <= afl.length; i += 4) {
      const sfi = afl[i]! >> 3;
      for (let n = afl[i + 1]!; n <= afl[i + 2]!; n++) {
        const r = await this.card.readRecord(n, { sfi });
        if (r.sw !== 0x9000) return { ...result, reason: `READ RECORD ${n} of SFI ${sfi} answered ${swOf(r)}` };
        const t = parseTlv(r.data)[0] as Tlv;
        for (const c of t.children ?? []) elements.set(c.tag, c.value);
        if (n < afl[i + 1]! + afl[i + 3]!) staticParts.push(sfi <= 10 ? t.value : r.data);
      }
    }
    const el = (tag: number) => elements.get(tag);
    // the card's identity for the issuer, as the authorisation request carries it: PAN 5A, PSN 5F34 (read from the card);
    // the suite: the SM suite when the terminal offered it (DF69 = 01) and the card's IAD names SM4, else DES/RSA
    const card = {
      pan: toHex(el(0x5a) ?? new Uint8Array(0)).replace(/F+$/, '') || this.pan.pan,
      psn: el(0x5f34) ? toHex(el(0x5f34)!) : this.pan.psn,
      suite: this.pan.suite,
    };
    const staticData = concat(...staticParts, el(0x9f4a)?.[0] === 0x82 ? aip : new Uint8Array(0));

    // offline data authentication (Book 3 §10.3)
    const cardCda = (aip[0]! & 0x01) !== 0;
    const cardDda = (aip[0]! & 0x20) !== 0;
    const cardSda = (aip[0]! & 0x40) !== 0;
    let iccKey: PublicKey | undefined;
    const recoverKeys = (): { issuer: PublicKey; icc?: PublicKey } => {
      const ca = this.config.caKeys.get(toHex(el(0x8f) ?? new Uint8Array(0)));
      if (!ca) throw new OdaError('ca', `the terminal has no CA key ${toHex(el(0x8f) ?? new Uint8Array(0))}`);
      const cert = el(0x90);
      if (!cert) throw new OdaError('missing', 'no issuer certificate');
      // EMV Book 2 §6.3–6.4 steps 8–9: the certificates name this card's issuer / PAN and have not expired on the transaction date
      const panDigits = toHex(el(0x5a) ?? new Uint8Array(0)).replace(/F+$/, '');
      const checks = { pan: panDigits, today: transactionDate(this.config.date) };
      const issuer = recoverIssuerKey(ca, { cert, remainder: el(0x92) ?? new Uint8Array(0), exponent: el(0x9f32) ?? new Uint8Array(0) }, checks).key;
      const iccCert = el(0x9f46);
      const icc = iccCert ? recoverIccKey(issuer, { cert: iccCert, remainder: el(0x9f48) ?? new Uint8Array(0), exponent: el(0x9f47) ?? new Uint8Array(0) }, staticData, checks).key : undefined;
      return { issuer, icc };
    };
    if (cardCda && this.config.oda.cda) {
      result.oda = 'CDA';
      setTsi(tsi, 'odaPerformed');
      try {
        iccKey = recoverKeys().icc;
        if (!iccKey) throw new OdaError('missing', 'no ICC certificate');
      } catch (e) {
        if (!(e instanceof OdaError)) throw e;
        setTvr(tvr, 'cdaFailed');
      }
    } else if (cardDda && this.config.oda.dda) {
      result.oda = 'DDA';
      setTsi(tsi, 'odaPerformed');
      try {
        const icc = recoverKeys().icc;
        if (!icc) throw new OdaError('missing', 'no ICC certificate');
        const ddol = el(0x9f49) ?? fromHex('9F3704');
        const ddolData = buildDolData(ddol, values);
        const r = await this.card.send(concat([0x00, 0x88, 0x00, 0x00, ddolData.length], ddolData, [0x00]));
        if (r.sw !== 0x9000) throw new OdaError('card', `INTERNAL AUTHENTICATE answered ${swOf(r)}`);
        const sdad = parseTlv(r.data)[0]?.value ?? new Uint8Array(0);
        recoverDynamicData(icc, sdad, ddolData);
      } catch (e) {
        if (!(e instanceof OdaError)) throw e;
        setTvr(tvr, 'ddaFailed');
      }
    } else if (cardSda && this.config.oda.sda) {
      result.oda = 'SDA';
      setTsi(tsi, 'odaPerformed');
      try {
        const { issuer } = recoverKeys();
        const ssad = el(0x93);
        if (!ssad) throw new OdaError('missing', 'no signed static data');
        verifyStaticData(issuer, ssad, staticData);
      } catch (e) {
        if (!(e instanceof OdaError)) throw e;
        setTvr(tvr, 'sdaFailed');
      }
    } else setTvr(tvr, 'odaNotPerformed');

    // processing restrictions (Book 3 §10.4): application versions, usage control, dates
    const restrictions = processingRestrictions(
      elements,
      {
        terminalCountry: this.config.country,
        terminalType: '22',
        additionalCapabilities: fromHex('F000F0A001'),
        applicationVersion: this.config.applicationVersions[0]!,
        date: this.config.date,
        type: '00',
        amountOther: 0,
      },
      { acceptedVersions: this.config.applicationVersions.slice(1), tvr },
    );
    result.restrictions = restrictions.findings.map((f) => f.reason);

    // cardholder verification (Book 3 §10.5)
    const cvmList = el(0x8e);
    if (cvmList && (aip[0]! & 0x10)) {
      setTsi(tsi, 'cvmPerformed');
      let verified = false;
      let lastRule = fromHex('3F0001');
      for (let i = 8; i + 2 <= cvmList.length; i += 2) {
        const code = cvmList[i]!;
        const cond = cvmList[i + 1]!;
        const method = code & 0x3f;
        const supported = method === 0x01 ? this.config.offlinePin : method === 0x1f;
        if (cond === 0x03 && !supported) continue;
        if (cond !== 0x00 && cond !== 0x03) continue;
        let ok = false;
        if (method === 0x1f) ok = true;
        else if (method === 0x01 && this.config.offlinePin) {
          const tries = await this.card.send(Uint8Array.of(0x80, 0xca, 0x9f, 0x17, 0x00));
          const left = tries.sw === 0x9000 ? findTag(parseTlv(tries.data), 0x9f17)?.value[0] : undefined;
          if (left === 0) setTvr(tvr, 'pinTryLimitExceeded');
          else if ('pin' in pinEntry) {
            const v = await this.card.send(concat([0x00, 0x20, 0x00, 0x80, 0x08], plaintextPinBlock(pinEntry.pin)));
            ok = v.sw === 0x9000;
            if (v.sw === 0x6983) setTvr(tvr, 'pinTryLimitExceeded');
          }
        } else setTvr(tvr, 'unrecognisedCvm');
        lastRule = Uint8Array.of(code, cond, ok ? 0x02 : 0x01);
        if (ok) {
          verified = true;
          break;
        }
        if (!(code & 0x40)) break;
      }
      result.cvmResults = lastRule;
      if (!verified) setTvr(tvr, 'cvmFailed');
    }

    // terminal risk management (Book 3 §10.6)
    setTsi(tsi, 'terminalRiskManagementPerformed');
    if (num(fromHex(amount)) > this.config.floorLimit) setTvr(tvr, 'floorLimitExceeded');
    const getData = async (tag: number): Promise<Bytes | undefined> => {
      const r = await this.card.send(Uint8Array.of(0x80, 0xca, tag >> 8, tag & 0xff, 0x00));
      return r.sw === 0x9000 ? findTag(parseTlv(r.data), tag)?.value : undefined;
    };
    const atc = await getData(0x9f36);
    const lastOnline = await getData(0x9f13);
    if (lastOnline && toHex(lastOnline) === '0000') setTvr(tvr, 'newCard');
    const lcol = await getData(0x9f14);
    const ucol = await getData(0x9f23);
    if (atc && lastOnline) {
      const since = parseInt(toHex(atc), 16) - parseInt(toHex(lastOnline), 16);
      if (lcol && since > lcol[0]!) setTvr(tvr, 'lowerOfflineLimitExceeded');
      if (ucol && since > ucol[0]!) setTvr(tvr, 'upperOfflineLimitExceeded');
    }

    // terminal action analysis (Book 3 §10.7)
    const iac = issuerActionCodes(elements);
    const decision = terminalActionAnalysis(tvr, this.config.tac, iac, this.online ? 'offline with online capability' : 'offline only');
    const ask: CryptogramType = decision.cryptogram;

    // first GENERATE AC
    values.set(0x95, tvr);
    const cdol1 = el(0x8c) ?? new Uint8Array(0);
    const cdol1Data = buildDolData(cdol1, values);
    const useCda = result.oda === 'CDA' && !tvrHas(tvr, 'CDA failed') && ask !== 'AAC';
    const p1 = { AAC: 0x00, TC: 0x40, ARQC: 0x80 }[ask] | (useCda ? 0x10 : 0x00);
    const gac1 = await this.card.send(concat([0x80, 0xae, p1, 0x00, cdol1Data.length], cdol1Data, [0x00]));
    if (gac1.sw !== 0x9000) return { ...result, reason: `GENERATE AC answered ${swOf(gac1)}` };
    const g1 = findTag(parseTlv(gac1.data), 0x77);
    const get1 = (tag: number) => (g1 ? findTag(g1.children ?? [], tag)?.value : undefined);
    const cid = get1(0x9f27)?.[0] ?? 0;
    const cardAtc = get1(0x9f36) ?? new Uint8Array(2);
    const iad = get1(0x9f10) ?? new Uint8Array(0);
    // IAD byte 8 names the card's algorithm (01 3DES, 04 SM4; digest §3)
    if (iad.length >= 8) card.suite = iad[7] === 0x04 ? 'sm' : 'des-rsa';
    let ac = get1(0x9f26);
    if (useCda) {
      try {
        const sdad = get1(0x9f4b);
        if (!sdad || !iccKey) throw new OdaError('missing', 'no signed dynamic data');
        const dyn = parseCdaDynamicData(recoverDynamicData(iccKey, sdad, un), card.suite === 'sm' ? 32 : 20);
        const hashed = concat(pdolData, cdol1Data, encodeTlv(0x9f27, Uint8Array.of(cid)), encodeTlv(0x9f36, cardAtc), encodeTlv(0x9f10, iad));
        if (!equal(dyn.transactionDataHash, transactionDataHash(card.suite === 'sm' ? 'sm3' : 'sha1', hashed))) throw new OdaError('hash', 'transaction data hash');
        ac = dyn.ac;
      } catch (e) {
        if (!(e instanceof OdaError)) throw e;
        setTvr(tvr, 'cdaFailed');
        result.firstCryptogram = cryptogramTypeOf(cid);
        return { ...result, outcome: 'declined offline', reason: `CDA failed: ${e.message}` };
      }
    }
    setTsi(tsi, 'cardRiskManagementPerformed');
    const first = cryptogramTypeOf(cid);
    result.firstCryptogram = first;
    if (first === 'TC') return { ...result, finalCryptogram: 'TC', outcome: 'approved offline' };
    if (first === 'AAC') return { ...result, finalCryptogram: 'AAC', outcome: 'declined offline' };

    // online processing
    let arc: Bytes;
    let approvedOnline = false;
    if (this.online && ac) {
      const res = this.online.host.authorise({ suite: card.suite, pan: card.pan, psn: card.psn, atc: cardAtc, arqc: ac, cdolData: cdol1Data, aip, iad });
      arc = res.arc;
      approvedOnline = equal(arc, ARC.approved);
      result.online = { arqcValid: res.arqcValid, arc };
      if (aip[0]! & 0x04) {
        const ea = await this.card.send(concat([0x00, 0x82, 0x00, 0x00, 0x0a], res.arpc, arc));
        result.online.issuerAuthSw = ea.sw;
        setTsi(tsi, 'issuerAuthenticationPerformed');
        if (ea.sw !== 0x9000) setTvr(tvr, 'issuerAuthenticationFailed');
      }
    } else {
      // unable to go online: the default action codes decide (Book 3 §10.7, Book 4 Annex A6: Y3 / Z3)
      const second = secondGenerateAc('ARQC', 'unable to go online', tvr, this.config.tac, iac);
      arc = second.request === 'TC' ? ARC.unableOnlineApproved : ARC.unableOnlineDeclined;
    }
    values.set(0x8a, arc);
    values.set(0x95, tvr);
    const cdol2Data = buildDolData(el(0x8d) ?? new Uint8Array(0), values);
    const askSecond: CryptogramType = this.online ? (approvedOnline ? 'TC' : 'AAC') : equal(arc, ARC.unableOnlineApproved) ? 'TC' : 'AAC';
    const gac2 = await this.card.send(concat([0x80, 0xae, askSecond === 'TC' ? 0x40 : 0x00, 0x00, cdol2Data.length], cdol2Data, [0x00]));
    if (gac2.sw !== 0x9000) return { ...result, reason: `second GENERATE AC answered ${swOf(gac2)}` };
    const g2 = findTag(parseTlv(gac2.data), 0x77);
    const final = cryptogramTypeOf((g2 ? findTag(g2.children ?? [], 0x9f27)?.value[0] : undefined) ?? 0);
    result.finalCryptogram = final;

    // issuer scripts after the final GENERATE AC (template 72)
    if (this.online && ac) {
      for (const s of this.online.scripts) {
        const r = await this.card.send(this.online.host.script(s.kind, { suite: card.suite, pan: card.pan, psn: card.psn, atc: cardAtc, arqc: ac }, s.options ?? {}));
        result.scripts.push({ kind: s.kind, sw: r.sw });
        setTsi(tsi, 'scriptProcessingPerformed');
        if (r.sw !== 0x9000 && (r.sw >> 8) !== 0x62 && (r.sw >> 8) !== 0x63) setTvr(tvr, 'scriptFailedAfterFinalAc');
      }
    }
    const approved = final === 'TC';
    return { ...result, outcome: this.online ? (approved ? 'approved online' : 'declined online') : approved ? 'approved offline' : 'declined offline' };
  }
}


/**
 * The lab's reference terminal configuration: PSE first, the UnionPay AIDs
 * (debit, then credit and quasi-credit, which a debit-only card must not
 * have), CDA/DDA/SDA and offline PIN, the SM suite, a domestic terminal
 * (0156), floor limit 5000.00, zero terminal action codes (the card's issuer
 * action codes decide), the CA keys of the lab PKI.
 */
export function referenceTerminalConfig(caKeys: Map<string, PublicKey>, date: string): FinancialTerminalConfig {
  return {
    usePse: true,
    aids: [fromHex('A000000333010101'), fromHex('A000000333010102'), fromHex('A000000333010103')],
    oda: { cda: true, dda: true, sda: true },
    sm: true,
    offlinePin: true,
    country: '0156',
    currency: '0156',
    date,
    // PBOC 3.0 (0030) and PBOC 2.0 (0020) applications
    applicationVersions: [fromHex('0030'), fromHex('0020')],
    floorLimit: 500000,
    tac: { denial: new Uint8Array(5), online: new Uint8Array(5), default: new Uint8Array(5) },
    caKeys,
  };
}
