/**
 * The invariants checked after every response, from a snapshot of the card's
 * security-relevant state taken before and after the command:
 *
 *   response        the answer ends with a status word of ISO/IEC 7816-4 Table 5/6 (or the PBOC 9xxx
 *                   ones); data only with 9000, 61xx, 62xx; never more than Ne bytes; under T=0 data
 *                   only for a case 2 command (ISO/IEC 7816-3 §10.3.5)
 *   internal-fault  never 6F00, never an exception escaping the simulator
 *   try-counter     a key's or PIN's try counter never goes up, except by the command that
 *                   legitimately resets it with the right secret (VERIFY, EXTERNAL AUTHENTICATE,
 *                   CHANGE PIN, PIN UNBLOCK / RELOAD, WRITE KEY); a wrong secret costs exactly one
 *                   try and 63Cx tells the tries left; the right one restores them all
 *   block           a blocked PIN or key (no tries left) is never accepted and comes back only
 *                   through PIN UNBLOCK / RELOAD or WRITE KEY with the right MAC; a temporarily
 *                   blocked application only through APPLICATION UNBLOCK with the right MAC, a
 *                   permanently blocked one never; a blocked application runs nothing but
 *                   selection, GET RESPONSE, GET CHALLENGE and the block commands; a block or
 *                   unblock command that succeeded took effect
 *   secret-leak     no key or PIN bytes in a response (secrets.ts)
 *   firewall        entering another environment leaves no verified PIN, authenticated key or
 *                   challenge; no command changes the keys, PINs, counters or blocks of an
 *                   environment it is not in
 *   authentication  a PIN counts as verified, a key as authenticated, a PIN or key value changes,
 *                   only through the command carrying the right secret or MAC over a challenge
 *                   used once; a wrong secret is never accepted and ends an earlier verification;
 *                   a reset leaves nothing verified, authenticated or challenged
 *   atc             the application transaction counter never goes down, and goes up only by one,
 *                   through GET PROCESSING OPTIONS
 *
 * The oracle reads the simulator's state (white box) but judges each change
 * by recomputing, from the state before the command, whether the command
 * carried the right secret — never by asking the card.
 */
import { type Bytes, equal, toHex } from '../core/bytes.ts';
import { apduCase } from '../core/apdu.ts';
import { describeSw, swHex } from '../core/sw.ts';
import { type DedicatedFile, hex4 } from '../sim/fs.ts';
import { type Judged, macRight, presented, rightSecret } from './proofs.ts';
import type { SecretIndex } from './secrets.ts';
import type { Exchange, OracleMemory, RefState, Snapshot } from './snapshot.ts';

export { type Exchange, OracleMemory, type Snapshot, referencesChanged, snapshot } from './snapshot.ts';

export const INVARIANTS = [
  'response',
  'internal-fault',
  'try-counter',
  'block',
  'secret-leak',
  'firewall',
  'authentication',
  'atc',
] as const;
export type InvariantName = (typeof INVARIANTS)[number];

export interface Violation {
  invariant: InvariantName;
  message: string;
}

const ok = (sw: number) => sw === 0x9000 || sw >> 8 === 0x61;

function swOfResponse(r: Bytes): number {
  return r.length >= 2 ? (r[r.length - 2]! << 8) | r[r.length - 1]! : -1;
}

function where(df: DedicatedFile): string {
  return df.parent ? (df.fid !== undefined ? hex4(df.fid) : 'a DF') : 'MF';
}

const succeeded = (j: Judged) => j.x.torn === true || ok(j.sw);

/** The answer, for messages. */
const answer = (j: Judged) => (j.x.torn ? 'power cut' : swHex(j.sw));

/** The response itself: status word, data, length, transport. */
export function checkResponse(x: Exchange): Violation | undefined {
  const r = x.response;
  if (r.length < 2) return { invariant: 'response', message: `an answer of ${r.length} byte(s), without status word` };
  const sw = swOfResponse(r);
  if (x.fault || sw === 0x6f00) {
    return {
      invariant: 'internal-fault',
      message: x.fault ? `internal fault (${x.fault.message})` : 'answered 6F00 (no precise diagnosis)',
    };
  }
  if (!describeSw(sw).known) return { invariant: 'response', message: `status word ${swHex(sw)} is none of ISO/IEC 7816-4 or PBOC` };
  const n = r.length - 2;
  if (n > 0 && ![0x90, 0x61, 0x62].includes(sw >> 8)) return { invariant: 'response', message: `${n} data bytes with ${swHex(sw)}` };
  if (x.cmd) {
    if (x.cmd.ne !== undefined && n > x.cmd.ne) return { invariant: 'response', message: `${n} data bytes for Ne = ${x.cmd.ne}` };
    if (x.protocol === 'T=0' && n > 0 && apduCase(x.cmd) !== 2) {
      return {
        invariant: 'response',
        message: `T=0: ${n} data bytes answer a case ${apduCase(x.cmd)} command (only case 2 may carry them)`,
      };
    }
  } else if (n > 0) {
    return { invariant: 'response', message: `${n} data bytes answer a malformed APDU` };
  }
  return undefined;
}

