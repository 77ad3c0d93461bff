/** The application defects (model/defects/application.ts), composed onto a conforming COS. */
import type { APPLICATION_DEFECTS } from '../../model/defects/application.ts';
import type { Defect } from './compose.ts';

export const APPLICATION_DEFECT_IMPLEMENTATIONS: Record<(typeof APPLICATION_DEFECTS)[number]['id'], Defect> = {};
