/**
 * Steps of the reference financial terminal (features/terminal/financial/).
 * Thin: configure the terminal of src/terminal/financial.ts, run it, check.
 */
import { Given, Then, When, defineParameterType } from '@cucumber/cucumber';
import { fromHex, toHex } from '../src/core/bytes.ts';
import { type SwPattern, fail, swMatches } from '../src/conformance/expect.ts';
import { type SentCommand, describeSent, sentCommands, shiftDate } from '../src/conformance/terminal.ts';
import {
  IssuerHostWithWrongArpc,
  type RecordFault,
  actionCodeWith,
  arcOfSecondAc,
  commandsWith,
  generateAcs,
  scriptCommandsAround,
  tsiHas,
  tvrBitOf,
  versionPlus,
  withRecordFault,
} from '../src/conformance/terminal-financial.ts';
import type { PbocJson } from '../src/model/pboc-data.ts';
import { wrongPin } from '../src/conformance/management.ts';
import { ARC, IssuerHost, parseScriptKind } from '../src/pboc/issuer-host.ts';
import { FinancialTerminal, type TransactionResult, describeTvr, tvrBitNamed, tvrHas } from '../src/terminal/financial.ts';
import type { LabWorld } from './world.ts';

function terminal(world: LabWorld): FinancialTerminal {
  if (!world.financial) throw new Error('no financial terminal');
  return world.financial;
}

/** The commands the card received since the scenario's terminal transaction began. */
function sent(world: LabWorld): SentCommand[] {
  return sentCommands(world.session.recorder.since(world.terminalMark));
}

function done(world: LabWorld): TransactionResult {
  if (!world.transaction) throw new Error('the terminal performed no transaction');
  return world.transaction;
}

// --- terminal set-up -------------------------------------------------------------------------------

Given('a financial terminal', function (this: LabWorld) {
  this.startFinancialTerminal();
});

Given('a financial terminal that does not use the PSE', function (this: LabWorld) {
  this.startFinancialTerminal((c) => (c.usePse = false));
});

Given('a financial terminal whose AID list starts with {string}', function (this: LabWorld, aid: string) {
  this.startFinancialTerminal((c) => (c.aids = [fromHex(aid), ...c.aids.filter((a) => toHex(a) !== aid.toUpperCase())]));
});

Given('a financial terminal whose issuer declines', function (this: LabWorld) {
  this.startFinancialTerminal(undefined, { host: new IssuerHost(this.keyset, { decline: true }), scripts: [] });
});

Given('a financial terminal whose issuer answers with an ARPC wrong in its last byte', function (this: LabWorld) {
  this.startFinancialTerminal(undefined, { host: new IssuerHostWithWrongArpc(this.keyset), scripts: [] });
});

Given('a financial terminal that cannot go online', function (this: LabWorld) {
  this.startFinancialTerminal(undefined, null);
});

Given('a financial terminal without CDA', function (this: LabWorld) {
  this.startFinancialTerminal((c) => (c.oda.cda = false));
});

Given('a financial terminal with SDA only', function (this: LabWorld) {
  this.startFinancialTerminal((c) => (c.oda = { cda: false, dda: false, sda: true }));
});

Given('a financial terminal without the CA key of the card', function (this: LabWorld) {
  this.startFinancialTerminal((c) => c.caKeys.clear());
});

/** A day relative to the debit application's dates: "the card's expiry date", "the day before the card's effective date", … */
defineParameterType({
  name: 'pbocday',
  regexp: /(?:the day (?:before|after) )?the card's (?:effective|expiry) date/,
  transformer: (s: string): { field: 'effective' | 'expiry'; days: number } => ({
    field: s.includes('effective') ? 'effective' : 'expiry',
    days: s.startsWith('the day before') ? -1 : s.startsWith('the day after') ? 1 : 0,
  }),
});

/** The terminal's date (YYMMDD) on a day relative to the card's 5F25 / 5F24. */
function pbocDay(card: PbocJson, day: { field: 'effective' | 'expiry'; days: number }): string {
  return shiftDate(`20${card[day.field]}`, day.days).slice(2);
}

