/**
 * The deliberate defects of the mutation campaign, as data: each one a named
 * option of the simulator (card defects, composed onto a conforming COS by
 * `sim/defects.ts`) or of a reference terminal (terminal defects), with the
 * rule it breaks and the catalogue requirements whose scenarios are expected
 * to catch it. Profiles and test cards name card defects in
 * `simulator.defects`; `ssc-lab mutation` runs the suite against each one.
 * The catalogue is split by defect class into `model/defects/*.ts`.
 */
import { APPLICATION_DEFECTS } from './defects/application.ts';
import { AUTHENTICATION_DEFECTS } from './defects/authentication.ts';
import { COS_DEFECTS } from './defects/cos.ts';
import { HOLDOUT_DEFECTS } from './defects/holdout.ts';
import { HOLDOUT_2_DEFECTS } from './defects/holdout-2.ts';
import type { DefectClass, DefectInfo } from './defects/info.ts';
import { TERMINAL_DEFECTS } from './defects/terminal.ts';

export type { DefectClass, DefectInfo };

/** The ids of a list of defects. */
type IdOf<T> = T extends readonly (infer D)[] ? (D extends { id: infer I } ? I : never) : never;

/** The card defects of the campaign: the ones the scenarios were written to catch. */
export const CARD_DEFECTS = [...COS_DEFECTS, ...AUTHENTICATION_DEFECTS, ...APPLICATION_DEFECTS] as const;

/** The hold-out set (model/defects/holdout.ts): written apart from the scenarios, run with `ssc-lab mutation --set holdout`. */
export { HOLDOUT_DEFECTS, HOLDOUT_2_DEFECTS };

/** Every card defect a profile may name: the campaign's and the hold-out sets. */
const ALL_CARD_DEFECTS = [...CARD_DEFECTS, ...HOLDOUT_DEFECTS, ...HOLDOUT_2_DEFECTS] as const;

export const DEFECT_IDS: readonly DefectId[] = ALL_CARD_DEFECTS.map((d) => d.id);

/** The id of a card (simulator) defect. */
export type DefectId = IdOf<typeof ALL_CARD_DEFECTS>;

export { TERMINAL_DEFECTS };

export const TERMINAL_DEFECT_IDS: readonly TerminalDefectId[] = TERMINAL_DEFECTS.map((d: DefectInfo) => d.id as TerminalDefectId);

/** The id of a reference-terminal defect. */
export type TerminalDefectId = IdOf<typeof TERMINAL_DEFECTS>;

export function isDefectId(id: string): id is DefectId {
  return (DEFECT_IDS as readonly string[]).includes(id);
}

export function isTerminalDefectId(id: string): id is TerminalDefectId {
  return (TERMINAL_DEFECT_IDS as readonly string[]).includes(id);
}

export function defectInfo(id: DefectId | TerminalDefectId): DefectInfo {
  const d = ([...ALL_CARD_DEFECTS, ...TERMINAL_DEFECTS] as readonly DefectInfo[]).find((x) => x.id === id);
  if (!d) throw new RangeError(`no defect "${id}"`);
  return d;
}
