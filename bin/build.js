// The JavaScript the command runs: every module of src/ and steps/ (tests
// aside) transpiled to dist/ with esbuild (the transformer tsx itself uses),
// its relative `.ts` imports rewritten to `.js`. `npm ci` builds it (the package's
// `prepare` script); the launcher brings it up to date before each command,
// transpiling only the modules whose source changed since (a few
// milliseconds each), so an edited source never runs stale. Type checking is
// `npm run typecheck`'s job, not this one's: this only strips types.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
const SOURCES = ['src', 'steps'];

const isModule = (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.test-kit.ts') && !name.endsWith('.d.ts');

/** Every module to build, as paths relative to the root. */
function sources() {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const rel = join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (isModule(entry.name)) out.push(rel);
    }
  };
  for (const s of SOURCES) if (existsSync(join(ROOT, s))) walk(s);
  return out;
}

const target = (rel) => join(DIST, rel.replace(/\.ts$/, '.js'));

/** The modules whose JavaScript is missing or older than their source; and the JavaScript whose source is gone. */
export function staleModules() {
  const all = sources();
  const stale = all.filter((rel) => {
    const js = target(rel);
    return !existsSync(js) || statSync(js).mtimeMs < statSync(join(ROOT, rel)).mtimeMs;
  });
  const wanted = new Set(all.map(target));
  const orphans = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (p.endsWith('.js') && !wanted.has(p)) orphans.push(p);
    }
  };
  for (const s of SOURCES) walk(join(DIST, s));
  return { stale, orphans, total: all.length };
}

/** Relative module specifiers ending in `.ts` (static imports, re-exports, dynamic imports) rewritten to `.js`. */
export function rewriteImports(code) {
  return code.replace(/((?:\bfrom|\bimport)\s*\(?\s*)(['"])(\.{1,2}\/[^'"\n]*?)\.ts\2/g, '$1$2$3.js$2');
}

/** Brings dist/ up to date; returns how many modules were transpiled. */
export function build() {
  const { stale, orphans } = staleModules();
  for (const o of orphans) rmSync(o, { force: true });
  if (stale.length === 0) return 0;
  const esbuild = createRequire(import.meta.url)('esbuild');
  for (const rel of stale) {
    const source = readFileSync(join(ROOT, rel), 'utf8');
    const out = esbuild.transformSync(source, {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: join(ROOT, rel),
    });
    const js = target(rel);
    mkdirSync(dirname(js), { recursive: true });
    // whole or not at all: another command starting at the same moment may be importing it, or building it too
    const tmp = `${js}.${process.pid}.tmp`;
    writeFileSync(tmp, rewriteImports(out.code));
    renameSync(tmp, js);
  }
  return stale.length;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = Date.now();
  const n = build();
  console.log(`build: ${n} module(s) transpiled to ${relative(process.cwd(), DIST) || DIST} in ${Date.now() - t0} ms`);
}
