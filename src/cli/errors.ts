/** Exit codes of every ssc-lab command. */
export const EXIT = {
  /** Everything ran and conformed. */
  OK: 0,
  /** The run completed and found non-conformities (or broken scenarios). */
  NONCONFORMING: 1,
  /** Usage or configuration error: nothing was run. */
  USAGE: 2,
} as const;

/** A usage or configuration problem, reported in one line with exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
