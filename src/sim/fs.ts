/**
 * The simulator's file system, ISO/IEC 7816-4:2005 §5.3 "Data structures":
 * a tree of dedicated files (DF, the MF 3F00 at the root) and elementary
 * files (EF) that are transparent (§7.2) or record-structured (§7.3: linear
 * fixed, linear variable, cyclic). DFs may carry an application name (DF
 * name, up to 16 bytes, §5.3.1.1) and EFs a short EF identifier (SFI, 1..30).
 */
import type { Bytes } from '../core/bytes.ts';
import { KEY_TYPE } from '../model/keys.ts';

export const MF_FID = 0x3f00;

/**
 * Access condition for one operation on a file (ISO/IEC 7816-4 §5.4 security
 * attributes; the social-security card's conditions are free, PIN, key,
 * PIN or key, PIN and key, never). Keys and PINs are referenced by their id
 * in the file's environment.
 */
export type AccessCondition = 'always' | 'never' | { key: number } | { pin: number } | { pin: number; key: number; mode: 'or' | 'and' };

export type KeyAlg = '3des' | 'sm4';

export interface KeyObject {
  id: number;
  type: number;
  alg: KeyAlg;
  version: number;
  value: Uint8Array;
  /** Tries left before the key is blocked. */
  tries: number;
  maxTries: number;
}

export interface PinObject {
  id: number;
  /** PIN digits. */
  value: string;
  tries: number;
  maxTries: number;
}

export type EfStructure = 'transparent' | 'linear-fixed' | 'linear-variable' | 'cyclic';

export interface FileAccess {
  read: AccessCondition;
  update: AccessCondition;
}

interface NodeBase {
  fid?: number;
  parent?: DedicatedFile;
  /** Life-cycle status byte (§5.3.3.2, tag 8A): 05 operational activated. */
  lcs: number;
}

export interface DedicatedFile extends NodeBase {
  kind: 'DF';
  name?: Bytes;
  /** FCI returned on selection with P2 = 00; when absent, one is built. */
  fci?: Bytes;
  children: FileNode[];
  /** Key file of the DF: the MF holds the card master key, an environment DF its master key and application keys. */
  keys: Map<number, KeyObject>;
  pins: Map<number, PinObject>;
  /** Application blocked by APPLICATION BLOCK (temporary) or CARD BLOCK (permanent). */
  blocked?: 'temporary' | 'permanent';
}

export interface ElementaryFile extends NodeBase {
  kind: 'EF';
  sfi?: number;
  structure: EfStructure;
  access: FileAccess;
  /** Transparent EF content. */
  data: Bytes;
  /** Record EF content, record 1 first. */
  records: Bytes[];
  /** Fixed record length (linear-fixed, cyclic) or maximum length (linear-variable). */
  recordLength?: number;
  maxRecords?: number;
  /**
   * Records are SIMPLE-TLV whose tag is the record identifier (the
   * social-security basic data EF05/EF06): an update keeps each record's tag and length.
   */
  tlvRecords?: boolean;
}

export type FileNode = DedicatedFile | ElementaryFile;

export function isRecordStructured(ef: ElementaryFile): boolean {
  return ef.structure !== 'transparent';
}

export function createDf(props: { fid?: number; name?: Bytes; fci?: Bytes; lcs?: number }): DedicatedFile {
  const df: DedicatedFile = { kind: 'DF', children: [], lcs: props.lcs ?? 0x05, keys: new Map(), pins: new Map() };
  if (props.fid !== undefined) df.fid = props.fid;
  if (props.name !== undefined) df.name = props.name;
  if (props.fci !== undefined) df.fci = props.fci;
  return df;
}

