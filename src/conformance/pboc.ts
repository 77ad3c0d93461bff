/**
 * Harness operations on the PBOC debit application (JR/T 0025, docs/pboc-design.md):
 * select, GET PROCESSING OPTIONS with the PDOL data of a reference
 * transaction, read the AFL's records, GET DATA, offline PIN, GENERATE AC,
 * issuer authentication and scripts through the lab's issuer host. Every
 * cryptogram the card returns is checked against the issuer master keys of
 * the key set with the published algorithms (src/pboc/cryptograms.ts), and
 * every signature against the lab PKI — never against the card's own keys.
 */
import { type Bytes, concat, fromHex, toHex } from '../core/bytes.ts';
import { type ResponseApdu, command } from '../core/apdu.ts';
import { swHex } from '../core/sw.ts';
import { findTag, parseTlv } from '../core/tlv.ts';
import type { Keyset } from '../model/keyset.ts';
import type { PbocJson } from '../model/pboc-data.ts';
import { IssuerHost, type ScriptKind, type ScriptOptions, cvrOf, plaintextPinBlock } from '../pboc/issuer-host.ts';
import { type CryptogramType, applicationCryptogram, cryptogramTypeOf, sessionKey, udk } from '../pboc/cryptograms.ts';
import { buildDolData, dolValue } from '../emv/dol.ts';
import { readAflRecords } from '../emv/afl.ts';
import type { CardSession } from '../channel/session.ts';
import { fail, tlvOf } from './expect.ts';
import { cardFaultAsync } from './pboc-checks.ts';

export const DEBIT_AID = fromHex('A000000333010101');

export type CidType = CryptogramType;

export const cidTypeOf = cryptogramTypeOf;

/** Reference control parameter of GENERATE AC (EMV Book 3 §6.5.5.2 Table 12). */
export const GAC_P1: Record<CidType, number> = { AAC: 0x00, TC: 0x40, ARQC: 0x80 };

/** The terminal data of the lab's reference transaction, by tag: a domestic purchase in RMB. */
export function referenceTransaction(overrides: Record<string, string> = {}): Map<number, Bytes> {
  const base: Record<string, string> = {
    '9F02': '000000001000', // amount authorised
    '9F03': '000000000000', // amount other
    '9F1A': '0156', // terminal country code
    '5F2A': '0156', // transaction currency code
    '95': '0000000000', // TVR
    '9A': '250101', // transaction date YYMMDD
    '9C': '00', // transaction type: purchase
    '9F37': '12345678', // unpredictable number
    '9F21': '120000', // transaction time
    '9F4E': toHex(new TextEncoder().encode('SSC-LAB TEST MERCHANT').slice(0, 20)).padEnd(40, '0'),
    '8A': '3030', // authorisation response code
    ...overrides,
  };
  return new Map(Object.entries(base).map(([t, v]) => [parseInt(t, 16), fromHex(v)]));
}

/** What the harness remembers of the transaction in progress. */
export interface PbocTransaction {
  pdolData: Bytes;
  atcBefore?: number;
  gpo?: { aip: Bytes; afl: Bytes };
  cdol1Data?: Bytes;
  cdol2Data?: Bytes;
  firstAc?: { cid: number; atc: Bytes; ac?: Bytes; iad: Bytes; sdad?: Bytes };
  secondAc?: { cid: number; atc: Bytes; ac?: Bytes; iad: Bytes; sdad?: Bytes };
  /** The outcome of the first EXTERNAL AUTHENTICATE with an ARPC in this transaction. */
  issuerAuth?: 'ok' | 'failed';
}

/** The value of `tag` in a GET DATA response (tag ‖ length ‖ value); a missing or malformed answer is the card's fault. */
export function getDataValue(r: ResponseApdu, tag: number, length?: number): Bytes {
  const name = tag.toString(16).toUpperCase();
  if (r.sw !== 0x9000) fail(`GET DATA ${name} answered ${swHex(r.sw)}`);
  const v = findTag(tlvOf(r.data, `the GET DATA ${name} response`), tag)?.value;
  if (!v) fail(`the GET DATA ${name} response holds no ${name}`);
  if (length !== undefined && v.length !== length) fail(`${name} has ${v.length} bytes, not ${length}`);
  return v;
}

