/**
 * Security commands built with the card's own secrets, right or deliberately
 * wrong: GET CHALLENGE, EXTERNAL AUTHENTICATE, VERIFY (right, wrong, asking
 * the tries), CHANGE PIN, GET KEY INFO, the social-security application's
 * secured commands (APPLICATION BLOCK / UNBLOCK, CARD BLOCK, PIN UNBLOCK and
 * RELOAD, MAC'd updates), WRITE KEY reloading a key or a PIN, and the PSAM's
 * DES CALCULATION INITIALISE / DES CALCULATION. The keys and PINs are read
 * from the card's current environment when the action is made, and MACs use
 * the last challenge the card gave, so that "right" commands can succeed and
 * lift blocks or reset counters — the events the invariants watch.
 */
import { type Bytes, concat } from '../core/bytes.ts';
import { authCryptogram, keyCheckValue, pinBlock, securedCommand, wrapKey } from '../cos/formats.ts';
import { blockSize } from '../crypto/block.ts';
import { KEY_TYPE } from '../model/keys.ts';
import type { ElementaryFile, KeyObject, PinObject } from '../sim/fs.ts';
import { command, onWire, pickWire, wellFormed } from './encode.ts';
import type { Prng } from './prng.ts';
import { type Action, type World, apduStep } from './world.ts';

export type Fault = 'none' | 'wrong-mac' | 'plain' | 'other-key';

function env(w: World) {
  return w.card.context.security.env;
}

function challengeOf(w: World, alg: KeyObject['alg']): Bytes {
  return w.live.challenge ?? new Uint8Array(blockSize(alg));
}

function digits(rng: Prng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(10));
  return s;
}

/** A near miss of the PIN: one digit changed, the last digit(s) dropped, a digit added. */
export function wrongDigits(pin: string, rng: Prng): string {
  const kind = rng.int(pin.length > 4 ? 4 : 2);
  if (kind === 2) return pin.slice(0, pin.length - rng.range(1, 2));
  if (kind === 3 && pin.length < 12) return pin + String(rng.int(10));
  const i = kind === 1 ? pin.length - 1 : rng.int(pin.length);
  return pin.slice(0, i) + String((Number(pin[i]) + rng.range(1, 9)) % 10) + pin.slice(i + 1);
}

/** EMV plaintext PIN block 2N ‖ PIN ‖ F… (8 bytes). */
export function plaintextPinBlock(pin: string): Bytes {
  const hex = `2${pin.length.toString(16)}${pin}`.padEnd(16, 'F');
  return Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
}

function someKey(w: World, rng: Prng, type?: number): KeyObject | undefined {
  const keys = [...env(w).keys.values()].filter((k) => type === undefined || k.type === type);
  return keys.length ? rng.pick(keys) : undefined;
}

function somePin(w: World, rng: Prng): PinObject | undefined {
  const pins = [...env(w).pins.values()];
  return pins.length ? rng.pick(pins) : undefined;
}

export function challengeAction(seed: number): Action {
  return { name: 'challenge', seed, make: (_w, rng) => apduStep(Uint8Array.of(0x00, 0x84, 0x00, 0x00, rng.chance(0.85) ? 8 : 4)) };
}

/** EXTERNAL AUTHENTICATE with a key of the current environment over the last challenge. */
export function externalAuthAction(seed: number, right: boolean): Action {
  return {
    name: right ? 'external-auth' : 'external-auth-wrong',
    seed,
    make(w, rng) {
      const key = someKey(w, rng);
      if (!key) return apduStep(concat([0x00, 0x82, 0x00, rng.int(8), 8], rng.bytes(8)));
      const c = authCryptogram(key.alg, key.value, challengeOf(w, key.alg));
      if (!right) c[rng.int(c.length)]! ^= 1 << rng.int(8);
      return apduStep(concat([0x00, 0x82, 0x00, key.id, c.length], c));
    },
  };
}

