import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProfile } from '../lab/profile.ts';
import { ProfileView } from './profile-view.ts';
import { withPbocCardData } from './pboc-card.ts';

test('the profile with other PBOC card data changes those objects only, not the profile it came from', () => {
  const profile = loadProfile('profiles/default.json');
  const changed = withPbocCardData(profile, { '9F36': 'FFFE' });
  const { pboc } = new ProfileView(changed).pbocAdf();
  const original = new ProfileView(profile).pbocAdf().pboc;
  assert.equal(pboc.cardData['9F36'], 'FFFE');
  assert.equal(original.cardData['9F36'], '0000');
  assert.deepEqual({ ...pboc.cardData, '9F36': '0000' }, original.cardData);
});

test('a profile without a PBOC application cannot take PBOC card data', () => {
  const profile = loadProfile('profiles/ssc-2.0-ssse-only.json');
  assert.throws(() => withPbocCardData(profile, { '9F36': 'FFFE' }), /has no PBOC application/);
});