export class PbocOperations {
  /** Records read from the AFL, in order. */
  records: { sfi: number; record: number; data: Bytes }[] = [];
  txn?: PbocTransaction;
  /** ATC of the card before the scenario's first transaction, for "has increased by". */
  atcAtStart?: number;
  /** The ATC of every cryptogram response, in the order the card gave them, with the number of its transaction (GPO). */
  atcs: { transaction: number; atc: number }[] = [];
  private transactions = 0;
  /** The issuer authentication of the last online transaction the harness completed ({@link onlineTransaction}). */
  lastOnline?: { issuerAuthFailed: boolean };
  /**
   * The ATC of the last transaction of this scenario that went online, was
   * approved by the issuer and passed issuer authentication: what the last
   * online ATC register 9F13 must tell (EMV 4.3 Book 3 §10.6.3, §10.9).
   * Undefined before such a transaction: the register is then the personalised one.
   */
  approvedOnlineAtc?: number;
  /** The issuer's response code, for the second GENERATE AC. */
  pendingArc?: Bytes;
  /** The issuer script commands sent with their right MAC, with the number of their transaction. */
  private readonly scriptsSent: { kind: ScriptKind; transaction: number; apdu: Bytes }[] = [];
  /** Transaction log records read last, newest first. */
  log?: Bytes[];
  readonly host: IssuerHost;

  constructor(
    readonly session: CardSession,
    readonly keyset: Keyset,
    readonly pboc: PbocJson,
    readonly fci: Bytes,
  ) {
    this.host = new IssuerHost(keyset);
  }

  /** The offline PIN of the key set (PSE PIN reference 80). */
  get offlinePin(): string {
    const pin = this.keyset.pins('PSE').find((p) => p.id === 0x80);
    if (!pin) throw new Error('the key set has no PSE offline PIN (reference 80)');
    return pin.value;
  }

  get suite(): 'des-rsa' | 'sm' {
    return this.pboc.suite;
  }

  async select(): Promise<ResponseApdu> {
    return this.session.selectName(DEBIT_AID);
  }

  /** The PDOL of the debit application (9F38 in its FCI). */
  get pdol(): Bytes {
    const t = findTag(tlvOf(this.fci, 'the FCI of the debit application'), 0x9f38);
    return t?.value ?? new Uint8Array(0);
  }

  /** The card's CDOL1 / CDOL2 as the profile describes them. */
  cdol(n: 1 | 2): Bytes {
    return fromHex(this.pboc.data[n === 1 ? '8C' : '8D'] ?? '');
  }

  async getData(tag: number): Promise<ResponseApdu> {
    return this.session.send(command(0x80, 0xca, tag >> 8, tag & 0xff, undefined, 256));
  }

  async atc(): Promise<number> {
    const v = getDataValue(await this.getData(0x9f36), 0x9f36, 2);
    return (v[0]! << 8) | v[1]!;
  }

  /** GPO with the PDOL data of the reference transaction; `suite` sets DF69 (default: the card's). */
  async gpo(
    options: { suite?: 'des-rsa' | 'sm'; template?: number; lengthDelta?: number; terminal?: Map<number, Bytes> } = {},
  ): Promise<ResponseApdu> {
    if (this.atcAtStart === undefined) this.atcAtStart = await this.atc();
    const values = new Map(options.terminal ?? referenceTransaction());
    values.set(0xdf69, Uint8Array.of((options.suite ?? this.suite) === 'sm' ? 0x01 : 0x00));
    let pdolData = buildDolData(this.pdol, values);
    const delta = options.lengthDelta ?? 0;
    if (delta > 0) pdolData = concat(pdolData, new Uint8Array(delta));
    if (delta < 0) pdolData = pdolData.slice(0, pdolData.length + delta);
    const body = concat([options.template ?? 0x83, pdolData.length], pdolData);
    const r = await this.session.send(command(0x80, 0xa8, 0x00, 0x00, body, 256));
    this.txn = { pdolData };
    this.records = [];
    if (r.sw === 0x9000) {
      this.transactions++;
      const t = findTag(tlvOf(r.data, 'the GET PROCESSING OPTIONS response'), 0x77);
      const aip = t && findTag(t.children ?? [], 0x82)?.value;
      const afl = t && findTag(t.children ?? [], 0x94)?.value;
      if (aip && afl) this.txn.gpo = { aip, afl };
    }
    return r;
  }

