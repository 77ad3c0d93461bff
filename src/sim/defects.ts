/**
 * Deliberate defects for the simulated card, applied by composition on top of
 * a conforming COS: a wrapped handler, a removed command, a rewritten status
 * word, a corrupted ATR. Labs use them to check that the scenarios catch what
 * they claim to catch, and test-card sets use them for defective cards.
 * A profile names them in `simulator.defects`; real cards ignore them.
 */
import type { DefectId } from '../model/defects.ts';
import type { Composition, Defect } from './defects/compose.ts';
import { APPLICATION_DEFECT_IMPLEMENTATIONS } from './defects/application.ts';
import { AUTHENTICATION_DEFECT_IMPLEMENTATIONS } from './defects/authentication.ts';
import { COS_DEFECT_IMPLEMENTATIONS } from './defects/cos.ts';
import { HOLDOUT_DEFECT_IMPLEMENTATIONS } from './defects/holdout.ts';
import { HOLDOUT_2_DEFECT_IMPLEMENTATIONS } from './defects/holdout-2.ts';

export type { Composition, Defect };

/** Every card defect of the catalogue (model/defects.ts), the hold-out set included, with its composition. */
export const DEFECTS: Record<DefectId, Defect> = {
  ...COS_DEFECT_IMPLEMENTATIONS,
  ...AUTHENTICATION_DEFECT_IMPLEMENTATIONS,
  ...APPLICATION_DEFECT_IMPLEMENTATIONS,
  ...HOLDOUT_DEFECT_IMPLEMENTATIONS,
  ...HOLDOUT_2_DEFECT_IMPLEMENTATIONS,
};

export function applyDefects(c: Composition, ids: readonly DefectId[]): Composition {
  for (const id of ids) DEFECTS[id].apply(c);
  return c;
}
