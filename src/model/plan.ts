/**
 * Run plans (plans/*.json, schemas/plan.schema.json): which requirements a run
 * tests, by id or by prefix; `ssc-lab run --plan NAME` runs the scenarios
 * that name them.
 */

export interface Plan {
  id: string;
  title: string;
  description?: string;
  /** Requirement ids, or prefixes ending in '-'. */
  requirements: string[];
}

/** The catalogue ids a plan selects, and the plan's entries that select none (a typo, a requirement gone). */
export function planRequirements(plan: Plan, ids: readonly string[]): { selected: string[]; unmatched: number[] } {
  const selected = new Set<string>();
  const unmatched: number[] = [];
  plan.requirements.forEach((p, i) => {
    const hits = ids.filter((id) => (p.endsWith('-') ? id.startsWith(p) : id === p));
    if (hits.length === 0) unmatched.push(i);
    for (const id of hits) selected.add(id);
  });
  return { selected: ids.filter((id) => selected.has(id)), unmatched };
}

/** A cucumber tag expression for the scenarios that name any of `ids`. */
export function planTagExpression(ids: readonly string[]): string {
  return ids.map((id) => `@req:${id}`).join(' or ');
}
