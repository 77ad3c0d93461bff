/**
 * The reference terminals' deliberate defects (model/defects/terminal.ts):
 * for each one, the defective terminal decides or sends differently from the
 * clean one on the same card, and the clean one behaves as the rule says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/json.ts';
import { type Bytes, concat, fromHex, toHex } from '../core/bytes.ts';
import { loadProfile } from '../lab/profile.ts';
import { ProfileView } from '../conformance/profile-view.ts';
import { openPsam, openTarget } from '../lab/target.ts';
import { CardSession } from '../channel/session.ts';
import { type CardChannel, ChannelDecorator } from '../channel/channel.ts';
import { IssuerHost, type ScriptKind, plaintextPinBlock } from '../pboc/issuer-host.ts';
import { caPublicKeys, loadPki } from '../pboc/pki.ts';
import { PsamClient } from '../psam/client.ts';
import { TERMINAL_DEFECTS, type TerminalDefectId } from '../model/defects.ts';
import { FinancialTerminal, type FinancialTerminalConfig, type PinEntry, referenceTerminalConfig, tvrHas } from './financial.ts';
import { SocialSecurityTerminal, terminalConfig } from './social-security.ts';

/**
 * A channel that logs the commands it passes and may rewrite the card's
 * final responses (not 61xx), given the command they answer (the one before
 * any GET RESPONSE).
 */
class Tap extends ChannelDecorator {
  readonly log: Bytes[] = [];
  private origin: Bytes = new Uint8Array(4);
  constructor(
    inner: CardChannel,
    private readonly rewrite: (command: Bytes, response: Bytes) => Bytes = (_, r) => r,
  ) {
    super(inner);
  }
  override async transmit(command: Bytes): Promise<Bytes> {
    this.log.push(command);
    if (command[1] !== 0xc0) this.origin = command;
    const r = await this.inner.transmit(command);
    return r.length >= 2 && r[r.length - 2] === 0x61 ? r : this.rewrite(this.origin, r);
  }
  /** Command headers CLA INS P1 P2 from the `from`-th command on. */
  headers(from = 0): string[] {
    return this.log.slice(from).map((c) => toHex(c.subarray(0, 4)));
  }
}

/** A host that approves but whose ARPC the card cannot verify (one bit flipped). */
class WrongArpcHost extends IssuerHost {
  override authorise(req: Parameters<IssuerHost['authorise']>[0]) {
    const r = super.authorise(req);
    const arpc = r.arpc.slice();
    arpc[0]! ^= 0x01;
    return { ...r, arpc };
  }
}

interface PurchaseSetup {
  profile?: string;
  amount?: string;
  configure?: (c: FinancialTerminalConfig) => void;
  host?: 'approve' | 'decline' | 'wrong-arpc' | 'none';
  scripts?: ScriptKind[];
  bypass?: boolean;
  /** Runs on the card before the purchase. */
  before?: (session: CardSession, pin: string) => Promise<void>;
  rewrite?: (command: Bytes, response: Bytes) => Bytes;
}

/** One purchase on a fresh simulated card by the reference terminal with `defects`. */
async function purchase(defects: TerminalDefectId[], s: PurchaseSetup = {}) {
  const profileFile = join(PROJECT_ROOT, 'profiles', s.profile ?? 'default.json');
  const profile = loadProfile(profileFile);
  const { channel, keyset } = await openTarget({ target: 'sim', profile, profileFile });
  const tap = new Tap(channel, s.rewrite);
  const session = new CardSession(tap);
  const { pboc } = new ProfileView(profile).pbocAdf();
  const config: FinancialTerminalConfig = { ...referenceTerminalConfig(caPublicKeys(loadPki()), '250601'), defects };
  s.configure?.(config);
  const pin = keyset.pins('PSE').find((p) => p.id === 0x80)!.value;
  await s.before?.(session, pin);
  const mark = tap.log.length;
  const host = s.host ?? 'approve';
  const issuer =
    host === 'none'
      ? undefined
      : host === 'wrong-arpc'
        ? new WrongArpcHost(keyset)
        : new IssuerHost(keyset, { decline: host === 'decline' });
  const online = issuer && { host: issuer, scripts: (s.scripts ?? []).map((kind) => ({ kind })) };
  const terminal = new FinancialTerminal(session, config, online, { pan: pboc.pan, psn: pboc.psn, suite: pboc.suite });
  const entry: PinEntry = s.bypass ? { bypass: true } : { pin };
  const result = await terminal.purchase(s.amount ?? '000000001000', entry);
  return { result, tap, mark };
}

