/**
 * Harness operations over the published known-answer vectors: the
 * key-management tool recomputes a vector and the scenario checks the
 * published value. The vector's source goes into the report with the result.
 */
import { diversify } from '../crypto/derive.ts';
import { combine, randomKey } from '../crypto/components.ts';
import type { BlockAlg } from '../crypto/block.ts';
import { kcv } from '../crypto/kcv.ts';
import { type LoadedVectorFile, type Vector, loadVectors, runVector } from '../crypto/vectors.ts';
import { type Bytes, equal, toHex } from '../core/bytes.ts';
import { fail } from './expect.ts';

export interface ReproducedVector {
  vector: Vector;
  file: LoadedVectorFile;
  actual: string;
  ok: boolean;
}

export function reproduceVector(id: string, files: LoadedVectorFile[] = loadVectors()): ReproducedVector {
  const matches = files.flatMap((file) => file.vectors.filter((v) => v.id === id).map((vector) => ({ file, vector })));
  if (matches.length === 0) throw new Error(`no published vector "${id}" in vectors/`);
  if (matches.length > 1) throw new Error(`vector id "${id}" is in ${matches.length} files`);
  const { file, vector } = matches[0]!;
  const r = runVector(vector);
  return { vector, file, actual: r.actual, ok: r.ok };
}

/** The report text for a reproduced vector: source, inputs, published and computed values. */
export function describeReproduction(r: ReproducedVector): string {
  return [
    `vector     ${r.vector.id} (${r.vector.operation})`,
    `file       ${r.file.file}`,
    `source     ${r.file.source.title}`,
    `reference  ${r.vector.reference ?? r.file.source.reference}`,
    ...Object.entries(r.vector.inputs).map(([k, v]) => `input      ${k} = ${String(v)}`),
    `published  ${r.vector.expected}`,
    `computed   ${r.actual}`,
  ].join('\n');
}

export function expectReproduced(r: ReproducedVector): void {
  if (!r.ok) {
    fail(
      `the tool computes ${r.actual} for ${r.vector.id}; ${r.file.source.title} publishes ${r.vector.expected}`,
      r.actual,
      r.vector.expected,
    );
  }
}

/** Two-level diversification as two one-level steps (card factor, then city factor). */
export function diversifyTwice(alg: BlockAlg, master: Bytes, first: Bytes, second: Bytes): Bytes {
  return diversify(alg, diversify(alg, master, first), second);
}

/** Splits a random key into `n` components and checks that they recombine to it, KCV for KCV. */
export function splitAndCombine(alg: BlockAlg, n: number): { key: Bytes; components: Bytes[]; combined: Bytes } {
  const key = randomKey(alg);
  const components: Bytes[] = [];
  let rest = key;
  for (let i = 0; i < n - 1; i++) {
    const c = randomKey(alg);
    components.push(c);
    rest = rest.map((b, j) => b ^ c[j]!);
  }
  components.push(rest);
  return { key, components, combined: combine(components) };
}

export function expectSameKey(a: Bytes, b: Bytes, alg: BlockAlg, what: string): void {
  if (!equal(a, b)) fail(`${what}: KCV ${toHex(kcv(alg, a))} differs from KCV ${toHex(kcv(alg, b))}`);
}
