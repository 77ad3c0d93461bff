/**
 * The INS → handler table of the simulated COS. Applications (SSSE, PSE) and
 * security commands extend it by composition: `new Map([...BASE_COMMANDS, ...more])`.
 */
import type { CommandSpec } from '../card.ts';
import { getResponse } from './get-response.ts';
import { readBinary } from './read-binary.ts';
import { readRecord } from './read-record.ts';
import { select } from './select.ts';

/** Interindustry and proprietary-with-interindustry-coding CLAs. */
export const CLA_INTERINDUSTRY = [0x00] as const;

export const BASE_COMMANDS: ReadonlyMap<number, CommandSpec> = new Map<number, CommandSpec>([
  [0xa4, { name: 'SELECT', cla: CLA_INTERINDUSTRY, handler: select }],
  [0xb0, { name: 'READ BINARY', cla: CLA_INTERINDUSTRY, handler: readBinary }],
  [0xb2, { name: 'READ RECORD', cla: CLA_INTERINDUSTRY, handler: readRecord }],
  [0xc0, { name: 'GET RESPONSE', cla: CLA_INTERINDUSTRY, handler: getResponse, keepsPending: true }],
]);
