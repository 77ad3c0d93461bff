/**
 * Anti-tear checks (LD/T 6001 part 2, 防拔): cut the card's power at a chosen
 * persistent write of a command, then power it up again. The simulator in-process,
 * or served through PC/SC with its fixture control (ssc-lab sim serve --control).
 */
import { type Bytes, equal, toHex } from '../core/bytes.ts';
import { swHex } from '../core/sw.ts';
import { TransportError } from '../channel/channel.ts';
import { type CommandApdu, command } from '../core/apdu.ts';
import { efFcp } from '../cos/fcp.ts';
import { fail } from './expect.ts';
import type { CardSession } from '../channel/session.ts';
import type { SimulatorControl } from '../channel/fixture.ts';

/** Instructions of the commands a tear is aimed at: every command of the COS that writes persistent memory. */
export const TEAR_INS = {
  VERIFY: 0x20,
  /** SSSE PIN UNBLOCK/RELOAD and the PBOC issuer script PIN CHANGE/UNBLOCK. */
  PIN_RESET: 0x24,
  CHANGE_PIN: 0x5e,
  /** SSSE and PBOC APPLICATION BLOCK. */
  APPLICATION_BLOCK: 0x1e,
  EXTERNAL_AUTHENTICATE: 0x82,
  WRITE_KEY: 0xd4,
  PUT_DATA: 0xda,
  UPDATE_BINARY: 0xd6,
  UPDATE_RECORD: 0xdc,
  APPEND_RECORD: 0xe2,
  /** PBOC GENERATE AC: the ATC's companions, the risk indicators and the transaction log. */
  GENERATE_AC: 0xae,
} as const;

/**
 * Runs `op` with the power cut at persistent write `k` of its command with
 * instruction `ins`, checks that the card went silent (no response reached
 * the terminal), and resets it.
 */
export async function withPowerLoss(
  control: SimulatorControl,
  session: CardSession,
  k: number,
  ins: number,
  op: () => Promise<unknown>,
): Promise<string> {
  await control.armTear(k, ins);
  let reason: string | undefined;
  try {
    await op();
  } catch (e) {
    if (!(e instanceof TransportError)) throw e;
    reason = e.message;
  }
  if (reason === undefined) fail(`the card answered although its power was cut at write ${k}`);
  await session.reset(true);
  return reason;
}

/**
 * CREATE FILE of a linear variable EF in the current DF, free to read and to
 * update, with room for records of up to `recordLength` bytes: a target for
 * APPEND RECORD (ISO/IEC 7816-4 §7.3.6) that the personalised EFs, full from
 * the issuer, are not.
 */
export async function createAppendableEf(
  session: CardSession,
  fid: number,
  sfi: number,
  recordLength: number,
  structure: 'linear-variable' | 'cyclic' = 'linear-variable',
  maxRecords = 8,
): Promise<void> {
  const fcp = efFcp({ fid, sfi, structure, recordLength, maxRecords, read: 'always', update: 'always' });
  const r = await session.send(command(0x80, 0xe0, 0x00, 0x00, fcp));
  if (r.sw !== 0x9000) fail(`CREATE FILE of the ${structure} EF ${fid.toString(16).toUpperCase()} answered ${swHex(r.sw)}`);
}

/** APPEND RECORD in plain to the EF with short identifier `sfi` (ISO/IEC 7816-4 §7.3.6). */
export function appendRecord(sfi: number, data: Bytes): CommandApdu {
  return command(0x00, 0xe2, 0x00, sfi << 3, data);
}

/** What is wrong with data read back after a torn write: undefined when they are the old or the new data, whole. */
export function oldOrNewProblem(actual: Bytes, old: Bytes, next: Bytes, what: string): string | undefined {
  if (equal(actual, old) || equal(actual, next)) return undefined;
  const hex = (b: Bytes) => toHex(b) || '(empty)';
  return `${what} is ${hex(actual)} after the power cut: neither the old ${hex(old)} nor the new ${hex(next)}`;
}

/**
 * What is wrong with the records of an EF after a torn APPEND RECORD: undefined
 * when they are the old ones, or the old ones and the new one (in a full
 * cyclic EF, `cyclicFull`: the new one and the old ones but the oldest).
 */
export function appendProblem(before: readonly Bytes[], after: readonly Bytes[], appended: Bytes, cyclicFull = false): string | undefined {
  const same = (a: readonly Bytes[], b: readonly Bytes[]) => a.length === b.length && a.every((r, i) => equal(r, b[i]!));
  if (same(after, before)) return undefined;
  // a linear EF appends at the end, a cyclic one makes the new record record 1 (ISO/IEC 7816-4 §7.3.6)
  if (same(after, [...before, appended]) || same(after, [appended, ...before])) return undefined;
  // a full cyclic EF replaces its oldest record, the last one (§7.3.6)
  if (cyclicFull && same(after, [appended, ...before.slice(0, -1)])) return undefined;
  const held = after.map((r) => toHex(r)).join(' | ');
  const n = before.length;
  return `after the power cut the EF holds ${after.length} records (${held}): neither the ${n} old ones nor them and the new one`;
}

/** A PIN as the harness sees it: its try counter and a verification. */
export interface PinProbe {
  /** Tries left as the card tells them. */
  tries(): Promise<number>;
  /** Status word of a VERIFY with `pin`. */
  verify(pin: string): Promise<number>;
}

/**
 * After a torn PIN change, unblock or reload the card holds the old PIN with
 * one of the counters it may have with it (`old.tries`: the counter before,
 * or decremented by a committed comparison), or the new PIN with the counter
 * the command sets — never the new PIN with the old counter or the reverse
 * (LD/T 6001 part 2, 防拔). Fails naming what the card holds otherwise.
 */
export async function expectPinOldOrNew(
  probe: PinProbe,
  old: { pin: string; tries: readonly number[] },
  next: { pin: string; tries: number },
  what: string,
): Promise<void> {
  const t = await probe.tries();
  const oldCounter = old.tries.includes(t);
  const newCounter = t === next.tries;
  if (!oldCounter && !newCounter)
    fail(`${what}: after the power cut the try counter is ${t}, neither the old ${old.tries.join(' or ')} nor the new ${next.tries}`);
  if (newCounter) {
    const sw = await probe.verify(next.pin);
    if (sw === 0x9000) return;
    if (!oldCounter)
      fail(`${what}: the try counter is the new ${t} but the new PIN answers ${swHex(sw)}: the old PIN with the new counter`);
  }
  const sw = await probe.verify(old.pin);
  if (sw !== 0x9000)
    fail(`${what}: after the power cut neither PIN verifies (the old one answers ${swHex(sw)}, the counter is ${t}): a mix of old and new`);
}
