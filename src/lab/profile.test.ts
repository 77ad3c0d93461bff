import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, PROJECT_ROOT } from '../core/json.ts';
import { loadProfile, findNode } from './profile.ts';
import { ProfileView } from '../conformance/profile-view.ts';
import { SAMPLE_BEIJING_V3, SAMPLE_GUANGZHOU_V1, SAMPLE_SHANGHAI_V2 } from '../ssse/sample-data.ts';
import { encodeBasicData } from '../ssse/records.ts';
import { toHex } from '../core/bytes.ts';
import type { EfJson } from '../model/profile.ts';

const profiles = (name: string): string => join(PROJECT_ROOT, 'profiles', name);

function tmpProfile(doc: object, name = 'p.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-profile-'));
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ $schema: '../schemas/profile.schema.json', ...doc }));
  return file;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
    return e.problems;
  }
  assert.fail('no DataError thrown');
}

test('basicData becomes the records of EF05 and EF06 in the layout of its version', () => {
  for (const [file, sample] of [
    ['default.json', SAMPLE_SHANGHAI_V2],
    ['ssc-3.0-sm4.json', SAMPLE_BEIJING_V3],
    ['ssc-1.0.json', SAMPLE_GUANGZHOU_V1],
  ] as const) {
    const p = loadProfile(profiles(file));
    const view = new ProfileView(p);
    const expected = encodeBasicData(sample);
    assert.deepEqual(
      view.ef('3F00/DDF1/EF05').records,
      expected.ef05.map((r) => toHex(r)),
      file,
    );
    assert.deepEqual(
      view.ef('3F00/DDF1/EF06').records,
      expected.ef06.map((r) => toHex(r)),
      file,
    );
    assert.deepEqual(view.basicData, { ...sample }, file);
    assert.equal(p.specVersion, sample.specVersion);
  }
  // 1.00 has no name extension: the sex is record 3 of EF06, 4 from 2.00 on
  assert.equal(new ProfileView(loadProfile(profiles('ssc-1.0.json'))).recordNumber('SSSE', 6, 0x0a), 3);
  assert.equal(new ProfileView(loadProfile(profiles('default.json'))).recordNumber('SSSE', 6, 0x0a), 4);
});

test('a profile that extends another takes its properties, patches its files and keeps its key set', () => {
  const base = loadProfile(profiles('default.json'));
  const v3 = loadProfile(profiles('ssc-3.0-sm4.json'));
  assert.equal(v3.id, 'ssc-3.0-sm4');
  assert.deepEqual(v3.behaviour, base.behaviour);
  assert.deepEqual((findNode(v3, 'DDF1/EF05') as EfJson).read, { key: 6 });
  assert.deepEqual((findNode(base, 'DDF1/EF05') as EfJson).read, 'always', 'the base is not changed');
  assert.match(v3.keyset, /lab-sm4\.json$/);
  const t1 = loadProfile(profiles('default-t1.json'));
  assert.equal(t1.keyset, join(PROJECT_ROOT, 'keysets', 'lab-3des.json'), "an inherited key set stays the base profile's");
  assert.deepEqual(t1.atr.protocols, ['T=1']);
});

test('extends: an unknown file, a cycle and files without extends are DataErrors naming the path', () => {
  const missing = tmpProfile({ id: 'x', title: 'x', extends: profiles('default.json'), files: { 'DDF1/EF99': { read: 'never' } } });
  assert.match(problemsOf(() => loadProfile(missing)).join(), /\/files\/DDF1\/EF99: .* has no such file/);
  const dir = mkdtempSync(join(tmpdir(), 'ssc-cycle-'));
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ id: 'a', title: 'a', extends: 'b.json' }));
  writeFileSync(join(dir, 'b.json'), JSON.stringify({ id: 'b', title: 'b', extends: 'a.json' }));
  assert.match(problemsOf(() => loadProfile(join(dir, 'a.json'))).join(), /\/extends: the profiles extend each other/);
  const base = loadProfile(profiles('default.json'));
  const noExtends = tmpProfile({
    ...base,
    keyset: join(PROJECT_ROOT, 'keysets', 'lab-3des.json'),
    files: { 'DDF1/EF05': { read: 'never' } },
  });
  assert.match(problemsOf(() => loadProfile(noExtends)).join(), /\/files: only a profile that extends another/);
  const incomplete = tmpProfile({ id: 'y', title: 'y' });
  assert.match(problemsOf(() => loadProfile(incomplete)).join(), /must have required property 'fileSystem'/);
});

