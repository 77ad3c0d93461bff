/**
 * The cards the fuzzer works on: every profile in profiles/ (card profiles
 * personalised through their own commands, PSAM profiles as the lab's PSAM of
 * their card key set) and every card of the test-card set, each built once
 * through lab/ and cloned for every episode. A card with a deliberate
 * defect is excused from the invariants that defect breaks on purpose.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bytes } from '../core/bytes.ts';
import { PROJECT_ROOT } from '../core/json.ts';
import { buildPsam, personalisedCard } from '../lab/cards.ts';
import { keysetPath, loadProfile } from '../lab/profile.ts';
import { type TestCardSet, buildTestCard, loadTestCards, testCardProfile } from '../lab/test-cards.ts';
import type { DefectId } from '../model/defects.ts';
import { type Keyset, loadKeyset } from '../model/keyset.ts';
import type { Profile } from '../model/profile.ts';
import { PSAM_ENV, psamKeyset } from '../psam/keyset.ts';
import type { SimulatedCard } from '../sim/card.ts';
import type { InvariantName } from './invariants.ts';
import { type SecretIndex, publicData, secretsOf } from './secrets.ts';
import { type Knowledge, knowledgeOf } from './knowledge.ts';

export interface Target {
  /** `profile:<file>` or `card:<test card id>`. */
  id: string;
  template: SimulatedCard;
  know: Knowledge;
  /** The key sets whose keys and PINs must never leak. */
  keysets: Keyset[];
  /** What the card gives out by design (secrets found in it are not looked for). */
  publicData: Bytes[];
  /** The secrets of the card as built and of its key sets. */
  secrets: SecretIndex;
  /** Invariants the card's deliberate defects break on purpose. */
  excused: ReadonlySet<InvariantName>;
}

/** What each deliberate defect of a fuzzed card breaks by design. */
export const DEFECT_BREAKS: Partial<Record<DefectId, readonly InvariantName[]>> = {
  'firewall-keeps-security-state': ['firewall'],
};

function environments(profile: Profile): Record<number, string> {
  const out: Record<number, string> = {};
  for (const c of profile.fileSystem.children) {
    if (c.kind === 'DF' && c.environment && c.fid) out[parseInt(c.fid, 16)] = c.environment;
  }
  return out;
}

function excusedBy(defects: readonly DefectId[] | undefined): Set<InvariantName> {
  return new Set((defects ?? []).flatMap((d) => DEFECT_BREAKS[d] ?? []));
}

/** A target from a card built from `profile`: what the fuzzer knows of it, its secrets, what its defects excuse. */
export function makeTarget(id: string, card: SimulatedCard, profile: Profile, keysets: Keyset[]): Target {
  const open = publicData(card.mf);
  return {
    id,
    template: card,
    know: knowledgeOf(card, { ...environments(profile), 0x3f00: 'MF' }),
    keysets,
    publicData: open,
    secrets: secretsOf(keysets, card.mf, open),
    excused: excusedBy(profile.simulator?.defects),
  };
}

export const PROFILES_DIR = join(PROJECT_ROOT, 'profiles');

/** Every profile of the directory, personalised. */
export async function profileTargets(dir = PROFILES_DIR): Promise<Target[]> {
  const out: Target[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const file = join(dir, name);
    const profile = loadProfile(file);
    const keyset = loadKeyset(keysetPath(profile, file));
    const psam = profile.fileSystem.children.some((c) => c.kind === 'DF' && c.environment === PSAM_ENV);
    const card = psam ? await buildPsam(profile, keyset) : await personalisedCard(profile, keyset);
    out.push(makeTarget(`profile:${name}`, card, profile, psam ? [keyset, psamKeyset(keyset)] : [keyset]));
  }
  return out;
}

/** Every card of the test-card set, in its state. */
export async function testCardTargets(set: TestCardSet = loadTestCards()): Promise<Target[]> {
  const out: Target[] = [];
  for (const c of set.cards) {
    const { profile, profileFile } = testCardProfile(set, c);
    const keyset = loadKeyset(keysetPath(profile, profileFile));
    out.push(makeTarget(`card:${c.id}`, await buildTestCard(set, c), profile, [keyset]));
  }
  return out;
}

export async function allTargets(): Promise<Target[]> {
  return [...(await profileTargets()), ...(await testCardTargets())];
}
