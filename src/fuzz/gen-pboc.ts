/**
 * The PBOC debit application's transaction flow as fuzzing actions (JR/T
 * 0025, docs/pboc-design.md): SELECT of the ADF, GET PROCESSING OPTIONS with
 * the PDOL data, READ RECORD of the AFL, GET DATA, DDA, the first GENERATE AC,
 * issuer authentication (ARPC method 1, right or wrong), issuer scripts of
 * every kind and of every length — with their MAC when it can be made (data
 * and MAC fit a short Lc), a wrong one otherwise — and the second GENERATE AC
 * with the issuer's response code. The issuer's keys are the card's own UDKs,
 * read from the ADF when the action is made; the ARQC is the one the card gave.
 */
import { type Bytes, concat } from '../core/bytes.ts';
import { encryptEcb, blockSize } from '../crypto/block.ts';
import { pad } from '../crypto/padding.ts';
import { type DolEntry, dolLength } from '../emv/dol.ts';
import { arpcMethod1, scriptMac, sessionKey } from '../pboc/cryptograms.ts';
import { type PbocCardData, symmetric, u16 } from '../sim/apps/pboc-data.ts';
import { type DedicatedFile, allDfs } from '../sim/fs.ts';
import { command, onWire, pickWire, wellFormed } from './encode.ts';
import { plaintextPinBlock, wrongDigits } from './gen-auth.ts';
import type { Prng } from './prng.ts';
import { type Action, type World, apduStep } from './world.ts';

export type ScriptKind = 'application-block' | 'application-unblock' | 'card-block' | 'pin-unblock' | 'pin-change' | 'put-data' | 'sized';

export const SCRIPT_KINDS: readonly ScriptKind[] = [
  'application-block',
  'application-unblock',
  'card-block',
  'pin-unblock',
  'pin-change',
  'put-data',
  'sized',
];

function adf(w: World): (DedicatedFile & { pboc: PbocCardData }) | undefined {
  const cur = w.card.context.currentDf as DedicatedFile & { pboc?: PbocCardData };
  if (cur.pboc) return cur as DedicatedFile & { pboc: PbocCardData };
  return allDfs(w.card.mf).find((d): d is DedicatedFile & { pboc: PbocCardData } => 'pboc' in d && d.pboc !== undefined);
}

/** DOL data of the right length (random values), with given values at their tags. */
function dolData(dol: readonly DolEntry[], rng: Prng, values: Record<number, Bytes> = {}): Bytes {
  const out = rng.bytes(dolLength(dol));
  let off = 0;
  for (const e of dol) {
    const v = values[e.tag];
    if (v) out.set(v.slice(0, e.length), off);
    off += e.length;
  }
  return out;
}

/** Length changed by a little, sometimes. */
function near(data: Bytes, rng: Prng, p: number): Bytes {
  if (!rng.chance(p)) return data;
  return rng.chance(0.5) ? data.slice(0, Math.max(0, data.length - rng.range(1, 3))) : concat(data, rng.bytes(rng.range(1, 3)));
}

export function selectAdfAction(seed: number): Action {
  return {
    name: 'pboc-select',
    seed,
    make(w, rng) {
      const name = w.know.pboc?.name ?? rng.bytes(8);
      return apduStep(wellFormed(command(0x00, 0xa4, 0x04, 0x00, name, rng.chance(0.8) ? 256 : undefined)));
    },
  };
}

export function gpoAction(seed: number, suite: 'right' | 'wrong'): Action {
  return {
    name: `pboc-gpo${suite === 'wrong' ? '-wrong-suite' : ''}`,
    seed,
    make(w, rng) {
      const p = w.know.pboc;
      const sm = p?.suite === 'sm';
      const df69 = Uint8Array.of(sm === (suite === 'right') ? 0x01 : 0x00);
      const body = near(dolData(p?.pdol ?? [], rng, { 0xdf69: df69 }), rng, 0.05);
      return apduStep(wellFormed(command(0x80, 0xa8, 0x00, 0x00, concat([0x83, body.length], body), 256)));
    },
  };
}

