/**
 * Composition root for card transports: the only module that knows which
 * implementations of the channel interface exist. Everything else receives a
 * CardChannel.
 */
import type { CardChannel } from '../channel/channel.ts';
import type { Profile } from '../profile/profile.ts';
import { buildCard } from '../sim/build.ts';
import { SimulatorChannel } from '../sim/channel.ts';

export const TARGETS = ['sim'] as const;
export type TargetKind = (typeof TARGETS)[number];

export interface TargetConfig {
  target: TargetKind;
  profile: Profile;
  /** Where the profile came from, for messages. */
  profileFile: string;
}

export function isTarget(name: string): name is TargetKind {
  return (TARGETS as readonly string[]).includes(name);
}

export async function openTarget(config: TargetConfig): Promise<CardChannel> {
  switch (config.target) {
    case 'sim': {
      const card = buildCard(config.profile, { file: config.profileFile });
      return new SimulatorChannel(card, `ssc-lab simulator (profile ${config.profile.id})`);
    }
  }
}

/**
 * Capabilities a scenario can require with `@needs:<capability>`; the run
 * reports a scenario whose needs the target lacks as not applicable (skipped).
 */
export const KNOWN_CAPABILITIES = ['t0', 't1', 'simulator'] as const;

export function capabilitiesOf(config: TargetConfig, channel: CardChannel): string[] {
  const caps: string[] = [channel.protocol === 'T=0' ? 't0' : 't1'];
  if (config.target === 'sim') caps.push('simulator');
  return caps;
}
