/**
 * The lab's simulated PSAM: a card of its own, built like every simulated
 * card — blank from the "factory" (MF with the PSAM's card master key), then
 * personalised through its own commands by the script generated from its
 * profile (profiles/psam.json), with the key set derived from the card key
 * set (psam/keyset.ts). Its application answers the PSAM commands of
 * sim/apps/psam.ts.
 */
import { DataError } from '../data/json.ts';
import type { Profile } from '../profile/profile.ts';
import type { Keyset } from '../perso/keyset.ts';
import { personalise } from '../perso/personaliser.ts';
import { generateScript } from '../perso/script.ts';
import { buildBlankCard } from '../sim/build.ts';
import type { SimulatedCard } from '../sim/card.ts';
import { SimulatorChannel } from '../sim/channel.ts';
import { PSAM_ENV, psamKeyset } from './keyset.ts';

/**
 * A personalised PSAM from a PSAM profile and the card key set whose
 * social-security master keys it holds; reset, its MF selected. Throws
 * {@link DataError} when the profile has no PSAM environment or the key set
 * no PSAM keys.
 */
export async function buildPsam(profile: Profile, cardKeyset: Keyset): Promise<SimulatedCard> {
  const envs = profile.fileSystem.children.flatMap((c, i) => (c.kind === 'DF' ? [{ env: c.environment, i }] : []));
  if (!envs.some((e) => e.env === PSAM_ENV)) throw new DataError(profile.id, [`/fileSystem/children: a PSAM profile needs a DF with "environment": "${PSAM_ENV}"`]);
  const other = envs.find((e) => e.env !== PSAM_ENV);
  if (other) throw new DataError(profile.id, [`/fileSystem/children/${other.i}: a PSAM holds only the ${PSAM_ENV} environment`]);
  const keyset = psamKeyset(cardKeyset);
  const card = buildBlankCard(profile, keyset);
  await personalise(new SimulatorChannel(card, `PSAM ${profile.id} personalisation`), generateScript(profile, keyset), keyset);
  card.reset();
  return card;
}
