/**
 * Steps of the PBOC debit application on the card (features/card/pse/).
 * Thin: parse, call src/conformance/pboc.ts, check.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import { type Bytes, equal, fromHex, toHex } from '../src/core/bytes.ts';
import { swHex } from '../src/core/sw.ts';
import { expectTag, expectTemplate, fail } from '../src/conformance/expect.ts';
import { type CidType, cidTypeOf, getDataValue } from '../src/conformance/pboc.ts';
import { OdaCheck, cvrHas, cvrScriptCount, cvrTypesProblem } from '../src/conformance/pboc-oda.ts';
import {
  type LogBefore,
  type TornGac,
  firstGacStates,
  logBefore,
  logLayout,
  logTearProblem,
  observeRisk,
  riskProblem,
  secondGacStates,
} from '../src/conformance/pboc-risk.ts';
import { personaliseWithPbocCardData } from '../src/conformance/pboc-card.ts';
import { TEAR_INS, withPowerLoss } from '../src/conformance/tear.ts';
import { OdaError } from '../src/pboc/oda-format.ts';
import { wrongPin } from '../src/conformance/management.ts';
import {
  atcProblem,
  cardFault,
  cardFaultAsync,
  directoryAids,
  fciDirectoryAids,
  pdolTags,
  tamperPan,
  usageControl,
} from '../src/conformance/pboc-checks.ts';
import { tagHex } from '../src/core/tlv.ts';
import { parseScriptKind } from '../src/pboc/issuer-host.ts';
import type { LabWorld } from './world.ts';

function cidType(text: string): CidType {
  if (text !== 'ARQC' && text !== 'TC' && text !== 'AAC') throw new Error(`a cryptogram type is ARQC, TC or AAC, not "${text}"`);
  return text;
}

// --- selection ----------------------------------------------------------------------------------

Given('I select the debit application', async function (this: LabWorld) {
  await this.pboc.select();
});

Then('the FCI names the directory SFI {int}', function (this: LabWorld, sfi: number) {
  expectTemplate(this.session.last.response, 0x6f);
  expectTag(this.session.last.response, 0x88, Uint8Array.of(sfi));
});

Then('the directory lists the applications {string}', function (this: LabWorld, aids: string) {
  const found = directoryAids(this.session.last.response.data).map((a) => toHex(a));
  if (found.join(' ') !== aids.toUpperCase()) fail(`the directory lists ${found.join(' ') || 'nothing'}`, found.join(' '), aids);
});

Then('the FCI directory lists the applications {string}', function (this: LabWorld, aids: string) {
  const found = fciDirectoryAids(this.session.last.response.data).map((a) => toHex(a));
  if (found.join(' ') !== aids.toUpperCase()) fail(`the FCI lists ${found.join(' ') || 'nothing'}`, found.join(' '), aids);
});

Then('the PDOL requests {tag}', function (this: LabWorld, tag: number) {
  const tags = pdolTags(this.session.last.response.data);
  if (!tags.includes(tag)) fail(`the PDOL requests ${tags.map(tagHex).join(' ') || 'nothing'}, not ${tagHex(tag)}`);
});

// --- GPO, records, GET DATA ----------------------------------------------------------------------

When('I start a transaction', async function (this: LabWorld) {
  await this.pboc.gpo();
});

When('I start a transaction with a terminal without the SM suite', async function (this: LabWorld) {
  await this.pboc.gpo({ suite: 'des-rsa' });
});

When('I start a transaction with a terminal with the SM suite', async function (this: LabWorld) {
  await this.pboc.gpo({ suite: 'sm' });
});

Then("the transaction uses the card's algorithm suite", async function (this: LabWorld) {
  const r = await this.pboc.generateAc('ARQC');
  if (r.sw !== 0x9000) fail(`GENERATE AC answered ${swHex(r.sw)}`);
  const iad = this.pboc.txn?.firstAc?.iad;
  const expected = this.pboc.suite === 'sm' ? 0x04 : 0x01;
  if (iad?.[7] !== expected) fail(`the cryptogram is of algorithm ${toHex([iad?.[7] ?? 0])}, the card's suite is ${this.pboc.suite}`);
  const ac = this.pboc.txn?.firstAc?.ac;
  if (!ac) fail('no application cryptogram 9F26 in the GENERATE AC response');
  if (!equal(ac, this.pboc.expectedAc(false))) fail("the cryptogram does not verify with the card's suite");
});

When('I send GET PROCESSING OPTIONS with the PDOL data in template {int}', async function (this: LabWorld, template: number) {
  await this.pboc.gpo({ template: parseInt(String(template), 16) });
});

When('I send GET PROCESSING OPTIONS with {int} bytes of PDOL data too many', async function (this: LabWorld, n: number) {
  await this.pboc.gpo({ lengthDelta: n });
});

Then('the response is a template 77 with the AIP and the AFL of the profile', function (this: LabWorld) {
  const r = this.session.last.response;
  expectTemplate(r, 0x77);
  expectTag(r, 0x82, fromHex(this.pboc.pboc.aip));
  const afl = this.pboc.txn?.gpo?.afl;
  if (!afl) fail('no AFL in the response');
  const expected = this.profile.pbocAfl();
  if (!equal(afl, expected)) fail(`the AFL is ${toHex(afl)}, the profile's records make ${toHex(expected)}`, toHex(afl), toHex(expected));
});

Given('a card of the profile personalised with the ATC {hex}', async function (this: LabWorld, atc: Bytes) {
  // a blank card (a simulator capability: @needs:simulator) personalised by the profile's own script, 9F36 set otherwise
  await this.start('blank');
  await this.session.reset(true);
  await personaliseWithPbocCardData(this.session.recorder, this.profile.profile, this.keyset, { '9F36': toHex(atc) });
  await this.session.reset(true);
});

Then('the ATC is {hex}', async function (this: LabWorld, expected: Bytes) {
  const now = await this.pboc.atc();
  if (now !== ((expected[0]! << 8) | expected[1]!)) fail(`GET DATA 9F36 tells the ATC ${now.toString(16).toUpperCase().padStart(4, '0')}`);
});

Then('the card refuses to start the transaction', async function (this: LabWorld) {
  const sw = this.session.last.response.sw;
  if (sw === 0x9000) fail('GET PROCESSING OPTIONS started a transaction beyond the last ATC: the ATC rolls over');
  if (sw === 0x6985) return;
  // the other answer the standard allows: the application blocked itself
  // (its selection answers 6283, "selected file deactivated", ISO/IEC 7816-4 §5.1.3)
  const selected = (await this.pboc.select()).sw;
  if (selected !== 0x6283)
    fail(`GET PROCESSING OPTIONS answered ${swHex(sw)}: neither 6985 nor an application blocked (SELECT ${swHex(selected)})`);
});

Then('the ATC has increased by {int}', async function (this: LabWorld, n: number) {
  const start = this.pboc.atcAtStart;
  if (start === undefined) throw new Error('no ATC was taken before the first transaction');
  const now = await this.pboc.atc();
  if (now - start !== n) fail(`the ATC went from ${start} to ${now}, by ${now - start}, not ${n}`);
});

When('I read the records the AFL names', async function (this: LabWorld) {
  const rs = await this.pboc.readAfl();
  const bad = rs.find((r) => r.sw !== 0x9000);
  if (bad) fail(`a record the AFL names answered ${swHex(bad.sw)}`);
});

Then('every record read is a template 70', function (this: LabWorld) {
  const bad = this.pboc.records.filter((r) => r.data[0] !== 0x70);
  if (this.pboc.records.length === 0) fail('no record was read');
  if (bad.length) fail(`records that are no template 70: ${bad.map((r) => `SFI ${r.sfi} record ${r.record}`).join(', ')}`);
});

Then('the records are those of the profile', function (this: LabWorld) {
  for (const r of this.pboc.records) {
    const expected = this.profile.pbocRecord(r.sfi, r.record);
    if (!equal(r.data, expected)) fail(`SFI ${r.sfi} record ${r.record} differs from the profile`, toHex(r.data), toHex(expected));
  }
});

Then('the application data hold {tag}', function (this: LabWorld, tag: number) {
  if (!this.pboc.element(tag)) fail(`no record the AFL names holds ${tagHex(tag)}`);
});

Then('the application data hold {tag} with value {hex}', function (this: LabWorld, tag: number, value: Bytes) {
  const v = this.pboc.element(tag);
  if (!v) fail(`no record the AFL names holds ${tagHex(tag)}`);
  if (!equal(v, value)) fail(`${tagHex(tag)} is ${toHex(v)}`, toHex(v), toHex(value));
});

Then('the application usage control allows domestic and forbids international use', function (this: LabWorld) {
  const auc = this.pboc.element(0x9f07);
  if (!auc) fail('no application usage control 9F07');
  const u = usageControl(auc);
  if (!u.domestic) fail(`9F07 ${toHex(auc)} does not allow domestic use`);
  if (u.international.length) fail(`9F07 ${toHex(auc)} allows international ${u.international.join(', ')}`);
});

When('I get the data object {word}', async function (this: LabWorld, tag: string) {
  await this.pboc.getData(parseInt(tag, 16));
});

// --- offline PIN ---------------------------------------------------------------------------------

When('I verify the offline PIN', async function (this: LabWorld) {
  await this.pboc.verifyPin(this.pboc.offlinePin);
});

When('I verify the offline PIN {string}', async function (this: LabWorld, pin: string) {
  await this.pboc.verifyPin(pin);
});

When('I verify a wrong offline PIN', async function (this: LabWorld) {
  await this.pboc.verifyPin(wrongPin(this.pboc.offlinePin));
});

When("I send the SSSE's CHANGE PIN on the offline PIN reference with the offline PIN", async function (this: LabWorld) {
  // P2 80: the offline PIN's reference (EMV 4.3 Book 3 §6.5.12, JR/T 0025.5); the SSSE's CHANGE PIN names it in P2 (LD/T 32)
  await this.ssse.changePin(this.pboc.offlinePin, wrongPin(this.pboc.offlinePin), 0x80);
});

When('I verify {int} wrong offline PIN(s)', async function (this: LabWorld, n: number) {
  for (let i = 0; i < n; i++) await this.pboc.verifyPin(wrongPin(this.pboc.offlinePin));
});

When('I verify the offline PIN {int} time(s)', async function (this: LabWorld, n: number) {
  for (let i = 0; i < n; i++) await this.pboc.verifyPin(this.pboc.offlinePin);
});

Then('the PIN try counter is {int}', async function (this: LabWorld, n: number) {
  const tries = await this.pboc.pinTries();
  if (tries !== n) fail(`GET DATA 9F17 tells ${tries} tries left, not ${n}`);
});

// --- application cryptograms ----------------------------------------------------------------------

When('I ask for a(n) {word}', async function (this: LabWorld, type: string) {
  await this.pboc.generateAc(cidType(type));
});

When('I ask for a(n) {word} with CDA', async function (this: LabWorld, type: string) {
  await this.pboc.generateAc(cidType(type), { cda: true });
});

When('I ask for a(n) {word} with {int} bytes of CDOL1 data too many', async function (this: LabWorld, type: string, n: number) {
  await this.pboc.generateAc(cidType(type), { lengthDelta: n });
});

When('I send GENERATE AC with reference control parameter {hex}', async function (this: LabWorld, p1: Bytes) {
  await this.pboc.generateAc('AAC', { p1: p1[0]! });
});

When('I complete the transaction asking for a(n) {word}', async function (this: LabWorld, type: string) {
  await this.pboc.complete(cidType(type));
});

When('I complete the transaction asking for a(n) {word} with CDA', async function (this: LabWorld, type: string) {
  await this.pboc.complete(cidType(type), { cda: true });
});

When('I complete the transaction unable to go online asking for a(n) {word}', async function (this: LabWorld, type: string) {
  // authorisation response code Z3: the terminal could not go online (EMV 4.3 Book 4 §A6; JR/T 0025.5)
  await this.pboc.complete(cidType(type), { arc: fromHex('5A33') });
});

Then('the card answers a(n) {word}', function (this: LabWorld, type: string) {
  const t = this.pboc.txn;
  const ac = t?.secondAc ?? t?.firstAc;
  if (!ac) fail(`no cryptogram: the card answered ${swHex(this.session.last.response.sw)}`);
  const got = cidTypeOf(ac.cid);
  if (got !== cidType(type)) fail(`the card answered ${got ?? toHex([ac.cid])}, not ${type}`);
});

Then('the application cryptogram verifies with the issuer master key', function (this: LabWorld) {
  const t = this.pboc.txn;
  const second = t?.secondAc !== undefined;
  const ac = second ? t?.secondAc : t?.firstAc;
  if (!ac?.ac) fail('no application cryptogram 9F26 in the response');
  const expected = this.pboc.expectedAc(second);
  if (!equal(ac.ac, expected)) fail(`the cryptogram ${toHex(ac.ac)} is not the issuer's ${toHex(expected)}`, toHex(ac.ac), toHex(expected));
});

Then('the application cryptogram does not verify with the issuer master key used as the card key', function (this: LabWorld) {
  const ac = this.pboc.txn?.firstAc?.ac;
  if (!ac) fail('no application cryptogram');
  if (equal(ac, this.pboc.expectedAc(false, { mdk: this.keyset.pbocMasterKeys().ac.value })))
    fail('the card computes its cryptograms with the issuer master key itself');
});

Then('the application cryptogram does not verify with the key of PAN {string}', function (this: LabWorld, pan: string) {
  const ac = this.pboc.txn?.firstAc?.ac;
  if (!ac) fail('no application cryptogram');
  if (equal(ac, this.pboc.expectedAc(false, { pan }))) fail(`the card's key is that of PAN ${pan}`);
});

Then('the card verification results tell the cryptogram types the card returned', function (this: LabWorld) {
  const t = this.pboc.txn;
  if (!t?.firstAc) fail(`no cryptogram: the card answered ${swHex(this.session.last.response.sw)}`);
  const first = cidTypeOf(t.firstAc.cid);
  if (!first) fail(`the first GENERATE AC answered the cryptogram information data ${toHex([t.firstAc.cid])}`);
  const problem = cvrTypesProblem(t.firstAc.iad, first);
  if (problem) fail(problem);
  if (!t.secondAc) return;
  const second = cidTypeOf(t.secondAc.cid);
  if (!second) fail(`the second GENERATE AC answered the cryptogram information data ${toHex([t.secondAc.cid])}`);
  const secondProblem = cvrTypesProblem(t.secondAc.iad, first, second);
  if (secondProblem) fail(secondProblem);
});

Then('the response holds the application cryptogram 9F26 and no signed dynamic data 9F4B', function (this: LabWorld) {
  const t = this.pboc.txn;
  const ac = t?.secondAc ?? t?.firstAc;
  if (!ac) fail(`no cryptogram response: the card answered ${swHex(this.session.last.response.sw)}`);
  if (ac.sdad) fail(`the card signed its ${cidTypeOf(ac.cid) ?? toHex([ac.cid])} with CDA (9F4B); an AAC is never signed`);
  if (!ac.ac) fail('the response holds no application cryptogram 9F26');
});

Then('the last online ATC is that of the last transaction approved online', async function (this: LabWorld) {
  const found = await this.pboc.lastOnlineAtc();
  const expected = this.pboc.expectedLastOnlineAtc;
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  const atc = this.pboc.txn?.firstAc?.atc;
  const now = atc ? ` (this transaction's ATC is ${toHex(atc)})` : '';
  if (found !== expected)
    fail(`GET DATA 9F13 tells the last online ATC ${hex(found)}, the last approved online transaction had ${hex(expected)}${now}`);
});

Then('the last online ATC is the ATC of this transaction', async function (this: LabWorld) {
  const atc = this.pboc.txn?.firstAc?.atc;
  if (!atc) fail('no cryptogram in this transaction');
  const found = await this.pboc.lastOnlineAtc();
  if (found !== ((atc[0]! << 8) | atc[1]!))
    fail(`GET DATA 9F13 tells the last online ATC ${found.toString(16).padStart(4, '0')}, not ${toHex(atc)}`);
});

Then('the card verification results say {string}', function (this: LabWorld, what: string) {
  const t = this.pboc.txn;
  const ac = t?.secondAc ?? t?.firstAc;
  if (!ac) fail('no cryptogram response');
  if (!cvrHas(ac.iad, what)) fail(`the CVR (${toHex(ac.iad.slice(3, 7))}) does not say "${what}"`);
});

Then('the card verification results do not say {string}', function (this: LabWorld, what: string) {
  const t = this.pboc.txn;
  const ac = t?.secondAc ?? t?.firstAc;
  if (!ac) fail('no cryptogram response');
  if (cvrHas(ac.iad, what)) fail(`the CVR (${toHex(ac.iad.slice(3, 7))}) says "${what}", which did not happen`);
});

Then('the application cryptogram is the full SM4 cryptogram of the issuer master key', function (this: LabWorld) {
  if (this.pboc.suite !== 'sm') fail(`the card's suite is ${this.pboc.suite}, not SM`);
  const t = this.pboc.txn;
  const second = t?.secondAc !== undefined;
  const ac = (second ? t?.secondAc : t?.firstAc)?.ac;
  if (!ac) fail('no application cryptogram 9F26 in the response');
  const expected = this.pboc.expectedAc(second);
  if (ac.length !== 8 || !equal(ac, expected))
    fail(`the cryptogram ${toHex(ac)} is not the SM4 cryptogram ${toHex(expected)} in all 8 bytes`, toHex(ac), toHex(expected));
});

Then('every cryptogram carries a higher ATC than the transaction before and GET DATA tells the last', async function (this: LabWorld) {
  const problem = atcProblem(this.pboc.atcs, await this.pboc.atc());
  if (problem) fail(problem);
});

Then('the issuer application data name the algorithm of the card', function (this: LabWorld) {
  const iad = this.pboc.txn?.firstAc?.iad;
  if (!iad) fail('no issuer application data');
  const expected = this.pboc.suite === 'sm' ? 0x04 : 0x01;
  if (iad[7] !== expected) fail(`IAD byte 8 is ${toHex([iad[7] ?? 0])}, the ${this.pboc.suite} suite is ${toHex([expected])}`);
});

Then('the ATC in the cryptogram response is the one GET DATA tells', async function (this: LabWorld) {
  const atc = this.pboc.txn?.firstAc?.atc;
  if (!atc) fail('no cryptogram response');
  const now = await this.pboc.atc();
  if (((atc[0]! << 8) | atc[1]!) !== now) fail(`GENERATE AC says ATC ${toHex(atc)}, GET DATA ${now}`);
});

Given('the card has completed an online transaction', async function (this: LabWorld) {
  await this.pboc.onlineTransaction();
});

Given('the card has completed an online transaction of amount {string}', async function (this: LabWorld, amount: string) {
  await this.pboc.onlineTransaction(amount);
});

Given('the card has completed {int} online transactions', async function (this: LabWorld, n: number) {
  for (let i = 0; i < n; i++) await this.pboc.onlineTransaction(String(i + 1).padStart(12, '0'));
});

Given('the card has approved {int} transactions offline', async function (this: LabWorld, n: number) {
  for (let i = 0; i < n; i++) await this.pboc.offlineTransaction();
});

// --- issuer authentication and scripts -------------------------------------------------------------

When('the issuer approves the transaction', async function (this: LabWorld) {
  await this.pboc.issuerAuthenticate();
});

When('the issuer approves the transaction with a wrong ARPC', async function (this: LabWorld) {
  await this.pboc.issuerAuthenticate({ wrongArpc: 'first' });
});

When('the issuer approves the transaction with an ARPC wrong in its {word} byte', async function (this: LabWorld, which: string) {
  if (which !== 'first' && which !== 'last') throw new Error(`first or last, not ${which}`);
  await this.pboc.issuerAuthenticate({ wrongArpc: which });
});

When('the issuer declines the transaction', async function (this: LabWorld) {
  const { arc } = await this.pboc.issuerAuthenticate({ decline: true });
  // the terminal passes the issuer's response code to the card in the CDOL2 data
  this.pboc.pendingArc = arc;
});

When('the issuer sends the script {string}', async function (this: LabWorld, kind: string) {
  await this.pboc.script(parseScriptKind(kind));
});

When('the issuer sends the script {string} with a wrong MAC', async function (this: LabWorld, kind: string) {
  await this.pboc.script(parseScriptKind(kind), { wrongMac: true });
});

When('the issuer sends the script {string} without a MAC', async function (this: LabWorld, kind: string) {
  await this.pboc.script(parseScriptKind(kind), { plain: true });
});

When('the issuer changes the offline PIN to {string}', async function (this: LabWorld, pin: string) {
  await this.pboc.script('PIN change', { newPin: pin });
});

When('the issuer changes the offline PIN to a new PIN', async function (this: LabWorld) {
  await this.pboc.script('PIN change', { newPin: wrongPin(this.pboc.offlinePin) });
});

When('the issuer changes the offline PIN to a new PIN with a wrong MAC', async function (this: LabWorld) {
  await this.pboc.script('PIN change', { newPin: wrongPin(this.pboc.offlinePin), wrongMac: true });
});

When('I verify the new offline PIN', async function (this: LabWorld) {
  await this.pboc.verifyPin(wrongPin(this.pboc.offlinePin));
});

When('the issuer sets the data object {word} to {hex} with a wrong MAC', async function (this: LabWorld, tag: string, value: Bytes) {
  await this.pboc.script('put data', { tag: parseInt(tag, 16), value, wrongMac: true });
});

Then('the data object {word} has the value of the profile', async function (this: LabWorld, tag: string) {
  const expected = this.pboc.pboc.cardData[tag.toUpperCase()];
  if (expected === undefined) throw new Error(`the profile gives no value for ${tag}`);
  const v = getDataValue(await this.pboc.getData(parseInt(tag, 16)), parseInt(tag, 16));
  if (toHex(v) !== expected.toUpperCase()) fail(`${tag} is ${toHex(v)}, the profile's ${expected}`, toHex(v), expected);
});

When('the issuer sets the data object {word} to {hex}', async function (this: LabWorld, tag: string, value: Bytes) {
  await this.pboc.script('put data', { tag: parseInt(tag, 16), value });
});

// --- transaction log ----------------------------------------------------------------------------------

When('I read the transaction log', async function (this: LabWorld) {
  await this.pboc.select();
  this.pboc.log = await this.pboc.readLog();
});

Then('the log holds {int} record(s)', function (this: LabWorld, n: number) {
  const log = this.pboc.log ?? [];
  if (log.length !== n) fail(`the log holds ${log.length} records, not ${n}`);
});

Then('the newest log record holds the amount {string}', function (this: LabWorld, amount: string) {
  const rec = this.pboc.log?.[0];
  if (!rec) fail('the log is empty');
  const v = this.pboc.logField(rec, 0x9f02);
  if (!v || toHex(v) !== amount) fail(`the newest log record holds the amount ${v ? toHex(v) : '(none)'}`);
});

// --- offline data authentication --------------------------------------------------------------------

function oda(world: LabWorld): OdaCheck {
  return new OdaCheck(world.pboc);
}

Then('the issuer public key is recovered with the CA key the card names', function (this: LabWorld) {
  cardFault('issuer certificate', () => oda(this).issuerKey());
});

Then('the signed static application data verify', function (this: LabWorld) {
  cardFault('static data authentication', () => oda(this).verifyStatic());
});

Then('the signed static application data do not verify when the PAN is changed', function (this: LabWorld) {
  const check = oda(this);
  // the issuer key must recover: a card whose certificate fails does not pass this check by failing it
  const issuer = cardFault('issuer certificate', () => check.issuerKey());
  const tampered = tamperPan(check.staticData());
  try {
    check.verifyStatic(tampered, issuer);
  } catch (e) {
    if (e instanceof OdaError) return;
    throw e;
  }
  fail('the signed static data verify over static data with another PAN');
});

Then('the ICC public key is recovered with the issuer key', function (this: LabWorld) {
  cardFault('ICC certificate', () => oda(this).iccKey());
});

interface DdaWorld extends LabWorld {
  dda?: { un: Bytes; sdads: Bytes[]; numbers: Bytes[] };
}

When('I authenticate the card dynamically with the unpredictable number {hex}', async function (this: DdaWorld, un: Bytes) {
  const r = await cardFaultAsync('dynamic data authentication', () => oda(this).dda(un));
  this.dda = { un, sdads: r.sdad ? [r.sdad] : [], numbers: r.dynamicNumber ? [r.dynamicNumber] : [] };
});

When('I authenticate the card dynamically again with the same number', async function (this: DdaWorld) {
  if (!this.dda) throw new Error('no dynamic data authentication before');
  const r = await cardFaultAsync('dynamic data authentication', () => oda(this).dda(this.dda!.un));
  if (r.sdad) this.dda.sdads.push(r.sdad);
  if (r.dynamicNumber) this.dda.numbers.push(r.dynamicNumber);
});

Then('the signed dynamic application data verify with the ICC key and hold that number', function (this: DdaWorld) {
  if (!this.dda?.numbers.length) fail('no signed dynamic data verified');
});

Then('the two dynamic signatures differ', function (this: DdaWorld) {
  const [a, b] = this.dda?.sdads ?? [];
  if (!a || !b) fail('two signatures were not obtained');
  if (equal(a, b)) fail('the card signed the same dynamic data twice: its dynamic number does not change');
});

Then('the signed dynamic data verify and hold the application cryptogram', function (this: LabWorld) {
  const { ac } = cardFault('CDA', () => oda(this).cda());
  const expected = this.pboc.expectedAc(false);
  if (!equal(ac, expected)) fail(`the signed cryptogram ${toHex(ac)} is not the issuer's ${toHex(expected)}`);
});

Then('the signed dynamic data of the second GENERATE AC verify and hold its application cryptogram', function (this: LabWorld) {
  const { ac } = cardFault('CDA of the second GENERATE AC', () => oda(this).cda(true));
  const expected = this.pboc.expectedAc(true);
  if (!equal(ac, expected)) fail(`the signed cryptogram ${toHex(ac)} is not the issuer's ${toHex(expected)}`);
});

// --- issuer script replay, CVR of the scripts ------------------------------------------------------

When('the issuer sends again the script {string} of the earlier transaction', async function (this: LabWorld, kind: string) {
  await this.pboc.replayScript(parseScriptKind(kind));
});

When('the issuer sets the data object {word} back to the value of the profile', async function (this: LabWorld, tag: string) {
  const value = this.pboc.pboc.cardData[tag.toUpperCase()];
  if (value === undefined) throw new Error(`the profile gives no value for ${tag}`);
  await this.pboc.script('put data', { tag: parseInt(tag, 16), value: fromHex(value) });
});

Then('the card verification results count {int} issuer script command(s)', function (this: LabWorld, n: number) {
  const t = this.pboc.txn;
  const ac = t?.secondAc ?? t?.firstAc;
  if (!ac) fail('no cryptogram response');
  const counted = cvrScriptCount(ac.iad);
  if (counted !== n) fail(`the CVR (${toHex(ac.iad.slice(3, 7))}) counts ${counted} issuer script commands, the issuer sent ${n}`);
});

// --- power cut inside GENERATE AC -------------------------------------------------------------------

interface GacTearWorld extends LabWorld {
  tornGac?: TornGac;
  /** The transaction log before the torn GENERATE AC. */
  tornLog?: LogBefore;
}

