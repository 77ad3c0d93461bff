import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareRequirements, compareVerdicts, identical, readVerdicts } from './compare.ts';

function results(list: [string, string, string?][]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-cmp-'));
  for (const [i, [fullName, status, param]] of list.entries()) {
    const parameters = param ? [{ name: 'k', value: param }] : [];
    const statusDetails = { message: `${status} because` };
    writeFileSync(join(dir, `${i}-result.json`), JSON.stringify({ fullName, name: fullName, status, parameters, statusDetails }));
  }
  writeFileSync(join(dir, 'terminal-test-x-result.json'), JSON.stringify({ fullName: 'terminal', status: 'failed' }));
  writeFileSync(join(dir, 'environment.properties'), 'a=b\n');
  return dir;
}

test('two runs with the same scenarios and verdicts are identical; terminal-test results are not scenarios', () => {
  const a = results([
    ['f#one', 'passed'],
    ['f#two', 'skipped'],
    ['f#outline', 'passed', '1'],
    ['f#outline', 'passed', '2'],
  ]);
  const b = results([
    ['f#two', 'skipped'],
    ['f#one', 'passed'],
    ['f#outline', 'passed', '2'],
    ['f#outline', 'passed', '1'],
  ]);
  const c = compareVerdicts(readVerdicts(a), readVerdicts(b));
  assert.ok(identical(c));
  assert.equal(c.same, 4);
  assert.deepEqual(c.counts.a, { passed: 3, 'not-applicable': 1 });
});

test('differences are listed: another verdict, a scenario missing on either side', () => {
  const a = readVerdicts(
    results([
      ['f#one', 'passed'],
      ['f#two', 'passed'],
      ['f#three', 'passed'],
    ]),
  );
  const b = readVerdicts(
    results([
      ['f#one', 'passed'],
      ['f#two', 'broken'],
      ['f#four', 'passed'],
    ]),
  );
  const c = compareVerdicts(a, b);
  assert.equal(identical(c), false);
  assert.deepEqual(
    c.differ.map((d) => [d.name, d.a.status, d.b.status, d.b.message]),
    [['f#two', 'passed', 'broken', 'broken because']],
  );
  assert.deepEqual(
    c.differ.map((d) => [d.a.verdict, d.b.verdict]),
    [['passed', 'inconclusive']],
  );
  const read = readVerdicts(
    results([
      ['f#x', 'failed'],
      ['f#y', 'skipped'],
    ]),
  );
  assert.deepEqual(
    [...read.values()].map((v) => v.verdict),
    ['non-conforming', 'not-applicable'],
  );
  assert.deepEqual(
    c.onlyA.map((v) => v.name),
    ['f#three'],
  );
  assert.deepEqual(
    c.onlyB.map((v) => v.name),
    ['f#four'],
  );
});

test('two runs in one directory, or no directory, are errors that say so', () => {
  assert.throws(
    () =>
      readVerdicts(
        results([
          ['f#one', 'passed'],
          ['f#one', 'failed'],
        ]),
      ),
    /appears twice/,
  );
  assert.throws(() => readVerdicts('/nonexistent/ssc'), /no Allure results/);
});

test('a new citation of the requirement (the source parameter) does not make a scenario another one; example values do', () => {
  const withSource = (source: string, k?: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'ssc-cmp-'));
    const parameters = [...(k ? [{ name: 'k', value: k }] : []), { name: 'source', value: source }];
    writeFileSync(join(dir, '0-result.json'), JSON.stringify({ fullName: 'f#one', status: 'passed', parameters }));
    return dir;
  };
  const c = compareVerdicts(readVerdicts(withSource('CARD-A: old clause', '1')), readVerdicts(withSource('CARD-A: new clause', '1')));
  assert.ok(identical(c));
  const d = compareVerdicts(readVerdicts(withSource('CARD-A: x', '1')), readVerdicts(withSource('CARD-A: x', '2')));
  assert.ok(!identical(d));
  assert.equal(d.onlyA.length, 1);
});

test('two samples compared by requirement: each requirement whose verdict differs, and those only one run has', () => {
  const r = compareRequirements(
    [
      { id: 'A', title: 'a', verdict: 'passed' },
      { id: 'B', title: 'b', verdict: 'passed' },
      { id: 'C', title: 'c', verdict: 'not-applicable' },
    ],
    [
      { id: 'A', title: 'a', verdict: 'passed' },
      { id: 'B', title: 'b', verdict: 'failed' },
      { id: 'D', title: 'd', verdict: 'passed' },
    ],
  );
  assert.deepEqual(r, { same: 1, differ: [{ id: 'B', title: 'b', a: 'passed', b: 'failed' }], onlyA: ['C'], onlyB: ['D'] });
});
