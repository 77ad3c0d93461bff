/**
 * Second hold-out set (model/defects/holdout-2.ts): the defects of the PBOC
 * debit application — GET PROCESSING OPTIONS and GENERATE AC parameters, CDA,
 * the CVR, the ATC and the risk data, the transaction log, DDA, the issuer
 * scripts of the SM suite and blocking. Each wraps a handler of the PSE's
 * command set (`wrap(c, ins, around, 'PSE')`) or its script-MAC check.
 */
import { type Bytes, concat, equal } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { type Tlv, encodeTlv, findTag, parseTlv } from '../../core/tlv.ts';
import { decryptEcb, encryptEcb } from '../../crypto/block.ts';
import { mac } from '../../crypto/mac.ts';
import { dolLength, dolValue, parseDol } from '../../emv/dol.ts';
import { applicationCryptogram, scriptMac, sessionKey } from '../../pboc/cryptograms.ts';
import { cdaDynamicData, signDynamicData, transactionDataHash } from '../../pboc/oda-data.ts';
import { type PbocCardData, pbocOf, pdolOf, recordElement, suiteOf, symmetric, u16 } from '../apps/pboc-data.ts';
import { iccKey } from '../apps/pboc-pin-oda.ts';
import type { CardContext, HandlerResult } from '../context.ts';
import { allDfs, type DedicatedFile, type ElementaryFile } from '../fs.ts';
import type { Nvm } from '../nvm.ts';
import { replaceMacCheck, txnOf } from './application-parts.ts';
import { type Composition, type Defect, wrap } from './compose.ts';

/** The issuer script commands of the debit application. */
const SCRIPT_INS = [0x1e, 0x18, 0x16, 0x24, 0xda] as const;

const tagValue = (data: Bytes | undefined, tag: number): Bytes | undefined => (data ? findTag(parseTlv(data), tag)?.value : undefined);

/** A GENERATE AC response `77 { … }` with the value of `tag` replaced (when it is there). */
function withValue(data: Bytes, tag: number, value: Bytes): Bytes {
  const top = parseTlv(data)[0];
  if (top?.tag !== 0x77 || !top.children) return data;
  return encodeTlv(0x77, concat(...top.children.map((t: Tlv) => encodeTlv(t.tag, t.tag === tag ? value : t.value))));
}

/** The AIP of the card (from its GPO response data). */
const aipOf = (data: PbocCardData): Bytes => (data.gpo ? tagValue(data.gpo, 0x82) : undefined) ?? new Uint8Array(2);

/** The transaction log EF (SFI of 9F4D) of the ADF, if it has one. */
function logEf(df: DedicatedFile, data: PbocCardData): ElementaryFile | undefined {
  const sfi = data.objects['9F4D']?.[0];
  return df.children.find((c): c is ElementaryFile => c.kind === 'EF' && c.sfi === sfi);
}

/**
 * A GENERATE AC answer whose cryptogram the defect makes again: `cvr` is the
 * CVR the card puts in the IAD, `ac` computes the cryptogram from its input.
 */
function remadeCryptogram(
  cmd: CommandApdu,
  ctx: CardContext,
  result: HandlerResult,
  cvr: (old: Bytes) => Bytes,
  ac: (sk: Bytes, input: Bytes) => Bytes,
): HandlerResult {
  const p = pbocOf(ctx);
  const txn = txnOf(ctx);
  const iad = tagValue(result.data, 0x9f10);
  if (!p?.data.udk || !txn || !result.data || !iad || iad.length < 8 || !tagValue(result.data, 0x9f26)) return result;
  const newCvr = cvr(iad.slice(3, 7));
  const atc = u16(p.data.atc);
  const sk = sessionKey(symmetric(txn.suite), p.data.udk.ac, atc);
  const cryptogram = ac(sk, concat(cmd.data, aipOf(p.data), atc, newCvr));
  txn.cvr.set(newCvr);
  if (txn.arqc && txn.stage === 'first-gac') txn.arqc = cryptogram;
  const data = withValue(withValue(result.data, 0x9f10, concat(iad.slice(0, 3), newCvr, iad.slice(7))), 0x9f26, cryptogram);
  return { ...result, data };
}

