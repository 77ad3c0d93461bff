/**
 * Card and environment management (社会保障卡加载金融功能通用规范, key
 * management): the card master key creates the SSSE and the PSE and loads
 * each one's environment master key; from then on it has no power inside
 * them. Each environment master key creates files and loads keys only in its
 * own environment and can replace itself. Formats in cos/formats.ts.
 *
 *   CREATE FILE    80 E0 00 00 Lc FCP      authority: master key of the current environment, authenticated
 *   DELETE FILE    80 E4 00 00 02 FID      idem, for the DF holding the file; an environment with its own
 *                                          master key cannot be deleted with the card master key
 *   WRITE KEY      84 D4 P1 P2 Lc … MAC    P1 00: authority = the current environment's master key
 *                                          P1 01: authority = the card master key (only to load the
 *                                                 first master key of an environment)
 *   ACTIVATE FILE  00 44 00 00             ends the personalisation of the current environment
 */
import { equal } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { type Tlv, TlvError, parseTlv } from '../../core/tlv.ts';
import { algOfCode, keyCheckValue, pinDigits, unwrapKey } from '../../cos/formats.ts';
import { blockSize } from '../../crypto/block.ts';
import { fail } from '../errors.ts';
import type { CardContext, HandlerResult } from '../context.ts';
import {
  type AccessCondition,
  type DedicatedFile,
  type EfStructure,
  type FileNode,
  type KeyObject,
  LCS,
  MF_FID,
  childByFid,
  createDf,
  createEf,
  environmentOf,
  masterKeyOf,
} from '../fs.ts';
import { KEY_TYPE } from '../../model/keys.ts';
import { requireManagement } from '../security.ts';

// --- WRITE KEY ---------------------------------------------------------------------------------

/** The authorising key of a WRITE KEY: what its MAC and encryption use. */
export function writeKeyAuthority(cmd: CommandApdu, ctx: CardContext): KeyObject {
  const df = ctx.currentDf;
  const env = environmentOf(df);
  if (df !== env) fail(SW.CONDITIONS_NOT_SATISFIED, 'keys are loaded into the MF or an environment DF');
  if (cmd.p1 === 0x00) {
    const master = masterKeyOf(env);
    if (!master) fail(SW.REF_DATA_NOT_FOUND, 'the environment has no master key yet');
    return master;
  }
  if (cmd.p1 === 0x01) {
    const cardMaster = masterKeyOf(ctx.mf);
    if (!cardMaster) fail(SW.REF_DATA_NOT_FOUND, 'no card master key');
    // The card master key has no control over an environment that holds its own master key.
    if (env !== ctx.mf && masterKeyOf(env)) fail(SW.SECURITY_NOT_SATISFIED, 'the card master key has no power in this environment');
    return cardMaster;
  }
  fail(SW.INCORRECT_P1P2);
}

