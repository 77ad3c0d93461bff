/**
 * The reference social-security terminal (社会保障卡加载金融功能通用规范,
 * terminals: read the SSSE, application initialisation, validity check; LD/T
 * 6001 part 5 terminal interface): it drives a card and its PSAM as real
 * terminals do — every cryptogram and MAC comes from the PSAM, which holds the
 * master keys and diversifies them with the card's factors. It drives the
 * terminal scenarios, and later serves as a terminal under test.
 */
import { randomBytes } from 'node:crypto';
import { type Bytes, concat, equal, toHex } from '../core/bytes.ts';
import { type ResponseApdu, command } from '../core/apdu.ts';
import { swHex } from '../core/sw.ts';
import { pad } from '../crypto/padding.ts';
import { blockSize, type BlockAlg } from '../crypto/block.ts';
import { pinBlock } from '../cos/formats.ts';
import { GET_CHALLENGE, verifyPin } from '../cos/commands.ts';
import type { CardSession } from '../channel/session.ts';
import type { PsamClient } from '../psam/client.ts';
import { diversificationFactors, factorsFromHistoricalBytes } from '../ssse/factors.ts';
import { parseAtr } from '../core/atr.ts';
import type { FactorName, Keyset } from '../model/keyset.ts';
import type { Profile } from '../model/profile.ts';
import { type BasicData, SPEC_VERSIONS } from '../model/basic-data.ts';
import { decodeBasicData } from '../ssse/records.ts';
import type { TerminalDefectId } from '../model/defects.ts';

/** SSSE name: "sx1.sh." + GBK 社会保障 (docs/ssse.md §1). */
export const SSSE_NAME = new Uint8Array([0x73, 0x78, 0x31, 0x2e, 0x73, 0x68, 0x2e, 0xc9, 0xe7, 0xbb, 0xe1, 0xb1, 0xa3, 0xd5, 0xcf]);

export type KeyRole = 'external-auth' | 'internal-auth' | 'maintenance' | 'pin-unblock' | 'pin-reload' | 'read' | 'card-block';

/** Where a key the terminal needs lives: its id on the card and its master in the PSAM. No key values. */
export interface KeyReference {
  cardKeyId: number;
  psamUsage: number;
  psamIndex: number;
}

export interface TerminalConfig {
  keys: Partial<Record<KeyRole, KeyReference>>;
  /** Algorithm of the social-security keys (block size of cryptograms and PIN blocks). */
  alg: BlockAlg;
  /** PIN reference of the SSSE PIN (VERIFY P2). */
  pinRef: number;
  /** Where the diversification factors come from, and their order. */
  factorSource: 'card-identification-code' | 'atr-historical-bytes';
  factorOrder: FactorName[];
  /** Deliberate defects of the terminal (model/defects/terminal.ts), for the mutation campaign; none by default. */
  defects?: readonly TerminalDefectId[];
}

export interface BasicInfo extends BasicData {
  cityCode: string;
  atr: string;
}

export class TerminalError extends Error {
  constructor(
    message: string,
    readonly sw?: number,
  ) {
    super(message);
    this.name = 'TerminalError';
  }
}

export type Validity = { ok: true } | { ok: false; reason: 'expired' | 'blocked' | 'not-yet-valid' | 'no-ssse'; detail: string };

export class SocialSecurityTerminal {
  private factors?: Bytes[];
  private cardIdCode?: Bytes;

  constructor(
    readonly card: CardSession,
    readonly psam: PsamClient,
    readonly config: TerminalConfig,
  ) {}

  private has(defect: TerminalDefectId): boolean {
    return this.config.defects?.includes(defect) ?? false;
  }

  /** The card's factors in the key set's order (reversed with the defect ss-factor-order-swapped). */
  private ordered(f: Record<FactorName, Bytes>): Bytes[] {
    const order = this.has('ss-factor-order-swapped') ? [...this.config.factorOrder].reverse() : this.config.factorOrder;
    return order.map((n) => f[n]);
  }

  private ref(role: KeyRole): KeyReference {
    const r = this.config.keys[role];
    if (!r) throw new TerminalError(`the terminal has no ${role} key configured`);
    return r;
  }

  private async must(r: Promise<ResponseApdu>, what: string): Promise<ResponseApdu> {
    const res = await r;
    if (res.sw !== 0x9000) throw new TerminalError(`${what}: the card answered ${swHex(res.sw)}`, res.sw);
    return res;
  }

  /** The diversification factors of this card, in the key set's order (known after initialise()). */
  get diversificationFactors(): Bytes[] {
    if (!this.factors) throw new TerminalError('the card is not initialised');
    return this.factors;
  }

