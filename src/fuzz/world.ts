/**
 * The shapes of a fuzzing episode: the card and what the fuzzer knows and has
 * seen of it ({@link World}, {@link Live}), an {@link Action} (one step,
 * materialised against the live state from a seed of its own, so that a
 * shortened sequence replays the same choices) and the {@link Step} it makes:
 * a command APDU, a reset, or a command cut by a power loss at a given
 * persistent write. `observe` updates the live state from each answer.
 */
import type { Bytes } from '../core/bytes.ts';
import { findTag, parseTlv } from '../core/tlv.ts';
import type { SimulatedCard } from '../sim/card.ts';
import type { Knowledge } from './knowledge.ts';
import type { Prng } from './prng.ts';

/** What the fuzzer has seen of the session, from the card's answers only. */
export interface Live {
  /** The last challenge the card gave (GET CHALLENGE). */
  challenge?: Bytes;
  /** The ARQC of the last first GENERATE AC that asked to go online. */
  arqc?: Bytes;
  /** 61xx: bytes waiting, and the instruction that left them. */
  pending?: { n: number; ins: number };
  /** 6Cxx: the command to send again with the exact Le. */
  wrongLe?: { apdu: Bytes; n: number };
}

export interface World {
  card: SimulatedCard;
  know: Knowledge;
  live: Live;
}

export type Step = { kind: 'apdu'; apdu: Bytes } | { kind: 'reset' } | { kind: 'tear'; write: number; apdu: Bytes };

export interface Action {
  /** Family of the action, for statistics and the failure report. */
  name: string;
  seed: number;
  make: (w: World, rng: Prng) => Step;
}

export function apduStep(apdu: Bytes): Step {
  return { kind: 'apdu', apdu };
}

/** The instruction a response belongs to: a GET RESPONSE answers for the command that left the data. */
function answeredIns(live: Live, apdu: Bytes): number | undefined {
  const ins = apdu[1];
  if (ins === 0xc0 && live.pending) return live.pending.ins;
  return ins;
}

function gacArqc(data: Bytes): Bytes | undefined {
  try {
    const t = findTag(parseTlv(data), 0x77);
    const cid = t && findTag(t.children ?? [], 0x9f27)?.value[0];
    if (cid === undefined || (cid & 0xc0) !== 0x80) return undefined;
    return findTag(t!.children ?? [], 0x9f26)?.value;
  } catch {
    return undefined;
  }
}

/** Updates what the fuzzer has seen after the card answered `apdu` with `response`. */
export function observe(live: Live, apdu: Bytes, response: Bytes): void {
  const n = response.length;
  if (n < 2) return;
  const sw1 = response[n - 2]!;
  const sw2 = response[n - 1]!;
  const data = response.subarray(0, n - 2);
  const ins = answeredIns(live, apdu);
  if (sw1 === 0x90 && sw2 === 0x00 && data.length > 0) {
    if (ins === 0x84 && apdu[1] === 0x84) live.challenge = data.slice();
    if (ins === 0xae) {
      const arqc = gacArqc(data);
      if (arqc) live.arqc = arqc;
    }
  }
  if (sw1 === 0x61) {
    live.pending = { n: sw2 === 0 ? 256 : sw2, ins: ins ?? 0 };
  } else if (apdu[1] !== 0xc0 || sw1 !== 0x6c) {
    live.pending = undefined;
  }
  live.wrongLe = sw1 === 0x6c ? { apdu: apdu.slice(), n: sw2 === 0 ? 256 : sw2 } : undefined;
}

/** After a reset or a power loss nothing of the session survives. */
export function forget(live: Live): void {
  live.challenge = undefined;
  live.arqc = undefined;
  live.pending = undefined;
  live.wrongLe = undefined;
}