Given('a financial terminal whose date is {pbocday}', function (this: LabWorld, day: { field: 'effective' | 'expiry'; days: number }) {
  this.startFinancialTerminal((c, card) => (c.date = pbocDay(card, day)));
});

Given("a financial terminal whose application version is the card's", function (this: LabWorld) {
  this.startFinancialTerminal((c, card) => (c.applicationVersions = [fromHex(card.data['9F08'] ?? '')]));
});

Given("a financial terminal whose application version is one above the card's", function (this: LabWorld) {
  this.startFinancialTerminal((c, card) => (c.applicationVersions = [fromHex(versionPlus(card.data['9F08'] ?? '', 1))]));
});

Given('a financial terminal whose floor limit is {int}', function (this: LabWorld, limit: number) {
  this.startFinancialTerminal((c) => (c.floorLimit = limit));
});

Given('a financial terminal without CDA and DDA', function (this: LabWorld) {
  this.startFinancialTerminal((c) => (c.oda = { cda: false, dda: false, sda: true }));
});

Given('the terminal action code {word} has the bit {string}', function (this: LabWorld, which: string, bit: string) {
  const t = terminal(this);
  if (which !== 'denial' && which !== 'online' && which !== 'default') throw new Error(`no terminal action code "${which}"`);
  t.config.tac[which] = actionCodeWith(tvrBitOf(bit));
});

Given("the terminal's application version becomes one above the card's", function (this: LabWorld) {
  terminal(this).config.applicationVersions = [fromHex(versionPlus(this.profile.pbocAdf().pboc.data['9F08'] ?? '', 1))];
});

Given('the terminal loses the CA key of the card', function (this: LabWorld) {
  terminal(this).config.caKeys.clear();
});

Given('the terminal loses its link to the issuer', function (this: LabWorld) {
  const { pboc } = this.profile.pbocAdf();
  this.financial = new FinancialTerminal(this.session, terminal(this).config, undefined, {
    pan: pboc.pan,
    psn: pboc.psn,
    suite: pboc.suite,
  });
});

Given(
  "the card answers {sw} to the terminal's READ RECORD number {int} of the AFL",
  function (this: LabWorld & { recordFault?: RecordFault }, sw: SwPattern, nth: number) {
    const t = terminal(this);
    const { pboc } = this.profile.pbocAdf();
    this.recordFault = {};
    const card = withRecordFault(this.session, nth, sw.value, this.recordFault);
    this.financial = new FinancialTerminal(card, t.config, t.online, { pan: pboc.pan, psn: pboc.psn, suite: pboc.suite });
  },
);

Given("a financial terminal that does not accept the card's application version", function (this: LabWorld) {
  this.startFinancialTerminal((c, card) => (c.applicationVersions = [card.data['9F08'] === '0099' ? fromHex('0098') : fromHex('0099')]));
});

Given('a financial terminal in country {string}', function (this: LabWorld, country: string) {
  this.startFinancialTerminal((c) => (c.country = country));
});

Given('a financial terminal whose issuer sends the script {string}', function (this: LabWorld, kind: string) {
  this.startFinancialTerminal(undefined, { host: new IssuerHost(this.keyset), scripts: [{ kind: parseScriptKind(kind) }] });
});

Given('a financial terminal whose issuer sends the script {string} with a wrong MAC', function (this: LabWorld, kind: string) {
  this.startFinancialTerminal(undefined, {
    host: new IssuerHost(this.keyset),
    scripts: [{ kind: parseScriptKind(kind), options: { wrongMac: true } }],
  });
});

Given("the card's offline PIN is blocked", async function (this: LabWorld) {
  await this.pboc.select();
  await this.pboc.gpo();
  for (let i = 0; i < 3; i++) await this.pboc.verifyPin(wrongPin(this.pboc.offlinePin));
  if ((await this.pboc.pinTries()) !== 0) fail('the offline PIN could not be blocked');
});

