/**
 * Profiling aid for the in-process card path: sends one kind of APDU in a
 * loop through a recorded card session on the simulator, for
 * `node --cpu-prof --import tsx bench/apdu-profile.ts [kind] [count] [clear-every]`
 * (the recorder's log is emptied every `clear-every` commands, default 10 000).
 * Prints the rate; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { CardSession } from '../src/channel/session.ts';
import { DEFAULT_PROFILE, loadProfile } from '../src/lab/profile.ts';
import { openTarget } from '../src/lab/target.ts';

const kind = process.argv[2] ?? 'challenge';
const count = Number(process.argv[3] ?? 200_000);
const clearEvery = Number(process.argv[4] ?? 10_000);
const profile = loadProfile(DEFAULT_PROFILE);
const { channel } = await openTarget({ target: 'sim', profile, profileFile: DEFAULT_PROFILE });
const session = new CardSession(channel);
const pse = new TextEncoder().encode('1PAY.SYS.DDF01');
await session.selectName(pse);
const record = await session.readRecord(1, { sfi: 1 });
const ops: Record<string, () => Promise<unknown>> = {
  challenge: () => session.sendHex('0084000008'),
  record: () => session.readRecord(1, { sfi: 1, le: record.data.length }),
  'record-6c': () => session.readRecord(1, { sfi: 1 }),
  select: () => session.selectName(pse),
  missing: () => session.readRecord(1, { sfi: 5 }),
};
const op = ops[kind];
if (!op) throw new Error(`unknown kind ${kind}: ${Object.keys(ops).join(', ')}`);
for (let i = 0; i < 5000; i++) await op();
session.recorder.clear();
const t0 = performance.now();
for (let i = 0; i < count; i++) {
  await op();
  if (i % clearEvery === clearEvery - 1) session.recorder.clear();
}
const ms = performance.now() - t0;
console.log(
  `${kind}: ${(count / (ms / 1000)).toFixed(0)} op/s, ${((ms * 1000) / count).toFixed(2)} µs/op (record ${record.sw.toString(16)}, ${record.data.length} bytes)`,
);
