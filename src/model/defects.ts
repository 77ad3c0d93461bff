/**
 * The deliberate defects the simulator can be built with, by id: profiles and
 * test cards name them (`simulator.defects`, schema enum), `sim/defects.ts`
 * composes each one onto a conforming COS.
 */
export const DEFECT_IDS = [
  'file-not-found-as-wrong-data',
  'read-binary-ignores-offset',
  'no-partial-name-selection',
  'no-get-response',
  'bad-atr-checksum',
  'unknown-cla-accepted',
  'no-anti-tear',
  'late-try-counter',
  'firewall-keeps-security-state',
] as const;

export type DefectId = (typeof DEFECT_IDS)[number];
