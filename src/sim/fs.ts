/**
 * The simulator's file system, ISO/IEC 7816-4:2005 §5.3 "Data structures":
 * a tree of dedicated files (DF, the MF 3F00 at the root) and elementary
 * files (EF) that are transparent (§7.2) or record-structured (§7.3: linear
 * fixed, linear variable, cyclic). DFs may carry an application name (DF
 * name, up to 16 bytes, §5.3.1.1) and EFs a short EF identifier (SFI, 1..30).
 */
import type { Bytes } from '../core/bytes.ts';

export const MF_FID = 0x3f00;

/** Access condition for one operation on a file. Issue-specific conditions (PIN, key) extend this. */
export type AccessCondition = 'always' | 'never';

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
}

export type FileNode = DedicatedFile | ElementaryFile;

export function isRecordStructured(ef: ElementaryFile): boolean {
  return ef.structure !== 'transparent';
}

export function createDf(props: { fid?: number; name?: Bytes; fci?: Bytes; lcs?: number }): DedicatedFile {
  const df: DedicatedFile = { kind: 'DF', children: [], lcs: props.lcs ?? 0x05 };
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
