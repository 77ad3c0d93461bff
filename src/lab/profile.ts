/**
 * Card profiles: what a card under test should contain (ATR, file system and
 * data) and how its COS behaves where real implementations differ. Profiles
 * are data (`profiles/*.json`, schema `schemas/profile.schema.json`).
 */
import { dirname, join, relative, resolve } from 'node:path';
import { fromHex, toHex } from '../core/bytes.ts';
import { isDefectId } from '../model/defects.ts';
import { DataError, loadJson, PROJECT_ROOT } from '../core/json.ts';
import { EF05_FIELDS, EF06_FIELDS, RecordError, encodeBasicData, isCalendarDate } from '../ssse/records.ts';
import { diversificationFactors, factorsFromHistoricalBytes } from '../ssse/factors.ts';
import { PbocDataError, composePboc } from '../pboc/image.ts';
import { odaProviderFor } from '../pboc/provision.ts';
import {
  type DfJson,
  type EfJson,
  type FilePatch,
  type NodeJson,
  type Profile,
  ProfilePaths,
  fileSystemProblems,
  recordProblems,
} from '../model/profile.ts';

/** A profile as written: possibly extending another, patching its files. */
interface ProfileJson extends Partial<Profile> {
  id: string;
  title: string;
  extends?: string;
  files?: Record<string, FilePatch>;
}

export const DEFAULT_PROFILE = join(PROJECT_ROOT, 'profiles', 'default.json');

function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/**
 * Loads and validates a profile; throws DataError naming the file and JSON
 * path. A profile that `extends` another takes the other's properties unless
 * it gives them, and its `files` patch the other's file system; `basicData`
 * becomes the records of the SSSE's EF05 and EF06.
 */
export function loadProfile(file: string = DEFAULT_PROFILE): Profile {
  const key = resolve(file);
  let loaded = loaded_.get(key);
  if (!loaded) {
    loaded = expandPboc(expandBasicData(checkDefects(resolveProfile(key, []), shown(file)), shown(file)), shown(file));
    loaded_.set(key, loaded);
  }
  // each caller gets its own copy: the composed data (ODA signatures) are made once per process
  return structuredClone(loaded);
}

const loaded_ = new Map<string, Profile>();

/** The simulator defects a profile names are defects of the catalogue (model/defects.ts). */
function checkDefects(profile: Profile, file: string): Profile {
  const unknown = unknownDefects(profile.simulator?.defects ?? [], '/simulator/defects');
  if (unknown.length) throw new DataError(file, unknown);
  return profile;
}

/** One message per id that is not a card defect of the catalogue, naming its JSON path. */
export function unknownDefects(ids: readonly string[], where: string): string[] {
  return ids.flatMap((id, i) => (isDefectId(id) ? [] : [`${where}/${i}: no card defect "${id}" (ssc-lab mutation --list names them)`]));
}

/**
 * Composes each PBOC ADF (a DF with `pboc`) from its readable data
 * (docs/pboc-design.md): its FCI when the profile gives none, its record EFs
 * (FID E1xx for SFI xx, read always, update never) with the record
 * templates and the ODA data from the lab PKI, and its transaction log EF.
 */