export function checkLeak(x: Exchange, secrets: SecretIndex): Violation | undefined {
  if (x.response.length <= 2) return undefined;
  const found = secrets.find(x.response.subarray(0, x.response.length - 2));
  return found ? { invariant: 'secret-leak', message: `the response carries the ${found.what} at offset ${found.offset}` } : undefined;
}

/** Nothing of a session survives a reset: nothing verified, authenticated or challenged, the MF selected. */
export function checkReset(after: Snapshot): Violation | undefined {
  if (after.keys.size || after.pins.size || after.challenge || after.env !== after.mf || after.currentDf !== after.mf) {
    return { invariant: 'authentication', message: 'after a reset the security state of the session (or its selection) is still there' };
  }
  return undefined;
}

/** A key's or PIN's counter and value across one command: a violation, 'changed', or undefined when untouched. */
function referenceChange(
  kind: 'key' | 'pin',
  id: number,
  was: RefState,
  now: RefState,
  df: DedicatedFile,
  j: Judged,
): Violation | 'changed' | undefined {
  const name = `${kind === 'key' ? 'key' : 'PIN'} ${id} of ${where(df)}`;
  const sw = answer(j);
  const c = j.cmd;
  const reloaded =
    c !== undefined && succeeded(j) && ((c.ins === 0xd4 && c.p2 === id) || (c.ins === 0x24 && kind === 'pin')) && macRight(j);
  if (now.tries > was.tries && !reloaded) {
    const p = was.tries > 0 && succeeded(j) ? presented(j) : undefined;
    if (!(p && p.id === id && p.kind === kind && df === j.before.env && rightSecret(j, p))) {
      return {
        invariant: was.tries === 0 ? 'block' : 'try-counter',
        message: `the try counter of ${name} went from ${was.tries} to ${now.tries} (${sw})`,
      };
    }
  }
  if (now.tries < was.tries && !reloaded) {
    const p = presented(j);
    const spent = p && p.id === id && p.kind === kind && df === j.before.env && was.tries - now.tries === 1;
    if (!spent)
      return {
        invariant: 'try-counter',
        message: `the try counter of ${name} went from ${was.tries} to ${now.tries} (${sw}), more than one wrong attempt or none`,
      };
  }
  const valueChanged =
    typeof now.value === 'string' ? now.value !== was.value : now.value !== was.value && !equal(now.value, was.value as Bytes);
  if (valueChanged) {
    const p = c?.ins === 0x5e && succeeded(j) ? presented(j) : undefined;
    const allowed = reloaded || (p !== undefined && p.id === id && rightSecret(j, p));
    if (!allowed) return { invariant: 'authentication', message: `the value of ${name} changed without the right secret (${sw})` };
  }
  return valueChanged || now.tries !== was.tries ? 'changed' : undefined;
}

/** What a VERIFY, CHANGE PIN or EXTERNAL AUTHENTICATE answered against what happened to its counter. */
function checkPresentation(j: Judged): Violation | undefined {
  if (j.x.torn) return undefined;
  const p = presented(j);
  if (!p) return undefined;
  const name = `${p.kind === 'key' ? 'key' : 'PIN'} ${p.id}`;
  const now = (p.kind === 'key' ? j.after.dfs.get(j.before.env)?.keys : j.after.dfs.get(j.before.env)?.pins)?.get(p.id);
  const sw = j.sw;
  if ((sw & 0xfff0) === 0x63c0) {
    const left = sw & 0x0f;
    if (!now || now.tries !== p.state.tries - 1 || left !== Math.min(now.tries, 15)) {
      return {
        invariant: 'try-counter',
        message: `${swHex(sw)} for ${name}, whose try counter went from ${p.state.tries} to ${now?.tries}`,
      };
    }
    if (p.kind === 'pin' && j.after.pins.has(p.id) && j.after.env === j.before.env) {
      return { invariant: 'authentication', message: `${name} still counts as verified after a wrong PIN (${swHex(sw)})` };
    }
  }
  if (sw === 0x6983 && p.state.tries !== 0)
    return { invariant: 'block', message: `6983 (blocked) for ${name}, which has ${p.state.tries} tries left` };
  if (ok(sw)) {
    if (p.state.tries === 0) return { invariant: 'block', message: `the blocked ${name} was accepted (${swHex(sw)})` };
    if (!rightSecret(j, p))
      return { invariant: 'authentication', message: `${name} accepted a wrong ${p.kind === 'key' ? 'cryptogram' : 'PIN'} (${swHex(sw)})` };
    if (now && now.tries !== now.max)
      return { invariant: 'try-counter', message: `the right secret left ${name} with ${now.tries} of ${now.max} tries` };
  }
  return undefined;
}

