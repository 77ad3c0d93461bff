/**
 * The known-answer suite: every vector of every file in `vectors/`, recomputed
 * with the library. A failure names the file and the vector id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DataError } from '../core/json.ts';
import { loadVectors, runVector } from './vectors.ts';

const files = loadVectors();
const runSlow = process.env.SSC_LAB_SLOW_VECTORS === '1';

for (const f of files) {
  const name = basename(f.file);
  for (const v of f.vectors) {
    const skip = v.slow && !runSlow ? 'slow vector: set SSC_LAB_SLOW_VECTORS=1 to run it' : false;
    test(`KAT ${name} ${v.id} (${v.operation})`, { skip }, () => {
      let result: ReturnType<typeof runVector>;
      try {
        result = runVector(v);
      } catch (e) {
        assert.fail(`vectors/${name}: vector "${v.id}" threw: ${(e as Error).message}`);
      }
      assert.ok(
        result.ok,
        `vectors/${name}: vector "${v.id}" (${v.operation}) gave ${result.actual}, the source (${f.source.title}) says ${result.expected}`,
      );
    });
  }
}

test('the vector set covers every operation the product relies on', () => {
  const ops = new Set(files.flatMap((f) => f.vectors.map((v) => v.operation)));
  for (const op of [
    'sm4-ecb-encrypt',
    '3des-ecb-encrypt',
    'des-ecb-encrypt',
    'sm4-cbc-encrypt',
    '3des-cbc-encrypt',
    'mac',
    'kcv',
    'option-a',
    'diversify',
    'arqc',
    'sm3',
    'sha1',
    'sha256',
  ] as const) {
    assert.ok(ops.has(op), `no published vector for ${op}`);
  }
  const macAlgs = new Set(files.flatMap((f) => f.vectors.filter((v) => v.operation === 'mac').map((v) => v.inputs.alg)));
  for (const alg of ['iso9797-1-m3', 'des-cbc', '3des-cbc', 'sm4-cbc']) assert.ok(macAlgs.has(alg), `no MAC vector for ${alg}`);
});

test('the docs/sources.md §5 values of vectors/ files are all in the vector set', () => {
  const all = files.flatMap((f) => f.vectors);
  for (const expected of [
    '681EDF34D206965E86B3E94F536E4246',
    '66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0',
    'DEBE9FF92275B8A138604889C18E5A4D6FDB70E5387E5765293DCBA39C0C5732',
    '1AB21D8355CFA17F8E61194831E81A8F22BEC8C728FEFB747ED035EB5082AA2B',
    '2BC2D9EDE0CF31F6',
    '73AD54688CEF2934B0979857E3C719F1',
    '08D7',
  ]) {
    assert.ok(
      all.some((v) => v.expected === expected),
      `${expected} missing`,
    );
  }
});

test('every file names its source', () => {
  assert.ok(files.length >= 10);
  for (const f of files) {
    assert.ok(f.source.title.length > 5 && f.source.reference.length > 10, basename(f.file));
  }
});

function tmpVectors(doc: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-lab-vectors-'));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(doc));
  return dir;
}

const goodSource = { title: 'A title', reference: 'A document, clause 1' };

test('a vector file that breaks the schema is refused with the file and JSON path', () => {
  const dir = tmpVectors({
    source: goodSource,
    vectors: [{ id: 'x', operation: 'kcv', inputs: { alg: '3des', key: '0123456789abcdef' }, expected: '08D7' }],
  });
  assert.throws(
    () => loadVectors(dir),
    (e: unknown) => e instanceof DataError && /bad\.json/.test(e.message) && /\/vectors\/0\/inputs\/key/.test(e.message),
  );
});

test('unknown properties, operations and non-hex expected values are refused', () => {
  for (const vector of [
    { id: 'x', operation: 'kcv', inputs: { alg: '3des', key: '0123456789ABCDEF' }, expected: '08D7', extra: 1 },
    { id: 'x', operation: 'aes-encrypt', inputs: {}, expected: '00' },
    { id: 'x', operation: 'sha1', inputs: { text: 'abc' }, expected: 'XYZ' },
    { id: 'x', operation: 'mac', inputs: { alg: 'des-cbc', key: '0123456789ABCDEF', text: 'a', data: '61' }, expected: '00' },
    {
      id: 'x',
      operation: 'option-a',
      inputs: { alg: '3des', imk: '0123456789ABCDEFFEDCBA9876543210', pan: '12AB', psn: '01' },
      expected: '00',
    },
  ]) {
    const dir = tmpVectors({ source: goodSource, vectors: [vector] });
    assert.throws(() => loadVectors(dir), DataError, JSON.stringify(vector));
  }
  assert.throws(() => loadVectors(tmpVectors({ vectors: [] })), DataError);
});

test('a duplicate vector id is refused', () => {
  const v = { id: 'same', operation: 'sha1', inputs: { text: 'abc' }, expected: 'A9993E364706816ABA3E25717850C26C9CD0D89D' };
  assert.throws(() => loadVectors(tmpVectors({ source: goodSource, vectors: [v, v] })), /duplicate vector id "same"/);
});

test('runVector reports a mismatch instead of throwing', () => {
  const r = runVector({ id: 'wrong', operation: 'sha1', inputs: { text: 'abc' }, expected: '00' });
  assert.equal(r.ok, false);
  assert.equal(r.actual, 'A9993E364706816ABA3E25717850C26C9CD0D89D');
  assert.equal(r.expected, '00');
});