  /** READ RECORD of every record the AFL names. */
  async readAfl(): Promise<ResponseApdu[]> {
    const afl = this.txn?.gpo?.afl;
    if (!afl) fail('no AFL: GET PROCESSING OPTIONS did not succeed');
    const out: ResponseApdu[] = [];
    const read = await cardFaultAsync('the AFL', () =>
      readAflRecords(afl, async (sfi, record) => {
        const r = await this.session.readRecord(record, { sfi });
        out.push(r);
        return r;
      }),
    );
    for (const { sfi, record, sw, data } of read) if (sw === 0x9000) this.records.push({ sfi, record, data });
    return out;
  }

  /** A data element of the records read, by tag. */
  element(tag: number): Bytes | undefined {
    for (const r of this.records) {
      try {
        const found = findTag(parseTlv(r.data), tag);
        if (found) return found.value;
      } catch {
        // not TLV
      }
    }
    return undefined;
  }

  async verifyPin(pin: string): Promise<ResponseApdu> {
    return this.session.send(command(0x00, 0x20, 0x00, 0x80, plaintextPinBlock(pin)));
  }

  /** The last online ATC register (GET DATA 9F13). */
  async lastOnlineAtc(): Promise<number> {
    const v = getDataValue(await this.getData(0x9f13), 0x9f13, 2);
    return (v[0]! << 8) | v[1]!;
  }

  /** What the last online ATC register must tell: the ATC of the last approved online transaction, else the profile's 9F13 (0). */
  get expectedLastOnlineAtc(): number {
    return this.approvedOnlineAtc ?? parseInt(this.pboc.cardData['9F13'] ?? '0', 16);
  }

  async pinTries(): Promise<number> {
    return getDataValue(await this.getData(0x9f17), 0x9f17, 1)[0]!;
  }

  /** GENERATE AC with the CDOL1 (first) or CDOL2 (second) data of the reference transaction. */
  async generateAc(
    type: CidType,
    options: { second?: boolean; cda?: boolean; lengthDelta?: number; p1?: number; arc?: Bytes; terminal?: Map<number, Bytes> } = {},
  ): Promise<ResponseApdu> {
    const values = new Map(options.terminal ?? referenceTransaction());
    if (options.arc) values.set(0x8a, options.arc);
    let data = buildDolData(this.cdol(options.second ? 2 : 1), values);
    const delta = options.lengthDelta ?? 0;
    if (delta > 0) data = concat(data, new Uint8Array(delta));
    if (delta < 0) data = data.slice(0, data.length + delta);
    const p1 = options.p1 ?? GAC_P1[type] | (options.cda ? 0x10 : 0x00);
    const r = await this.session.send(command(0x80, 0xae, p1, 0x00, data, 256));
    if (r.sw === 0x9000 && this.txn) {
      const t = findTag(tlvOf(r.data, 'the GENERATE AC response'), 0x77);
      const get = (tag: number) => (t ? findTag(t.children ?? [], tag)?.value : undefined);
      const cid = get(0x9f27)?.[0];
      const atc = get(0x9f36);
      const iad = get(0x9f10);
      if (cid !== undefined && atc && iad) {
        if (atc.length !== 2) fail(`the ATC 9F36 of the GENERATE AC response has ${atc.length} bytes, not 2`);
        this.atcs.push({ transaction: this.transactions, atc: (atc[0]! << 8) | atc[1]! });
        const ac = get(0x9f26);
        const sdad = get(0x9f4b);
        const result = { cid, atc, iad, ...(ac ? { ac } : {}), ...(sdad ? { sdad } : {}) };
        if (options.second) {
          this.txn.secondAc = result;
          this.txn.cdol2Data = data;
        } else {
          this.txn.firstAc = result;
          this.txn.cdol1Data = data;
        }
      }
    }
    return r;
  }

