import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, PROJECT_ROOT } from '../core/json.ts';
import { findNode, isYymmdd, loadProfile } from './profile.ts';
import { ProfileView } from '../conformance/profile-view.ts';
import { SAMPLE_BEIJING_V3, SAMPLE_GUANGZHOU_V1, SAMPLE_SHANGHAI_V2 } from '../ssse/sample-data.ts';
import { EF05_FIELDS, EF06_FIELDS, encodeBasicData } from '../ssse/records.ts';
import { toHex } from '../core/bytes.ts';
import type { DfJson, EfJson, Profile } from '../model/profile.ts';

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
  assert.match(problemsOf(() => loadProfile(longName)).join(), /\/basicData\/name: tag 09 \(name\): .* 32 bytes of GBK, at most 30 fit/);
  const badDate = tmpProfile({ id: 'd', title: 'd', extends: base, basicData: { ...SAMPLE_SHANGHAI_V2, expiryDate: '20280230' } });
  assert.match(
    problemsOf(() => loadProfile(badDate)).join(),
    /\/basicData\/expiryDate: tag 06 \(expiry date\): "20280230" is not a calendar date/,
  );
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

/** The default profile as a file of its own (its key set path made absolute), changed by `change`. */
function standalone(change: (p: Profile) => void): string {
  const p = JSON.parse(readFileSync(profiles('default.json'), 'utf8')) as Profile;
  p.keyset = join(PROJECT_ROOT, 'profiles', p.keyset);
  change(p);
  return tmpProfile(p);
}

const ssse = (p: Profile) => p.fileSystem.children[3] as DfJson;
const adf = (p: Profile) => (p.fileSystem.children[4] as DfJson).children![2] as DfJson;

test('what personalisation would fail on is refused at load, with the file and JSON path: EF size, record lengths, duplicate FIDs and SFIs', () => {
  assert.equal(ssse(loadProfile(profiles('default.json'))).children![2]!.fid, 'EF0A', 'the profile the cases below change');
  const cases: [(p: Profile) => void, RegExp][] = [
    [
      (p) => {
        (ssse(p).children![2] as EfJson).data = '00'.repeat(1 << 20);
      },
      /^\/fileSystem\/children\/3\/children\/2\/data: 1048576 bytes, a transparent EF has at most 32768/,
    ],
    [
      (p) => {
        (p.fileSystem.children[2] as EfJson).records![1] = '00'.repeat(9);
      },
      /^\/fileSystem\/children\/2\/records\/1: 9 bytes, but the records of EF 0016 \(linear-fixed\) have 8 \(recordLength\)$/,
    ],
    [
      (p) => {
        ssse(p).children![3]!.fid = 'EF0A';
      },
      /^\/fileSystem\/children\/3\/children\/3\/fid: DF DDF1 holds FID EF0A already \(\/fileSystem\/children\/3\/children\/2\)/,
    ],
    [
      (p) => {
        (ssse(p).children![3] as EfJson).sfi = 10;
      },
      /^\/fileSystem\/children\/3\/children\/3\/sfi: DF DDF1 holds SFI 10 already/,
    ],
    [
      (p) => {
        adf(p).pboc!.expiry = '301232';
      },
      /^\/fileSystem\/children\/4\/children\/2\/pboc\/expiry: "301232" is not a calendar date YYMMDD$/,
    ],
    [
      (p) => {
        adf(p).pboc!.effective = '230229';
      },
      /^\/fileSystem\/children\/4\/children\/2\/pboc\/effective: "230229" is not a calendar date/,
    ],
    [
      (p) => {
        p.basicData!.ssn = '31010119800101001';
      },
      /^\/basicData\/ssn: must NOT have fewer than 18 characters$/,
    ],
    [
      (p) => {
        p.basicData!.cardNumber = 'A1000001';
      },
      /^\/basicData\/cardNumber: must NOT have fewer than 9 characters$/,
    ],
    [
      (p) => {
        (ssse(p).children![1] as EfJson).recordLength = 25;
      },
      /^\/basicData\/name: 32 bytes, more than the recordLength 25 of EF EF06$/,
    ],
  ];
  for (const [change, expected] of cases) {
    const file = standalone(change);
    let problems: string[] = [];
    try {
      loadProfile(file);
    } catch (e) {
      assert.ok(e instanceof DataError, String(e));
      assert.match(e.message, /^p\.json: |\/p\.json: /, 'the file is named');
      problems = e.problems;
    }
    assert.equal(problems.length, 1, `${expected}: ${problems.join(' | ')}`);
    assert.match(problems[0]!, expected);
  }
  // at the limit: loads
  loadProfile(
    standalone((p) => {
      (ssse(p).children![2] as EfJson).data = '00'.repeat(32768);
    }),
  );
  loadProfile(
    standalone((p) => {
      adf(p).pboc!.expiry = '240229';
    }),
  );
});

test('a derived profile: the problems of what its patches write are named by their paths under /files', () => {
  const base = profiles('default.json');
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ 'DDF1/EF0A': { data: '00'.repeat(40000) } }, /^\/files\/DDF1\/EF0A\/data: 40000 bytes/],
    [{ '0016': { records: ['00'.repeat(8), '00'.repeat(7)] } }, /^\/files\/0016\/records\/1: 7 bytes, but the records of EF 0016/],
    [
      { DDF1: { append: [{ kind: 'EF', fid: 'ef05', structure: 'transparent', data: '00' }] } },
      /^\/files\/DDF1\/append\/0\/fid: DF DDF1 holds FID EF05 already/,
    ],
    [
      {
        DDF1: {
          append: [
            {
              kind: 'DF',
              fid: 'DF09',
              children: [{ kind: 'EF', fid: '0001', structure: 'linear-variable', recordLength: 2, records: ['000000'] }],
            },
          ],
        },
      },
      /^\/files\/DDF1\/append\/0\/children\/0\/records\/0: 3 bytes, more than the recordLength 2/,
    ],
    [
      { 'DDF2/ADF1': { pbocChanges: { expiry: '301232' } } },
      /^\/files\/DDF2\/ADF1\/pbocChanges\/expiry: "301232" is not a calendar date YYMMDD$/,
    ],
  ];
  for (const [files, expected] of cases) {
    const problems = problemsOf(() => loadProfile(tmpProfile({ id: 'd', title: 'd', extends: base, files })));
    assert.equal(problems.length, 1, problems.join(' | '));
    assert.match(problems[0]!, expected);
  }
});

test('isYymmdd: YY 00-49 is 20YY, 50-99 19YY, and the day exists', () => {
  for (const ok of ['301231', '240229', '000229', '991231', '500101']) assert.ok(isYymmdd(ok), ok);
  for (const bad of ['301232', '301301', '300001', '230229', '990229', '3012', '30123a']) assert.ok(!isYymmdd(bad), bad);
});

test('the schema gives the basic-data text fields (format an) the lengths of their fields in ssse/records.ts', () => {
  const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, 'schemas', 'profile.schema.json'), 'utf8')) as {
    definitions: { basicData: { properties: Record<string, { minLength?: number; maxLength?: number; enum?: string[] }> } };
  };
  const props = schema.definitions.basicData.properties;
  for (const def of [...EF05_FIELDS, ...EF06_FIELDS].filter((f) => f.format === 'an')) {
    const p = props[def.key]!;
    if (p.enum)
      assert.ok(
        p.enum.every((v) => v.length === def.length),
        def.key,
      );
    else assert.deepEqual([p.minLength, p.maxLength], [def.length, def.length], def.key);
  }
});
