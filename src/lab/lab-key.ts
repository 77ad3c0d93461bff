/**
 * Where the lab's signing key lives: `--lab-key DIR`, else
 * `$SSC_LAB_KEY_DIR`, else `~/.ssc-lab/lab-key` — `lab.key.pem` (readable by
 * its owner only) and `lab.cert.pem`, made by `ssc-lab lab-key init`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LabKey } from '../crypto/cms.ts';

export const LAB_KEY_FILE = 'lab.key.pem';
export const LAB_CERT_FILE = 'lab.cert.pem';

/** Where the lab key is: the flag, the environment, or the user's home. */
export function labKeyDir(flag?: string): string {
  return resolve(flag ?? process.env.SSC_LAB_KEY_DIR ?? join(homedir(), '.ssc-lab', 'lab-key'));
}

/** The lab key of `dir`, or undefined when there is none. */
export function loadLabKey(dir: string): LabKey | undefined {
  const key = join(dir, LAB_KEY_FILE);
  const cert = join(dir, LAB_CERT_FILE);
  if (!existsSync(key) || !existsSync(cert)) return undefined;
  return { keyPem: readFileSync(key, 'utf8'), certPem: readFileSync(cert, 'utf8') };
}
