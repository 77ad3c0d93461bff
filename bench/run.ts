/**
 * Benchmarks: print figures, assert nothing. `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { fromHex } from '../src/core/bytes.ts';
import { decodeCommand, encodeCommand } from '../src/core/apdu.ts';
import { parseTlv } from '../src/core/tlv.ts';
import { dumpTlv } from '../src/core/tlv-dump.ts';
import { CardSession } from '../src/channel/session.ts';
import { openPsam, openTarget } from '../src/lab/target.ts';
import { PsamClient } from '../src/psam/client.ts';
import { SocialSecurityTerminal, terminalConfig } from '../src/terminal/social-security.ts';
import { DEFAULT_PROFILE, loadProfile } from '../src/lab/profile.ts';
import { formatTrace } from '../src/report/trace.ts';
import { join } from 'node:path';
import { purchaseOn } from './kit.ts';
import { PROJECT_ROOT } from '../src/core/json.ts';
import { keysetOf } from '../src/lab/target.ts';
import { personalise } from '../src/perso/personaliser.ts';
import { generateScript } from '../src/perso/script.ts';
import { buildBlankCard } from '../src/sim/build.ts';
import { personalisedCard } from '../src/lab/cards.ts';
import { SimulatorChannel } from '../src/sim/channel.ts';
import { type Sm2Engine, generateSm2Key, sm2Engine, sm2Sign, sm2Verify, useSm2Engine } from '../src/crypto/sm2.ts';

async function measure(name: string, unit: string, n: number, fn: () => unknown | Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(1000, n / 10); i++) await fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const ms = performance.now() - t0;
  const per = (ms * 1000) / n;
  console.log(`${name.padEnd(64)} ${(n / (ms / 1000)).toFixed(0).padStart(10)} ${unit}/s  ${per.toFixed(2).padStart(8)} µs/${unit}`);
}

const profile = loadProfile(DEFAULT_PROFILE);
const { channel } = await openTarget({ target: 'sim', profile, profileFile: DEFAULT_PROFILE });
const session = new CardSession(channel);
const pse = new TextEncoder().encode('1PAY.SYS.DDF01');
const fci = fromHex('6F1A840E315041592E5359532E4444463031A5088801015F2D027A68');
const select = fromHex('00A404000E315041592E5359532E444446303100');

console.log(`ssc-lab benchmarks — node ${process.version}`);
await measure('APDU encode+decode (case 4 SELECT)', 'op', 200_000, () => encodeCommand(decodeCommand(select)));
await measure('BER-TLV parse (PSE FCI, 28 bytes)', 'op', 200_000, () => parseTlv(fci));
await measure('BER-TLV parse + dump (PSE FCI)', 'op', 50_000, () => dumpTlv(parseTlv(fci)));
await measure('simulator: SELECT PSE by name, T=0 (61xx + GET RESPONSE)', 'cmd', 50_000, () => session.selectName(pse));
// Record 1 of the PSE directory (SFI 1) with Le = 00: 6Cxx, then the same command with the right Le.
await measure('simulator: READ RECORD via SFI (6Cxx re-issue)', 'cmd', 50_000, () => session.readRecord(1, { sfi: 1 }));
// SFI 5 is no file of the PSE: 6A82, the path of a status word raised as an error inside the COS.
await measure('simulator: READ RECORD of a missing SFI (6A82)', 'cmd', 50_000, () => session.readRecord(1, { sfi: 5 }));
// Plain APDUs (one exchange each) through the composed, recorded session on the in-process simulator.
const challenge = fromHex('0084000008');
session.recorder.clear();
await measure('simulator: GET CHALLENGE, plain APDU, recorded', 'cmd', 200_000, () => session.send(challenge));
session.recorder.clear();
const recordLength = (await session.readRecord(1, { sfi: 1 })).data.length;
await measure('simulator: READ RECORD with exact Le, plain APDU, recorded', 'cmd', 200_000, () =>
  session.readRecord(1, { sfi: 1, le: recordLength }),
);
session.recorder.clear();
for (let i = 0; i < 1000; i++) await session.selectName(pse);
const log = session.recorder.exchanges;
await measure(`trace formatting (${log.length} exchanges)`, 'trace', 20, () => formatTrace(log));
await session.close();

const keyset = keysetOf({ target: 'sim', profile, profileFile: DEFAULT_PROFILE });
const script = generateScript(profile, keyset);
await measure(`personalise a blank card (${script.steps.length} steps, 3DES key set)`, 'card', 200, async () => {
  const card = buildBlankCard(profile, keyset);
  await personalise(new SimulatorChannel(card, 'bench'), script, keyset);
});
const sm4File = join(PROJECT_ROOT, 'profiles', 'ssc-3.0-sm4.json');
const sm4Profile = loadProfile(sm4File);
const sm4Keyset = keysetOf({ target: 'sim', profile: sm4Profile, profileFile: sm4File });
const sm4Script = generateScript(sm4Profile, sm4Keyset);
await measure(`personalise a blank card (${sm4Script.steps.length} steps, SM4 key set)`, 'card', 200, async () => {
  const card = buildBlankCard(sm4Profile, sm4Keyset);
  await personalise(new SimulatorChannel(card, 'bench'), sm4Script, sm4Keyset);
});
const template = await personalisedCard(profile, keyset);
await measure('clone a personalised card', 'card', 2_000, () => template.clone());

// The reference social-security terminal: application initialisation and reading the basic information,
// every key from the PSAM (a second simulated card).
for (const file of [DEFAULT_PROFILE, sm4File]) {
  const p = loadProfile(file);
  const config = { target: 'sim' as const, profile: p, profileFile: file };
  const opened = await openTarget(config);
  const psam = new PsamClient(await openPsam(config, opened.keyset), { alg: terminalConfig(opened.keyset, p).alg });
  const terminal = new SocialSecurityTerminal(new CardSession(opened.channel), psam, terminalConfig(opened.keyset, p));
  await measure(`terminal: initialise + read basic information (${p.id})`, 'card', 2_000, async () => {
    await terminal.initialise();
    await terminal.readBasicInfo();
  });
}

// SM2 with each engine (node:crypto: OpenSSL's point multiplications; javascript: BigInt). Verification on
// 300 different signatures in turn, more than sm2Verify remembers verdicts of.
const sm2Key = generateSm2Key();
const sm2Messages = Array.from({ length: 300 }, (_, i) => new TextEncoder().encode(`message ${i}`));
const sm2Signatures = sm2Messages.map((m) => sm2Sign(sm2Key.d, m, { deterministic: true }));
for (const engine of ['javascript', 'node:crypto'] as Sm2Engine[]) {
  let i = 0;
  await measure(`SM2 sign, deterministic k (${engine})`, 'sig', 300, () =>
    sm2Sign(sm2Key.d, sm2Messages[i++ % 300]!, { deterministic: true, engine }),
  );
  await measure(`SM2 verify (${engine})`, 'sig', 300, () => {
    const j = i++ % 300;
    return sm2Verify(sm2Key.publicKey, sm2Messages[j]!, sm2Signatures[j]!, { engine });
  });
}

// The reference financial terminal: complete purchases (online when the card asks, else offline) against each suite;
// the SM suite also with the JavaScript SM2 engine, for comparison.
const defaultSm2Engine = sm2Engine();
for (const [file, engine] of [
  [DEFAULT_PROFILE, defaultSm2Engine],
  [sm4File, defaultSm2Engine],
  [sm4File, 'javascript'],
] as [string, Sm2Engine][]) {
  useSm2Engine(engine);
  const { purchase, suite } = await purchaseOn(file);
  const label = suite === 'sm' ? `${suite}, SM2 ${engine}` : suite;
  await measure(`purchase, CDA and offline PIN (${label})`, 'txn', 100, purchase);
}
useSm2Engine(undefined);
const t0 = performance.now();
for (let i = 0; i < 20; i++) loadProfile(join(PROJECT_ROOT, 'profiles', `ssc-3.0-sm4.json`));
console.log(`${'profile load (cached composition, SM PKI)'.padEnd(64)} ${((performance.now() - t0) / 20).toFixed(2).padStart(10)} ms/load`);
