/**
 * How the fuzzer puts a command on the wire (ISO/IEC 7816-4 §5.1 and §5.1.1):
 * well-formed in short or extended length, or deliberately malformed —
 * truncated, an Lc that does not match, trailing bytes, Le added or dropped,
 * fewer than four bytes — and the parameter mutations applied to a command
 * before it is encoded (CLA with logical-channel, chaining and SM bits, P1-P2,
 * data flipped, cut or grown).
 */
import { type Bytes, concat } from '../core/bytes.ts';
import { type CommandApdu, encodeCommand } from '../core/apdu.ts';
import type { Prng } from './prng.ts';

export type Wire = 'short' | 'extended' | 'truncated' | 'lc-mismatch' | 'trailing' | 'le-toggled' | 'tiny';

export function command(cla: number, ins: number, p1: number, p2: number, data: Bytes = new Uint8Array(0), ne?: number): CommandApdu {
  return ne === undefined ? { cla, ins, p1, p2, data } : { cla, ins, p1, p2, data, ne };
}

/** Well-formed: short when Nc ≤ 255 and Ne ≤ 256 and not asked otherwise, extended else. */
export function wellFormed(cmd: CommandApdu, extended = false): Bytes {
  return encodeCommand(extended ? { ...cmd, extended: true } : cmd);
}

/** A wire form chosen at random, mostly well-formed. */
export function pickWire(rng: Prng): Wire {
  return rng.weighted<Wire>([
    ['short', 70],
    ['extended', 12],
    ['truncated', 5],
    ['lc-mismatch', 4],
    ['trailing', 3],
    ['le-toggled', 4],
    ['tiny', 2],
  ]);
}

/** The command in the given wire form. */
export function onWire(cmd: CommandApdu, wire: Wire, rng: Prng): Bytes {
  switch (wire) {
    case 'short':
      return wellFormed(cmd);
    case 'extended':
      return wellFormed(cmd, true);
    case 'truncated': {
      const full = wellFormed(cmd, rng.chance(0.3));
      const cut = rng.chance(0.5) ? rng.range(1, Math.min(3, full.length)) : rng.range(1, full.length);
      return full.slice(0, full.length - cut);
    }
    case 'lc-mismatch': {
      const full = wellFormed(cmd);
      if (full.length <= 5) return concat(full, [rng.range(1, 255)], rng.bytes(rng.int(4)));
      let lc = rng.range(1, 255);
      if (lc === full[4]) lc = (lc % 255) + 1;
      const out = full.slice();
      out[4] = lc;
      return out;
    }
    case 'trailing':
      return concat(wellFormed(cmd, rng.chance(0.3)), rng.bytes(rng.range(1, 4)));
    case 'le-toggled':
      if (cmd.ne === undefined) return wellFormed({ ...cmd, ne: rng.pick([1, 2, 4, 8, 16, 255, 256, rng.range(1, 256)]) }, rng.chance(0.2));
      return wellFormed(command(cmd.cla, cmd.ins, cmd.p1, cmd.p2, cmd.data), rng.chance(0.2));
    case 'tiny':
      return rng.bytes(rng.int(4));
  }
}

/** CLA values around a valid one: logical channels 1-3 and 4-19, chaining, secure messaging, proprietary, anything. */
export function mutateCla(cla: number, rng: Prng): number {
  switch (rng.int(7)) {
    case 0:
      return (cla & 0xfc) | rng.range(1, 3); // logical channel 1-3 (§5.1.1.1)
    case 1:
      return 0x40 | rng.int(16); // further interindustry: channels 4-19 (§5.1.1.2)
    case 2:
      return cla | 0x10; // command chaining
    case 3:
      return cla ^ 0x04; // secure messaging indication toggled
    case 4:
      return cla ^ 0x80; // interindustry ↔ proprietary
    case 5:
      return rng.pick([0x00, 0x04, 0x0c, 0x80, 0x84, 0x8c, 0xa0, 0xff]);
    default:
      return rng.byte();
  }
}

/** The data field changed: a bit flipped, cut, grown, replaced, emptied. */
export function mutateData(data: Bytes, rng: Prng): Bytes {
  switch (rng.int(6)) {
    case 0: {
      if (data.length === 0) return rng.bytes(rng.range(1, 8));
      const out = data.slice();
      out[rng.int(out.length)]! ^= 1 << rng.int(8);
      return out;
    }
    case 1:
      return data.slice(0, rng.int(data.length + 1));
    case 2:
      return concat(data, rng.bytes(rng.range(1, 8)));
    case 3:
      return new Uint8Array(0);
    case 4:
      return rng.bytes(rng.pick([1, 2, 7, 8, 9, 15, 16, 17, 64, 251, 252, 255, 256, 300]));
    default: {
      const out = data.slice();
      for (let i = 0; i < out.length; i++) if (rng.chance(0.2)) out[i] = rng.byte();
      return out;
    }
  }
}

/** One mutation of a command's parameters (the header, the data or Le). */
export function mutate(cmd: CommandApdu, rng: Prng): CommandApdu {
  const c: CommandApdu = { ...cmd };
  switch (rng.int(6)) {
    case 0:
      c.cla = mutateCla(c.cla, rng);
      break;
    case 1:
      c.p1 = rng.chance(0.5) ? c.p1 ^ (1 << rng.int(8)) : rng.byte();
      break;
    case 2:
      c.p2 = rng.chance(0.5) ? c.p2 ^ (1 << rng.int(8)) : rng.byte();
      break;
    case 3:
    case 4:
      c.data = mutateData(c.data, rng);
      break;
    default:
      if (rng.chance(0.5)) delete c.ne;
      else c.ne = rng.pick([1, 4, 8, 16, 255, 256, 257, 65536, rng.range(1, 256)]);
  }
  if (c.data.length > 65535) c.data = c.data.slice(0, 65535);
  return c;
}
