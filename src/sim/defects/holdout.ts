/** The hold-out defects (model/defects/holdout.ts), composed onto a conforming COS. */
import type { HOLDOUT_DEFECTS } from '../../model/defects/holdout.ts';
import type { Defect } from './compose.ts';

export const HOLDOUT_DEFECT_IMPLEMENTATIONS: Record<(typeof HOLDOUT_DEFECTS)[number]['id'], Defect> = {};
