/**
 * Steps for ISO/IEC 7816-4 card behaviour. Each step parses its arguments,
 * calls one harness operation or check, and nothing else.
 */
import { Given, Then, When } from '@cucumber/cucumber';
import type { Bytes } from '../src/core/bytes.ts';
import { checkAtr, expectSameAtr, expectAtrProtocol } from '../src/conformance/atr-checks.ts';
import { type SwPattern, expectData, expectErrorSw, expectLength, expectSw, expectTag, expectTemplate } from '../src/conformance/expect.ts';
import { expectReadPastEnd } from '../src/conformance/profile-checks.ts';
import type { Occurrence } from '../src/channel/session.ts';
import { lastRecordOf } from '../src/conformance/basic-data.ts';
import type { LabWorld } from './world.ts';

// --- card and transport ------------------------------------------------------------------------

Given('the card is reset', async function (this: LabWorld) {
  await this.session.reset();
});

When('I send the APDU {hex}', async function (this: LabWorld, apdu: Bytes) {
  await this.session.send(apdu);
});

When('I send the raw APDU {hex}', async function (this: LabWorld, apdu: Bytes) {
  await this.session.send(apdu, { raw: true });
});

When('I send GET RESPONSE with Le {int}', async function (this: LabWorld, le: number) {
  await this.session.getResponse(le);
});

// --- SELECT ------------------------------------------------------------------------------------

When('I select the MF', async function (this: LabWorld) {
  await this.session.selectMf();
});

When('I select the file {fid}', async function (this: LabWorld, fid: number) {
  await this.session.selectFid(fid);
});

When('I select the file {fid} asking for its FCP', async function (this: LabWorld, fid: number) {
  await this.session.selectFid(fid, { returns: 'fcp' });
});

When('I select the file {fid} asking for no response data', async function (this: LabWorld, fid: number) {
  await this.session.selectFid(fid, { returns: 'none' });
});

When('I select the child DF {fid}', async function (this: LabWorld, fid: number) {
  await this.session.selectFid(fid, { p1: 1 });
});

When('I select the EF {fid} under the current DF', async function (this: LabWorld, fid: number) {
  await this.session.selectFid(fid, { p1: 2 });
});

When('I select the parent DF', async function (this: LabWorld) {
  await this.session.selectParent();
});

When('I select the application {string}', async function (this: LabWorld, name: string) {
  await this.session.selectName(new TextEncoder().encode(name));
});

When('I select the DF named {hex}', async function (this: LabWorld, name: Bytes) {
  await this.session.selectName(name);
});

When('I select the {word} occurrence of the DF named {hex}', async function (this: LabWorld, occurrence: Occurrence, name: Bytes) {
  await this.session.selectName(name, { occurrence });
});

When('I select the DF of {path} by its name', async function (this: LabWorld, path: string) {
  await this.session.selectName(this.profile.dfName(path));
});

When('I select the path {hex} from the MF', async function (this: LabWorld, path: Bytes) {
  await this.session.selectPath(pairs(path), 'mf');
});

When('I select the path {hex} from the current DF', async function (this: LabWorld, path: Bytes) {
  await this.session.selectPath(pairs(path), 'current');
});

function pairs(b: Bytes): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < b.length; i += 2) out.push((b[i]! << 8) | b[i + 1]!);
  return out;
}

// --- READ BINARY / READ RECORD -----------------------------------------------------------------

When('I read {int} bytes at offset {int}', async function (this: LabWorld, le: number, offset: number) {
  await this.session.readBinary(offset, le);
});

When('I read {int} bytes at offset {int} without transport handling', async function (this: LabWorld, le: number, offset: number) {
  await this.session.readBinary(offset, le, { raw: true });
});

When('I read {int} bytes at offset {int} of SFI {int}', async function (this: LabWorld, le: number, offset: number, sfi: number) {
  await this.session.readBinary(offset, le, { sfi });
});

When('I read record {int}', async function (this: LabWorld, n: number) {
  await this.session.readRecord(n);
});

When('I read record {int} of SFI {int}', async function (this: LabWorld, n: number, sfi: number) {
  await this.session.readRecord(n, { sfi });
});

