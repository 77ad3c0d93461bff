/**
 * Composition root for card transports: the only module that knows which
 * implementations of the channel interface exist. Everything else receives a
 * CardChannel (and, for the simulator, an optional control handle for what
 * only a simulator can do: cut the power at a chosen write).
 */
import type { CardChannel } from '../channel/channel.ts';
import type { SimulatorControl } from '../channel/fixture.ts';

import { join, resolve } from 'node:path';
import type { NodeJson, Profile } from '../model/profile.ts';
import { DEFAULT_PROFILE, keysetPath, loadProfile, unknownDefects } from './profile.ts';
import { DataError, PROJECT_ROOT } from '../core/json.ts';
import type { DefectId } from '../model/defects.ts';
import { CardFactory, buildPsam } from './cards.ts';
import { type Keyset, loadKeyset } from '../model/keyset.ts';
import type { SimulatedCard } from '../sim/card.ts';
import { controlRequest } from '../vpcd/control.ts';
import { SimulatorChannel } from '../sim/channel.ts';
import type { ReaderInfo } from '../transport/pcsc.ts';

export const TARGETS = ['sim', 'pcsc'] as const;
export type TargetKind = (typeof TARGETS)[number];

/** The state a card sample is in when a scenario starts. */
export type CardState = 'personalised' | 'blank';

export interface TargetConfig {
  target: TargetKind;
  profile: Profile;
  /** Where the profile came from, for messages and to find its key set. */
  profileFile: string;
  /** PC/SC target: the reader's name, a part of it, or its index. */
  reader?: string;
  /** PC/SC target: the reader holding the terminal's PSAM; without it the PSAM is simulated in-process. */
  psamReader?: string;
  /**
   * PC/SC target: the fixture control of a simulated card served through
   * vpcd (`ssc-lab sim serve --control`): a new sample for each scenario,
   * blank cards and power cuts, so that @needs:simulator scenarios run.
   */
  simControl?: { host: string; port: number };
}

export function isTarget(name: string): name is TargetKind {
  return (TARGETS as readonly string[]).includes(name);
}

/** What names a target: the flags of a command, or the world parameters of a scenario. */
export interface TargetOptions {
  target: TargetKind;
  /** The profile's file; the default profile when absent. */
  profileFile?: string;
  reader?: string;
  psamReader?: string;
  simControl?: { host: string; port: number };
  /** Card defects (model/defects.ts) added to the profile's `simulator.defects`: the mutation campaign's defective card. */
  cardDefects?: readonly string[];
}

/**
 * The one way to a {@link TargetConfig}: the profile loaded from its file (a
 * copy of the one this process composed, see loadProfile) with any
 * `cardDefects` added, the options taken over. Options other than those of a
 * target are ignored.
 */
export function targetConfigOf(options: TargetOptions): TargetConfig {
  const profileFile = options.profileFile !== undefined ? resolve(options.profileFile) : DEFAULT_PROFILE;
  const profile = loadProfile(profileFile);
  if (options.cardDefects?.length) {
    const unknown = unknownDefects(options.cardDefects, 'cardDefects');
    if (unknown.length) throw new DataError('the world parameters', unknown);
    const defects = [...new Set([...(profile.simulator?.defects ?? []), ...options.cardDefects])] as DefectId[];
    profile.simulator = { ...profile.simulator, defects };
  }
  return {
    target: options.target,
    profile,
    profileFile,
    ...(options.reader !== undefined ? { reader: options.reader } : {}),
    ...(options.psamReader !== undefined ? { psamReader: options.psamReader } : {}),
    ...(options.simControl ? { simControl: options.simControl } : {}),
  };
}

export interface OpenedTarget {
  channel: CardChannel;
  keyset: Keyset;
  control?: SimulatorControl;
}

/** Set when a PC/SC open found no card: the next opens of this run wait only briefly. */
let pcscCardGone = false;
/** Set once a PC/SC open found a card in this run (this process). */
let pcscCardSeen = false;

/**
 * True when the card was in the reader earlier in this run and is not any
 * more: the scenarios from here on cannot test the sample (they are not run,
 * not failed).
 */
export function cardLeftTheReader(): boolean {
  return pcscCardSeen && pcscCardGone;
}

/** True once a card was found in the reader in this run: a transport failure after that is the card leaving. */
export function cardSeenInThisRun(): boolean {
  return pcscCardSeen;
}

