import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { Progress, clock, progressLine } from './progress.ts';

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

test('a pipe gets a plain line at every tenth of the run, counting the scenarios of every process that ran them', () => {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  const p = new Progress(20, out);
  for (let i = 0; i < 20; i++) p.scenario({ verdict: i === 3 ? 'non-conforming' : 'passed', requirements: [`R-${i}`] });
  p.end();
  const lines = text.trim().split('\n');
  assert.equal(lines.length, 10);
  assert.match(lines[0]!, /^scenario 2 of 20 \[R-1\]: 0 non-conforming, 0 inconclusive/);
  assert.match(lines[9]!, /^scenario 20 of 20 \[R-19\]: 1 non-conforming, 0 inconclusive$/);
  const quiet = new Progress(5);
  quiet.scenario({ verdict: 'passed', requirements: [] });
  quiet.end();
});
