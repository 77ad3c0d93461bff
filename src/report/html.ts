/**
 * Renders the Allure results to HTML with allure-commandline (Allure 2, Java).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export async function generateHtml(resultsDir: string, reportDir: string): Promise<{ ok: true } | { ok: false; error: string }> {
  let allure: string;
  try {
    const require = createRequire(import.meta.url);
    allure = join(dirname(require.resolve('allure-commandline/package.json')), 'dist', 'bin', 'allure');
  } catch {
    return { ok: false, error: 'allure-commandline is not installed (npm ci)' };
  }
  return new Promise((resolvePromise) => {
    const child = spawn(allure, ['generate', resultsDir, '-o', reportDir, '--clean'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', () => undefined);
    child.on('error', (e) => resolvePromise({ ok: false, error: `cannot start allure: ${e.message}` }));
    child.on('close', (code) => {
      if (code === 0 && existsSync(join(reportDir, 'index.html'))) resolvePromise({ ok: true });
      else
        resolvePromise({
          ok: false,
          error: `allure generate exited ${code}${err ? `: ${err.trim().split('\n')[0]}` : ''} (is Java 8+ installed?)`,
        });
    });
  });
}
