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
 *
 * The terminal's decisions are those of the EMV modules: src/emv/afl.ts
 * (the records to read, the static data), restrictions.ts, cvm.ts, risk.ts,
 * action-analysis.ts and tvr.ts; this file and financial-oda.ts,
 * financial-online.ts send the commands and hand the answers on.
 */
import { type Bytes, concat, equal, fromHex, toHex } from '../core/bytes.ts';
import { type Tlv, findTag, parseTlv } from '../core/tlv.ts';
import { AflError, type RecordRead, readAflRecords } from '../emv/afl.ts';
import { CVM_CAPABILITY, CvmError, type CvmContext, type PinKind, type PinOutcome, performCvm, pinOutcomeOfVerify } from '../emv/cvm.ts';
import { buildDolData } from '../emv/dol.ts';
import { TVR_BITS, type TvrBit, clearTvr, describeTvr, hasTvr } from '../emv/tvr.ts';
import { processingRestrictions } from '../emv/restrictions.ts';
import { type VelocityData, terminalRiskManagement } from '../emv/risk.ts';
import { terminalActionAnalysis } from '../emv/action-analysis.ts';
import type { CardSession } from '../channel/session.ts';
import { plaintextPinBlock } from '../pboc/issuer-host.ts';
import type { CryptogramType } from '../pboc/cryptograms.ts';
import type { PublicKey } from '../pboc/oda-format.ts';
import { offlineDataAuthentication } from './financial-oda.ts';
import { firstGenerateAc, issuerScripts, onlineProcessing, secondGenerateAc } from './financial-online.ts';
import {
  type CardData,
  type CardIdentity,
  type FinancialTerminalConfig,
  type OnlineLink,
  type PinEntry,
  type TerminalContext,
  type Transaction,
  type TransactionResult,
  TerminalFailure,
  actionCodes,
  hasDefect,
  newTransaction,
  swOf,
} from './financial-transaction.ts';

export type { FinancialTerminalConfig, OnlineLink, PinEntry, TransactionResult };
export { TerminalFailure };

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

/**
 * The terminal's capabilities 9F33 (Book 4 Annex A2) as its configuration
 * makes them: IC with contacts; plaintext PIN for ICC verification when it
 * does offline PIN, and no CVM required; the ODA methods it supports.
 * Cardholder verification decides with byte 2 which CVMs it can perform.
 */
export function terminalCapabilities(config: Pick<FinancialTerminalConfig, 'offlinePin' | 'oda'>): Bytes {
  const cvm = (config.offlinePin ? CVM_CAPABILITY.plaintextPin : 0) | CVM_CAPABILITY.noCvm;
  const oda = (config.oda.sda ? 0x80 : 0) | (config.oda.dda ? 0x40 : 0) | (config.oda.cda ? 0x08 : 0);
  return Uint8Array.of(0x20, cvm, oda);
}

const PSE_NAME = new TextEncoder().encode('1PAY.SYS.DDF01');

export class FinancialTerminal implements TerminalContext {
  constructor(
    readonly card: CardSession,
    readonly config: FinancialTerminalConfig,
    readonly online: OnlineLink | undefined,
    /** The card for the issuer host where its records do not say (PAN, PSN) and until its IAD names the suite. */
    private readonly fallbackIdentity: CardIdentity,
  ) {}

