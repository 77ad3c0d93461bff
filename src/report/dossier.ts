/**
 * The dossier a lab signs: `DIR/dossier/` next to a run's results, with the
 * traceability matrix, a single-file summary a reviewer opens without a
 * server (HTML, and PDF printed by a headless Chromium), copies of the inputs, and `MANIFEST.sha256` — the SHA-256 of every
 * file of the run's output directory (results, attachments, JUnit, coverage,
 * matrix, the HTML report, the dossier itself) in `sha256sum` format, so that
 * `sha256sum -c` checks it too — with a detached CMS signature of the
 * manifest by the lab's key (`MANIFEST.sha256.p7s`). `ssc-lab verify` checks
 * the signature and names every file added, removed or changed since.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { type LabKey, type SignatureCheck, signDetached, verifyDetached } from '../crypto/cms.ts';
import type { Matrix } from './matrix.ts';
import { identityText } from '../model/identity.ts';
import { type PdfResult, htmlToPdf } from './pdf.ts';

export const DOSSIER_DIR = 'dossier';
export const MANIFEST = 'MANIFEST.sha256';
export const SIGNATURE = 'MANIFEST.sha256.p7s';

/** Every file under `root`, as paths relative to it with `/`, sorted; `skip` leaves some out. */
export function filesUnder(root: string, skip: (rel: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      const rel = relative(root, abs).split(sep).join('/');
      if (skip(rel)) continue;
      if (statSync(abs).isDirectory()) walk(abs);
      else out.push(rel);
    }
  };
  walk(root);
  return out.sort();
}

function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The manifest and its signature are not in the manifest. */
const notInManifest = (rel: string) => rel === `${DOSSIER_DIR}/${MANIFEST}` || rel === `${DOSSIER_DIR}/${SIGNATURE}`;

/** The manifest of `root`: one `sha256  path` line per file (the `sha256sum` format), sorted by path. */
export function manifestOf(root: string): string {
  return filesUnder(root, notInManifest)
    .map((rel) => `${sha256Of(join(root, rel))}  ${rel}\n`)
    .join('');
}

function parseManifest(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match) m.set(match[2]!, match[1]!);
  }
  return m;
}

