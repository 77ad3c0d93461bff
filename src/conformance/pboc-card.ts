/**
 * A debit application personalised in a state a scenario cannot reach in a
 * reasonable number of transactions — an ATC near its limit (JR/T 0025.5
 * application transaction counter; EMV 4.3 Book 3 Annex A 9F36): the
 * profile's own personalisation script, run on a blank card, with some card
 * data objects (DGI 9200, the profile's PBOC `cardData`) set otherwise.
 * Everything else is the card of the profile.
 */
import type { CardChannel } from '../channel/channel.ts';
import type { Keyset } from '../model/keyset.ts';
import type { NodeJson, Profile } from '../model/profile.ts';
import { type PersoResult, personalise } from '../perso/personaliser.ts';
import { generateScript } from '../perso/script.ts';

/** The profile with the card data objects of its PBOC application overridden by `cardData` (tag hex → value hex). */
export function withPbocCardData(profile: Profile, cardData: Record<string, string>): Profile {
  const copy = structuredClone(profile);
  let found = false;
  const visit = (children: NodeJson[]): void => {
    for (const c of children) {
      if (c.kind !== 'DF') continue;
      if (c.pboc) {
        c.pboc.cardData = { ...c.pboc.cardData, ...cardData };
        found = true;
      }
      visit(c.children ?? []);
    }
  };
  visit(copy.fileSystem.children);
  if (!found) throw new Error(`profile ${profile.id} has no PBOC application`);
  return copy;
}

/** Personalises the blank card on `channel` as the profile says, with the PBOC card data objects `cardData` set otherwise. */
export async function personaliseWithPbocCardData(
  channel: CardChannel,
  profile: Profile,
  keyset: Keyset,
  cardData: Record<string, string>,
): Promise<PersoResult> {
  return personalise(channel, generateScript(withPbocCardData(profile, cardData), keyset), keyset);
}
