/**
 * Steps for card life cycle, key management, the firewall and anti-tear.
 * Each parses its arguments, calls one harness operation (src/harness), and
 * checks through src/conformance/expect.ts.
 */
import { Given, Then, When, defineParameterType } from '@cucumber/cucumber';
import { type Bytes, equal, toHex } from '../src/core/bytes.ts';
import { swHex } from '../src/core/sw.ts';
import type { BlockAlg } from '../src/crypto/block.ts';
import { CARD, type CryptogramFault, type KeyTypeName, type LoadFault, type PinMiss } from '../src/conformance/management.ts';
import { fail } from '../src/conformance/expect.ts';
import { expectKeyInfo, expectKeyTries, expectPinTries } from '../src/conformance/key-checks.ts';
import { TEAR_INS, withPowerLoss } from '../src/conformance/tear.ts';
import type { LabWorld } from './world.ts';

defineParameterType({ name: 'env', regexp: /SSSE|PSE/, transformer: (s: string) => s });
defineParameterType({ name: 'alg', regexp: /3DES|SM4/, transformer: (s: string) => s.toLowerCase() as BlockAlg });
defineParameterType({
  name: 'keytype',
  regexp: /master|external-auth|internal-auth|pin-unblock|pin-reload|maintenance|read|card-block|application/,
  transformer: (s: string) => s as KeyTypeName,
});
defineParameterType({
  name: 'fault',
  regexp: /with a wrong MAC|with a wrong KCV|without a MAC|without a fresh challenge/,
  transformer: (s: string): LoadFault =>
    ({
      'with a wrong MAC': 'wrong-mac',
      'with a wrong KCV': 'wrong-kcv',
      'without a MAC': 'no-mac',
      'without a fresh challenge': 'no-challenge',
    })[s] as LoadFault,
});

defineParameterType({
  name: 'pinmiss',
  regexp: /the PIN with its last digit changed|the PIN without its last digit|the PIN with one digit more|the right digits padded with 00/,
  transformer: (s: string): PinMiss =>
    ({
      'the PIN with its last digit changed': 'last-digit',
      'the PIN without its last digit': 'shorter',
      'the PIN with one digit more': 'longer',
      'the right digits padded with 00': 'zero-padded',
    })[s] as PinMiss,
});
defineParameterType({
  name: 'cryptofault',
  regexp:
    /a cryptogram wrong only in its (?:first|fourth|fifth|last) byte|a cryptogram one byte (?:shorter|longer)|a cryptogram cut to its first half/,
  transformer: (s: string): CryptogramFault => {
    const at = /in its (\w+) byte/.exec(s)?.[1];
    if (at) return { flip: ({ first: 0, fourth: 3, fifth: 4, last: -1 } as Record<string, number>)[at]! };
    if (s.endsWith('half')) return { half: true };
    return { lengthDelta: s.endsWith('shorter') ? -1 : 1 };
  },
});

// --- card state ---------------------------------------------------------------------------------

Given('a blank card', async function (this: LabWorld) {
  await this.start('blank');
  await this.session.reset(true);
});

When('I select the {env}', async function (this: LabWorld, env: string) {
  await this.manager.selectEnvironment(env);
});

// --- authentication -----------------------------------------------------------------------------

When('I authenticate with the card master key', async function (this: LabWorld) {
  await this.manager.authenticate(CARD, this.manager.master(CARD).id);
});

When('I authenticate with the {env} master key', async function (this: LabWorld, env: string) {
  await this.manager.authenticate(env, this.manager.master(env).id);
});

When('I authenticate with the {env} key {int}', async function (this: LabWorld, env: string, id: number) {
  await this.manager.authenticate(env, id);
});

When(
  'I authenticate with the {env} key {int} giving {cryptofault}',
  async function (this: LabWorld, env: string, id: number, fault: CryptogramFault) {
    await this.manager.authenticate(env, id, { fault });
  },
);

When('I authenticate with the {env} key of type {keytype}', async function (this: LabWorld, env: string, type: KeyTypeName) {
  await this.manager.authenticate(env, this.manager.keyIdOfType(env, type));
});