test("a derived profile can remove files and change its base's PBOC application key by key", () => {
  const ssseOnly = loadProfile(profiles('ssc-2.0-ssse-only.json'));
  assert.equal(findNode(ssseOnly, 'DDF2'), undefined);
  assert.ok(findNode(ssseOnly, 'DDF1/EF05'));
  const pseOnly = loadProfile(profiles('ssc-2.0-pse-only.json'));
  assert.equal(findNode(pseOnly, 'DDF1'), undefined);
  assert.equal(pseOnly.basicData, undefined, 'the basic data go with the SSSE');
  assert.equal(new ProfileView(pseOnly).findPbocAdf()?.pboc.pan, '6217000000123456786');
  const base = new ProfileView(loadProfile(profiles('default.json'))).pbocAdf();
  const bad = new ProfileView(loadProfile(profiles('ssc-2.0-bad-issuer-cert.json'))).pbocAdf();
  assert.deepEqual(bad.pboc, { ...base.pboc, corrupt: ['90'] });
  const removeAndPatch = tmpProfile({
    id: 'x',
    title: 'x',
    extends: profiles('default.json'),
    files: { DDF2: { remove: true, label: 'x' } },
  });
  assert.match(problemsOf(() => loadProfile(removeAndPatch)).join(), /\/files\/DDF2: "remove" goes alone/);
  const removeMissing = tmpProfile({ id: 'x', title: 'x', extends: profiles('default.json'), files: { 'DDF2/EF99': { remove: true } } });
  assert.match(problemsOf(() => loadProfile(removeMissing)).join(), /\/files\/DDF2\/EF99: .* has no such file/);
  const noPboc = tmpProfile({
    id: 'x',
    title: 'x',
    extends: profiles('default.json'),
    files: { DDF1: { pbocChanges: { corrupt: ['90'] } } },
  });
  assert.match(problemsOf(() => loadProfile(noPboc)).join(), /\/files\/DDF1\/pbocChanges: DDF1 holds no PBOC application/);
  const badTag = tmpProfile({
    id: 'x',
    title: 'x',
    extends: profiles('default.json'),
    files: { 'DDF2/ADF1': { pbocChanges: { corrupt: ['8F'] } } },
  });
  assert.match(problemsOf(() => loadProfile(badTag)).join(), /pbocChanges\/corrupt\/0/);
});

test('basicData is checked: version, field values, ATR factors', () => {
  const base = profiles('default.json');
  const wrongVersion = tmpProfile({ id: 'v', title: 'v', extends: base, specVersion: '3.00' });
  assert.match(
    problemsOf(() => loadProfile(wrongVersion)).join(),
    /\/basicData\/specVersion: "2.00" differs from the profile's specVersion "3.00"/,
  );
  const longName = tmpProfile({ id: 'n', title: 'n', extends: base, basicData: { ...SAMPLE_SHANGHAI_V2, name: '张'.repeat(16) } });
  assert.match(problemsOf(() => loadProfile(longName)).join(), /\/basicData: tag 09 \(name\): .* 32 bytes of GBK, at most 30 fit/);
  const badDate = tmpProfile({ id: 'd', title: 'd', extends: base, basicData: { ...SAMPLE_SHANGHAI_V2, expiryDate: '20280230' } });
  assert.match(problemsOf(() => loadProfile(badDate)).join(), /\/basicData: tag 06 \(expiry date\): "20280230" is not a calendar date/);
  const v3 = profiles('ssc-3.0-sm4.json');
  const otherAtr = tmpProfile({ id: 'a', title: 'a', extends: v3, atr: { protocols: ['T=0'], historical: '861101003030303035423342' } });
  assert.match(
    problemsOf(() => loadProfile(otherAtr)).join(),
    /\/atr\/historical: the diversification factors in the historical bytes .* card 3030303035423342\) are not those of the card identification code/,
  );
  const shortAtr = tmpProfile({ id: 's', title: 's', extends: v3, atr: { protocols: ['T=0'], historical: '8611' } });
  assert.match(problemsOf(() => loadProfile(shortAtr)).join(), /\/atr\/historical: the historical bytes carry no diversification factors/);
  const schemaBad = tmpProfile({ id: 'b', title: 'b', extends: base, basicData: { ...SAMPLE_SHANGHAI_V2, sex: '3' } });
  assert.match(problemsOf(() => loadProfile(schemaBad)).join(), /\/basicData\/sex: must be equal to one of the allowed values/);
});
