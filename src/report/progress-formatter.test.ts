import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clock, progressLine } from './progress-formatter.ts';

test('the progress line: scenario i of n, the requirement, failures so far, the time left at the pace so far', () => {
  assert.equal(
    progressLine(100, 800, 10, { passed: 97, 'non-conforming': 2, inconclusive: 1 }, 'CARD-RB-02'),
    'scenario 100 of 800 [CARD-RB-02]: 2 non-conforming, 1 inconclusive — about 1:10 left',
  );
  assert.equal(
    progressLine(800, 800, 80, { passed: 795, 'not-run': 5 }),
    'scenario 800 of 800: 0 non-conforming, 0 inconclusive, 5 not run',
  );
  assert.equal(clock(59.6), '1:00');
  assert.equal(clock(3725), '62:05');
});