/** The summary a reviewer reads first: who, what, the verdicts, and every requirement that did not pass. */
export function summaryHtml(m: Matrix): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const meta = m.metadata;
  const notPassed = m.requirements.filter(
    (r) => r.verdict === 'failed' || r.verdict === 'inconclusive' || r.verdict === 'no-scenario' || r.verdict === 'not-run',
  );
  const counts = Object.entries(m.summary)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `<li>${esc(v)}: ${n}</li>`)
    .join('');
  const findings = notPassed
    .map((r) => {
      const bad = r.proving.filter((s) => s.verdict !== 'passed' && s.verdict !== 'not-applicable');
      return `<tr><td><b>${esc(r.id)}</b> ${esc(r.title)}</td><td>${esc(r.verdict)}</td><td>${esc(r.source)}</td><td><ul>${bad
        .map((s) => `<li>${esc(s.name)}${s.reason ? ` — ${esc(s.reason)}` : ''}</li>`)
        .join('')}</ul></td></tr>`;
    })
    .join('\n');
  // why each requirement does not apply: the distinct reasons of its scenarios (the ICS item, or what the target lacks)
  const notApplicable = m.requirements
    .filter((r) => r.verdict === 'not-applicable')
    .map((r) => {
      const why = [...new Set(r.proving.map((s) => s.reason).filter((x) => x !== undefined))];
      return `<tr><td><b>${esc(r.id)}</b> ${esc(r.title)}</td><td>${esc(why.join('; ') || 'no scenario applies')}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Conformance summary — sample ${esc(meta.sampleId)}</title>
<style>body{font-family:sans-serif,"WenQuanYi Zen Hei";margin:2em;max-width:60em}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}th{background:#eee}</style></head><body>
<h1>Conformance summary</h1>
<p>Sample <b>${esc(meta.sampleId)}</b>${meta.lab ? `, tested by ${esc(meta.lab)}` : ''}${meta.operator ? ` (${esc(meta.operator)})` : ''},
${esc(meta.started)} to ${esc(meta.finished)}, with ssc-lab ${esc(meta.tool.version)}${meta.tool.commit ? ` (commit ${esc(meta.tool.commit)})` : ''}.</p>
${meta.vendor || meta.cos ? `<p>Vendor ${esc(meta.vendor ?? '(not stated)')}${meta.cos ? `, COS ${esc(meta.cos)}` : ''}.</p>` : ''}
${meta.identity && identityText(meta.identity) ? `<p>Card identity read from the card: ${esc(identityText(meta.identity)!)}.</p>` : ''}
<p>Target ${esc(meta.target)}, reader ${esc(meta.reader)}, ATR ${esc(meta.atr)} (${esc(meta.protocol)}); profile ${esc(meta.profile.id)}
(${esc(meta.profile.file)}, specification ${esc(meta.profile.specVersion)}, SHA-256 ${esc(meta.profile.sha256)}); catalogue
${esc(meta.catalogue.name)} ${esc(meta.catalogue.version)} (SHA-256 ${esc(meta.catalogue.sha256)}).${meta.selection ? ` Selection: ${esc(meta.selection)}.` : ''}</p>
<h2>Requirements</h2><ul id="counts">${counts}</ul>
<h2>Requirements not passed</h2>
${notPassed.length ? `<table><thead><tr><th>Requirement</th><th>Verdict</th><th>Source</th><th>Scenarios</th></tr></thead><tbody>\n${findings}\n</tbody></table>` : '<p>None.</p>'}
<h2>Requirements not applicable</h2>
${notApplicable.length ? `<table><thead><tr><th>Requirement</th><th>Why</th></tr></thead><tbody>\n${notApplicable}\n</tbody></table>` : '<p>None.</p>'}
<p>The full matrix is <code>matrix.html</code> beside this file (and <code>matrix.csv</code>, <code>matrix.json</code>); every file of the run is listed with its SHA-256 in
<code>${MANIFEST}</code>, signed in <code>${SIGNATURE}</code> (<code>ssc-lab verify</code>, or <code>sha256sum -c</code> and
<code>openssl cms -verify</code>).</p>
</body></html>
`;
}

export interface DossierInput {
  /** A name for the copy under `dossier/inputs/`. */
  name: string;
  file: string;
}

export interface WrittenDossier {
  dir: string;
  files: number;
  signed: boolean;
  /** `summary.pdf` written, or why not. */
  pdf: PdfResult;
}

export interface DossierOptions {
  /** The lab's key: the manifest is signed with it. */
  key?: LabKey;
  /** Renders the summary's PDF (default: headless Chromium, pdf.ts); `false`: no PDF. */
  pdf?: ((htmlFile: string, pdfFile: string) => Promise<PdfResult>) | false;
}

/**
 * Writes `outDir/dossier/` for a run whose results are in `outDir`: matrix,
 * summary (HTML, and PDF where a Chromium can print it), inputs, then the
 * manifest of the whole output directory and, with a lab key, its signature.
 * Call it last: a file written afterwards shows as added.
 */
export async function writeDossier(
  outDir: string,
  matrix: Matrix,
  inputs: readonly DossierInput[],
  options: DossierOptions = {},
): Promise<WrittenDossier> {
  const dir = join(outDir, DOSSIER_DIR);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'inputs'), { recursive: true });
  for (const f of ['matrix.html', 'matrix.csv', 'matrix.json']) {
    const from = join(outDir, 'matrix', f);
    if (existsSync(from)) copyFileSync(from, join(dir, f));
  }
  const summary = join(dir, 'summary.html');
  writeFileSync(summary, summaryHtml(matrix));
  const render = options.pdf === undefined ? htmlToPdf : options.pdf;
  const pdf: PdfResult = render ? await render(summary, join(dir, 'summary.pdf')) : { ok: false, error: 'not asked for' };
  for (const i of inputs) copyFileSync(i.file, join(dir, 'inputs', i.name || basename(i.file)));
  const manifest = manifestOf(outDir);
  writeFileSync(join(dir, MANIFEST), manifest);
  if (options.key) writeFileSync(join(dir, SIGNATURE), signDetached(Buffer.from(manifest), options.key));
  return { dir, files: manifest.split('\n').filter(Boolean).length, signed: options.key !== undefined, pdf };
}

export interface DossierCheck {
  /** The run's output directory the manifest covers. */
  root: string;
  added: string[];
  removed: string[];
  changed: string[];
  signature: SignatureCheck | 'unsigned';
  valid: boolean;
}

/**
 * Checks a dossier: `dir` is the run's output directory or its `dossier/`.
 * Valid when the manifest's signature verifies (with `trusted` as the signer
 * when given) and no file was added, removed or changed since.
 */
export function verifyDossier(dir: string, trusted?: string): DossierCheck {
  const root = existsSync(join(dir, MANIFEST)) && basename(dir) === DOSSIER_DIR ? join(dir, '..') : dir;
  const manifestFile = join(root, DOSSIER_DIR, MANIFEST);
  if (!existsSync(manifestFile)) throw new Error(`no ${DOSSIER_DIR}/${MANIFEST} under ${dir}`);
  const text = readFileSync(manifestFile);
  const listed = parseManifest(text.toString('utf8'));
  const present = new Set(filesUnder(root, notInManifest));
  const added = [...present].filter((f) => !listed.has(f));
  const removed = [...listed.keys()].filter((f) => !present.has(f));
  const changed = [...listed].filter(([f, h]) => present.has(f) && sha256Of(join(root, f)) !== h).map(([f]) => f);
  const sigFile = join(root, DOSSIER_DIR, SIGNATURE);
  const signature = existsSync(sigFile) ? verifyDetached(text, readFileSync(sigFile, 'utf8'), trusted) : ('unsigned' as const);
  const valid = added.length === 0 && removed.length === 0 && changed.length === 0 && signature !== 'unsigned' && signature.valid;
  return { root, added, removed, changed, signature, valid };
}