export function writeKey(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const authority = ctx.sm?.key;
  if (!authority) fail(SW.SECURITY_NOT_SATISFIED, 'WRITE KEY must be secured');
  const env = ctx.currentDf;
  const id = cmd.p2;
  if (cmd.data.length < 7 + blockSize(authority.alg)) fail(SW.WRONG_LENGTH);
  const [type, algCode, version, tries] = [cmd.data[0]!, cmd.data[1]!, cmd.data[2]!, cmd.data[3]!];
  const kcv = cmd.data.slice(4, 7);
  const value = unwrapKey(authority.alg, authority.value, cmd.data.slice(7));
  if (!value) fail(SW.WRONG_DATA, 'the key block does not decrypt to L ‖ key ‖ 80 00…');
  if (tries < 1 || tries > 15) fail(SW.WRONG_DATA, 'tries must be 1..15');
  // With the card master key, only an environment's first master key may be loaded.
  if (cmd.p1 === 0x01 && env !== ctx.mf && type !== KEY_TYPE.MASTER) {
    fail(SW.CONDITIONS_NOT_SATISFIED, 'the card master key loads only the environment master key');
  }
  if (type === KEY_TYPE.PIN) {
    const digits = pinDigits(value);
    if (digits === undefined || algCode !== 0) fail(SW.WRONG_DATA, 'a PIN is BCD padded with F, algorithm 00');
    ctx.nvm.mapSet(env.pins, id, { id, value: digits, tries, maxTries: tries });
    return {};
  }
  const alg = algOfCode(algCode);
  if (!alg) fail(SW.WRONG_DATA, `unknown algorithm ${algCode}`);
  if (value.length !== 16) fail(SW.WRONG_DATA, 'keys have 16 bytes');
  if (!equal(keyCheckValue(alg, value), kcv)) fail(SW.WRONG_DATA, 'KCV does not match the key');
  const existingMaster = masterKeyOf(env);
  if (type === KEY_TYPE.MASTER && existingMaster && existingMaster.id !== id)
    fail(SW.CONDITIONS_NOT_SATISFIED, 'the environment already has a master key');
  const existing = env.keys.get(id);
  if (existing && existing.type !== type) fail(SW.CONDITIONS_NOT_SATISFIED, 'a key keeps its type');
  if (existing) {
    // Two writes (value, then version and counters); the journal keeps them atomic.
    ctx.nvm.set(existing, 'value', value);
    ctx.nvm.set(existing, 'version', version);
    ctx.nvm.set(existing, 'alg', alg);
    ctx.nvm.set(existing, 'tries', tries);
    ctx.nvm.set(existing, 'maxTries', tries);
  } else {
    ctx.nvm.mapSet(env.keys, id, { id, type, alg, version, value, tries, maxTries: tries });
  }
  if (type === KEY_TYPE.MASTER && env.lcs === LCS.CREATION) ctx.nvm.set(env, 'lcs', LCS.INITIALISATION);
  return {};
}

// --- CREATE FILE -------------------------------------------------------------------------------

/** Security attributes in FCP tag 86: per operation (read, update) a type byte, a PIN id, a key id. */
export function decodeAccess(b: Uint8Array, offset: number): AccessCondition {
  const [t, pin, key] = [b[offset]!, b[offset + 1]!, b[offset + 2]!];
  switch (t) {
    case 0x00:
      return 'always';
    case 0xff:
      return 'never';
    case 0x01:
      return { key };
    case 0x02:
      return { pin };
    case 0x03:
      return { pin, key, mode: 'or' };
    case 0x04:
      return { pin, key, mode: 'and' };
    default:
      fail(SW.WRONG_DATA, `unknown access condition type ${t}`);
  }
}

const STRUCTURES: Record<number, EfStructure> = { 0x01: 'transparent', 0x02: 'linear-fixed', 0x04: 'linear-variable', 0x06: 'cyclic' };

/** A data object at the top level of the FCP (not inside a nested template). */
function value(list: Tlv[], tag: number): Uint8Array | undefined {
  return list.find((t) => t.tag === tag)?.value;
}

