/**
 * The secure-messaging stage, before the handlers: a command with CLA b3 set
 * (04, 84) carries a 4-byte MAC at the end of its data field, computed with
 * the key the command names (see cos/formats.ts) and IV = the card's last
 * challenge. A wrong MAC is 6988 and the command does nothing; a missing MAC
 * 6987; a command that does not support SM 6882; a command that requires SM
 * sent in plain 6982. The handler receives the data without the MAC. An
 * application may bring its own MAC scheme (`sm.verify`, e.g. the PBOC issuer
 * scripts); the stage still strips and checks the MAC before the handler.
 */
import type { CommandApdu } from '../core/apdu.ts';
import { SW } from '../core/sw.ts';
import { verifyCommandMac } from '../cos/formats.ts';
import type { CardContext, CommandSpec } from './context.ts';
import { fail } from './errors.ts';
import { takeChallenge } from './security.ts';

export function isSecured(cla: number): boolean {
  return (cla & 0x0c) !== 0;
}

export function unwrapSecured(cmd: CommandApdu, spec: CommandSpec, ctx: CardContext): CommandApdu {
  if (!isSecured(cmd.cla)) {
    if (spec.sm?.required) fail(SW.SECURITY_NOT_SATISFIED, `${spec.name} must be sent with a MAC`);
    return cmd;
  }
  if (!spec.sm) fail(0x6882, `${spec.name} does not support secure messaging`);
  if (cmd.data.length < 4) fail(SW.SM_MISSING, 'the MAC is missing');
  const key = spec.sm.key(cmd, ctx);
  const body = cmd.data.slice(0, cmd.data.length - 4);
  const received = cmd.data.slice(cmd.data.length - 4);
  if (spec.sm.verify) {
    if (!spec.sm.verify(cmd, body, received, ctx)) fail(SW.SM_INCORRECT, 'wrong MAC');
  } else {
    const challenge = takeChallenge(ctx);
    const header = new Uint8Array([cmd.cla, cmd.ins, cmd.p1, cmd.p2]);
    if (!verifyCommandMac(key.alg, key.value, challenge, header, body, received)) fail(SW.SM_INCORRECT, 'wrong MAC');
  }
  ctx.sm = { key };
  return { ...cmd, data: body };
}