/** Both terminals on the same set-up. */
async function both(id: TerminalDefectId, s: PurchaseSetup = {}) {
  return { clean: await purchase([], s), defective: await purchase([id], s) };
}

/** The GENERATE AC commands from `from` on. */
function generateAcs(tap: Tap, from = 0): Bytes[] {
  return tap.log.slice(from).filter((c) => c[0] === 0x80 && c[1] === 0xae);
}

const debitAid = 'A000000333010101';

test('every terminal defect is tested here', async () => {
  const source = await import('node:fs').then((fs) => fs.readFileSync(new URL(import.meta.url), 'utf8'));
  for (const d of TERMINAL_DEFECTS) assert.ok(source.includes(`'${d.id}'`), `no test of ${d.id}`);
});

test('fin-blocked-application-selected: GET PROCESSING OPTIONS on an application that answered 6283', async () => {
  // the card answers SELECT of the debit application 6283 (its FCI still returned)
  const rewrite = (c: Bytes, r: Bytes) =>
    c[1] === 0xa4 && toHex(c).includes(debitAid) && r.length >= 2 ? concat(r.slice(0, -2), [0x62, 0x83]) : r;
  const { clean, defective } = await both('fin-blocked-application-selected', { rewrite });
  assert.equal(clean.result.outcome, 'terminated');
  assert.ok(!clean.tap.headers().some((h) => h.startsWith('80A8')), 'the clean terminal sends no GPO');
  assert.ok(defective.tap.headers().some((h) => h.startsWith('80A8')));
});

test('fin-read-record-error-ignored: goes on past a record the card does not return', async () => {
  // the card answers 6A83 to the second READ RECORD the AFL names
  let reads = 0;
  let gpo = false;
  const rewrite = (c: Bytes, r: Bytes) => {
    if (c[1] === 0xa8) gpo = true;
    return gpo && c[1] === 0xb2 && ++reads === 2 ? fromHex('6A83') : r;
  };
  const clean = await purchase([], { rewrite });
  reads = 0;
  gpo = false;
  const defective = await purchase(['fin-read-record-error-ignored'], { rewrite });
  assert.match(clean.result.reason ?? '', /READ RECORD .* answered 6A83/);
  assert.doesNotMatch(defective.result.reason ?? '', /READ RECORD/);
  assert.ok(generateAcs(defective.tap).length > 0 || defective.result.outcome === 'terminated');
  assert.ok(
    defective.tap.headers().filter((h) => h.startsWith('00B2')).length > clean.tap.headers().filter((h) => h.startsWith('00B2')).length,
  );
});

test('fin-oda-skipped: no ODA, no TVR bit', async () => {
  const { clean, defective } = await both('fin-oda-skipped');
  assert.equal(clean.result.oda, 'CDA');
  assert.equal(defective.result.oda, 'none');
  assert.ok(!tvrHas(defective.result.tvr, 'offline data authentication was not performed'));
});

test('fin-oda-failure-ignored: a failed DDA sets no TVR bit', async () => {
  // DDA with no CA key for the card: the issuer key cannot be recovered
  const configure = (c: FinancialTerminalConfig) => {
    c.oda = { cda: false, dda: true, sda: true };
    c.caKeys = new Map();
  };
  const { clean, defective } = await both('fin-oda-failure-ignored', { configure });
  assert.equal(clean.result.oda, 'DDA');
  assert.ok(tvrHas(clean.result.tvr, 'DDA failed'));
  assert.ok(!tvrHas(defective.result.tvr, 'DDA failed'));
});

test("fin-sda-selected-not-set: SDA performed without 'SDA selected'", async () => {
  const { clean, defective } = await both('fin-sda-selected-not-set', {
    configure: (c) => (c.oda = { cda: false, dda: false, sda: true }),
  });
  assert.equal(clean.result.oda, 'SDA');
  assert.ok(tvrHas(clean.result.tvr, 'SDA selected'));
  assert.ok(!tvrHas(defective.result.tvr, 'SDA selected'));
});

