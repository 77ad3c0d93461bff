/**
 * What the benchmarks share: the reference financial terminal set up for
 * purchases against a simulated card of a profile (CDA, offline PIN, the
 * lab's issuer host).
 */
import { CardSession } from '../src/channel/session.ts';
import { ProfileView } from '../src/conformance/profile-view.ts';
import { loadProfile } from '../src/lab/profile.ts';
import { openTarget } from '../src/lab/target.ts';
import { IssuerHost } from '../src/pboc/issuer-host.ts';
import { caPublicKeys, loadPki } from '../src/pboc/pki.ts';
import { FinancialTerminal, referenceTerminalConfig } from '../src/terminal/financial.ts';

/** A purchase of 10.00 on a fresh simulated card of the profile in `file`, ready to repeat; its suite for labels. */
export async function purchaseOn(file: string): Promise<{ purchase: () => Promise<unknown>; suite: string }> {
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
  return { purchase: () => terminal.purchase('000000001000', { pin }), suite: pboc.suite };
}
