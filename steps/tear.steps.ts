/**
 * Anti-tear steps for every command that writes persistent memory (LD/T 6001
 * part 2, 防拔): record writes, PIN changes and unblocks of both applications,
 * the financial issuer's scripts. Thin: the tear and the checks are in
 * src/conformance/tear.ts.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import type { Bytes } from '../src/core/bytes.ts';
import { swHex } from '../src/core/sw.ts';
import { fail } from '../src/conformance/expect.ts';
import { wrongPin } from '../src/conformance/management.ts';
import { getDataValue } from '../src/conformance/pboc.ts';
import {
  type PinProbe,
  TEAR_INS,
  appendProblem,
  appendRecord,
  createAppendableEf,
  expectPinOldOrNew,
  oldOrNewProblem,
  withPowerLoss,
} from '../src/conformance/tear.ts';
import { parseScriptKind } from '../src/pboc/issuer-host.ts';
import { verifyPin as verifyPinCommand } from '../src/cos/commands.ts';
import type { LabWorld } from './world.ts';

interface TearWorld extends LabWorld {
  torn?: { old: Bytes; next: Bytes; records?: Bytes[] };
  tornPin?: { old: { pin: string; tries: number[] }; next: { pin: string; tries: number } };
}

/** The records of an EF by SFI, read until the card says there is no more. */
async function records(world: LabWorld, sfi: number): Promise<Bytes[]> {
  const out: Bytes[] = [];
  for (let n = 1; n <= 254; n++) {
    const r = await world.session.readRecord(n, { sfi });
    if (r.sw === 0x6a83) return out;
    if (r.sw !== 0x9000) fail(`READ RECORD ${n} of SFI ${sfi} answered ${swHex(r.sw)}`);
    out.push(r.data);
  }
  return out;
}

function ssseProbe(world: LabWorld): PinProbe {
  const ref = world.manager.pinRef('SSSE');
  return {
    tries: async () => {
      const { sw } = await world.manager.pinTriesLeft(ref);
      if ((sw & 0xfff0) === 0x63c0) return sw & 0x0f;
      if (sw === 0x6983) return 0;
      fail(`VERIFY without data for the SSSE PIN answered ${swHex(sw)}, not its try counter`);
    },
    verify: async (pin) => (await world.session.send(verifyPinCommand(ref, pin))).sw,
  };
}

function pbocProbe(world: LabWorld): PinProbe {
  return { tries: () => world.pboc.pinTries(), verify: async (pin) => (await world.pboc.verifyPin(pin)).sw };
}

// --- record writes ---------------------------------------------------------------------------------

When(
  'the card loses power at persistent write {int} while I update the {tag} record of SFI {int} with {hex} and a MAC of the SSSE key {int}',
  async function (this: TearWorld, k: number, tag: number, sfi: number, data: Bytes, keyId: number) {
    const n = this.profile.recordNumber('SSSE', sfi, tag);
    const before = await this.session.readRecord(n, { sfi });
    if (before.sw !== 0x9000) fail(`READ RECORD ${n} of SFI ${sfi} answered ${swHex(before.sw)} before the update`);
    this.torn = { old: before.data, next: data };
    await withPowerLoss(this.control, this.session, k, TEAR_INS.UPDATE_RECORD, () => this.ssse.updateRecord(sfi, n, data, { keyId }));
  },
);

Then('the response data is the old or the new record, whole', function (this: TearWorld) {
  if (!this.torn) throw new Error('no torn write in this scenario');
  const r = this.session.last.response;
  if (r.sw !== 0x9000) fail(`reading the record after the power cut answered ${swHex(r.sw)}`);
  const problem = oldOrNewProblem(r.data, this.torn.old, this.torn.next, 'the record');
  if (problem) fail(problem);
});