test('fin-expiry-not-checked: an expired application is not flagged', async () => {
  const { clean, defective } = await both('fin-expiry-not-checked', { configure: (c) => (c.date = '310101') });
  assert.ok(tvrHas(clean.result.tvr, 'expired application'));
  assert.ok(!tvrHas(defective.result.tvr, 'expired application'));
});

test('fin-version-not-checked: different application versions not flagged', async () => {
  const configure = (c: FinancialTerminalConfig) => (c.applicationVersions = [fromHex('0099')]);
  const { clean, defective } = await both('fin-version-not-checked', { configure });
  assert.ok(tvrHas(clean.result.tvr, 'ICC and terminal have different application versions'));
  assert.ok(!tvrHas(defective.result.tvr, 'ICC and terminal have different application versions'));
});

test('fin-bypass-not-recorded: a bypassed PIN leaves no TVR bit', async () => {
  const { clean, defective } = await both('fin-bypass-not-recorded', { bypass: true });
  const bit = 'PIN entry required, PIN pad present, but PIN was not entered';
  assert.ok(tvrHas(clean.result.tvr, bit));
  assert.ok(!tvrHas(defective.result.tvr, bit));
});

test('fin-pin-try-counter-ignored: VERIFY sent with a PIN Try Counter of zero', async () => {
  const before = async (session: CardSession) => {
    await session.selectName(fromHex(debitAid));
    for (let i = 0; i < 16; i++) {
      const r = await session.send(concat([0x00, 0x20, 0x00, 0x80, 0x08], plaintextPinBlock('000000')));
      if (r.sw === 0x6983 || r.sw === 0x63c0) break;
    }
  };
  const { clean, defective } = await both('fin-pin-try-counter-ignored', { before });
  assert.ok(tvrHas(clean.result.tvr, 'PIN Try Limit exceeded'));
  assert.ok(!clean.tap.headers(clean.mark).some((h) => h.startsWith('0020')), 'the clean terminal sends no VERIFY');
  assert.ok(defective.tap.headers(defective.mark).some((h) => h.startsWith('0020')));
});

test('fin-floor-limit-exclusive: an amount equal to the floor limit is not flagged', async () => {
  const configure = (c: FinancialTerminalConfig) => (c.floorLimit = 1000);
  const { clean, defective } = await both('fin-floor-limit-exclusive', { configure });
  assert.ok(tvrHas(clean.result.tvr, 'transaction exceeds floor limit'));
  assert.ok(!tvrHas(defective.result.tvr, 'transaction exceeds floor limit'));
});

test('fin-tac-denial-ignored: asks for a cryptogram other than AAC when the TAC-Denial matches', async () => {
  // TAC-Denial: 'New card' (TVR byte 2 b4)
  const configure = (c: FinancialTerminalConfig) => (c.tac = { ...c.tac, denial: fromHex('0008000000') });
  const { clean, defective } = await both('fin-tac-denial-ignored', { configure });
  assert.equal(generateAcs(clean.tap)[0]![2]! & 0xc0, 0x00, 'the clean terminal asks for an AAC');
  assert.equal(clean.result.outcome, 'declined offline');
  assert.notEqual(generateAcs(defective.tap)[0]![2]! & 0xc0, 0x00);
});

test('fin-iac-default-ignored: unable to go online, asks for a TC although the IAC-Default matches', async () => {
  const { clean, defective } = await both('fin-iac-default-ignored', { host: 'none' });
  assert.equal(clean.result.outcome, 'declined offline');
  assert.equal(generateAcs(clean.tap)[0]![2]! & 0xc0, 0x00);
  assert.equal(generateAcs(defective.tap)[0]![2]! & 0xc0, 0x40, 'a TC asked for');
});

test('fin-arc-not-sent: the second GENERATE AC carries no ARC', async () => {
  const { clean, defective } = await both('fin-arc-not-sent');
  const arcOf = (tap: Tap) => toHex(generateAcs(tap)[1]!.subarray(5, 7));
  assert.equal(clean.result.outcome, 'approved online');
  assert.equal(arcOf(clean.tap), '3030');
  assert.equal(arcOf(defective.tap), '0000');
});

