/**
 * Steps of the reference social-security terminal and its PSAM
 * (features/terminal/social-security/). Thin: drive the terminal of
 * src/terminal/, check with src/conformance/terminal.ts.
 */
import { Given, Then, When, defineParameterType } from '@cucumber/cucumber';
import { type Bytes, toHex } from '../src/core/bytes.ts';
import { swHex } from '../src/core/sw.ts';
import { type SwPattern, expectTag, expectTemplate, fail, swMatches } from '../src/conformance/expect.ts';
import { wrongPin } from '../src/conformance/management.ts';
import {
  type FinancialProbe,
  type ForeignKeySource,
  authenticationFlowDifferences,
  basicInfoDifferences,
  businessAfterBlock,
  externalAuthWithForeignKey,
  describeSent,
  expectedFactorData,
  factorsGivenToPsam,
  probeFinancialApplication,
  readsSfi,
  refusal,
  replaceWithForeignKey,
  sentCommands,
  shiftDate,
  terminalBefore,
  withInternalAuthLastByteWrong,
  withSpecVersion,
} from '../src/conformance/terminal.ts';
import { PSAM_AID, PsamError } from '../src/psam/client.ts';
import {
  type BasicInfo,
  type KeyRole,
  SSSE_NAME,
  type SocialSecurityTerminal,
  TerminalError,
  type Validity,
} from '../src/terminal/social-security.ts';
import type { LabWorld } from './world.ts';

interface TerminalWorld extends LabWorld {
  basicInfo?: BasicInfo;
  terminalError?: TerminalError;
  genuine?: boolean;
  validity?: Validity;
  probes?: FinancialProbe[];
  psamError?: PsamError;
  psamFci?: Bytes;
  /** The card's trace length when the last validity check began. */
  validityMark?: number;
  /** The reference terminal in front of the card as an interposed channel shows it. */
  cardView?: SocialSecurityTerminal;
  /** Why the terminal refused the card in the last step that tried. */
  refusal?: { tag?: number; message: string };
  /** The card's answer to an EXTERNAL AUTHENTICATE with a cryptogram of a key it must not accept. */
  foreignSw?: number;
}

const ROLES: readonly KeyRole[] = ['external-auth', 'internal-auth', 'maintenance', 'pin-unblock', 'pin-reload', 'read', 'card-block'];

defineParameterType({
  name: 'keyrole',
  regexp: /external-auth|internal-auth|maintenance|pin-unblock|pin-reload|read|card-block/,
  transformer: (s: string): KeyRole => ROLES.find((r) => r === s)!,
});

/** A day relative to the card's dates: "its expiry date", "the day after its expiry date", … */
defineParameterType({
  name: 'cardday',
  regexp: /its (?:issue|expiry) date|the day (?:before|after) its (?:issue|expiry) date/,
  transformer: (s: string): { field: 'issueDate' | 'expiryDate'; days: number } => ({
    field: s.includes('issue') ? 'issueDate' : 'expiryDate',
    days: s.startsWith('the day before') ? -1 : s.startsWith('the day after') ? 1 : 0,
  }),
});

function ssePin(world: LabWorld): string {
  const pin = world.keyset.pins('SSSE')[0];
  if (!pin) throw new Error('the key set has no SSSE PIN');
  return pin.value;
}

// --- the terminal and its PSAM ------------------------------------------------------------------

Given('a social-security terminal with its PSAM', async function (this: LabWorld) {
  await this.startTerminal();
});

Given('a social-security terminal with its PSAM but without the {keyrole} key', async function (this: LabWorld, role: KeyRole) {
  await this.startTerminal({ without: [role] });
});

Given('a social-security terminal that has initialised the card', async function (this: LabWorld) {
  await (await this.startTerminal()).initialise();
});

When('the terminal initialises the card', async function (this: TerminalWorld) {
  await (this.cardView ?? this.terminal).initialise();
});

When('the terminal tries to initialise the card', async function (this: TerminalWorld) {
  try {
    await this.terminal.initialise();
  } catch (e) {
    if (!(e instanceof TerminalError)) throw e;
    this.terminalError = e;
  }
});

Then('the terminal reports that the card answered {sw}', function (this: TerminalWorld, sw: SwPattern) {
  if (!this.terminalError) fail('the terminal reported no error');
  if (this.terminalError.sw === undefined || !swMatches(this.terminalError.sw, sw))
    fail(`the terminal reported: ${this.terminalError.message}`);
});

