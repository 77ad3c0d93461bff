/**
 * Checks of the social-security basic data on a card (LD/T 32, EF05 issuer
 * data and EF06 holder data; docs/ssse.md §2): each record is `tag ‖ length ‖
 * value`, the tag being the record identifier, with the field lengths and
 * formats of the specification version's layout (src/ssse/records.ts).
 */
import { type Bytes, toHex } from '../core/bytes.ts';
import { tagHex } from '../core/tlv.ts';
import type { BasicData, SpecVersion } from '../model/basic-data.ts';
import { EF05_FIELDS, EF06_FIELDS, type FieldDef, RecordError, decodeBasicData, decodeField, encodeField } from '../ssse/records.ts';
import type { CardSession } from '../channel/session.ts';
import type { ProfileView } from './profile-view.ts';

/** SFI of EF05 and EF06. */
export type BasicDataSfi = 5 | 6;

export function isBasicDataSfi(sfi: number): sfi is BasicDataSfi {
  return sfi === 5 || sfi === 6;
}

/** The fields of EF05 (SFI 5) or EF06 (SFI 6) in the layout of `version`, in table order. */
export function layoutOf(sfi: BasicDataSfi, version: SpecVersion): FieldDef[] {
  return (sfi === 5 ? EF05_FIELDS : EF06_FIELDS).filter((f) => f.versions.includes(version));
}

/** The field of `tag` in EF05 / EF06, whatever the version. */
export function fieldOf(sfi: BasicDataSfi, tag: number): FieldDef | undefined {
  return (sfi === 5 ? EF05_FIELDS : EF06_FIELDS).find((f) => f.tag === tag);
}

/**
 * What is wrong with a record read as the field `tag` of EF05/EF06 — tag,
 * length byte, record size, value format — or undefined when it is right.
 */
export function fieldRecordProblem(sfi: BasicDataSfi, tag: number, record: Bytes): string | undefined {
  const def = fieldOf(sfi, tag);
  if (!def) return `EF0${sfi} has no field with tag ${tagHex(tag)}`;
  if (record.length < 2) return `the record has ${record.length} byte(s), no tag and length`;
  if (record[0] !== tag) return `the record starts with tag ${tagHex(record[0]!)}, not ${tagHex(tag)} (${def.name})`;
  if (record[1] !== def.length) return `the ${def.name} has length ${record[1]}, the field ${def.length}`;
  if (record.length !== 2 + def.length)
    return `the record has ${record.length} bytes, tag and length and ${def.length} bytes of value make ${2 + def.length}`;
  try {
    decodeField(def, record.subarray(2));
  } catch (e) {
    if (e instanceof RecordError) return e.message;
    throw e;
  }
  return undefined;
}

/** The tags the records start with, as hex, in order. */
export function recordTags(records: readonly Bytes[]): string[] {
  return records.map((r) => (r.length > 0 ? tagHex(r[0]!) : '(empty)'));
}

/** The fields of two basic data that differ, as "name: card X, expected Y". */
export function basicDataDifferences(actual: BasicData, expected: BasicData): string[] {
  const out: string[] = [];
  for (const def of [...EF05_FIELDS, ...EF06_FIELDS]) {
    const a = actual[def.key] ?? '';
    const e = expected[def.key] ?? '';
    if (a !== e) out.push(`${def.name}: card "${a}", expected "${e}"`);
  }
  return out;
}

/** Reads records of a file through its SFI, from record 1 until the card answers 6A83. */
export async function readAllRecords(session: CardSession, sfi: number, max = 32): Promise<Bytes[]> {
  const out: Bytes[] = [];
  for (let n = 1; n <= max; n++) {
    const r = await session.readRecord(n, { sfi });
    if (r.sw === 0x6a83) return out;
    if (r.sw !== 0x9000) throw new RecordError(`READ RECORD ${n} of SFI ${sfi} answered ${toHex([r.sw >> 8, r.sw & 0xff])}`);
    out.push(r.data);
  }
  return out;
}

/** Reads EF05 and EF06 and decodes them; throws RecordError naming the faulty record. */
export async function readBasicData(session: CardSession): Promise<BasicData> {
  return decodeBasicData(await readAllRecords(session, 5), await readAllRecords(session, 6));
}

/** The value bytes of field `tag` of EF05/EF06 holding `text` (padded to the field length). */
export function fieldValue(sfi: BasicDataSfi, tag: number, text: string): Bytes {
  const def = fieldOf(sfi, tag);
  if (!def) throw new RecordError(`EF0${sfi} has no field with tag ${tagHex(tag)}`, tag);
  return encodeField(def, text);
}

/** The problems of each record read from EF05/EF06 as a field of that file ("record 3: …"). */
export function recordProblems(sfi: BasicDataSfi, records: readonly Bytes[]): string[] {
  return records.flatMap((r, i) => {
    const p = r.length === 0 ? 'empty record' : fieldRecordProblem(sfi, r[0]!, r);
    return p ? [`record ${i + 1}: ${p}`] : [];
  });
}

/** The SFI and the number of the last record of a record EF of the profile (the boundary of READ RECORD by number). */
export function lastRecordOf(profile: ProfileView, path: string): { sfi: number; n: number } {
  const ef = profile.ef(path);
  const n = ef.records?.length ?? 0;
  if (ef.sfi === undefined || n === 0) throw new Error(`${path} has no SFI or no records in profile ${profile.profile.id}`);
  return { sfi: ef.sfi, n };
}