test('fin-declining-arc-approved: asks for a TC after the issuer declined', async () => {
  const { clean, defective } = await both('fin-declining-arc-approved', { host: 'decline' });
  assert.equal(clean.result.outcome, 'declined online');
  assert.equal(generateAcs(clean.tap)[1]![2]! & 0xc0, 0x00);
  assert.equal(generateAcs(defective.tap)[1]![2]! & 0xc0, 0x40);
});

test('fin-issuer-auth-failure-ignored: a refused ARPC sets no TVR bit', async () => {
  const { clean, defective } = await both('fin-issuer-auth-failure-ignored', { host: 'wrong-arpc' });
  assert.notEqual(clean.result.online?.issuerAuthSw, 0x9000);
  assert.ok(tvrHas(clean.result.tvr, 'issuer authentication failed'));
  assert.notEqual(defective.result.online?.issuerAuthSw, 0x9000);
  assert.ok(!tvrHas(defective.result.tvr, 'issuer authentication failed'));
});

test('fin-scripts-not-run: the issuer script is not sent', async () => {
  const { clean, defective } = await both('fin-scripts-not-run', { scripts: ['application unblock'] });
  assert.equal(clean.result.scripts.length, 1);
  assert.ok(clean.tap.headers().includes('84180000'));
  assert.equal(defective.result.scripts.length, 0);
  assert.ok(!defective.tap.headers().includes('84180000'));
});

test('fin-scripts-before-final-ac: the script goes before the second GENERATE AC', async () => {
  const { clean, defective } = await both('fin-scripts-before-final-ac', { scripts: ['application unblock'] });
  const order = (tap: Tap) => {
    const h = tap.headers();
    const lastAc = h.length - 1 - [...h].reverse().findIndex((x) => x.startsWith('80AE'));
    return h.indexOf('84180000') > lastAc ? 'after' : 'before';
  };
  assert.equal(order(clean.tap), 'after');
  assert.equal(order(defective.tap), 'before');
});

/** The social-security terminal with `defects` in front of a fresh simulated card and its PSAM. */
async function socialSecurity(
  defects: TerminalDefectId[],
  rewrite?: (command: Bytes, response: Bytes) => Bytes,
  profileName = 'default.json',
) {
  const profileFile = join(PROJECT_ROOT, 'profiles', profileName);
  const profile = loadProfile(profileFile);
  const target = { target: 'sim' as const, profile, profileFile };
  const card = await openTarget(target);
  const psam = await openPsam(target, card.keyset);
  const tc = { ...terminalConfig(card.keyset, profile), defects };
  const tap = new Tap(card.channel, rewrite);
  const terminal = new SocialSecurityTerminal(new CardSession(tap), new PsamClient(psam, { alg: tc.alg }), tc);
  await terminal.initialise();
  return { terminal, tap, view: new ProfileView(profile) };
}

test('ss-expiry-not-checked: a card past its expiry date is valid', async () => {
  const clean = await socialSecurity([]);
  const defective = await socialSecurity(['ss-expiry-not-checked']);
  assert.equal(((await clean.terminal.validityCheck('20991231')) as { reason: string }).reason, 'expired');
  assert.deepEqual(await defective.terminal.validityCheck('20991231'), { ok: true });
});

test('ss-issue-date-not-checked: a card issued after today is valid', async () => {
  const clean = await socialSecurity([]);
  const defective = await socialSecurity(['ss-issue-date-not-checked']);
  assert.equal(((await clean.terminal.validityCheck('20000101')) as { reason: string }).reason, 'not-yet-valid');
  assert.deepEqual(await defective.terminal.validityCheck('20000101'), { ok: true });
});

test('ss-blocked-application-accepted: an SSSE answering 6283 is valid', async () => {
  // the SSSE answers SELECT with 6283 (application blocked), its records still readable
  const rewrite = (c: Bytes, r: Bytes) =>
    c[1] === 0xa4 && c[2] === 0x04 && toHex(r).endsWith('9000') ? concat(r.slice(0, -2), [0x62, 0x83]) : r;
  const clean = await socialSecurity([], rewrite);
  const defective = await socialSecurity(['ss-blocked-application-accepted'], rewrite);
  assert.equal(((await clean.terminal.validityCheck('20200101')) as { reason: string }).reason, 'blocked');
  assert.deepEqual(await defective.terminal.validityCheck('20200101'), { ok: true });
});