export function readAflAction(seed: number): Action {
  return {
    name: 'pboc-read-record',
    seed,
    make(w, rng) {
      const afl = w.know.pboc?.afl ?? [];
      const e = afl.length ? rng.pick(afl) : { sfi: rng.range(1, 30), first: 1, last: 3 };
      const record = rng.chance(0.9) ? rng.range(e.first, Math.max(e.first, e.last)) : rng.byte();
      return apduStep(Uint8Array.of(0x00, 0xb2, record, (e.sfi << 3) | 4, rng.chance(0.8) ? 0 : rng.byte()));
    },
  };
}

export function getDataAction(seed: number): Action {
  return {
    name: 'pboc-get-data',
    seed,
    make(w, rng) {
      const tags = [0x9f36, 0x9f13, 0x9f17, 0x9f4f, ...(w.know.pboc?.objects.map((o) => o.tag) ?? [])];
      const t = rng.pick(tags);
      return apduStep(Uint8Array.of(0x80, 0xca, t >> 8, t & 0xff, 0x00));
    },
  };
}

export function ddaAction(seed: number): Action {
  return {
    name: 'pboc-dda',
    seed,
    make(_w, rng) {
      return apduStep(wellFormed(command(0x00, 0x88, 0x00, 0x00, rng.bytes(rng.pick([4, 4, 8, 1])), 256)));
    },
  };
}

/** GENERATE AC: `type` is the reference control parameter's cryptogram type; CDA when asked. */
export function gacAction(seed: number, second: boolean, type: 'ARQC' | 'TC' | 'AAC', cda: boolean): Action {
  return {
    name: `pboc-gac${second ? '2' : '1'}-${type}${cda ? '-cda' : ''}`,
    seed,
    make(w, rng) {
      const dol = (second ? w.know.pboc?.cdol2 : w.know.pboc?.cdol1) ?? [];
      const arc = rng.weighted<Bytes>([
        [Uint8Array.of(0x30, 0x30), 6],
        [Uint8Array.of(0x30, 0x35), 2],
        [Uint8Array.of(0x59, 0x33), 1],
        [Uint8Array.of(0x5a, 0x33), 1],
        [rng.bytes(2), 1],
      ]);
      const data = near(dolData(dol, rng, { 0x8a: arc }), rng, 0.05);
      const p1 = { ARQC: 0x80, TC: 0x40, AAC: 0x00 }[type] | (cda ? 0x10 : 0);
      return apduStep(wellFormed(command(0x80, 0xae, p1, 0x00, data, 256)));
    },
  };
}

/** EXTERNAL AUTHENTICATE with ARPC ‖ ARC for the ARQC the card gave: right, with a flipped bit, or for another response code. */
export function issuerAuthAction(seed: number, right: boolean): Action {
  return {
    name: right ? 'pboc-issuer-auth' : 'pboc-issuer-auth-wrong',
    seed,
    make(w, rng) {
      const a = adf(w);
      const arqc = w.live.arqc ?? new Uint8Array(8);
      const arc = rng.chance(0.8) ? Uint8Array.of(0x30, 0x30) : Uint8Array.of(0x30, 0x35);
      let arpc = rng.bytes(8);
      if (a?.pboc.udk) {
        const sym = symmetric(w.know.pboc?.suite ?? 'des-rsa');
        arpc = arpcMethod1(sym, sessionKey(sym, a.pboc.udk.ac, u16(a.pboc.atc)), arqc, arc);
        if (!right) arpc[rng.int(8)]! ^= 1 << rng.int(8);
      }
      return apduStep(wellFormed(command(0x00, 0x82, 0x00, 0x00, concat(arpc, arc))));
    },
  };
}