When('the card loses power at persistent write {int} while I ask for an ARQC', async function (this: GacTearWorld, k: number) {
  this.tornGac = await firstGacStates(this.pboc);
  await withPowerLoss(this.control, this.session, k, TEAR_INS.GENERATE_AC, () => this.pboc.generateAc('ARQC'));
});

When(
  'the card loses power at persistent write {int} while I complete the transaction asking for a TC',
  async function (this: GacTearWorld, k: number) {
    this.tornGac = await secondGacStates(this.pboc);
    if (this.pboc.pboc.logEntry) this.tornLog = await logBefore(this.pboc, this.tornGac.atc);
    await withPowerLoss(this.control, this.session, k, TEAR_INS.GENERATE_AC, () => this.pboc.complete('TC'));
  },
);

Then('the next transaction finds the risk data all as before or all as after the torn GENERATE AC', async function (this: GacTearWorld) {
  const torn = this.tornGac;
  if (!torn) throw new Error('no torn GENERATE AC in this scenario');
  const { risk, atc } = await observeRisk(this.pboc);
  const problem = riskProblem(risk, torn.before, torn.after);
  if (problem) fail(problem);
  if (atc !== torn.atc + 1) fail(`the transaction after the power cut has ATC ${atc}, not ${torn.atc + 1}, one more than the torn one`);
});

When('the card loses power at persistent write {int} while I ask for a TC', async function (this: GacTearWorld, k: number) {
  this.tornLog = await logBefore(this.pboc, await this.pboc.atc());
  await withPowerLoss(this.control, this.session, k, TEAR_INS.GENERATE_AC, () => this.pboc.generateAc('TC'));
});

Then(
  'the transaction log holds its records of before, or the new record first and them, every record whole',
  async function (this: GacTearWorld) {
    const before = this.tornLog;
    if (!before) throw new Error('no torn GENERATE AC of a card with a transaction log in this scenario');
    const sel = await this.pboc.select();
    if (sel.sw !== 0x9000) fail(`after the power cut SELECT of the debit application answered ${swHex(sel.sw)}`);
    const problem = logTearProblem(await this.pboc.readLog(), before, logLayout(this.pboc));
    if (problem) fail(problem);
  },
);
