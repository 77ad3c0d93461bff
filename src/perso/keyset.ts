/**
 * Key sets (`keysets/*.json`, schema `schemas/keyset.schema.json`): the keys
 * and PINs that personalise a card. The card master key is the one key a
 * blank card holds; each environment has its master key, application keys
 * and PINs.
 */
import { fromHex } from '../core/bytes.ts';
import type { BlockAlg } from '../crypto/block.ts';
import { DataError, loadJson } from '../data/json.ts';
import { KEY_TYPE } from '../sim/fs.ts';

export interface KeyJson {
  id: number;
  label?: string;
  alg: BlockAlg;
  version: number;
  value: string;
  tries: number;
}

export type AppKeyType = 'external-auth' | 'internal-auth' | 'pin-unblock' | 'pin-reload' | 'maintenance' | 'read' | 'card-block' | 'application';

export interface AppKeyJson extends KeyJson {
  type: AppKeyType;
}

export interface PinJson {
  id: number;
  label?: string;
  value: string;
  tries: number;
}

export interface EnvironmentKeys {
  master: KeyJson;
  keys: AppKeyJson[];
  pins: PinJson[];
}

export interface KeysetJson {
  id: string;
  description: string;
  cardMaster: KeyJson;
  environments: Record<string, EnvironmentKeys>;
}

export const KEY_TYPE_CODE: Record<AppKeyType | 'master', number> = {
  master: KEY_TYPE.MASTER,
  'external-auth': KEY_TYPE.EXTERNAL_AUTH,
  'internal-auth': KEY_TYPE.INTERNAL_AUTH,
  'pin-unblock': KEY_TYPE.PIN_UNBLOCK,
  'pin-reload': KEY_TYPE.PIN_RELOAD,
  maintenance: KEY_TYPE.MAINTENANCE,
  read: KEY_TYPE.READ,
  'card-block': KEY_TYPE.CARD_BLOCK,
  application: KEY_TYPE.APPLICATION,
};

/** A key as the personaliser uses it. */
export interface Key {
  env: string;
  id: number;
  type: number;
  alg: BlockAlg;
  version: number;
  value: Uint8Array;
  tries: number;
  label: string;
}

/** Environment name of the MF in key references. */
export const CARD = 'MF';

export class Keyset {
  constructor(
    readonly json: KeysetJson,
    readonly file: string,
  ) {}

  get id(): string {
    return this.json.id;
  }

  get cardMaster(): Key {
    return toKey(CARD, KEY_TYPE.MASTER, this.json.cardMaster);
  }

  environment(env: string): EnvironmentKeys {
    const e = this.json.environments[env];
    if (!e) throw new DataError(this.file, [`/environments: no environment "${env}"`]);
    return e;
  }

  master(env: string): Key {
    return env === CARD ? this.cardMaster : toKey(env, KEY_TYPE.MASTER, this.environment(env).master);
  }

  /** Any key of an environment ("MF" for the card master key) by id. */
  key(env: string, id: number): Key {
    if (env === CARD) {
      if (id !== this.json.cardMaster.id) throw new DataError(this.file, [`/cardMaster: no key ${id} in the MF`]);
      return this.cardMaster;
    }
    const e = this.environment(env);
    if (e.master.id === id) return this.master(env);
    const k = e.keys.find((x) => x.id === id);
    if (!k) throw new DataError(this.file, [`/environments/${env}/keys: no key ${id}`]);
    return toKey(env, KEY_TYPE_CODE[k.type], k);
  }

  keys(env: string): Key[] {
    return this.environment(env).keys.map((k) => toKey(env, KEY_TYPE_CODE[k.type], k));
  }

  pins(env: string): PinJson[] {
    return this.environment(env).pins;
  }
}

function toKey(env: string, type: number, k: KeyJson): Key {
  return { env, id: k.id, type, alg: k.alg, version: k.version, value: fromHex(k.value), tries: k.tries, label: k.label ?? `key ${k.id}` };
}

export function loadKeyset(file: string): Keyset {
  const json = loadJson<KeysetJson>(file, 'keyset');
  const problems: string[] = [];
  for (const [env, e] of Object.entries(json.environments)) {
    const ids = [e.master.id, ...e.keys.map((k) => k.id)];
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup !== undefined) problems.push(`/environments/${env}/keys: key id ${dup} is used twice`);
    const pins = e.pins.map((p) => p.id);
    const dupPin = pins.find((id, i) => pins.indexOf(id) !== i);
    if (dupPin !== undefined) problems.push(`/environments/${env}/pins: PIN id ${dupPin} is used twice`);
  }
  if (problems.length) throw new DataError(file, problems);
  return new Keyset(json, file);
}
