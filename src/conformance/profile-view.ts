/**
 * Reads what a profile says a card contains, for checks of a real or
 * simulated card against it. Files are named by FID paths from the MF,
 * e.g. "3F00/DDF1/EF05".
 */
import { type Bytes, fromHex } from '../core/bytes.ts';
import type { DfJson, EfJson, NodeJson, Profile } from '../model/profile.ts';
import type { PbocJson } from '../model/pboc-data.ts';
import { buildAfl } from '../pboc/image.ts';
import type { BasicData, SpecVersion } from '../model/basic-data.ts';
import { decodeBasicData } from '../ssse/records.ts';

export class ProfileView {
  constructor(readonly profile: Profile) {}

  /** The node at a path of FIDs from the MF ("3F00/DDF1/EF05"). */
  node(path: string): NodeJson | { kind: 'MF' } {
    const parts = path.toUpperCase().split('/').filter(Boolean);
    if (parts[0] !== '3F00') throw new Error(`a profile path starts at the MF 3F00: ${path}`);
    let children: NodeJson[] = this.profile.fileSystem.children;
    let node: NodeJson | { kind: 'MF' } = { kind: 'MF' };
    for (const fid of parts.slice(1)) {
      const next = children.find((c) => c.fid?.toUpperCase() === fid);
      if (!next) throw new Error(`profile ${this.profile.id} has no file ${fid} on the path ${path}`);
      node = next;
      children = next.kind === 'DF' ? (next.children ?? []) : [];
    }
    return node;
  }

  ef(path: string): EfJson {
    const n = this.node(path);
    if (n.kind !== 'EF') throw new Error(`${path} is not an EF in profile ${this.profile.id}`);
    return n;
  }

  df(path: string): DfJson {
    const n = this.node(path);
    if (n.kind !== 'DF') throw new Error(`${path} is not a DF in profile ${this.profile.id}`);
    return n;
  }

  binary(path: string): Bytes {
    return fromHex(this.ef(path).data ?? '');
  }

  record(path: string, n: number): Bytes {
    const rec = this.ef(path).records?.[n - 1];
    if (rec === undefined) throw new Error(`profile ${this.profile.id} has no record ${n} in ${path}`);
    return fromHex(rec);
  }

  /** The DF of an environment (SSSE, PSE) and its path, from the `environment` marks of the profile. */
  environment(env: string): { df: DfJson; path: string } {
    const df = this.profile.fileSystem.children.find((c): c is DfJson => c.kind === 'DF' && c.environment === env);
    if (!df?.fid) throw new Error(`profile ${this.profile.id} has no environment ${env}`);
    return { df, path: `3F00/${df.fid.toUpperCase()}` };
  }

  /** Names of the environments of the profile. */
  get environments(): string[] {
    return this.profile.fileSystem.children.flatMap((c) => (c.kind === 'DF' && c.environment ? [c.environment] : []));
  }

  dfName(path: string): Bytes {
    const df = this.df(path);
    if (df.nameHex) return fromHex(df.nameHex);
    if (df.name) return new TextEncoder().encode(df.name);
    throw new Error(`${path} has no DF name in profile ${this.profile.id}`);
  }

  /** The first record of an EF whose first byte (its tag, the record identifier) is `tag`. */
  recordWithIdentifier(path: string, tag: number): Bytes {
    const rec = this.ef(path).records?.find((r) => parseInt(r.slice(0, 2), 16) === tag);
    if (rec === undefined)
      throw new Error(
        `profile ${this.profile.id} has no record with identifier ${tag.toString(16).toUpperCase().padStart(2, '0')} in ${path}`,
      );
    return fromHex(rec);
  }

  /** Specification version the card claims (EF05 tag 03). */
  get specVersion(): SpecVersion {
    return this.profile.specVersion;
  }

  /** The basic data the card should hold: the SSSE's EF05 and EF06 of the profile, decoded. */
  get basicData(): BasicData {
    const { path } = this.environment('SSSE');
    const df = this.df(path);
    const ef = (sfi: number): Bytes[] => {
      const e = df.children?.find((c): c is EfJson => c.kind === 'EF' && c.sfi === sfi);
      if (!e) throw new Error(`profile ${this.profile.id} has no EF with SFI ${sfi} in the SSSE`);
      return (e.records ?? []).map((r) => fromHex(r));
    };
    return decodeBasicData(ef(5), ef(6));
  }

  /**
   * Number of the record whose tag (record identifier) is `tag` in the EF with
   * short identifier `sfi` of an environment's DF: the layout of the basic
   * data differs between specification versions, so scenarios name records
   * by their tag.
   */
  recordNumber(env: string, sfi: number, tag: number): number {
    const { df, path } = this.environment(env);
    const ef = df.children?.find((c): c is EfJson => c.kind === 'EF' && c.sfi === sfi);
    if (!ef) throw new Error(`profile ${this.profile.id} has no EF with SFI ${sfi} in ${path}`);
    const i = (ef.records ?? []).findIndex((r) => parseInt(r.slice(0, 2), 16) === tag);
    if (i < 0)
      throw new Error(
        `profile ${this.profile.id} has no record with identifier ${tag.toString(16).toUpperCase().padStart(2, '0')} in SFI ${sfi} of ${path}`,
      );
    return i + 1;
  }

  /** The PBOC debit ADF of the profile (the DF with a `pboc` section) and its FCI. */
  pbocAdf(): { path: string; pboc: PbocJson; fci: string } {
    const found = this.findPbocAdf();
    if (!found) throw new Error(`profile ${this.profile.id} has no PBOC application`);
    return found;
  }

  /** The card's PBOC ADF, undefined on a card without the financial function. */
  findPbocAdf(): { path: string; pboc: PbocJson; fci: string } | undefined {
    const find = (children: NodeJson[], path: string): { path: string; pboc: PbocJson; fci: string } | undefined => {
      for (const c of children) {
        if (c.kind !== 'DF') continue;
        const here = `${path}/${c.fid ?? '?'}`;
        if (c.pboc && c.fci) return { path: here, pboc: c.pboc, fci: c.fci };
        const inner = find(c.children ?? [], here);
        if (inner) return inner;
      }
      return undefined;
    };
    return find(this.profile.fileSystem.children, '3F00');
  }

  /** Record `n` of SFI `sfi` in the PBOC ADF (the record templates the loader composed). */
  pbocRecord(sfi: number, n: number): Bytes {
    const { path } = this.pbocAdf();
    const df = this.df(path);
    const ef = df.children?.find((c): c is EfJson => c.kind === 'EF' && c.sfi === sfi);
    const rec = ef?.records?.[n - 1];
    if (rec === undefined) throw new Error(`profile ${this.profile.id} has no record ${n} of SFI ${sfi} in ${path}`);
    return fromHex(rec);
  }

  /** The AFL the PBOC ADF's records make. */
  pbocAfl(): Bytes {
    return buildAfl(this.pbocAdf().pboc.records);
  }
}
