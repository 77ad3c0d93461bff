/**
 * Harness operations for card life cycle and key management: what a
 * personaliser and a key-management officer do to a card, built from the COS
 * formats (cos/) and the key set. Keys created during a scenario are kept
 * here, so later steps can use them ("the new key").
 */
import { type Bytes, concat, toHex } from '../core/bytes.ts';
import { type ResponseApdu, command } from '../core/apdu.ts';
import type { BlockAlg } from '../crypto/block.ts';
import { randomKey } from '../crypto/components.ts';
import { dfFcp, efFcp, type Access } from '../cos/fcp.ts';
import { getKeyInfo, verifyPin, writeKey, type KeyMaterial } from '../cos/commands.ts';
import { algOfCode, authCryptogram, pinBlock, securedCommand } from '../cos/formats.ts';
import { CARD, KEY_TYPE_CODE, type AppKeyType, type Key, type Keyset } from '../model/keyset.ts';
import type { ProfileView } from './profile-view.ts';
import { factorsOfProfile } from '../ssse/factors.ts';
import { type PersoResult, personalise } from '../perso/personaliser.ts';
import { generateScript } from '../perso/script.ts';
import type { CardSession } from '../channel/session.ts';

export type KeyTypeName = AppKeyType | 'master';

export interface KeyInfo {
  id: number;
  type: number;
  alg: BlockAlg | undefined;
  version: number;
  kcv: string;
  tries: number;
}

export type LoadFault = 'wrong-mac' | 'wrong-kcv' | 'no-mac' | 'no-challenge';

/** A PIN that is certainly not the right one (the digits of the right one, rotated). */
export function wrongPin(pin: string): string {
  return pin
    .split('')
    .map((d) => String((Number(d) + 1) % 10))
    .join('');
}

/** A PIN that is almost the right one: the classes of near misses a partial or length-blind compare would accept. */
export type PinMiss = 'last-digit' | 'shorter' | 'longer' | 'zero-padded';

/**
 * The PIN block of a near miss of `pin`: its last digit changed, its last
 * digit dropped, one digit more, or the right digits followed by a 00 byte
 * instead of F padding (a PIN of two more digits, 0 and 0).
 */
export function nearMissPinBlock(pin: string, miss: PinMiss): Bytes {
  switch (miss) {
    case 'last-digit':
      return pinBlock(`${pin.slice(0, -1)}${(Number(pin.at(-1)) + 1) % 10}`);
    case 'shorter':
      return pinBlock(pin.slice(0, -1));
    case 'longer':
      return pinBlock(`${pin}${(Number(pin.at(-1)) + 1) % 10}`);
    case 'zero-padded':
      return pin.length % 2 ? pinBlock(`${pin}0`) : concat(pinBlock(pin), [0x00]);
  }
}

/**
 * A cryptogram wrong in one byte only (`flip`, negative from the end), one
 * byte shorter / longer (`lengthDelta`), or cut to its first half (`half`: the
 * right first 8 bytes of a 16-byte SM4 cryptogram, a DES block's worth).
 */
export type CryptogramFault = { flip: number } | { lengthDelta: -1 | 1 } | { half: true };

export function faultyCryptogram(c: Bytes, fault: CryptogramFault): Bytes {
  if ('half' in fault) return c.slice(0, c.length / 2);
  if ('lengthDelta' in fault) return fault.lengthDelta < 0 ? c.slice(0, -1) : concat(c, [c[0]!]);
  const out = Uint8Array.from(c);
  const i = fault.flip < 0 ? out.length + fault.flip : fault.flip;
  if (i < 0 || i >= out.length) throw new RangeError(`the cryptogram has no byte ${fault.flip}`);
  out[i] = out[i]! ^ 0x01;
  return out;
}

export class CardManager {
  /** Keys that replaced or joined the key set's during this scenario, by "ENV/id". */
  private readonly replaced = new Map<string, Key>();
  /** The last key created by a step ("the new key"). */
  lastNewKey?: Key;

  constructor(
    readonly session: CardSession,
    readonly keyset: Keyset,
    readonly profile: ProfileView,
  ) {}

  /** The key as the card should now hold it: a replacement from this scenario, or the key set's (diversified for this card where the key set says so). */
  key(env: string, id: number): Key {
    const replaced = this.replaced.get(`${env}/${id}`);
    if (replaced) return replaced;
    if (env === CARD || this.keyset.factorNames(env).length === 0) return this.keyset.key(env, id);
    const factors = factorsOfProfile(this.profile.profile);
    if (!factors) throw new Error(`profile ${this.profile.profile.id} has no card identification code to diversify ${env} keys`);
    return this.keyset.cardKey(env, id, factors);
  }

  master(env: string): Key {
    return this.key(env, env === CARD ? this.keyset.cardMaster.id : this.keyset.master(env).id);
  }

