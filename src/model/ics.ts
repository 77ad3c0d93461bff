/**
 * The implementation conformance statement (ICS): what a sample claims, as
 * its vendor signs it off (schemas/ics.schema.json). Requirements that depend
 * on something the ICS does not claim are not applicable to the sample, with
 * the ICS item as the reason — the rules below say which depend on what.
 */

export interface Ics {
  id: string;
  vendor: string;
  product: string;
  cos?: string;
  specVersion: '1.00' | '2.00' | '3.00';
  interfaces: ('contact' | 'contactless')[];
  suites: ('3des' | 'sm4')[];
  applications: { ssse: boolean; pboc: boolean };
  options?: { keyInfo?: boolean };
  keyVersions?: Record<string, number>;
  signedOffBy: { name: string; date: string };
}

/** One dependency: when the ICS does not claim `item`, the requirements matched are not applicable. */
interface IcsRule {
  /** The ICS item, as the reason names it. */
  item: string;
  claimed: (ics: Ics) => boolean;
  /** Requirement ids, or prefixes ending in '-'. */
  requirements: string[];
}

const RULES: IcsRule[] = [
  { item: 'applications.pboc', claimed: (i) => i.applications.pboc, requirements: ['CARD-PBOC-', 'TERM-FIN-', 'KEY-PBOC-', 'CARD-FW-07'] },
  { item: 'applications.ssse', claimed: (i) => i.applications.ssse, requirements: ['CARD-SSSE-', 'TERM-SS-'] },
  { item: 'suites: sm4', claimed: (i) => i.suites.includes('sm4'), requirements: ['CARD-PBOC-SM-01'] },
  { item: 'interfaces: contactless', claimed: (i) => i.interfaces.includes('contactless'), requirements: ['CARD-PBOC-SEL-03'] },
  { item: 'options.keyInfo', claimed: (i) => i.options?.keyInfo !== false, requirements: ['KEY-INFO-01'] },
];

const matches = (pattern: string, id: string) => (pattern.endsWith('-') ? id.startsWith(pattern) : id === pattern);

/** Per requirement the ICS makes not applicable, why: `ICS <id>: <item> not claimed`. */
export function icsExclusions(ics: Ics, requirementIds: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const rule of RULES) {
    if (rule.claimed(ics)) continue;
    for (const id of requirementIds)
      if (!out.has(id) && rule.requirements.some((p) => matches(p, id))) out.set(id, `ICS ${ics.id}: ${rule.item} not claimed`);
  }
  return out;
}
