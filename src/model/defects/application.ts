/** Card defects of the applications: the firewall, the PBOC debit application, anti-tear of every write, life cycle (see model/defects.ts). */
import type { DefectInfo } from './info.ts';

export const APPLICATION_DEFECTS = [] as const satisfies readonly DefectInfo[];
