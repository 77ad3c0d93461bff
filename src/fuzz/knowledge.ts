/**
 * What the fuzzer knows of a personalised card, read off its file tree once
 * per target: the files (FIDs, paths, SFIs, record counts, sizes), the DF
 * names, the environments with their key and PIN references, the PBOC debit
 * application (its name, PDOL, CDOL1, CDOL2, AFL, data objects) and the
 * instructions of the COS and its applications. Generators draw their
 * parameters from it so that commands reach the handlers, not only the
 * dispatcher's checks.
 */
import { type Bytes, concat } from '../core/bytes.ts';
import type { Protocol } from '../core/atr.ts';
import { findTag, parseTlv } from '../core/tlv.ts';
import { type DolEntry, parseDol } from '../emv/dol.ts';
import { APPLICATION_COMMANDS } from '../sim/apps/index.ts';
import { type PbocCardData, pdolOf, recordElement, suiteOf } from '../sim/apps/pboc-data.ts';
import type { SimulatedCard } from '../sim/card.ts';
import { COS_COMMANDS } from '../sim/commands/index.ts';
import { type DedicatedFile, type ElementaryFile, type FileNode, allDfs, environmentOf } from '../sim/fs.ts';

export interface FileInfo {
  /** The file's FID, when it has one. */
  fid?: number;
  /** FIDs from the MF (exclusive) to the file, for SELECT by path. */
  path: Bytes;
  env: DedicatedFile;
}

export interface EfInfo extends FileInfo {
  sfi?: number;
  records: number;
  size: number;
  record: boolean;
}

export interface PbocInfo {
  name: Bytes;
  pdol: DolEntry[];
  cdol1: DolEntry[];
  cdol2: DolEntry[];
  /** AFL entries: SFI, first and last record. */
  afl: { sfi: number; first: number; last: number }[];
  /** Data objects held for GET DATA and PUT DATA, by tag. */
  objects: { tag: number; length: number }[];
  suite: 'des-rsa' | 'sm';
}

export interface Knowledge {
  protocol: Protocol;
  dfs: (FileInfo & { name?: Bytes })[];
  efs: EfInfo[];
  /** Environment DFs (those directly under the MF) and the MF. */
  envs: { df: DedicatedFile; name?: Bytes; kind?: string }[];
  pboc?: PbocInfo;
  /** Every instruction of the COS and its applications. */
  instructions: number[];
}

function pathOf(node: FileNode): Bytes {
  const fids: number[] = [];
  let n: FileNode | undefined = node;
  while (n?.parent) {
    fids.unshift(n.fid ?? 0);
    n = n.parent;
  }
  return Uint8Array.from(fids.flatMap((f) => [f >> 8, f & 0xff]));
}

function afl(gpo: Bytes | undefined): PbocInfo['afl'] {
  if (!gpo) return [];
  let value: Bytes | undefined;
  try {
    value = findTag(parseTlv(gpo), 0x94)?.value;
  } catch {
    return [];
  }
  const out: PbocInfo['afl'] = [];
  for (let i = 0; value && i + 4 <= value.length; i += 4) {
    out.push({ sfi: value[i]! >> 3, first: value[i + 1]!, last: value[i + 2]! });
  }
  return out;
}

function dol(bytes: Bytes | undefined): DolEntry[] {
  try {
    return bytes ? parseDol(bytes) : [];
  } catch {
    return [];
  }
}

function pbocInfo(df: DedicatedFile & { pboc?: PbocCardData }): PbocInfo | undefined {
  const data = df.pboc;
  if (!data || !df.name) return undefined;
  return {
    name: df.name,
    pdol: pdolOf(df),
    cdol1: dol(recordElement(df, 0x8c)),
    cdol2: dol(recordElement(df, 0x8d)),
    afl: afl(data.gpo),
    objects: Object.entries(data.objects).map(([t, v]) => ({ tag: parseInt(t, 16), length: v.length })),
    suite: suiteOf(data),
  };
}

export function knowledgeOf(card: SimulatedCard, environments: Record<number, string> = {}): Knowledge {
  const dfs = allDfs(card.mf);
  const efs: EfInfo[] = [];
  for (const df of dfs) {
    for (const c of df.children) {
      if (c.kind !== 'EF') continue;
      const ef = c as ElementaryFile;
      efs.push({
        ...(ef.fid !== undefined ? { fid: ef.fid } : {}),
        ...(ef.sfi !== undefined ? { sfi: ef.sfi } : {}),
        path: pathOf(ef),
        env: environmentOf(ef),
        records: ef.records.length,
        size: ef.data.length,
        record: ef.structure !== 'transparent',
      });
    }
  }
  const envs = [card.mf, ...card.mf.children.filter((c): c is DedicatedFile => c.kind === 'DF')].map((df) => ({
    df,
    ...(df.name ? { name: df.name } : {}),
    ...(df.fid !== undefined && environments[df.fid] ? { kind: environments[df.fid]! } : {}),
  }));
  const pboc = dfs.map((d) => pbocInfo(d)).find((p) => p !== undefined);
  const instructions = new Set<number>(COS_COMMANDS.keys());
  for (const table of Object.values(APPLICATION_COMMANDS)) for (const ins of table.keys()) instructions.add(ins);
  return {
    protocol: card.protocol,
    dfs: dfs.map((df) => ({
      ...(df.fid !== undefined ? { fid: df.fid } : {}),
      ...(df.name ? { name: df.name } : {}),
      path: pathOf(df),
      env: environmentOf(df),
    })),
    efs,
    envs,
    ...(pboc ? { pboc } : {}),
    instructions: [...instructions].sort((a, b) => a - b),
  };
}

/** A DF name, or a right-truncated or overlong variant of it. */
export function nameVariant(name: Bytes, cut: number, extra: Bytes): Bytes {
  return cut > 0 ? name.slice(0, Math.max(1, name.length - cut)) : concat(name, extra);
}
