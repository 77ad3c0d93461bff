/**
 * Application command sets by environment name (profile `environment` marks).
 * The simulator gives each environment of a profile the command set
 * registered here under its name.
 */
import type { CommandTable } from '../context.ts';
import { PBOC_COMMANDS } from './pboc.ts';
import { PSAM_COMMANDS } from './psam.ts';
import { SSSE_COMMANDS } from './ssse.ts';

export const APPLICATION_COMMANDS: Record<string, CommandTable> = {
  SSSE: SSSE_COMMANDS,
  PSAM: PSAM_COMMANDS,
  PSE: PBOC_COMMANDS,
};