/** VERIFY of a PIN of the current environment: right, wrong by one digit, or without data (tries left). */
export function verifyAction(seed: number, kind: 'right' | 'wrong' | 'query'): Action {
  return {
    name: `verify-${kind}`,
    seed,
    make(w, rng) {
      const pin = somePin(w, rng);
      if (!pin) return apduStep(Uint8Array.of(0x00, 0x20, 0x00, rng.pick([0x00, 0x80]), ...(rng.chance(0.5) ? [] : [3, 0x12, 0x34, 0x56])));
      if (kind === 'query') return apduStep(Uint8Array.of(0x00, 0x20, 0x00, pin.id));
      const value = kind === 'right' ? pin.value : wrongDigits(pin.value, rng);
      const emv = pin.id === 0x80 && rng.chance(0.7);
      const block = emv ? plaintextPinBlock(value) : pinBlock(value);
      return apduStep(concat([0x00, 0x20, 0x00, pin.id, block.length], block));
    },
  };
}

/** CHANGE PIN (social-security application): old ‖ FF ‖ new, the old one right or wrong. */
export function changePinAction(seed: number, right: boolean): Action {
  return {
    name: right ? 'change-pin' : 'change-pin-wrong',
    seed,
    make(w, rng) {
      const pin = somePin(w, rng);
      const old = pin ? (right ? pin.value : wrongDigits(pin.value, rng)) : digits(rng, 6);
      const next = digits(rng, rng.pick([6, 6, 8, 12, 4]));
      return apduStep(wellFormed(command(0x80, 0x5e, 0x01, pin?.id ?? 0, concat(pinBlock(old), [0xff], pinBlock(next)))));
    },
  };
}

export function keyInfoAction(seed: number): Action {
  return {
    name: 'key-info',
    seed,
    make(w, rng) {
      const pinRef = rng.chance(0.3);
      const ref = pinRef ? somePin(w, rng)?.id : someKey(w, rng)?.id;
      return apduStep(Uint8Array.of(0x80, 0xca, pinRef ? 1 : 0, ref ?? rng.byte(), 0x00));
    },
  };
}

/** The key of the update condition of an EF of the current DF that is updated with a key (for a MAC'd update). */
function keyedEf(w: World, rng: Prng): { ef: ElementaryFile; key: KeyObject } | undefined {
  const df = w.card.context.currentDf;
  const found = df.children.flatMap((c) => {
    if (c.kind !== 'EF' || c.sfi === undefined) return [];
    const ac = c.access.update;
    const id = typeof ac === 'object' && 'key' in ac ? ac.key : undefined;
    const key = id === undefined ? undefined : env(w).keys.get(id);
    return key ? [{ ef: c, key }] : [];
  });
  return found.length ? rng.pick(found) : undefined;
}

export type SecuredKind = 'block' | 'unblock' | 'card-block' | 'pin-unblock' | 'pin-reload' | 'update' | 'write-key' | 'write-pin';

