/**
 * The hold-out defects (model/defects/holdout.ts), composed onto a conforming
 * COS: those of the COS and the social-security application in
 * holdout-cos.ts, those of the PBOC debit application in holdout-pboc.ts.
 */
import type { HOLDOUT_DEFECTS } from '../../model/defects/holdout.ts';
import type { Defect } from './compose.ts';
import { HOLDOUT_COS_DEFECTS } from './holdout-cos.ts';
import { HOLDOUT_PBOC_DEFECTS } from './holdout-pboc.ts';

export const HOLDOUT_DEFECT_IMPLEMENTATIONS: Record<(typeof HOLDOUT_DEFECTS)[number]['id'], Defect> = {
  ...HOLDOUT_COS_DEFECTS,
  ...HOLDOUT_PBOC_DEFECTS,
};
