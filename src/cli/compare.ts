/**
 * `ssc-lab compare DIR_A DIR_B`: the verdicts of two runs (their output
 * directories or their allure-results) side by side. Exit 0 when every
 * scenario is in both with the same verdict, 1 otherwise, 2 on usage errors.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compareVerdicts, identical, readVerdicts } from '../report/compare.ts';
import { EXIT, UsageError } from './errors.ts';
import { relativeOrAbsolute } from './run.ts';

export const COMPARE_USAGE = `Usage: ssc-lab compare DIR_A DIR_B

  Compares the scenario verdicts of two runs (each DIR is a run's --out directory or its
  allure-results). Exit code 0: the same scenarios with the same verdicts; 1: they differ
  (each difference is listed); 2: usage error.`;

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
  const [a, b] = argv.map((d) => resultsDir(resolve(d))) as [string, string];
  let c;
  try {
    c = compareVerdicts(readVerdicts(a), readVerdicts(b));
  } catch (e) {
    throw new UsageError(`compare: ${(e as Error).message}`);
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
  return identical(c) ? EXIT.OK : EXIT.NONCONFORMING;
}