// --- TERM-SS-01: basic information ---------------------------------------------------------------

When('the terminal reads the basic information', async function (this: TerminalWorld) {
  this.basicInfo = await this.terminal.readBasicInfo();
});

Then('the terminal shows the basic data and the ATR of the card', function (this: TerminalWorld) {
  if (!this.basicInfo) throw new Error('the terminal read no basic information');
  const diffs = basicInfoDifferences(this.basicInfo, this.profile.basicData, this.session.atr);
  if (diffs.length) fail(`the terminal shows what the card does not hold: ${diffs.join('; ')}`);
});

Then('the terminal shows the name extension only for specification 2.00 and later', function (this: TerminalWorld) {
  if (!this.basicInfo) throw new Error('the terminal read no basic information');
  const has = this.basicInfo.nameExtension !== undefined;
  const should = this.profile.specVersion !== '1.00';
  if (has !== should) fail(`specification ${this.profile.specVersion}: the terminal ${has ? 'shows' : 'does not show'} a name extension`);
});

// --- TERM-SS-02: application initialisation ---------------------------------------------------------

Then('the first command the terminal sent to the card selects the SSSE by its name', function (this: LabWorld) {
  const first = sentCommands(this.session.recorder.since(this.terminalMark))[0];
  if (!first) fail('the terminal sent no command to the card');
  if (first.ins !== 0xa4 || first.p1 !== 0x04 || toHex(first.data) !== toHex(SSSE_NAME))
    fail(`the first command was ${describeSent(first)} ${toHex(first.data)}`);
});

Then('the terminal read the card identification code before any other basic data', function (this: LabWorld) {
  const reads = sentCommands(this.session.recorder.since(this.terminalMark)).filter((c) => readsSfi(c, 5) || readsSfi(c, 6));
  const first = reads[0];
  if (!first) fail('the terminal read no basic data');
  // record identifier 01 (P2 = SFI 5, first occurrence) or record number 1 of SFI 5
  const idCode = first.p1 === 0x01 && (first.p2 === 0x28 || first.p2 === 0x2c);
  if (!idCode || first.sw !== 0x9000) fail(`the first basic-data read was ${describeSent(first)}`);
});

Then('the terminal authenticated with the read key before it read the basic data', function (this: LabWorld) {
  const sent = sentCommands(this.session.recorder.since(this.terminalMark));
  const readKey = this.terminal.config.keys.read;
  if (!readKey) fail('the terminal has no read key configured');
  const auth = sent.findIndex((c) => c.ins === 0x82 && c.p2 === readKey.cardKeyId && c.sw === 0x9000);
  const read = sent.findIndex((c) => readsSfi(c, 5) || readsSfi(c, 6));
  if (auth < 0) fail(`the terminal did not authenticate with the read key ${readKey.cardKeyId}`);
  if (read >= 0 && read < auth) fail(`the terminal read the basic data (${describeSent(sent[read]!)}) before it authenticated`);
});

When('the terminal authenticates itself to the card', async function (this: LabWorld) {
  await this.terminal.externalAuthenticate();
});

Then("the PSAM diversified every key with the card's factors", function (this: LabWorld) {
  const psam = this.psam;
  if (!psam) throw new Error('no PSAM');
  const given = factorsGivenToPsam(psam.recorder.exchanges);
  if (given.length === 0) fail('the terminal never asked its PSAM for a diversified key');
  const expected = toHex(expectedFactorData(this.profile.profile, this.keyset));
  const wrong = given.filter((g) => toHex(g) !== expected);
  if (wrong.length) fail(`the PSAM got the factors ${wrong.map((w) => toHex(w)).join(', ')}; the card's are ${expected}`);
});

When('the terminal checks the card with internal authentication', async function (this: TerminalWorld) {
  this.genuine = (await (this.cardView ?? this.terminal).checkCard()).ok;
});

Then('the terminal finds the card genuine', function (this: TerminalWorld) {
  if (this.genuine !== true) fail("the card's answer is not the PSAM's encryption of the random");
});

Then('the terminal finds the card not genuine', function (this: TerminalWorld) {
  if (this.genuine !== false) fail('the terminal accepted the card');
});

Given("the card's SSSE key {int} is replaced by a key its issuer never had", async function (this: LabWorld, id: number) {
  await replaceWithForeignKey(this.manager, 'SSSE', id);
});

