/**
 * The key set of the lab's simulated PSAM, derived from a card key set
 * (`psam` section and the SSSE keys marked with `psam`). The PSAM is a card of
 * its own: its card master key is `psam.cardMaster`; its one environment,
 * "PSAM" (the application DF D1 56 00 00 05 90), holds `psam.master` as
 * environment master key and, as application keys, the social-security master
 * keys — undiversified, each under its PSAM index and with its PSAM key-usage
 * byte as key type (low 5 bits type, high 3 bits number of diversification
 * levels; docs/ssse.md §7, *observed*). Nothing of the PSE, nor the SSSE
 * environment master key, is in it: the PSAM serves only the social-security
 * application.
 *
 * The generic personalisation machinery (perso/script.ts, personaliser.ts)
 * runs unchanged on this key set: `key()` and `keys()` return the usage byte
 * as the numeric key type, which WRITE KEY stores on the PSAM.
 */
import { fromHex } from '../core/bytes.ts';
import { DataError } from '../core/json.ts';
import { type AppKeyJson, type Key, type KeysetJson, Keyset } from '../model/keyset.ts';
import { KEY_TYPE } from '../model/keys.ts';

/** Environment name of the PSAM application (profile `environment`, key references). */
export const PSAM_ENV = 'PSAM';

/** Environment of the card key set whose keys the PSAM holds. */
const SOURCE_ENV = 'SSSE';

/** Number of diversification levels of a key-usage byte (its high 3 bits). */
export function usageLevels(usage: number): number {
  return (usage >> 5) & 0x07;
}

/** Key type of a key-usage byte (its low 5 bits). */
export function usageType(usage: number): number {
  return usage & 0x1f;
}

/** The key set a PSAM is personalised with. `cardKeyset` is the card key set it was derived from. */
export class PsamKeyset extends Keyset {
  constructor(readonly cardKeyset: Keyset) {
    super(derive(cardKeyset), cardKeyset.file);
  }

  override key(env: string, id: number): Key {
    if (env !== PSAM_ENV || id === this.environment(PSAM_ENV).master.id) return super.key(env, id);
    const k = this.environment(PSAM_ENV).keys.find((x) => x.id === id);
    if (!k) throw new DataError(this.file, [`/psam: the PSAM holds no key with index ${id}`]);
    return psamKey(k);
  }

  override keys(env: string): Key[] {
    return env === PSAM_ENV ? this.environment(PSAM_ENV).keys.map(psamKey) : super.keys(env);
  }
}

/**
 * The PSAM's key set from a card key set. Throws {@link DataError} when the key
 * set has no `psam` section, when two SSSE keys share a PSAM index, or when a
 * key's index or usage would clash with the PSAM's own master key (index = its
 * id, usage 00) or with a PIN (usage 0B).
 */
export function psamKeyset(cardKeyset: Keyset): PsamKeyset {
  return new PsamKeyset(cardKeyset);
}

function psamKey(k: AppKeyJson): Key {
  const usage = k.psam!.usage;
  return {
    env: PSAM_ENV,
    id: k.id,
    type: usage,
    alg: k.alg,
    version: k.version,
    value: fromHex(k.value),
    tries: k.tries,
    label: k.label ?? `key ${k.id}`,
    psam: { ...k.psam! },
  };
}

function derive(card: Keyset): KeysetJson {
  const file = card.file;
  const p = card.json.psam;
  if (!p) throw new DataError(file, ['/psam: the key set has no PSAM keys (no "psam" section)']);
  const source = card.json.environments[SOURCE_ENV];
  if (!source) throw new DataError(file, [`/environments: no environment "${SOURCE_ENV}", whose keys the PSAM holds`]);
  const problems: string[] = [];
  const byIndex = new Map<number, number>();
  const keys: AppKeyJson[] = [];
  source.keys.forEach((k, i) => {
    if (!k.psam) return;
    const where = `/environments/${SOURCE_ENV}/keys/${i}/psam`;
    const { usage, index } = k.psam;
    const other = byIndex.get(index);
    if (other !== undefined) problems.push(`${where}/index: PSAM index ${index} is also the index of SSSE key ${other}`);
    else byIndex.set(index, k.id);
    if (index === p.master.id) problems.push(`${where}/index: PSAM index ${index} is the id of the PSAM master key`);
    if (usage === KEY_TYPE.MASTER) problems.push(`${where}/usage: usage 00 is the PSAM master key's type`);
    if (usage === KEY_TYPE.PIN) problems.push(`${where}/usage: usage 0B is the type of a PIN`);
    keys.push({
      id: index,
      type: k.type,
      label: `PSAM: ${k.label ?? `${SOURCE_ENV} key ${k.id}`}`,
      alg: k.alg,
      version: k.version,
      value: k.value,
      tries: k.tries,
      psam: { usage, index },
    });
  });
  if (problems.length) throw new DataError(file, problems);
  return {
    id: `${card.json.id}.psam`,
    description: `PSAM keys derived from key set ${card.json.id}: its psam section and the ${SOURCE_ENV} master keys marked with psam`,
    cardMaster: { ...p.cardMaster },
    environments: { [PSAM_ENV]: { master: { ...p.master }, keys, pins: [] } },
  };
}
