/**
 * The PSAM application's own commands (terminal secure access module of the
 * social-security terminal, AID D1 56 00 00 05 90), answering only while the
 * PSAM environment is current. The PSAM holds the social-security master keys
 * and computes, for the terminal, the cryptograms and MACs a card expects from
 * its diversified keys.
 *
 * *Observed* (docs/ssse.md §7): the AID, the key-usage byte (low 5 bits key
 * type, high 3 bits number of diversification levels) and the flow — the PSAM
 * diversifies with the card's factors and encrypts the card's challenge. The
 * command codes below follow the PSAM command family seen in public terminal
 * implementations; they are a profile and key-set matter of this lab, not a
 * text of the standard.
 *
 *   DES CALCULATION INITIALISE  80 1A <usage> <index> Lc factor₁ ‖ … ‖ factorₙ   (8 bytes each)
 *     The key with id <index> and type <usage> of the PSAM environment,
 *     diversified with each factor in order (crypto/derive.ts diversify, the
 *     key's algorithm), becomes the session key. n must equal the usage's
 *     diversification levels.
 *       6A88  no key <index>, or its type is not <usage>
 *       6985  <index> is the PSAM master key (it never serves for calculations)
 *       6700  Lc not a multiple of 8
 *       6A80  a number of factors other than the usage's levels
 *     A refused INITIALISE also ends any earlier session.
 *
 *   DES CALCULATION  80 FA <mode> 00 Lc data                                      → result
 *     mode 00  encryption: data (whole blocks) in ECB with the session key
 *     mode 05  MAC: data = IV (one block: 8 bytes 3DES, 16 SM4) ‖ message; the
 *              4-byte MAC exactly as cos/formats.ts computes command MACs
 *              (3DES: ISO/IEC 9797-1 MAC algorithm 3, SM4: SM4-CBC-MAC; with
 *              the IV, padding method 2, leftmost 4 bytes). For a secured card
 *              command the terminal sends message = CLA INS P1 P2 Lc(incl.
 *              MAC) ‖ data and IV = the card's challenge zero-padded to a block.
 *       6A86  another mode, or P2 ≠ 00
 *       6985  no session key (no successful INITIALISE in this state)
 *       6700  encryption: data empty or not whole blocks; MAC: less than an IV
 *
 * Session state: the session key is volatile and lives as long as the card's
 * security state object (`ctx.security`), kept in a WeakMap keyed by it. The
 * card replaces that object on reset and whenever another environment is
 * entered (sim/security.ts), so a reset or leaving the PSAM application ends
 * the session without any change to the card core; selecting inside the
 * PSAM application (its EFs, or the application again) keeps it. A session
 * serves any number of DES CALCULATIONs until the next INITIALISE.
 */
import type { Bytes } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { type BlockAlg, blockSize, encryptEcb } from '../../crypto/block.ts';
import { diversify } from '../../crypto/derive.ts';
import { mac } from '../../crypto/mac.ts';
import { CLA_PROPRIETARY } from '../commands/index.ts';
import type { CardContext, CommandSpec, CommandTable, HandlerResult, SecurityState } from '../context.ts';
import { fail } from '../errors.ts';
import { KEY_TYPE } from '../../model/keys.ts';

/** DES CALCULATION modes (P1). */
export const PSAM_MODE = { ENCRYPT: 0x00, MAC: 0x05 } as const;

/** Length of one diversification factor in DES CALCULATION INITIALISE. */
const FACTOR_LENGTH = 8;

interface Session {
  alg: BlockAlg;
  key: Bytes;
}

const sessions = new WeakMap<SecurityState, Session>();

function desInitialise(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  sessions.delete(ctx.security);
  const usage = cmd.p1;
  const key = ctx.security.env.keys.get(cmd.p2);
  if (!key) fail(SW.REF_DATA_NOT_FOUND, `no key with index ${cmd.p2}`);
  if (key.type === KEY_TYPE.MASTER) fail(SW.CONDITIONS_NOT_SATISFIED, 'the PSAM master key does not serve for calculations');
  if (key.type !== usage) fail(SW.REF_DATA_NOT_FOUND, `key ${cmd.p2} has usage ${key.type.toString(16)}, not ${usage.toString(16)}`);
  if (cmd.data.length % FACTOR_LENGTH !== 0) fail(SW.WRONG_LENGTH, 'diversification factors have 8 bytes each');
  const levels = (usage >> 5) & 0x07;
  const n = cmd.data.length / FACTOR_LENGTH;
  if (n !== levels) fail(SW.WRONG_DATA, `usage ${usage.toString(16)} takes ${levels} factor(s), got ${n}`);
  let value = key.value;
  for (let i = 0; i < n; i++) value = diversify(key.alg, value, cmd.data.slice(i * FACTOR_LENGTH, (i + 1) * FACTOR_LENGTH));
  sessions.set(ctx.security, { alg: key.alg, key: value });
  return {};
}

function desCalculation(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  if (cmd.p2 !== 0 || (cmd.p1 !== PSAM_MODE.ENCRYPT && cmd.p1 !== PSAM_MODE.MAC)) fail(SW.INCORRECT_P1P2);
  const session = sessions.get(ctx.security);
  if (!session) fail(SW.CONDITIONS_NOT_SATISFIED, 'no session key: DES CALCULATION INITIALISE first');
  const bs = blockSize(session.alg);
  if (cmd.p1 === PSAM_MODE.ENCRYPT) {
    if (cmd.data.length === 0 || cmd.data.length % bs !== 0) fail(SW.WRONG_LENGTH, `encryption takes whole ${bs}-byte blocks`);
    return { data: encryptEcb(session.alg, session.key, cmd.data) };
  }
  if (cmd.data.length < bs) fail(SW.WRONG_LENGTH, `the MAC data start with a ${bs}-byte IV`);
  const iv = cmd.data.slice(0, bs);
  const message = cmd.data.slice(bs);
  return { data: mac(session.alg === '3des' ? 'iso9797-1-m3' : 'sm4-cbc', session.key, message, { iv, pad: 2, len: 4 }) };
}

export const PSAM_COMMANDS: CommandTable = new Map<number, CommandSpec>([
  [0x1a, { name: 'DES CALCULATION INITIALISE', cla: CLA_PROPRIETARY, handler: desInitialise }],
  [0xfa, { name: 'DES CALCULATION', cla: CLA_PROPRIETARY, handler: desCalculation }],
]);
