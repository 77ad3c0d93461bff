/**
 * What the browser test expects to see, read from a run's Allure results
 * (`OUT/allure-results/*-result.json`): per scenario its name, status,
 * message, tree labels (epic = area, feature = group, story = "<REQ-ID>
 * <title>"), requirement labels, links and attachment names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ScenarioSeen {
  name: string;
  status: string;
  message: string;
  epic: string;
  feature: string;
  story: string;
  requirements: string[];
  links: { name: string; url: string }[];
  attachments: string[];
}

interface RawResult {
  name?: string;
  status?: string;
  statusDetails?: { message?: string };
  labels?: { name: string; value: string }[];
  links?: { name?: string; url: string }[];
  attachments?: { name: string }[];
  steps?: RawResult[];
}

function attachmentNames(r: RawResult): string[] {
  return [...(r.attachments ?? []).map((a) => a.name), ...(r.steps ?? []).flatMap(attachmentNames)];
}

export function scenarioOf(raw: RawResult): ScenarioSeen {
  const labels = raw.labels ?? [];
  const label = (name: string) => labels.find((l) => l.name === name)?.value ?? '';
  return {
    name: raw.name ?? '',
    status: raw.status ?? 'unknown',
    message: raw.statusDetails?.message ?? '',
    epic: label('epic'),
    feature: label('feature'),
    story: label('story'),
    requirements: labels.filter((l) => l.name === 'requirement').map((l) => l.value),
    links: (raw.links ?? []).map((l) => ({ name: l.name ?? '', url: l.url })),
    attachments: attachmentNames(raw),
  };
}

/** Every scenario result of a run's output directory, by name. */
export function readScenarios(outDir: string): ScenarioSeen[] {
  const dir = join(outDir, 'allure-results');
  return readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => scenarioOf(JSON.parse(readFileSync(join(dir, f), 'utf8')) as RawResult))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The first scenario (by name) whose story is the requirement's, i.e. whose primary requirement it is. */
export function scenarioProving(scenarios: readonly ScenarioSeen[], requirement: string): ScenarioSeen | undefined {
  return scenarios.find((s) => s.story.startsWith(`${requirement} `));
}
