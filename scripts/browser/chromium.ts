/**
 * Debian's Chromium for the report's browser test: where it is (as for the
 * dossier's PDF: `$SSC_LAB_CHROMIUM`, else the usual paths) and a headless launch through
 * playwright-core with a fresh temporary profile, no sandbox (root in CI), and
 * none of the browser's own network traffic; requests leaving the loopback
 * interface are aborted and noted, so the page sees only the served report
 * or the report's file on disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, findChromium as locate } from '../../src/report/pdf.ts';

/** The Chromium executable to use (the one the dossier's PDF is printed with), or why there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): { path: string } | { missing: string } {
  const path = locate(env);
  if (path) return { path };
  return {
    missing: env.SSC_LAB_CHROMIUM
      ? `no Chromium at $SSC_LAB_CHROMIUM (${env.SSC_LAB_CHROMIUM})`
      : 'no Chromium (apt-get install chromium, or set $SSC_LAB_CHROMIUM)',
  };
}

/** True for the loopback hosts the served report lives on, and for the report's file opened from disk. */
export function isLoopback(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:' || u.protocol === 'file:') return true;
    return u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  } catch {
    return false;
  }
}

export interface Launched {
  context: BrowserContext;
  /** Requests the page tried to make outside the loopback interface (aborted). */
  blocked: string[];
  close(): Promise<void>;
}

export async function launchChromium(executablePath: string): Promise<Launched> {
  const profile = mkdtempSync(join(tmpdir(), 'ssc-lab-chromium-'));
  const blocked: string[] = [];
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_FLAGS],
      viewport: { width: 1400, height: 900 },
      locale: 'en-US',
      timeout: 60_000,
    });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLoopback(url)) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
    return {
      context,
      blocked,
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}
