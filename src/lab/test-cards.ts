/**
 * The lab's test-card set (cards/test-cards.json, schema
 * schemas/test-cards.schema.json): good cards and deliberately defective
 * ones for terminal testing. Each card is a profile, optional simulator
 * defects, and a state reached after personalisation through the card's own
 * commands (a blocked application, a blocked PIN), as a lab prepares its
 * physical test cards.
 */
import { dirname, join, resolve } from 'node:path';
import { fromHex } from '../core/bytes.ts';
import { swHex } from '../core/sw.ts';
import { DataError, PROJECT_ROOT, loadJson } from '../core/json.ts';
import { keysetPath, loadProfile, unknownDefects } from './profile.ts';
import type { Profile } from '../model/profile.ts';
import { ProfileView } from '../conformance/profile-view.ts';
import { loadKeyset } from '../model/keyset.ts';
import type { DefectId } from '../model/defects.ts';
import type { CardExpectation } from '../model/test-card.ts';
import { personalisedCard } from './cards.ts';
import type { SimulatedCard } from '../sim/card.ts';
import { SimulatorChannel } from '../sim/channel.ts';
import { CardManager } from '../conformance/management.ts';
import { PbocOperations } from '../conformance/pboc.ts';
import { CardSession } from '../channel/session.ts';
import { SsseOperations } from '../conformance/ssse.ts';

export type CardStateOp =
  | 'ssse-application-blocked'
  | 'ssse-card-blocked'
  | 'ssse-pin-blocked'
  | 'pse-application-blocked'
  | 'pse-pin-blocked';

export interface TestCardJson {
  id: string;
  profile: string;
  description: string;
  defects?: DefectId[];
  state?: CardStateOp[];
  slowMs?: number;
  /** The card's data sheet: what a conforming terminal decides for each application. */
  expect: CardExpectation;
}

export interface TestCardSet {
  file: string;
  description: string;
  cards: TestCardJson[];
}

export const TEST_CARDS_FILE = join(PROJECT_ROOT, 'cards', 'test-cards.json');

export function loadTestCards(file: string = TEST_CARDS_FILE): TestCardSet {
  const json = loadJson<{ description: string; cards: TestCardJson[] }>(file, 'test-cards');
  const ids = new Set<string>();
  json.cards.forEach((c, i) => {
    const unknown = unknownDefects(c.defects ?? [], `/cards/${i}/defects`);
    if (unknown.length) throw new DataError(file, unknown);
    if (ids.has(c.id)) throw new DataError(file, [`/cards/${i}/id: "${c.id}" appears twice`]);
    ids.add(c.id);
  });
  return { file: resolve(file), ...json };
}

export function testCard(set: TestCardSet, id: string): TestCardJson {
  const card = set.cards.find((c) => c.id === id);
  if (!card) throw new DataError(set.file, [`no test card "${id}" (${set.cards.map((c) => c.id).join(', ')})`]);
  return card;
}

/** The profile of a test card, with its defects. */
export function testCardProfile(set: TestCardSet, card: TestCardJson): { profile: Profile; profileFile: string } {
  const profileFile = resolve(dirname(set.file), card.profile);
  const profile = loadProfile(profileFile);
  if (card.defects?.length)
    profile.simulator = { ...profile.simulator, defects: [...new Set([...(profile.simulator?.defects ?? []), ...card.defects])] };
  return { profile, profileFile };
}

/** Builds the test card: personalised, then brought into its state through its own commands. */
export async function buildTestCard(set: TestCardSet, card: TestCardJson): Promise<SimulatedCard> {
  const { profile, profileFile } = testCardProfile(set, card);
  const keyset = loadKeyset(keysetPath(profile, profileFile));
  const sim = await personalisedCard(profile, keyset);
  if (!card.state?.length) return sim;
  const session = new CardSession(new SimulatorChannel(sim, `test card ${card.id}`));
  const view = new ProfileView(profile);
  const manager = new CardManager(session, keyset, view);
  const must = (what: string, sw: number) => {
    if (sw !== 0x9000 && (sw & 0xfff0) !== 0x63c0) throw new Error(`test card ${card.id}: ${what} answered ${swHex(sw)}`);
  };
  for (const op of card.state) {
    await session.reset(true);
    switch (op) {
      case 'ssse-application-blocked':
      case 'ssse-card-blocked': {
        await manager.selectEnvironment('SSSE');
        must(op, (await new SsseOperations(manager).block(op === 'ssse-card-blocked' ? 'card' : 'application')).sw);
        break;
      }
      case 'ssse-pin-blocked':
      case 'pse-pin-blocked': {
        const env = op === 'ssse-pin-blocked' ? 'SSSE' : 'PSE';
        await manager.selectEnvironment(env);
        const pin = keyset.pins(env)[0]!;
        for (let i = 0; i < pin.tries; i++) must(op, (await manager.verifyPin(env, { wrong: true })).sw);
        break;
      }
      case 'pse-application-blocked': {
        const adf = view.pbocAdf();
        const pboc = new PbocOperations(session, keyset, adf.pboc, fromHex(adf.fci));
        await pboc.onlineTransaction();
        must(op, (await pboc.script('application block')).sw);
        break;
      }
    }
  }
  sim.reset();
  return sim;
}