/** A blocked application does nothing but select, answer GET RESPONSE and GET CHALLENGE and take the block commands. */
function checkBlocked(j: Judged): Violation | undefined {
  const env = j.before.dfs.get(j.before.env);
  const c = j.cmd;
  if (env?.blocked && c && ok(j.sw) && !j.x.torn && ![0xa4, 0xc0, 0x84, 0x1e, 0x18, 0x16].includes(c.ins)) {
    return {
      invariant: 'block',
      message: `the ${env.blocked === 'permanent' ? 'permanently ' : ''}blocked application ${where(j.before.env)} ran INS ${toHex([c.ins])} (${swHex(j.sw)})`,
    };
  }
  // a block command that succeeded with its MAC took effect
  if (c && j.sw === 0x9000 && [0x1e, 0x18, 0x16].includes(c.ins) && macRight(j)) {
    const now = j.after.dfs.get(j.before.env)?.blocked;
    const expected = c.ins === 0x16 ? now === 'permanent' : c.ins === 0x1e ? now !== undefined : now === undefined;
    if (!expected)
      return { invariant: 'block', message: `INS ${toHex([c.ins])} answered 9000 but left ${where(j.before.env)} ${now ?? 'unblocked'}` };
  }
  return undefined;
}

/** The changes between two snapshots around one command. */
export function checkState(before: Snapshot, after: Snapshot, x: Exchange, memory: OracleMemory): Violation | undefined {
  const j: Judged = { before, after, x, sw: swOfResponse(x.response), memory, ...(x.cmd ? { cmd: x.cmd } : {}) };
  const v = judge(j);
  memory.commit();
  return v;
}

function judge(j: Judged): Violation | undefined {
  const { before, after } = j;
  const ins = j.cmd?.ins;
  for (const [df, a] of after.dfs) {
    const b = before.dfs.get(df);
    if (!b) continue;
    let changed = false;
    for (const [id, now] of a.keys) {
      const was = b.keys.get(id);
      const r = was && (was.tries !== now.tries || was.value !== now.value) ? referenceChange('key', id, was, now, df, j) : undefined;
      if (r === 'changed') changed = true;
      else if (r) return r;
    }
    for (const [id, now] of a.pins) {
      const was = b.pins.get(id);
      const r = was && (was.tries !== now.tries || was.value !== now.value) ? referenceChange('pin', id, was, now, df, j) : undefined;
      if (r === 'changed') changed = true;
      else if (r) return r;
    }
    if (b.blocked !== a.blocked) {
      changed = true;
      if (b.blocked === 'permanent')
        return { invariant: 'block', message: `the permanently blocked application ${where(df)} became ${a.blocked ?? 'unblocked'}` };
      if (b.blocked === 'temporary' && a.blocked === undefined && !(succeeded(j) && ins === 0x18 && df === before.env && macRight(j))) {
        return {
          invariant: 'block',
          message: `the blocked application ${where(df)} was unblocked without APPLICATION UNBLOCK and its MAC`,
        };
      }
    }
    if (a.atc !== undefined && b.atc !== undefined && a.atc !== b.atc) {
      changed = true;
      if (a.atc < b.atc) return { invariant: 'atc', message: `the ATC of ${where(df)} went down from ${b.atc} to ${a.atc}` };
      if (a.atc !== b.atc + 1 || ins !== 0xa8 || !succeeded(j)) {
        return {
          invariant: 'atc',
          message: `the ATC of ${where(df)} went from ${b.atc} to ${a.atc} (INS ${toHex([ins ?? 0])}, ${answer(j)})`,
        };
      }
    }
    const inEnv = a.env === before.env || a.env === after.env || df === before.env || df === after.env;
    if (changed && !inEnv)
      return { invariant: 'firewall', message: `a command in ${where(before.env)} changed the keys, PINs or state of ${where(df)}` };
  }
  const shown = checkPresentation(j) ?? checkBlocked(j);
  if (shown) return shown;
  if (after.env !== before.env) {
    if (after.keys.size || after.pins.size || after.challenge) {
      const kept = [
        ...[...after.keys].map((k) => `key ${k}`),
        ...[...after.pins].map((p) => `PIN ${p}`),
        ...(after.challenge ? ['the challenge'] : []),
      ];
      return {
        invariant: 'firewall',
        message: `${kept.join(', ')} of ${where(before.env)} still count${kept.length === 1 ? 's' : ''} in ${where(after.env)}`,
      };
    }
    return undefined;
  }
  for (const id of after.keys) {
    if (before.keys.has(id)) continue;
    const p = succeeded(j) ? presented(j) : undefined;
    if (!(p?.kind === 'key' && p.id === id && p.state.tries > 0 && rightSecret(j, p))) {
      return {
        invariant: 'authentication',
        message: `key ${id} of ${where(after.env)} counts as authenticated without its cryptogram (${answer(j)})`,
      };
    }
  }
  for (const id of after.pins) {
    if (before.pins.has(id)) continue;
    const p = succeeded(j) ? presented(j) : undefined;
    if (!(p?.kind === 'pin' && p.id === id && p.state.tries > 0 && rightSecret(j, p))) {
      return {
        invariant: 'authentication',
        message: `PIN ${id} of ${where(after.env)} counts as verified without the right PIN (${answer(j)})`,
      };
    }
  }
  return undefined;
}
