/**
 * Steps on the social-security basic data (EF05 issuer data, EF06 holder
 * data): record layout per specification version and the READ RECORD forms.
 * Thin: read through the session, check with src/conformance/basic-data.ts.
 */
import { Then, When } from '@cucumber/cucumber';
import { expectTag, fail, expectData } from '../src/conformance/expect.ts';
import {
  basicDataDifferences,
  fieldRecordProblem,
  fieldValue,
  isBasicDataSfi,
  layoutOf,
  readAllRecords,
  readBasicData,
  recordProblems,
  recordTags,
} from '../src/conformance/basic-data.ts';
import { tagHex } from '../src/core/tlv.ts';
import type { LabWorld } from './world.ts';

function basicDataSfi(sfi: number): 5 | 6 {
  if (!isBasicDataSfi(sfi)) throw new Error(`SFI ${sfi} is not a basic-data file (EF05 is SFI 5, EF06 SFI 6)`);
  return sfi;
}

When('I read every record of SFI {int}', async function (this: LabWorld, sfi: number) {
  this.records = await readAllRecords(this.session, sfi);
});

When('I read the basic data', async function (this: LabWorld) {
  this.basicData = await readBasicData(this.session);
});

Then('the response is the {tag} field of SFI {int}, well formed', function (this: LabWorld, tag: number, sfi: number) {
  const problem = fieldRecordProblem(basicDataSfi(sfi), tag, this.session.last.response.data);
  if (problem) fail(problem);
});

Then("the records carry the tags of the SFI {int} layout of the card's specification version", function (this: LabWorld, sfi: number) {
  const expected = layoutOf(basicDataSfi(sfi), this.profile.specVersion).map((f) => tagHex(f.tag));
  const actual = recordTags(this.records);
  if (actual.join(' ') !== expected.join(' '))
    fail(
      `SFI ${sfi} holds the tags ${actual.join(' ')}; specification ${this.profile.specVersion} has ${expected.join(' ')}`,
      actual,
      expected,
    );
});

Then('every record is a well-formed field of SFI {int}', function (this: LabWorld, sfi: number) {
  const problems = recordProblems(basicDataSfi(sfi), this.records);
  if (problems.length) fail(problems.join('; '));
});

Then('the response holds {tag} with the specification version of the profile', function (this: LabWorld, tag: number) {
  expectTag(this.session.last.response, tag, fieldValue(5, tag, this.profile.specVersion));
});

Then('the basic data are those of the profile', function (this: LabWorld) {
  if (!this.basicData) throw new Error('no basic data read: "When I read the basic data" first');
  const diffs = basicDataDifferences(this.basicData, this.profile.basicData);
  if (diffs.length) fail(`the card's basic data differ from the profile: ${diffs.join('; ')}`);
});

Then('the expiry date follows the issue date', function (this: LabWorld) {
  if (!this.basicData) throw new Error('no basic data read: "When I read the basic data" first');
  const { issueDate, expiryDate } = this.basicData;
  if (!(expiryDate > issueDate)) fail(`the card expires on ${expiryDate}, not after its issue date ${issueDate}`);
});

Then("the name extension is there as the card's specification version requires", function (this: LabWorld) {
  const r = this.session.last.response;
  if (this.profile.specVersion === '1.00') {
    if (r.sw !== 0x6a83)
      fail(`a card of specification 1.00 has no name extension (4E): expected 6A83, the card answered ${r.sw.toString(16).toUpperCase()}`);
    return;
  }
  if (r.sw !== 0x9000)
    fail(`specification ${this.profile.specVersion} has the name extension (4E): the card answered ${r.sw.toString(16).toUpperCase()}`);
  const problem = fieldRecordProblem(6, 0x4e, r.data);
  if (problem) fail(problem);
});

Then('the response data is the record with {tag} of {path}', function (this: LabWorld, tag: number, path: string) {
  expectData(this.session.last.response, this.profile.recordWithIdentifier(path, tag), `record with identifier ${tagHex(tag)} of ${path}`);
});
