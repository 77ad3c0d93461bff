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
