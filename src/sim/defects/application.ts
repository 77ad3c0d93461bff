/**
 * The application defects (model/defects/application.ts), composed onto a
 * conforming COS: handlers of the applications' own command sets wrapped
 * (`wrap(c, ins, around, 'PSE' | 'SSSE')`), a script MAC check replaced, a
 * command put into another environment's table, one command's writes taken
 * off the NVM journal (`Nvm.bypassJournal`).
 */
import { concat, equal } from '../../core/bytes.ts';
import { SW } from '../../core/sw.ts';
import { encodeTlv, tagHex } from '../../core/tlv.ts';
import type { APPLICATION_DEFECTS } from '../../model/defects/application.ts';
import { arpcMethod1, sessionKey } from '../../pboc/cryptograms.ts';
import { pbocOf, symmetric, u16 } from '../apps/pboc-data.ts';
import { pinOf } from '../apps/pboc-pin-oda.ts';
import { CardError } from '../errors.ts';
import {
  PUT_DATA_FORBIDDEN,
  anywhere,
  asksTc,
  blocksOthers,
  dolSlot,
  macLastByteIgnored,
  macUnchecked,
  otherEnvironments,
  replaceMacCheck,
  setAtc,
  txnOf,
  unjournaled,
} from './application-parts.ts';
import { type Defect, wrap } from './compose.ts';