When(
  'the card loses power at persistent write {int} while I append {hex} to the records of SFI {int} with a MAC made with the SSSE key {int}',
  async function (this: TearWorld, k: number, data: Bytes, sfi: number, keyId: number) {
    this.torn = { old: new Uint8Array(0), next: data, records: await records(this, sfi) };
    const key = this.manager.key('SSSE', keyId);
    await withPowerLoss(this.control, this.session, k, TEAR_INS.APPEND_RECORD, () =>
      this.ssse.secured([0x04, 0xe2, 0x00, sfi << 3], data, key),
    );
  },
);

Given(
  'the current DF has a free linear variable EF {word} with SFI {int} for records of up to {int} bytes',
  async function (this: TearWorld, fid: string, sfi: number, length: number) {
    await createAppendableEf(this.session, parseInt(fid, 16), sfi, length);
  },
);

Given(
  'the current DF has a free cyclic EF {word} with SFI {int} for {int} records of {int} bytes',
  async function (this: TearWorld, fid: string, sfi: number, n: number, length: number) {
    await createAppendableEf(this.session, parseInt(fid, 16), sfi, length, 'cyclic', n);
  },
);

When('I append {hex} to the records of SFI {int}', async function (this: TearWorld, data: Bytes, sfi: number) {
  const r = await this.session.send(appendRecord(sfi, data));
  if (r.sw !== 0x9000) fail(`APPEND RECORD to SFI ${sfi} answered ${swHex(r.sw)}`);
});

When(
  'the card loses power at persistent write {int} while I append {hex} to the records of SFI {int}',
  async function (this: TearWorld, k: number, data: Bytes, sfi: number) {
    this.torn = { old: new Uint8Array(0), next: data, records: await records(this, sfi) };
    await withPowerLoss(this.control, this.session, k, TEAR_INS.APPEND_RECORD, () => this.session.send(appendRecord(sfi, data)));
  },
);

Then('the records of SFI {int} are the old ones or the old ones and the new one, whole', async function (this: TearWorld, sfi: number) {
  if (!this.torn?.records) throw new Error('no torn APPEND RECORD in this scenario');
  const problem = appendProblem(this.torn.records, await records(this, sfi), this.torn.next);
  if (problem) fail(problem);
});

Then(
  'the records of the full cyclic SFI {int} are the old ones or the new one and the old ones but the oldest',
  async function (this: TearWorld, sfi: number) {
    if (!this.torn?.records) throw new Error('no torn APPEND RECORD in this scenario');
    const problem = appendProblem(this.torn.records, await records(this, sfi), this.torn.next, true);
    if (problem) fail(problem);
  },
);

// --- PINs --------------------------------------------------------------------------------------------

When(
  'the card loses power at persistent write {int} while I unblock the SSSE PIN with a new PIN',
  async function (this: TearWorld, k: number) {
    const pin = this.keyset.pins('SSSE')[0]!;
    const tries = await ssseProbe(this).tries();
    this.tornPin = { old: { pin: pin.value, tries: [tries] }, next: { pin: wrongPin(pin.value), tries: pin.tries } };
    await withPowerLoss(this.control, this.session, k, TEAR_INS.PIN_RESET, () => this.ssse.resetPin('unblock', wrongPin(pin.value)));
  },
);

/** Tears the SSSE's CHANGE PIN from the right old PIN to `next` at write `k`. */
async function tearSsseChangePin(world: TearWorld, k: number, next: string): Promise<void> {
  const pin = world.keyset.pins('SSSE')[0]!;
  const tries = await ssseProbe(world).tries();
  // the comparison of the old PIN may have cost a try that a power cut keeps (CARD-AT-03)
  world.tornPin = { old: { pin: pin.value, tries: [tries, tries - 1] }, next: { pin: next, tries: pin.tries } };
  await withPowerLoss(world.control, world.session, k, TEAR_INS.CHANGE_PIN, () => world.ssse.changePin(pin.value, next));
}

