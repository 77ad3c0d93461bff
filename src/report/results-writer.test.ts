import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultsWriter, clearResults } from './results-writer.ts';

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

test('clearing replaces the directory, removes what an interrupted clearing left aside, and makes one that was missing', () => {
  const root = mkdtempSync(join(tmpdir(), 'ssc-results-'));
  const dir = join(root, 'allure-results');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a-result.json'), '{}');
  const before = statSync(dir).ino;
  mkdirSync(join(root, 'allure-results.old-1'));
  writeFileSync(join(root, 'allure-results.old-1', 'b-result.json'), '{}');
  writeFileSync(join(root, 'allure-results.txt'), 'not ours');
  clearResults(dir, () => false);
  assert.notEqual(statSync(dir).ino, before, 'a new directory');
  assert.deepEqual(readdirSync(root).sort(), ['allure-results', 'allure-results.txt']);
  assert.deepEqual(readdirSync(dir), []);
  clearResults(join(root, 'new', 'allure-results'), () => false);
  assert.deepEqual(readdirSync(join(root, 'new', 'allure-results')), []);
});