/** The CDA signature the card makes of an AAC (as the conforming card makes it of a TC or ARQC). */
function signedAac(cmd: CommandApdu, ctx: CardContext, result: HandlerResult, first: boolean, cdol1Before?: Bytes): HandlerResult {
  const p = pbocOf(ctx);
  const txn = txnOf(ctx);
  const ac = tagValue(result.data, 0x9f26);
  const iad = tagValue(result.data, 0x9f10);
  const atc = tagValue(result.data, 0x9f36);
  const cid = tagValue(result.data, 0x9f27)?.[0];
  if (!p || !txn || !ac || !iad || !atc || cid !== 0x00) return result;
  const dol = parseDol(recordElement(p.df, first ? 0x8c : 0x8d) ?? new Uint8Array(0));
  const hashed = concat(
    txn.pdolData,
    first ? cmd.data : concat(cdol1Before ?? new Uint8Array(0), cmd.data),
    encodeTlv(0x9f27, Uint8Array.of(cid)),
    encodeTlv(0x9f36, atc),
    encodeTlv(0x9f10, iad),
  );
  const iccDynamicData = cdaDynamicData({
    dynamicNumber: ctx.random(8),
    cid,
    ac,
    transactionDataHash: transactionDataHash(txn.suite === 'sm' ? 'sm3' : 'sha1', hashed),
  });
  const un = dolValue(dol, cmd.data, 0x9f37) ?? new Uint8Array(0);
  const sdad = signDynamicData(iccKey(p.data, txn.suite), { iccDynamicData, terminalDynamicData: un });
  const body = concat(encodeTlv(0x9f27, Uint8Array.of(cid)), encodeTlv(0x9f36, atc), encodeTlv(0x9f4b, sdad), encodeTlv(0x9f10, iad));
  return { ...result, data: encodeTlv(0x77, body) };
}

/** Runs `f` with the NVM's `set` of the log's records replaced by `set` (other writes unchanged). */
function withLogWrite<T>(nvm: Nvm, log: ElementaryFile, set: (records: Bytes[]) => void, f: () => T): T {
  const original = nvm.set.bind(nvm);
  nvm.set = (<O extends object, K extends keyof O>(obj: O, key: K, value: O[K]): void => {
    if ((obj as object) === log && key === 'records') set(value as Bytes[]);
    else original(obj, key, value);
  }) as Nvm['set'];
  try {
    return f();
  } finally {
    Reflect.deleteProperty(nvm, 'set');
  }
}

/** The log written record by record in place, each one a write of its own, committed at once. */
function logShiftedInPlace(c: Composition): void {
  wrap(
    c,
    0xae,
    (spec) => (cmd, ctx) => {
      const p = pbocOf(ctx);
      const log = p && logEf(p.df, p.data);
      if (!log) return spec.handler(cmd, ctx);
      const nvm = ctx.nvm;
      return withLogWrite(
        nvm,
        log,
        (records) => {
          const old = log.records;
          for (let i = records.length - 1; i >= 0; i--) {
            if (i < old.length) nvm.set(old, i, records[i]!);
            else nvm.push(old, records[i]!);
            nvm.commit();
          }
          while (old.length > records.length) {
            nvm.remove(old, old.length - 1);
            nvm.commit();
          }
        },
        () => spec.handler(cmd, ctx),
      );
    },
    'PSE',
  );
}