export function createEf(props: {
  fid?: number;
  sfi?: number;
  structure: EfStructure;
  access?: Partial<FileAccess>;
  data?: Bytes;
  records?: Bytes[];
  recordLength?: number;
  maxRecords?: number;
  tlvRecords?: boolean;
  lcs?: number;
}): ElementaryFile {
  const ef: ElementaryFile = {
    kind: 'EF',
    structure: props.structure,
    access: { read: props.access?.read ?? 'always', update: props.access?.update ?? 'never' },
    data: props.data ?? new Uint8Array(0),
    records: props.records ?? [],
    lcs: props.lcs ?? 0x05,
  };
  if (props.fid !== undefined) ef.fid = props.fid;
  if (props.sfi !== undefined) ef.sfi = props.sfi;
  if (props.recordLength !== undefined) ef.recordLength = props.recordLength;
  if (props.maxRecords !== undefined) ef.maxRecords = props.maxRecords;
  if (props.tlvRecords) ef.tlvRecords = true;
  return ef;
}

export class FileSystemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileSystemError';
  }
}

/** Adds `child` under `df`, rejecting duplicate FIDs and SFIs in the same DF, the MF's FID and SFIs outside 1..30. */
export function addChild(df: DedicatedFile, child: FileNode): FileNode {
  for (const c of df.children) {
    if (child.fid !== undefined && c.fid === child.fid) {
      throw new FileSystemError(`FID ${hex4(child.fid)} already exists in this DF`);
    }
    if (child.kind === 'EF' && c.kind === 'EF' && child.sfi !== undefined && c.sfi === child.sfi) {
      throw new FileSystemError(`SFI ${child.sfi} already exists in this DF`);
    }
  }
  if (child.fid === MF_FID) throw new FileSystemError('3F00 is reserved for the MF');
  if (child.kind === 'EF' && child.sfi !== undefined && (child.sfi < 1 || child.sfi > 30)) {
    throw new FileSystemError(`SFI must be 1..30, got ${child.sfi}`);
  }
  child.parent = df;
  df.children.push(child);
  return child;
}

export function hex4(fid: number): string {
  return fid.toString(16).toUpperCase().padStart(4, '0');
}

/** Every DF below and including `root`, depth-first, document order. */
export function allDfs(root: DedicatedFile): DedicatedFile[] {
  const out: DedicatedFile[] = [root];
  for (const c of root.children) if (c.kind === 'DF') out.push(...allDfs(c));
  return out;
}

export function childByFid(df: DedicatedFile, fid: number): FileNode | undefined {
  return df.children.find((c) => c.fid === fid);
}

export function efBySfi(df: DedicatedFile, sfi: number): ElementaryFile | undefined {
  return df.children.find((c): c is ElementaryFile => c.kind === 'EF' && c.sfi === sfi);
}

/** Path of FIDs from the MF (exclusive) to `node`, for display. */
export function pathOf(node: FileNode): string {
  const parts: string[] = [];
  let n: FileNode | undefined = node;
  while (n) {
    parts.unshift(n.parent === undefined ? 'MF' : n.fid !== undefined ? hex4(n.fid) : '(no FID)');
    n = n.parent;
  }
  return parts.join('/');
}

/** Life-cycle status bytes (ISO/IEC 7816-4 §5.3.3.2, Table 13). */
export const LCS = { CREATION: 0x01, INITIALISATION: 0x03, OPERATIONAL: 0x05, DEACTIVATED: 0x04, TERMINATED: 0x0c } as const;

/**
 * The environment a node belongs to: the DF directly under the MF on its path
 * (SSSE, PSE), or the MF itself for the MF and the files directly in it.
 */
export function environmentOf(node: FileNode): DedicatedFile {
  let n: FileNode = node;
  while (n.parent?.parent) n = n.parent;
  if (!n.parent) return n as DedicatedFile; // the MF
  return n.kind === 'DF' ? n : n.parent;
}

/** The master key (type MASTER) of a DF, if it holds one. */
export function masterKeyOf(df: DedicatedFile): KeyObject | undefined {
  for (const k of df.keys.values()) if (k.type === KEY_TYPE.MASTER) return k;
  return undefined;
}

/** Removes `child` from its DF; returns its index. */
export function indexInParent(node: FileNode): number {
  return node.parent ? node.parent.children.indexOf(node) : -1;
}
