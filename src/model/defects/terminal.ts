/** Defects of the reference terminals (options of their configuration; see model/defects.ts). */
import type { DefectInfo } from './info.ts';

export const TERMINAL_DEFECTS = [] as const satisfies readonly DefectInfo[];