function expandPboc(profile: Profile, file: string): Profile {
  const walk = (children: NodeJson[], where: string): void => {
    children.forEach((c, i) => {
      if (c.kind !== 'DF') return;
      const here = `${where}/${i}`;
      if (c.pboc) {
        const aid = c.nameHex ? fromHex(c.nameHex) : new TextEncoder().encode(c.name ?? '');
        let image;
        try {
          image = composePboc(aid, c.pboc, odaProviderFor(c.pboc), `${here}/pboc`);
        } catch (e) {
          if (e instanceof PbocDataError) throw new DataError(file, [`${e.path}: ${e.message}`]);
          if (e instanceof DataError) throw e;
          throw new DataError(file, [`${here}/pboc: ${(e as Error).message}`]);
        }
        if (!c.fci) c.fci = toHex(image.fci);
        const efs: EfJson[] = [];
        for (const r of image.records) {
          let ef = efs.find((e) => e.sfi === r.sfi);
          if (!ef) {
            ef = {
              kind: 'EF',
              label: `PBOC records, SFI ${r.sfi}`,
              fid: `E1${toHex([r.sfi])}`,
              sfi: r.sfi,
              structure: 'linear-variable',
              read: 'always',
              update: 'never',
              records: [],
            };
            efs.push(ef);
          }
          ef.records!.push(toHex(r.template));
        }
        if (c.pboc.logEntry && image.logRecordLength > 0) {
          const { sfi, records } = c.pboc.logEntry;
          efs.push({
            kind: 'EF',
            label: 'PBOC transaction log',
            fid: `E1${toHex([sfi])}`,
            sfi,
            structure: 'cyclic',
            recordLength: image.logRecordLength,
            maxRecords: records,
            read: 'always',
            update: 'never',
            records: [],
          });
        }
        const taken = new Set((c.children ?? []).map((n) => n.fid?.toUpperCase()));
        const clash = efs.find((e) => taken.has(e.fid));
        if (clash)
          throw new DataError(file, [
            `${here}/children: the PBOC record EF ${clash.fid} (SFI ${clash.sfi}) clashes with a file of the profile`,
          ]);
        c.children = [...(c.children ?? []), ...efs];
      }
      walk(c.children ?? [], `${here}/children`);
    });
  };
  walk(profile.fileSystem.children, '/fileSystem/children');
  return profile;
}

/** The files a profile is made of: itself, then the profiles it extends, in order (the inputs of a run's dossier). */
export function profileFiles(file: string): string[] {
  const out: string[] = [];
  let f: string | undefined = resolve(file);
  while (f && !out.includes(f)) {
    out.push(f);
    const ref: string | undefined = loadJson<ProfileJson>(f, 'profile').extends;
    f = ref === undefined ? undefined : resolve(dirname(f), ref);
  }
  return out;
}

function resolveProfile(file: string, chain: string[]): Profile {
  if (chain.includes(file))
    throw new DataError(shown(file), [`/extends: the profiles extend each other (${[...chain, file].map(shown).join(' → ')})`]);
  const own = loadJson<ProfileJson>(file, 'profile');
  const { extends: baseRef, files, ...props } = own;
  if (baseRef === undefined) {
    if (files) throw new DataError(shown(file), ['/files: only a profile that extends another patches files']);
    return checkFiles(props as Profile, file, new ProfilePaths());
  }
  // what the patches write, by their JSON paths in this file
  const paths = new ProfilePaths();
  const baseFile = resolve(dirname(file), baseRef);
  const base = resolveProfile(baseFile, [...chain, file]);
  const merged: Profile = {
    ...structuredClone(base),
    // the base's key set stays the base's, wherever the derived profile lives
    keyset: resolve(dirname(baseFile), base.keyset),
    ...structuredClone(props),
  };
  // A profile that brings its own basic data replaces the base's records of EF05/EF06.
  if (props.basicData) for (const ef of basicDataFiles(merged)) delete ef.records;
  for (const [path, patch] of Object.entries(files ?? {})) {
    if (patch.remove) {
      if (Object.keys(patch).length > 1) throw new DataError(shown(file), [`/files/${path}: "remove" goes alone`]);
      if (!removeNode(merged, path)) throw new DataError(shown(file), [`/files/${path}: ${shown(baseFile)} has no such file`]);
      continue;
    }
    const node = findNode(merged, path);
    if (!node) throw new DataError(shown(file), [`/files/${path}: ${shown(baseFile)} has no such file`]);
    const dfOnly = ['fci', 'pboc', 'pbocChanges', 'append'];
    if (node.kind === 'DF' && Object.keys(patch).some((k) => !['label', ...dfOnly].includes(k))) {
      throw new DataError(shown(file), [`/files/${path}: a DF takes only "label", "fci", "pboc", "pbocChanges" and "append"`]);
    }
    if (node.kind === 'EF' && Object.keys(patch).some((k) => dfOnly.includes(k))) {
      throw new DataError(shown(file), [`/files/${path}: an EF takes no "fci", "pboc", "pbocChanges" or "append"`]);
    }
    const { append, pbocChanges, ...rest } = structuredClone(patch);
    Object.assign(node, rest);
    for (const key of Object.keys(rest)) paths.setProp(node, key, `/files/${path}/${key}`);
    if (append && node.kind === 'DF') {
      for (const [j, n] of append.entries()) paths.setNode(n, `/files/${path}/append/${j}`);
      node.children = [...(node.children ?? []), ...append];
    }
    if (pbocChanges && node.kind === 'DF') {
      if (!node.pboc) throw new DataError(shown(file), [`/files/${path}/pbocChanges: ${path} holds no PBOC application`]);
      node.pboc = { ...node.pboc, ...pbocChanges };
      for (const key of Object.keys(pbocChanges)) paths.setProp(node.pboc, key, `/files/${path}/pbocChanges/${key}`);
    }
  }
  // a card without the SSSE has no basic data of its own; the base's go with the removed SSSE
  if (!props.basicData && !merged.fileSystem.children.some((c) => c.kind === 'DF' && c.environment === 'SSSE')) delete merged.basicData;
  return checkFiles(merged, file, paths);
}

