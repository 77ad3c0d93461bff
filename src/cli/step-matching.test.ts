import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { nativeExecWithIndices } from './step-matching.ts';

const require = createRequire(import.meta.url);
// the package's own implementation, loaded from its file (the module cache holds the native one in its place)
const packageDir = dirname(
  require.resolve('regexp-match-indices/package.json', { paths: [dirname(require.resolve('@cucumber/cucumber-expressions'))] }),
);
const reference = require(`${packageDir}/implementation.js`) as (this: RegExp, s: string) => RegExpExecArray | null;

/** What cucumber-expressions reads of a match: the groups' values and positions. */
const seen = (m: RegExpExecArray | null) =>
  m && { groups: [...m], index: m.index, indices: [...m.indices!].map((i) => (i ? [...i] : i)), named: m.indices!.groups ?? undefined };

test('native match indices give what regexp-match-indices gives: groups, nested, optional, alternatives, named, no match', () => {
  const cases: [RegExp, string][] = [
    [/^the card answers (\d+) bytes$/, 'the card answers 42 bytes'],
    [/^I select "([^"]*)"(?: by (name|FID))?$/, 'I select "3F00"'],
    [/^I select "([^"]*)"(?: by (name|FID))?$/, 'I select "DF01" by FID'],
    [/^(?<sw>[0-9A-F]{4}) after (?<n>\d+) tries$/, '63C2 after 3 tries'],
    [/^-?\d+(?:\.\d+)?$/, '-12.5'],
    [/^the (first|second|third) record$/, 'the fourth record'],
    [/(x)(y)?/g, 'zzxzzxy'],
  ];
  for (const [re, s] of cases) {
    const a = new RegExp(re.source, re.flags);
    const b = new RegExp(re.source, re.flags);
    assert.deepEqual(seen(nativeExecWithIndices(a, s)), seen(reference.call(b, s)), `${re} on "${s}"`);
    assert.equal(a.lastIndex, b.lastIndex, `${re}: lastIndex as exec leaves it`);
  }
});

test("a group matched more than once: the same values; its position is the last match's, where the package gave the first", () => {
  // as in {string}'s pattern, whose escaped-character group repeats
  const re = /^"([^"\\]*(\\.[^"\\]*)*)"$/;
  const s = '"a\\"b\\"c"';
  const native = nativeExecWithIndices(new RegExp(re.source), s)!;
  const pkg = reference.call(new RegExp(re.source), s)!;
  assert.deepEqual([...native], [...pkg], 'the values cucumber passes to the step');
  for (const [i, at] of [...native.indices!].entries()) if (at) assert.equal(s.slice(at[0], at[1]), native[i], `group ${i}`);
});

test('cucumber matches step text with the native indices in place, with the same arguments', async () => {
  const { CucumberExpression, ParameterTypeRegistry } = await import('@cucumber/cucumber-expressions');
  const registry = new ParameterTypeRegistry();
  const e = new CucumberExpression('the card answers {int} bytes to {string} after {float} s', registry);
  const args = e.match('the card answers 42 bytes to "READ BINARY" after 0.5 s')!;
  assert.deepEqual(
    args.map((a) => [a.getValue(null), a.group.start, a.group.end]),
    [
      [42, 17, 19],
      ['READ BINARY', 29, 42],
      [0.5, 49, 52],
    ],
  );
  assert.equal(e.match('the card answers many bytes'), null);
});
