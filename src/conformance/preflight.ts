/**
 * Pre-flight: before any scenario, is the sample the card the profile
 * describes, and can it be tested at all? A foreign card (another ATR, another
 * protocol, an application missing) or a sample already blocked would give a
 * run of meaningless non-conformities; the run stops instead, with one line
 * per finding (exit 2), unless the operator forces it. The sample's identity
 * is read from the card — the card number and specification version of the
 * SSSE's EF05, the PAN and application version of the debit application's
 * records, every key's version (GET KEY INFO) — and checked against the
 * profile, the key set and the conformance statement; it goes into the run's
 * metadata. Only reads: SELECT, READ RECORD, VERIFY without data (the tries
 * left, ISO/IEC 7816-4 §7.5.6), GET DATA of the PIN try counter and GET KEY
 * INFO — nothing that changes the card. Data that cannot be read or decoded
 * is no finding here: the scenarios judge the card's data; it is listed as
 * not read.
 */
import { toHex, type Bytes } from '../core/bytes.ts';
import { findTag, parseTlv } from '../core/tlv.ts';
import { keyCheckValue } from '../cos/formats.ts';
import { type Key, CARD } from '../model/keyset.ts';
import type { Ics } from '../model/ics.ts';
import { readBasicData } from './basic-data.ts';
import { CardManager } from './management.ts';
import type { CardIdentity } from '../model/identity.ts';

export { type CardIdentity, identityText } from '../model/identity.ts';
import { type Protocol, parseAtr } from '../core/atr.ts';
import { command } from '../core/apdu.ts';
import { swHex } from '../core/sw.ts';
import type { CardSession } from '../channel/session.ts';
import type { Keyset } from '../model/keyset.ts';
import type { Profile } from '../model/profile.ts';
import { ProfileView } from './profile-view.ts';

export interface PreflightFinding {
  /** What was checked: atr, protocol, environment, application, pin, identity, key. */
  check: string;
  problem: string;
}

export interface PreflightResult {
  findings: PreflightFinding[];
  identity: CardIdentity;
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
  ics?: Ics,
): Promise<PreflightResult> {
  const findings: PreflightFinding[] = [];
  const identity: CardIdentity = { keys: [], notRead: [] };
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
  // the sample's identity, once nothing above says it is the wrong card or unusable
  if (findings.length === 0) await readIdentity(session, view, profile, keyset, identity, findings, ics);
  return { findings, identity };
}

/** The SSSE's EF05 read and decoded, its identity checked against the profile and the ICS. */
async function ssseIdentity(
  session: CardSession,
  view: ProfileView,
  profile: Profile,
  identity: CardIdentity,
  findings: PreflightFinding[],
  ics?: Ics,
): Promise<void> {
  if (!view.environments.includes('SSSE') || !profile.basicData) return;
  await session.selectName(view.dfName(view.environment('SSSE').path), { returns: 'fci' });
  let data;
  try {
    data = await readBasicData(session);
  } catch (e) {
    identity.notRead.push(`the SSSE basic data (EF05/EF06): ${(e as Error).message}`);
    return;
  }
  identity.ssse = { cardNumber: data.cardNumber, cardIdCode: data.cardIdCode, specVersion: data.specVersion, cardType: data.cardType };
  const expected = profile.basicData;
  if (data.cardNumber !== expected.cardNumber)
    findings.push({
      check: 'identity',
      problem: `the card number in EF05 is ${data.cardNumber}; the profile ${profile.id} describes card ${expected.cardNumber}: not the sample the profile describes`,
    });
  if (data.specVersion !== profile.specVersion)
    findings.push({
      check: 'identity',
      problem: `EF05 says specification ${data.specVersion}; the profile ${profile.id} describes a card of specification ${profile.specVersion}`,
    });
  if (ics && data.specVersion !== ics.specVersion)
    findings.push({
      check: 'identity',
      problem: `EF05 says specification ${data.specVersion}; the ICS ${ics.id} claims specification ${ics.specVersion}`,
    });
}