/** A secured command of the current environment, MAC'd over the last challenge with the key it needs (or a fault). */
export function securedAction(seed: number, kind: SecuredKind, fault: Fault): Action {
  return {
    name: `secured-${kind}${fault === 'none' ? '' : `-${fault}`}`,
    seed,
    make(w, rng) {
      let header: number[];
      let data: Bytes = new Uint8Array(0);
      let key: KeyObject | undefined;
      switch (kind) {
        case 'block':
        case 'unblock':
          header = [0x84, kind === 'block' ? 0x1e : 0x18, 0, 0];
          key = someKey(w, rng, KEY_TYPE.MAINTENANCE);
          break;
        case 'card-block':
          header = [0x84, 0x16, 0, 0];
          key = someKey(w, rng, KEY_TYPE.CARD_BLOCK);
          break;
        case 'pin-unblock':
        case 'pin-reload': {
          header = [0x84, 0x24, 0, kind === 'pin-unblock' ? 0 : 1];
          key = someKey(w, rng, kind === 'pin-unblock' ? KEY_TYPE.PIN_UNBLOCK : KEY_TYPE.PIN_RELOAD);
          const pin = digits(rng, rng.pick([6, 6, 8, 12]));
          data = key ? wrapKey(key.alg, key.value, pinBlock(pin)) : rng.bytes(16);
          break;
        }
        case 'update': {
          const target = keyedEf(w, rng);
          key = target?.key;
          const ef = target?.ef;
          if (ef && ef.structure !== 'transparent') {
            const record = ef.records[0];
            header = [0x04, 0xdc, 1, (ef.sfi! << 3) | 4];
            data = record ? record.map((b, i) => (ef.tlvRecords && i < 2 ? b : rng.byte())) : rng.bytes(8);
          } else {
            header = [0x04, 0xd6, 0x80 | (ef?.sfi ?? 1), 0];
            data = rng.bytes(Math.max(1, Math.min(ef?.data.length ?? 8, rng.range(1, 16))));
          }
          break;
        }
        case 'write-key':
        case 'write-pin': {
          key = someKey(w, rng, KEY_TYPE.MASTER);
          const tries = rng.range(1, 15);
          if (kind === 'write-pin') {
            const pin = somePin(w, rng);
            header = [0x84, 0xd4, 0, pin?.id ?? 0];
            const block = pinBlock(digits(rng, 6));
            data = key ? concat([KEY_TYPE.PIN, 0, 0, tries, 0, 0, 0], wrapKey(key.alg, key.value, block)) : rng.bytes(23);
          } else {
            const target = someKey(w, rng);
            header = [0x84, 0xd4, 0, target?.id ?? 1];
            data =
              key && target
                ? concat(
                    [target.type, target.alg === 'sm4' ? 4 : 1, target.version, tries],
                    keyCheckValue(target.alg, target.value),
                    wrapKey(key.alg, key.value, target.value),
                  )
                : rng.bytes(31);
          }
          break;
        }
      }
      if (fault === 'other-key') key = someKey(w, rng);
      if (fault === 'plain' || !key) {
        return apduStep(onWire(command(header[0]! & ~0x0c, header[1]!, header[2]!, header[3]!, data), pickWire(rng), rng));
      }
      const apdu = securedCommand(key.alg, key.value, challengeOf(w, key.alg), Uint8Array.from(header), data);
      if (fault === 'wrong-mac') apdu[apdu.length - 1 - rng.int(4)]! ^= 1 << rng.int(8);
      return apduStep(apdu);
    },
  };
}

/** The PSAM: DES CALCULATION INITIALISE with one of its keys (right usage and levels, or not), then DES CALCULATION. */
export function psamAction(seed: number, step: 'init' | 'calc'): Action {
  return {
    name: `psam-${step}`,
    seed,
    make(w, rng) {
      if (step === 'init') {
        const key = someKey(w, rng);
        const usage = key && rng.chance(0.85) ? key.type : rng.byte();
        const levels = rng.chance(0.85) ? (usage >> 5) & 0x07 : rng.int(4);
        const data = rng.bytes(8 * levels + (rng.chance(0.05) ? rng.range(1, 7) : 0));
        return apduStep(wellFormed(command(0x80, 0x1a, usage, key?.id ?? rng.int(8), data)));
      }
      const mode = rng.chance(0.9) ? rng.pick([0x00, 0x05]) : rng.byte();
      const bs = rng.pick([8, 16]);
      const data = mode === 0x05 ? rng.bytes(bs + rng.int(64)) : rng.bytes(bs * rng.range(rng.chance(0.05) ? 0 : 1, 4));
      return apduStep(
        onWire(command(0x80, 0xfa, mode, 0, data, rng.chance(0.5) ? 256 : undefined), rng.chance(0.85) ? 'short' : pickWire(rng), rng),
      );
    },
  };
}
