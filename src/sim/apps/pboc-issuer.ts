/**
 * The online part of a PBOC debit transaction after the ARQC: issuer
 * authentication (EXTERNAL AUTHENTICATE with ARPC method 1) and the issuer
 * script commands (APPLICATION BLOCK / UNBLOCK, CARD BLOCK, PIN
 * CHANGE/UNBLOCK, PUT DATA), MAC'd with the session key of UDK-MAC.
 */
import { type Bytes, equal } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { SW } from '../../core/sw.ts';
import { tagHex } from '../../core/tlv.ts';
import { type BlockAlg, blockSize, decryptEcb } from '../../crypto/block.ts';
import { externalAuthenticate as commonExternalAuthenticate } from '../commands/authentication.ts';
import type { CardContext, HandlerResult } from '../context.ts';
import { fail } from '../errors.ts';
import type { KeyObject } from '../fs.ts';
import { KEY_TYPE } from '../../model/keys.ts';
import { arpcMethod1, scriptMac, sessionKey } from '../../pboc/cryptograms.ts';
import { type PbocCardData, pbocOf, requirePboc, suiteOf, symmetric, transactions, u16 } from './pboc-data.ts';
import { pinOf, plaintextPinBlockDigits } from './pboc-pin-oda.ts';

export function issuerAuthenticate(cmd: CommandApdu, ctx: CardContext): HandlerResult {
  const p = pbocOf(ctx);
  const txn = transactions.get(ctx.security);
  // without an online transaction in progress, EXTERNAL AUTHENTICATE is the COS's (key id in P2)
  if (!p || cmd.p2 !== 0x00 || !txn || txn.stage !== 'first-gac' || !txn.arqc) return commonExternalAuthenticate(cmd, ctx);
  const { data } = p;
  if (cmd.p1 !== 0) fail(SW.INCORRECT_P1P2);
  if (txn.issuerAuth) fail(SW.CONDITIONS_NOT_SATISFIED, 'issuer authentication is performed once per transaction');
  if (cmd.data.length !== 10) fail(SW.WRONG_LENGTH, 'ARPC (8) ‖ ARC (2)');
  const sym = symmetric(txn.suite);
  const sk = sessionKey(sym, data.udk!.ac, u16(data.atc));
  const expected = arpcMethod1(sym, sk, txn.arqc, cmd.data.slice(8, 10));
  if (!equal(expected, cmd.data.slice(0, 8))) {
    txn.issuerAuth = 'failed';
    txn.cvr[1]! |= 0x08;
    return { sw: 0x6300 };
  }
  txn.issuerAuth = 'ok';
  return {};
}

/** CVR byte 4 bit 4: issuer script processing failed (JR/T 0025.5 Annex CVR; EMV 4.3 Book 3 §10.10). */
const SCRIPT_FAILED = 0x08;

/** Key stand-in for the SM stage: scripts are MAC'd with the session key of UDK-MAC. */
function scriptKey(_cmd: CommandApdu, ctx: CardContext): KeyObject {
  const { data } = requirePboc(ctx);
  if (!data.udk) fail(SW.CONDITIONS_NOT_SATISFIED, 'no MAC key');
  const alg = suiteOf(data) === 'sm' ? 'sm4' : '3des';
  return { id: 0, type: KEY_TYPE.MAINTENANCE, alg, version: 1, value: data.udk.mac, tries: 0, maxTries: 0 };
}

/** Script MAC (observed): session key from UDK-MAC and the ATC; input CLA INS P1 P2 Lc ‖ ATC ‖ ARQC ‖ data. */
function verifyScriptMac(cmd: CommandApdu, body: Bytes, mac: Bytes, ctx: CardContext): boolean {
  const { data } = requirePboc(ctx);
  const txn = transactions.get(ctx.security);
  if (!txn?.arqc || !data.udk) fail(SW.CONDITIONS_NOT_SATISFIED, 'an issuer script belongs to an online transaction (after the ARQC)');
  // The MAC covers a short Lc (data ‖ MAC in one short APDU): longer scripts are refused, not MAC'd.
  if (body.length + 4 > 255) {
    txn.cvr[3]! |= SCRIPT_FAILED;
    fail(SW.WRONG_LENGTH, `an issuer script command carries at most 251 data bytes before its MAC, got ${body.length}`);
  }
  const sym = symmetric(txn.suite);
  const atc = u16(data.atc);
  const sk = sessionKey(sym, data.udk.mac, atc);
  const ok = equal(scriptMac(sym, sk, new Uint8Array([cmd.cla, cmd.ins, cmd.p1, cmd.p2]), atc, txn.arqc, body), mac);
  if (!ok) txn.cvr[3]! |= SCRIPT_FAILED;
  return ok;
}

