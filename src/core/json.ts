/**
 * Every JSON document the product reads (profiles, vectors, requirement
 * catalogue, run plans) goes through here: parsed, validated against its JSON
 * Schema with ajv, and rejected with a message that names the file and the
 * JSON path of each problem.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/**
 * Project root: the nearest directory above this module that holds the
 * project's package.json — two levels up from src/core/, three from the
 * built dist/src/core/ (bin/build.js).
 */
export const PROJECT_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    dir = join(dir, '..');
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'features'))) return dir;
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
})();

export class DataError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'DataError';
  }
}

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schemaName: string): ValidateFunction {
  let v = compiled.get(schemaName);
  if (!v) {
    const schemaFile = join(PROJECT_ROOT, 'schemas', `${schemaName}.schema.json`);
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as object;
    v = ajv.compile(schema);
    compiled.set(schemaName, v);
  }
  return v;
}

/** "/fileSystem/children/2/fid: must match pattern ..." for one ajv error. */
export function formatAjvError(e: ErrorObject): string {
  const path = e.instancePath === '' ? '(root)' : e.instancePath;
  let msg = e.message ?? 'is invalid';
  if (e.keyword === 'additionalProperties')
    msg = `has unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'enum') msg += `: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((x) => JSON.stringify(x)).join(', ')}`;
  return `${path}: ${msg}`;
}

function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/** Validates an already-parsed document; `file` is only used in messages. */
export function validateDocument<T>(doc: unknown, schemaName: string, file: string): T {
  const validate = validatorFor(schemaName);
  if (!validate(doc)) {
    const problems = (validate.errors ?? []).filter((e) => e.keyword !== 'if').map(formatAjvError);
    throw new DataError(displayName(file), [...new Set(problems)]);
  }
  return doc as T;
}

/** Reads, parses and validates a JSON file against `schemas/<schemaName>.schema.json`. */
export function loadJson<T>(file: string, schemaName: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(displayName(file), [code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(e)})`]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DataError(displayName(file), [`not valid JSON: ${(e as Error).message}`]);
  }
  return validateDocument<T>(doc, schemaName, file);
}