When(
  'I authenticate as key {int} with the value of the {env} key {int}',
  async function (this: LabWorld, id: number, env: string, other: number) {
    await this.manager.authenticate(env, id, { use: this.manager.key(env, other) });
  },
);

When(
  'I authenticate as key {int} of the {env} with the {env} key {int}',
  async function (this: LabWorld, id: number, _here: string, env: string, other: number) {
    await this.manager.authenticate(env, id, { use: this.manager.key(env, other) });
  },
);

When('I authenticate naming a key id only the {env} holds, with that key', async function (this: LabWorld, env: string) {
  const id = this.manager.keyIdOnlyIn(env, env === 'PSE' ? 'SSSE' : 'PSE');
  await this.manager.authenticate(env, id, { use: this.manager.key(env, id) });
});

When('I authenticate with the {env} key {int} again with the same challenge', async function (this: LabWorld, env: string, id: number) {
  await this.manager.authenticate(env, id, { reuseChallenge: true });
});

When('I authenticate with the {env} key {int} without a fresh challenge', async function (this: LabWorld, env: string, id: number) {
  await this.manager.authenticate(env, id, { withoutChallenge: true });
});

When('I authenticate with the card master key as key {int}', async function (this: LabWorld, id: number) {
  await this.manager.authenticate(CARD, id, { use: this.manager.master(CARD) });
});

When('I authenticate with the new key', async function (this: LabWorld) {
  const k = this.manager.lastNewKey;
  if (!k) throw new Error('no new key was made in this scenario');
  await this.manager.authenticate(k.env, k.id, { use: k });
});

When('I authenticate with a wrong value for the new key', async function (this: LabWorld) {
  const k = this.manager.lastNewKey;
  if (!k) throw new Error('no new key was made in this scenario');
  await this.manager.authenticate(k.env, k.id, { use: this.manager.wrongValueFor(k) });
});

When('I authenticate with a wrong value for the {env} key {int}', async function (this: LabWorld, env: string, id: number) {
  const wrong = this.manager.newKey(env, id, 'external-auth', this.manager.key(env, id).alg);
  await this.manager.authenticate(env, id, { use: wrong });
});

When('I authenticate with a wrong card master key', async function (this: LabWorld) {
  const id = this.manager.master(CARD).id;
  await this.manager.authenticate(CARD, id, { use: this.manager.newKey(CARD, id, 'master', this.manager.master(CARD).alg) });
});

When('I authenticate with the previous {env} master key', async function (this: LabWorld, env: string) {
  await this.manager.authenticate(env, this.manager.master(env).id, { use: this.manager.keyset.master(env) });
});

When('I get a challenge of {int} bytes', async function (this: LabWorld, n: number) {
  await this.manager.requestChallenge(n);
});

When('I get {int} challenges of {int} bytes', async function (this: LabWorld, count: number, n: number) {
  for (let i = 0; i < count; i++) {
    const r = await this.manager.requestChallenge(n);
    if (r.sw !== 0x9000) fail(`GET CHALLENGE ${i + 1} of ${count} answered ${swHex(r.sw)}`);
  }
});

Then('no two of the last {int} challenges are equal', function (this: LabWorld, n: number) {
  const twice = this.manager.repeatedChallenge(n);
  if (twice) fail(`the card gave the challenge ${toHex(twice, ' ')} twice among the last ${n}`);
});

Then('every byte position of the last {int} challenges takes more than one value', function (this: LabWorld, n: number) {
  const constant = this.manager.constantChallengeBytes(n);
  if (constant.length)
    fail(`byte(s) ${constant.map((i) => i + 1).join(', ')} of the challenge held the same value in all of the last ${n} challenges`);
});

Then('the last two challenges differ', function (this: LabWorld) {
  const [a, b] = this.manager.challenges.slice(-2);
  if (!a || !b) throw new Error('fewer than two challenges in this scenario');
  if (equal(a, b)) fail('the card gave the same challenge twice in a row');
});

// --- environments and files ---------------------------------------------------------------------

