/**
 * Steps of the social-security application on the card (SSSE): basic data,
 * record updates under access conditions, internal authentication, the PIN
 * life cycle and blocking. Thin: parse, call src/conformance/ssse.ts, check.
 */
import { Given, Then, When, defineParameterType } from '@cucumber/cucumber';
import { type Bytes, fromHex } from '../src/core/bytes.ts';
import { diversificationFactors } from '../src/ssse/factors.ts';
import { lastRecordOf } from '../src/conformance/basic-data.ts';
import { expectData, fail } from '../src/conformance/expect.ts';
import { type MacFault, algorithmIndicatorProblem } from '../src/conformance/ssse.ts';
import { type KeyTypeName, type PinMiss, nearMissPinBlock, wrongPin } from '../src/conformance/management.ts';
import { KEY_TYPE_CODE } from '../src/model/keyset.ts';
import { swHex } from '../src/core/sw.ts';
import { verifyPin } from '../src/cos/commands.ts';
import type { LabWorld } from './world.ts';

defineParameterType({
  name: 'macfault',
  regexp: /with a wrong MAC|with a MAC wrong only in its first byte|without a MAC/,
  transformer: (s: string): MacFault => (s === 'with a wrong MAC' ? 'wrong-mac' : s === 'without a MAC' ? 'no-mac' : 'wrong-mac-first'),
});

interface SsseWorld extends LabWorld {
  internalAuth?: { response: { data: Bytes; sw: number }; expected?: Bytes };
}

Given('I have read access to the SSSE basic data', async function (this: LabWorld) {
  await this.manager.selectEnvironment('SSSE');
  const r = await this.ssse.gainReadAccess();
  if (r && r.sw !== 0x9000) fail(`external authentication with the read key answered ${r.sw.toString(16).toUpperCase()}`);
});

When('I update record {int} of SFI {int} with {hex}', async function (this: LabWorld, n: number, sfi: number, data: Bytes) {
  await this.ssse.updateRecord(sfi, n, data);
});

When(
  'I update record {int} of SFI {int} with {hex} and a MAC made with the SSSE key {int}',
  async function (this: LabWorld, n: number, sfi: number, data: Bytes, keyId: number) {
    await this.ssse.updateRecord(sfi, n, data, { keyId });
  },
);

When(
  'I update record {int} of SFI {int} with {hex} and a MAC made with the SSSE key {int} {macfault}',
  async function (this: LabWorld, n: number, sfi: number, data: Bytes, keyId: number, fault: MacFault) {
    await this.ssse.updateRecord(sfi, n, data, { keyId, fault });
  },
);

When(
  'I update the record after the last of {path} with {hex} and a MAC made with the SSSE key {int}',
  async function (this: LabWorld, path: string, data: Bytes, keyId: number) {
    const { sfi, n } = lastRecordOf(this.profile, path);
    await this.ssse.updateRecord(sfi, n + 1, data, { keyId });
  },
);

When('I update the {tag} record of SFI {int} with {hex}', async function (this: LabWorld, tag: number, sfi: number, data: Bytes) {
  await this.ssse.updateRecord(sfi, this.profile.recordNumber('SSSE', sfi, tag), data);
});

When(
  'I update the {tag} record of SFI {int} with {hex} and a MAC made with the SSSE key {int}',
  async function (this: LabWorld, tag: number, sfi: number, data: Bytes, keyId: number) {
    await this.ssse.updateRecord(sfi, this.profile.recordNumber('SSSE', sfi, tag), data, { keyId });
  },
);

When(
  'I update the {tag} record of SFI {int} with {hex} and a MAC made with the SSSE key {int} {macfault}',
  async function (this: LabWorld, tag: number, sfi: number, data: Bytes, keyId: number, fault: MacFault) {
    await this.ssse.updateRecord(sfi, this.profile.recordNumber('SSSE', sfi, tag), data, { keyId, fault });
  },
);

When('I read the {tag} record of SFI {int} by its number', async function (this: LabWorld, tag: number, sfi: number) {
  await this.session.readRecord(this.profile.recordNumber('SSSE', sfi, tag), { sfi });
});

When(
  'I authenticate the card with its internal authentication key {int} and the random {hex}',
  async function (this: SsseWorld, keyId: number, random: Bytes) {
    this.internalAuth = await this.ssse.internalAuthenticate(keyId, random);
  },
);

Then('the card answers with the cryptogram of that key', function (this: SsseWorld) {
  if (!this.internalAuth) throw new Error('no internal authentication in this scenario');
  if (!this.internalAuth.expected) throw new Error('the key set holds no SSSE key of that id: no cryptogram to expect');
  expectData(this.internalAuth.response as never, this.internalAuth.expected, 'internal authentication cryptogram');
});

When(
  'I ask for an internal authentication with the random {hex}, naming a key id only the PSE holds',
  async function (this: SsseWorld, random: Bytes) {
    this.internalAuth = await this.ssse.internalAuthenticate(this.manager.keyIdOnlyIn('PSE', 'SSSE'), random);
  },
);

