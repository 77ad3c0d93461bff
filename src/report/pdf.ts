/**
 * HTML to PDF with a headless Chromium: the dossier's single-file summary as
 * a PDF a reviewer can file or print. Chromium is Debian's package (or the
 * browser `$SSC_LAB_CHROMIUM` names); nothing is downloaded. Without one the
 * dossier is complete but for the PDF, and the run says so.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where a Chromium may be, in the order tried after `$SSC_LAB_CHROMIUM`. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The Chromium to use, or undefined when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env.SSC_LAB_CHROMIUM;
  if (named) return existsSync(named) ? named : undefined;
  return CANDIDATES.find((c) => existsSync(c));
}

/**
 * The flags of a Chromium on a closed network: no sandbox (run as root in
 * CI), no GPU, none of the background connections a closed network refuses.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium with those flags and a profile of its own. */
export function headlessFlags(userDataDir: string): string[] {
  return ['--headless', ...CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`];
}

export type PdfResult = { ok: true } | { ok: false; error: string };

/** Prints `htmlFile` to `pdfFile` with Chromium; never throws. */
export async function htmlToPdf(
  htmlFile: string,
  pdfFile: string,
  options: { chromium?: string; timeoutMs?: number } = {},
): Promise<PdfResult> {
  const chromium = options.chromium ?? findChromium();
  if (!chromium) return { ok: false, error: 'no Chromium (install Debian chromium, or set SSC_LAB_CHROMIUM)' };
  const profile = mkdtempSync(join(tmpdir(), 'ssc-lab-chromium-'));
  const args = [...headlessFlags(profile), '--no-pdf-header-footer', `--print-to-pdf=${pdfFile}`, pathToFileURL(htmlFile).href];
  try {
    return await new Promise<PdfResult>((done) => {
      const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        if (err.length < 4000) err += d.toString();
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
      child.on('error', (e) => {
        clearTimeout(timer);
        done({ ok: false, error: `cannot start ${chromium}: ${e.message}` });
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0 && existsSync(pdfFile) && statSync(pdfFile).size > 0) done({ ok: true });
        else {
          rmSync(pdfFile, { force: true });
          const why = signal ? `killed (${signal})` : `exited ${code}`;
          const line = err
            .split('\n')
            .find((l) => /error/i.test(l))
            ?.trim();
          done({ ok: false, error: `${chromium} ${why}${line ? `: ${line}` : ''}` });
        }
      });
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
