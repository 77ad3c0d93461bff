/**
 * Data preparation of the PBOC debit application (JR/T 0025 ≈ EMV 4.x,
 * docs/pboc-design.md): from a profile's readable `pboc` section to what the
 * card holds — the ADF's FCI (EMV Book 1 §11.3.4 Table 45), the record
 * templates `70` the AFL names (Book 3 §10.2), the AFL and AIP, the static
 * data to be authenticated (Book 3 §10.3) and, from the lab's PKI, the ODA
 * data elements (8F, 90, 92, 9F32, 9F46, 9F47, 9F48, 93).
 */
import { type Bytes, concat, fromHex, toHex } from '../core/bytes.ts';
import { encodeTlv, parseTagHex } from '../core/tlv.ts';
import { DolError, dolLength } from '../emv/dol.ts';
import { odaRecordData } from '../emv/afl.ts';
import type { PbocJson } from '../model/pboc-data.ts';

/** The ODA data elements the PKI produces for a card. */
export interface OdaElements {
  /** 8F CA public key index, 90 / 92 / 9F32 issuer PK certificate, remainder, exponent. */
  caIndex: Bytes;
  issuerCert: Bytes;
  issuerRemainder: Bytes;
  issuerExponent: Bytes;
  /** 9F46 / 9F48 / 9F47 ICC PK certificate, remainder, exponent. */
  iccCert: Bytes;
  iccRemainder: Bytes;
  iccExponent: Bytes;
  /** 93 signed static application data (SDA). */
  ssad: Bytes;
}

/** Makes the ODA elements over the static data to be authenticated. */
export type OdaProvider = (staticData: Bytes) => OdaElements;

export class PbocDataError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'PbocDataError';
  }
}

/** Tags whose value comes from the PAN, PSN, dates or the PKI, never from `data`. */
export const GENERATED_TAGS = ['5A', '5F34', '5F24', '5F25', '57', '8F', '90', '92', '9F32', '9F46', '9F47', '9F48', '93'] as const;
const ODA_TAGS = new Set(['8F', '90', '92', '9F32', '9F46', '9F47', '9F48', '93']);

export interface PbocImage {
  fci: Bytes;
  /** Records in AFL order: SFI, number, template 70. */
  records: { sfi: number; record: number; template: Bytes; oda: boolean }[];
  aip: Bytes;
  afl: Bytes;
  /** GPO response data (DGI 9102): 82 AIP ‖ 94 AFL. */
  gpoData: Bytes;
  /** Card data objects (DGI 9200): TLV list. */
  cardObjects: Bytes;
  /** Static data to be authenticated (Book 3 §10.3). */
  staticData: Bytes;
  /** Length of one transaction log record (the 9F4F format). */
  logRecordLength: number;
}

function bcd(digits: string, bytes?: number): Bytes {
  const n = bytes ?? Math.ceil(digits.length / 2);
  return fromHex(digits.padEnd(2 * n, 'F'));
}

/** Track 2 equivalent data (57): PAN ‖ D ‖ YYMM ‖ service code ‖ discretionary data, F-padded (Book 3 Annex A). */
export function track2(pan: string, expiry: string, serviceCode: string): Bytes {
  const digits = `${pan}D${expiry.slice(0, 4)}${serviceCode}0000000000`;
  return fromHex(digits.length % 2 ? `${digits}F` : digits);
}

/** A DOL's total length (src/emv/dol.ts), a malformed DOL as a {@link PbocDataError}. */
export function dolTotalLength(dol: Bytes): number {
  try {
    return dolLength(dol);
  } catch (e) {
    if (e instanceof DolError) throw new PbocDataError('', e.message);
    throw e;
  }
}

/** The AFL of the records (EMV Book 3 §10.2): one entry per run of consecutive records of an SFI; ODA records come first in their run. */
export function buildAfl(records: readonly { sfi: number; record: number; oda?: boolean; tags?: string[] }[], where = '/records'): Bytes {
  const bySfi = new Map<number, { record: number; oda: boolean }[]>();
  for (const r of records) bySfi.set(r.sfi, [...(bySfi.get(r.sfi) ?? []), { record: r.record, oda: r.oda === true }]);
  const entries: number[] = [];
  for (const [sfi, list] of [...bySfi].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a.record - b.record);
    list.forEach((r, i) => {
      if (r.record !== i + 1)
        throw new PbocDataError(
          where,
          `SFI ${sfi}: records are numbered 1, 2, … without gaps (found record ${r.record} at position ${i + 1})`,
        );
    });
    const oda = list.filter((r) => r.oda).length;
    if (list.slice(0, oda).some((r) => !r.oda)) throw new PbocDataError(where, `SFI ${sfi}: the ODA records come first`);
    entries.push(sfi << 3, 1, list.length, oda);
  }
  return new Uint8Array(entries);
}

function value(pboc: PbocJson, tag: string, oda: OdaElements | undefined, where: string): Bytes {
  switch (tag) {
    case '5A':
      return bcd(pboc.pan);
    case '5F34':
      return fromHex(pboc.psn);
    case '5F24':
      return bcd(pboc.expiry, 3);
    case '5F25':
      return bcd(pboc.effective, 3);
    case '57':
      return track2(pboc.pan, pboc.expiry, (pboc.data['5F30'] ?? '0201').slice(-3));
  }
  if (ODA_TAGS.has(tag)) {
    if (!oda)
      throw new PbocDataError(where, `${tag} (offline data authentication) cannot be in an ODA record: it is made over the ODA records`);
    const map: Record<string, Bytes> = {
      '8F': oda.caIndex,
      '90': oda.issuerCert,
      '92': oda.issuerRemainder,
      '9F32': oda.issuerExponent,
      '9F46': oda.iccCert,
      '9F48': oda.iccRemainder,
      '9F47': oda.iccExponent,
      '93': oda.ssad,
    };
    return map[tag]!;
  }
  const v = pboc.data[tag];
  if (v === undefined) throw new PbocDataError(where, `no value for tag ${tag} in "data"`);
  return fromHex(v);
}

