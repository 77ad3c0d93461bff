/**
 * Commands for any instruction, with parameters drawn from the instruction's
 * own grammar (the card's FIDs, SFIs, DF names, record numbers, key and PIN
 * references, DOL lengths, data object tags, FCP and DGI shapes) mixed with
 * random values, then mutated and put on the wire in any form
 * (encode.ts). Most reach a handler; the rest probe the dispatcher.
 */
import { type Bytes, concat } from '../core/bytes.ts';
import type { CommandApdu } from '../core/apdu.ts';
import { encodeTlv } from '../core/tlv.ts';
import { dolLength } from '../emv/dol.ts';
import { command, mutate, onWire, pickWire } from './encode.ts';
import { nameVariant } from './knowledge.ts';
import type { Prng } from './prng.ts';
import { type Action, type World, apduStep } from './world.ts';

const LE = [undefined, 1, 2, 4, 8, 16, 0x1c, 0x28, 255, 256] as const;

function le(rng: Prng): number | undefined {
  return rng.chance(0.15) ? rng.range(1, 256) : rng.pick(LE);
}

function fid(w: World, rng: Prng): Bytes {
  const files = [...w.know.dfs, ...w.know.efs].filter((f) => f.fid !== undefined);
  if (files.length === 0 || rng.chance(0.1))
    return rng.pick([Uint8Array.of(0x3f, 0x00), Uint8Array.of(0xff, 0xff), Uint8Array.of(0x3f, 0xff), rng.bytes(2)]);
  const f = rng.pick(files).fid!;
  return Uint8Array.of(f >> 8, f & 0xff);
}

function sfi(w: World, rng: Prng): number {
  const known = w.know.efs.filter((e) => e.sfi !== undefined);
  return known.length && rng.chance(0.85) ? rng.pick(known).sfi! : rng.int(32);
}

function dfName(w: World, rng: Prng): Bytes {
  const names = w.know.dfs.flatMap((d) => (d.name ? [d.name] : []));
  if (names.length === 0 || rng.chance(0.1)) return rng.bytes(rng.int(18));
  const name = rng.pick(names);
  return rng.chance(0.6) ? name : nameVariant(name, rng.int(4), rng.bytes(rng.range(1, 3)));
}

function selectData(w: World, p1: number, rng: Prng): Bytes {
  switch (p1) {
    case 0x04:
      return dfName(w, rng);
    case 0x08:
    case 0x09: {
      const files = [...w.know.dfs, ...w.know.efs].filter((f) => f.path.length > 0);
      return files.length && rng.chance(0.8) ? rng.pick(files).path : rng.bytes(rng.int(8));
    }
    case 0x03:
      return rng.chance(0.8) ? new Uint8Array(0) : fid(w, rng);
    default:
      return rng.chance(0.08) ? new Uint8Array(0) : fid(w, rng);
  }
}

function keyRef(w: World, rng: Prng): number {
  const env = w.card.context.security.env;
  const ids = [...env.keys.keys(), ...env.pins.keys()];
  return ids.length && rng.chance(0.8) ? rng.pick(ids) : rng.pick([0, 1, 2, 0x80, 0x81, 0xff, rng.byte()]);
}

function pinBlock(rng: Prng): Bytes {
  const digits = Array.from({ length: rng.range(1, 13) }, () => rng.int(10)).join('');
  const hex = digits.length % 2 ? `${digits}F` : digits;
  return Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
}

/** An FCP template for CREATE FILE: a DF, or a transparent or record EF, some fields wrong or missing. */
function fcp(rng: Prng): Bytes {
  const parts: Bytes[] = [];
  const df = rng.chance(0.3);
  const descriptor = df
    ? Uint8Array.of(0x38)
    : rng.pick([
        Uint8Array.of(0x01),
        Uint8Array.of(0x02, 0x21, 0x00, 0x08, 0x04),
        Uint8Array.of(0x06, 0x21, 0x00, 0x10, 0x03),
        rng.bytes(rng.range(1, 5)),
      ]);
  if (rng.chance(0.95)) parts.push(encodeTlv(0x82, descriptor));
  if (rng.chance(0.95)) parts.push(encodeTlv(0x83, rng.chance(0.8) ? Uint8Array.of(0x0f, rng.byte()) : rng.bytes(rng.range(1, 3))));
  if (df && rng.chance(0.5)) parts.push(encodeTlv(0x84, rng.bytes(rng.range(1, 17))));
  if (!df && rng.chance(0.8)) parts.push(encodeTlv(0x80, Uint8Array.of(0x00, rng.pick([0, 1, 8, 16, 64, rng.byte()]))));
  if (rng.chance(0.5)) parts.push(encodeTlv(0x88, Uint8Array.of(rng.byte())));
  if (rng.chance(0.9))
    parts.push(
      encodeTlv(
        0x86,
        rng.chance(0.8)
          ? Uint8Array.of(rng.pick([0, 1, 2, 3, 4, 0xff]), 0, rng.int(8), rng.pick([0, 1, 0xff]), 0, rng.int(8))
          : rng.bytes(rng.int(8)),
      ),
    );
  const body = concat(...parts);
  return rng.chance(0.9) ? encodeTlv(0x62, body) : body;
}

