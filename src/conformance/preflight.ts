/**
 * Pre-flight: before any scenario, is the sample the card the profile
 * describes, and can it be tested at all? A foreign card (another ATR, another
 * protocol, an application missing) or a sample already blocked would give a
 * run of meaningless non-conformities; the run stops instead, with one line
 * per finding (exit 2), unless the operator forces it. Only reads: SELECT,
 * VERIFY without data (the tries left, ISO/IEC 7816-4 §7.5.6) and GET DATA of
 * the PIN try counter — nothing that changes the card.
 */
import { toHex } from '../core/bytes.ts';
import { type Protocol, parseAtr } from '../core/atr.ts';
import { command } from '../core/apdu.ts';
import { swHex } from '../core/sw.ts';
import type { CardSession } from '../channel/session.ts';
import type { Keyset } from '../model/keyset.ts';
import type { Profile } from '../model/profile.ts';
import { ProfileView } from './profile-view.ts';

export interface PreflightFinding {
  /** What was checked: atr, protocol, environment, application, pin. */
  check: string;
  problem: string;
}

/** The card's answer to SELECT of an application it should hold, as a finding (or none). */
function selectionFinding(what: string, sw: number): string | undefined {
  if (sw === 0x9000 || (sw & 0xff00) === 0x6100) return undefined;
  if (sw === 0x6283) return `${what} is blocked (SELECT answered 6283): the sample was blocked before the run`;
  if (sw === 0x9303) return `${what}: the card is blocked for good (SELECT answered 9303)`;
  if (sw === 0x6a82) return `${what} is not on this card (SELECT answered 6A82): not the card the profile describes`;
  return `${what} cannot be selected (SELECT answered ${swHex(sw)})`;
}

/**
 * The pre-flight findings for a card (its ATR, the protocol in use, a session
 * on it) against the profile: none when the sample is the card expected and
 * usable.
 */
export async function preflight(
  session: CardSession,
  profile: Profile,
  keyset: Keyset,
  atr: Uint8Array,
  protocol: string,
): Promise<PreflightFinding[]> {
  const findings: PreflightFinding[] = [];
  const view = new ProfileView(profile);
  let info: ReturnType<typeof parseAtr> | undefined;
  try {
    info = parseAtr(atr);
  } catch (e) {
    findings.push({ check: 'atr', problem: `the ATR ${toHex(atr, ' ')} does not parse: ${(e as Error).message}` });
  }
  if (info) {
    if (!profile.atr.protocols.includes(protocol as Protocol))
      findings.push({
        check: 'protocol',
        problem: `the card works in ${protocol}; the profile ${profile.id} describes a card of ${profile.atr.protocols.join(' / ')}`,
      });
    const historical = toHex(info.historical);
    if (historical.toUpperCase() !== profile.atr.historical.toUpperCase())
      findings.push({
        check: 'atr',
        problem: `the ATR's historical bytes are ${historical || '(none)'}; the profile ${profile.id} says ${profile.atr.historical}: not the card the profile describes`,
      });
  }
  for (const env of view.environments) {
    const name = view.dfName(view.environment(env).path);
    const r = await session.selectName(name, { returns: 'fci' });
    const problem = selectionFinding(`the ${env}`, r.sw);
    if (problem) {
      findings.push({ check: 'environment', problem });
      continue;
    }
    // the environment's PIN: VERIFY without data tells the tries left (63C0 or 6983: blocked)
    const ref = keyset.pins(env)[0]?.id;
    if (ref === undefined) continue;
    const pin = await session.send(command(0x00, 0x20, 0x00, ref));
    if (pin.sw === 0x6983 || pin.sw === 0x63c0) findings.push({ check: 'pin', problem: `the ${env} PIN is blocked (${swHex(pin.sw)})` });
  }
  const adf = view.findPbocAdf();
  if (adf) {
    const r = await session.selectName(view.dfName(adf.path), { returns: 'fci' });
    const problem = selectionFinding('the debit application', r.sw);
    if (problem) findings.push({ check: 'application', problem });
    else {
      // the offline PIN try counter (GET DATA 9F17): zero is a blocked PIN
      const ptc = await session.send(command(0x80, 0xca, 0x9f, 0x17, undefined, 256));
      if (ptc.sw === 0x9000 && ptc.data.length >= 4 && ptc.data[3] === 0)
        findings.push({ check: 'pin', problem: 'the offline PIN of the debit application is blocked (PIN try counter 0)' });
    }
  }
  return findings;
}
