/**
 * Profiling aid for a complete purchase of the reference financial terminal
 * against the simulator (CDA, offline PIN), for
 * `node --cpu-prof --import tsx bench/purchase-profile.ts [profile] [count]`.
 * Prints the time per purchase; asserts nothing.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../src/core/json.ts';
import { purchaseOn } from './kit.ts';

const file = join(PROJECT_ROOT, 'profiles', `${process.argv[2] ?? 'ssc-3.0-sm4'}.json`);
const count = Number(process.argv[3] ?? 200);
const { purchase, suite } = await purchaseOn(file);
for (let i = 0; i < 10; i++) await purchase();
const t0 = performance.now();
for (let i = 0; i < count; i++) await purchase();
console.log(`purchase (${suite}): ${((performance.now() - t0) / count).toFixed(2)} ms`);
