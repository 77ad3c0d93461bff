import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/json.ts';
import { DEFECT_IDS } from '../model/defects.ts';

test('the profile schema lists exactly the defects the simulator implements', () => {
  const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, 'schemas', 'profile.schema.json'), 'utf8')) as {
    properties: { simulator: { properties: { defects: { items: { enum: string[] } } } } };
  };
  assert.deepEqual([...schema.properties.simulator.properties.defects.items.enum].sort(), [...DEFECT_IDS].sort());
});
