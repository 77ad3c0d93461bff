import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRequirements, planTagExpression } from './plan.ts';

test('a plan selects catalogue ids by id and by prefix, and tells which of its entries select nothing', () => {
  const ids = ['CARD-PBOC-AC-01', 'CARD-PBOC-SEL-01', 'CARD-RB-01', 'TERM-FIN-02'];
  const r = planRequirements({ id: 'p', title: 't', requirements: ['CARD-PBOC-', 'TERM-FIN-02', 'CARD-NOPE-'] }, ids);
  assert.deepEqual(r, { selected: ['CARD-PBOC-AC-01', 'CARD-PBOC-SEL-01', 'TERM-FIN-02'], unmatched: [2] });
  assert.equal(planTagExpression(r.selected.slice(0, 2)), '@req:CARD-PBOC-AC-01 or @req:CARD-PBOC-SEL-01');
});
