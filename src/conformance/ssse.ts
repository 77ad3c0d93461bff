/**
 * Harness operations of the social-security application (docs/ssse.md): what a
 * social-security terminal asks of the card, with the card's keys as the key
 * set and the profile's card identification code give them (two-level
 * diversification). Formats in src/sim/apps/ssse.ts and src/cos/formats.ts.
 */
import { type Bytes, concat, toHex } from '../core/bytes.ts';
import { type Tlv, findTag, parseTagHex, parseTlv } from '../core/tlv.ts';
import type { BlockAlg } from '../crypto/block.ts';
import { type AlgorithmIndicator, DEFAULT_ALGORITHM_INDICATOR } from '../model/profile.ts';
import { type ResponseApdu, command, encodeCommand } from '../core/apdu.ts';
import { authCryptogram, pinBlock, securedCommand, wrapKey } from '../cos/formats.ts';
import type { KeyMaterial } from '../cos/commands.ts';
import { KEY_TYPE } from '../model/keys.ts';
import type { CardManager } from './management.ts';

/** A secured command without its MAC, or with a MAC wrong in its last or its first byte only. */
export type MacFault = 'wrong-mac' | 'wrong-mac-first' | 'no-mac';

export class SsseOperations {
  constructor(readonly manager: CardManager) {}

  private get session() {
    return this.manager.session;
  }

  /** The id of the SSSE key of a type in the key set. */
  keyIdOfType(type: number): number {
    const k = this.manager.keyset.keys('SSSE').find((x) => x.type === type);
    if (!k) throw new Error(`key set ${this.manager.keyset.id} has no SSSE key of type ${type}`);
    return k.id;
  }

  /** The read condition of the basic data (EF05) from the profile: a key id, or none. */
  readKeyOfBasicData(): number | undefined {
    const { path } = this.manager.profile.environment('SSSE');
    const ef05 = this.manager.profile.df(path).children?.find((c) => c.kind === 'EF' && c.sfi === 5);
    const read = ef05 && ef05.kind === 'EF' ? ef05.read : undefined;
    return typeof read === 'object' && 'key' in read ? read.key : undefined;
  }

  /** What a terminal does before reading basic data: external authentication with the read key when the card requires it (3.00). */
  async gainReadAccess(): Promise<ResponseApdu | undefined> {
    const key = this.readKeyOfBasicData();
    return key === undefined ? undefined : this.manager.authenticate('SSSE', key);
  }

  /** A secured command (CLA 84 or 04) with a MAC made with `key` over a fresh challenge, or a deliberate fault. */
  async secured(header: number[], data: Bytes, key: KeyMaterial, fault?: MacFault): Promise<ResponseApdu> {
    if (fault === 'no-mac') {
      // the same command with the SM bits cleared; without data it goes out as a T=0 header with P3 = 00
      // (ISO/IEC 7816-3:2006 §12.2.2, case 1)
      const plain = encodeCommand(command(header[0]! & 0xf3, header[1]!, header[2]!, header[3]!, data));
      return this.session.send(data.length > 0 ? plain : concat(plain, [0x00]));
    }
    const got = await this.manager.requestChallenge();
    // A card that refuses the challenge (a blocked application) has answered the operation.
    if (got.sw !== 0x9000) return got;
    const apdu = securedCommand(key.alg, key.value, got.data, new Uint8Array(header), data);
    // the MAC is the last 4 bytes (no Le: the commands carry none)
    if (fault === 'wrong-mac') apdu[apdu.length - 1] = apdu[apdu.length - 1]! ^ 0x01;
    if (fault === 'wrong-mac-first') apdu[apdu.length - 4] = apdu[apdu.length - 4]! ^ 0x01;
    this.manager.securedSent.push(apdu);
    return this.session.send(apdu);
  }

  /**
   * A secured command of this scenario sent again, byte for byte: `index` from
   * the first (0) or, negative, from the last (-1); after a new GET CHALLENGE
   * when `freshChallenge`.
   */
  async replaySecured(index = -1, freshChallenge = false): Promise<ResponseApdu> {
    const apdu = this.manager.securedSent.at(index);
    if (!apdu) throw new Error(`no secured command ${index} was sent in this scenario`);
    if (freshChallenge) await this.manager.requestChallenge();
    return this.session.send(apdu);
  }

  /** An EF of the environment whose update condition is exactly key `keyId`, from the profile. */
  efOpenedByKey(keyId: number): number {
    const { path } = this.manager.profile.environment('SSSE');
    const ef = this.manager.profile
      .df(path)
      .children?.find(
        (c) =>
          c.kind === 'EF' &&
          c.structure === 'transparent' &&
          typeof c.update === 'object' &&
          'key' in c.update &&
          !('pin' in c.update) &&
          c.update.key === keyId,
      );
    if (!ef?.fid) throw new Error(`the profile has no SSSE EF updated under key ${keyId} alone`);
    return parseInt(ef.fid, 16);
  }

