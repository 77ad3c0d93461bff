/**
 * SELECT, ISO/IEC 7816-4:2005 §7.1.1, Table 39 (P1) and Table 40 (P2).
 *   P1 00 MF, DF or EF by FID (empty data = MF)   P1 01 child DF   P1 02 EF under current DF
 *   P1 03 parent DF   P1 04 by DF name   P1 08 path from MF   P1 09 path from current DF
 *   P2 b4-b3: 00 FCI, 04 FCP, 08 FMD, 0C no response data
 *   P2 b2-b1: 00 first or only occurrence, 01 last, 02 next, 03 previous
 * A failed selection leaves the current DF and EF as they were.
 */
import { type Bytes, concat, equal } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { encodeTlv } from '../../core/tlv.ts';
import { fail } from '../errors.ts';
import { enterEnvironment } from '../security.ts';
import type { CardContext, HandlerResult } from '../context.ts';
import { type DedicatedFile, type ElementaryFile, type FileNode, MF_FID, allDfs, childByFid } from '../fs.ts';

export function select(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const { p1, p2, data } = cmd;
  const occurrence = p2 & 0x03;
  const info = p2 & 0x0c;
  if ((p2 & 0xf0) !== 0) fail(SW.INCORRECT_P1P2, 'P2 b8-b5 must be 0');
  if (info === 0x08) fail(SW.FUNC_NOT_SUPPORTED, 'FMD not supported');
  if (p1 !== 0x04 && occurrence !== 0) fail(SW.INCORRECT_P1P2, 'occurrence control only with selection by DF name');

  let target: FileNode;
  switch (p1) {
    case 0x00:
      target = data.length === 0 ? ctx.mf : byFid(ctx, fid2(data));
      break;
    case 0x01: {
      const c = childByFid(ctx.currentDf, fid2(data));
      if (c?.kind !== 'DF') fail(SW.FILE_NOT_FOUND);
      target = c;
      break;
    }
    case 0x02: {
      const c = childByFid(ctx.currentDf, fid2(data));
      if (c?.kind !== 'EF') fail(SW.FILE_NOT_FOUND);
      target = c;
      break;
    }
    case 0x03:
      if (data.length !== 0) fail(SW.WRONG_LENGTH, 'selection of the parent DF takes no data');
      if (!ctx.currentDf.parent) fail(SW.FILE_NOT_FOUND, 'the MF has no parent');
      target = ctx.currentDf.parent;
      break;
    case 0x04:
      target = byName(ctx, data, occurrence);
      break;
    case 0x08:
      target = byPath(ctx.mf, data);
      break;
    case 0x09:
      target = byPath(ctx.currentDf, data);
      break;
    default:
      fail(SW.INCORRECT_P1P2);
  }

  enterEnvironment(ctx, target);
  if (target.kind === 'DF') {
    ctx.currentDf = target;
    ctx.currentEf = undefined;
    ctx.currentRecord = undefined;
  } else {
    ctx.currentDf = target.parent ?? ctx.mf;
    ctx.currentEf = target;
    ctx.currentRecord = undefined;
  }
  if (p1 !== 0x04) ctx.lastNameSelection = undefined;

  // An application that is blocked is selected with a warning (ISO/IEC 7816-4 Table 5: 6283),
  // or refused when it is blocked for good (9303).
  const blocked = ctx.security.env.blocked;
  if (blocked === 'permanent') fail(SW.APP_PERMANENTLY_BLOCKED);
  const sw = blocked === 'temporary' ? SW.FILE_DEACTIVATED : SW.OK;
  if (info === 0x0c) return { sw };
  if (info === 0x04) return { data: fcp(target), sw };
  if (target.kind === 'DF') return { data: target.fci ?? defaultFci(target), sw };
  return ctx.behaviour.efSelectResponse === 'fcp' ? { data: fcp(target), sw } : { sw };
}

function fid2(data: Bytes): number {
  if (data.length !== 2) fail(SW.WRONG_LENGTH, `a file identifier has 2 bytes, got ${data.length}`);
  const fid = (data[0]! << 8) | data[1]!;
  // FFFF is reserved (§5.3.1.1); 3FFF is the current-DF path marker, not a FID.
  if (fid === 0xffff || fid === 0x3fff) fail(SW.WRONG_DATA, 'reserved file identifier');
  return fid;
}

