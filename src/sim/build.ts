/**
 * Makes simulated cards from a profile. A card leaves the "factory" blank:
 * an MF holding only the card master key, with the ATR, COS behaviour and
 * any deliberate defects of the profile. Everything else — environments,
 * keys, PINs, files and data — is put on it by personalisation through its
 * own commands (perso/); `lab/cards.ts` is where the two meet.
 */
import { fromHex } from '../core/bytes.ts';
import { buildAtr } from '../core/atr.ts';
import { parseSw } from '../core/sw.ts';
import type { Profile } from '../model/profile.ts';
import type { Keyset } from '../model/keyset.ts';
import type { CosBehaviour } from '../model/behaviour.ts';
import { SimulatedCard } from './card.ts';
import type { CommandTable } from './context.ts';
import { COS_COMMANDS } from './commands/index.ts';
import { applyDefects } from './defects.ts';
import { APPLICATION_COMMANDS } from './apps/index.ts';
import { KEY_TYPE } from '../model/keys.ts';
import { LCS, MF_FID, createDf } from './fs.ts';
import { Nvm } from './nvm.ts';

export function behaviourOf(profile: Profile): Partial<CosBehaviour> {
  const { getResponseNothingPending, ...rest } = profile.behaviour ?? {};
  return getResponseNothingPending ? { ...rest, getResponseNothingPending: parseSw(getResponseNothingPending) } : rest;
}

function nameOf(n: { name?: string; nameHex?: string }): { name?: Uint8Array } {
  if (n.nameHex) return { name: fromHex(n.nameHex) };
  if (n.name) return { name: new TextEncoder().encode(n.name) };
  return {};
}

/** A blank card: MF with the card master key of the key set, nothing else. */
export function buildBlankCard(profile: Profile, keyset: Keyset, options: { commands?: CommandTable } = {}): SimulatedCard {
  const protocols = profile.atr.protocols;
  const defects = profile.simulator?.defects ?? [];
  const composition = applyDefects(
    {
      commands: new Map(options.commands ?? COS_COMMANDS),
      applicationCommands: Object.fromEntries(Object.entries(APPLICATION_COMMANDS).map(([env, t]) => [env, new Map(t)])),
      atr: buildAtr(protocols, fromHex(profile.atr.historical), profile.atr.ta1 ? parseInt(profile.atr.ta1, 16) : undefined),
      responseFilters: [],
      atomicNvm: true,
      tryCounter: 'decrement-first',
    },
    defects,
  );
  const mf = createDf({
    fid: MF_FID,
    ...nameOf(profile.fileSystem),
    ...(profile.fileSystem.fci ? { fci: fromHex(profile.fileSystem.fci) } : {}),
    lcs: LCS.INITIALISATION,
  });
  const cmk = keyset.cardMaster;
  mf.keys.set(cmk.id, {
    id: cmk.id,
    type: KEY_TYPE.MASTER,
    alg: cmk.alg,
    version: cmk.version,
    value: cmk.value.slice(),
    tries: cmk.tries,
    maxTries: cmk.tries,
  });
  const applications = profile.fileSystem.children.flatMap((c) => {
    if (c.kind !== 'DF' || !c.environment) return [];
    const commands = composition.applicationCommands[c.environment];
    const dfName = nameOf(c).name;
    return commands && dfName ? [{ name: c.environment, dfName, commands }] : [];
  });
  return new SimulatedCard({
    atr: composition.atr,
    protocol: protocols[0]!,
    mf,
    commands: composition.commands,
    applications,
    behaviour: behaviourOf(profile),
    responseFilters: composition.responseFilters,
    nvm: new Nvm(composition.atomicNvm),
    tryCounter: composition.tryCounter,
  });
}