export function createFile(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  const parent = ctx.currentDf;
  requireManagement(ctx, parent);
  let fcp: Tlv[];
  try {
    const top = parseTlv(cmd.data);
    if (top.length !== 1 || top[0]!.tag !== 0x62) fail(SW.WRONG_DATA, 'CREATE FILE takes one FCP template 62');
    fcp = top[0]!.children ?? [];
  } catch (e) {
    if (e instanceof TlvError) fail(SW.WRONG_DATA, `FCP is not BER-TLV: ${e.message}`);
    throw e;
  }
  const desc = value(fcp, 0x82);
  const fidBytes = value(fcp, 0x83);
  if (!desc || desc.length < 1) fail(SW.WRONG_DATA, 'file descriptor 82 missing');
  if (fidBytes?.length !== 2) fail(SW.WRONG_DATA, 'file identifier 83 missing');
  const fid = (fidBytes[0]! << 8) | fidBytes[1]!;
  if (fid === MF_FID || fid === 0xffff || fid === 0x3fff) fail(SW.WRONG_DATA, 'reserved file identifier');
  if (childByFid(parent, fid)) fail(0x6a89, 'a file with this identifier exists');
  const sec = value(fcp, 0x86);
  let node: FileNode;
  if (desc[0] === 0x38) {
    const name = value(fcp, 0x84);
    if (name && (name.length < 1 || name.length > 16)) fail(SW.WRONG_DATA, 'a DF name has 1 to 16 bytes');
    const fci = value(fcp, 0xa5);
    node = createDf({ fid, ...(name ? { name } : {}), ...(fci?.length ? { fci } : {}), lcs: LCS.CREATION });
  } else {
    const structure = STRUCTURES[desc[0]!];
    if (!structure) fail(SW.WRONG_DATA, `unsupported file descriptor ${desc[0]}`);
    const sfiByte = value(fcp, 0x88);
    const sfi = sfiByte && sfiByte.length === 1 ? sfiByte[0]! >> 3 : undefined;
    if (sfi !== undefined && (sfi < 1 || sfi > 30)) fail(SW.WRONG_DATA, 'SFI must be 1..30');
    if (sfi !== undefined && parent.children.some((c) => c.kind === 'EF' && c.sfi === sfi)) fail(0x6a89, 'SFI in use');
    if (sec?.length !== 6) fail(SW.WRONG_DATA, 'security attributes 86 (6 bytes) missing');
    const access = { read: decodeAccess(sec, 0), update: decodeAccess(sec, 3) };
    if (structure === 'transparent') {
      const size = value(fcp, 0x80);
      if (size?.length !== 2) fail(SW.WRONG_DATA, 'file size 80 missing');
      node = createEf({ fid, ...(sfi ? { sfi } : {}), structure, access, data: new Uint8Array((size[0]! << 8) | size[1]!) });
    } else {
      if (desc.length < 5) fail(SW.WRONG_DATA, 'a record EF descriptor has 5 bytes');
      const tlvRecords = value(fcp, 0x85)?.[0] === 0x01;
      node = createEf({ fid, ...(sfi ? { sfi } : {}), structure, access, recordLength: desc[3]!, maxRecords: desc[4]!, tlvRecords });
    }
  }
  node.parent = parent;
  ctx.nvm.push(parent.children, node);
  return {};
}

// --- DELETE FILE, ACTIVATE FILE ----------------------------------------------------------------

export function deleteFile(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  if (cmd.data.length !== 2) fail(SW.WRONG_LENGTH);
  const parent = ctx.currentDf;
  const fid = (cmd.data[0]! << 8) | cmd.data[1]!;
  const node = childByFid(parent, fid);
  if (!node) fail(SW.FILE_NOT_FOUND);
  if (node.kind === 'DF' && parent === ctx.mf && masterKeyOf(node)) {
    fail(SW.SECURITY_NOT_SATISFIED, 'the card master key has no power over an environment with its own master key');
  }
  requireManagement(ctx, parent);
  ctx.nvm.remove(parent.children, parent.children.indexOf(node));
  if (ctx.currentEf === node) ctx.currentEf = undefined;
  return {};
}

export function activateFile(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  if (cmd.data.length !== 0) fail(SW.WRONG_LENGTH);
  const env: DedicatedFile = ctx.currentDf;
  if (environmentOf(env) !== env) fail(SW.CONDITIONS_NOT_SATISFIED, 'only the MF or an environment is activated');
  requireManagement(ctx, env);
  if (env.lcs === LCS.OPERATIONAL) fail(SW.CONDITIONS_NOT_SATISFIED, 'already activated');
  // The environment and every DF in it become operational together.
  const activate = (df: DedicatedFile): void => {
    ctx.nvm.set(df, 'lcs', LCS.OPERATIONAL);
    for (const c of df.children) if (c.kind === 'DF' && environmentOf(c) === env) activate(c);
  };
  activate(env);
  return {};
}
