/**
 * Offline data authentication of the PBOC debit application as a terminal
 * does it, from the records read and the lab PKI's CA public keys (EMV 4.3
 * Book 2 §5–6, JR/T 0025.7), and the card verification results of the issuer
 * application data (docs/pboc-design.md). Whatever the card's data make go
 * wrong here is the card's non-conformity, reported by {@link cardFault}.
 */
import { type Bytes, concat, equal, toHex } from '../core/bytes.ts';
import { type ResponseApdu, command } from '../core/apdu.ts';
import { encodeTlv, findTag } from '../core/tlv.ts';
import { OdaError, type PublicKey } from '../pboc/oda-format.ts';
import { parseCdaDynamicData, recoverDynamicData, transactionDataHash, verifyStaticData } from '../pboc/oda-data.ts';
import { recoverIccKey, recoverIssuerKey } from '../pboc/oda.ts';
import { caOf, loadPki, publicKeyOf } from '../pboc/pki.ts';
import { cvrOf } from '../pboc/issuer-host.ts';
import { staticDataToAuthenticate } from '../emv/afl.ts';
import { dolValue } from '../emv/dol.ts';
import { fail, tlvOf } from './expect.ts';
import { cardFault } from './pboc-checks.ts';
import { type CidType, type PbocOperations, referenceTransaction } from './pboc.ts';

/** Names of the CVR bits the lab's card sets (IAD bytes 4–7; docs/pboc-design.md). */
export const CVR_BITS: Record<string, [byte: number, mask: number]> = {
  'offline PIN performed': [1, 0x04],
  'offline PIN failed': [1, 0x02],
  'unable to go online': [1, 0x01],
  'issuer authentication failed': [1, 0x08],
  'last online transaction not completed': [2, 0x80],
  'PIN try limit exceeded': [2, 0x40],
  'velocity exceeded': [2, 0x20],
  'new card': [2, 0x10],
  'issuer authentication failed last time': [2, 0x08],
  'issuer authentication not performed': [2, 0x04],
  'issuer script processing failed': [3, 0x08],
};

export function cvrHas(iad: Bytes, name: string): boolean {
  const bit = CVR_BITS[name];
  if (!bit) throw new Error(`unknown CVR condition "${name}" (${Object.keys(CVR_BITS).join(', ')})`);
  const cvr = cvrOf(iad);
  if (cvr.length !== 4) fail(`the issuer application data ${toHex(iad)} hold no 4-byte CVR (bytes 4–7)`);
  return (cvr[bit[0]]! & bit[1]) !== 0;
}

/** The number of issuer script commands the CVR counts (byte 4, bits 8–5; JR/T 0025.5 Annex CVR). */
export function cvrScriptCount(iad: Bytes): number {
  const cvr = cvrOf(iad);
  if (cvr.length !== 4) fail(`the issuer application data ${toHex(iad)} hold no 4-byte CVR (bytes 4–7)`);
  return cvr[3]! >> 4;
}

/**
 * What is wrong with the cryptogram types the CVR of a GENERATE AC response
 * tells (JR/T 0025.5 Annex CVR byte 2: bits 6–5 the first GENERATE AC's type,
 * 00 AAC / 01 TC / 10 ARQC; bits 8–7 the second's, 00 AAC / 01 TC, 10 "second
 * GENERATE AC not requested"), against the types the card answered in 9F27:
 * undefined when they agree. `second` is undefined in the first GENERATE AC's response.
 */
export function cvrTypesProblem(iad: Bytes, first: CidType, second?: CidType): string | undefined {
  const cvr = cvrOf(iad);
  if (cvr.length !== 4) return `the issuer application data ${toHex(iad)} hold no 4-byte CVR (bytes 4–7)`;
  const FIRST: Record<CidType, number> = { AAC: 0b00, TC: 0b01, ARQC: 0b10 };
  const SECOND: Record<CidType, number> = { AAC: 0b00, TC: 0b01, ARQC: 0b11 };
  const firstBits = (cvr[1]! >> 4) & 0b11;
  const secondBits = cvr[1]! >> 6;
  const expectSecond = second === undefined ? 0b10 : SECOND[second];
  const name = (bits: number, names: string[]) => `${bits.toString(2).padStart(2, '0')} (${names[bits]})`;
  const firstNames = ['AAC', 'TC', 'ARQC', 'RFU'];
  const secondNames = ['AAC', 'TC', 'second GENERATE AC not requested', 'RFU'];
  const where = second === undefined ? 'first' : 'second';
  const cvrHex = toHex(cvr);
  if (firstBits !== FIRST[first])
    return (
      `the CVR ${cvrHex} of the ${where} GENERATE AC says ${name(firstBits, firstNames)} for the first cryptogram, ` +
      `the card answered ${first}`
    );
  if (secondBits !== expectSecond) {
    const told = second === undefined ? 'no second GENERATE AC was requested' : `the card answered ${second} in the second`;
    return `the CVR ${cvrHex} of the ${where} GENERATE AC says ${name(secondBits, secondNames)} for the second cryptogram; ${told}`;
  }
  return undefined;
}

