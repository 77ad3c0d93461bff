/**
 * The results of a mutation campaign (`ssc-lab mutation`): per deliberate
 * defect (model/defects.ts) the verdict the suite gave it, judged from the
 * scenario verdicts of the run model (verdicts.ts), exactly as a run judges:
 *
 *   caught       at least one scenario non-conforming: the suite names the fault as a requirement broken
 *   broken-only  no scenario non-conforming but some inconclusive: the fault shows only as a tool or set-up error
 *   survived     every scenario passed (or was not applicable): the suite did not see the fault
 *
 * The mutation score is caught / all. The outputs: a console table,
 * `mutation.json`, `mutation.md` and one Allure result per defect (epic
 * "Suite strength", feature = defect class, story = defect id).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DefectInfo } from '../model/defects.ts';
import type { ScenarioResult } from './verdicts.ts';

export type DefectKind = 'card' | 'terminal';
export type DefectVerdict = 'caught' | 'broken-only' | 'survived';

/** A defect of the campaign: its catalogue entry and where it is applied. */
export interface CampaignDefect extends DefectInfo {
  kind: DefectKind;
}

/** What the suite made of one defect. */
export interface DefectOutcome {
  id: string;
  kind: DefectKind;
  class: string;
  rule: string;
  /** The requirements the catalogue expects to catch it. */
  expected: string[];
  verdict: DefectVerdict;
  /** The requirements of the non-conforming scenarios: those that caught it. */
  caughtBy: string[];
  /** Caught by every expected requirement (false when the catalogue expects none). */
  asExpected: boolean;
  /** Expected requirements that did not catch it. */
  missedExpected: string[];
  /** How far the campaign had to go: the scenarios of the expected requirements only, or the whole suite too. */
  phase: 'expected' | 'suite';
  /** The profiles it ran on, in order (paths as given), and the one whose run caught it. */
  profiles: string[];
  caughtOn?: string;
  scenariosRun: number;
  nonConforming: number;
  broken: number;
  /** The first non-conforming (else broken) scenario, with why. */
  first?: { scenario: string; uri: string; reason?: string };
  seconds: number;
}

/** The verdict and the catching requirements from the scenarios run against a defect. */
export function judgeDefect(
  scenarios: readonly Pick<ScenarioResult, 'verdict' | 'requirements' | 'name' | 'uri' | 'reason'>[],
): Pick<DefectOutcome, 'verdict' | 'caughtBy' | 'nonConforming' | 'broken' | 'first'> {
  const nc = scenarios.filter((s) => s.verdict === 'non-conforming');
  const broken = scenarios.filter((s) => s.verdict === 'inconclusive' || s.verdict === 'undefined');
  const verdict: DefectVerdict = nc.length ? 'caught' : broken.length ? 'broken-only' : 'survived';
  const caughtBy = [...new Set(nc.flatMap((s) => s.requirements))].sort();
  const f = nc[0] ?? broken[0];
  return {
    verdict,
    caughtBy,
    nonConforming: nc.length,
    broken: broken.length,
    ...(f ? { first: { scenario: f.name, uri: f.uri, ...(f.reason ? { reason: f.reason } : {}) } } : {}),
  };
}

/** The outcome of a defect from the catalogue entry and the judgement of its scenarios. */
export function defectOutcome(
  d: CampaignDefect,
  judged: ReturnType<typeof judgeDefect>,
  run: { phase: DefectOutcome['phase']; profiles: string[]; caughtOn?: string; scenariosRun: number; seconds: number },
): DefectOutcome {
  const missedExpected = d.requirements.filter((r) => !judged.caughtBy.includes(r));
  return {
    id: d.id,
    kind: d.kind,
    class: d.class,
    rule: d.rule,
    expected: [...d.requirements],
    ...judged,
    asExpected: d.requirements.length > 0 && missedExpected.length === 0,
    missedExpected,
    ...run,
  };
}

export interface CampaignSummary {
  defects: number;
  card: number;
  terminal: number;
  caught: number;
  brokenOnly: number;
  survived: number;
  /** caught / defects (1 for an empty campaign). */
  score: number;
}

export function summarise(outcomes: readonly DefectOutcome[]): CampaignSummary {
  const n = (v: DefectVerdict) => outcomes.filter((o) => o.verdict === v).length;
  const caught = n('caught');
  return {
    defects: outcomes.length,
    card: outcomes.filter((o) => o.kind === 'card').length,
    terminal: outcomes.filter((o) => o.kind === 'terminal').length,
    caught,
    brokenOnly: n('broken-only'),
    survived: n('survived'),
    score: outcomes.length ? caught / outcomes.length : 1,
  };
}

export function scoreLine(s: CampaignSummary): string {
  const score = `mutation score ${(s.score * 100).toFixed(1)}%`;
  return `${score}: ${s.caught} of ${s.defects} defects caught, ${s.brokenOnly} broken-only, ${s.survived} survived`;
}

/** The figure of the campaign's speed. */
export function figureLine(s: CampaignSummary, seconds: number): string {
  return `${s.defects} defects (${s.card} card, ${s.terminal} terminal) in ${seconds.toFixed(1)} s`;
}