/** The card's INTERNAL AUTHENTICATE cryptogram wrong in its last byte. */
const lastByteWrong = (c: Bytes, r: Bytes) => {
  if (c[1] !== 0x88 || r.length < 3) return r;
  const out = r.slice();
  out[out.length - 3]! ^= 0x01;
  return out;
};

test('ss-internal-auth-skipped: the card is taken as genuine without INTERNAL AUTHENTICATE', async () => {
  const clean = await socialSecurity([], lastByteWrong);
  const defective = await socialSecurity(['ss-internal-auth-skipped'], lastByteWrong);
  assert.equal((await clean.terminal.checkCard()).ok, false);
  assert.ok(clean.tap.headers().includes('00880000'));
  assert.equal((await defective.terminal.checkCard()).ok, true);
  assert.ok(!defective.tap.headers().includes('00880000'));
});

test('ss-internal-auth-partial-compare: a cryptogram wrong in its last byte is accepted', async () => {
  const clean = await socialSecurity([], lastByteWrong);
  const defective = await socialSecurity(['ss-internal-auth-partial-compare'], lastByteWrong);
  assert.equal((await clean.terminal.checkCard()).ok, false);
  assert.equal((await defective.terminal.checkCard()).ok, true);
  // a genuine card still passes the defective terminal
  assert.equal((await (await socialSecurity(['ss-internal-auth-partial-compare'])).terminal.checkCard()).ok, true);
});

test('ss-factor-order-swapped: the PSAM diversifies with the factors in the wrong order', async () => {
  for (const profile of ['default.json', 'ssc-3.0-sm4.json']) {
    const clean = await socialSecurity([], undefined, profile);
    assert.equal((await clean.terminal.externalAuthenticate()).sw, 0x9000);
    assert.equal((await clean.terminal.checkCard()).ok, true);
    if (profile === 'default.json') {
      const defective = await socialSecurity(['ss-factor-order-swapped'], undefined, profile);
      assert.notEqual((await defective.terminal.externalAuthenticate()).sw, 0x9000);
      assert.equal((await defective.terminal.checkCard()).ok, false);
    } else {
      // a 3.00 card: the read key's authentication in application initialisation already fails
      await assert.rejects(socialSecurity(['ss-factor-order-swapped'], undefined, profile));
    }
  }
});

test('ss-unknown-version-accepted: a card of an unknown specification version is read as the newest', async () => {
  // the card's EF05 says specification version 9.00
  const rewrite = (c: Bytes, r: Bytes) =>
    c[1] === 0xb2 && toHex(r).startsWith('0304') && r.length === 8
      ? concat(fromHex('0304'), new TextEncoder().encode('9.00'), [0x90, 0x00])
      : r;
  const clean = await socialSecurity([], rewrite);
  const defective = await socialSecurity(['ss-unknown-version-accepted'], rewrite);
  await assert.rejects(clean.terminal.readBasicInfo(), /unknown specification version "9.00"/);
  assert.equal((await defective.terminal.readBasicInfo()).specVersion, '3.00');
  assert.equal((await (await socialSecurity(['ss-unknown-version-accepted'])).terminal.readBasicInfo()).specVersion, '2.00');
});

test('ss-blocked-application-accepted: a blocked SSSE whose records cannot be read is valid', async () => {
  let blocked = false;
  const rewrite = (c: Bytes, r: Bytes) => {
    if (c[1] === 0xa4 && c[2] === 0x04 && blocked && toHex(r).endsWith('9000')) return concat(r.slice(0, -2), [0x62, 0x83]);
    return c[1] === 0xb2 && blocked ? fromHex('6A81') : r;
  };
  const clean = await socialSecurity([], rewrite);
  const defective = await socialSecurity(['ss-blocked-application-accepted'], rewrite);
  blocked = true;
  assert.equal(((await clean.terminal.validityCheck('20200101')) as { reason: string }).reason, 'blocked');
  assert.deepEqual(await defective.terminal.validityCheck('20200101'), { ok: true });
});
