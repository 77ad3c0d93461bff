/**
 * The second hold-out set (model/defects/holdout-2.ts), composed onto a
 * conforming COS: those of the COS and the social-security application in
 * holdout-2-cos.ts, those of the PBOC debit application in holdout-2-pboc.ts.
 */
import type { HOLDOUT_2_DEFECTS } from '../../model/defects/holdout-2.ts';
import type { Defect } from './compose.ts';
import { HOLDOUT_2_COS_DEFECTS } from './holdout-2-cos.ts';
import { HOLDOUT_2_PBOC_DEFECTS } from './holdout-2-pboc.ts';

export const HOLDOUT_2_DEFECT_IMPLEMENTATIONS: Record<(typeof HOLDOUT_2_DEFECTS)[number]['id'], Defect> = {
  ...HOLDOUT_2_COS_DEFECTS,
  ...HOLDOUT_2_PBOC_DEFECTS,
};
