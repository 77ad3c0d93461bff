/**
 * Personalisation of the PBOC debit application: STORE DATA (EMV CPS style
 * DGIs, see docs/pboc-design.md) under the PSE master key, while the
 * application is still in personalisation. Records go to their SFI, keys are
 * deciphered under the master key and checked against their KCVs.
 */
import { type Bytes, equal, toHex } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { parseTlv, tagHex, type Tlv } from '../../core/tlv.ts';
import { type BlockAlg, blockSize, decryptEcb } from '../../crypto/block.ts';
import { kcv } from '../../crypto/kcv.ts';
import type { CardContext, HandlerResult } from '../context.ts';
import { fail } from '../errors.ts';
import { type DedicatedFile, type ElementaryFile, createEf } from '../fs.ts';
import { inPersonalisation } from '../security.ts';
import { type PbocCardData, masterKey, suiteOf, symmetric, u16 } from './pboc-data.ts';

/** DGIs of one STORE DATA data field: DGI (2 bytes) ‖ length (1 byte, or FF ‖ 2 bytes) ‖ data. */
function parseDgis(data: Bytes): { dgi: number; value: Bytes }[] {
  const out: { dgi: number; value: Bytes }[] = [];
  let i = 0;
  while (i < data.length) {
    if (i + 3 > data.length) fail(SW.WRONG_LENGTH, 'truncated DGI');
    const dgi = (data[i]! << 8) | data[i + 1]!;
    let len = data[i + 2]!;
    let start = i + 3;
    if (len === 0xff) {
      if (i + 5 > data.length) fail(SW.WRONG_LENGTH, 'truncated DGI length');
      len = (data[i + 3]! << 8) | data[i + 4]!;
      start = i + 5;
    }
    if (start + len > data.length) fail(SW.WRONG_LENGTH, `DGI ${toHex(u16(dgi))} is longer than the data`);
    out.push({ dgi, value: data.slice(start, start + len) });
    i = start + len;
  }
  return out;
}

function decryptUnderMaster(ctx: CardContext, value: Bytes): Bytes {
  const key = masterKey(ctx);
  const alg: BlockAlg = key.alg === 'sm4' ? 'sm4' : '3des';
  if (value.length === 0 || value.length % blockSize(alg) !== 0) fail(SW.WRONG_LENGTH, 'encrypted DGI data are whole blocks');
  return decryptEcb(alg, key.value, value);
}

function recordEf(ctx: CardContext, df: DedicatedFile, sfi: number): ElementaryFile {
  const found = df.children.find((c): c is ElementaryFile => c.kind === 'EF' && c.sfi === sfi);
  if (found) return found;
  const ef = createEf({ sfi, structure: 'linear-variable', access: { read: 'always', update: 'never' } });
  ctx.nvm.push(df.children, ef);
  return ef;
}

function storeDgi(ctx: CardContext, df: DedicatedFile & { pboc?: PbocCardData }, data: PbocCardData, dgi: number, value: Bytes): void {
  const hi = dgi >> 8;
  const lo = dgi & 0xff;
  if (hi >= 0x01 && hi <= 0x1e && lo >= 0x01) {
    // record lo of SFI hi: a record template 70
    if (value[0] !== 0x70) fail(SW.WRONG_DATA, `DGI ${toHex(u16(dgi))}: a record is a template 70`);
    const ef = recordEf(ctx, df, hi);
    if (lo <= ef.records.length) ctx.nvm.set(ef.records, lo - 1, value);
    else if (lo === ef.records.length + 1) ctx.nvm.push(ef.records, value);
    else fail(SW.WRONG_DATA, `DGI ${toHex(u16(dgi))}: record ${lo} would leave a gap after record ${ef.records.length}`);
    return;
  }
  switch (dgi) {
    case 0x8000: {
      const keys = decryptUnderMaster(ctx, value);
      if (keys.length !== 48) fail(SW.WRONG_LENGTH, 'DGI 8000 holds three 16-byte keys');
      ctx.nvm.set(data, 'udk', { ac: keys.slice(0, 16), mac: keys.slice(16, 32), enc: keys.slice(32, 48) });
      return;
    }
    case 0x9000: {
      if (!data.udk) fail(SW.CONDITIONS_NOT_SATISFIED, 'DGI 9000 (KCVs) before DGI 8000');
      if (value.length !== 9) fail(SW.WRONG_LENGTH, 'DGI 9000 holds three 3-byte KCVs');
      const alg: BlockAlg = symmetric(suiteOf(data)) === 'sm4' ? 'sm4' : '3des';
      const { ac, mac, enc } = data.udk;
      [ac, mac, enc].forEach((k, i) => {
        if (!equal(kcv(alg, k), value.slice(3 * i, 3 * i + 3))) fail(SW.WRONG_DATA, `DGI 9000: KCV ${i + 1} does not match the key`);
      });
      return;
    }
    case 0x9102: {
      const tlvs = parseTlvOr6A80(value);
      if (!tlvs.some((t) => t.tag === 0x82) || !tlvs.some((t) => t.tag === 0x94)) fail(SW.WRONG_DATA, 'DGI 9102 holds 82 AIP and 94 AFL');
      ctx.nvm.set(data, 'gpo', value);
      return;
    }
    case 0x9200: {
      const objects = { ...data.objects };
      for (const t of parseTlvOr6A80(value)) objects[tagHex(t.tag)] = t.value;
      ctx.nvm.set(data, 'objects', objects);
      if (objects['9F36']) ctx.nvm.set(data, 'atc', (objects['9F36'][0]! << 8) | objects['9F36'][1]!);
      if (objects['9F13']) ctx.nvm.set(data, 'lastOnlineAtc', (objects['9F13'][0]! << 8) | objects['9F13'][1]!);
      return;
    }
    case 0x8201:
    case 0x8202:
    case 0x8203:
    case 0x8204:
    case 0x8205: {
      const part = (['p', 'q', 'dp', 'dq', 'qinv'] as const)[dgi - 0x8201]!;
      ctx.nvm.set(data, 'rsa', { ...data.rsa, [part]: decryptUnderMaster(ctx, value) });
      return;
    }
    case 0x8301:
      ctx.nvm.set(data, 'sm2', decryptUnderMaster(ctx, value).slice(0, 32));
      return;
    default:
      fail(SW.REF_DATA_NOT_FOUND, `unknown DGI ${toHex(u16(dgi))}`);
  }
}

function parseTlvOr6A80(value: Bytes): Tlv[] {
  try {
    return parseTlv(value);
  } catch {
    fail(SW.WRONG_DATA, 'not BER-TLV');
  }
}

export function storeData(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const df = ctx.currentDf as DedicatedFile & { pboc?: PbocCardData };
  if (!df.parent || df === ctx.security.env || !df.name) {
    fail(SW.CONDITIONS_NOT_SATISFIED, 'STORE DATA personalises an application DF (ADF)');
  }
  if (!inPersonalisation(df)) fail(SW.CONDITIONS_NOT_SATISFIED, 'the application is no longer in personalisation');
  if (!ctx.sm) fail(SW.SECURITY_NOT_SATISFIED, 'STORE DATA carries a MAC made with the environment master key');
  if (!df.pboc) {
    ctx.nvm.set(df, 'pboc', { objects: {}, atc: 0, lastOnlineAtc: 0, lastOnlineNotCompleted: false, lastIssuerAuthFailed: false, rsa: {} });
  }
  for (const { dgi, value } of parseDgis(cmd.data)) storeDgi(ctx, df, df.pboc!, dgi, value);
  return {};
}
