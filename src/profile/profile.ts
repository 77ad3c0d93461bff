/**
 * Card profiles: what a card under test should contain (ATR, file system and
 * data) and how its COS behaves where real implementations differ. Profiles
 * are data (`profiles/*.json`, schema `schemas/profile.schema.json`).
 */
import { dirname, join, resolve } from 'node:path';
import { loadJson, PROJECT_ROOT } from '../data/json.ts';
import type { CosBehaviour } from '../sim/card.ts';
import type { DefectId } from '../sim/defects.ts';

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
  /** Source of the social-security diversification factors (default: the card identification code). */
  diversificationFactors?: 'card-identification-code' | 'atr-historical-bytes';
  fileSystem: { fci?: string; name?: string; nameHex?: string; children: NodeJson[] };
  /** Options of the built-in simulator only; a real card ignores them. */
  simulator?: { defects?: DefectId[] };
}

export const DEFAULT_PROFILE = join(PROJECT_ROOT, 'profiles', 'default.json');

/** Loads and validates a profile; throws DataError naming the file and JSON path. */
export function loadProfile(file: string = DEFAULT_PROFILE): Profile {
  return loadJson<Profile>(file, 'profile');
}

/** Absolute path of the profile's key set. */
export function keysetPath(profile: Profile, profileFile: string): string {
  return resolve(dirname(profileFile), profile.keyset);
}
