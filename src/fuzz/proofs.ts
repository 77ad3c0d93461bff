/**
 * Whether a command carried the right secret, recomputed by the oracle from
 * the card's state before the command — never by asking the card: the PIN a
 * VERIFY or CHANGE PIN presents, the cryptogram of an EXTERNAL AUTHENTICATE
 * over a challenge not spent before, the MAC of a secured command (the
 * COS's, over the challenge) or of a PBOC issuer script (session key of
 * UDK-MAC over the ATC and the ARQC).
 */
import { type Bytes, equal, toHex } from '../core/bytes.ts';
import type { CommandApdu } from '../core/apdu.ts';
import { authCryptogram, pinDigits, verifyCommandMac } from '../cos/formats.ts';
import { KEY_TYPE } from '../model/keys.ts';
import { scriptMac, sessionKey } from '../pboc/cryptograms.ts';
import { suiteOf, symmetric, u16 } from '../sim/apps/pboc-data.ts';
import type { DfState, Exchange, OracleMemory, RefState, Snapshot } from './snapshot.ts';

/** The digits a VERIFY or CHANGE PIN block carries: BCD padded with F, or the EMV plaintext PIN block for reference 80. */
function presentedPin(block: Bytes, emv: boolean): string | undefined {
  if (emv && block.length === 8 && block[0]! >> 4 === 2) {
    const n = block[0]! & 0x0f;
    const hex = toHex(block.subarray(1));
    const digits = hex.slice(0, n);
    return n >= 4 && n <= 12 && /^[0-9]+$/.test(digits) && /^F*$/.test(hex.slice(n)) ? digits : undefined;
  }
  return block.length > 0 && block.length <= 6 ? pinDigits(block) : undefined;
}

function keyOfType(state: DfState | undefined, type: number): RefState | undefined {
  if (!state) return undefined;
  for (const k of state.keys.values()) if (k.type === type) return k;
  return undefined;
}

/** The judgement of one exchange: the states around it and what the oracle remembers. */
export interface Judged {
  before: Snapshot;
  after: Snapshot;
  x: Exchange;
  cmd?: CommandApdu;
  sw: number;
  memory: OracleMemory;
}

/** EXTERNAL AUTHENTICATE that is the PBOC issuer authentication (ARPC), not a key's. */
export function issuerAuthentication(j: Judged): boolean {
  const c = j.cmd;
  return (
    c?.ins === 0x82 &&
    c.p2 === 0 &&
    j.before.dfs.get(j.before.currentDf)?.pboc !== undefined &&
    j.before.pboc?.stage === 'first-gac' &&
    !!j.before.pboc.arqc
  );
}

/** The key or PIN a VERIFY (with data), CHANGE PIN or EXTERNAL AUTHENTICATE presents a secret to. */
export function presented(j: Judged): { kind: 'key' | 'pin'; id: number; state: RefState } | undefined {
  const c = j.cmd;
  const env = j.before.dfs.get(j.before.env);
  if (!c || !env) return undefined;
  if ((c.ins === 0x20 && c.data.length > 0) || c.ins === 0x5e) {
    const state = env.pins.get(c.p2);
    return state && { kind: 'pin', id: c.p2, state };
  }
  if (c.ins === 0x82 && !issuerAuthentication(j)) {
    const state = env.keys.get(c.p2);
    return state && { kind: 'key', id: c.p2, state };
  }
  return undefined;
}

/** Whether the command carried the right secret for the key or PIN it presents to (state before the command). */
export function rightSecret(j: Judged, p: { kind: 'key' | 'pin'; state: RefState }): boolean {
  const c = j.cmd!;
  if (p.kind === 'pin') {
    if (c.ins === 0x20) return presentedPin(c.data, c.p2 === 0x80) === p.state.value;
    const sep = c.data.indexOf(0xff);
    return sep > 0 && pinDigits(c.data.subarray(0, sep)) === p.state.value;
  }
  const challenge = j.memory.fresh(j.before.challenge);
  if (!challenge || !p.state.alg) return false;
  return equal(authCryptogram(p.state.alg, p.state.value as Bytes, challenge), c.data);
}

/** Whether a command with a MAC (CLA b3 set) carries the right one, recomputed from the state before it. */
export function macRight(j: Judged): boolean {
  const c = j.cmd;
  if (!c || (c.cla & 0x0c) === 0 || c.data.length < 4) return false;
  const { before } = j;
  const body = c.data.subarray(0, c.data.length - 4);
  const mac = c.data.subarray(c.data.length - 4);
  const header = Uint8Array.of(c.cla, c.ins, c.p1, c.p2);
  const current = before.dfs.get(before.currentDf);
  if (current?.pboc && [0x1e, 0x18, 0x16, 0x24, 0xda].includes(c.ins)) {
    const udk = current.pboc.udk;
    const arqc = before.pboc?.arqc;
    if (!udk || !arqc || body.length + 4 > 255) return false;
    const sym = symmetric(suiteOf(current.pboc));
    const atc = u16(current.atc ?? 0);
    return equal(scriptMac(sym, sessionKey(sym, udk.mac, atc), header, atc, arqc, body), mac);
  }
  const env = before.dfs.get(before.env);
  let key: RefState | undefined;
  if (c.ins === 0x24) key = keyOfType(env, c.p2 === 0 ? KEY_TYPE.PIN_UNBLOCK : KEY_TYPE.PIN_RELOAD);
  else if (c.ins === 0x18 || c.ins === 0x1e) key = keyOfType(env, KEY_TYPE.MAINTENANCE);
  else if (c.ins === 0x16) key = keyOfType(env, KEY_TYPE.CARD_BLOCK);
  else if (c.ins === 0xd4) key = keyOfType(c.p1 === 0x01 ? before.dfs.get(before.mf) : env, KEY_TYPE.MASTER);
  const challenge = j.memory.fresh(before.challenge);
  if (!key?.alg || !challenge) return false;
  return verifyCommandMac(key.alg, key.value as Bytes, challenge, header, body, mac);
}
