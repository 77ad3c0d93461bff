/**
 * Application File Locator (AFL, tag 94), EMV 4.x Book 3 §10.2 "Read
 * Application Data" (coding of the GPO response in §6.5.8.4); JR/T 0025 the
 * same. The AFL is a list of 4-byte entries:
 *
 *   byte 1  b8-b4 SFI (1-30), b3-b1 000
 *   byte 2  first (or only) record number to read, never 0
 *   byte 3  last record number to read, ≥ byte 2
 *   byte 4  number of records, starting with the one of byte 2, that take part
 *           in offline data authentication: 0 … (byte 3 − byte 2 + 1)
 *
 * Book 3 §10.3: the records for offline data authentication enter the static
 * data to be authenticated — for SFI 1-10 the value of the record template
 * '70' only (tag and length excluded; a record that is not a '70' template is
 * an ODA failure), for SFI 11-30 the whole record as read.
 */
import { type Bytes, concat, toHex } from '../core/bytes.ts';

export interface AflEntry {
  sfi: number;
  first: number;
  last: number;
  /** Records, from `first` on, that feed offline data authentication. */
  odaCount: number;
}

export interface AflProblem {
  /** Index of the 4-byte entry (0-based); undefined for the AFL as a whole. */
  entry?: number;
  /**
   * `error`: the AFL breaks Book 3 §10.2 and the terminal terminates the
   * transaction; `warning`: the terminal proceeds but the coding is odd
   * (RFU bits, records listed twice).
   */
  severity: 'error' | 'warning';
  message: string;
}

export class AflError extends Error {
  readonly problems: AflProblem[];
  constructor(problems: AflProblem[]) {
    super(`invalid AFL: ${problems.map(describeProblem).join('; ')}`);
    this.name = 'AflError';
    this.problems = problems;
  }
}

function describeProblem(p: AflProblem): string {
  return p.entry === undefined ? p.message : `entry ${p.entry + 1}: ${p.message}`;
}

/** Splits an AFL into entries without judging them; throws only when the length is not a multiple of 4. */
export function splitAfl(afl: Bytes): AflEntry[] {
  if (afl.length % 4 !== 0)
    throw new AflError([{ severity: 'error', message: `length ${afl.length} is not a multiple of 4 (${toHex(afl)})` }]);
  const out: AflEntry[] = [];
  for (let i = 0; i < afl.length; i += 4) out.push({ sfi: afl[i]! >> 3, first: afl[i + 1]!, last: afl[i + 2]!, odaCount: afl[i + 3]! });
  return out;
}

/** Every problem of an AFL (Book 3 §10.2), errors and warnings, in entry order. */
export function checkAfl(afl: Bytes): AflProblem[] {
  if (afl.length % 4 !== 0) return [{ severity: 'error', message: `length ${afl.length} is not a multiple of 4 (${toHex(afl)})` }];
  const problems: AflProblem[] = [];
  const seen = new Map<string, number>();
  splitAfl(afl).forEach((e, entry) => {
    const low = afl[entry * 4]! & 0x07;
    if (e.sfi < 1 || e.sfi > 30) problems.push({ entry, severity: 'error', message: `SFI ${e.sfi} is outside 1-30` });
    if (low !== 0)
      problems.push({ entry, severity: 'warning', message: `bits b3-b1 of byte 1 are ${low.toString(2).padStart(3, '0')}, not 000` });
    if (e.first === 0) problems.push({ entry, severity: 'error', message: 'first record number is 0' });
    if (e.last < e.first) problems.push({ entry, severity: 'error', message: `last record ${e.last} is below the first ${e.first}` });
    else if (e.odaCount > e.last - e.first + 1) {
      problems.push({
        entry,
        severity: 'error',
        message: `${e.odaCount} records for offline data authentication but only ${e.last - e.first + 1} in the range ${e.first}-${e.last}`,
      });
    }
    if (e.first !== 0 && e.last >= e.first) {
      for (let r = e.first; r <= e.last; r++) {
        const key = `${e.sfi}.${r}`;
        const before = seen.get(key);
        if (before !== undefined)
          problems.push({ entry, severity: 'warning', message: `record ${r} of SFI ${e.sfi} is already listed by entry ${before + 1}` });
        else seen.set(key, entry);
      }
    }
  });
  return problems;
}

/**
 * Parses and validates an AFL (Book 3 §10.2).
 * @throws AflError listing every error (warnings do not throw).
 */
export function parseAfl(afl: Bytes): AflEntry[] {
  const errors = checkAfl(afl).filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new AflError(errors);
  return splitAfl(afl);
}

/** Encodes entries as an AFL (SFI << 3, first, last, ODA count). */
export function encodeAfl(entries: readonly AflEntry[]): Bytes {
  return concat(
    ...entries.map((e) => {
      for (const [k, v, max] of [
        ['SFI', e.sfi, 31],
        ['first', e.first, 255],
        ['last', e.last, 255],
        ['ODA count', e.odaCount, 255],
      ] as const) {
        if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`AFL ${k} ${v} out of range`);
      }
      return [e.sfi << 3, e.first, e.last, e.odaCount];
    }),
  );
}