/** Offline data authentication as a terminal does it (EMV Book 2 §5–6). */
export class OdaCheck {
  constructor(private readonly ops: PbocOperations) {}

  private el(tag: number): Bytes {
    const v = this.ops.element(tag);
    if (!v) throw new OdaError('missing', `the records hold no ${tag.toString(16).toUpperCase()}`);
    return v;
  }

  /** Static data to be authenticated: the ODA records the AFL names (values of their templates 70) ‖ AIP when 9F4A lists it. */
  staticData(): Bytes {
    const afl = this.ops.txn?.gpo?.afl;
    const aip = this.ops.txn?.gpo?.aip;
    if (!afl || !aip) fail('no AFL: GET PROCESSING OPTIONS did not succeed');
    return cardFault('static data to be authenticated', () =>
      staticDataToAuthenticate(afl, this.ops.records, aip, this.ops.element(0x9f4a)),
    );
  }

  issuerKey(): PublicKey {
    const index = toHex(this.el(0x8f));
    let ca: ReturnType<typeof caOf>;
    try {
      ca = caOf(loadPki(), index);
    } catch {
      fail(`the card names the CA public key index ${index} (8F), which the test PKI does not hold`);
    }
    return recoverIssuerKey(publicKeyOf(ca), {
      cert: this.el(0x90),
      remainder: this.ops.element(0x92) ?? new Uint8Array(0),
      exponent: this.ops.element(0x9f32) ?? new Uint8Array(0),
    }).key;
  }

  verifyStatic(staticData = this.staticData(), issuer = this.issuerKey()): Bytes {
    return verifyStaticData(issuer, this.el(0x93), staticData);
  }

  iccKey(): PublicKey {
    return recoverIccKey(
      this.issuerKey(),
      {
        cert: this.el(0x9f46),
        remainder: this.ops.element(0x9f48) ?? new Uint8Array(0),
        exponent: this.ops.element(0x9f47) ?? new Uint8Array(0),
      },
      this.staticData(),
    ).key;
  }

  /** INTERNAL AUTHENTICATE with the DDOL data (the unpredictable number) and recovery of the ICC dynamic data. */
  async dda(un: Bytes): Promise<{ response: ResponseApdu; sdad?: Bytes; dynamicNumber?: Bytes }> {
    const response = await this.ops.session.send(command(0x00, 0x88, 0x00, 0x00, un, 256));
    if (response.sw !== 0x9000) return { response };
    const tlv = tlvOf(response.data, 'the INTERNAL AUTHENTICATE response');
    const t = tlv[0];
    const sdad = t?.tag === 0x80 ? t.value : findTag(tlv, 0x9f4b)?.value;
    if (!sdad) throw new OdaError('missing', 'INTERNAL AUTHENTICATE returned no signed dynamic data');
    const dyn = recoverDynamicData(this.iccKey(), sdad, un);
    return { response, sdad, dynamicNumber: dyn.slice(1, 1 + dyn[0]!) };
  }

  /**
   * CDA (EMV Book 2 §6.6): recovers the SDAD of the first or the second
   * GENERATE AC with the unpredictable number of its CDOL data, and checks the
   * CID and the transaction data hash (PDOL data ‖ CDOL1 data [‖ CDOL2 data] ‖
   * the response's data objects but the SDAD) in it. Returns the signed cryptogram.
   */
  cda(second = false): { cid: number; ac: Bytes } {
    const t = this.ops.txn;
    const a = second ? t?.secondAc : t?.firstAc;
    const which = second ? 'second' : 'first';
    if (!a || !t?.cdol1Data) fail(`the ${which} GENERATE AC gave no cryptogram response`);
    if (!a.sdad) throw new OdaError('missing', `no signed dynamic data 9F4B in the ${which} GENERATE AC response`);
    const data = second ? t.cdol2Data! : t.cdol1Data;
    const un = dolValue(this.ops.cdol(second ? 2 : 1), data, 0x9f37) ?? referenceTransaction().get(0x9f37)!;
    const dyn = recoverDynamicData(this.iccKey(), a.sdad, un);
    const hashAlg = this.ops.suite === 'sm' ? 'sm3' : 'sha1';
    const parsed = parseCdaDynamicData(dyn, hashAlg === 'sm3' ? 32 : 20);
    const hashed = concat(
      t.pdolData,
      second ? concat(t.cdol1Data, data) : data,
      encodeTlv(0x9f27, Uint8Array.of(a.cid)),
      encodeTlv(0x9f36, a.atc),
      encodeTlv(0x9f10, a.iad),
    );
    if (!equal(parsed.transactionDataHash, transactionDataHash(hashAlg, hashed)))
      throw new OdaError('hash', `the transaction data hash code of the ${which} GENERATE AC does not match the transaction`);
    if (parsed.cid !== a.cid)
      throw new OdaError('cid', `the signed CID ${parsed.cid.toString(16)} is not the response's ${a.cid.toString(16)}`);
    // the terminal learns the cryptogram from the signed data (EMV Book 2 §6.6.2), e.g. the ARQC it sends online
    a.ac ??= parsed.ac;
    return { cid: parsed.cid, ac: parsed.ac };
  }
}