export const SCRIPT_SM = { required: true, key: scriptKey, verify: verifyScriptMac };

function scripted(handler: (cmd: CommandApdu, ctx: CardContext, data: PbocCardData) => HandlerResult) {
  return (cmd: CommandApdu, ctx: CardContext): HandlerResult => {
    const { data } = requirePboc(ctx);
    const txn = transactions.get(ctx.security);
    let result: HandlerResult;
    try {
      result = handler(cmd, ctx, data);
    } catch (e) {
      if (txn) txn.cvr[3]! |= SCRIPT_FAILED;
      throw e;
    }
    if (txn) txn.scripts++;
    return result;
  };
}

export const applicationBlock = scripted((cmd, ctx) => {
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  ctx.nvm.set(ctx.security.env, 'blocked', 'temporary');
  return {};
});

export const applicationUnblock = scripted((cmd, ctx) => {
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  if (ctx.security.env.blocked === 'permanent') fail(SW.APP_PERMANENTLY_BLOCKED);
  ctx.nvm.set(ctx.security.env, 'blocked', undefined);
  return {};
});

export const cardBlock = scripted((cmd, ctx) => {
  if (cmd.p1 !== 0 || cmd.p2 !== 0) fail(SW.INCORRECT_P1P2);
  ctx.nvm.set(ctx.security.env, 'blocked', 'permanent');
  return {};
});

/**
 * PIN CHANGE/UNBLOCK `84 24 00 P2`: P2 00 resets the try counter; P2 02
 * (observed) also sets a new PIN, sent as the plaintext PIN block padded to
 * whole blocks and enciphered (ECB) under the session key of UDK-ENC.
 */
export const pinChangeUnblock = scripted((cmd, ctx, data) => {
  if (cmd.p1 !== 0 || (cmd.p2 !== 0x00 && cmd.p2 !== 0x02)) fail(SW.INCORRECT_P1P2);
  const pin = pinOf(ctx);
  if (cmd.p2 === 0x02) {
    const sym = symmetric(suiteOf(data));
    const alg: BlockAlg = sym === 'sm4' ? 'sm4' : '3des';
    if (cmd.data.length === 0 || cmd.data.length % blockSize(alg) !== 0) fail(SW.WRONG_LENGTH, 'the enciphered PIN block is whole blocks');
    const block = decryptEcb(alg, sessionKey(sym, data.udk!.enc, u16(data.atc)), cmd.data).slice(0, 8);
    const digits = plaintextPinBlockDigits(block);
    if (digits === undefined) fail(SW.WRONG_DATA, 'the deciphered PIN block is not 2N PIN F…');
    ctx.nvm.set(pin, 'value', digits);
  } else if (cmd.data.length !== 0) fail(SW.WRONG_LENGTH, 'PIN UNBLOCK carries only the MAC');
  ctx.nvm.set(pin, 'tries', pin.maxTries);
  return {};
});

/** Data objects an issuer script may change with PUT DATA (not the ATC, the last online ATC or the suite). */
const PUT_DATA_FORBIDDEN = new Set(['9F36', '9F13', 'DF69', '9F4D', '9F4F']);

export const putData = scripted((cmd, ctx, data) => {
  const tag = tagHex((cmd.p1 << 8) | cmd.p2);
  if (PUT_DATA_FORBIDDEN.has(tag) || data.objects[tag] === undefined) fail(SW.REF_DATA_NOT_FOUND, `data object ${tag} cannot be changed`);
  if (cmd.data.length !== data.objects[tag].length) fail(SW.WRONG_LENGTH, `data object ${tag} has ${data.objects[tag].length} bytes`);
  ctx.nvm.set(data, 'objects', { ...data.objects, [tag]: cmd.data });
  return {};
});