  /** Whether SELECT of an application answered so that the terminal uses it: 9000 (also 6283, blocked, with that defect). */
  private selected(sw: number): boolean {
    return sw === 0x9000 || (sw === 0x6283 && hasDefect(this.config, 'fin-blocked-application-selected'));
  }

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
          for (const e of parseTlv(r.data)
            .flatMap((t) => t.children ?? [])
            .filter((t) => t.tag === 0x61)) {
            const aid = findTag(e.children ?? [], 0x4f)?.value;
            if (aid) listed.push(aid);
          }
        }
        for (const aid of this.config.aids) {
          if (!listed.some((l) => equal(l, aid))) continue;
          const s = await this.card.selectName(aid);
          if (this.selected(s.sw)) return { aid, fci: s.data, via: 'PSE' };
        }
      }
    }
    for (const aid of this.config.aids) {
      const s = await this.card.selectName(aid);
      if (this.selected(s.sw)) return { aid, fci: s.data, via: 'AID list' };
    }
    throw new TerminalFailure('no application of the terminal is on the card');
  }

  /**
   * A purchase of `amount` (n12, e.g. "000000001000"), the cardholder
   * entering `pin`: the steps of Book 3 §10.1–10.11 in order. A step that
   * ends the transaction early throws {@link TerminalFailure}; the result
   * then says why.
   */
  async purchase(amount: string, pinEntry: PinEntry): Promise<TransactionResult> {
    const t = newTransaction(amount, this.config, this.fallbackIdentity);
    try {
      const app = await this.selectApplication();
      t.result.aid = app.aid;
      t.result.selectedVia = app.via;
      const gpo = await this.getProcessingOptions(t, app.fci);
      const data = await this.readApplicationData(t, gpo);
      await offlineDataAuthentication(this, t, data);
      this.checkProcessingRestrictions(t, data);
      await this.verifyCardholder(t, data, pinEntry);
      await this.manageTerminalRisk(t, data);
      const ask = this.analyseTerminalActions(t, data);
      const first = await firstGenerateAc(this, t, data, ask);
      if (first.type === 'TC') return { ...t.result, finalCryptogram: 'TC', outcome: 'approved offline' };
      if (first.type === 'AAC') return { ...t.result, finalCryptogram: 'AAC', outcome: 'declined offline' };
      const decision = await onlineProcessing(this, t, data, first);
      await issuerScripts(this, t, first, 'before final AC');
      const final = await secondGenerateAc(this, t, data, decision);
      await issuerScripts(this, t, first);
      const where = this.online ? 'online' : 'offline';
      return { ...t.result, outcome: final === 'TC' ? `approved ${where}` : `declined ${where}` };
    } catch (e) {
      if (e instanceof TerminalFailure) return { ...t.result, outcome: e.outcome, reason: e.message };
      throw e;
    }
  }

  /** Initiate application processing (Book 3 §10.1): GET PROCESSING OPTIONS with the PDOL data; the AIP and the AFL. */
  private async getProcessingOptions(t: Transaction, fci: Bytes): Promise<{ aip: Bytes; afl: Bytes }> {
    const pdol = findTag(parseTlv(fci), 0x9f38)?.value ?? new Uint8Array(0);
    t.pdolData = buildDolData(pdol, t.values);
    const gpo = await this.card.send(concat([0x80, 0xa8, 0x00, 0x00, t.pdolData.length + 2, 0x83, t.pdolData.length], t.pdolData, [0x00]));
    if (gpo.sw !== 0x9000) throw new TerminalFailure(`GET PROCESSING OPTIONS answered ${swOf(gpo)}`);
    const template = findTag(parseTlv(gpo.data), 0x77);
    const aip = template && findTag(template.children ?? [], 0x82)?.value;
    const afl = template && findTag(template.children ?? [], 0x94)?.value;
    if (!aip || !afl) throw new TerminalFailure('no AIP or AFL');
    return { aip, afl };
  }

  /**
   * Read application data (Book 3 §10.2): the records the AFL names, the
   * transaction terminated by an invalid AFL or a record the card does not
   * return; the data elements of the records by tag. (Defect
   * fin-read-record-error-ignored: reads on past an error and goes on with the records it got.)
   */
  private async readApplicationData(t: Transaction, gpo: { aip: Bytes; afl: Bytes }): Promise<CardData> {
    let records: RecordRead[];
    const ignoreErrors = hasDefect(this.config, 'fin-read-record-error-ignored');
    try {
      records = await readAflRecords(gpo.afl, (sfi, record) => this.card.readRecord(record, { sfi }), { stopOnError: !ignoreErrors });
    } catch (e) {
      if (e instanceof AflError) throw new TerminalFailure(e.message);
      throw e;
    }
    const failed = records.find((r) => r.sw !== 0x9000);
    if (failed && !ignoreErrors) throw new TerminalFailure(`READ RECORD ${failed.record} of SFI ${failed.sfi} answered ${swOf(failed)}`);
    if (failed) records = records.filter((r) => r.sw === 0x9000);
    const elements = new Map<number, Bytes>();
    for (const r of records) for (const c of (parseTlv(r.data)[0] as Tlv).children ?? []) elements.set(c.tag, c.value);
    // the card's identity for the issuer, as the authorisation request carries it: PAN 5A, PSN 5F34 (read from the card);
    // the suite: the SM suite when the terminal offered it (DF69 = 01) and the card's IAD names SM4, else DES/RSA
    const pan = toHex(elements.get(0x5a) ?? new Uint8Array(0)).replace(/F+$/, '');
    const psn = elements.get(0x5f34);
    if (pan) t.identity.pan = pan;
    if (psn) t.identity.psn = toHex(psn);
    return { ...gpo, records, elements };
  }

  /** Processing restrictions (Book 3 §10.4): application versions, usage control, dates. */
  private checkProcessingRestrictions(t: Transaction, data: CardData): void {
    // the defects leave out the data element whose check the terminal does not make
    const elements = new Map(data.elements);
    if (hasDefect(this.config, 'fin-expiry-not-checked')) elements.delete(0x5f24);
    if (hasDefect(this.config, 'fin-version-not-checked')) elements.delete(0x9f08);
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
      { acceptedVersions: this.config.applicationVersions.slice(1), tvr: t.tvr },
    );
    t.result.restrictions = restrictions.findings.map((f) => f.reason);
  }

  /**
   * Cardholder verification (Book 3 §10.5) over the card's CVM List 8E with
   * the CVMs of {@link terminalCapabilities}; the offline PIN through
   * {@link offlinePin}. A malformed CVM List terminates the transaction.
   */
  private async verifyCardholder(t: Transaction, data: CardData, pinEntry: PinEntry): Promise<void> {
    const context: CvmContext = {
      terminalCapabilities: terminalCapabilities(this.config),
      amount: t.amount,
      transactionCurrency: this.config.currency,
      applicationCurrency: data.elements.get(0x9f42),
      cash: false,
      cashback: false,
      unattended: false,
    };
    try {
      const verify = (kind: PinKind) => this.offlinePin(kind, pinEntry);
      const cvm = await performCvm(data.elements.get(0x8e), context, verify, { aip: data.aip, tvr: t.tvr, tsi: t.tsi });
      t.result.cvmResults = cvm.cvmResults;
      if (hasDefect(this.config, 'fin-bypass-not-recorded')) clearTvr(t.tvr, 'pinNotEntered');
    } catch (e) {
      if (e instanceof CvmError) throw new TerminalFailure(e.message);
      throw e;
    }
  }

  /**
   * Offline plaintext PIN (Book 3 §10.5.1), the only PIN CVM the terminal
   * supports: GET DATA of the PIN Try Counter 9F17 (0: no PIN entry), then
   * VERIFY with the plaintext PIN block, unless the cardholder bypasses PIN entry.
   */
  private async offlinePin(kind: PinKind, pinEntry: PinEntry): Promise<PinOutcome> {
    if (kind !== 'offline-plaintext') return 'failed';
    const tries = await this.card.send(Uint8Array.of(0x80, 0xca, 0x9f, 0x17, 0x00));
    const left = tries.sw === 0x9000 ? findTag(parseTlv(tries.data), 0x9f17)?.value[0] : undefined;
    if (left === 0 && !hasDefect(this.config, 'fin-pin-try-counter-ignored')) return 'blocked';
    if (!('pin' in pinEntry)) return 'not-entered';
    const verify = await this.card.send(concat([0x00, 0x20, 0x00, 0x80, 0x08], plaintextPinBlock(pinEntry.pin)));
    return pinOutcomeOfVerify(verify.sw);
  }

  /**
   * Terminal risk management (Book 3 §10.6): the floor limit, and velocity
   * checking with the ATC 9F36, the last online ATC register 9F13 and the
   * consecutive offline limits 9F14 / 9F23, all by GET DATA.
   */
  private async manageTerminalRisk(t: Transaction, data: CardData): Promise<void> {
    const velocity: VelocityData = {
      atc: await this.getData(0x9f36),
      lastOnlineAtc: await this.getData(0x9f13),
      lcol: await this.getData(0x9f14),
      ucol: await this.getData(0x9f23),
    };
    // defect fin-floor-limit-exclusive: 'exceeds' read as amount > floor limit, i.e. ≥ floor limit + 1
    const floorLimit = this.config.floorLimit + (hasDefect(this.config, 'fin-floor-limit-exclusive') ? 1 : 0);
    terminalRiskManagement({ amount: t.amount, floorLimit, velocity, aip: data.aip }, { tvr: t.tvr, tsi: t.tsi });
  }

  /** GET DATA of a card data object; undefined when the card does not return it. */
  private async getData(tag: number): Promise<Bytes | undefined> {
    const r = await this.card.send(Uint8Array.of(0x80, 0xca, tag >> 8, tag & 0xff, 0x00));
    return r.sw === 0x9000 ? findTag(parseTlv(r.data), tag)?.value : undefined;
  }

  /** Terminal action analysis (Book 3 §10.7): the cryptogram to ask for in the first GENERATE AC. */
  private analyseTerminalActions(t: Transaction, data: CardData): CryptogramType {
    const capability = this.online ? 'offline with online capability' : 'offline only';
    const { tac, iac } = actionCodes(this.config, data.elements);
    return terminalActionAnalysis(t.tvr, tac, iac, capability).cryptogram;
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
