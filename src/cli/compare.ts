/**
 * `ssc-lab compare DIR_A DIR_B`: the verdicts of two runs (their output
 * directories or their allure-results) side by side. Exit 0 when every
 * scenario is in both with the same verdict, 1 otherwise, 2 on usage errors.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type RecordedRequirement, compareRequirements, compareVerdicts, identical, readVerdicts } from '../report/compare.ts';
import { EXIT, UsageError } from './errors.ts';
import { relativeOrAbsolute } from './paths.ts';

export const COMPARE_USAGE = `Usage: ssc-lab compare DIR_A DIR_B

  Compares two runs — two samples, or two runs of one sample (each DIR is a run's --out
  directory or its allure-results): the requirement verdicts (from coverage.json, with the
  sample ids of the matrix) and the scenario verdicts. Exit code 0: the same requirements
  and scenarios with the same verdicts; 1: they differ (each difference is listed); 2: usage error.`;

/** A JSON file of a run, when it is there; one that is not JSON is a usage error naming it. */
function runFile<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new UsageError(`compare: ${relativeOrAbsolute(file)}: not the JSON of a run (${(e as Error).message})`);
  }
}

/** A run's requirement verdicts and sample id, when its output directory holds them. */
function runRecord(results: string): { requirements?: RecordedRequirement[]; sample?: string } {
  const out = dirname(results);
  const coverage = runFile<RecordedRequirement[]>(join(out, 'coverage.json'));
  const matrix = runFile<{ metadata?: { sampleId?: string } }>(join(out, 'matrix', 'matrix.json'));
  if (coverage !== undefined && !Array.isArray(coverage))
    throw new UsageError(`compare: ${relativeOrAbsolute(join(out, 'coverage.json'))}: not the coverage of a run (an array)`);
  const sample = matrix?.metadata?.sampleId;
  return { ...(coverage ? { requirements: coverage } : {}), ...(typeof sample === 'string' ? { sample } : {}) };
}

function resultsDir(dir: string): string {
  const inner = join(dir, 'allure-results');
  return existsSync(inner) ? inner : dir;
}

export async function compareCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'help' || argv[0] === '--help') {
    console.log(COMPARE_USAGE);
    return EXIT.OK;
  }
  if (argv.length !== 2 || argv.some((a) => a.startsWith('-')))
    throw new UsageError('compare: give two run directories: ssc-lab compare DIR_A DIR_B');
  if (argv.some((d) => d.trim() === '')) throw new UsageError('compare: a run directory is empty ("")');
  for (const d of argv)
    if (!existsSync(d) || !statSync(d).isDirectory())
      throw new UsageError(`compare: ${d} is not a directory (a run's --out or its allure-results)`);
  const [a, b] = argv.map((d) => resultsDir(resolve(d))) as [string, string];
  let c;
  try {
    const [va, vb] = [readVerdicts(a), readVerdicts(b)];
    // two directories without results are not two identical runs
    for (const [dir, v] of [
      [a, va],
      [b, vb],
    ] as const)
      if (v.size === 0) throw new Error(`${relativeOrAbsolute(dir)} holds no scenario results (*-result.json of a run)`);
    c = compareVerdicts(va, vb);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`compare: ${(e as Error).message}`);
  }
  // by requirement first: what a lab compares two samples on
  const [ra, rb] = [runRecord(a), runRecord(b)];
  let requirementsSame = true;
  if (ra.requirements && rb.requirements) {
    const r = compareRequirements(ra.requirements, rb.requirements);
    requirementsSame = r.differ.length === 0 && r.onlyA.length === 0 && r.onlyB.length === 0;
    console.log(`requirements: A sample ${ra.sample ?? '?'}, B sample ${rb.sample ?? '?'}`);
    for (const d of r.differ) console.log(`  ≠ ${d.id} ${d.title}: A ${d.a}, B ${d.b}`);
    for (const id of r.onlyA) console.log(`  only in A: ${id}`);
    for (const id of r.onlyB) console.log(`  only in B: ${id}`);
    console.log(
      requirementsSame
        ? `  the same: ${r.same} requirements, the same verdicts`
        : `  different: ${r.same} the same, ${r.differ.length} with other verdicts, ${r.onlyA.length} only in A, ${r.onlyB.length} only in B`,
    );
  }
  const counts = (x: Record<string, number>) =>
    Object.entries(x)
      .sort()
      .map(([k, v]) => `${v} ${k}`)
      .join(', ') || 'no scenarios';
  console.log(`A ${relativeOrAbsolute(a)}: ${counts(c.counts.a)}`);
  console.log(`B ${relativeOrAbsolute(b)}: ${counts(c.counts.b)}`);
  for (const d of c.differ)
    console.log(`  ≠ ${d.name}: A ${d.a.verdict}, B ${d.b.verdict}${d.b.message ? ` (${d.b.message.split('\n')[0]})` : ''}`);
  for (const v of c.onlyA) console.log(`  only in A: ${v.name} (${v.status})`);
  for (const v of c.onlyB) console.log(`  only in B: ${v.name} (${v.status})`);
  console.log(
    identical(c)
      ? `identical: ${c.same} scenarios, the same verdicts`
      : `different: ${c.same} the same, ${c.differ.length} with other verdicts, ${c.onlyA.length} only in A, ${c.onlyB.length} only in B`,
  );
  return identical(c) && requirementsSame ? EXIT.OK : EXIT.NONCONFORMING;
}