/** A STORE DATA field: DGIs with short or FF-prefixed lengths, possibly inconsistent. */
function dgis(rng: Prng): Bytes {
  const out: Bytes[] = [];
  for (let i = rng.range(1, 3); i > 0; i--) {
    const dgi = rng.pick([0x0101, 0x0201, 0x8000, 0x9000, 0x9102, 0x9200, 0x8201, 0x8301, rng.u32() & 0xffff]);
    const value = rng.bytes(rng.pick([0, 1, 8, 16, 48, rng.int(300)]));
    const len = rng.chance(0.85) ? value.length : rng.byte();
    out.push(concat([dgi >> 8, dgi & 0xff], len < 255 && value.length < 255 ? [len] : [0xff, len >> 8, len & 0xff], value));
  }
  return concat(...out);
}

function dataOfLength(rng: Prng, n: number): Bytes {
  const delta = rng.chance(0.8) ? 0 : rng.pick([-2, -1, 1, 2]);
  return rng.bytes(Math.max(0, n + delta));
}

/** A plausible command for `ins` in the current state. */
export function grammar(ins: number, w: World, rng: Prng): CommandApdu {
  const pboc = w.know.pboc;
  switch (ins) {
    case 0xa4: {
      const p1 = rng.pick([0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x04, 0x08, 0x09, rng.byte()]);
      const p2 = rng.pick([0x00, 0x00, 0x04, 0x0c, 0x02, 0x01, 0x03, 0x08, 0x0e, rng.byte()]);
      return command(0x00, ins, p1, p2, selectData(w, p1, rng), rng.chance(0.5) ? 256 : undefined);
    }
    case 0xb0: {
      const bySfi = rng.chance(0.6);
      const p1 = bySfi ? 0x80 | sfi(w, rng) : rng.pick([0x00, 0x00, 0x01, 0x7f, rng.byte()]);
      return command(
        0x00,
        ins,
        p1,
        rng.pick([0, 0, 1, 8, 16, 0x20, 0xff, rng.byte()]),
        rng.chance(0.05) ? rng.bytes(2) : undefined,
        le(rng) ?? 256,
      );
    }
    case 0xb2:
    case 0xdc: {
      const p1 = rng.pick([0, 1, 1, 2, 3, 4, 10, 0xff, rng.byte()]);
      const p2 = ((rng.chance(0.8) ? sfi(w, rng) : 0) << 3) | rng.pick([4, 4, 4, 0, 1, 2, 3, 5, 6, 7]);
      if (ins === 0xb2) return command(0x00, ins, p1, p2, rng.chance(0.05) ? rng.bytes(1) : undefined, le(rng) ?? 256);
      return command(rng.pick([0x00, 0x04]), ins, p1, p2, rng.bytes(rng.pick([0, 1, 4, 8, 16, 0x1c, rng.int(260)])));
    }
    case 0xd6:
      return command(
        rng.pick([0x00, 0x04]),
        ins,
        rng.chance(0.5) ? 0x80 | sfi(w, rng) : rng.int(4),
        rng.int(64),
        rng.bytes(rng.pick([0, 1, 4, 8, 16, rng.int(300)])),
      );
    case 0xe2:
      if (rng.chance(0.5)) return command(rng.pick([0x80, 0x84]), ins, rng.pick([0x00, 0x80, 0x01]), rng.int(4), dgis(rng));
      return command(rng.pick([0x00, 0x04]), ins, 0, sfi(w, rng) << 3, rng.bytes(rng.pick([1, 8, 16, rng.int(64)])));
    case 0xc0: {
      const n = w.live.pending?.n;
      return command(
        0x00,
        ins,
        rng.chance(0.9) ? 0 : rng.byte(),
        rng.chance(0.9) ? 0 : rng.byte(),
        rng.chance(0.05) ? rng.bytes(2) : undefined,
        n !== undefined && rng.chance(0.6) ? n : le(rng),
      );
    }
    case 0x84:
      return command(
        0x00,
        ins,
        rng.chance(0.9) ? 0 : rng.byte(),
        rng.chance(0.9) ? 0 : rng.byte(),
        undefined,
        rng.pick([4, 8, 8, 16, 1, 256]),
      );
    case 0x82:
      return command(0x00, ins, rng.chance(0.9) ? 0 : rng.byte(), keyRef(w, rng), rng.bytes(rng.pick([8, 16, 8, 10, 0, 7, 17])));
    case 0x20:
      return command(
        0x00,
        ins,
        rng.chance(0.9) ? 0 : rng.byte(),
        keyRef(w, rng),
        rng.chance(0.3) ? rng.bytes(rng.pick([0, 8, 7, 9])) : pinBlock(rng),
      );
    case 0x88: {
      const n = rng.pick([8, 8, 4, 0, 16, rng.int(40)]);
      return command(
        0x00,
        ins,
        rng.chance(0.9) ? 0 : rng.byte(),
        rng.chance(0.6) ? 0 : keyRef(w, rng),
        rng.bytes(n),
        rng.chance(0.7) ? 256 : undefined,
      );
    }
    case 0xca: {
      const tags = [0x9f36, 0x9f13, 0x9f17, 0x9f4f, 0x9f79, 0xdf69, 0x9f23, ...(pboc?.objects.map((o) => o.tag) ?? [])];
      if (rng.chance(0.35)) return command(0x80, ins, rng.int(2), keyRef(w, rng), undefined, 256);
      const t = rng.chance(0.85) ? rng.pick(tags) : rng.u32() & 0xffff;
      return command(0x80, ins, t >> 8, t & 0xff, rng.chance(0.05) ? rng.bytes(1) : undefined, rng.chance(0.8) ? 256 : le(rng));
    }
    case 0xd4:
      return command(
        rng.pick([0x84, 0x80, 0x84]),
        ins,
        rng.pick([0, 1, 2]),
        keyRef(w, rng),
        rng.bytes(rng.pick([4, 7, 15, 23, 27, 31, 39, rng.int(64)])),
      );
    case 0xe0:
      return command(0x80, ins, rng.chance(0.9) ? 0 : rng.byte(), rng.chance(0.9) ? 0 : rng.byte(), fcp(rng));
    case 0xe4:
      return command(
        0x80,
        ins,
        rng.chance(0.9) ? 0 : rng.byte(),
        rng.chance(0.9) ? 0 : rng.byte(),
        rng.chance(0.9) ? fid(w, rng) : rng.bytes(rng.int(4)),
      );
    case 0x44:
      return command(
        0x00,
        ins,
        rng.chance(0.9) ? 0 : rng.byte(),
        rng.chance(0.9) ? 0 : rng.byte(),
        rng.chance(0.1) ? rng.bytes(2) : undefined,
      );
    case 0x5e:
      return command(
        0x80,
        ins,
        rng.pick([1, 1, 0, 2]),
        keyRef(w, rng),
        concat(pinBlock(rng), rng.chance(0.9) ? [0xff] : [], pinBlock(rng)),
      );
    case 0x24:
    case 0x1e:
    case 0x18:
    case 0x16:
    case 0xda:
      return command(
        rng.pick([0x84, 0x04, 0x80, 0x00]),
        ins,
        rng.chance(0.8) ? 0 : rng.byte(),
        rng.pick([0, 1, 2, rng.byte()]),
        rng.bytes(rng.pick([0, 3, 4, 8, 12, 20, 36, rng.int(300)])),
      );
    case 0xa8: {
      const n = pboc ? dolLength(pboc.pdol) : rng.int(40);
      const body = dataOfLength(rng, n);
      const template = rng.chance(0.9) ? 0x83 : rng.byte();
      return command(
        0x80,
        ins,
        rng.chance(0.9) ? 0 : rng.byte(),
        rng.chance(0.9) ? 0 : rng.byte(),
        concat([template, rng.chance(0.9) ? body.length : rng.byte()], body),
        256,
      );
    }
    case 0xae: {
      const dol = rng.chance(0.5) ? pboc?.cdol1 : pboc?.cdol2;
      const p1 = rng.pick([0x80, 0x40, 0x00, 0x90, 0x50, 0xc0, rng.byte()]);
      return command(0x80, ins, p1, rng.chance(0.9) ? 0 : rng.byte(), dataOfLength(rng, dol ? dolLength(dol) : rng.int(64)), 256);
    }
    case 0x1a:
      return command(
        0x80,
        ins,
        rng.pick([0x26, 0x46, 0x21, 0x41, 0x00, rng.byte()]),
        keyRef(w, rng),
        rng.bytes(8 * rng.int(4) + (rng.chance(0.1) ? 1 : 0)),
      );
    case 0xfa:
      return command(
        0x80,
        ins,
        rng.pick([0x00, 0x05, 0x01, rng.byte()]),
        rng.chance(0.9) ? 0 : rng.byte(),
        rng.bytes(rng.pick([0, 8, 16, 24, 7, rng.int(300)])),
        rng.chance(0.5) ? 256 : undefined,
      );
    default:
      return command(
        rng.pick([0x00, 0x80, 0x84, rng.byte()]),
        ins,
        rng.byte(),
        rng.byte(),
        rng.bytes(rng.pick([0, 0, 1, 8, rng.int(300)])),
        le(rng),
      );
  }
}