When('I change the SSSE PIN to {string}', async function (this: LabWorld, pin: string) {
  await this.ssse.changePin(this.manager.keyset.pins('SSSE')[0]!.value, pin);
});

When('I change the SSSE PIN from {string} to {string}', async function (this: LabWorld, oldPin: string, pin: string) {
  await this.ssse.changePin(oldPin, pin);
});

When('I change the SSSE PIN to {string} giving a wrong old PIN', async function (this: LabWorld, pin: string) {
  await this.ssse.changePin(wrongPin(this.manager.keyset.pins('SSSE')[0]!.value), pin);
});

When('I change the SSSE PIN to {string} giving {pinmiss} as the old PIN', async function (this: LabWorld, pin: string, miss: PinMiss) {
  await this.ssse.changePin(nearMissPinBlock(this.manager.keyset.pins('SSSE')[0]!.value, miss), pin);
});

When('I verify the SSSE PIN {string}', async function (this: LabWorld, pin: string) {
  await this.session.send(verifyPin(this.manager.pinRef('SSSE'), pin));
});

When('I {word} the SSSE PIN with the new PIN {string}', async function (this: LabWorld, mode: string, pin: string) {
  if (mode !== 'unblock' && mode !== 'reload') throw new Error(`unblock or reload, not ${mode}`);
  await this.ssse.resetPin(mode, pin);
});

When(
  'I {word} the SSSE PIN with the new PIN {string} {macfault}',
  async function (this: LabWorld, mode: string, pin: string, fault: MacFault) {
    if (mode !== 'unblock' && mode !== 'reload') throw new Error(`unblock or reload, not ${mode}`);
    await this.ssse.resetPin(mode, pin, fault);
  },
);

When('I block the SSSE application', async function (this: LabWorld) {
  await this.ssse.block('application');
});

When('I unblock the SSSE PIN with a new PIN', async function (this: LabWorld) {
  await this.ssse.resetPin('unblock', wrongPin(this.manager.keyset.pins('SSSE')[0]!.value));
});

When('I change the SSSE PIN to a new PIN', async function (this: LabWorld) {
  const pin = this.manager.keyset.pins('SSSE')[0]!.value;
  await this.ssse.changePin(pin, wrongPin(pin));
});

When('I block the SSSE application {macfault}', async function (this: LabWorld, fault: MacFault) {
  await this.ssse.block('application', fault);
});

When('I block the SSSE application with a MAC made with its {keytype} key', async function (this: LabWorld, type: KeyTypeName) {
  await this.ssse.block('application', undefined, KEY_TYPE_CODE[type]);
});

defineParameterType({
  name: 'nth',
  regexp: /first|second|third|last/,
  transformer: (s: string): number => ({ first: 0, second: 1, third: 2, last: -1 })[s as 'first' | 'second' | 'third' | 'last'],
});

When('I send the {nth} secured command again', async function (this: LabWorld, index: number) {
  await this.ssse.replaySecured(index);
});

When('I send the {nth} secured command again after a new challenge', async function (this: LabWorld, index: number) {
  await this.ssse.replaySecured(index, true);
});

Then('the SSSE key {int} is in the security state', async function (this: LabWorld, id: number) {
  const r = await this.ssse.probeKeyAccess(id);
  if (r.sw !== 0x9000) fail(`an EF updated under key ${id} alone refused the update (${swHex(r.sw)}): the key is not authenticated`);
});

Then('the SSSE key {int} is not in the security state', async function (this: LabWorld, id: number) {
  const r = await this.ssse.probeKeyAccess(id);
  if (r.sw !== 0x6982) fail(`an EF updated under key ${id} alone answered ${swHex(r.sw)} instead of 6982: the key is still authenticated`);
});

When('I unblock the SSSE application', async function (this: LabWorld) {
  await this.ssse.block('unblock');
});

When('I block the card in the SSSE', async function (this: LabWorld) {
  await this.ssse.block('card');
});

When('I block the card in the SSSE {macfault}', async function (this: LabWorld, fault: MacFault) {
  await this.ssse.block('card', fault);
});

When('I authenticate with the undiversified SSSE master key {int}', async function (this: LabWorld, id: number) {
  await this.manager.authenticate('SSSE', id, { use: this.manager.keyset.key('SSSE', id) });
});

When(
  'I authenticate with the SSSE key {int} diversified for the card identification code {string}',
  async function (this: LabWorld, id: number, cardIdCode: string) {
    await this.manager.authenticate('SSSE', id, {
      use: this.manager.keyset.cardKey('SSSE', id, diversificationFactors(fromHex(cardIdCode))),
    });
  },
);

Then('the FCI indicates the algorithm of the {env} keys', function (this: LabWorld, env: string) {
  const alg = this.keyset.environment(env).keys[0]?.alg;
  if (!alg) throw new Error(`the key set has no ${env} keys`);
  const problem = algorithmIndicatorProblem(this.session.last.response.data, alg, this.profile.profile.algorithmIndicator);
  if (problem) fail(problem);
});
