import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InodePool, ResultsWriter, clearResults, removePool } from './results-writer.ts';

test('results, attachments, containers and run files are written whole, under their Allure names, nothing temporary left', () => {
  const root = mkdtempSync(join(tmpdir(), 'ssc-writer-'));
  const dir = join(root, 'allure-results');
  const w = new ResultsWriter(dir);
  w.writeResult({ uuid: 'u1', name: 'n' } as never);
  w.writeGroup({
    uuid: 'g1',
    children: ['u1'],
    befores: [{ name: 'open the card', status: 'broken', steps: [], attachments: [] }],
  } as never);
  w.writeAttachment('u1-attachment.txt', Buffer.from('#1 SELECT\n'));
  const from = join(root, 'file.txt');
  writeFileSync(from, 'copied');
  w.writeAttachmentFromPath('u1-copy.txt', from);
  w.writeCategoriesDefinitions([{ name: 'c' }]);
  w.writeEnvironmentInfo({ 'Sample ID': 'S-1' });
  w.writeGlobals('g-globals.json', { attachments: [], errors: [] });
  assert.deepEqual(readdirSync(dir).sort(), [
    'categories.json',
    'environment.properties',
    'g-globals.json',
    'g1-container.json',
    'u1-attachment.txt',
    'u1-copy.txt',
    'u1-result.json',
  ]);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'u1-result.json'), 'utf8')), { uuid: 'u1', name: 'n' });
  assert.equal(readFileSync(join(dir, 'u1-copy.txt'), 'utf8'), 'copied');
  assert.equal(readFileSync(join(dir, 'environment.properties'), 'utf8'), 'Sample\\ ID=S-1\n');
});

test('a write that fails leaves neither the file nor its temporary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-writer-'));
  const w = new ResultsWriter(dir);
  assert.throws(() => w.writeAttachmentFromPath('x.txt', join(dir, 'missing')));
  assert.deepEqual(readdirSync(dir), []);
});

test('a hook container says something or is not written: passing hooks without steps or attachments leave no file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-writer-'));
  const w = new ResultsWriter(dir);
  const fixture = (o: object) => ({ name: 'open the card', status: 'passed', steps: [], attachments: [], ...o });
  w.writeGroup({ uuid: 'quiet', children: ['u1'], befores: [fixture({})], afters: [fixture({ name: 'close the card' })] } as never);
  w.writeGroup({ uuid: 'none', children: ['u1'] } as never);
  w.writeGroup({ uuid: 'failed', children: ['u1'], befores: [], afters: [fixture({ status: 'failed' })] } as never);
  w.writeGroup({ uuid: 'steps', children: ['u1'], befores: [fixture({ steps: [{ name: 's' }] })], afters: [] } as never);
  w.writeGroup({ uuid: 'attached', children: ['u1'], befores: [fixture({ attachments: [{ name: 'a' }] })] } as never);
  assert.deepEqual(readdirSync(dir).sort(), ['attached-container.json', 'failed-container.json', 'steps-container.json']);
});

test("a card run clears its last results, not another tool's nor the history", () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-results-'));
  for (const f of ['a-result.json', 'a-attachment.txt', 'terminal-test-1234-x-result.json', 'environment.properties'])
    writeFileSync(join(dir, f), '{}');
  mkdirSync(join(dir, 'history'));
  writeFileSync(join(dir, 'history', 'history.json'), '{}');
  clearResults(dir, (f) => f.startsWith('terminal-test-'));
  assert.deepEqual(readdirSync(dir).sort(), ['history', 'terminal-test-1234-x-result.json']);
  assert.ok(existsSync(join(dir, 'history', 'history.json')));
});

test('clearing replaces the directory, removes what an interrupted run left aside, and makes one that was missing', () => {
  const root = mkdtempSync(join(tmpdir(), 'ssc-results-'));
  const dir = join(root, 'allure-results');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a-result.json'), '{}');
  const before = statSync(dir).ino;
  mkdirSync(join(root, 'allure-results.old-1'));
  writeFileSync(join(root, 'allure-results.old-1', 'b-result.json'), '{}');
  writeFileSync(join(root, 'allure-results.txt'), 'not ours');
  const pool = clearResults(dir, () => false);
  assert.notEqual(statSync(dir).ino, before, 'a new directory');
  assert.deepEqual(readdirSync(pool!), ['a-result.json'], 'the last results set aside, to be written over');
  removePool(pool);
  assert.deepEqual(readdirSync(root).sort(), ['allure-results', 'allure-results.txt']);
  assert.deepEqual(readdirSync(dir), []);
  clearResults(join(root, 'new', 'allure-results'), () => false);
  assert.deepEqual(readdirSync(join(root, 'new', 'allure-results')), []);
});

test("the last run's files are written over, not deleted and created again: same inodes, new names and contents", () => {
  const root = mkdtempSync(join(tmpdir(), 'ssc-pool-'));
  const dir = join(root, 'allure-results');
  mkdirSync(dir);
  for (const f of ['a-result.json', 'b-attachment.txt', 'c-result.json', 'd-result.json', 'terminal-test-1-result.json'])
    writeFileSync(join(dir, f), 'x'.repeat(4000));
  const before = new Set(readdirSync(dir).map((f) => statSync(join(dir, f)).ino));
  const pool = clearResults(dir, (f) => f.startsWith('terminal-test-'));
  assert.ok(pool && existsSync(pool));
  assert.deepEqual(readdirSync(dir), ['terminal-test-1-result.json'], 'the kept file moved into the new directory');
  // two processes, one share of the pool each: 4 files, 2 each
  const first = new ResultsWriter(dir, new InodePool(pool, 1, 2));
  const second = new ResultsWriter(dir, new InodePool(pool, 2, 2));
  first.writeResult({ uuid: 'n1', name: 'one' } as never);
  first.writeAttachment('n1-attachment.txt', Buffer.from('short'));
  first.writeResult({ uuid: 'n2', name: 'created' } as never);
  second.writeResult({ uuid: 'n3', name: 'three' } as never);
  const written = ['n1-result.json', 'n1-attachment.txt', 'n2-result.json', 'n3-result.json'];
  const reused = written.filter((f) => before.has(statSync(join(dir, f)).ino));
  assert.equal(reused.length, 3, `written over: ${reused.join(', ')}`);
  assert.ok(!before.has(statSync(join(dir, 'n2-result.json')).ino), 'the first share used up, a file is created');
  assert.equal(readFileSync(join(dir, 'n1-attachment.txt'), 'utf8'), 'short', 'written over whole: nothing of the old content left');
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'n1-result.json'), 'utf8')), { uuid: 'n1', name: 'one' });
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'n3-result.json'), 'utf8')), { uuid: 'n3', name: 'three' });
  assert.equal(readdirSync(pool).length, 1, "the second share's other file is left");
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('.')),
    [],
  );
  removePool(pool);
  assert.ok(!existsSync(pool));
  // a run into a new directory has no pool; a writer without one creates its files
  assert.equal(
    clearResults(join(root, 'fresh'), () => false),
    undefined,
  );
  assert.equal(new InodePool(join(root, 'none')).take(join(root, 'x')), false);
});