/*
 * What a run loads or makes once and shares between its scenarios, per
 * process (a parallel run has one per worker): the key sets by file, and the
 * simulated cards and PSAMs of each profile and key set. Key sets are only
 * read; cards are handed out as clones of the run's sample.
 */
const keysets = new Map<string, Keyset>();
const factories = new Map<string, CardFactory>();
const psams = new Map<string, { id: string; card: Promise<SimulatedCard> }>();

/** The key set of the target's profile, read once per process. */
export function keysetOf(config: TargetConfig): Keyset {
  const file = keysetPath(config.profile, config.profileFile);
  let keyset = keysets.get(file);
  if (!keyset) {
    keyset = loadKeyset(file);
    keysets.set(file, keyset);
  }
  return keyset;
}

/** The simulated cards of the target's profile: personalised once, a clone per request. */
function cardFactoryOf(config: TargetConfig, keyset: Keyset): CardFactory {
  // a profile with defects (its own or added by the run) is another card: never served as the clean one
  const key = `${config.profileFile}\0${keyset.file}\0${(config.profile.simulator?.defects ?? []).join(',')}`;
  let factory = factories.get(key);
  if (!factory) {
    // the factory keeps a profile of its own: a scenario's copy may be changed by the scenario
    factory = new CardFactory(structuredClone(config.profile), keyset, config.profileFile);
    factories.set(key, factory);
  }
  return factory;
}

export async function openTarget(
  config: TargetConfig,
  state: CardState = 'personalised',
  options: {
    /**
     * A served card's new sample is powered up here (default), the reader possibly holding the last one powered;
     * false when the caller cold-resets it at once anyway (each scenario's set-up does: one reset, not two).
     */
    powerUp?: boolean;
  } = {},
): Promise<OpenedTarget> {
  const keyset = keysetOf(config);
  switch (config.target) {
    case 'pcsc': {
      const fixture = config.simControl;
      if (state === 'blank' && !fixture) throw new Error('a blank card is a simulator capability: the scenario needs @needs:simulator');
      // a simulated card behind PC/SC: the fixture puts a new sample in the reader before the card is opened
      if (fixture) await controlRequest(fixture, { op: 'new-sample', state });
      // the PC/SC code is loaded only for this target
      const { PcscChannel } = await import('../transport/pcsc.ts');
      // once the card has gone, later scenarios do not wait the full time for it to come back
      let channel;
      try {
        channel = await PcscChannel.open(config.reader, pcscCardGone ? 300 : 5000);
        pcscCardGone = false;
        pcscCardSeen = true;
      } catch (e) {
        pcscCardGone = true;
        throw e;
      }
      if (!fixture) return { channel, keyset };
      // power the new sample up: the reader may still hold the previous one powered
      if (options.powerUp !== false) await channel.reset(true);
      return {
        channel,
        keyset,
        control: {
          armTear: async (k, ins) => void (await controlRequest(fixture, { op: 'arm-tear', k, ...(ins !== undefined ? { ins } : {}) })),
        },
      };
    }
    case 'sim': {
      const factory = cardFactoryOf(config, keyset);
      const card = state === 'personalised' ? await factory.personalised() : factory.blank();
      const channel = new SimulatorChannel(card, `ssc-lab simulator (profile ${config.profile.id})`);
      return { channel, keyset, control: { armTear: async (k, ins) => card.armTear(k, ins) } };
    }
  }
}

/**
 * The PSAM profile a terminal uses with a card key set when the run names
 * none: the lab PSAM of the key set's social-security algorithm.
 */
export function defaultPsamProfile(keyset: Keyset): string {
  const alg = keyset.environment('SSSE').keys[0]?.alg ?? '3des';
  return join(PROJECT_ROOT, 'profiles', alg === 'sm4' ? 'psam-sm4.json' : 'psam.json');
}

/**
 * The terminal's PSAM for a target: on the simulator a simulated PSAM
 * personalised with the social-security master keys of the card's key set
 * (once per process; each call gets a clone).
 */