Given('the terminal has completed a purchase of amount {string} online', async function (this: LabWorld, amount: string) {
  if (!this.financial) throw new Error('no financial terminal');
  const r = await this.financial.purchase(amount, { pin: this.pboc.offlinePin });
  if (r.outcome !== 'approved online') fail(`the preparing purchase ended ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`);
});

// --- transactions ------------------------------------------------------------------------------------

When('the terminal selects the application', async function (this: LabWorld) {
  if (!this.financial) throw new Error('no financial terminal');
  const s = await this.financial.selectApplication();
  this.transaction = {
    aid: s.aid,
    selectedVia: s.via,
    outcome: 'terminated',
    oda: 'none',
    tvr: new Uint8Array(5),
    tsi: new Uint8Array(2),
    cvmResults: new Uint8Array(3),
    scripts: [],
  };
});

When('the terminal performs a purchase of amount {string} with the PIN', async function (this: LabWorld, amount: string) {
  const t = terminal(this);
  this.terminalMark = this.session.recorder.mark();
  this.transaction = await t.purchase(amount, { pin: this.pboc.offlinePin });
});

When('the terminal performs a purchase of amount {string} with a wrong PIN', async function (this: LabWorld, amount: string) {
  const t = terminal(this);
  this.terminalMark = this.session.recorder.mark();
  this.transaction = await t.purchase(amount, { pin: wrongPin(this.pboc.offlinePin) });
});

When('the terminal performs a purchase of amount {string} with the PIN entry bypassed', async function (this: LabWorld, amount: string) {
  const t = terminal(this);
  this.terminalMark = this.session.recorder.mark();
  this.transaction = await t.purchase(amount, { bypass: true });
});

// --- checks ---------------------------------------------------------------------------------------------

Then('the terminal selected {string} through the PSE', function (this: LabWorld, aid: string) {
  const t = done(this);
  if (toHex(t.aid ?? new Uint8Array(0)) !== aid.toUpperCase() || t.selectedVia !== 'PSE')
    fail(`the terminal selected ${toHex(t.aid ?? new Uint8Array(0))} through ${t.selectedVia}`);
});

Then('the terminal selected {string} through its AID list', function (this: LabWorld, aid: string) {
  const t = done(this);
  if (toHex(t.aid ?? new Uint8Array(0)) !== aid.toUpperCase() || t.selectedVia !== 'AID list')
    fail(`the terminal selected ${toHex(t.aid ?? new Uint8Array(0))} through ${t.selectedVia}`);
});

Then('the transaction is {word} {word}', function (this: LabWorld, verdict: string, where: string) {
  const t = done(this);
  const expected = `${verdict} ${where}`;
  if (t.outcome !== expected)
    fail(
      `the transaction ended ${t.outcome}${t.reason ? ` (${t.reason})` : ''}; TVR ${toHex(t.tvr)}: ${describeTvr(t.tvr).join(', ') || 'nothing'}`,
      t.outcome,
      expected,
    );
});

Then('the terminal sent the ARQC to the issuer, which found it valid', function (this: LabWorld) {
  const t = done(this);
  if (!t.online) fail('the terminal did not go online');
  if (!t.online.arqcValid) fail("the issuer found the card's ARQC invalid");
});

Then("the card accepted the issuer's ARPC", function (this: LabWorld) {
  const sw = done(this).online?.issuerAuthSw;
  if (sw !== 0x9000) fail(`EXTERNAL AUTHENTICATE answered ${sw === undefined ? 'nothing' : sw.toString(16).toUpperCase()}`);
});

Then("the card refused the issuer's ARPC with {sw}", function (this: LabWorld, expected: SwPattern) {
  const sw = done(this).online?.issuerAuthSw;
  if (sw === undefined) fail('the terminal sent no EXTERNAL AUTHENTICATE');
  if (!swMatches(sw, expected)) fail(`EXTERNAL AUTHENTICATE answered ${sw.toString(16).toUpperCase()}`);
});