/**
 * The checks a card's personalisation would otherwise fail on, made when the
 * profile is loaded (model/profile.ts `fileSystemProblems`), and the PBOC
 * applications' dates; each problem with its JSON path in `file`.
 */
function checkFiles(profile: Profile, file: string, paths: ProfilePaths): Profile {
  const problems = [...fileSystemProblems(profile.fileSystem, paths), ...pbocDateProblems(profile.fileSystem.children, paths)];
  if (problems.length) throw new DataError(shown(file), problems);
  return profile;
}

/**
 * True when `text` is a date YYMMDD of the calendar; YY 00-49 is 20YY and
 * 50-99 is 19YY, as EMV reads the year of its dates.
 */
export function isYymmdd(text: string): boolean {
  if (!/^\d{6}$/.test(text)) return false;
  return isCalendarDate(`${Number(text.slice(0, 2)) < 50 ? '20' : '19'}${text}`);
}

/** The effective (5F25) and expiry (5F24) dates of each PBOC application are dates of the calendar. */
function pbocDateProblems(children: readonly NodeJson[], paths: ProfilePaths, listAt = '/fileSystem/children'): string[] {
  return children.flatMap((node, i) => {
    if (node.kind !== 'DF') return [];
    const at = paths.of(node, `${listAt}/${i}`);
    const own = node.pboc
      ? (['effective', 'expiry'] as const)
          .filter((key) => !isYymmdd(node.pboc![key]))
          .map(
            (key) =>
              `${paths.of(node.pboc!, paths.of(node, `${listAt}/${i}`, 'pboc'), key)}: "${node.pboc![key]}" is not a calendar date YYMMDD`,
          )
      : [];
    return [...own, ...pbocDateProblems(node.children ?? [], paths, `${at}/children`)];
  });
}

/** Takes the node at `path` out of the file system; false when there is none. */
function removeNode(profile: Profile, path: string): boolean {
  const fids = path.toUpperCase().split('/');
  if (fids[0] === '3F00') fids.shift();
  const last = fids.pop()!;
  let holder: { children?: NodeJson[] } = profile.fileSystem;
  if (fids.length > 0) {
    const parent = findNode(profile, fids.join('/'));
    if (parent?.kind !== 'DF') return false;
    holder = parent;
  }
  const i = (holder.children ?? []).findIndex((c) => c.fid?.toUpperCase() === last);
  if (i < 0) return false;
  holder.children!.splice(i, 1);
  return true;
}

/** The node at `path` (FIDs below the MF, "3F00/" optional). */
export function findNode(profile: Profile, path: string): NodeJson | undefined {
  const fids = path.toUpperCase().split('/');
  if (fids[0] === '3F00') fids.shift();
  let children: NodeJson[] | undefined = profile.fileSystem.children;
  let node: NodeJson | undefined;
  for (const fid of fids) {
    node = children?.find((c) => c.fid?.toUpperCase() === fid);
    if (!node) return undefined;
    children = node.kind === 'DF' ? node.children : undefined;
  }
  return node;
}

