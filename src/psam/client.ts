/**
 * A terminal's driver for its PSAM (commands in sim/apps/psam.ts, docs/ssse.md
 * §7, *observed*): select the application, set up a session key (a master
 * key diversified with the card's factors), then encrypt or MAC with it.
 * The two compositions a social-security terminal needs —
 * {@link PsamClient.externalAuthCryptogram} and {@link PsamClient.commandMac} —
 * give exactly what cos/formats.ts `authCryptogram` and `commandMac` give
 * with the card's diversified key.
 *
 * Every command fits one short APDU (data ≤ 255 bytes); longer input is a
 * RangeError on the terminal side. A status word other than 9000 is a
 * {@link PsamError}.
 */
import { type Bytes, concat, fromHex } from '../core/bytes.ts';
import { command, decodeResponse, encodeCommand } from '../core/apdu.ts';
import { describeSw, swHex } from '../core/sw.ts';
import type { CardChannel } from '../channel/channel.ts';
import { composeChannel } from '../channel/compose.ts';
import { type BlockAlg, blockSize } from '../crypto/block.ts';

/** The social-security PSAM application (docs/ssse.md §7, observed). */
export const PSAM_AID = fromHex('D15600000590');

/** DES CALCULATION modes (P1). */
const MODE_ENCRYPT = 0x00;
const MODE_MAC = 0x05;

/** SFI of EF 0016, the terminal number (profiles/psam.json). */
const TERMINAL_NUMBER_SFI = 22;
const TERMINAL_NUMBER_LENGTH = 6;

export class PsamError extends Error {
  constructor(
    readonly commandName: string,
    readonly sw: number,
  ) {
    super(`PSAM ${commandName} answered ${swHex(sw)} (${describeSw(sw).meaning})`);
    this.name = 'PsamError';
  }
}

export interface PsamClientOptions {
  /** Algorithm of the PSAM's keys: the block size of cryptograms and MAC IVs (8 for 3DES, 16 for SM4). */
  alg: BlockAlg;
  /** Application to select (default {@link PSAM_AID}). */
  aid?: Bytes;
}

export class PsamClient {
  private readonly channel: CardChannel;
  readonly alg: BlockAlg;
  readonly aid: Bytes;

  /** `channel` reaches the PSAM; 61xx / 6Cxx are handled here (T=0). */
  constructor(channel: CardChannel, options: PsamClientOptions) {
    this.channel = composeChannel(channel).handled;
    this.alg = options.alg;
    this.aid = options.aid ?? PSAM_AID;
  }

  private get block(): number {
    return blockSize(this.alg);
  }

  private async send(name: string, cla: number, ins: number, p1: number, p2: number, data: Bytes, ne?: number): Promise<Bytes> {
    if (data.length > 255) throw new RangeError(`PSAM ${name}: ${data.length} bytes of data do not fit one command (255 at most)`);
    const r = decodeResponse(await this.channel.transmit(encodeCommand(command(cla, ins, p1, p2, data, ne))));
    if (r.sw !== 0x9000) throw new PsamError(name, r.sw);
    return r.data;
  }

  /** SELECT the PSAM application by its AID; returns its FCI. */
  async select(): Promise<Bytes> {
    return this.send('SELECT', 0x00, 0xa4, 0x04, 0x00, this.aid, 256);
  }

  /** Terminal number: READ BINARY of EF 0016 (SFI 22) in the PSAM application; select() first. */
  async terminalNumber(): Promise<Bytes> {
    return this.send('READ BINARY EF 0016', 0x00, 0xb0, 0x80 | TERMINAL_NUMBER_SFI, 0x00, new Uint8Array(0), TERMINAL_NUMBER_LENGTH);
  }

  /** DES CALCULATION INITIALISE: the key `index` of key-usage `usage`, diversified with `factors` (8 bytes each) in order. */
  async initialise(usage: number, index: number, factors: Bytes[]): Promise<void> {
    await this.send('DES CALCULATION INITIALISE', 0x80, 0x1a, usage, index, concat(...factors));
  }

  /** DES CALCULATION, encryption: whole blocks in ECB with the session key. */
  async encrypt(data: Bytes): Promise<Bytes> {
    return this.send('DES CALCULATION (encrypt)', 0x80, 0xfa, MODE_ENCRYPT, 0x00, data, 256);
  }

  /** DES CALCULATION, MAC: 4 bytes over `message` (padding 80 00…) with the one-block `iv`. */
  async mac(iv: Bytes, message: Bytes): Promise<Bytes> {
    if (iv.length !== this.block) throw new RangeError(`the MAC IV has ${this.block} bytes for ${this.alg}, got ${iv.length}`);
    return this.send('DES CALCULATION (MAC)', 0x80, 0xfa, MODE_MAC, 0x00, concat(iv, message), 256);
  }

  /** The challenge (or random) zero-padded (or cut) to one block. */
  private toBlock(challenge: Bytes): Bytes {
    const out = new Uint8Array(this.block);
    out.set(challenge.slice(0, this.block));
    return out;
  }

  /**
   * EXTERNAL AUTHENTICATE cryptogram for a card: E_K(challenge ‖ 00…) with K the
   * master key `index` diversified with the card's factors; equals
   * formats.authCryptogram with the card's key. Also the expected answer to
   * INTERNAL AUTHENTICATE of a random.
   */
  async externalAuthCryptogram(usage: number, index: number, factors: Bytes[], challenge: Bytes): Promise<Bytes> {
    await this.initialise(usage, index, factors);
    return this.encrypt(this.toBlock(challenge));
  }

  /**
   * MAC of a secured card command (`header` = CLA INS P1 P2, CLA 04/84;
   * `data` without the MAC), IV = the card's challenge zero-padded to a
   * block; equals formats.commandMac with the card's key.
   */
  async commandMac(usage: number, index: number, factors: Bytes[], challenge: Bytes, header: Bytes, data: Bytes): Promise<Bytes> {
    if (header.length < 4) throw new RangeError(`a command header has 4 bytes, got ${header.length}`);
    await this.initialise(usage, index, factors);
    return this.mac(this.toBlock(challenge), concat(header.slice(0, 4), [data.length + 4], data));
  }
}
