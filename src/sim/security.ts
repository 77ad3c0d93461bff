/**
 * Security state and the firewall between the two environments.
 *
 * The COS keeps one security state, and it belongs to one environment: the
 * MF (card level), the SSSE or the PSE (社会保障卡加载金融功能通用规范:
 * "a firewall inside the COS keeps the two applications independent in
 * security, file system and commands"). Selecting a file of another
 * environment clears it: a verified PIN, an external authentication or a
 * challenge obtained in one environment never serves in the other. Keys and
 * PINs are looked up only in the current environment's key file, so a key
 * of one application can never satisfy the other, and the card master key
 * in the MF has no power inside an environment once that environment holds
 * its own master key.
 */
import type { Bytes } from '../core/bytes.ts';
import { SW } from '../core/sw.ts';
import { fail } from './errors.ts';
import type { CardContext, SecurityState } from './context.ts';
import { type AccessCondition, type DedicatedFile, type FileNode, type KeyObject, LCS, environmentOf, masterKeyOf } from './fs.ts';

/** The security state on entering `env`: nothing authenticated, verified or challenged. */
export function freshSecurity(env: DedicatedFile): SecurityState {
  return { env, keys: new Set(), pins: new Set() };
}

/** Called on every selection: entering another environment clears the security state. */
export function enterEnvironment(ctx: CardContext, node: FileNode): void {
  const env = environmentOf(node);
  if (env !== ctx.security.env) ctx.security = freshSecurity(env);
}

/** The challenge for this command; it is used once. */
export function takeChallenge(ctx: CardContext): Bytes {
  const c = ctx.security.challenge;
  ctx.security.challenge = undefined;
  if (!c) fail(SW.REF_DATA_INVALID, 'no challenge: GET CHALLENGE first');
  return c;
}

/** A key of the current environment by id (6A88 when there is none). */
export function keyOf(ctx: CardContext, id: number): KeyObject {
  const key = ctx.security.env.keys.get(id);
  if (!key) fail(SW.REF_DATA_NOT_FOUND, `no key ${id} in this environment`);
  return key;
}

/**
 * The authority for managing `df`: the master key of its environment, which
 * must have been authenticated in the current security state. The card master
 * key counts only for the MF itself and for an environment that has no master
 * key yet (the moment of its creation).
 */
export function requireManagement(ctx: CardContext, df: DedicatedFile): void {
  const env = environmentOf(df);
  if (env !== ctx.security.env) fail(SW.SECURITY_NOT_SATISFIED, 'not the current environment');
  const master = masterKeyOf(env);
  if (!master) fail(SW.SECURITY_NOT_SATISFIED, 'the environment has no master key yet');
  if (!ctx.security.keys.has(master.id)) fail(SW.SECURITY_NOT_SATISFIED, 'authenticate with the master key of the environment first');
}

/** True when the environment of `node` is still being personalised (not yet activated). */
export function inPersonalisation(node: FileNode): boolean {
  return environmentOf(node).lcs < LCS.OPERATIONAL;
}

/**
 * Checks an access condition in the current security state (6982 when not
 * met). While the environment is being personalised, authentication with its
 * master key (or a secured command whose MAC is made with it) satisfies every
 * condition but "never" for reading.
 */
export function checkAccess(condition: AccessCondition, ctx: CardContext, node: FileNode, op: 'read' | 'update'): void {
  if (inPersonalisation(node)) {
    const master = masterKeyOf(environmentOf(node));
    const masterOk = master && (ctx.security.keys.has(master.id) || ctx.sm?.key === master);
    if (masterOk && !(op === 'read' && condition === 'never')) return;
  }
  if (condition === 'always') return;
  if (condition === 'never') fail(SW.SECURITY_NOT_SATISFIED, 'access condition: never');
  // A key condition is met by an external authentication with that key, or by a MAC made with it.
  const keyOk = 'key' in condition && (ctx.security.keys.has(condition.key) || ctx.sm?.key.id === condition.key);
  const pinOk = 'pin' in condition && ctx.security.pins.has(condition.pin);
  let ok: boolean;
  if ('mode' in condition) ok = condition.mode === 'or' ? keyOk || pinOk : keyOk && pinOk;
  else ok = 'key' in condition ? keyOk : pinOk;
  if (!ok) fail(SW.SECURITY_NOT_SATISFIED, 'access condition not satisfied');
}
