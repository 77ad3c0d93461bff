/**
 * The one place where simulated cards are made. A card leaves the "factory"
 * blank (`sim/build.ts`: an MF with the card master key, the ATR, the COS
 * behaviour and any deliberate defects of the profile); everything else is
 * put on it through its own commands by the personalisation script generated
 * from its profile (`perso/`). The lab's PSAM is made the same way, from a
 * PSAM profile (profiles/psam.json) and the key set derived from the card
 * key set (`psam/keyset.ts`); its application answers the PSAM commands of
 * `sim/apps/psam.ts`.
 *
 * A run personalises one sample per profile and gives each scenario a clone
 * of it ({@link CardFactory}), as a batch of cards personalised alike.
 */
import { DataError } from '../core/json.ts';
import type { Profile } from '../model/profile.ts';
import type { Keyset } from '../model/keyset.ts';
import { personalise } from '../perso/personaliser.ts';
import { generateScript } from '../perso/script.ts';
import { buildBlankCard } from '../sim/build.ts';
import type { SimulatedCard } from '../sim/card.ts';
import { SimulatorChannel } from '../sim/channel.ts';
import { PSAM_ENV, psamKeyset } from '../psam/keyset.ts';

export { buildBlankCard };

/**
 * A blank card of the profile personalised through its own commands by the
 * profile's script; reset. `file` names the profile in the script's messages.
 */
export async function personalisedCard(
  profile: Profile,
  keyset: Keyset,
  file = profile.id,
  description = `${profile.id} personalisation`,
): Promise<SimulatedCard> {
  const card = buildBlankCard(profile, keyset);
  await personalise(new SimulatorChannel(card, description), generateScript(profile, keyset, file), keyset);
  card.reset();
  return card;
}

/**
 * Cards of one profile and key set for a whole run: the profile is
 * personalised once, each request gets a clone of that sample (or a new blank
 * card), so that no scenario sees another's changes.
 */
export class CardFactory {
  private template?: Promise<SimulatedCard>;

  constructor(
    readonly profile: Profile,
    readonly keyset: Keyset,
    private readonly file: string = profile.id,
  ) {}

  blank(): SimulatedCard {
    return buildBlankCard(this.profile, this.keyset);
  }

  async personalised(): Promise<SimulatedCard> {
    this.template ??= personalisedCard(this.profile, this.keyset, this.file);
    return (await this.template).clone();
  }
}

/**
 * A personalised PSAM from a PSAM profile and the card key set whose
 * social-security master keys it holds; reset, its MF selected. Throws
 * {@link DataError} when the profile has no PSAM environment or the key set
 * no PSAM keys.
 */
export async function buildPsam(profile: Profile, cardKeyset: Keyset): Promise<SimulatedCard> {
  const envs = profile.fileSystem.children.flatMap((c, i) => (c.kind === 'DF' ? [{ env: c.environment, i }] : []));
  if (!envs.some((e) => e.env === PSAM_ENV))
    throw new DataError(profile.id, [`/fileSystem/children: a PSAM profile needs a DF with "environment": "${PSAM_ENV}"`]);
  const other = envs.find((e) => e.env !== PSAM_ENV);
  if (other) throw new DataError(profile.id, [`/fileSystem/children/${other.i}: a PSAM holds only the ${PSAM_ENV} environment`]);
  return personalisedCard(profile, psamKeyset(cardKeyset), profile.id, `PSAM ${profile.id} personalisation`);
}
