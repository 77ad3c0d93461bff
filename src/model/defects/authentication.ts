/** Card defects of authentication and PINs: state after a failure, near misses, freshness and replay (see model/defects.ts). */
import type { DefectInfo } from './info.ts';

export const AUTHENTICATION_DEFECTS = [] as const satisfies readonly DefectInfo[];