/** The SSSE's EF05 and EF06 (SFI 5 and 6), those that exist. */
function basicDataFiles(profile: Profile): EfJson[] {
  const ssse = profile.fileSystem.children.find((c): c is DfJson => c.kind === 'DF' && c.environment === 'SSSE');
  return (ssse?.children ?? []).filter((c): c is EfJson => c.kind === 'EF' && (c.sfi === 5 || c.sfi === 6)).sort((a, b) => a.sfi! - b.sfi!);
}

/**
 * Encodes `basicData` into EF05 / EF06 and checks it against the rest of the
 * profile: the specification version (LD/T 32: EF05 tag 03), and — for cards
 * that take their diversification factors from the ATR — that the historical
 * bytes carry the card identification code's factors.
 */
function expandBasicData(profile: Profile, file: string): Profile {
  const data = profile.basicData;
  if (!data) return profile;
  const problems: string[] = [];
  if (data.specVersion !== profile.specVersion) {
    problems.push(`/basicData/specVersion: "${data.specVersion}" differs from the profile's specVersion "${profile.specVersion}"`);
  }
  const [ef05, ef06] = basicDataFiles(profile);
  if (ef05?.sfi !== 5 || ef06?.sfi !== 6) problems.push('/basicData: the SSSE has no EF05 (SFI 5) and EF06 (SFI 6) to hold it');
  else if (ef05.records || ef06.records)
    problems.push('/basicData: EF05 and EF06 give records of their own; give either basicData or the records');
  let encoded: { ef05: Uint8Array[]; ef06: Uint8Array[] } | undefined;
  try {
    encoded = encodeBasicData(data);
  } catch (e) {
    if (!(e instanceof RecordError)) throw e;
    const field = [...EF05_FIELDS, ...EF06_FIELDS].find((f) => f.tag === e.tag);
    problems.push(`/basicData${field ? `/${field.key}` : ''}: ${e.message}`);
  }
  if (profile.diversificationFactors === 'atr-historical-bytes' && encoded) {
    const fromCode = diversificationFactors(fromHex(data.cardIdCode));
    let fromAtr;
    try {
      fromAtr = factorsFromHistoricalBytes(fromHex(profile.atr.historical));
    } catch (e) {
      problems.push(`/atr/historical: ${(e as Error).message}`);
    }
    if (fromAtr && (toHex(fromAtr.card) !== toHex(fromCode.card) || toHex(fromAtr.city) !== toHex(fromCode.city))) {
      problems.push(
        `/atr/historical: the diversification factors in the historical bytes (city ${toHex(fromAtr.city.slice(0, 3))}, card ${toHex(fromAtr.card)}) are not those of the card identification code (city ${toHex(fromCode.city.slice(0, 3))}, card ${toHex(fromCode.card)})`,
      );
    }
  }
  if (problems.length) throw new DataError(file, problems);
  ef05!.records = encoded!.ef05.map((r) => toHex(r));
  ef06!.records = encoded!.ef06.map((r) => toHex(r));
  // the encoded records fit the EFs the profile gives them
  const fit = (
    [
      [ef05!, EF05_FIELDS],
      [ef06!, EF06_FIELDS],
    ] as const
  ).flatMap(([ef, fields]) => {
    const keys = fields.filter((f) => f.versions.includes(data.specVersion)).map((f) => f.key);
    return recordProblems(ef, '/basicData', `EF ${ef.fid ?? `SFI ${ef.sfi}`}`, (j) => `/basicData/${keys[j]}`);
  });
  if (fit.length) throw new DataError(file, fit);
  return profile;
}

/** Absolute path of the profile's key set. */
export function keysetPath(profile: Profile, profileFile: string): string {
  return resolve(dirname(profileFile), profile.keyset);
}