/** Any instruction: one of the card's (mostly) or any byte, its grammar, 0-2 mutations, any wire form. */
export function rawAction(seed: number): Action {
  return {
    name: 'raw',
    seed,
    make(w, rng) {
      const ins = rng.chance(0.85) ? rng.pick(w.know.instructions) : rng.byte();
      let cmd = grammar(ins, w, rng);
      for (let i = rng.pick([0, 0, 0, 1, 1, 2]); i > 0; i--) cmd = mutate(cmd, rng);
      return apduStep(onWire(cmd, pickWire(rng), rng));
    },
  };
}

/** An environment or file switch: SELECT of a known DF or EF, by FID, path or name, in any P2 form. */
export function selectAction(seed: number): Action {
  return {
    name: 'select',
    seed,
    make(w, rng) {
      const env = rng.chance(0.5);
      let data: Bytes;
      let p1: number;
      if (env) {
        const e = rng.pick(w.know.envs);
        const byName = e.name !== undefined && rng.chance(0.5);
        p1 = byName ? 0x04 : 0x00;
        data = byName ? e.name! : e.df.fid !== undefined ? Uint8Array.of(e.df.fid >> 8, e.df.fid & 0xff) : new Uint8Array(0);
      } else if (w.know.pboc && rng.chance(0.25)) {
        p1 = 0x04;
        data = w.know.pboc.name;
      } else {
        const f = rng.pick([...w.know.dfs, ...w.know.efs]);
        p1 = f.path.length > 0 && rng.chance(0.6) ? 0x08 : 0x00;
        data = p1 === 0x08 ? f.path : f.fid !== undefined ? Uint8Array.of(f.fid >> 8, f.fid & 0xff) : new Uint8Array(0);
      }
      const p2 = rng.pick([0x00, 0x00, 0x0c, 0x04, ...(p1 === 0x04 ? [0x02] : [])]);
      const cmd = command(0x00, 0xa4, p1, p2, data, p2 === 0x0c || rng.chance(0.3) ? undefined : 256);
      return apduStep(onWire(cmd, rng.chance(0.9) ? 'short' : pickWire(rng), rng));
    },
  };
}

/** GET RESPONSE for the bytes waiting (61xx), or the command sent again with the exact Le (6Cxx). */
export function followUpAction(seed: number): Action {
  return {
    name: 'follow-up',
    seed,
    make(w, rng) {
      const { pending, wrongLe } = w.live;
      if (wrongLe && rng.chance(0.9)) {
        const a = wrongLe.apdu.slice();
        if (a.length >= 5) a[a.length - 1] = wrongLe.n & 0xff;
        return apduStep(a);
      }
      const n = pending?.n ?? 256;
      const ne = rng.chance(0.8) ? n : rng.pick([1, n - 1, n + 1, 256].filter((x) => x >= 1 && x <= 256));
      return apduStep(Uint8Array.of(0x00, 0xc0, 0x00, 0x00, ne & 0xff));
    },
  };
}
