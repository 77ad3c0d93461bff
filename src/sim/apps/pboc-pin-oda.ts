/**
 * Offline PIN and offline data authentication of the PBOC debit application:
 * the offline PIN (reference 80) and its plaintext PIN block, VERIFY, the ICC
 * private key and INTERNAL AUTHENTICATE (DDA).
 */
import { type Bytes, concat, toHex } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { encodeTlv } from '../../core/tlv.ts';
import { counted, verify as commonVerify } from '../commands/authentication.ts';
import type { CardContext, HandlerResult } from '../context.ts';
import { fail } from '../errors.ts';
import type { IccPrivateKey } from '../../pboc/oda-format.ts';
import { signDynamicData } from '../../pboc/oda-data.ts';
import { type PbocCardData, pbocOf, requirePboc, suiteOf, transactions } from './pboc-data.ts';

/** The offline PIN: reference 80 in the PSE (EMV 4.3 Book 3 §6.5.12: VERIFY 00 20 00 80). */
export function pinOf(ctx: CardContext) {
  const pin = ctx.security.env.pins.get(0x80);
  if (!pin) fail(SW.REF_DATA_NOT_FOUND, 'no offline PIN (reference 80)');
  return pin;
}

/** Digits of an EMV plaintext PIN block `2N PPPP…F` (8 bytes), or undefined. */
export function plaintextPinBlockDigits(block: Bytes): string | undefined {
  if (block.length !== 8 || block[0]! >> 4 !== 0x2) return undefined;
  const n = block[0]! & 0x0f;
  const hex = toHex(block.slice(1));
  if (n < 4 || n > 12 || !/^[0-9]+$/.test(hex.slice(0, n)) || !/^F*$/.test(hex.slice(n))) return undefined;
  return hex.slice(0, n);
}

export function verify(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const p = pbocOf(ctx);
  if (!p || cmd.p2 !== 0x80 || cmd.data.length !== 8) return commonVerify(cmd, ctx);
  if (cmd.p1 !== 0) fail(SW.INCORRECT_P1P2);
  const digits = plaintextPinBlockDigits(cmd.data);
  if (digits === undefined) fail(SW.WRONG_DATA, 'not a plaintext PIN block 2N PIN F…');
  const pin = pinOf(ctx);
  const txn = transactions.get(ctx.security);
  // as the COS VERIFY: the attempt ends an earlier verification, whatever its outcome (ISO/IEC 7816-4 §7.5.6)
  ctx.security.pins.delete(pin.id);
  try {
    counted(ctx, pin, () => digits === pin.value);
  } catch (e) {
    if (txn) {
      txn.offlinePin = 'failed';
      txn.cvr[1]! |= 0x04 | 0x02; // offline PIN performed, failed
      if (pin.tries === 0) txn.cvr[2]! |= 0x40; // PIN try limit exceeded
    }
    throw e;
  }
  ctx.security.pins.add(pin.id);
  if (txn) {
    txn.offlinePin = 'ok';
    txn.cvr[1]! |= 0x04;
  }
  return {};
}

/** The ICC private key for DDA / CDA, from DGIs 8201–8205 or 8301. */
export function iccKey(data: PbocCardData, suite: 'des-rsa' | 'sm'): IccPrivateKey {
  if (suite === 'sm') {
    if (!data.sm2) fail(SW.CONDITIONS_NOT_SATISFIED, 'no SM2 ICC key');
    return { suite: 'sm2', d: data.sm2 };
  }
  const { p, q, dp, dq, qinv } = data.rsa;
  if (!p || !q || !dp || !dq || !qinv) fail(SW.CONDITIONS_NOT_SATISFIED, 'no RSA ICC key');
  return { suite: 'rsa', p, q, dp, dq, qinv, e: data.objects['9F47'] ?? new Uint8Array([0x03]) };
}

export function internalAuthenticate(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const { data } = requirePboc(ctx);
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  if (cmd.data.length === 0) fail(SW.WRONG_LENGTH, 'INTERNAL AUTHENTICATE carries the DDOL data');
  const suite = transactions.get(ctx.security)?.suite ?? suiteOf(data);
  const dynamicNumber = ctx.random(8);
  const sdad = signDynamicData(iccKey(data, suite), {
    iccDynamicData: concat([dynamicNumber.length], dynamicNumber),
    terminalDynamicData: cmd.data,
  });
  return { data: encodeTlv(0x80, sdad) };
}
