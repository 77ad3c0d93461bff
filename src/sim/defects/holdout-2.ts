/** The second hold-out set (model/defects/holdout-2.ts), composed onto a conforming COS. */
import type { HOLDOUT_2_DEFECTS } from '../../model/defects/holdout-2.ts';
import type { Defect } from './compose.ts';

export const HOLDOUT_2_DEFECT_IMPLEMENTATIONS: Record<(typeof HOLDOUT_2_DEFECTS)[number]['id'], Defect> = {};