When('I read the last record of {path} through its SFI', async function (this: LabWorld, path: string) {
  const { sfi, n } = lastRecordOf(this.profile, path);
  await this.session.readRecord(n, { sfi });
});

When('I read the record after the last of {path} through its SFI', async function (this: LabWorld, path: string) {
  const { sfi, n } = lastRecordOf(this.profile, path);
  await this.session.readRecord(n + 1, { sfi });
});

When(
  'I read record {int} of SFI {int} with Le {int} without transport handling',
  async function (this: LabWorld, n: number, sfi: number, le: number) {
    await this.session.readRecord(n, { sfi, le, raw: true });
  },
);

When('I read the {word} record with identifier {hex}', async function (this: LabWorld, occurrence: Occurrence, id: Bytes) {
  await this.session.readRecordById(id[0]!, occurrence);
});

When(
  'I read the {word} record with identifier {hex} of SFI {int}',
  async function (this: LabWorld, occurrence: Occurrence, id: Bytes, sfi: number) {
    await this.session.readRecordById(id[0]!, occurrence, { sfi });
  },
);

// --- verdicts ----------------------------------------------------------------------------------

Then('the status word is {sw}', function (this: LabWorld, sw: SwPattern) {
  expectSw(this.session.last.response, sw);
});

Then('the response data is {hex}', function (this: LabWorld, data: Bytes) {
  expectData(this.session.last.response, data);
});

Then('the status word signals an error', function (this: LabWorld) {
  expectErrorSw(this.session.last.response);
});

Then(
  'the card answers reading past the end of {path} from offset {int} as its profile declares',
  function (this: LabWorld, path: string, offset: number) {
    expectReadPastEnd(this.session.last.response, this.profile.profile, this.profile.binary(path).slice(offset));
  },
);

Then('the response data is empty', function (this: LabWorld) {
  expectLength(this.session.last.response, 0);
});

Then('the response data has {int} bytes', function (this: LabWorld, n: number) {
  expectLength(this.session.last.response, n);
});

Then('the response is an FCI template with the DF name {hex}', function (this: LabWorld, name: Bytes) {
  expectTemplate(this.session.last.response, 0x6f);
  expectTag(this.session.last.response, 0x84, name);
});

Then('the response is an FCI template with the DF name of {path}', function (this: LabWorld, path: string) {
  expectTemplate(this.session.last.response, 0x6f);
  expectTag(this.session.last.response, 0x84, this.profile.dfName(path));
});

Then('the response is an FCP template for the file {fid}', function (this: LabWorld, fid: number) {
  expectTemplate(this.session.last.response, 0x62);
  expectTag(this.session.last.response, 0x83, new Uint8Array([fid >> 8, fid & 0xff]));
});

Then('the response holds {tag} with value {hex}', function (this: LabWorld, tag: number, value: Bytes) {
  expectTag(this.session.last.response, tag, value);
});

Then('the response holds {tag}', function (this: LabWorld, tag: number) {
  expectTag(this.session.last.response, tag);
});

Then('the response data is {int} bytes of {path} from offset {int}', function (this: LabWorld, n: number, path: string, offset: number) {
  expectData(this.session.last.response, this.profile.binary(path).slice(offset, offset + n), `content of ${path}`);
});

Then('the response data is the content of {path}', function (this: LabWorld, path: string) {
  expectData(this.session.last.response, this.profile.binary(path), `content of ${path}`);
});

Then('the response data is the last record of {path}', function (this: LabWorld, path: string) {
  const { n } = lastRecordOf(this.profile, path);
  expectData(this.session.last.response, this.profile.record(path, n), `record ${n} of ${path}`);
});

Then('the response data is record {int} of {path}', function (this: LabWorld, n: number, path: string) {
  expectData(this.session.last.response, this.profile.record(path, n), `record ${n} of ${path}`);
});

// --- ATR ---------------------------------------------------------------------------------------

Then('the ATR is well formed', function (this: LabWorld) {
  checkAtr(this.session.atr);
});

Then('the ATR declares the protocol {word}', function (this: LabWorld, protocol: string) {
  expectAtrProtocol(this.session.atr, protocol);
});

Then('the ATR is the one of the first power-up', function (this: LabWorld) {
  expectSameAtr(this.session.atr, this.session.initialAtr);
});