export async function openPsam(config: TargetConfig, keyset: Keyset, psamProfileFile?: string): Promise<CardChannel> {
  const file = psamProfileFile ?? defaultPsamProfile(keyset);
  switch (config.target) {
    // biome-ignore lint/suspicious/noFallthroughSwitchClause: without a PSAM reader the PC/SC target uses the simulated PSAM
    case 'pcsc':
      if (config.psamReader !== undefined) {
        const { PcscChannel } = await import('../transport/pcsc.ts');
        return PcscChannel.open(config.psamReader, 5000);
      }
    // the lab's PSAM is lab equipment: simulated in-process unless a PSAM reader is named
    case 'sim': {
      const key = `${resolve(file)}\0${keyset.file}`;
      let psam = psams.get(key);
      if (!psam) {
        const profile = loadProfile(file);
        psam = { id: profile.id, card: buildPsam(profile, keyset) };
        psams.set(key, psam);
      }
      return new SimulatorChannel((await psam.card).clone(), `ssc-lab simulated PSAM (profile ${psam.id})`);
    }
  }
}

/**
 * The PC/SC readers pcscd knows, with card presence and ATR, after
 * `settleMs`. Throws PcscUnavailable (an Error of that name) without the
 * binding or pcscd.
 */
export async function listPcscReaders(settleMs?: number): Promise<ReaderInfo[]> {
  // the PC/SC code is loaded only when a reader is asked for
  const { listReaders } = await import('../transport/pcsc.ts');
  return listReaders(settleMs);
}

/**
 * The PC/SC reader `select` names (see the transport's pickReader), and the
 * names of all readers for messages. Throws PcscUnavailable without the
 * binding or pcscd.
 */
export async function findPcscReader(
  select: string,
  settleMs = 300,
): Promise<{ reader?: { name: string; present: boolean }; names: string[] }> {
  const { pickReader } = await import('../transport/pcsc.ts');
  const readers = await listPcscReaders(settleMs);
  const reader = pickReader(readers, select);
  return { ...(reader ? { reader } : {}), names: readers.map((r) => r.name) };
}

/**
 * Closes the PC/SC context this process keeps between channels now (it
 * closes by itself shortly after the last channel is released): for a
 * command that has written its results and exits.
 */
export async function releasePcscContext(): Promise<void> {
  const { releasePcsc } = await import('../transport/pcsc.ts');
  await releasePcsc();
}

/**
 * Waits until the PC/SC reader `reader` shows a card (`present`) or no card;
 * false when that does not happen in `timeoutMs`.
 */
export async function waitForReader(reader: string, present: boolean, timeoutMs: number): Promise<boolean> {
  const { waitForCard } = await import('../transport/pcsc.ts');
  return waitForCard(reader, present, timeoutMs);
}

/**
 * Capabilities a scenario can require with `@needs:<capability>`; the run
 * reports a scenario whose needs the target lacks as not applicable (skipped).
 *   t0, t1      protocol in use
 *   simulator   a simulated card: in-process, or served through vpcd with fixture control
 *               (power cuts at chosen writes, blank cards)
 *   key-info    GET KEY INFO tells key versions and KCVs
 *   ssse-v1, ssse-v2, ssse-v3
 *               the card's social-security specification version (profile)
 *   ppse        the card has the contactless directory 2PAY.SYS.DDF01 (profile)
 *   sm-suite    the financial application uses the SM suite (profile)
 */
export const KNOWN_CAPABILITIES = ['t0', 't1', 'simulator', 'key-info', 'ssse-v1', 'ssse-v2', 'ssse-v3', 'ppse', 'sm-suite'] as const;

function hasSmSuite(children: readonly NodeJson[]): boolean {
  return children.some((c) => c.kind === 'DF' && (c.pboc?.suite === 'sm' || hasSmSuite(c.children ?? [])));
}

function hasDfNamed(children: readonly NodeJson[], name: string): boolean {
  return children.some((c) => c.kind === 'DF' && (c.name === name || hasDfNamed(c.children ?? [], name)));
}

export function capabilitiesOf(config: TargetConfig, channel: CardChannel): string[] {
  const caps: string[] = [channel.protocol === 'T=0' ? 't0' : 't1'];
  if (config.target === 'sim' || config.simControl) caps.push('simulator');
  if (config.profile.behaviour?.keyInfoReadable !== false) caps.push('key-info');
  caps.push(`ssse-v${config.profile.specVersion[0]}`);
  if (hasDfNamed(config.profile.fileSystem.children, '2PAY.SYS.DDF01')) caps.push('ppse');
  if (hasSmSuite(config.profile.fileSystem.children)) caps.push('sm-suite');
  return caps;
}
