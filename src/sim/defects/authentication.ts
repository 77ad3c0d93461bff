/** The authentication defects (model/defects/authentication.ts), composed onto a conforming COS. */
import type { AUTHENTICATION_DEFECTS } from '../../model/defects/authentication.ts';
import type { Defect } from './compose.ts';

export const AUTHENTICATION_DEFECT_IMPLEMENTATIONS: Record<(typeof AUTHENTICATION_DEFECTS)[number]['id'], Defect> = {};
