/**
 * Builds a simulated card from a profile: ATR, COS behaviour switches, and the
 * file system. Structural problems the schema cannot see (a duplicate FID or
 * SFI in one DF) are reported like schema errors, with the JSON path.
 */
import { fromHex } from '../core/bytes.ts';
import { buildAtr } from '../core/atr.ts';
import { parseSw } from '../core/sw.ts';
import { DataError } from '../data/json.ts';
import type { NodeJson, Profile } from '../profile/profile.ts';
import { type CosBehaviour, type CommandTable, SimulatedCard } from './card.ts';
import { BASE_COMMANDS } from './commands/index.ts';
import { applyDefects } from './defects.ts';
import { type DedicatedFile, FileSystemError, MF_FID, addChild, createDf, createEf } from './fs.ts';

export function buildFileSystem(profile: Profile, file = profile.id): DedicatedFile {
  const fsJson = profile.fileSystem;
  const mf = createDf({ fid: MF_FID, ...nameOf(fsJson), ...(fsJson.fci ? { fci: fromHex(fsJson.fci) } : {}) });
  const add = (df: DedicatedFile, nodes: NodeJson[], path: string) => {
    nodes.forEach((n, i) => {
      const here = `${path}/children/${i}`;
      try {
        if (n.kind === 'DF') {
          const child = createDf({
            ...(n.fid ? { fid: parseInt(n.fid, 16) } : {}),
            ...nameOf(n),
            ...(n.fci ? { fci: fromHex(n.fci) } : {}),
          });
          addChild(df, child);
          add(child, n.children ?? [], here);
        } else {
          addChild(
            df,
            createEf({
              ...(n.fid ? { fid: parseInt(n.fid, 16) } : {}),
              ...(n.sfi !== undefined ? { sfi: n.sfi } : {}),
              structure: n.structure,
              access: { read: n.read ?? 'always', update: n.update ?? 'never' },
              data: fromHex(n.data ?? ''),
              records: (n.records ?? []).map((r) => fromHex(r)),
              ...(n.recordLength !== undefined ? { recordLength: n.recordLength } : {}),
              ...(n.maxRecords !== undefined ? { maxRecords: n.maxRecords } : {}),
            }),
          );
        }
      } catch (e) {
        if (e instanceof FileSystemError) throw new DataError(file, [`${here}: ${e.message}`]);
        throw e;
      }
    });
  };
  add(mf, fsJson.children, '/fileSystem');
  return mf;
}

function nameOf(n: { name?: string; nameHex?: string }): { name?: Uint8Array } {
  if (n.nameHex) return { name: fromHex(n.nameHex) };
  if (n.name) return { name: new TextEncoder().encode(n.name) };
  return {};
}

export function behaviourOf(profile: Profile): Partial<CosBehaviour> {
  const { getResponseNothingPending, ...rest } = profile.behaviour ?? {};
  return getResponseNothingPending ? { ...rest, getResponseNothingPending: parseSw(getResponseNothingPending) } : rest;
}

export function buildCard(profile: Profile, options: { file?: string; commands?: CommandTable } = {}): SimulatedCard {
  const protocols = profile.atr.protocols;
  const composition = applyDefects(
    {
      commands: new Map(options.commands ?? BASE_COMMANDS),
      atr: buildAtr(protocols, fromHex(profile.atr.historical), profile.atr.ta1 ? parseInt(profile.atr.ta1, 16) : undefined),
      responseFilters: [],
    },
    profile.simulator?.defects ?? [],
  );
  return new SimulatedCard({
    atr: composition.atr,
    protocol: protocols[0]!,
    mf: buildFileSystem(profile, options.file),
    commands: composition.commands,
    behaviour: behaviourOf(profile),
    responseFilters: composition.responseFilters,
  });
}
