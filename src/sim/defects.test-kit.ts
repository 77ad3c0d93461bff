/**
 * The set-up the hold-out defect tests share (defects-holdout*.test.ts):
 * personalised cards of the default and the SM4 profile, cached and cloned,
 * with or without defects; T=0 exchanges; the card's files and keys as the
 * issuer or terminal would compute with them. Test code only.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type Bytes, fromHex, toHex } from '../core/bytes.ts';
import { PROJECT_ROOT } from '../core/json.ts';
import { findTag, parseTlv } from '../core/tlv.ts';
import { GET_CHALLENGE } from '../cos/commands.ts';
import { securedCommand } from '../cos/formats.ts';
import { personalisedCard } from '../lab/cards.ts';
import { keysetPath, loadProfile } from '../lab/profile.ts';
import type { DefectId } from '../model/defects.ts';
import { loadKeyset } from '../model/keyset.ts';
import { type PbocCardData, symmetric } from './apps/pboc-data.ts';
import type { SimulatedCard } from './card.ts';
import { type DedicatedFile, type ElementaryFile, type KeyObject, childByFid } from './fs.ts';
import { exchangeT0 } from './t0-exchange.ts';

export type Suite = 'des' | 'sm';
export const PROFILES: Record<Suite, string> = {
  des: join(PROJECT_ROOT, 'profiles', 'default.json'),
  sm: join(PROJECT_ROOT, 'profiles', 'ssc-3.0-sm4.json'),
};
const cache = new Map<string, SimulatedCard>();

/** A fresh personalised card of the profile with the defects (none: the clean card). */
export async function card(defects: readonly DefectId[] = [], suite: Suite = 'des'): Promise<SimulatedCard> {
  const key = `${suite}:${defects.join(',')}`;
  let c = cache.get(key);
  if (!c) {
    const profile = loadProfile(PROFILES[suite]);
    c = await personalisedCard({ ...profile, simulator: { defects: [...defects] } }, loadKeyset(keysetPath(profile, PROFILES[suite])));
    cache.set(key, c);
  }
  return c.clone();
}

/** The card with the defect first, then the clean card: `run` gives what each one shows. */
export async function compare<T>(id: DefectId, run: (c: SimulatedCard) => T, suite: Suite = 'des'): Promise<{ bad: T; clean: T }> {
  return { bad: run(await card([id], suite)), clean: run(await card([], suite)) };
}

export interface Answer {
  data: Bytes;
  sw: string;
}

/** One command as a T=0 terminal sends it (6Cxx re-issued, 61xx fetched). */
export function send(c: SimulatedCard, apdu: Bytes | string): Answer {
  const r = exchangeT0(c, apdu);
  return { data: r.slice(0, -2), sw: toHex(r.slice(-2)) };
}

export const sw = (c: SimulatedCard, apdu: Bytes | string): string => send(c, apdu).sw;

export function ok(c: SimulatedCard, apdu: Bytes | string, what: string): Bytes {
  const a = send(c, apdu);
  assert.equal(a.sw, '9000', `${what} → ${a.sw}`);
  return a.data;
}

export const SELECT_MF = '00A4000C023F00';
export const SELECT_SSSE = '00A4000C02DDF1';
export const SELECT_PSE = '00A4000C02DDF2';
export const SELECT_ADF = '00A4040008A000000333010101';
export const EMPTY = new Uint8Array(0);

export function df(parent: DedicatedFile, fid: number): DedicatedFile {
  const n = childByFid(parent, fid);
  assert.ok(n && n.kind === 'DF');
  return n;
}

export function ef(parent: DedicatedFile, fid: number): ElementaryFile {
  const n = childByFid(parent, fid);
  assert.ok(n && n.kind === 'EF');
  return n;
}

export const ssse = (c: SimulatedCard) => df(c.mf, 0xddf1);
export const pse = (c: SimulatedCard) => df(c.mf, 0xddf2);
export const adf = (c: SimulatedCard) => df(pse(c), 0xadf1) as DedicatedFile & { pboc: PbocCardData };
export const keyOfType = (env: DedicatedFile, type: number): KeyObject => [...env.keys.values()].find((k) => k.type === type)!;
export const sym = (c: SimulatedCard) => symmetric(adf(c).pboc.objects.DF69?.[0] === 0x01 ? 'sm' : 'des-rsa');
export const tag = (data: Bytes, t: number): Bytes | undefined => findTag(parseTlv(data), t)?.value;
export const challenge = (c: SimulatedCard): Bytes => ok(c, GET_CHALLENGE, 'GET CHALLENGE');

/** A command of the current environment MAC'd with `key` over a fresh challenge. */
export function secured(c: SimulatedCard, key: KeyObject, header: string, data: Bytes = EMPTY): Bytes {
  return securedCommand(key.alg, key.value, challenge(c), fromHex(header), data);
}