When(
  'the card loses power at persistent write {int} while I change the SSSE PIN to a new PIN',
  async function (this: TearWorld, k: number) {
    await tearSsseChangePin(this, k, wrongPin(this.keyset.pins('SSSE')[0]!.value));
  },
);

When(
  'the card loses power at persistent write {int} while I change the SSSE PIN to {string}',
  async function (this: TearWorld, k: number, next: string) {
    await tearSsseChangePin(this, k, next);
  },
);

Then('the SSSE PIN is the old one with its try counter or the new one, never a mix', async function (this: TearWorld) {
  if (!this.tornPin) throw new Error('no torn PIN command in this scenario');
  await expectPinOldOrNew(ssseProbe(this), this.tornPin.old, this.tornPin.next, 'the SSSE PIN');
});

When(
  'the card loses power at persistent write {int} while the issuer changes the offline PIN to a new PIN',
  async function (this: TearWorld, k: number) {
    const pin = this.pboc.offlinePin;
    const max = this.keyset.pins('PSE').find((p) => p.id === 0x80)?.tries ?? 3;
    this.tornPin = { old: { pin, tries: [await this.pboc.pinTries()] }, next: { pin: wrongPin(pin), tries: max } };
    await withPowerLoss(this.control, this.session, k, TEAR_INS.PIN_RESET, () => this.pboc.script('PIN change', { newPin: wrongPin(pin) }));
  },
);

Then('the offline PIN is the old one with its try counter or the new one, never a mix', async function (this: TearWorld) {
  if (!this.tornPin) throw new Error('no torn PIN command in this scenario');
  await expectPinOldOrNew(pbocProbe(this), this.tornPin.old, this.tornPin.next, 'the offline PIN');
});

// --- issuer scripts ------------------------------------------------------------------------------------

When(
  'the card loses power at persistent write {int} while the issuer sends the script {string}',
  async function (this: TearWorld, k: number, kind: string) {
    const script = parseScriptKind(kind);
    const ins = script === 'application block' ? TEAR_INS.APPLICATION_BLOCK : TEAR_INS.PIN_RESET;
    if (script === 'PIN unblock') {
      const pin = this.pboc.offlinePin;
      const max = this.keyset.pins('PSE').find((p) => p.id === 0x80)?.tries ?? 3;
      this.tornPin = { old: { pin, tries: [await this.pboc.pinTries()] }, next: { pin, tries: max } };
    }
    await withPowerLoss(this.control, this.session, k, ins, () => this.pboc.script(script));
  },
);

When(
  'the card loses power at persistent write {int} while the issuer sets the data object {word} to {hex}',
  async function (this: TearWorld, k: number, tag: string, value: Bytes) {
    const t = parseInt(tag, 16);
    this.torn = { old: getDataValue(await this.pboc.getData(t), t), next: value };
    await withPowerLoss(this.control, this.session, k, TEAR_INS.PUT_DATA, () => this.pboc.script('put data', { tag: t, value }));
  },
);

Then('the data object {word} has its old or its new value', async function (this: TearWorld, tag: string) {
  if (!this.torn) throw new Error('no torn write in this scenario');
  const t = parseInt(tag, 16);
  const problem = oldOrNewProblem(getDataValue(await this.pboc.getData(t), t), this.torn.old, this.torn.next, tag);
  if (problem) fail(problem);
});

Then('the debit application is blocked or not, and answers as such', async function (this: TearWorld) {
  const selected = await this.pboc.select();
  if (selected.sw !== 0x9000 && selected.sw !== 0x6283)
    fail(`SELECT of the debit application answered ${swHex(selected.sw)} after the power cut`);
  const gpo = await this.pboc.gpo();
  const expected = selected.sw === 0x9000 ? 0x9000 : 0x6a81;
  if (gpo.sw !== expected)
    fail(`the debit application answered SELECT with ${swHex(selected.sw)} but GPO with ${swHex(gpo.sw)}, not ${swHex(expected)}`);
});
