/** The data sheet of a test card: what a conforming terminal decides with it (`cards/test-cards.json`, `expect`). */
export type Decision = 'accept' | 'refuse';
/** What the test card's data sheet says a conforming terminal does with the card's application. */
export type Expectation = Decision | 'any';

export interface CardExpectation {
  /** The social-security application (SSSE). */
  ssse: Expectation;
  /** The financial application (PSE / PBOC). */
  pse: Expectation;
  /** The card's offline data authentication fails (a bad certificate or signature): no offline approval. */
  oda?: 'fails';
}
