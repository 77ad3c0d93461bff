/**
 * The fixture of a card sample that only a simulated card offers (in-process,
 * or served through vpcd with fixture control): cutting the power at a chosen
 * persistent write, for anti-tear scenarios. A real card in a reader has none.
 */
/** What only a simulated card offers to scenarios. */
export interface SimulatorControl {
  /** Cut the power at the k-th persistent write of the next command with instruction `ins`. */
  armTear(k: number, ins?: number): Promise<void>;
}