  /**
   * Application initialisation: select the PSAM's application, select the SSSE
   * (a blocked card answers 9303), derive the card's diversification factors —
   * from the card identification code (EF05 tag 01), or from the ATR's
   * historical bytes on cards that protect EF05 — and, on those, authenticate
   * with the read key so that the basic data can be read (specification 3.00).
   */
  async initialise(): Promise<{ select: ResponseApdu }> {
    await this.psam.select();
    const select = await this.card.selectName(SSSE_NAME);
    if (select.sw !== 0x9000 && select.sw !== 0x6283) throw new TerminalError(`SELECT SSSE answered ${swHex(select.sw)}`, select.sw);
    if (this.config.factorSource === 'atr-historical-bytes') {
      const f = factorsFromHistoricalBytes(parseAtr(this.card.atr).historical);
      this.factors = this.ordered(f);
      if (this.config.keys.read) await this.must(this.externalAuthenticate('read'), 'external authentication with the read key');
    }
    const r = await this.card.readRecordById(0x01, 'first', { sfi: 5 });
    if (r.sw !== 0x9000 || r.data.length !== 18)
      throw new TerminalError(`reading the card identification code answered ${swHex(r.sw)}`, r.sw);
    this.cardIdCode = r.data.slice(2);
    if (this.config.factorSource !== 'atr-historical-bytes') {
      this.factors = this.ordered(diversificationFactors(this.cardIdCode));
    }
    return { select };
  }

  /** GET CHALLENGE on the card, cryptogram from the PSAM, EXTERNAL AUTHENTICATE on the card. */
  async externalAuthenticate(role: KeyRole = 'external-auth'): Promise<ResponseApdu> {
    const ref = this.ref(role);
    const challenge = (await this.must(this.card.send(GET_CHALLENGE), 'GET CHALLENGE')).data;
    const cryptogram = await this.psam.externalAuthCryptogram(ref.psamUsage, ref.psamIndex, this.diversificationFactors, challenge);
    return this.card.send(command(0x00, 0x82, 0x00, ref.cardKeyId, cryptogram));
  }

  /**
   * INTERNAL AUTHENTICATE `00 88 00 00` (the card's internal authentication
   * key IRK, docs/ssse.md §4) with a random, checked against the PSAM's encryption of
   * it with the internal authentication master key diversified for the card.
   */
  async internalAuthenticate(random: Bytes): Promise<{ ok: boolean; response: ResponseApdu }> {
    const ref = this.ref('internal-auth');
    const response = await this.card.send(command(0x00, 0x88, 0x00, 0x00, random, 256));
    if (response.sw !== 0x9000) return { ok: false, response };
    const expected = await this.psam.externalAuthCryptogram(ref.psamUsage, ref.psamIndex, this.diversificationFactors, random);
    // defect ss-internal-auth-partial-compare: the first 4 bytes only
    if (this.has('ss-internal-auth-partial-compare')) return { ok: equal(expected.slice(0, 4), response.data.slice(0, 4)), response };
    return { ok: equal(expected, response.data), response };
  }

  /**
   * INTERNAL AUTHENTICATE with a fresh 8-byte random: is the card genuine?
   * (Defect ss-internal-auth-skipped: the card is taken as genuine unasked; the response is then a made-up 9000.)
   */
  async checkCard(): Promise<{ ok: boolean; response: ResponseApdu }> {
    if (this.has('ss-internal-auth-skipped')) return { ok: true, response: { sw: 0x9000, data: new Uint8Array(0) } as ResponseApdu };
    return this.internalAuthenticate(new Uint8Array(randomBytes(8)));
  }

  /** Reads the SSSE basic information (EF05, EF06) and the ATR. */
  async readBasicInfo(): Promise<BasicInfo> {
    const ef05: Bytes[] = [];
    const ef06: Bytes[] = [];
    for (const [sfi, out] of [
      [5, ef05],
      [6, ef06],
    ] as const) {
      for (let n = 1; n <= 16; n++) {
        const r = await this.card.readRecord(n, { sfi });
        if (r.sw === 0x6a83) break;
        if (r.sw !== 0x9000) throw new TerminalError(`READ RECORD ${n} of SFI ${sfi} answered ${swHex(r.sw)}`, r.sw);
        out.push(r.data);
      }
    }
    const data = decodeBasicData(this.has('ss-unknown-version-accepted') ? ef05.map(asKnownVersion) : ef05, ef06);
    return { ...data, cityCode: data.cardIdCode.slice(0, 6), atr: toHex(this.card.atr) };
  }

