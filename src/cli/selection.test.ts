import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalogue } from '../model/catalog.ts';
import { KNOWN_CAPABILITIES } from '../lab/target.ts';
import { UsageError } from './errors.ts';
import { checkSelection, countSelected, tagLiterals, unknownTags } from './selection.ts';

const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test(e.message) && !e.message.includes('\n');

test('tagLiterals: the words of an expression that are not operators, escapes kept', () => {
  assert.deepEqual(tagLiterals('@req:A or (@req:B and not @needs:t1)'), ['@req:A', '@req:B', '@needs:t1']);
  assert.deepEqual(tagLiterals('@req:A\\(x\\) or smoke'), ['@req:A(x)', 'smoke']);
  assert.deepEqual(tagLiterals(''), []);
});

test('unknownTags: requirement ids of the catalogue and known capabilities only', () => {
  const index = loadCatalogue();
  const id = index.all[0]!.id;
  assert.deepEqual(unknownTags(`@req:${id} and not @needs:t1`, index, KNOWN_CAPABILITIES), []);
  assert.deepEqual(unknownTags('@req:NO-SUCH-REQ', index, KNOWN_CAPABILITIES), ['@req:NO-SUCH-REQ names no requirement of the catalogue']);
  assert.match(unknownTags('@needs:teleport', index, KNOWN_CAPABILITIES).join(), /@needs:teleport names no capability/);
  assert.match(unknownTags(`@smoke or @req:${id}`, index, KNOWN_CAPABILITIES).join(), /@smoke is no tag of a scenario/);
});

test('countSelected: cucumber filters the features; an expression that does not parse is one line naming --tags', async () => {
  const one = await countSelected('run', '@req:CARD-ATR-01', []);
  const all = await countSelected('run', undefined, []);
  assert.ok(one >= 1 && one < all, `${one} of ${all}`);
  await assert.rejects(
    countSelected('run', '@req:CARD-ATR-01 and (', []),
    usage(/^run: --tags "@req:CARD-ATR-01 and \(": not a tag expression: Unmatched \($/),
  );
  await assert.rejects(countSelected('run', '@a or', []), usage(/not a tag expression: Expected operand/));
});

test('checkSelection: a selection of no scenario is refused, naming the tags and the paths', async () => {
  await checkSelection('run', { tags: '@req:CARD-ATR-01', paths: [] });
  await assert.rejects(
    checkSelection('run', { tags: '@req:CARD-ATR-01 and @req:CARD-SEL-02', paths: [] }),
    usage(/^run: --tags "@req:CARD-ATR-01 and @req:CARD-SEL-02" selects no scenario$/),
  );
  const dir = mkdtempSync(join(tmpdir(), 'ssc-selection-'));
  const empty = join(dir, 'empty.feature');
  writeFileSync(empty, 'Feature: nothing in it\n');
  await assert.rejects(checkSelection('run', { paths: [empty] }), usage(/empty\.feature selects no scenario$/));
  await assert.rejects(
    checkSelection('run', { tags: '@req:CARD-ATR-01', paths: [empty] }),
    usage(/--tags "@req:CARD-ATR-01" with .*empty\.feature select no scenario$/),
  );
});
