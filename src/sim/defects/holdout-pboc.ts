/**
 * Hold-out defects of the PBOC debit application (model/defects/holdout.ts):
 * the SM suite, issuer authentication and scripts, the CVR, the transaction
 * state machine and its risk data. Each wraps a handler of the PSE's command
 * set (`wrap(c, ins, around, 'PSE')`) or its script-MAC check.
 */
import { type Bytes, concat, equal } from '../../core/bytes.ts';
import type { CommandApdu } from '../../core/apdu.ts';
import { type Tlv, encodeTlv, findTag, parseTlv } from '../../core/tlv.ts';
import { dolLength } from '../../emv/dol.ts';
import { applicationCryptogram, arpcMethod1, scriptMac, sessionKey } from '../../pboc/cryptograms.ts';
import { type Transaction, pbocOf, pdolOf, suiteOf, symmetric, transactions, u16 } from '../apps/pboc-data.ts';
import { pinOf, plaintextPinBlockDigits } from '../apps/pboc-pin-oda.ts';
import type { CardContext, HandlerResult } from '../context.ts';
import { CardError } from '../errors.ts';
import type { DedicatedFile } from '../fs.ts';
import { type Verify, dolSlot, txnOf } from './application-parts.ts';
import { type Defect, wrap } from './compose.ts';

/** The issuer script commands of the debit application. */
const SCRIPT_INS = [0x1e, 0x18, 0x16, 0x24, 0xda] as const;

/** A GENERATE AC response `77 { … }` with the value of `tag` replaced (when it is there). */
function withValue(data: Bytes, tag: number, value: (old: Bytes) => Bytes): Bytes {
  const top = parseTlv(data)[0];
  if (top?.tag !== 0x77 || !top.children) return data;
  const children = top.children.map((t: Tlv) => (t.tag === tag ? encodeTlv(t.tag, value(t.value)) : encodeTlv(t.tag, t.value)));
  return encodeTlv(0x77, concat(...children));
}

const tagValue = (data: Bytes | undefined, tag: number): Bytes | undefined => (data ? findTag(parseTlv(data), tag)?.value : undefined);

/** The PDOL data of a GET PROCESSING OPTIONS with the terminal's DF69 set to 01 (SM), when the PDOL asks for it. */
function announcingSm(cmd: CommandApdu, df: DedicatedFile): CommandApdu {
  let offset = 2;
  for (const e of pdolOf(df)) {
    if (e.tag === 0xdf69 && e.length >= 1 && cmd.data.length > offset) {
      const data = cmd.data.slice();
      data[offset] = 0x01;
      return { ...cmd, data };
    }
    offset += e.length;
  }
  return cmd;
}

/** The last script MAC context the card accepted, cached on the ADF where a new transaction does not reach. */
interface ScriptSession {
  atc: Bytes;
  arqc: Bytes;
}

function scriptMacFromEarlierTransaction(c: Parameters<Defect['apply']>[0]): void {
  const cache = new WeakMap<DedicatedFile, ScriptSession>();
  const table = c.applicationCommands.PSE;
  for (const ins of SCRIPT_INS) {
    const spec = table?.get(ins);
    const original = spec?.sm?.verify;
    if (!table || !spec?.sm || !original) throw new Error(`no script MAC check for INS ${ins.toString(16)}`);
    const verify: Verify = (cmd, body, mac, ctx) => {
      const p = pbocOf(ctx);
      let ok = false;
      let refusal: unknown;
      try {
        ok = original(cmd, body, mac, ctx);
      } catch (e) {
        if (!(e instanceof CardError)) throw e;
        refusal = e;
      }
      const txn = txnOf(ctx);
      if (ok && p && txn?.arqc) cache.set(p.df, { atc: u16(p.data.atc), arqc: txn.arqc });
      const cached = p && cache.get(p.df);
      if (!ok && cached && p.data.udk && body.length + 4 <= 255) {
        const sym = symmetric(suiteOf(p.data));
        const header = new Uint8Array([cmd.cla, cmd.ins, cmd.p1, cmd.p2]);
        ok = equal(scriptMac(sym, sessionKey(sym, p.data.udk.mac, cached.atc), header, cached.atc, cached.arqc, body), mac);
      }
      if (!ok && refusal) throw refusal;
      return ok;
    };
    table.set(ins, { ...spec, sm: { ...spec.sm, verify } });
  }
}

