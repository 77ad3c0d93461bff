/**
 * Steps of the reference financial terminal (features/terminal/financial/).
 * Thin: configure the terminal of src/terminal/financial.ts, run it, check.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import { fromHex, toHex } from '../src/core/bytes.ts';
import { fail } from '../src/conformance/expect.ts';
import { shiftDate } from '../src/conformance/terminal.ts';
import { wrongPin } from '../src/conformance/management.ts';
import { IssuerHost, parseScriptKind } from '../src/pboc/issuer-host.ts';
import { type TransactionResult, describeTvr, tvrBitNamed, tvrHas } from '../src/terminal/financial.ts';
import type { LabWorld } from './world.ts';

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

Given("a financial terminal whose date is the day after the card's expiry date", function (this: LabWorld) {
  this.startFinancialTerminal((c, card) => (c.date = shiftDate(`20${card.expiry}`, 1).slice(2)));
});

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
  if (!this.financial) throw new Error('no financial terminal');
  this.transaction = await this.financial.purchase(amount, { pin: this.pboc.offlinePin });
});

When('the terminal performs a purchase of amount {string} with a wrong PIN', async function (this: LabWorld, amount: string) {
  if (!this.financial) throw new Error('no financial terminal');
  this.transaction = await this.financial.purchase(amount, { pin: wrongPin(this.pboc.offlinePin) });
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
