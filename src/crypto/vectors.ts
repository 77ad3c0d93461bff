/**
 * Published known-answer vectors (`vectors/*.json`, schema
 * `schemas/vectors.schema.json`) and their evaluation with this library.
 * Every file names its public source; `runVector` recomputes the expected
 * value with the functions of `src/crypto/`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Bytes, ascii, concat, fromHex, toHex, xor } from '../core/bytes.ts';
import { DataError, PROJECT_ROOT, loadJson } from '../core/json.ts';
import { type BlockAlg, encryptCbc, encryptEcb, encryptEcbIterated } from './block.ts';
import { adjustParity, diversify, optionA, pbocSessionKey } from './derive.ts';
import { sha1, sha256, sm3 } from './hash.ts';
import { kcv } from './kcv.ts';
import { type MacAlg, mac } from './mac.ts';

export type VectorOperation =
  | 'des-ecb-encrypt'
  | '3des-ecb-encrypt'
  | 'sm4-ecb-encrypt'
  | 'des-cbc-encrypt'
  | '3des-cbc-encrypt'
  | 'sm4-cbc-encrypt'
  | 'mac'
  | 'kcv'
  | 'option-a'
  | 'session-key'
  | 'diversify'
  | 'arqc'
  | 'arpc'
  | 'sm3'
  | 'sha1'
  | 'sha256';

export interface VectorSource {
  title: string;
  reference: string;
  note?: string;
}

export interface Vector {
  id: string;
  operation: VectorOperation;
  /** Hex strings, text, digits and small integers, per operation (see the schema). */
  inputs: Record<string, string | number | boolean>;
  /** Upper-case hex. */
  expected: string;
  reference?: string;
  note?: string;
  slow?: boolean;
}

export interface VectorFile {
  source: VectorSource;
  vectors: Vector[];
}

/** A vector file as loaded: its path (as given to the loader) and contents. */
export interface LoadedVectorFile extends VectorFile {
  file: string;
}

export interface VectorResult {
  ok: boolean;
  actual: string;
  expected: string;
}

/** Directory of the published vectors shipped with the product. */
export const DEFAULT_VECTOR_DIR = join(PROJECT_ROOT, 'vectors');

/**
 * Loads every `*.json` of `dir` (default `vectors/`), sorted by name, each
 * validated against `schemas/vectors.schema.json`. A vector id used twice in
 * one file is a DataError naming the file.
 */
export function loadVectors(dir: string = DEFAULT_VECTOR_DIR): LoadedVectorFile[] {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort();
  return names.map((name) => {
    const file = join(dir, name);
    const doc = loadJson<VectorFile>(file, 'vectors');
    const seen = new Set<string>();
    doc.vectors.forEach((v, i) => {
      if (seen.has(v.id)) throw new DataError(file, [`/vectors/${i}/id: duplicate vector id "${v.id}"`]);
      seen.add(v.id);
    });
    return { file, source: doc.source, vectors: doc.vectors };
  });
}

function str(v: Vector, name: string): string {
  const x = v.inputs[name];
  if (typeof x !== 'string') throw new TypeError(`vector ${v.id}: input "${name}" must be a string`);
  return x;
}

function hex(v: Vector, name: string): Bytes {
  return fromHex(str(v, name));
}

function optInt(v: Vector, name: string): number | undefined {
  const x = v.inputs[name];
  if (x === undefined) return undefined;
  if (typeof x !== 'number') throw new TypeError(`vector ${v.id}: input "${name}" must be a number`);
  return x;
}

/** The message of a hash or MAC vector: `data` (hex) or `text` (ASCII), repeated `repeat` times. */
export function vectorMessage(v: Vector): Bytes {
  const one = v.inputs.data !== undefined ? hex(v, 'data') : ascii(str(v, 'text'));
  const repeat = optInt(v, 'repeat') ?? 1;
  if (repeat === 1) return one;
  const out = new Uint8Array(one.length * repeat);
  for (let i = 0; i < repeat; i++) out.set(one, i * one.length);
  return out;
}

function blockAlg(v: Vector): BlockAlg {
  const a = str(v, 'alg');
  if (a !== '3des' && a !== 'sm4') throw new TypeError(`vector ${v.id}: alg must be 3des or sm4`);
  return a;
}

