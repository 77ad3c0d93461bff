/**
 * Card profiles as data: what a card under test should contain (ATR, file
 * system and data) and how its COS behaves where implementations differ
 * (`profiles/*.json`, schema `schemas/profile.schema.json`). The loader that
 * reads, extends and composes them is `lab/profile.ts`.
 */
import type { BasicData } from './basic-data.ts';
import type { CosBehaviour } from './behaviour.ts';
import type { DefectId } from './defects.ts';
import type { PbocJson } from './pboc-data.ts';

export type AccessJson = 'always' | 'never' | { key: number } | { pin: number } | { pin: number; key: number; mode: 'or' | 'and' };

export interface DfJson {
  kind: 'DF';
  label?: string;
  /** For a DF directly under the MF: the environment it is, naming its keys in the key set. */
  environment?: string;
  fid?: string;
  name?: string;
  nameHex?: string;
  fci?: string;
  children?: NodeJson[];
  /** The PBOC debit application of this ADF (docs/pboc-design.md). */
  pboc?: PbocJson;
}

export interface EfJson {
  kind: 'EF';
  label?: string;
  fid?: string;
  sfi?: number;
  structure: 'transparent' | 'linear-fixed' | 'linear-variable' | 'cyclic';
  read?: AccessJson;
  update?: AccessJson;
  data?: string;
  records?: string[];
  recordLength?: number;
  maxRecords?: number;
  tlvRecords?: boolean;
}

export type NodeJson = DfJson | EfJson;

export interface Profile {
  id: string;
  title: string;
  description?: string;
  specVersion: '1.00' | '2.00' | '3.00';
  atr: { protocols: ('T=0' | 'T=1')[]; historical: string; ta1?: string };
  behaviour?: Partial<Omit<CosBehaviour, 'getResponseNothingPending'>> & { getResponseNothingPending?: string };
  /** Key set that personalises the card, relative to the profile file. */
  keyset: string;
  /**
   * Where an environment's FCI tells the algorithm of its keys (in A5) and
   * the values; a profile option — see the schema.
   */
  algorithmIndicator?: AlgorithmIndicator;
  /** Source of the social-security diversification factors (default: the card identification code). */
  diversificationFactors?: 'card-identification-code' | 'atr-historical-bytes';
  fileSystem: { fci?: string; name?: string; nameHex?: string; children: NodeJson[] };
  /** Options of the built-in simulator only; a real card ignores them. */
  simulator?: { defects?: DefectId[] };
  /**
   * The social-security basic data in text form; the loader encodes it into
   * the records of the SSSE's EF05 (SFI 5) and EF06 (SFI 6).
   */
  basicData?: BasicData;
}

/** A change to one file of an extended profile. */
export type FilePatch = Partial<Pick<EfJson, 'label' | 'read' | 'update' | 'data' | 'records'>> & {
  fci?: string;
  pboc?: PbocJson;
  /** Changes to the base's PBOC application, the rest kept. */
  pbocChanges?: Partial<Pick<PbocJson, 'corrupt' | 'pan' | 'psn' | 'effective' | 'expiry' | 'aip' | 'label'>>;
  append?: NodeJson[];
  /** The file is not on the derived card. */
  remove?: true;
};

export interface AlgorithmIndicator {
  tag: string;
  '3des': string;
  sm4: string;
}

/** The lab's convention when a profile names none: DF69 coded as the PBOC SM algorithm support indicator. */
export const DEFAULT_ALGORITHM_INDICATOR: AlgorithmIndicator = { tag: 'DF69', '3des': '00', sm4: '01' };

/**
 * Where the parts of a composed profile are written in the file being
 * loaded, for messages: a node appended by a patch of a derived profile is
 * at `/files/<path>/append/<i>`, a property a patch sets at
 * `/files/<path>/<property>`; anything else at its place in the file system.
 */
export class ProfilePaths {
  private readonly nodes = new WeakMap<object, string>();
  private readonly props = new WeakMap<object, Map<string, string>>();

  /** `obj` (a node, a PBOC application) was written at `path`. */
  setNode(obj: object, path: string): void {
    this.nodes.set(obj, path);
  }

  /** The property `prop` of `obj` was written at `path`. */
  setProp(obj: object, prop: string, path: string): void {
    const m = this.props.get(obj) ?? new Map<string, string>();
    m.set(prop, path);
    this.props.set(obj, m);
  }

  /** The JSON path of `obj`, or of its property `prop`; `positional` is where it sits in the composed profile. */
  of(obj: object, positional: string, prop?: string): string {
    const own = prop === undefined ? undefined : this.props.get(obj)?.get(prop);
    if (own) return own;
    const at = this.nodes.get(obj) ?? positional;
    return prop === undefined ? at : `${at}/${prop}`;
  }
}

/**
 * The largest transparent EF: every byte of it must be reachable by READ
 * BINARY and UPDATE BINARY with the 15-bit offset of P1-P2 (P1 b8 = 0,
 * ISO/IEC 7816-4:2005 §7.2.3), offsets 0 to 32 767; the file size of the FCP
 * (tag 80, 2 bytes) could say more, but no terminal could read it.
 */