  /** A fresh random key for the given slot. */
  newKey(env: string, id: number, type: KeyTypeName, alg: BlockAlg, version = 1, tries = 5): Key {
    const key: Key = {
      env,
      id,
      type: KEY_TYPE_CODE[type],
      alg,
      version,
      value: randomKey(alg),
      tries,
      label: `new ${alg} ${type} key ${id}`,
    };
    this.lastNewKey = key;
    return key;
  }

  /** A key of the same id, type and algorithm as `key` with another random value: a wrong cryptogram for it. */
  wrongValueFor(key: Key): Key {
    return { ...key, value: randomKey(key.alg), label: `wrong value for ${key.label}` };
  }

  remember(key: Key): void {
    this.replaced.set(`${key.env}/${key.id}`, key);
  }

  /** The secured commands sent in this scenario (their bytes as they went out), oldest first, for replay. */
  readonly securedSent: Bytes[] = [];

  /** The challenges the card gave in this scenario, oldest first. */
  readonly challenges: Bytes[] = [];

  /** The last challenge the card gave. */
  get lastChallenge(): Bytes | undefined {
    return this.challenges.at(-1);
  }

  /** GET CHALLENGE for `n` bytes; the challenge is remembered when the card gives one. */
  async requestChallenge(n = 8): Promise<ResponseApdu> {
    const r = await this.session.send(command(0x00, 0x84, 0x00, 0x00, undefined, n));
    if (r.sw === 0x9000) this.challenges.push(r.data);
    return r;
  }

  /** The last `n` challenges of this scenario; fewer is a set-up error of the scenario. */
  lastChallenges(n: number): Bytes[] {
    if (this.challenges.length < n) throw new Error(`the scenario asked for ${n} challenges, the card gave ${this.challenges.length}`);
    return this.challenges.slice(-n);
  }

  /** A challenge that appears twice among the last `n`, if any. */
  repeatedChallenge(n: number): Bytes | undefined {
    const seen = new Set<string>();
    for (const c of this.lastChallenges(n)) {
      if (seen.has(toHex(c))) return c;
      seen.add(toHex(c));
    }
    return undefined;
  }

  /**
   * The byte positions that hold one value in every one of the last `n`
   * challenges: none for an unpredictable challenge (for 8 random challenges
   * a position stays constant with a probability of 2^-56).
   */
  constantChallengeBytes(n: number): number[] {
    const last = this.lastChallenges(n);
    const width = Math.min(...last.map((c) => c.length));
    return Array.from({ length: width }, (_, i) => i).filter((i) => last.every((c) => c[i] === last[0]![i]));
  }

  async challenge(): Promise<Bytes> {
    const r = await this.requestChallenge();
    if (r.sw !== 0x9000) throw new Error(`GET CHALLENGE failed with ${toHex([r.sw >> 8, r.sw & 0xff])}`);
    return r.data;
  }

  /** The id of the first key of a type in an environment of the key set. */
  /** The lowest key id `env` holds and `other` does not (a key of one application to name in the other), from the key set. */
  keyIdOnlyIn(env: string, other: string): number {
    const theirs = new Set(this.keyset.keys(other).map((k) => k.id));
    const id = this.keyset
      .keys(env)
      .map((k) => k.id)
      .filter((i) => !theirs.has(i))
      .sort((a, b) => a - b)[0];
    if (id === undefined) throw new Error(`key set ${this.keyset.id}: every ${env} key id is also a ${other} key id`);
    return id;
  }

  keyIdOfType(env: string, type: KeyTypeName): number {
    const k = this.keyset.keys(env).find((x) => x.type === KEY_TYPE_CODE[type]);
    if (!k) throw new Error(`key set ${this.keyset.id} has no ${env} key of type ${type}`);
    return k.id;
  }

  /** Selects the MF ("MF") or an environment by its DF name from the profile. */
  async selectEnvironment(env: string): Promise<ResponseApdu> {
    if (env === CARD) return this.session.selectFid(0x3f00, { returns: 'none' });
    const { path } = this.profile.environment(env);
    return this.session.selectName(this.profile.dfName(path));
  }

  /**
   * GET CHALLENGE + EXTERNAL AUTHENTICATE with a key; `use` another key's value
   * to present a wrong cryptogram, `fault` to present a near miss of the right one.
   */
  async authenticate(
    env: string,
    id: number,
    options: { use?: KeyMaterial; withoutChallenge?: boolean; reuseChallenge?: boolean; fault?: CryptogramFault } = {},
  ): Promise<ResponseApdu> {
    const key = options.use ?? this.key(env, id);
    let challenge: Bytes;
    if (options.withoutChallenge) challenge = new Uint8Array(8);
    else if (options.reuseChallenge) {
      if (!this.lastChallenge) throw new Error('no challenge to reuse: the card gave none yet');
      challenge = this.lastChallenge;
    } else challenge = await this.challenge();
    const cryptogram = authCryptogram(key.alg, key.value, challenge);
    return this.session.send(command(0x00, 0x82, 0x00, id, options.fault ? faultyCryptogram(cryptogram, options.fault) : cryptogram));
  }