When('I create the {env} environment', async function (this: LabWorld, env: string) {
  await this.manager.createEnvironment(env);
});

When('I create a transparent EF {fid} in the current DF', async function (this: LabWorld, fid: number) {
  await this.manager.createEf(fid);
});

When('I delete the file {fid}', async function (this: LabWorld, fid: number) {
  await this.manager.deleteFile(fid);
});

When('I delete the {env} environment', async function (this: LabWorld, env: string) {
  await this.manager.deleteFile(parseInt(this.profile.environment(env).df.fid!, 16));
});

When('I activate the current environment', async function (this: LabWorld) {
  await this.manager.activate();
});

When('I write {hex} at offset {int} of the current EF', async function (this: LabWorld, data: Bytes, offset: number) {
  await this.manager.updateBinary(offset, data);
});

When(
  'I write {hex} at offset {int} of the current EF with a MAC made with the {env} key {int}',
  async function (this: LabWorld, data: Bytes, offset: number, env: string, id: number) {
    await this.manager.updateBinaryWithMac(offset, data, this.manager.key(env, id));
  },
);

When('I personalise the card with the profile script', async function (this: LabWorld) {
  await this.manager.personaliseWithScript();
});

// --- key loading --------------------------------------------------------------------------------

When('I load the {env} master key under the card master key', async function (this: LabWorld, env: string) {
  await this.manager.loadKey(this.manager.master(env), { authority: 'card' });
});

When('I load the {env} master key under the card master key {fault}', async function (this: LabWorld, env: string, fault: LoadFault) {
  await this.manager.loadKey(this.manager.master(env), { authority: 'card', fault });
});

When('I load the {env} master key under its own master key', async function (this: LabWorld, env: string) {
  await this.manager.loadKey(this.manager.master(env), { authority: 'environment' });
});

When(
  'I load a new {alg} {keytype} key {int} into the {env} under the card master key',
  async function (this: LabWorld, alg: BlockAlg, type: KeyTypeName, id: number, env: string) {
    await this.manager.loadKey(this.manager.newKey(env, id, type, alg), { authority: 'card' });
  },
);

When(
  'I load a new {alg} {keytype} key {int} into the {env} under its master key',
  async function (this: LabWorld, alg: BlockAlg, type: KeyTypeName, id: number, env: string) {
    const key = this.manager.newKey(env, id, type, alg);
    const r = await this.manager.loadKey(key, { authority: 'environment' });
    if (r.sw === 0x9000) this.manager.remember(key);
  },
);

When(
  'I load a new {alg} {keytype} key {int} into the {env} under its master key with a try limit of {int}',
  async function (this: LabWorld, alg: BlockAlg, type: KeyTypeName, id: number, env: string, tries: number) {
    const key = this.manager.newKey(env, id, type, alg, 1, tries);
    const r = await this.manager.loadKey(key, { authority: 'environment' });
    if (r.sw === 0x9000) this.manager.remember(key);
  },
);

When(
  'I load a new {alg} {keytype} key {int} into the {env} under its master key {fault}',
  async function (this: LabWorld, alg: BlockAlg, type: KeyTypeName, id: number, env: string, fault: LoadFault) {
    await this.manager.loadKey(this.manager.newKey(env, id, type, alg), { authority: 'environment', fault });
  },
);

When(
  'I load a new {alg} {keytype} key {int} into the {env} under the {env} master key',
  async function (this: LabWorld, alg: BlockAlg, type: KeyTypeName, id: number, env: string, authorityEnv: string) {
    await this.manager.loadKey(this.manager.newKey(env, id, type, alg), { authority: 'environment', authorityEnv });
  },
);

When('I replace the {env} master key with a new key of version {int}', async function (this: LabWorld, env: string, version: number) {
  await this.manager.replaceMaster(env, version);
});

When(
  'I replace the {env} master key with a new {alg} key of version {int}',
  async function (this: LabWorld, env: string, alg: BlockAlg, version: number) {
    await this.manager.replaceMaster(env, version, alg);
  },
);

// --- PINs ---------------------------------------------------------------------------------------

