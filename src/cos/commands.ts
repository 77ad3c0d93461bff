/**
 * Builders for the COS's security and key-management commands (formats in
 * formats.ts), used by the personaliser and by the harness. Each takes the
 * card's challenge where the command needs one.
 */
import { type Bytes, concat } from '../core/bytes.ts';
import type { BlockAlg } from '../crypto/block.ts';
import { authCryptogram, encodeKeyHeader, keyCheckValue, pinBlock, securedCommand, wrapKey } from './formats.ts';

export interface KeyMaterial {
  alg: BlockAlg;
  value: Bytes;
}

export const GET_CHALLENGE = new Uint8Array([0x00, 0x84, 0x00, 0x00, 0x08]);

export function externalAuthenticate(keyId: number, key: KeyMaterial, challenge: Bytes): Bytes {
  const c = authCryptogram(key.alg, key.value, challenge);
  return concat([0x00, 0x82, 0x00, keyId, c.length], c);
}

export interface WriteKeyOptions {
  /** 'card': authorised by the card master key (P1 01); 'environment': by the environment master key (P1 00). */
  authority: 'card' | 'environment';
  authorityKey: KeyMaterial;
  challenge: Bytes;
  target: { id: number; type: number; alg: BlockAlg; version: number; tries: number; value: Bytes };
  /** Deliberate faults, for scenarios that check the card refuses them. */
  fault?: 'wrong-mac' | 'wrong-kcv' | 'no-mac';
}

export function writeKey(o: WriteKeyOptions): Bytes {
  const t = o.target;
  let kcv = keyCheckValue(t.alg, t.value);
  if (o.fault === 'wrong-kcv') kcv = kcv.map((b, i) => (i === 0 ? b ^ 0xff : b));
  const data = concat(
    encodeKeyHeader({ type: t.type, alg: t.alg, version: t.version, tries: t.tries, kcv }),
    wrapKey(o.authorityKey.alg, o.authorityKey.value, t.value),
  );
  const p1 = o.authority === 'card' ? 0x01 : 0x00;
  if (o.fault === 'no-mac') return concat([0x80, 0xd4, p1, t.id, data.length], data);
  const apdu = securedCommand(o.authorityKey.alg, o.authorityKey.value, o.challenge, new Uint8Array([0x84, 0xd4, p1, t.id]), data);
  if (o.fault === 'wrong-mac') apdu[apdu.length - 1] = apdu[apdu.length - 1]! ^ 0x01;
  return apdu;
}

export function writePin(o: { authorityKey: KeyMaterial; challenge: Bytes; id: number; pin: string; tries: number }): Bytes {
  const value = pinBlock(o.pin);
  const data = concat(
    encodeKeyHeader({ type: 0x0b, alg: 'none', version: 0, tries: o.tries, kcv: new Uint8Array(3) }),
    wrapKey(o.authorityKey.alg, o.authorityKey.value, value),
  );
  return securedCommand(o.authorityKey.alg, o.authorityKey.value, o.challenge, new Uint8Array([0x84, 0xd4, 0x00, o.id]), data);
}

export function verifyPin(id: number, pin: string): Bytes {
  const b = pinBlock(pin);
  return concat([0x00, 0x20, 0x00, id, b.length], b);
}

export function getKeyInfo(id: number): Bytes {
  return new Uint8Array([0x80, 0xca, 0x00, id, 0x00]);
}