// --- TERM-SS-03: validity check -------------------------------------------------------------------

When(
  "the terminal checks the card's validity on {cardday}",
  async function (this: TerminalWorld, day: { field: 'issueDate' | 'expiryDate'; days: number }) {
    this.validityMark = this.session.recorder.mark();
    this.validity = await this.terminal.validityCheck(shiftDate(this.profile.basicData[day.field], day.days));
  },
);

Then('the terminal accepts the card', function (this: TerminalWorld) {
  if (this.refusal) fail(`the terminal refused the card: ${this.refusal.message}`);
  if (!this.validity) throw new Error('no validity check was made');
  if (!this.validity.ok) fail(`the terminal refused the card: ${this.validity.detail}`);
});

Then('the terminal refuses the card as {word}', function (this: TerminalWorld, reason: string) {
  if (!this.validity) throw new Error('no validity check was made');
  if (this.validity.ok) fail('the terminal accepted the card');
  if (this.validity.reason !== reason)
    fail(`the terminal refused the card as ${this.validity.reason} (${this.validity.detail}), not ${reason}`);
});

Then('the terminal read the dates from the card for the check', function (this: TerminalWorld) {
  const sent = sentCommands(this.session.recorder.since(this.validityMark ?? this.terminalMark));
  const select = sent.findIndex((c) => c.ins === 0xa4 && c.sw === 0x9000);
  const read = sent.findIndex((c, i) => i > select && readsSfi(c, 5) && c.sw === 0x9000);
  if (select < 0) fail('the terminal did not select the SSSE for the check');
  if (read < 0) fail('the terminal did not read EF05 (the issue and expiry dates) after selecting the SSSE');
});

Then('the terminal sent no business command after the SELECT that reported the block', function (this: TerminalWorld) {
  const sent = sentCommands(this.session.recorder.since(this.validityMark ?? this.terminalMark));
  const business = businessAfterBlock(sent);
  if (!business) fail('no SELECT of the check reported the block');
  if (business.length) fail(`after the block the terminal sent ${business.map(describeSent).join(', ')}`);
});

Given("the card's answer to INTERNAL AUTHENTICATE is wrong in its last byte", function (this: TerminalWorld) {
  this.cardView = terminalBefore(withInternalAuthLastByteWrong(this.session), this.terminal);
});

// --- TERM-SS-06: the specification version ----------------------------------------------------------

Given("the card's EF05 says specification version {string}", async function (this: TerminalWorld, version: string) {
  this.cardView = terminalBefore(withSpecVersion(this.session, version), this.terminal);
  await this.cardView.initialise();
});

When(
  "the terminal tries to check the card's validity on {cardday}",
  async function (this: TerminalWorld, day: { field: 'issueDate' | 'expiryDate'; days: number }) {
    this.validityMark = this.session.recorder.mark();
    const today = shiftDate(this.profile.basicData[day.field], day.days);
    this.refusal = await refusal(async () => {
      this.validity = await (this.cardView ?? this.terminal).validityCheck(today);
    });
  },
);

Then('the terminal refuses the card for its specification version', function (this: TerminalWorld) {
  if (!this.refusal) fail(`the terminal ${this.validity?.ok ? 'accepted' : 'refused'} the card without a word on its version`);
  if (this.refusal.tag !== 0x03) fail(`the terminal refused the card for another reason: ${this.refusal.message}`);
});

// --- TERM-SS-02: diversified keys, internal authentication -------------------------------------------

/** The terminal's authentication with the card went through the PSAM with the card's diversification factors. */
function checkAuthenticationFlow(world: LabWorld, kind: 'external' | 'internal'): void {
  const psam = world.psam;
  if (!psam) throw new Error('no PSAM');
  const factors = expectedFactorData(world.profile.profile, world.keyset);
  const diffs = authenticationFlowDifferences(world.session.recorder.since(world.terminalMark), psam.recorder.exchanges, kind, factors);
  if (diffs.length) fail(diffs.join('; '));
}

Then(
  "the terminal authenticated with the PSAM's cryptogram of the card's challenge, diversified with the card's factors",
  function (this: LabWorld) {
    checkAuthenticationFlow(this, 'external');
  },
);

Then(
  "the terminal compared the card's answer with the PSAM's encryption of its random, diversified with the card's factors",
  function (this: LabWorld) {
    checkAuthenticationFlow(this, 'internal');
  },
);

