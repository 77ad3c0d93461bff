/**
 * Reads what a profile says a card contains, for checks of a real or
 * simulated card against it. Files are named by FID paths from the MF,
 * e.g. "3F00/DDF1/EF05".
 */
import { type Bytes, fromHex } from '../core/bytes.ts';
import type { DfJson, EfJson, NodeJson, Profile } from './profile.ts';

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
    if (!df || !df.fid) throw new Error(`profile ${this.profile.id} has no environment ${env}`);
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
}
