/**
 * The lab's signing key and the dossier check:
 *
 *   ssc-lab lab-key init [--dir DIR] [--lab NAME] [--force]   a new RSA-2048 key and self-signed certificate
 *   ssc-lab lab-key show [--dir DIR]                          the certificate's subject and fingerprint
 *   ssc-lab verify DIR [--cert FILE]                          a run's dossier: signature and every file
 *
 * The key lives in `--dir`, else `$SSC_LAB_KEY_DIR`, else `~/.ssc-lab/lab-key`
 * (`lab.key.pem`, readable by its owner only, and `lab.cert.pem`); `ssc-lab
 * run` signs the dossier with it when it is there.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type LabKey, createLabKey, describeCertificate } from '../crypto/cms.ts';
import { LAB_CERT_FILE as CERT_FILE, LAB_KEY_FILE as KEY_FILE, labKeyDir, loadLabKey } from '../lab/lab-key.ts';
import { verifyDossier } from '../report/dossier.ts';
import { EXIT, UsageError } from './errors.ts';
import { rejectEmpty } from './flags.ts';
import { checkOutDir } from './out-dir.ts';
import { relativeOrAbsolute } from './paths.ts';

/** The lab key of `dir` when it is there; a key that cannot be read, is not PEM or does not match its certificate is a usage error. */
function readLabKey(cmd: string, dir: string): LabKey | undefined {
  let key: LabKey | undefined;
  try {
    key = loadLabKey(dir);
  } catch (e) {
    throw new UsageError(`${cmd}: the lab key in ${dir} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!key) return undefined;
  try {
    if (!new X509Certificate(key.certPem).checkPrivateKey(createPrivateKey(key.keyPem)))
      throw new Error("the key is not the certificate's");
    describeCertificate(key.certPem);
  } catch (e) {
    throw new UsageError(`${cmd}: the lab key in ${dir} is not usable: ${(e as Error).message.split('\n')[0]}`);
  }
  return key;
}

/**
 * The lab key a run signs its dossier with, checked before anything runs:
 * `--lab-key DIR` must hold a usable key (a run would otherwise sign
 * nothing); without the flag, a key found in `$SSC_LAB_KEY_DIR` or the home
 * directory must be usable (a run would otherwise fail at its very end).
 */
export function checkLabKey(cmd: string, flag: string, text: string | undefined): void {
  const dir = labKeyDir(text);
  const key = readLabKey(text === undefined ? cmd : `${cmd} --${flag} ${text}`, dir);
  if (!key && text !== undefined)
    throw new UsageError(
      `${cmd}: --${flag} ${text}: no lab key there (${KEY_FILE} and ${CERT_FILE}; ssc-lab lab-key init --lab NAME --dir ${text})`,
    );
}

function parse(cmd: string, argv: string[], options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (e) {
    throw new UsageError(`${cmd}: ${(e as Error).message}`);
  }
}

export async function labKeyCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const p = parse(`lab-key ${sub ?? ''}`.trim(), rest, {
    dir: { type: 'string' },
    lab: { type: 'string' },
    force: { type: 'boolean', default: false },
  });
  const v = p.values as { dir?: string; lab?: string; force: boolean };
  if (p.positionals.length) throw new UsageError(`lab-key ${sub ?? ''}: unexpected argument "${p.positionals[0]}"`);
  rejectEmpty(`lab-key ${sub ?? ''}`.trim(), v);
  const dir = labKeyDir(v.dir);
  if (sub === 'init') {
    if (!v.lab?.trim()) throw new UsageError('lab-key init: --lab NAME names the lab the certificate is for');
    checkOutDir('lab-key init', 'dir', dir);
    if (existsSync(join(dir, KEY_FILE)) && !v.force)
      throw new UsageError(`lab-key init: ${dir} already holds a lab key (--force replaces it)`);
    const key = createLabKey(v.lab);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, KEY_FILE), key.keyPem, { mode: 0o600 });
    chmodSync(join(dir, KEY_FILE), 0o600);
    writeFileSync(join(dir, CERT_FILE), key.certPem);
    console.log(
      `lab key for "${v.lab}": ${relativeOrAbsolute(join(dir, KEY_FILE))} (owner only), ${relativeOrAbsolute(join(dir, CERT_FILE))}`,
    );
    return EXIT.OK;
  }
  if (sub === 'show') {
    const key = readLabKey('lab-key show', dir);
    if (!key) throw new UsageError(`lab-key show: no lab key in ${dir} (ssc-lab lab-key init --lab NAME)`);
    const { subject, fingerprint } = describeCertificate(key.certPem);
    console.log(`${subject}\nSHA-256 fingerprint ${fingerprint}\n${relativeOrAbsolute(join(dir, CERT_FILE))}`);
    return EXIT.OK;
  }
  throw new UsageError('lab-key: init --lab NAME [--dir DIR] [--force] | show [--dir DIR]');
}

export async function verifyCommand(argv: string[]): Promise<number> {
  const p = parse('verify', argv, { cert: { type: 'string' } });
  const v = p.values as { cert?: string };
  const [dir, ...extra] = p.positionals;
  if (!dir?.trim() || extra.length) throw new UsageError('verify: DIR — the output directory of a run (or its dossier/)');
  rejectEmpty('verify', v);
  let trusted: string | undefined;
  if (v.cert) {
    if (!existsSync(v.cert) || !statSync(v.cert).isFile()) throw new UsageError(`verify --cert: no file ${v.cert}`);
    trusted = readFileSync(v.cert, 'utf8');
    try {
      new X509Certificate(trusted);
    } catch {
      throw new UsageError(`verify --cert ${v.cert}: not a PEM certificate`);
    }
  }
  let check: ReturnType<typeof verifyDossier>;
  try {
    check = verifyDossier(resolve(dir), trusted);
  } catch (e) {
    throw new UsageError(`verify: ${(e as Error).message}`);
  }
  const sig = check.signature;
  if (sig === 'unsigned') console.log('signature    none: the dossier was not signed (no lab key when the run ended)');
  else if (sig.valid) console.log(`signature    valid, by ${sig.signer} (SHA-256 ${sig.fingerprint})`);
  else console.log(`signature    NOT VALID: ${sig.problem}`);
  for (const f of check.changed) console.log(`changed      ${f}`);
  for (const f of check.added) console.log(`added        ${f}`);
  for (const f of check.removed) console.log(`removed      ${f}`);
  console.log(
    check.valid
      ? `valid: ${relativeOrAbsolute(check.root)} is as it was signed`
      : `NOT VALID: ${check.changed.length} changed, ${check.added.length} added, ${check.removed.length} removed${sig === 'unsigned' || !sig.valid ? ', signature not valid' : ''}`,
  );
  return check.valid ? EXIT.OK : EXIT.NONCONFORMING;
}