export interface RecordToRead {
  sfi: number;
  record: number;
  /** The record takes part in offline data authentication. */
  oda: boolean;
}

/** The records to read, in AFL order, each marked when it feeds offline data authentication. */
export function aflRecords(afl: Bytes | readonly AflEntry[]): RecordToRead[] {
  const entries = afl instanceof Uint8Array ? parseAfl(afl) : afl;
  const out: RecordToRead[] = [];
  for (const e of entries) {
    for (let record = e.first; record <= e.last; record++) out.push({ sfi: e.sfi, record, oda: record < e.first + e.odaCount });
  }
  return out;
}

/** Only the records that feed offline data authentication, in AFL order. */
export function odaRecords(afl: Bytes | readonly AflEntry[]): RecordToRead[] {
  return aflRecords(afl).filter((r) => r.oda);
}

/**
 * What one record read for offline data authentication contributes to the
 * static data to be authenticated (Book 3 §10.3): for SFI 1-10 the value of
 * the '70' template; for SFI 11-30 the whole record.
 * @throws AflError when a record of SFI 1-10 is not a '70' template with a
 *   consistent length (the terminal then treats ODA as failed).
 */
export function odaRecordData(sfi: number, record: Bytes): Bytes {
  if (sfi > 10) return record;
  const bad = (why: string) =>
    new AflError([
      { severity: 'error', message: `record of SFI ${sfi} for offline data authentication ${why} (${toHex(record.subarray(0, 8))}…)` },
    ]);
  if (record[0] !== 0x70) throw bad('is not a record template 70');
  const first = record[1];
  if (first === undefined) throw bad('has no length');
  let len = first;
  let off = 2;
  if (first > 0x80 && first <= 0x83) {
    const n = first & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) {
      const b = record[2 + i];
      if (b === undefined) throw bad('has a truncated length');
      len = len * 256 + b;
    }
    off = 2 + n;
  } else if (first >= 0x80) throw bad(`has an invalid length byte ${toHex([first])}`);
  if (off + len !== record.length) throw bad(`has length ${len} but ${record.length - off} value bytes`);
  return record.slice(off);
}

/** A record the AFL names, with what READ RECORD answered. */
export interface RecordRead extends RecordToRead {
  sw: number;
  /** The record as read (the response data; empty when the status is not 9000). */
  data: Bytes;
}

/** READ RECORD of record `record` of SFI `sfi`: the card's status word and response data. */
export type RecordReader = (sfi: number, record: number) => Promise<{ sw: number; data: Bytes }>;

export interface ReadAflOptions {
  /**
   * Stop after the first record the card does not answer with 9000, as a
   * terminal does before it terminates the transaction (Book 3 §10.2);
   * by default every record is read whatever the card answers.
   */
  stopOnError?: boolean;
}

/**
 * Read application data (Book 3 §10.2): READ RECORD of every record the AFL
 * names, in AFL order, through `read`.
 * @throws AflError when the AFL is invalid ({@link parseAfl}), before any record is read.
 */
export async function readAflRecords(
  afl: Bytes | readonly AflEntry[],
  read: RecordReader,
  opts: ReadAflOptions = {},
): Promise<RecordRead[]> {
  const out: RecordRead[] = [];
  for (const r of aflRecords(afl)) {
    const { sw, data } = await read(r.sfi, r.record);
    out.push({ ...r, sw, data });
    if (sw !== 0x9000 && opts.stopOnError) break;
  }
  return out;
}

/**
 * The static data to be authenticated (Book 3 §10.3): what each record the
 * AFL marks for offline data authentication contributes ({@link odaRecordData}),
 * in AFL order, then the AIP when the Static Data Authentication Tag List
 * 9F4A names it (tag 82, the only tag it may hold).
 * @param records the records read (those with a status other than 9000 count as not read)
 * @throws AflError when an ODA record of SFI 1-10 is not a '70' template (the terminal then treats ODA as failed);
 *   Error when an ODA record was not read.
 */
export function staticDataToAuthenticate(
  afl: Bytes | readonly AflEntry[],
  records: readonly { sfi: number; record: number; data: Bytes; sw?: number }[],
  aip: Bytes,
  sdaTagList?: Bytes,
): Bytes {
  const parts = odaRecords(afl).map(({ sfi, record }) => {
    const r = records.find((x) => x.sfi === sfi && x.record === record && (x.sw === undefined || x.sw === 0x9000));
    if (!r) throw new Error(`record ${record} of SFI ${sfi} was not read`);
    return odaRecordData(sfi, r.data);
  });
  return concat(...parts, sdaTagList?.[0] === 0x82 ? aip : new Uint8Array(0));
}