const MARK: Record<DefectVerdict, string> = { caught: '✓', 'broken-only': '!', survived: '✗' };

/** What the last column says: the catching requirements, and the expected ones that did not catch. */
function caughtText(o: DefectOutcome): string {
  if (o.verdict !== 'caught')
    return o.first?.reason ? `— ${o.first.reason}` : o.expected.length ? `(expected ${o.expected.join(', ')})` : '';
  const missed = o.expected.length && o.missedExpected.length ? ` (expected, not catching: ${o.missedExpected.join(', ')})` : '';
  const shown = o.caughtBy.length > 6 ? `${o.caughtBy.slice(0, 6).join(', ')} and ${o.caughtBy.length - 6} more` : o.caughtBy.join(', ');
  return `${shown}${missed}`;
}

/** The console table: defect, kind, verdict, requirements that caught it. */
export function consoleTable(outcomes: readonly DefectOutcome[]): string {
  const w = Math.max(6, ...outcomes.map((o) => o.id.length));
  const lines = [`  ${'defect'.padEnd(w)}  kind      verdict      caught by`];
  for (const o of outcomes) {
    lines.push(`${MARK[o.verdict]} ${o.id.padEnd(w)}  ${o.kind.padEnd(8)}  ${o.verdict.padEnd(11)}  ${caughtText(o)}`);
  }
  return lines.join('\n');
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `mutation.md`: the score and the table in Markdown. */
export function markdownReport(outcomes: readonly DefectOutcome[], meta: { profile: string; seconds: number }): string {
  const s = summarise(outcomes);
  const lines = [
    '# Suite strength: mutation campaign',
    '',
    `Profile \`${meta.profile}\`. ${scoreLine(s)}. ${figureLine(s, meta.seconds)}.`,
    '',
    '| defect | kind | class | verdict | caught by | expected | as expected | profile | scenarios | s |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const o of outcomes) {
    const why = o.verdict === 'caught' ? o.caughtBy.join(', ') : (o.first?.reason ?? '');
    lines.push(
      `| ${[
        `\`${o.id}\``,
        o.kind,
        o.class,
        `${MARK[o.verdict]} ${o.verdict}`,
        mdCell(why),
        o.expected.join(', '),
        o.asExpected ? 'yes' : o.expected.length ? 'no' : '—',
        mdCell(o.caughtOn ?? o.profiles.join(', ')),
        String(o.scenariosRun),
        o.seconds.toFixed(1),
      ].join(' | ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `mutation.json`: the campaign, machine-readable. */
export function campaignJson(
  outcomes: readonly DefectOutcome[],
  meta: { profile: string; started: string; seconds: number; tool: string },
): string {
  return `${JSON.stringify({ ...meta, summary: summarise(outcomes), defects: outcomes }, null, 2)}\n`;
}

const ALLURE_STATUS: Record<DefectVerdict, 'passed' | 'failed' | 'broken'> = {
  caught: 'passed',
  survived: 'failed',
  'broken-only': 'broken',
};

/**
 * One Allure result per defect in `dir` (created): passed when caught, failed
 * when it survived, broken when it only broke scenarios; epic "Suite
 * strength", feature = the defect's class, story = its id.
 */
export function writeAllureResults(dir: string, outcomes: readonly DefectOutcome[], startedMs: number): void {
  mkdirSync(dir, { recursive: true });
  let at = startedMs;
  for (const o of outcomes) {
    const uuid = randomUUID();
    const start = at;
    at += Math.round(o.seconds * 1000);
    const message =
      o.verdict === 'caught'
        ? `caught by ${o.caughtBy.join(', ')}${o.missedExpected.length ? `; expected, not catching: ${o.missedExpected.join(', ')}` : ''}`
        : o.verdict === 'survived'
          ? `survived ${o.scenariosRun} scenarios: no scenario saw the defect`
          : `no scenario non-conforming; ${o.broken} broken${o.first?.reason ? `: ${o.first.reason}` : ''}`;
    const result = {
      uuid,
      historyId: `mutation:${o.id}`,
      testCaseId: `mutation:${o.id}`,
      name: `${o.id} (${o.kind} defect)`,
      fullName: `mutation#${o.id}`,
      status: ALLURE_STATUS[o.verdict],
      statusDetails: { message },
      stage: 'finished',
      description: o.rule,
      start,
      stop: at,
      labels: [
        { name: 'epic', value: 'Suite strength' },
        { name: 'feature', value: o.class },
        { name: 'story', value: o.id },
        { name: 'tag', value: `${o.kind}-defect` },
        ...o.caughtBy.map((r) => ({ name: 'requirement', value: r })),
      ],
      parameters: [
        { name: 'kind', value: o.kind },
        { name: 'profile', value: o.caughtOn ?? o.profiles.join(', ') },
        { name: 'expected requirements', value: o.expected.join(', ') || '—' },
        { name: 'scenarios run', value: String(o.scenariosRun) },
      ],
      steps: [],
      attachments: [],
    };
    writeFileSync(join(dir, `${uuid}-result.json`), JSON.stringify(result));
  }
}