When(
  /^a cryptogram of the terminal's (external-auth|read) key made with (the undiversified master key|the factors of another card) is sent to the card$/,
  async function (this: TerminalWorld, role: KeyRole, source: string) {
    const from: ForeignKeySource = source.includes('master') ? 'master' : 'another card';
    this.foreignSw = await externalAuthWithForeignKey(this.terminal, this.keyset, role, from);
  },
);

Then('the card refuses the cryptogram with {sw}', function (this: TerminalWorld, sw: SwPattern) {
  if (this.foreignSw === undefined) throw new Error('no cryptogram was sent');
  if (!swMatches(this.foreignSw, sw)) fail(`EXTERNAL AUTHENTICATE answered ${swHex(this.foreignSw)}`);
});

// --- TERM-SS-04: the PSAM ---------------------------------------------------------------------------

When('the terminal selects its PSAM application', async function (this: TerminalWorld) {
  this.psamFci = await this.terminal.psam.select();
});

Then('the PSAM answers with the FCI of its application', function (this: TerminalWorld) {
  if (!this.psamFci) throw new Error('the PSAM application was not selected');
  const r = { data: this.psamFci, sw: 0x9000 };
  expectTemplate(r, 0x6f);
  expectTag(r, 0x84, PSAM_AID);
});

When("I try every key of the terminal's PSAM on the PSE key {int}", async function (this: TerminalWorld, id: number) {
  this.probes = await probeFinancialApplication(this.terminal, this.manager, id);
});

Then('the financial application accepts none of them', function (this: TerminalWorld) {
  const probes = this.probes ?? [];
  if (probes.length === 0) fail('no PSAM key was tried');
  const accepted = probes.filter((p) => p.accepted);
  if (accepted.length) fail(`the PSE accepted the PSAM's ${accepted.map((p) => p.key).join(', ')}`);
  this.log(probes.map((p) => `${p.key}: ${p.outcome}`).join('\n'));
});

When(
  'the terminal asks its PSAM for the key of usage {hex} index {int}',
  async function (this: TerminalWorld, usage: Bytes, index: number) {
    try {
      await this.terminal.psam.initialise(usage[0]!, index, this.terminal.diversificationFactors);
    } catch (e) {
      if (!(e instanceof PsamError)) throw e;
      this.psamError = e;
    }
  },
);

Then('the PSAM refuses with {sw}', function (this: TerminalWorld, sw: SwPattern) {
  if (!this.psamError) fail('the PSAM did not refuse');
  if (!swMatches(this.psamError.sw, sw)) fail(`the PSAM answered ${swHex(this.psamError.sw)}`);
});

// --- TERM-SS-05: PIN and protected writes through the PSAM -------------------------------------------

When(
  'the terminal writes the {tag} record of SFI {int} with {hex} and a MAC from its PSAM',
  async function (this: LabWorld, tag: number, sfi: number, data: Bytes) {
    await this.terminal.writeRecord(sfi, this.profile.recordNumber('SSSE', sfi, tag), data);
  },
);

When(
  "the terminal writes the {tag} record of SFI {int} with {hex} and a MAC of its PSAM's {keyrole} key",
  async function (this: LabWorld, tag: number, sfi: number, data: Bytes, role: KeyRole) {
    await this.terminal.writeRecord(sfi, this.profile.recordNumber('SSSE', sfi, tag), data, role);
  },
);

When("the terminal verifies the cardholder's PIN", async function (this: LabWorld) {
  await this.terminal.verifyPin(ssePin(this));
});

When('the terminal verifies a wrong PIN', async function (this: LabWorld) {
  await this.terminal.verifyPin(wrongPin(ssePin(this)));
});

When('the terminal verifies the PIN {string}', async function (this: LabWorld, pin: string) {
  await this.terminal.verifyPin(pin);
});

When("the terminal changes the cardholder's PIN to {string}", async function (this: LabWorld, pin: string) {
  await this.terminal.changePin(ssePin(this), pin);
});

When('the terminal {word} the PIN with the new PIN {string}', async function (this: LabWorld, verb: string, pin: string) {
  if (verb !== 'reloads' && verb !== 'unblocks') throw new Error(`the terminal reloads or unblocks the PIN, not "${verb}"`);
  await this.terminal.resetPin(verb === 'reloads' ? 'reload' : 'unblock', pin);
});