  /** The transaction as the issuer host sees it in the authorisation request. */
  private request() {
    const a = this.txn?.firstAc;
    if (!a || !this.txn?.gpo || !this.txn.cdol1Data) fail('the card gave no cryptogram in the first GENERATE AC of this transaction');
    return {
      suite: this.suite,
      pan: this.pboc.pan,
      psn: this.pboc.psn,
      atc: a.atc,
      arqc: a.ac ?? new Uint8Array(8),
      cdolData: this.txn.cdol1Data,
      aip: this.txn.gpo.aip,
      iad: a.iad,
    };
  }

  /**
   * The cryptogram the card should have returned, recomputed from the issuer
   * master key (Option A UDK, PBOC session key, the suite's MAC) over the
   * CDOL data ‖ AIP ‖ ATC ‖ CVR; `second` for the second GENERATE AC.
   */
  expectedAc(second = false, key?: { mdk?: Bytes; pan?: string }): Bytes {
    const req = this.request();
    const ac = second ? this.txn!.secondAc : this.txn!.firstAc;
    if (!ac) fail(`the card gave no cryptogram in the ${second ? 'second' : 'first'} GENERATE AC`);
    const data = second ? this.txn!.cdol2Data! : req.cdolData;
    const sym = this.suite === 'sm' ? 'sm4' : '3des';
    const mdk = this.keyset.pbocMasterKeys().ac.value;
    const cardKey = key?.mdk ?? udk(sym, mdk, key?.pan ?? req.pan, req.psn);
    const sk = sessionKey(sym, cardKey, ac.atc);
    return applicationCryptogram(sym, sk, concat(data, req.aip, ac.atc, cvrOf(ac.iad)));
  }

  /** Second GENERATE AC after the issuer's answer, with the ARC in the CDOL2 data. */
  async complete(type: CidType, options: { arc?: Bytes; cda?: boolean } = {}): Promise<ResponseApdu> {
    const arc = options.arc ?? this.pendingArc ?? Uint8Array.of(0x30, 0x30);
    const r = await this.generateAc(type, { second: true, arc, ...(options.cda ? { cda: true } : {}) });
    this.noteOnlineOutcome(r, arc);
    return r;
  }

  /**
   * After a second GENERATE AC: an online transaction (ARQC first) that the
   * issuer approved (response code 00, 10 or 11) and whose issuer authentication
   * did not fail is the card's last online transaction (EMV 4.3 Book 3 §10.9).
   */
  private noteOnlineOutcome(r: ResponseApdu, arc: Bytes): void {
    const first = this.txn?.firstAc;
    const online = first !== undefined && cidTypeOf(first.cid) === 'ARQC';
    const approved = ['3030', '3130', '3131'].includes(toHex(arc));
    if (r.sw === 0x9000 && online && approved && this.txn?.issuerAuth !== 'failed')
      this.approvedOnlineAtc = (first.atc[0]! << 8) | first.atc[1]!;
  }

  /** EXTERNAL AUTHENTICATE with the issuer's ARPC ‖ ARC; `wrongArpc` flips the low bit of its first or last byte (a near miss). */
  async issuerAuthenticate(
    options: { decline?: boolean; wrongArpc?: 'first' | 'last' } = {},
  ): Promise<{ response: ResponseApdu; arc: Bytes }> {
    const req = this.request();
    const arc = options.decline ? Uint8Array.of(0x30, 0x35) : Uint8Array.of(0x30, 0x30);
    const arpc = this.host.arpc(req, arc);
    if (options.wrongArpc) arpc[options.wrongArpc === 'first' ? 0 : arpc.length - 1]! ^= 0x01;
    const response = await this.session.send(command(0x00, 0x82, 0x00, 0x00, concat(arpc, arc)));
    if (this.txn && !this.txn.issuerAuth) this.txn.issuerAuth = response.sw === 0x9000 && !options.wrongArpc ? 'ok' : 'failed';
    return { response, arc };
  }