/** The tags of interest in the debit application's records (read by SFI and number, as the profile places them). */
async function pbocIdentity(
  session: CardSession,
  view: ProfileView,
  profile: Profile,
  identity: CardIdentity,
  findings: PreflightFinding[],
): Promise<void> {
  const adf = view.findPbocAdf();
  if (!adf) return;
  await session.selectName(view.dfName(adf.path), { returns: 'fci' });
  const wanted = new Map<number, Bytes>();
  for (const rec of adf.pboc.records) {
    if (!rec.tags.some((t) => ['5A', '5F34', '9F08', '5F24'].includes(t.toUpperCase()))) continue;
    const r = await session.readRecord(rec.record, { sfi: rec.sfi });
    if (r.sw !== 0x9000) {
      identity.notRead.push(`the debit application's record ${rec.record} of SFI ${rec.sfi}: READ RECORD answered ${swHex(r.sw)}`);
      continue;
    }
    try {
      const tlvs = parseTlv(r.data);
      for (const tag of [0x5a, 0x5f34, 0x9f08, 0x5f24]) {
        const t = findTag(tlvs, tag);
        if (t && !wanted.has(tag)) wanted.set(tag, t.value);
      }
    } catch (e) {
      identity.notRead.push(`the debit application's record ${rec.record} of SFI ${rec.sfi}: ${(e as Error).message}`);
    }
  }
  const pan = wanted.get(0x5a);
  if (!pan) return;
  const hex = (b: Bytes | undefined) => (b ? toHex(b) : undefined);
  const panText = toHex(pan).replace(/F+$/i, '');
  identity.pboc = {
    pan: panText,
    ...(wanted.has(0x5f34) ? { psn: hex(wanted.get(0x5f34))! } : {}),
    ...(wanted.has(0x9f08) ? { appVersion: hex(wanted.get(0x9f08))! } : {}),
    ...(wanted.has(0x5f24) ? { expiry: hex(wanted.get(0x5f24))! } : {}),
  };
  if (panText !== adf.pboc.pan)
    findings.push({
      check: 'identity',
      problem: `the debit application's PAN is ${panText}; the profile ${profile.id} describes ${adf.pboc.pan}: not the sample the profile describes`,
    });
  const version = adf.pboc.data['9F08'];
  if (version && identity.pboc.appVersion && identity.pboc.appVersion.toUpperCase() !== version.toUpperCase())
    findings.push({
      check: 'identity',
      problem: `the debit application's version (9F08) is ${identity.pboc.appVersion}; the profile ${profile.id} says ${version}`,
    });
}

/**
 * Every key of the key set, asked of the card with GET KEY INFO in its
 * environment: a version other than the key set's (or the ICS's) means the
 * run would use keys the card does not hold. The check value is compared for
 * keys used as they are (master keys); diversified keys differ per card.
 */
async function keyIdentity(
  session: CardSession,
  view: ProfileView,
  keyset: Keyset,
  identity: CardIdentity,
  findings: PreflightFinding[],
  ics?: Ics,
): Promise<void> {
  const groups: { env: string; select: () => Promise<unknown>; keys: Key[] }[] = [
    { env: CARD, select: () => session.selectFid(0x3f00), keys: [keyset.cardMaster] },
    ...view.environments
      .filter((env) => keyset.json.environments[env])
      .map((env) => ({
        env,
        select: () => session.selectName(view.dfName(view.environment(env).path), { returns: 'fci' }),
        keys: [keyset.master(env), ...keyset.keys(env)],
      })),
  ];
  const manager = new CardManager(session, keyset, view);
  for (const g of groups) {
    await g.select();
    for (const key of g.keys) {
      const name = `${g.env}/${key.id}`;
      const { response: r, info } = await manager.keyInfo(key.id);
      if (!info) {
        identity.notRead.push(`key ${name} (${key.label}): GET KEY INFO answered ${swHex(r.sw)}`);
        // a card that does not tell key information at all: no use asking key by key
        if (r.sw === 0x6a81 || r.sw === 0x6d00 || r.sw === 0x6e00) return;
        continue;
      }
      const { version, kcv } = info;
      identity.keys.push({ name, label: key.label, version, kcv });
      if (version !== key.version)
        findings.push({
          check: 'key',
          problem: `key ${name} (${key.label}) has version ${version} on the card; the key set ${keyset.id} holds version ${key.version}`,
        });
      const claimed = ics?.keyVersions?.[name];
      if (claimed !== undefined && claimed !== version)
        findings.push({
          check: 'key',
          problem: `key ${name} (${key.label}) has version ${version} on the card; the ICS ${ics!.id} claims ${claimed}`,
        });
      const diversified = g.env !== CARD && key.type !== keyset.master(g.env).type && keyset.factorNames(g.env).length > 0;
      if (!diversified && kcv.toUpperCase() !== toHex(keyCheckValue(key.alg, key.value)).toUpperCase())
        findings.push({
          check: 'key',
          problem: `key ${name} (${key.label}) on the card has check value ${kcv}; the key set ${keyset.id}'s key has ${toHex(keyCheckValue(key.alg, key.value))}: another key`,
        });
    }
  }
}

async function readIdentity(
  session: CardSession,
  view: ProfileView,
  profile: Profile,
  keyset: Keyset,
  identity: CardIdentity,
  findings: PreflightFinding[],
  ics?: Ics,
): Promise<void> {
  await ssseIdentity(session, view, profile, identity, findings, ics);
  await pbocIdentity(session, view, profile, identity, findings);
  await keyIdentity(session, view, keyset, identity, findings, ics);
}