Then('the TVR says {string}', function (this: LabWorld, what: string) {
  const t = done(this);
  tvrBitNamed(what);
  if (!tvrHas(t.tvr, what)) fail(`the TVR ${toHex(t.tvr)} says ${describeTvr(t.tvr).join(', ') || 'nothing'}, not "${what}"`);
});

Then('the TVR says nothing about offline data authentication', function (this: LabWorld) {
  const t = done(this);
  if ((t.tvr[0]! & 0xfc) !== 0) fail(`the TVR ${toHex(t.tvr)} says ${describeTvr(t.tvr).join(', ')}`);
});

Then('the terminal performed {string}', function (this: LabWorld, method: string) {
  const t = done(this);
  if (t.oda !== method) fail(`the terminal performed ${t.oda}`);
});

Then('the cardholder was verified by the offline PIN', function (this: LabWorld) {
  const r = done(this).cvmResults;
  if ((r[0]! & 0x3f) !== 0x01 || r[2] !== 0x02) fail(`CVM results ${toHex(r)}: not a successful offline plaintext PIN`);
});

Then('the issuer script was processed', function (this: LabWorld) {
  const t = done(this);
  if (t.scripts.length === 0) fail('the terminal sent no script');
  const bad = t.scripts.filter((s) => s.sw !== 0x9000);
  if (bad.length) fail(`the card refused ${bad.map((s) => `${s.kind} (${s.sw.toString(16).toUpperCase()})`).join(', ')}`);
});

Then("the card's financial application is blocked", async function (this: LabWorld) {
  const r = await this.pboc.select();
  if (r.sw !== 0x6283) fail(`SELECT of the debit application answered ${r.sw.toString(16).toUpperCase()}, not 6283`);
});

Then('the transaction is terminated', function (this: LabWorld) {
  const t = done(this);
  if (t.outcome !== 'terminated') fail(`the transaction ended ${t.outcome}`, t.outcome, 'terminated');
});

Then('the TVR does not say {string}', function (this: LabWorld, what: string) {
  const t = done(this);
  tvrBitNamed(what);
  if (tvrHas(t.tvr, what)) fail(`the TVR ${toHex(t.tvr)} says "${what}"`);
});

Then('the TSI says {string}', function (this: LabWorld, what: string) {
  const t = done(this);
  if (!tsiHas(t.tsi, what)) fail(`the TSI ${toHex(t.tsi)} does not say "${what}"`);
});

Then('the CVM results record the offline plaintext PIN as {word}', function (this: LabWorld, result: string) {
  const r = done(this).cvmResults;
  const code = { failed: 0x01, successful: 0x02 }[result];
  if (code === undefined) throw new Error(`a CVM result is "failed" or "successful", not "${result}"`);
  if ((r[0]! & 0x3f) !== 0x01 || r[2] !== code) fail(`CVM results ${toHex(r)}: not an offline plaintext PIN ${result}`);
});

Then('the terminal sent no VERIFY', function (this: LabWorld) {
  const verify = commandsWith(sent(this), 0x20);
  if (verify.length) fail(`the terminal sent ${verify.map(describeSent).join(', ')}`);
});

Then('the terminal sent one VERIFY, answered {sw}', function (this: LabWorld, sw: SwPattern) {
  const verify = commandsWith(sent(this), 0x20);
  if (verify.length !== 1) fail(`the terminal sent ${verify.length} VERIFY: ${verify.map(describeSent).join(', ')}`);
  if (verify[0]!.sw === undefined || !swMatches(verify[0]!.sw, sw)) fail(`VERIFY: ${describeSent(verify[0]!)}`);
});

Then('the terminal sent INTERNAL AUTHENTICATE', function (this: LabWorld) {
  const ia = commandsWith(sent(this), 0x88, 0x00);
  if (ia.length !== 1 || ia[0]!.sw !== 0x9000) fail(`INTERNAL AUTHENTICATE: ${ia.map(describeSent).join(', ') || 'none sent'}`);
});

Then('the terminal sent no INTERNAL AUTHENTICATE', function (this: LabWorld) {
  const ia = commandsWith(sent(this), 0x88, 0x00);
  if (ia.length) fail(`the terminal sent ${ia.map(describeSent).join(', ')}`);
});

