/**
 * Anti-tear checks (LD/T 6001 part 2, 防拔): cut the card's power at a chosen
 * persistent write of a command, then power it up again. The simulator in-process,
 * or served through PC/SC with its fixture control (ssc-lab sim serve --control).
 */
import { TransportError } from '../channel/channel.ts';
import { fail } from './expect.ts';
import type { CardSession } from '../channel/session.ts';
import type { SimulatorControl } from '../channel/fixture.ts';

/** Instructions of the commands a tear is aimed at. */
export const TEAR_INS = { VERIFY: 0x20, EXTERNAL_AUTHENTICATE: 0x82, WRITE_KEY: 0xd4, UPDATE_BINARY: 0xd6, UPDATE_RECORD: 0xdc } as const;

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