  /**
   * WRITE KEY of `target` into the current DF, authorised by the card master
   * key ('card') or an environment's master key (`authorityEnv`, default the
   * target's environment).
   */
  async loadKey(
    target: Key,
    options: { authority: 'card' | 'environment'; authorityEnv?: string; authorityKey?: KeyMaterial; fault?: LoadFault } = {
      authority: 'environment',
    },
  ): Promise<ResponseApdu> {
    const authorityKey =
      options.authorityKey ?? (options.authority === 'card' ? this.master(CARD) : this.master(options.authorityEnv ?? target.env));
    const challenge = options.fault === 'no-challenge' ? new Uint8Array(8) : await this.challenge();
    const fault = options.fault === 'no-challenge' ? undefined : options.fault;
    return this.session.send(writeKey({ authority: options.authority, authorityKey, challenge, target, ...(fault ? { fault } : {}) }));
  }

  /**
   * Self-update (自主更新): a new master key for `env` (same algorithm unless
   * given), sent under the current one; remembered when the card accepts it.
   */
  async replaceMaster(env: string, version: number, alg?: BlockAlg): Promise<ResponseApdu> {
    const current = this.master(env);
    const key = this.newKey(env, current.id, 'master', alg ?? current.alg, version);
    const r = await this.loadKey(key, { authority: 'environment', authorityKey: current });
    if (r.sw === 0x9000) this.remember(key);
    return r;
  }

  async keyInfo(id: number): Promise<{ response: ResponseApdu; info?: KeyInfo }> {
    const response = await this.session.send(getKeyInfo(id));
    if (response.sw !== 0x9000 || response.data.length < 8) return { response };
    const d = response.data;
    return {
      response,
      info: { id: d[0]!, type: d[1]!, alg: algOfCode(d[2]!), version: d[3]!, kcv: toHex(d.slice(4, 7)), tries: d[7]! },
    };
  }

  async pinTriesLeft(id: number): Promise<ResponseApdu> {
    return this.session.send(command(0x00, 0x20, 0x00, id));
  }

  async verifyPin(env: string, options: { wrong?: boolean; ref?: number; miss?: PinMiss } = {}): Promise<ResponseApdu> {
    const pin = this.keyset.pins(env)[0];
    if (!pin) throw new Error(`key set ${this.keyset.id} has no PIN for ${env}`);
    if (options.miss) return this.session.send(command(0x00, 0x20, 0x00, options.ref ?? pin.id, nearMissPinBlock(pin.value, options.miss)));
    return this.session.send(verifyPin(options.ref ?? pin.id, options.wrong ? wrongPin(pin.value) : pin.value));
  }

  pinRef(env: string): number {
    const pin = this.keyset.pins(env)[0];
    if (!pin) throw new Error(`key set ${this.keyset.id} has no PIN for ${env}`);
    return pin.id;
  }

  async createEnvironment(env: string): Promise<ResponseApdu> {
    const { df, path } = this.profile.environment(env);
    const fcp = dfFcp({ fid: parseInt(df.fid!, 16), name: this.profile.dfName(path) });
    return this.session.send(command(0x80, 0xe0, 0x00, 0x00, fcp));
  }

  async createEf(fid: number, options: { size?: number; read?: Access; update?: Access } = {}): Promise<ResponseApdu> {
    const fcp = efFcp({
      fid,
      structure: 'transparent',
      size: options.size ?? 16,
      read: options.read ?? 'always',
      update: options.update ?? 'always',
    });
    return this.session.send(command(0x80, 0xe0, 0x00, 0x00, fcp));
  }

  async deleteFile(fid: number): Promise<ResponseApdu> {
    return this.session.send(command(0x80, 0xe4, 0x00, 0x00, Uint8Array.of(fid >> 8, fid & 0xff)));
  }

  async activate(): Promise<ResponseApdu> {
    return this.session.send(command(0x00, 0x44, 0x00, 0x00));
  }

  /** Replays the profile's personalisation script on this card (through the recorder, so it is in the trace). */
  async personaliseWithScript(): Promise<PersoResult> {
    return personalise(this.session.recorder, generateScript(this.profile.profile, this.keyset), this.keyset);
  }

  async updateBinary(offset: number, data: Bytes): Promise<ResponseApdu> {
    return this.session.send(command(0x00, 0xd6, offset >> 8, offset & 0xff, data));
  }

  /** UPDATE BINARY with a MAC (CLA 04) made with `key`. */
  async updateBinaryWithMac(offset: number, data: Bytes, key: KeyMaterial): Promise<ResponseApdu> {
    const challenge = await this.challenge();
    return this.session.send(securedCommand(key.alg, key.value, challenge, new Uint8Array([0x04, 0xd6, offset >> 8, offset & 0xff]), data));
  }
}

export { CARD };
