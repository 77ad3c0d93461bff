/**
 * Profiling aid for a complete purchase of the reference financial terminal
 * against the simulator (CDA, offline PIN), for
 * `node --cpu-prof --import tsx bench/purchase-profile.ts [profile] [count]`.
 * Prints the time per purchase; asserts nothing.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CardSession } from '../src/channel/session.ts';
import { ProfileView } from '../src/conformance/profile-view.ts';
import { PROJECT_ROOT } from '../src/core/json.ts';
import { loadProfile } from '../src/lab/profile.ts';
import { openTarget } from '../src/lab/target.ts';
import { IssuerHost } from '../src/pboc/issuer-host.ts';
import { caPublicKeys, loadPki } from '../src/pboc/pki.ts';
import { FinancialTerminal, referenceTerminalConfig } from '../src/terminal/financial.ts';

const file = join(PROJECT_ROOT, 'profiles', `${process.argv[2] ?? 'ssc-3.0-sm4'}.json`);
const count = Number(process.argv[3] ?? 200);
const p = loadProfile(file);
const opened = await openTarget({ target: 'sim', profile: p, profileFile: file });
const { pboc } = new ProfileView(p).pbocAdf();
const pin = opened.keyset.pins('PSE').find((x) => x.id === 0x80)!.value;
const terminal = new FinancialTerminal(
  new CardSession(opened.channel),
  referenceTerminalConfig(caPublicKeys(loadPki()), '250601'),
  { host: new IssuerHost(opened.keyset), scripts: [] },
  { pan: pboc.pan, psn: pboc.psn, suite: pboc.suite },
);
for (let i = 0; i < 10; i++) await terminal.purchase('000000001000', { pin });
const t0 = performance.now();
for (let i = 0; i < count; i++) await terminal.purchase('000000001000', { pin });
console.log(`purchase (${pboc.suite}): ${((performance.now() - t0) / count).toFixed(2)} ms`);