  /** Validity check: expiry (and issue) date against today (YYYYMMDD), application not blocked. */
  async validityCheck(today: string): Promise<Validity> {
    const select = await this.card.selectName(SSSE_NAME);
    if (select.sw === 0x6283 && !this.has('ss-blocked-application-accepted'))
      return { ok: false, reason: 'blocked', detail: 'the social-security application is blocked (6283)' };
    if (select.sw === 0x9303) return { ok: false, reason: 'blocked', detail: 'the card is blocked for good (9303)' };
    if (select.sw !== 0x9000 && select.sw !== 0x6283)
      return { ok: false, reason: 'no-ssse', detail: `SELECT SSSE answered ${swHex(select.sw)}` };
    let info: BasicInfo;
    try {
      info = await this.readBasicInfo();
    } catch (e) {
      // defect ss-blocked-application-accepted: 6283 taken for success, and dates it cannot read are no reason to refuse
      if (select.sw === 0x6283 && e instanceof TerminalError) return { ok: true };
      throw e;
    }
    if (info.expiryDate < today && !this.has('ss-expiry-not-checked'))
      return { ok: false, reason: 'expired', detail: `expired on ${info.expiryDate}` };
    if (info.issueDate > today && !this.has('ss-issue-date-not-checked'))
      return { ok: false, reason: 'not-yet-valid', detail: `issued on ${info.issueDate}` };
    return { ok: true };
  }

  async readRecord(sfi: number, n: number): Promise<ResponseApdu> {
    return this.card.readRecord(n, { sfi });
  }

  /** UPDATE RECORD with a MAC computed by the PSAM with the maintenance key (or the key of `role`). */
  async writeRecord(sfi: number, n: number, record: Bytes, role: KeyRole = 'maintenance'): Promise<ResponseApdu> {
    return this.secured([0x04, 0xdc, n, (sfi << 3) | 0x04], record, role);
  }

  async verifyPin(pin: string): Promise<ResponseApdu> {
    return this.card.send(verifyPin(this.config.pinRef, pin));
  }

  async changePin(oldPin: string, newPin: string): Promise<ResponseApdu> {
    const data = concat(pinBlock(oldPin), [0xff], pinBlock(newPin));
    return this.card.send(command(0x80, 0x5e, 0x01, this.config.pinRef, data));
  }

  /** PIN UNBLOCK (PIN unblock key) or RELOAD (PIN reload key): the PSAM encrypts the PIN block and MACs the command. */
  async resetPin(mode: 'unblock' | 'reload', newPin: string): Promise<ResponseApdu> {
    const role: KeyRole = mode === 'unblock' ? 'pin-unblock' : 'pin-reload';
    const ref = this.ref(role);
    const block = pad(concat([pinBlock(newPin).length], pinBlock(newPin)), blockSize(this.config.alg), 2);
    await this.psam.initialise(ref.psamUsage, ref.psamIndex, this.diversificationFactors);
    const encrypted = await this.psam.encrypt(block);
    return this.secured([0x84, 0x24, 0x00, mode === 'unblock' ? 0x00 : 0x01], encrypted, role);
  }

  /** A command with CLA 04/84 and a MAC from the PSAM over a fresh card challenge. */
  private async secured(header: number[], data: Bytes, role: KeyRole): Promise<ResponseApdu> {
    const ref = this.ref(role);
    const challenge = await this.card.send(GET_CHALLENGE);
    if (challenge.sw !== 0x9000) return challenge;
    const mac = await this.psam.commandMac(
      ref.psamUsage,
      ref.psamIndex,
      this.diversificationFactors,
      challenge.data,
      new Uint8Array(header),
      data,
    );
    return this.card.send(command(header[0]!, header[1]!, header[2]!, header[3]!, concat(data, mac)));
  }

  get identification(): Bytes | undefined {
    return this.cardIdCode;
  }
}

/**
 * An EF05 record of the specification version (tag 03, 4 characters) with a
 * version the terminal does not know read as the newest it knows: the
 * defect ss-unknown-version-accepted, a terminal that reads every card with
 * its newest layout instead of refusing an unknown one.
 */
function asKnownVersion(record: Bytes): Bytes {
  if (record.length !== 6 || record[0] !== 0x03 || record[1] !== 0x04) return record;
  const version = new TextDecoder().decode(record.subarray(2));
  if ((SPEC_VERSIONS as readonly string[]).includes(version)) return record;
  return concat([0x03, 0x04], new TextEncoder().encode(SPEC_VERSIONS[SPEC_VERSIONS.length - 1]!));
}

/** The terminal configuration a lab derives from its key set and the card profile: key references, no key values. */
export function terminalConfig(keyset: Keyset, profile: Profile): TerminalConfig {
  const keys: Partial<Record<KeyRole, KeyReference>> = {};
  for (const k of keyset.environment('SSSE').keys) {
    if (k.psam && k.type !== 'application') keys[k.type] ??= { cardKeyId: k.id, psamUsage: k.psam.usage, psamIndex: k.psam.index };
  }
  const pin = keyset.pins('SSSE')[0];
  return {
    keys,
    alg: keyset.environment('SSSE').keys[0]?.alg ?? '3des',
    pinRef: pin?.id ?? 0,
    factorSource: profile.diversificationFactors ?? 'card-identification-code',
    factorOrder: keyset.factorNames('SSSE'),
  };
}
