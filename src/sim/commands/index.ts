/**
 * The INS → handler table of the simulated COS. Applications (SSSE, PSE)
 * extend it by composition: `new Map([...COS_COMMANDS, ...more])`.
 */
import type { CommandSpec } from '../context.ts';
import { externalAuthenticate, getChallenge, getKeyInfo, verify } from './authentication.ts';
import { getResponse } from './get-response.ts';
import { activateFile, createFile, deleteFile, writeKey, writeKeyAuthority } from './management.ts';
import { readBinary } from './read-binary.ts';
import { readRecord } from './read-record.ts';
import { select } from './select.ts';
import { appendRecord, updateBinary, updateMacKey, updateRecord } from './update.ts';

/** Interindustry CLA, and interindustry with secure messaging (ISO/IEC 7816-4 §5.1.1). */
export const CLA_PLAIN = [0x00] as const;
export const CLA_PLAIN_OR_SM = [0x00, 0x04] as const;
/** Proprietary CLA, and proprietary with secure messaging. */
export const CLA_PROPRIETARY = [0x80] as const;
export const CLA_PROPRIETARY_OR_SM = [0x80, 0x84] as const;

const updateSm = { required: false, key: updateMacKey };

export const COS_COMMANDS: ReadonlyMap<number, CommandSpec> = new Map<number, CommandSpec>([
  [0xa4, { name: 'SELECT', cla: CLA_PLAIN, handler: select }],
  [0xb0, { name: 'READ BINARY', cla: CLA_PLAIN, handler: readBinary }],
  [0xb2, { name: 'READ RECORD', cla: CLA_PLAIN, handler: readRecord }],
  [0xc0, { name: 'GET RESPONSE', cla: CLA_PLAIN, handler: getResponse, keepsPending: true }],
  [0x84, { name: 'GET CHALLENGE', cla: CLA_PLAIN, handler: getChallenge }],
  [0x82, { name: 'EXTERNAL AUTHENTICATE', cla: CLA_PLAIN, handler: externalAuthenticate }],
  [0x20, { name: 'VERIFY', cla: CLA_PLAIN, handler: verify }],
  [0xd6, { name: 'UPDATE BINARY', cla: CLA_PLAIN_OR_SM, handler: updateBinary, sm: updateSm }],
  [0xdc, { name: 'UPDATE RECORD', cla: CLA_PLAIN_OR_SM, handler: updateRecord, sm: updateSm }],
  [0xe2, { name: 'APPEND RECORD', cla: CLA_PLAIN_OR_SM, handler: appendRecord, sm: updateSm }],
  [0xd4, { name: 'WRITE KEY', cla: CLA_PROPRIETARY_OR_SM, handler: writeKey, sm: { required: true, key: writeKeyAuthority } }],
  [0xe0, { name: 'CREATE FILE', cla: CLA_PROPRIETARY, handler: createFile }],
  [0xe4, { name: 'DELETE FILE', cla: CLA_PROPRIETARY, handler: deleteFile }],
  [0x44, { name: 'ACTIVATE FILE', cla: CLA_PLAIN, handler: activateFile }],
  [0xca, { name: 'GET KEY INFO', cla: CLA_PROPRIETARY, handler: getKeyInfo }],
]);

/** The interindustry subset (SELECT, READ BINARY, READ RECORD, GET RESPONSE). */
export const BASE_COMMANDS: ReadonlyMap<number, CommandSpec> = new Map(
  [...COS_COMMANDS].filter(([ins]) => [0xa4, 0xb0, 0xb2, 0xc0].includes(ins)),
);