export const HOLDOUT_2_PBOC_DEFECTS = {
  'gac-rfu-reference-control-accepted': {
    description: 'GENERATE AC with P1 bits 8-7 = 11 (RFU) is answered as a request for an ARQC',
    apply(c) {
      wrap(c, 0xae, (spec) => (cmd, ctx) => spec.handler((cmd.p1 & 0xc0) === 0xc0 ? { ...cmd, p1: cmd.p1 & 0xbf } : cmd, ctx), 'PSE');
    },
  },
  'gpo-pdol-length-unchecked': {
    description: 'GET PROCESSING OPTIONS takes a template 83 of any length: the PDOL data are cut or padded with zeros',
    apply(c) {
      wrap(
        c,
        0xa8,
        (spec) => (cmd, ctx) => {
          const p = pbocOf(ctx);
          if (!p || cmd.data[0] !== 0x83 || cmd.data.length < 2) return spec.handler(cmd, ctx);
          const want = dolLength(pdolOf(p.df));
          const given = cmd.data.slice(2);
          if (given.length === want && cmd.data[1] === want) return spec.handler(cmd, ctx);
          const pdolData = new Uint8Array(want);
          pdolData.set(given.slice(0, want));
          return spec.handler({ ...cmd, data: concat([0x83, want], pdolData) }, ctx);
        },
        'PSE',
      );
    },
  },
  'cda-signature-on-aac': {
    description: 'GENERATE AC asking for CDA signs an AAC too: the answer carries 9F4B instead of the cryptogram 9F26',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const txn = txnOf(ctx);
          const first = txn?.stage === 'gpo';
          const cdol1 = txn?.cdol1Data;
          const result = spec.handler(cmd, ctx);
          return (cmd.p1 & 0x10) !== 0 ? signedAac(cmd, ctx, result, first, cdol1) : result;
        },
        'PSE',
      );
    },
  },
  'cvr-second-gac-type-not-set': {
    description: 'the CVR of the second GENERATE AC leaves the bits of the cryptogram type returned (byte 2 bits 8-7) at 00',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const second = txnOf(ctx)?.stage === 'first-gac';
          const result = spec.handler(cmd, ctx);
          if (!second) return result;
          const sym = txnOf(ctx)?.suite === 'sm' ? 'sm4' : '3des';
          return remadeCryptogram(
            cmd,
            ctx,
            result,
            (cvr) => Uint8Array.of(cvr[0]!, cvr[1]! & 0x3f, cvr[2]!, cvr[3]!),
            (sk, input) => applicationCryptogram(sym, sk, input),
          );
        },
        'PSE',
      );
    },
  },
  'cvr-pin-try-limit-not-set': {
    description: 'the wrong offline PIN that exhausts the try counter leaves the CVR bit "PIN try limit exceeded" clear',
    apply(c) {
      wrap(
        c,
        0x20,
        (spec) => (cmd, ctx) => {
          const txn = txnOf(ctx);
          const before = txn?.cvr[2];
          try {
            return spec.handler(cmd, ctx);
          } catch (e) {
            if (txn && before !== undefined && !(before & 0x40)) txn.cvr[2]! &= ~0x40;
            throw e;
          }
        },
        'PSE',
      );
    },
  },
  'atc-wraps-at-limit': {
    description: 'at ATC FFFF GET PROCESSING OPTIONS still starts a transaction: the ATC rolls over to 0000',
    apply(c) {
      wrap(
        c,
        0xa8,
        (spec) => (cmd, ctx) => {
          const p = pbocOf(ctx);
          if (p && p.data.atc >= 0xffff) ctx.nvm.set(p.data, 'atc', -1);
          return spec.handler(cmd, ctx);
        },
        'PSE',
      );
    },
  },
  'issuer-auth-failure-forgotten': {
    description: 'the second GENERATE AC clears "issuer authentication failed" for the next transaction, whatever the result',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const second = txnOf(ctx)?.stage === 'first-gac';
          const result = spec.handler(cmd, ctx);
          const p = pbocOf(ctx);
          if (second && p?.data.lastIssuerAuthFailed) ctx.nvm.set(p.data, 'lastIssuerAuthFailed', false);
          return result;
        },
        'PSE',
      );
    },
  },
  'last-online-atc-after-failed-issuer-auth': {
    description: 'the second GENERATE AC after a failed issuer authentication still sets the last online ATC 9F13 to the ATC',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const txn = txnOf(ctx);
          const failedOnline = txn?.stage === 'first-gac' && txn.issuerAuth === 'failed';
          const result = spec.handler(cmd, ctx);
          const p = pbocOf(ctx);
          if (failedOnline && p) ctx.nvm.set(p.data, 'lastOnlineAtc', p.data.atc);
          return result;
        },
        'PSE',
      );
    },
  },
  'transaction-log-oldest-first': {
    description: 'the transaction log takes each new record at its end: record 1 is the oldest transaction kept',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const p = pbocOf(ctx);
          const log = p && logEf(p.df, p.data);
          if (!p || !log) return spec.handler(cmd, ctx);
          const before = log.records;
          const result = spec.handler(cmd, ctx);
          if (log.records !== before && log.records.length > 0) {
            const max = log.maxRecords ?? p.data.objects['9F4D']?.[1] ?? 10;
            ctx.nvm.set(log, 'records', [...before, log.records[0]!].slice(-max));
          }
          return result;
        },
        'PSE',
      );
    },
  },
  'dda-dynamic-number-constant': {
    description: 'INTERNAL AUTHENTICATE (DDA) signs with a constant ICC dynamic number: the same DDOL data give the same signature',
    apply(c) {
      wrap(
        c,
        0x88,
        (spec) => (cmd, ctx) => {
          const constant: CardContext = Object.create(ctx, { random: { value: (n: number) => new Uint8Array(n).fill(0x5a) } });
          return spec.handler(cmd, constant);
        },
        'PSE',
      );
    },
  },
  'script-pin-unblock-unblocks-all-pins': {
    description: "the PBOC PIN UNBLOCK script resets the try counter of every PIN of the card, the SSSE's PIN too",
    apply(c) {
      wrap(
        c,
        0x24,
        (spec) => (cmd, ctx) => {
          const result = spec.handler(cmd, ctx);
          for (const df of allDfs(ctx.mf))
            for (const pin of df.pins.values()) if (pin.tries !== pin.maxTries) ctx.nvm.set(pin, 'tries', pin.maxTries);
          return result;
        },
        'PSE',
      );
    },
  },
  'blocked-pboc-application-transacts': {
    description: 'a financial application blocked by the APPLICATION BLOCK script still answers GET PROCESSING OPTIONS and GENERATE AC',
    apply(c) {
      const table = c.applicationCommands.PSE;
      for (const ins of [0xa8, 0xae]) {
        const spec = table?.get(ins);
        if (!table || !spec) throw new Error(`no PSE command ${ins.toString(16)}`);
        table.set(ins, { ...spec, whenBlocked: true });
      }
    },
  },
  'sm4-ac-padding-method-1': {
    description: 'on the SM suite the application cryptogram is the SM4 CBC-MAC with padding method 1 (zeros) instead of method 2',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const result = spec.handler(cmd, ctx);
          if (txnOf(ctx)?.suite !== 'sm') return result;
          return remadeCryptogram(
            cmd,
            ctx,
            result,
            (cvr) => cvr,
            (sk, input) => mac('sm4-cbc', sk, input, { pad: 1, len: 8, iv: new Uint8Array(16) }),
          );
        },
        'PSE',
      );
    },
  },
  'sm4-script-mac-under-ac-key': {
    description: 'on the SM suite issuer scripts are checked against a MAC made with the session key of UDK-AC',
    apply(c) {
      for (const ins of SCRIPT_INS) {
        replaceMacCheck(c, 'PSE', ins, (verify) => (cmd, body, m, ctx) => {
          const p = pbocOf(ctx);
          const txn = txnOf(ctx);
          if (!p?.data.udk || txn?.suite !== 'sm' || !txn.arqc || body.length + 4 > 255) return verify(cmd, body, m, ctx);
          const atc = u16(p.data.atc);
          const header = new Uint8Array([cmd.cla, cmd.ins, cmd.p1, cmd.p2]);
          const ok = equal(scriptMac('sm4', sessionKey('sm4', p.data.udk.ac, atc), header, atc, txn.arqc, body), m);
          if (!ok) txn.cvr[3]! |= 0x08;
          return ok;
        });
      }
    },
  },
  'sm4-script-pin-change-3des': {
    description: 'on the SM suite the PIN CHANGE script deciphers the new PIN block with 3DES (the cipher of the DES suite)',
    apply(c) {
      wrap(
        c,
        0x24,
        (spec) => (cmd, ctx) => {
          const p = pbocOf(ctx);
          if (!p?.data.udk || suiteOf(p.data) !== 'sm' || cmd.p2 !== 0x02 || cmd.data.length === 0 || cmd.data.length % 16 !== 0)
            return spec.handler(cmd, ctx);
          // what the SM4 decipherment below the wrapper finds is what 3DES makes of the block
          const sk = sessionKey('sm4', p.data.udk.enc, u16(p.data.atc));
          const data = encryptEcb('sm4', sk, decryptEcb('3des', sk, cmd.data));
          return spec.handler({ ...cmd, data }, ctx);
        },
        'PSE',
      );
    },
  },
  'no-anti-tear-transaction-log': {
    description: 'a new transaction log record is written by shifting the records one by one in place, each write committed',
    apply: logShiftedInPlace,
  },
} satisfies Record<string, Defect>;