export const MAX_EF_SIZE = 0x8000;
/** The longest record: the record length of the FCP's file descriptor is one byte, and so is the Lc of APPEND RECORD. */
export const MAX_RECORD_LENGTH = 255;
/** The most records of an EF: the descriptor's number of records is one byte (FF is reserved). */
export const MAX_RECORDS = 254;
/** File identifiers no file takes (ISO/IEC 7816-4: 3F00 is the MF, FFFF and 3FFF are reserved). */
export const RESERVED_FIDS: readonly string[] = ['3F00', '3FFF', 'FFFF'];

/**
 * One message per record of `ef` the card cannot hold, and for too many
 * records; `recordsAt` is the JSON path of its records, `recordAt` that of
 * record j (default: `recordsAt/j`).
 */
export function recordProblems(
  ef: EfJson,
  recordsAt: string,
  label: string,
  recordAt: (j: number) => string = (j) => `${recordsAt}/${j}`,
): string[] {
  const problems: string[] = [];
  const records = ef.records ?? [];
  const max = ef.maxRecords ?? MAX_RECORDS;
  if (records.length > max)
    problems.push(
      `${recordsAt}: ${records.length} records, ${label} holds at most ${max}${ef.maxRecords !== undefined ? ' (maxRecords)' : ''}`,
    );
  const fixed = ef.structure === 'linear-fixed' || ef.structure === 'cyclic';
  const lengths = records.map((r) => r.length / 2);
  // without recordLength the personaliser gives the longest record's length
  const recordLength = ef.recordLength ?? (fixed ? Math.max(0, ...lengths) : undefined);
  lengths.forEach((n, j) => {
    const at = recordAt(j);
    if (n === 0) problems.push(`${at}: an empty record (APPEND RECORD takes 1 byte at least)`);
    else if (n > MAX_RECORD_LENGTH) problems.push(`${at}: ${n} bytes, a record has at most ${MAX_RECORD_LENGTH}`);
    else if (recordLength !== undefined && fixed && n !== recordLength)
      problems.push(
        `${at}: ${n} bytes, but the records of ${label} (${ef.structure}) have ${recordLength}${ef.recordLength !== undefined ? ' (recordLength)' : ', as its longest'}`,
      );
    else if (recordLength !== undefined && n > recordLength)
      problems.push(`${at}: ${n} bytes, more than the recordLength ${recordLength} of ${label}`);
  });
  return problems;
}

/**
 * What a card could not be personalised with, each with its JSON path: two
 * files of one DF with one FID, two EFs of one DF with one SFI, a reserved
 * FID, a transparent EF larger than {@link MAX_EF_SIZE}, a record longer
 * than its EF's record length (or than {@link MAX_RECORD_LENGTH}), a record
 * of another length in a linear-fixed or cyclic EF, an empty record, and
 * more records than the EF holds.
 */
export function fileSystemProblems(fs: { children: NodeJson[] }, paths = new ProfilePaths()): string[] {
  const problems: string[] = [];
  const walk = (children: readonly NodeJson[], listAt: string, holder: string): void => {
    const fids = new Map<string, string>();
    const sfis = new Map<number, string>();
    children.forEach((node, i) => {
      const positional = `${listAt}/${i}`;
      const at = paths.of(node, positional);
      const fid = node.fid?.toUpperCase();
      const label = `${node.kind} ${fid ?? `#${i}`}`;
      if (fid !== undefined) {
        const fidAt = paths.of(node, positional, 'fid');
        if (RESERVED_FIDS.includes(fid)) problems.push(`${fidAt}: ${fid} is a reserved file identifier (${RESERVED_FIDS.join(', ')})`);
        const first = fids.get(fid);
        if (first) problems.push(`${fidAt}: ${holder} holds FID ${fid} already (${first}); the files of a DF have FIDs of their own`);
        else fids.set(fid, at);
      }
      if (node.kind === 'DF') {
        walk(node.children ?? [], `${at}/children`, `DF ${fid ?? `#${i}`}`);
        return;
      }
      if (node.sfi !== undefined) {
        const first = sfis.get(node.sfi);
        if (first)
          problems.push(
            `${paths.of(node, positional, 'sfi')}: ${holder} holds SFI ${node.sfi} already (${first}); the EFs of a DF have SFIs of their own`,
          );
        else sfis.set(node.sfi, at);
      }
      if (node.structure === 'transparent') {
        const size = (node.data ?? '').length / 2;
        if (size > MAX_EF_SIZE)
          problems.push(
            `${paths.of(node, positional, 'data')}: ${size} bytes, a transparent EF has at most ${MAX_EF_SIZE} (the 15-bit offset of READ BINARY)`,
          );
        return;
      }
      problems.push(...recordProblems(node, paths.of(node, positional, 'records'), label));
    });
  };
  walk(fs.children, '/fileSystem/children', 'the MF');
  return problems;
}
