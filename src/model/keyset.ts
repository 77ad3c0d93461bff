/**
 * Key sets (`keysets/*.json`, schema `schemas/keyset.schema.json`): the keys
 * and PINs that personalise a card. The card master key is the one key a
 * blank card holds; each environment has its master key, application keys
 * and PINs.
 */
import { type Bytes, fromHex } from '../core/bytes.ts';
import { diversify } from '../crypto/derive.ts';
import type { BlockAlg } from '../crypto/block.ts';
import { DataError, loadJson } from '../core/json.ts';
import { KEY_TYPE } from './keys.ts';

export interface KeyJson {
  id: number;
  label?: string;
  alg: BlockAlg;
  version: number;
  value: string;
  tries: number;
}

export type AppKeyType =
  | 'external-auth'
  | 'internal-auth'
  | 'pin-unblock'
  | 'pin-reload'
  | 'maintenance'
  | 'read'
  | 'card-block'
  | 'application';

export interface AppKeyJson extends KeyJson {
  type: AppKeyType;
  /** Where the PSAM holds this (master) key: key-usage byte and index. */
  psam?: { usage: number; index: number };
}

export type FactorName = 'card' | 'city';

export interface PinJson {
  id: number;
  label?: string;
  value: string;
  tries: number;
}

export interface EnvironmentKeys {
  /** Application keys are master keys; the card holds them diversified with these factors, in order. */
  diversification?: { factors: FactorName[] };
  master: KeyJson;
  keys: AppKeyJson[];
  pins: PinJson[];
}

export interface KeysetJson {
  id: string;
  description: string;
  cardMaster: KeyJson;
  psam?: { cardMaster: KeyJson; master: KeyJson };
  /** Issuer master keys of the PBOC debit application (held by the issuer host, never by the card). */
  pboc?: { mdkAc: KeyJson; mdkMac: KeyJson; mdkEnc: KeyJson };
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
  /** PSAM key-usage byte and index, for keys the PSAM holds as master keys. */
  psam?: { usage: number; index: number };
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

  /** The diversification factors (in order) of an environment's application keys; empty when they are used as they are. */
  factorNames(env: string): FactorName[] {
    return env === CARD ? [] : (this.environment(env).diversification?.factors ?? []);
  }

  /**
   * An application key as the card holds it: the key set's (master) key,
   * diversified with the given factor values in the environment's order.
   * Master keys of environments and the card master key are never diversified.
   */
  cardKey(env: string, id: number, factors: Partial<Record<FactorName, Bytes>>): Key {
    const key = this.key(env, id);
    const names = this.factorNames(env);
    if (names.length === 0 || key.type === KEY_TYPE.MASTER) return key;
    let value = key.value;
    for (const n of names) {
      const f = factors[n];
      if (!f) throw new Error(`the ${n} diversification factor of ${env} key ${id} is not known`);
      value = diversify(key.alg, value, f);
    }
    return { ...key, value };
  }

  /** The lab PSAM's own keys, when the key set has them. */
  get psam(): { cardMaster: Key; master: Key } | undefined {
    const p = this.json.psam;
    return p ? { cardMaster: toKey('PSAM', KEY_TYPE.MASTER, p.cardMaster), master: toKey('PSAM', KEY_TYPE.MASTER, p.master) } : undefined;
  }

  /** The issuer master keys of the PBOC debit application (MDK-AC, MDK-MAC, MDK-ENC). */
  pbocMasterKeys(): { ac: Key; mac: Key; enc: Key } {
    const p = this.json.pboc;
    if (!p) throw new DataError(this.file, ['/pboc: the key set has no PBOC issuer master keys']);
    return {
      ac: toKey('PBOC', KEY_TYPE.MASTER, p.mdkAc),
      mac: toKey('PBOC', KEY_TYPE.MASTER, p.mdkMac),
      enc: toKey('PBOC', KEY_TYPE.MASTER, p.mdkEnc),
    };
  }

  pins(env: string): PinJson[] {
    return this.environment(env).pins;
  }
}

function toKey(env: string, type: number, k: KeyJson | AppKeyJson): Key {
  const key: Key = {
    env,
    id: k.id,
    type,
    alg: k.alg,
    version: k.version,
    value: fromHex(k.value),
    tries: k.tries,
    label: k.label ?? `key ${k.id}`,
  };
  if ('psam' in k && k.psam) key.psam = k.psam;
  return key;
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