export const APPLICATION_DEFECT_IMPLEMENTATIONS: Record<(typeof APPLICATION_DEFECTS)[number]['id'], Defect> = {
  // firewall
  'ssse-change-pin-outside-ssse': {
    description: "the SSSE's CHANGE PIN is in the card's common command table: it answers in the PSE and the MF too",
    apply(c) {
      const spec = c.applicationCommands.SSSE?.get(0x5e);
      if (!spec) throw new Error('no SSSE CHANGE PIN to misplace');
      c.commands.set(0x5e, spec);
    },
  },
  'pboc-commands-in-ssse': {
    description: 'GPO, GENERATE AC and GET DATA answer in the SSSE, on the PBOC ADF of the card',
    apply(c) {
      const pse = c.applicationCommands.PSE;
      const ssse = c.applicationCommands.SSSE;
      if (!pse || !ssse) throw new Error('needs the PSE and SSSE command sets');
      for (const ins of [0xa8, 0xae]) ssse.set(ins, { ...pse.get(ins)!, handler: anywhere(pse.get(ins)!.handler) });
      const getData = pse.get(0xca)!;
      const common = c.commands.get(0xca);
      ssse.set(0xca, {
        ...getData,
        handler: (cmd, ctx) => (cmd.p1 <= 0x01 && common ? common.handler(cmd, ctx) : anywhere(getData.handler)(cmd, ctx)),
      });
    },
  },
  'pboc-application-block-card-wide': {
    description: 'the PBOC APPLICATION BLOCK script blocks every environment of the card, the SSSE too',
    apply(c) {
      wrap(c, 0x1e, blocksOthers('temporary'), 'PSE');
    },
  },
  'pboc-card-block-card-wide': {
    description: 'the PBOC CARD BLOCK script blocks every environment of the card for good, the SSSE too',
    apply(c) {
      wrap(c, 0x16, blocksOthers('permanent'), 'PSE');
    },
  },
  'ssse-block-blocks-pse': {
    description: 'the SSSE APPLICATION BLOCK blocks every environment of the card, the PSE too',
    apply(c) {
      wrap(c, 0x1e, blocksOthers('temporary'), 'SSSE');
    },
  },
  'ssse-key-lookup-card-wide': {
    description: "the SSSE's INTERNAL AUTHENTICATE looks a key id up in the other environments when the SSSE has none",
    apply(c) {
      wrap(
        c,
        0x88,
        (spec) => (cmd, ctx) => {
          try {
            return spec.handler(cmd, ctx);
          } catch (e) {
            if (!(e instanceof CardError) || e.sw !== SW.REF_DATA_NOT_FOUND || cmd.p2 === 0) throw e;
            const other = otherEnvironments(ctx).find((df) => df.keys.has(cmd.p2));
            if (!other) throw e;
            return spec.handler(cmd, { ...ctx, security: { ...ctx.security, env: other } });
          }
        },
        'SSSE',
      );
    },
  },
  // PBOC
  'script-mac-unchecked-application-block': {
    description: 'APPLICATION BLOCK (84 1E) executes whatever script MAC it carries',
    apply(c) {
      replaceMacCheck(c, 'PSE', 0x1e, macUnchecked);
    },
  },
  'script-mac-last-byte-application-unblock': {
    description: "APPLICATION UNBLOCK (84 18) ignores the script MAC's last byte",
    apply(c) {
      replaceMacCheck(c, 'PSE', 0x18, macLastByteIgnored);
    },
  },
  'script-mac-unchecked-card-block': {
    description: 'CARD BLOCK (84 16) executes whatever script MAC it carries',
    apply(c) {
      replaceMacCheck(c, 'PSE', 0x16, macUnchecked);
    },
  },
  'script-mac-last-byte-pin-change': {
    description: "PIN CHANGE/UNBLOCK (84 24) ignores the script MAC's last byte",
    apply(c) {
      replaceMacCheck(c, 'PSE', 0x24, macLastByteIgnored);
    },
  },
  'script-mac-unchecked-put-data': {
    description: 'PUT DATA (04 DA) executes whatever script MAC it carries',
    apply(c) {
      replaceMacCheck(c, 'PSE', 0xda, macUnchecked);
    },
  },
  'issuer-auth-approves-declining-arc': {
    description: 'after a valid ARPC the second GENERATE AC approves (TC) whatever ARC the terminal passes',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const p = pbocOf(ctx);
          const txn = txnOf(ctx);
          const slot = p && dolSlot(p.df, 0x8d, 0x8a);
          if (txn?.stage !== 'first-gac' || txn.issuerAuth !== 'ok' || !asksTc(cmd) || !slot || slot.length !== 2) {
            return spec.handler(cmd, ctx);
          }
          const data = cmd.data.slice();
          if (data.length >= slot.offset + 2) data.set([0x30, 0x30], slot.offset);
          return spec.handler({ ...cmd, data }, ctx);
        },
        'PSE',
      );
    },
  },
  'arpc-last-byte-ignored': {
    description: 'issuer authentication compares the first 7 bytes of the ARPC: its last byte is not checked',
    apply(c) {
      wrap(
        c,
        0x82,
        (spec) => (cmd, ctx) => {
          const p = pbocOf(ctx);
          const txn = txnOf(ctx);
          if (!p?.data.udk || !txn?.arqc || txn.stage !== 'first-gac' || txn.issuerAuth || cmd.p2 !== 0 || cmd.data.length !== 10) {
            return spec.handler(cmd, ctx);
          }
          const sym = symmetric(txn.suite);
          const arc = cmd.data.slice(8, 10);
          const expected = arpcMethod1(sym, sessionKey(sym, p.data.udk.ac, u16(p.data.atc)), txn.arqc, arc);
          const near = equal(expected.slice(0, 7), cmd.data.slice(0, 7));
          return spec.handler(near ? { ...cmd, data: concat(expected, arc) } : cmd, ctx);
        },
        'PSE',
      );
    },
  },
  'cda-first-gac-only': {
    description: 'the second GENERATE AC ignores a CDA request and answers a plain cryptogram 9F26',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => spec.handler(txnOf(ctx)?.stage === 'first-gac' ? { ...cmd, p1: cmd.p1 & ~0x10 } : cmd, ctx),
        'PSE',
      );
    },
  },
  'atc-incremented-by-second-gac': {
    description: 'the second GENERATE AC increments the ATC again',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const p = pbocOf(ctx);
          if (p && txnOf(ctx)?.stage === 'first-gac' && p.data.atc < 0xffff) setAtc(ctx.nvm, p.data, p.data.atc + 1);
          return spec.handler(cmd, ctx);
        },
        'PSE',
      );
    },
  },
  'atc-rolled-back-on-offline-decline': {
    description: 'a transaction declined offline (AAC in the first GENERATE AC) takes its ATC increment back',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const first = txnOf(ctx)?.stage === 'gpo';
          const result = spec.handler(cmd, ctx);
          const p = pbocOf(ctx);
          if (first && p && txnOf(ctx)?.firstCid === 'AAC' && p.data.atc > 0) setAtc(ctx.nvm, p.data, p.data.atc - 1);
          return result;
        },
        'PSE',
      );
    },
  },
  'cvr-offline-pin-failure-not-set': {
    description: 'a wrong offline PIN leaves the CVR bit "offline PIN verification failed" clear',
    apply(c) {
      wrap(
        c,
        0x20,
        (spec) => (cmd, ctx) => {
          try {
            return spec.handler(cmd, ctx);
          } catch (e) {
            const txn = txnOf(ctx);
            if (txn?.offlinePin === 'failed') txn.cvr[1]! &= ~0x02;
            throw e;
          }
        },
        'PSE',
      );
    },
  },
  'cvr-offline-pin-performed-not-set': {
    description: 'a right offline PIN leaves the CVR bit "offline PIN verification performed" clear',
    apply(c) {
      wrap(
        c,
        0x20,
        (spec) => (cmd, ctx) => {
          const result = spec.handler(cmd, ctx);
          const txn = txnOf(ctx);
          if (txn?.offlinePin === 'ok') txn.cvr[1]! &= ~0x04;
          return result;
        },
        'PSE',
      );
    },
  },
  'sm4-cryptogram-last-byte-wrong': {
    description: 'on the SM suite the application cryptogram 9F26 has its last byte wrong',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const result = spec.handler(cmd, ctx);
          if (txnOf(ctx)?.suite !== 'sm' || !result.data) return result;
          const data = result.data.slice();
          for (let i = 0; i + 11 <= data.length; i++) {
            if (data[i] === 0x9f && data[i + 1] === 0x26 && data[i + 2] === 0x08) {
              data[i + 10]! ^= 0x01;
              break;
            }
          }
          return { ...result, data };
        },
        'PSE',
      );
    },
  },
  'tc-without-card-risk-management': {
    description: 'asked for a TC in the first GENERATE AC the card gives it without card risk management',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const p = pbocOf(ctx);
          if (!p || txnOf(ctx)?.stage !== 'gpo' || !asksTc(cmd)) return spec.handler(cmd, ctx);
          const { data } = p;
          const kept = { a: data.lastOnlineAtc, n: data.lastOnlineNotCompleted, f: data.lastIssuerAuthFailed };
          data.lastOnlineAtc = data.atc;
          data.lastOnlineNotCompleted = false;
          data.lastIssuerAuthFailed = false;
          try {
            return spec.handler(cmd, ctx);
          } finally {
            data.lastOnlineAtc = kept.a;
            if (!data.lastOnlineNotCompleted) data.lastOnlineNotCompleted = kept.n;
            data.lastIssuerAuthFailed = kept.f;
          }
        },
        'PSE',
      );
    },
  },
  'transaction-log-not-written': {
    description: 'approved transactions are not recorded in the transaction log',
    apply(c) {
      wrap(
        c,
        0xae,
        (spec) => (cmd, ctx) => {
          const p = pbocOf(ctx);
          if (!p?.data.objects['9F4D']) return spec.handler(cmd, ctx);
          const objects = p.data.objects;
          const { '9F4D': _log, ...rest } = objects;
          p.data.objects = rest;
          try {
            return spec.handler(cmd, ctx);
          } finally {
            p.data.objects = objects;
          }
        },
        'PSE',
      );
    },
  },
  'pin-try-counter-reads-maximum': {
    description: 'GET DATA 9F17 answers the maximum number of offline PIN tries, not the tries left',
    apply(c) {
      wrap(
        c,
        0xca,
        (spec) => (cmd, ctx) =>
          pbocOf(ctx) && cmd.p1 === 0x9f && cmd.p2 === 0x17 && cmd.data.length === 0
            ? { data: encodeTlv(0x9f17, Uint8Array.of(pinOf(ctx).maxTries)) }
            : spec.handler(cmd, ctx),
        'PSE',
      );
    },
  },
  // anti-tear
  'no-anti-tear-update-binary': {
    description: 'UPDATE BINARY writes in place, without the journal',
    apply(c) {
      wrap(c, 0xd6, unjournaled);
    },
  },
  'no-anti-tear-update-record': {
    description: 'UPDATE RECORD writes in place, without the journal',
    apply(c) {
      wrap(c, 0xdc, unjournaled);
    },
  },
  'no-anti-tear-append-record': {
    description: 'APPEND RECORD writes in place, without the journal (in the PSE too)',
    apply(c) {
      wrap(c, 0xe2, unjournaled);
      wrap(c, 0xe2, (spec) => (cmd, ctx) => ((cmd.cla & 0x80) === 0 ? unjournaled(spec)(cmd, ctx) : spec.handler(cmd, ctx)), 'PSE');
    },
  },
  'no-anti-tear-write-key': {
    description: 'WRITE KEY replaces a key field by field, without the journal',
    apply(c) {
      wrap(c, 0xd4, unjournaled);
    },
  },
  'no-anti-tear-ssse-pin-unblock': {
    description: "the SSSE's PIN UNBLOCK / RELOAD writes the PIN and its try counter without the journal",
    apply(c) {
      wrap(c, 0x24, unjournaled, 'SSSE');
    },
  },
  'no-anti-tear-ssse-change-pin': {
    description: "the SSSE's CHANGE PIN restores the try counter and writes the PIN without the journal",
    apply(c) {
      wrap(c, 0x5e, unjournaled, 'SSSE');
    },
  },
  'no-anti-tear-script-pin-change': {
    description: 'the issuer script PIN CHANGE/UNBLOCK writes the PIN and its try counter without the journal',
    apply(c) {
      wrap(c, 0x24, unjournaled, 'PSE');
    },
  },
  'no-anti-tear-put-data': {
    description: 'the issuer script PUT DATA writes the data object byte by byte in place, without the journal',
    apply(c) {
      wrap(
        c,
        0xda,
        (spec) => (cmd, ctx) => {
          const tag = tagHex((cmd.p1 << 8) | cmd.p2);
          const current = pbocOf(ctx)?.data.objects[tag];
          if (current && current.length === cmd.data.length && !PUT_DATA_FORBIDDEN.has(tag)) {
            ctx.nvm.bypassJournal();
            ctx.nvm.writeBytes(current, 0, cmd.data, 1);
          }
          return spec.handler(cmd, ctx);
        },
        'PSE',
      );
    },
  },
  // life cycle
  'pboc-application-unblock-ineffective': {
    description: 'the issuer script APPLICATION UNBLOCK answers 9000 and leaves the application blocked',
    apply(c) {
      wrap(
        c,
        0x18,
        (spec) => (cmd, ctx) => {
          const env = ctx.security.env;
          const was = env.blocked;
          const result = spec.handler(cmd, ctx);
          if (was && env.blocked !== was) ctx.nvm.set(env, 'blocked', was);
          return result;
        },
        'PSE',
      );
    },
  },
  'blocked-application-reads-records': {
    description: 'READ RECORD still answers in a temporarily blocked application',
    apply(c) {
      const spec = c.commands.get(0xb2);
      if (!spec) throw new Error('no READ RECORD');
      c.commands.set(0xb2, { ...spec, whenBlocked: true });
    },
  },
  'ssse-card-block-temporary': {
    description: 'the SSSE CARD BLOCK blocks only temporarily: APPLICATION UNBLOCK undoes it',
    apply(c) {
      wrap(
        c,
        0x16,
        (spec) => (cmd, ctx) => {
          const result = spec.handler(cmd, ctx);
          ctx.nvm.set(ctx.security.env, 'blocked', 'temporary');
          return result;
        },
        'SSSE',
      );
    },
  },
};