/** PBOC ARQC: Option A UDK → PBOC session key → MAC (3DES: ISO 9797-1 alg. 3, pad 2; SM4: SM4-CBC-MAC, pad 2, left 8 bytes). */
function arqc(alg: BlockAlg, imk: Bytes, pan: string, psn: string, atc: Bytes, data: Bytes): Bytes {
  const sk = pbocSessionKey(alg, optionA(alg, imk, pan, psn), atc);
  return alg === '3des' ? mac('iso9797-1-m3', sk, data, { pad: 2 }) : mac('sm4-cbc', sk, data, { pad: 2, len: 8 });
}

/** ARPC method 1 (EMV Book 2 A1.2.1, JR/T 0025): E(SK, ARQC ⊕ (ARC ‖ 00…00)), left 8 bytes. */
function arpc(alg: BlockAlg, imk: Bytes, pan: string, psn: string, atc: Bytes, arqcValue: Bytes, arc: Bytes): Bytes {
  const sk = pbocSessionKey(alg, optionA(alg, imk, pan, psn), atc);
  const n = alg === '3des' ? 8 : 16;
  const block = new Uint8Array(n);
  block.set(xor(arqcValue, concat(arc, new Uint8Array(6))), 0);
  return encryptEcb(alg, sk, block).slice(0, 8);
}

function compute(v: Vector): Bytes {
  switch (v.operation) {
    case 'des-ecb-encrypt':
    case '3des-ecb-encrypt':
      return encryptEcb('3des', hex(v, 'key'), hex(v, 'plaintext'));
    case 'sm4-ecb-encrypt': {
      const iterations = optInt(v, 'iterations');
      if (iterations !== undefined) return encryptEcbIterated('sm4', hex(v, 'key'), hex(v, 'plaintext'), iterations);
      return encryptEcb('sm4', hex(v, 'key'), hex(v, 'plaintext'));
    }
    case 'des-cbc-encrypt':
    case '3des-cbc-encrypt':
      return encryptCbc('3des', hex(v, 'key'), hex(v, 'iv'), hex(v, 'plaintext'));
    case 'sm4-cbc-encrypt':
      return encryptCbc('sm4', hex(v, 'key'), hex(v, 'iv'), hex(v, 'plaintext'));
    case 'mac': {
      const pad = optInt(v, 'pad') as 1 | 2 | 3 | undefined;
      const opts: { iv?: Bytes; pad?: 1 | 2 | 3; len?: number } = {};
      if (v.inputs.iv !== undefined) opts.iv = hex(v, 'iv');
      if (pad !== undefined) opts.pad = pad;
      const len = optInt(v, 'len');
      if (len !== undefined) opts.len = len;
      return mac(str(v, 'alg') as MacAlg, hex(v, 'key'), vectorMessage(v), opts);
    }
    case 'kcv':
      return kcv(blockAlg(v), hex(v, 'key'), optInt(v, 'len') ?? 3);
    case 'option-a': {
      const alg = blockAlg(v);
      const key = optionA(alg, hex(v, 'imk'), str(v, 'pan'), str(v, 'psn'));
      const kcvLength = optInt(v, 'kcvLength');
      return kcvLength === undefined ? key : kcv(alg, key, kcvLength);
    }
    case 'session-key':
      return pbocSessionKey(blockAlg(v), hex(v, 'udk'), hex(v, 'atc'));
    case 'diversify': {
      const key = diversify(blockAlg(v), hex(v, 'key'), hex(v, 'factor'));
      return v.inputs.parity === true ? adjustParity(key) : key;
    }
    case 'arqc':
      return arqc(blockAlg(v), hex(v, 'imk'), str(v, 'pan'), str(v, 'psn'), hex(v, 'atc'), hex(v, 'data'));
    case 'arpc':
      return arpc(blockAlg(v), hex(v, 'imk'), str(v, 'pan'), str(v, 'psn'), hex(v, 'atc'), hex(v, 'arqc'), hex(v, 'arc'));
    case 'sm3':
      return sm3(vectorMessage(v));
    case 'sha1':
      return sha1(vectorMessage(v));
    case 'sha256':
      return sha256(vectorMessage(v));
    default:
      throw new TypeError(`vector ${(v as Vector).id}: unknown operation "${String((v as Vector).operation)}"`);
  }
}

/** Recomputes a vector with the library; `actual` and `expected` are upper-case hex. */
export function runVector(v: Vector): VectorResult {
  const actual = toHex(compute(v));
  const expected = v.expected.toUpperCase();
  return { ok: actual === expected, actual, expected };
}
