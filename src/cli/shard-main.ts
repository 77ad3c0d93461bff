/**
 * The entry of a shard's child process (`ssc-lab run --parallel N`, shards.ts):
 * only what a shard needs is loaded — cucumber's step matching set up first
 * (step-matching.ts), then the shard's side of the run — not every command of
 * `main.ts`.
 */
import './step-matching.ts';
import { shardCommand } from './shards.ts';

process.exitCode = await shardCommand();
