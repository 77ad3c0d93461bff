/**
 * Entry point of `npm run fuzz -- [--count N] [--seed S] [--card ID]...` (command.ts).
 */
import { fuzzCommand } from './command.ts';

process.exitCode = await fuzzCommand(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