/** P1 = 00: the MF, the current DF itself, a child of it, its parent, or a sibling DF of it. */
function byFid(ctx: CardContext, fid: number): FileNode {
  if (fid === MF_FID) return ctx.mf;
  const cur = ctx.currentDf;
  if (cur.fid === fid) return cur;
  const child = childByFid(cur, fid);
  if (child) return child;
  const parent = cur.parent;
  if (parent) {
    if (parent.fid === fid) return parent;
    const sibling = childByFid(parent, fid);
    if (sibling && sibling.kind === 'DF') return sibling;
  }
  fail(SW.FILE_NOT_FOUND);
}

/** P1 = 04: DF name, complete or right-truncated (§5.3.1.1), with occurrence control. */
function byName(ctx: CardContext, name: Bytes, occurrence: number): DedicatedFile {
  if (name.length < 1 || name.length > 16) fail(SW.WRONG_LENGTH, `a DF name has 1 to 16 bytes, got ${name.length}`);
  const matches = allDfs(ctx.mf).filter((df) => df.name !== undefined && startsWith(df.name, name));
  if (matches.length === 0) fail(SW.FILE_NOT_FOUND);
  let index: number;
  const last = ctx.lastNameSelection;
  const sameName = last !== undefined && equal(last.name, name);
  switch (occurrence) {
    case 0x00:
      index = 0;
      break;
    case 0x01:
      index = matches.length - 1;
      break;
    case 0x02:
      index = sameName ? last!.index + 1 : 0;
      break;
    default: // 0x03 previous
      index = sameName ? last!.index - 1 : matches.length - 1;
  }
  const df = matches[index];
  if (!df) fail(SW.FILE_NOT_FOUND, 'no further occurrence');
  ctx.lastNameSelection = { name: name.slice(), index };
  return df;
}

function startsWith(full: Bytes, prefix: Bytes): boolean {
  return prefix.length <= full.length && equal(full.slice(0, prefix.length), prefix);
}

/** P1 = 08/09: a path of FIDs (2 bytes each) without the starting DF's own FID. */
function byPath(start: DedicatedFile, path: Bytes): FileNode {
  if (path.length === 0 || path.length % 2 !== 0) fail(SW.WRONG_LENGTH, 'a path is a non-empty sequence of 2-byte FIDs');
  let node: FileNode = start;
  for (let i = 0; i < path.length; i += 2) {
    if (node.kind !== 'DF') fail(SW.FILE_NOT_FOUND);
    const fid = (path[i]! << 8) | path[i + 1]!;
    const next = childByFid(node, fid);
    if (!next) fail(SW.FILE_NOT_FOUND);
    node = next;
  }
  return node;
}

/** FCI built when the profile gives none: 6F { 84 DF name } (§5.3.3, Table 12). */
function defaultFci(df: DedicatedFile): Bytes {
  return encodeTlv(0x6f, df.name ? encodeTlv(0x84, df.name) : new Uint8Array(0));
}

/** FCP template 62 (§5.3.3, Table 12): 82 descriptor, 83 FID, 84 name, 80 size, 88 SFI, 8A LCS. */
export function fcp(node: FileNode): Bytes {
  const parts: Bytes[] = [];
  if (node.kind === 'DF') {
    parts.push(encodeTlv(0x82, new Uint8Array([0x38])));
    if (node.fid !== undefined) parts.push(encodeTlv(0x83, new Uint8Array([node.fid >> 8, node.fid & 0xff])));
    if (node.name) parts.push(encodeTlv(0x84, node.name));
  } else {
    parts.push(encodeTlv(0x82, efDescriptor(node)));
    if (node.fid !== undefined) parts.push(encodeTlv(0x83, new Uint8Array([node.fid >> 8, node.fid & 0xff])));
    if (node.structure === 'transparent') {
      parts.push(encodeTlv(0x80, new Uint8Array([node.data.length >> 8, node.data.length & 0xff])));
    }
    if (node.sfi !== undefined) parts.push(encodeTlv(0x88, new Uint8Array([node.sfi << 3])));
  }
  parts.push(encodeTlv(0x8a, new Uint8Array([node.lcs])));
  return encodeTlv(0x62, concat(...parts));
}

/** File descriptor byte (§5.3.3, Table 14), with max record length and count for record EFs. */
function efDescriptor(ef: ElementaryFile): Bytes {
  switch (ef.structure) {
    case 'transparent':
      return new Uint8Array([0x01]);
    case 'linear-fixed':
      return new Uint8Array([0x02, 0x21, 0x00, ef.recordLength ?? 0, ef.records.length]);
    case 'linear-variable':
      return new Uint8Array([0x04, 0x21, 0x00, ef.recordLength ?? 0, ef.records.length]);
    case 'cyclic':
      return new Uint8Array([0x06, 0x21, 0x00, ef.recordLength ?? 0, ef.records.length]);
  }
}