When('I verify the {env} PIN', async function (this: LabWorld, env: string) {
  await this.manager.verifyPin(env);
});

When('I verify the {env} PIN with a wrong PIN', async function (this: LabWorld, env: string) {
  await this.manager.verifyPin(env, { wrong: true });
});

When('I verify the {env} PIN giving {pinmiss}', async function (this: LabWorld, env: string, miss: PinMiss) {
  await this.manager.verifyPin(env, { miss });
});

When('I present the {env} PIN to the PIN reference of the {env}', async function (this: LabWorld, env: string, other: string) {
  await this.manager.verifyPin(env, { ref: this.manager.pinRef(other) });
});

// --- anti-tear ----------------------------------------------------------------------------------

When(
  'the card loses power at persistent write {int} while I write {hex} at offset {int} of the current EF',
  async function (this: LabWorld, k: number, data: Bytes, offset: number) {
    await withPowerLoss(this.control, this.session, k, TEAR_INS.UPDATE_BINARY, () => this.manager.updateBinary(offset, data));
  },
);

When(
  'the card loses power at persistent write {int} while I verify the {env} PIN',
  async function (this: LabWorld, k: number, env: string) {
    await withPowerLoss(this.control, this.session, k, TEAR_INS.VERIFY, () => this.manager.verifyPin(env));
  },
);

When(
  'the card loses power at persistent write {int} while I verify the {env} PIN with a wrong PIN',
  async function (this: LabWorld, k: number, env: string) {
    await withPowerLoss(this.control, this.session, k, TEAR_INS.VERIFY, () => this.manager.verifyPin(env, { wrong: true }));
  },
);

When(
  'the card loses power at persistent write {int} while I authenticate with the {env} key {int}',
  async function (this: LabWorld, k: number, env: string, id: number) {
    await withPowerLoss(this.control, this.session, k, TEAR_INS.EXTERNAL_AUTHENTICATE, () => this.manager.authenticate(env, id));
  },
);

When(
  'the card loses power at persistent write {int} while I replace the {env} master key with a new {alg} key of version {int}',
  async function (this: LabWorld, k: number, env: string, alg: BlockAlg, version: number) {
    await withPowerLoss(this.control, this.session, k, TEAR_INS.WRITE_KEY, () => this.manager.replaceMaster(env, version, alg));
  },
);

// --- checks -------------------------------------------------------------------------------------

Then('the {env} PIN has {int} tries left', async function (this: LabWorld, env: string, n: number) {
  expectPinTries(await this.manager.pinTriesLeft(this.manager.pinRef(env)), n);
});

Then('the {env} PIN is verified', async function (this: LabWorld, env: string) {
  const r = await this.manager.pinTriesLeft(this.manager.pinRef(env));
  if (r.sw !== 0x9000)
    fail(`the ${env} PIN is not in the verified state (VERIFY without data answered ${r.sw.toString(16).toUpperCase()})`);
});

Then('the {env} PIN is not verified', async function (this: LabWorld, env: string) {
  const r = await this.manager.pinTriesLeft(this.manager.pinRef(env));
  if (r.sw === 0x9000) fail(`the ${env} PIN is still in the verified state (VERIFY without data answered 9000)`);
});

Then(
  'key {int} of the current environment has version {int} and the KCV of the new key',
  async function (this: LabWorld, id: number, version: number) {
    const k = this.manager.lastNewKey;
    if (!k) throw new Error('no new key was made in this scenario');
    expectKeyInfo(await this.manager.keyInfo(id), { version, alg: k.alg, value: k.value });
  },
);

Then('key {int} of the {env} has the version and KCV of the key set', async function (this: LabWorld, id: number, env: string) {
  const k = this.manager.key(env, id);
  expectKeyInfo(await this.manager.keyInfo(id), { version: k.version, alg: k.alg, value: k.value });
});

Then('key {int} of the {env} has {int} tries left', async function (this: LabWorld, id: number, env: string, n: number) {
  await this.manager.selectEnvironment(env);
  expectKeyTries(await this.manager.keyInfo(id), n);
});