function template(pboc: PbocJson, tags: readonly string[], oda: OdaElements | undefined, where: string): Bytes {
  return encodeTlv(0x70, concat(...tags.map((t) => encodeTlv(parseTagHex(t), value(pboc, t, oda, where)))));
}

/**
 * The ADF's FCI (EMV Book 1 §11.3.4): 6F { 84 AID, A5 { 50 label, 87 priority,
 * 9F38 PDOL, 5F2D language, BF0C { 9F4D log entry } } }.
 */
export function buildFci(aid: Bytes, pboc: PbocJson): Bytes {
  const label = new TextEncoder().encode(pboc.label ?? 'PBOC DEBIT');
  const a5 = concat(
    encodeTlv(0x50, label),
    encodeTlv(0x87, Uint8Array.of(0x01)),
    pboc.pdol ? encodeTlv(0x9f38, fromHex(pboc.pdol)) : new Uint8Array(0),
    encodeTlv(0x5f2d, new TextEncoder().encode('zh')),
    pboc.logEntry ? encodeTlv(0xbf0c, encodeTlv(0x9f4d, Uint8Array.of(pboc.logEntry.sfi, pboc.logEntry.records))) : new Uint8Array(0),
  );
  return encodeTlv(0x6f, concat(encodeTlv(0x84, aid), encodeTlv(0xa5, a5)));
}

/** GPO response data (DGI 9102): 82 AIP ‖ 94 AFL. */
export function gpoDataOf(pboc: PbocJson, where = '/pboc'): Bytes {
  return concat(encodeTlv(0x82, fromHex(pboc.aip)), encodeTlv(0x94, buildAfl(pboc.records, `${where}/records`)));
}

/** Card data objects (DGI 9200): the `cardData` TLVs and 9F4D, the log entry. */
export function cardObjectsOf(pboc: PbocJson): Bytes {
  const objects = Object.entries(pboc.cardData).map(([t, v]) => encodeTlv(parseTagHex(t), fromHex(v)));
  return concat(...objects, pboc.logEntry ? encodeTlv(0x9f4d, Uint8Array.of(pboc.logEntry.sfi, pboc.logEntry.records)) : new Uint8Array(0));
}

/** The ODA elements with the last byte of each `corrupt` element inverted. */
function damaged(elements: OdaElements, corrupt: NonNullable<PbocJson['corrupt']>): OdaElements {
  const out = { ...elements };
  const field = { '90': 'issuerCert', '9F46': 'iccCert', '93': 'ssad' } as const;
  for (const tag of corrupt) {
    const key = field[tag];
    const bytes = out[key].slice();
    bytes[bytes.length - 1]! ^= 0xff;
    out[key] = bytes;
  }
  return out;
}

/**
 * The card image of a `pboc` section. `where` is the JSON path of the
 * section, for messages; `oda` makes the ODA elements over the static data.
 * @throws PbocDataError naming the JSON path of the problem.
 */
export function composePboc(aid: Bytes, pboc: PbocJson, oda: OdaProvider, where = '/pboc'): PbocImage {
  for (const t of GENERATED_TAGS) {
    if (pboc.data[t] !== undefined) throw new PbocDataError(`${where}/data/${t}`, `${t} is generated, not given`);
  }
  if (pboc.cardData['9F4D'] !== undefined) throw new PbocDataError(`${where}/cardData/9F4D`, 'the log entry 9F4D comes from "logEntry"');
  const aip = fromHex(pboc.aip);
  const afl = buildAfl(pboc.records, `${where}/records`);
  const sorted = [...pboc.records].sort((a, b) => a.sfi - b.sfi || a.record - b.record);
  // static data (EMV 4.3 Book 3 §10.3): the ODA records (SFI 1–10 the value of the template 70, SFI 11–30 the whole
  // record), then the 9F4A tags' values (only 82 is allowed)
  const odaRecords = sorted
    .filter((r) => r.oda)
    .map((r) => odaRecordData(r.sfi, template(pboc, r.tags, undefined, `${where}/records/${pboc.records.indexOf(r)}`)));
  const sdaTags = pboc.data['9F4A'] ? fromHex(pboc.data['9F4A']) : new Uint8Array(0);
  if (sdaTags.length > 0 && toHex(sdaTags) !== '82')
    throw new PbocDataError(`${where}/data/9F4A`, 'the static data authentication tag list holds only 82 (AIP)');
  const staticData = concat(...odaRecords, sdaTags.length ? aip : new Uint8Array(0));
  const elements = damaged(oda(staticData), pboc.corrupt ?? []);
  const records = sorted.map((r) => ({
    sfi: r.sfi,
    record: r.record,
    oda: r.oda === true,
    template: template(pboc, r.tags, r.oda ? undefined : elements, `${where}/records/${pboc.records.indexOf(r)}`),
  }));
  const logFormat = pboc.cardData['9F4F'];
  return {
    fci: buildFci(aid, pboc),
    records,
    aip,
    afl,
    gpoData: gpoDataOf(pboc, where),
    cardObjects: cardObjectsOf(pboc),
    staticData,
    logRecordLength: logFormat ? dolTotalLength(fromHex(logFormat)) : 0,
  };
}