Then('the first GENERATE AC asked for {word}', function (this: LabWorld, type: string) {
  const first = generateAcs(sent(this))[0];
  if (!first) fail('the terminal sent no GENERATE AC');
  if (first.asked !== type) fail(`the first GENERATE AC asked for ${first.asked}`, first.asked, type);
});

Then('the first GENERATE AC {word} a CDA signature', function (this: LabWorld, verb: string) {
  const first = generateAcs(sent(this))[0];
  if (!first) fail('the terminal sent no GENERATE AC');
  if (verb !== 'requested' && verb !== 'omitted') throw new Error(`a CDA signature is "requested" or "omitted", not "${verb}"`);
  if (first.cda !== (verb === 'requested')) fail(`the first GENERATE AC ${first.cda ? 'requested' : 'did not request'} a CDA signature`);
});

Then('the terminal sent no second GENERATE AC', function (this: LabWorld) {
  const acs = generateAcs(sent(this));
  if (acs.length > 1) fail(`the terminal sent ${acs.length} GENERATE AC`);
});

Then("the second GENERATE AC carried the issuer's ARC and asked for {word}", function (this: LabWorld, type: string) {
  const t = done(this);
  const second = generateAcs(sent(this))[1];
  if (!t.online) fail('the terminal did not go online');
  if (!second) fail('the terminal sent no second GENERATE AC');
  const arc = arcOfSecondAc(fromHex(this.profile.pbocAdf().pboc.data['8D'] ?? ''), second);
  // the lab's issuer host answers 3030 when it approves, 3035 when it declines
  const issuer = type === 'TC' ? ARC.approved : ARC.declined;
  if (!arc || toHex(arc) !== toHex(t.online.arc) || toHex(arc) !== toHex(issuer))
    fail(`the second GENERATE AC carried the ARC ${arc ? toHex(arc) : 'none'}; the issuer answered ${toHex(issuer)}`);
  if (second.asked !== type) fail(`the second GENERATE AC asked for ${second.asked}`, second.asked, type);
});

Then("the card's final cryptogram is {word}", function (this: LabWorld, type: string) {
  const t = done(this);
  if (t.finalCryptogram !== type) fail(`the final cryptogram is ${t.finalCryptogram ?? 'none'}`, t.finalCryptogram, type);
});

Then('the terminal sent the ARPC with EXTERNAL AUTHENTICATE before the second GENERATE AC', function (this: LabWorld) {
  const cmds = sent(this);
  const ea = commandsWith(cmds, 0x82, 0x00);
  const second = generateAcs(cmds)[1];
  if (ea.length !== 1) fail(`the terminal sent ${ea.length} EXTERNAL AUTHENTICATE`);
  if (!second || ea[0]!.index > second.index) fail('EXTERNAL AUTHENTICATE did not come before the second GENERATE AC');
});

Then('the issuer script was sent after the second GENERATE AC', function (this: LabWorld) {
  const cmds = sent(this);
  const second = generateAcs(cmds)[1];
  if (!second) fail('the terminal sent no second GENERATE AC');
  const { before, after } = scriptCommandsAround(cmds, second.index);
  if (after.length === 0) fail('the terminal sent no script command after the second GENERATE AC');
  if (before.length) fail(`script commands before the second GENERATE AC: ${before.map(describeSent).join(', ')}`);
});

Then('the terminal sent nothing to the card after the failed READ RECORD', function (this: LabWorld & { recordFault?: RecordFault }) {
  const at = this.recordFault?.at;
  if (at === undefined) fail('the terminal did not read the faulty record');
  const after = sentCommands(this.session.recorder.since(at));
  if (after.length) fail(`after the failed READ RECORD the terminal sent ${after.map(describeSent).join(', ')}`);
});

Then('the TSI does not say {string}', function (this: LabWorld, what: string) {
  const t = done(this);
  if (tsiHas(t.tsi, what)) fail(`the TSI ${toHex(t.tsi)} says "${what}"`);
});
