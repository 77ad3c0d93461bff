/**
 * The second hold-out set: like model/defects/holdout.ts, card defects written
 * from the simulator and the standards without reading the scenarios, after
 * the scenarios had been strengthened against the first set — a fresh measure
 * (`ssc-lab mutation --set holdout-2`).
 */
import type { DefectInfo } from './info.ts';

export const HOLDOUT_2_DEFECTS = [] as const satisfies readonly DefectInfo[];
