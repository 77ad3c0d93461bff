/**
 * The requirement catalogue (`catalog/requirements.json`): every requirement
 * the product tests, with its source document and clause, area and severity.
 * Scenarios name requirements by `@req:<id>` tags; an id that is not in the
 * catalogue stops the run before anything executes.
 */
import { join } from 'node:path';
import { DataError, loadJson, PROJECT_ROOT } from '../core/json.ts';

export type Area = 'card' | 'terminal' | 'key-management';
export type Severity = 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial';

export interface Requirement {
  id: string;
  title: string;
  text: string;
  source: { document: string; clause: string };
  area: Area;
  group: string;
  severity: Severity;
  observed?: boolean;
  /** Scenarios (default) or checks on a terminal-under-test's APDU trace (`ssc-lab terminal-test`). */
  verifiedBy?: 'scenario' | 'trace';
}

export interface Catalogue {
  catalogue: string;
  version: string;
  documents: Record<string, { title: string; edition?: string; note?: string }>;
  requirements: Requirement[];
}

export const DEFAULT_CATALOGUE = join(PROJECT_ROOT, 'catalog', 'requirements.json');

export const AREA_TITLES: Record<Area, string> = {
  card: 'Card and COS',
  terminal: 'Terminals',
  'key-management': 'Key management',
};

export class RequirementIndex {
  private readonly byId: Map<string, Requirement>;
  constructor(readonly catalogue: Catalogue) {
    this.byId = new Map(catalogue.requirements.map((r) => [r.id, r]));
  }
  get(id: string): Requirement | undefined {
    return this.byId.get(id);
  }
  has(id: string): boolean {
    return this.byId.has(id);
  }
  get all(): Requirement[] {
    return this.catalogue.requirements;
  }
  documentTitle(key: string): string {
    return this.catalogue.documents[key]?.title ?? key;
  }
}

export function loadCatalogue(file: string = DEFAULT_CATALOGUE): RequirementIndex {
  const cat = loadJson<Catalogue>(file, 'requirements');
  const problems: string[] = [];
  const seen = new Set<string>();
  cat.requirements.forEach((r, i) => {
    if (seen.has(r.id)) problems.push(`/requirements/${i}/id: duplicate id ${r.id}`);
    seen.add(r.id);
    if (!(r.source.document in cat.documents)) {
      problems.push(`/requirements/${i}/source/document: "${r.source.document}" is not one of /documents`);
    }
  });
  if (problems.length) throw new DataError(file, problems);
  return new RequirementIndex(cat);
}

/** Tag namespaces a scenario may carry. */
export const REQ_TAG = /^@req:(.+)$/;
export const NEEDS_TAG = /^@needs:([a-z0-9-]+)$/;

export interface TaggedScenario {
  name: string;
  uri: string;
  line?: number;
  tags: string[];
}

export interface TagProblem {
  where: string;
  problem: string;
}

/**
 * Checks the tags of every scenario: each must name at least one catalogue
 * requirement; `@req:` ids must exist; any other tag must be in a known namespace.
 */
export function checkScenarioTags(scenarios: TaggedScenario[], index: RequirementIndex, capabilities: readonly string[]): TagProblem[] {
  const problems: TagProblem[] = [];
  for (const s of scenarios) {
    const where = `${s.uri}${s.line ? `:${s.line}` : ''} "${s.name}"`;
    let reqs = 0;
    for (const tag of s.tags) {
      const req = REQ_TAG.exec(tag);
      if (req) {
        reqs++;
        if (!index.has(req[1]!)) problems.push({ where, problem: `${tag} names no requirement in the catalogue` });
        continue;
      }
      const needs = NEEDS_TAG.exec(tag);
      if (needs) {
        if (!capabilities.includes(needs[1]!))
          problems.push({ where, problem: `${tag} names no known capability (${capabilities.join(', ')})` });
        continue;
      }
      problems.push({ where, problem: `${tag} is not a known tag (use @req:<id> or @needs:<capability>)` });
    }
    if (reqs === 0) problems.push({ where, problem: 'carries no @req:<id> tag' });
  }
  return problems;
}

/** The requirement ids a scenario's tags name, each once, in tag order: the first is the one it proves. */
export function requirementIds(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => REQ_TAG.exec(t)?.[1]).filter((x): x is string => x !== undefined))];
}

/**
 * Which scenarios prove which requirement. A scenario proves one requirement,
 * its primary one: the first `@req:` tag; the others it names are references
 * (it touches them, it does not prove them). `covered` counts the scenarios
 * whose primary requirement each one is, `referenced` the scenarios naming it
 * as a reference; `uncovered` lists the catalogue entries no scenario proves.
 */
export function coverage(
  scenarios: TaggedScenario[],
  index: RequirementIndex,
): { covered: Map<string, number>; referenced: Map<string, number>; uncovered: Requirement[] } {
  const covered = new Map<string, number>();
  const referenced = new Map<string, number>();
  for (const s of scenarios) {
    const ids = requirementIds(s.tags);
    ids.forEach((id, i) => {
      const m = i === 0 ? covered : referenced;
      m.set(id, (m.get(id) ?? 0) + 1);
    });
  }
  return { covered, referenced, uncovered: index.all.filter((r) => !covered.has(r.id)) };
}
