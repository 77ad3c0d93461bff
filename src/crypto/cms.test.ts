import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabKey, signDetached, verifyDetached } from './cms.ts';

const KEY = createLabKey('Test Lab');
const OTHER = createLabKey('Other Lab');
const CHINESE = createLabKey('国家金融IC卡检测中心');
const CONTENT = Buffer.from('ab12  allure-results/x-result.json\n');

test('a detached signature verifies over its content and names the lab', () => {
  const sig = signDetached(CONTENT, KEY);
  assert.match(sig, /^-----BEGIN PKCS7-----/);
  const check = verifyDetached(CONTENT, sig);
  assert.equal(check.valid, true, check.problem);
  assert.equal(check.signer, 'Test Lab');
  assert.equal(verifyDetached(CONTENT, sig, KEY.certPem).valid, true);
  assert.equal(verifyDetached(CONTENT, signDetached(CONTENT, CHINESE)).signer, '国家金融IC卡检测中心');
});

test('a changed byte of the content, another signer or garbage fail, saying why', () => {
  const sig = signDetached(CONTENT, KEY);
  const changed = Buffer.from(CONTENT);
  changed[0] = changed[0]! ^ 1;
  assert.match(verifyDetached(changed, sig).problem!, /digest/);
  assert.match(verifyDetached(CONTENT, sig, OTHER.certPem).problem!, /not by the certificate given/);
  assert.match(verifyDetached(CONTENT, 'not a signature').problem!, /not a CMS message/);
});

test('openssl reads the signature as a standard CMS detached signature', (t) => {
  let openssl = true;
  try {
    execFileSync('openssl', ['version']);
  } catch {
    openssl = false;
  }
  if (!openssl) return t.skip('no openssl on this machine');
  const dir = mkdtempSync(join(tmpdir(), 'ssc-cms-'));
  writeFileSync(join(dir, 'content'), CONTENT);
  writeFileSync(join(dir, 'sig.p7s'), signDetached(CONTENT, KEY));
  writeFileSync(join(dir, 'cert.pem'), KEY.certPem);
  const out = execFileSync(
    'openssl',
    [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'PEM',
      '-in',
      join(dir, 'sig.p7s'),
      '-content',
      join(dir, 'content'),
      '-CAfile',
      join(dir, 'cert.pem'),
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  assert.ok(out !== undefined);
});