  async script(kind: ScriptKind, options: ScriptOptions = {}): Promise<ResponseApdu> {
    const apdu = this.host.script(kind, this.request(), options);
    if (!options.wrongMac && !options.plain) this.scriptsSent.push({ kind, transaction: this.transactions, apdu });
    return this.session.send(apdu);
  }

  /**
   * Sends again, unchanged, the first script command of `kind` the issuer made
   * for an earlier transaction (its MAC over that transaction's ATC and ARQC):
   * what an attacker who recorded it would replay.
   */
  async replayScript(kind: ScriptKind): Promise<ResponseApdu> {
    const earlier = this.scriptsSent.find((s) => s.kind === kind && s.transaction < this.transactions);
    if (!earlier) throw new Error(`no script "${kind}" was sent in an earlier transaction of this scenario`);
    return this.session.send(earlier.apdu);
  }

  /** A complete online transaction approved by the issuer: GPO, ARQC, issuer authentication, TC. */
  async onlineTransaction(amount?: string): Promise<void> {
    const terminal = referenceTransaction(amount ? { '9F02': amount } : {});
    const steps: [string, () => Promise<ResponseApdu>][] = [
      ['SELECT', () => this.select()],
      ['GET PROCESSING OPTIONS', () => this.gpo({ terminal })],
      ['GENERATE AC (ARQC)', () => this.generateAc('ARQC', { terminal })],
      ['EXTERNAL AUTHENTICATE', async () => (await this.issuerAuthenticate()).response],
    ];
    for (const [name, op] of steps) {
      const r = await op();
      if (r.sw !== 0x9000) fail(`in an online transaction ${name} answered ${swHex(r.sw)}`);
    }
    const values = new Map(terminal);
    values.set(0x8a, Uint8Array.of(0x30, 0x30));
    const r = await this.generateAc('TC', { second: true, terminal: values });
    this.noteOnlineOutcome(r, Uint8Array.of(0x30, 0x30));
    if (r.sw !== 0x9000 || cidTypeOf(this.txn?.secondAc?.cid ?? 0) !== 'TC')
      fail(`the second GENERATE AC of an approved online transaction did not approve (${swHex(r.sw)})`);
    this.lastOnline = { issuerAuthFailed: false };
  }

  /** An offline approved transaction: GPO, TC asked and given. */
  async offlineTransaction(): Promise<void> {
    for (const [name, op] of [
      ['SELECT', () => this.select()],
      ['GET PROCESSING OPTIONS', () => this.gpo()],
      ['GENERATE AC (TC)', () => this.generateAc('TC')],
    ] as const) {
      const r = await op();
      if (r.sw !== 0x9000) fail(`in an offline transaction ${name} answered ${swHex(r.sw)}`);
    }
    if (cidTypeOf(this.txn?.firstAc?.cid ?? 0) !== 'TC') fail('the card did not approve offline within its offline limits');
  }

  /** Records of the transaction log (9F4D in the FCI), newest first. */
  async readLog(): Promise<Bytes[]> {
    const entry = findTag(tlvOf(this.fci, 'the FCI of the debit application'), 0x9f4d)?.value;
    if (entry?.length !== 2) fail('the FCI names no transaction log (9F4D: SFI ‖ number of records)');
    const out: Bytes[] = [];
    for (let n = 1; n <= entry[1]!; n++) {
      const r = await this.session.readRecord(n, { sfi: entry[0]! });
      if (r.sw === 0x6a83) break;
      if (r.sw !== 0x9000) fail(`READ RECORD ${n} of the log answered ${swHex(r.sw)}`);
      out.push(r.data);
    }
    return out;
  }

  /** The value of `tag` in a log record, by the log format 9F4F of the profile. */
  logField(record: Bytes, tag: number): Bytes | undefined {
    return dolValue(fromHex(this.pboc.cardData['9F4F'] ?? ''), record, tag);
  }
}