export const HOLDOUT_PBOC_DEFECTS = {
  'issuer-auth-retry-after-failure': {
    description: 'after a failed issuer authentication the card accepts another EXTERNAL AUTHENTICATE in the same transaction',
    apply(c) {
      wrap(
        c,
        0x82,
        (spec) => (cmd, ctx) => {
          const txn = txnOf(ctx);
          if (txn?.issuerAuth === 'failed' && txn.stage === 'first-gac' && cmd.p2 === 0) txn.issuerAuth = undefined;
          return spec.handler(cmd, ctx);
        },
        'PSE',
      );
    },
  },
  'sm4-arpc-compared-on-4-bytes': {
    description: 'on the SM suite issuer authentication compares the first 4 bytes of the ARPC only',
    apply(c) {
      wrap(
        c,
        0x82,
        (spec) => (cmd, ctx) => {
          const p = pbocOf(ctx);
          const txn = txnOf(ctx);
          if (!p?.data.udk || txn?.suite !== 'sm' || !txn.arqc || txn.stage !== 'first-gac' || txn.issuerAuth)
            return spec.handler(cmd, ctx);
          if (cmd.p2 !== 0 || cmd.data.length !== 10) return spec.handler(cmd, ctx);
          const arc = cmd.data.slice(8, 10);
          const expected = arpcMethod1('sm4', sessionKey('sm4', p.data.udk.ac, u16(p.data.atc)), txn.arqc, arc);
          const near = equal(expected.slice(0, 4), cmd.data.slice(0, 4));
          return spec.handler(near ? { ...cmd, data: concat(expected, arc) } : cmd, ctx);
        },
        'PSE',
      );
    },
  },
  'script-mac-from-earlier-transaction': {
    description: 'the card keeps the script MAC session of the last transaction that ran a script: a recorded script replays later',
    apply: scriptMacFromEarlierTransaction,
  },
  'cryptogram-ignores-unpredictable-number': {
    description: 'GENERATE AC feeds the cryptogram (and the card state) with the CDOL data but the unpredictable number left at zero',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const p = pbocOf(ctx);
          const stage = txnOf(ctx)?.stage;
          const slot = p && (stage === 'gpo' || stage === 'first-gac') ? dolSlot(p.df, stage === 'gpo' ? 0x8c : 0x8d, 0x9f37) : undefined;
          if (!slot || cmd.data.length < slot.offset + slot.length) return spec.handler(cmd, ctx);
          const data = cmd.data.slice();
          data.fill(0, slot.offset, slot.offset + slot.length);
          return spec.handler({ ...cmd, data }, ctx);
        },
        'PSE',
      );
    },
  },
  'gac-without-gpo': {
    description: 'GENERATE AC without GET PROCESSING OPTIONS starts a transaction of its own, on the ATC of the last one',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const p = pbocOf(ctx);
          if (p?.data.gpo && p.data.udk && !txnOf(ctx)) {
            const txn: Transaction = {
              suite: suiteOf(p.data),
              pdolData: new Uint8Array(dolLength(pdolOf(p.df))),
              stage: 'gpo',
              scripts: 0,
              cvr: new Uint8Array([0x03, 0x00, 0x00, 0x00]),
            };
            transactions.set(ctx.security, txn);
          }
          return spec.handler(cmd, ctx);
        },
        'PSE',
      );
    },
  },
  'sm-card-ignores-terminal-suite': {
    description: 'an SM-only card answers GET PROCESSING OPTIONS from a terminal announcing DF69 = 00 and goes on in SM',
    apply(c) {
      wrap(
        c,
        0xa8,
        (spec) => (cmd, ctx) => {
          const p = pbocOf(ctx);
          return spec.handler(p && suiteOf(p.data) === 'sm' && cmd.data[0] === 0x83 ? announcingSm(cmd, p.df) : cmd, ctx);
        },
        'PSE',
      );
    },
  },
  'sm4-ac-without-session-key': {
    description: 'on the SM suite the application cryptogram 9F26 is made with UDK-AC itself, not the ATC session key',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const result = spec.handler(cmd, ctx);
          const p = pbocOf(ctx);
          const txn = txnOf(ctx);
          const iad = tagValue(result.data, 0x9f10);
          const aip = p?.data.gpo ? tagValue(p.data.gpo, 0x82) : undefined;
          if (txn?.suite !== 'sm' || !p?.data.udk || !result.data || !iad || !aip || !tagValue(result.data, 0x9f26)) return result;
          const ac = applicationCryptogram('sm4', p.data.udk.ac, concat(cmd.data, aip, u16(p.data.atc), iad.slice(3, 7)));
          if (txn.arqc) txn.arqc = ac;
          return { ...result, data: withValue(result.data, 0x9f26, () => ac) };
        },
        'PSE',
      );
    },
  },
  'sm4-iad-names-3des': {
    description: 'on the SM suite the issuer application data 9F10 carries the algorithm byte 01 (3DES) of the DES template',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const result = spec.handler(cmd, ctx);
          if (txnOf(ctx)?.suite !== 'sm' || !result.data || !tagValue(result.data, 0x9f26)) return result;
          return { ...result, data: withValue(result.data, 0x9f10, (iad) => concat(iad.slice(0, -1), [0x01])) };
        },
        'PSE',
      );
    },
  },
  'cvr-issuer-auth-failure-not-set': {
    description: 'a failed issuer authentication leaves the CVR bit "issuer authentication failed" clear',
    apply(c) {
      wrap(
        c,
        0x82,
        (spec) => (cmd, ctx) => {
          const txn = txnOf(ctx);
          const before = txn?.cvr[1];
          const result = spec.handler(cmd, ctx);
          if (txn && before !== undefined && result.sw === 0x6300 && !(before & 0x08)) txn.cvr[1]! &= ~0x08;
          return result;
        },
        'PSE',
      );
    },
  },
  'cvr-script-counter-not-set': {
    description: 'issuer script commands are executed but not counted: the CVR script counter stays 0',
    apply(c) {
      for (const ins of SCRIPT_INS) {
        wrap(
          c,
          ins,
          (spec) => (cmd, ctx) => {
            const txn = txnOf(ctx);
            const before = txn?.scripts;
            try {
              return spec.handler(cmd, ctx);
            } finally {
              if (txn && before !== undefined) txn.scripts = before;
            }
          },
          'PSE',
        );
      }
    },
  },
  'second-gac-after-offline-decision': {
    description:
      'after a TC or AAC in the first GENERATE AC the card answers one more GENERATE AC as a second one (an AAC can become a TC)',
    apply(c) {
      const reopened = new WeakSet<Transaction>();
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const txn = txnOf(ctx);
          if (txn?.stage === 'done' && txn.firstCid !== undefined && txn.firstCid !== 'ARQC' && !reopened.has(txn)) {
            reopened.add(txn);
            txn.stage = 'first-gac';
          }
          return spec.handler(cmd, ctx);
        },
        'PSE',
      );
    },
  },
  'offline-pin-blocked-accepts-right-pin': {
    description: 'a blocked offline PIN (tries 0) still accepts the right PIN, which restores its try counter',
    apply(c) {
      wrap(
        c,
        0x20,
        (spec) =>
          (cmd, ctx): HandlerResult => {
            const p = pbocOf(ctx);
            if (!p || cmd.p1 !== 0 || cmd.p2 !== 0x80 || cmd.data.length !== 8) return spec.handler(cmd, ctx);
            const pin = ctx.security.env.pins.get(0x80);
            if (pin?.tries !== 0 || plaintextPinBlockDigits(cmd.data) !== pinOf(ctx).value) return spec.handler(cmd, ctx);
            ctx.nvm.set(pin, 'tries', pin.maxTries);
            ctx.security.pins.add(pin.id);
            const txn = txnOf(ctx);
            if (txn) {
              txn.offlinePin = 'ok';
              txn.cvr[1]! |= 0x04;
            }
            return {};
          },
        'PSE',
      );
    },
  },
  'no-anti-tear-second-gac': {
    description: 'the second GENERATE AC writes the risk data (online completed, issuer authentication, last online ATC) in place',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx: CardContext) => {
          if (txnOf(ctx)?.stage === 'first-gac') ctx.nvm.bypassJournal();
          return spec.handler(cmd, ctx);
        },
        'PSE',
      );
    },
  },
} satisfies Record<string, Defect>;