  /**
   * Whether key `keyId` is in the security state, seen through the one thing it
   * opens: UPDATE BINARY of an EF whose update condition is that key (9000 when
   * authenticated, 6982 when not). Writes the EF's first byte with 00.
   */
  async probeKeyAccess(keyId: number): Promise<ResponseApdu> {
    await this.session.selectFid(this.efOpenedByKey(keyId));
    return this.session.send(command(0x00, 0xd6, 0x00, 0x00, new Uint8Array([0x00])));
  }

  async updateRecord(sfi: number, record: number, data: Bytes, mac?: { keyId: number; fault?: MacFault }): Promise<ResponseApdu> {
    const p2 = (sfi << 3) | 0x04;
    if (!mac) return this.session.send(command(0x00, 0xdc, record, p2, data));
    return this.secured([0x04, 0xdc, record, p2], data, this.manager.key('SSSE', mac.keyId), mac.fault);
  }

  /** INTERNAL AUTHENTICATE with key `keyId`, or with P2 = 00 (the card's internal authentication key) when it is 0. */
  async internalAuthenticate(keyId: number, random: Bytes): Promise<{ response: ResponseApdu; expected?: Bytes }> {
    const response = await this.session.send(command(0x00, 0x88, 0x00, keyId, random, 256));
    const id =
      keyId !== 0
        ? keyId
        : this.manager.keyset
            .environment('SSSE')
            .keys.filter((k) => k.type === 'internal-auth')
            .sort((a, b) => a.id - b.id)[0]?.id;
    if (id === undefined) throw new Error('the key set has no SSSE internal authentication key');
    // a key id the SSSE does not hold has no expected cryptogram: the card must not find it (6A88)
    if (!this.manager.keyset.keys('SSSE').some((k) => k.id === id)) return { response };
    const key = this.manager.key('SSSE', id);
    return { response, expected: authCryptogram(key.alg, key.value, random) };
  }

  /** CHANGE PIN: old PIN ‖ FF ‖ new PIN; the old PIN as digits or as a ready PIN block (a near miss). */
  async changePin(oldPin: string | Bytes, newPin: string, ref = this.manager.pinRef('SSSE')): Promise<ResponseApdu> {
    const data = concat(typeof oldPin === 'string' ? pinBlock(oldPin) : oldPin, [0xff], pinBlock(newPin));
    return this.session.send(command(0x80, 0x5e, 0x01, ref, data));
  }

  /** PIN UNBLOCK (P2 00, PIN unblock key) or PIN RELOAD (P2 01, PIN reload key) with a new PIN. */
  async resetPin(mode: 'unblock' | 'reload', newPin: string, fault?: MacFault): Promise<ResponseApdu> {
    const key = this.manager.key('SSSE', this.keyIdOfType(mode === 'unblock' ? KEY_TYPE.PIN_UNBLOCK : KEY_TYPE.PIN_RELOAD));
    const data = wrapKey(key.alg, key.value, pinBlock(newPin));
    return this.secured([0x84, 0x24, 0x00, mode === 'unblock' ? 0x00 : 0x01], data, key, fault);
  }

  /** APPLICATION BLOCK / UNBLOCK or CARD BLOCK, MAC'd with their key, or with the key of `macKeyType` (a wrong key). */
  async block(what: 'application' | 'card' | 'unblock', fault?: MacFault, macKeyType?: number): Promise<ResponseApdu> {
    const ins = what === 'application' ? 0x1e : what === 'unblock' ? 0x18 : 0x16;
    const type = macKeyType ?? (what === 'card' ? KEY_TYPE.CARD_BLOCK : KEY_TYPE.MAINTENANCE);
    const key = this.manager.key('SSSE', this.keyIdOfType(type));
    return this.secured([0x84, ins, 0x00, 0x00], new Uint8Array(0), key, fault);
  }
}

/**
 * What is wrong with an environment's FCI as an algorithm indicator: the
 * proprietary template A5 of the FCI (6F) must hold the profile's indicator
 * tag with the value for `alg`. Undefined when it is right.
 */
export function algorithmIndicatorProblem(
  fci: Bytes,
  alg: BlockAlg,
  indicator: AlgorithmIndicator = DEFAULT_ALGORITHM_INDICATOR,
): string | undefined {
  let top: Tlv | undefined;
  try {
    top = parseTlv(fci).find((t) => t.tag === 0x6f);
  } catch (e) {
    return `the FCI is not BER-TLV: ${(e as Error).message}`;
  }
  if (!top) return 'the response is no FCI template (6F)';
  const a5 = (top.children ?? []).find((t) => t.tag === 0xa5);
  if (!a5) return 'the FCI has no proprietary template (A5)';
  const found = findTag(a5.children ?? [], parseTagHex(indicator.tag));
  if (!found) return `the proprietary template holds no algorithm indicator ${indicator.tag}`;
  const expected = indicator[alg].toUpperCase();
  if (toHex(found.value) !== expected)
    return `the algorithm indicator ${indicator.tag} is ${toHex(found.value)}; ${alg} keys are ${expected}`;
  return undefined;
}