/** Data lengths of issuer script commands: small, around the short-Lc limit (251 + MAC = 255), and beyond. */
export function scriptLength(rng: Prng): number {
  return rng.weighted<number>([
    [rng.int(24), 6],
    [rng.range(240, 262), 4],
    [rng.pick([251, 252, 255, 256]), 2],
    [rng.range(263, 600), 1],
  ]);
}

/** An issuer script command of the transaction in progress, MAC'd with the session key of UDK-MAC over ATC and ARQC. */
export function scriptAction(seed: number, kind: ScriptKind, fault: 'none' | 'wrong-mac' | 'plain'): Action {
  return {
    name: `pboc-script-${kind}${fault === 'none' ? '' : `-${fault}`}`,
    seed,
    make(w, rng) {
      const a = adf(w);
      const sym = symmetric(w.know.pboc?.suite ?? 'des-rsa');
      const atc = u16(a?.pboc.atc ?? 0);
      let header: number[];
      let data: Bytes = new Uint8Array(0);
      switch (kind) {
        case 'application-block':
          header = [0x84, 0x1e, 0, 0];
          break;
        case 'application-unblock':
          header = [0x84, 0x18, 0, 0];
          break;
        case 'card-block':
          header = [0x84, 0x16, 0, 0];
          break;
        case 'pin-unblock':
          header = [0x84, 0x24, 0, 0];
          break;
        case 'pin-change': {
          header = [0x84, 0x24, 0, 2];
          const pin = Array.from({ length: rng.range(4, 12) }, () => rng.int(10)).join('');
          const bs = blockSize(sym);
          data = a?.pboc.udk ? encryptEcb(sym, sessionKey(sym, a.pboc.udk.enc, atc), pad(plaintextPinBlock(pin), bs, 1)) : rng.bytes(bs);
          break;
        }
        case 'put-data': {
          const objects = w.know.pboc?.objects ?? [];
          const o = objects.length ? rng.pick(objects) : { tag: 0x9f23, length: 1 };
          header = [0x04, 0xda, o.tag >> 8, o.tag & 0xff];
          data = rng.bytes(rng.chance(0.8) ? o.length : scriptLength(rng));
          break;
        }
        case 'sized': {
          const ins = rng.pick([0xda, 0x24, 0x1e, 0x18]);
          const t = w.know.pboc?.objects.length ? rng.pick(w.know.pboc.objects).tag : 0x9f23;
          header = ins === 0xda ? [0x04, 0xda, t >> 8, t & 0xff] : [0x84, ins, 0, ins === 0x24 ? rng.pick([0, 2]) : 0];
          data = rng.bytes(scriptLength(rng));
          break;
        }
      }
      if (fault === 'plain') {
        return apduStep(onWire(command(header[0]! & ~0x0c, header[1]!, header[2]!, header[3]!, data), pickWire(rng), rng));
      }
      const arqc = w.live.arqc ?? new Uint8Array(8);
      let mac = rng.bytes(4);
      if (a?.pboc.udk && data.length + 4 <= 255) {
        mac = scriptMac(sym, sessionKey(sym, a.pboc.udk.mac, atc), Uint8Array.from(header), atc, arqc, data);
        if (fault === 'wrong-mac') mac[rng.int(4)]! ^= 1 << rng.int(8);
      }
      return apduStep(wellFormed(command(header[0]!, header[1]!, header[2]!, header[3]!, concat(data, mac)), rng.chance(0.1)));
    },
  };
}

/** The offline PIN in the EMV plaintext PIN block (VERIFY 00 20 00 80), right or wrong. */
export function offlinePinAction(seed: number, right: boolean): Action {
  return {
    name: right ? 'pboc-offline-pin' : 'pboc-offline-pin-wrong',
    seed,
    make(w, rng) {
      const pin = w.card.context.security.env.pins.get(0x80)?.value ?? '888888';
      const value = right ? pin : wrongDigits(pin, rng);
      return apduStep(concat([0x00, 0x20, 0x00, 0x80, 8], plaintextPinBlock(value)));
    },
  };
}
