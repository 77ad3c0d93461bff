import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneLine } from './allure.ts';

test('a finding as one line: lines joined, spaces squeezed, cut with an ellipsis', () => {
  assert.equal(
    oneLine('content of 3F00/2F02 differs:\n  expected 0102\n  card     0103\n'),
    'content of 3F00/2F02 differs: expected 0102 card 0103',
  );
  assert.equal(oneLine('x'.repeat(10), 5), 'xxxx…');
  assert.equal(oneLine('short'), 'short');
});
