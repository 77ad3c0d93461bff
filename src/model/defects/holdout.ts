/**
 * The hold-out set: card defects written apart from the scenarios, by reading
 * the simulator and the standards only, to measure the suite on faults it was
 * not written against (`ssc-lab mutation --set holdout`). They are not part
 * of the default campaign, whose defects the scenarios were written to catch.
 */
import type { DefectInfo } from './info.ts';

export const HOLDOUT_DEFECTS = [] as const satisfies readonly DefectInfo[];
