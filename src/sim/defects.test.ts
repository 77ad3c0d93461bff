import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, PROJECT_ROOT } from '../core/json.ts';
import { CARD_DEFECTS, DEFECT_IDS, type DefectInfo, HOLDOUT_2_DEFECTS, HOLDOUT_DEFECTS, TERMINAL_DEFECTS } from '../model/defects.ts';
import { loadProfile } from '../lab/profile.ts';
import { DEFECTS } from './defects.ts';

test('every card defect of the catalogue has a composition, a rule and a class; ids are unique', () => {
  assert.deepEqual(Object.keys(DEFECTS).sort(), [...DEFECT_IDS].sort());
  const all: readonly DefectInfo[] = [...CARD_DEFECTS, ...HOLDOUT_DEFECTS, ...HOLDOUT_2_DEFECTS, ...TERMINAL_DEFECTS];
  const ids = all.map((d) => d.id);
  assert.equal(new Set(ids).size, ids.length, 'a defect id appears twice');
  for (const d of all) {
    assert.match(d.id, /^[a-z0-9][a-z0-9-]*$/, d.id);
    assert.ok(d.rule.length > 20, `${d.id}: the rule it breaks is said`);
    // a defect bound to profiles names files that exist and load
    for (const p of d.profiles ?? []) assert.doesNotThrow(() => loadProfile(join(PROJECT_ROOT, p)), `${d.id}: ${p}`);
  }
});

test('every defect of the campaign names the catalogue requirements expected to catch it', () => {
  const catalogue = JSON.parse(readFileSync(join(PROJECT_ROOT, 'catalog', 'requirements.json'), 'utf8')) as {
    requirements: { id: string }[];
  };
  const known = new Set(catalogue.requirements.map((r) => r.id));
  for (const d of [...CARD_DEFECTS, ...TERMINAL_DEFECTS] as readonly DefectInfo[]) {
    assert.ok(d.requirements.length > 0, `${d.id}: no expected requirement`);
    for (const r of d.requirements) assert.ok(known.has(r), `${d.id}: ${r} is not in the catalogue`);
  }
});

test('a profile naming a defect the catalogue does not have is refused at load, with the JSON path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-defect-'));
  const file = join(dir, 'p.json');
  writeFileSync(
    file,
    JSON.stringify({
      id: 'p',
      title: 'p',
      extends: join(PROJECT_ROOT, 'profiles', 'default.json'),
      simulator: { defects: [DEFECT_IDS[0], 'no-such-defect'] },
    }),
  );
  assert.throws(
    () => loadProfile(file),
    (e: unknown) => e instanceof DataError && /\/simulator\/defects\/1: no card defect "no-such-defect"/.test(e.message),
  );
});
