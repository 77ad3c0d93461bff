import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabKey } from '../crypto/cms.ts';
import { MANIFEST, verifyDossier, writeDossier } from './dossier.ts';
import { findChromium } from './pdf.ts';
import type { Matrix } from './matrix.ts';

const KEY = createLabKey('Test Lab');

const MATRIX: Matrix = {
  metadata: {
    sampleId: 'S-1',
    target: 'sim',
    reader: 'r',
    atr: '3B 00',
    protocol: 'T=0',
    profile: { id: 'p', file: 'profiles/p.json', sha256: 'ab', specVersion: '2.00' },
    catalogue: { name: 'c', version: '1', sha256: 'cd' },
    tool: { version: '0.1.0' },
    started: 's',
    finished: 'f',
  },
  summary: { passed: 1, failed: 1, inconclusive: 0, 'not-applicable': 0, 'not-run': 0, 'no-scenario': 0, 'trace-check': 0 },
  requirements: [
    {
      id: 'CARD-A',
      title: 'A <b>',
      area: 'card',
      group: 'G',
      severity: 'critical',
      source: 'Some standard, 5.1',
      verdict: 'failed',
      proving: [{ name: 'one', uri: 'f.feature', verdict: 'non-conforming', reason: 'expected 6A82, card answered 9000' }],
      referencing: [],
    },
  ],
};

/** A run's output directory with a few results and an input file. */
function run(): { out: string; input: string } {
  const out = mkdtempSync(join(tmpdir(), 'ssc-dossier-'));
  mkdirSync(join(out, 'allure-results'));
  writeFileSync(join(out, 'allure-results', 'u1-result.json'), '{"status":"failed"}');
  writeFileSync(join(out, 'allure-results', 'u1-attachment.txt'), '#1 SELECT\n');
  writeFileSync(join(out, 'junit.xml'), '<testsuite/>');
  const input = join(out, '..', `${out.split('/').pop()}-profile.json`);
  writeFileSync(input, '{"id":"p"}');
  return { out, input };
}

test('a signed dossier: summary, inputs, a manifest of every file of the run, valid until a byte changes', async () => {
  const { out, input } = run();
  const d = await writeDossier(out, MATRIX, [{ name: 'profile.json', file: input }], { key: KEY, pdf: false });
  assert.equal(d.signed, true);
  const manifest = readFileSync(join(d.dir, MANIFEST), 'utf8');
  assert.match(manifest, /^[0-9a-f]{64} {2}allure-results\/u1-attachment\.txt$/m);
  assert.match(manifest, /^[0-9a-f]{64} {2}dossier\/inputs\/profile\.json$/m);
  assert.match(manifest, /^[0-9a-f]{64} {2}dossier\/summary\.html$/m);
  assert.doesNotMatch(manifest, /MANIFEST/);
  assert.match(readFileSync(join(d.dir, 'summary.html'), 'utf8'), /CARD-A<\/b> A &lt;b&gt;.*expected 6A82, card answered 9000/s);
  const ok = verifyDossier(out);
  assert.equal(ok.valid, true);
  assert.equal(verifyDossier(d.dir).valid, true, 'the dossier directory itself names the run too');
  assert.equal(verifyDossier(out, KEY.certPem).valid, true);

  // one byte of one result changed, a file added, one removed: each named
  appendFileSync(join(out, 'allure-results', 'u1-result.json'), ' ');
  writeFileSync(join(out, 'allure-results', 'u2-result.json'), '{}');
  rmSync(join(out, 'junit.xml'));
  const bad = verifyDossier(out);
  assert.equal(bad.valid, false);
  assert.deepEqual(
    [bad.changed, bad.added, bad.removed],
    [['allure-results/u1-result.json'], ['allure-results/u2-result.json'], ['junit.xml']],
  );
});

test('a dossier whose manifest was edited, signed by another lab or not signed at all is not valid', async () => {
  const { out, input } = run();
  const d = await writeDossier(out, MATRIX, [{ name: 'profile.json', file: input }], { key: KEY, pdf: false });
  assert.equal(verifyDossier(out, createLabKey('Other Lab').certPem).valid, false);
  // a forger who changes a result and its manifest line cannot sign the new manifest
  writeFileSync(join(out, 'junit.xml'), '<testsuite failures="0"/>');
  const manifest = readFileSync(join(d.dir, MANIFEST), 'utf8').replace(/^[0-9a-f]{64}(?= {2}junit\.xml$)/m, '0'.repeat(64));
  writeFileSync(join(d.dir, MANIFEST), manifest);
  const forged = verifyDossier(out);
  assert.equal(forged.valid, false);
  assert.ok(forged.signature !== 'unsigned' && /digest/.test(forged.signature.problem ?? ''));
  const unsigned = run();
  await writeDossier(unsigned.out, MATRIX, [], { pdf: false });
  const u = verifyDossier(unsigned.out);
  assert.equal(u.signature, 'unsigned');
  assert.equal(u.valid, false, 'an unsigned dossier is never valid');
});

test('the summary as a PDF, in the manifest; a renderer that fails leaves no PDF and says why', async () => {
  const { out } = run();
  const failing = await writeDossier(out, MATRIX, [], { pdf: async () => ({ ok: false, error: 'no Chromium' }) });
  assert.deepEqual(failing.pdf, { ok: false, error: 'no Chromium' });
  assert.doesNotMatch(readFileSync(join(failing.dir, MANIFEST), 'utf8'), /summary\.pdf/);
  const printed: string[] = [];
  const d = await writeDossier(out, MATRIX, [], {
    key: KEY,
    pdf: async (html, pdf) => {
      printed.push(html);
      writeFileSync(pdf, '%PDF-1.4 test');
      return { ok: true };
    },
  });
  assert.equal(d.pdf.ok, true);
  assert.match(printed[0] ?? '', /dossier\/summary\.html$/);
  assert.match(readFileSync(join(d.dir, MANIFEST), 'utf8'), /^[0-9a-f]{64} {2}dossier\/summary\.pdf$/m, 'the PDF is signed with the rest');
  assert.equal(verifyDossier(out).valid, true);
});

test('with a Chromium here, the summary is printed to a real PDF', {
  skip: findChromium() ? false : 'no Chromium on this machine',
}, async () => {
  const { out } = run();
  const d = await writeDossier(out, MATRIX, []);
  assert.equal(d.pdf.ok, true, d.pdf.ok ? '' : d.pdf.error);
  const pdf = readFileSync(join(d.dir, 'summary.pdf'));
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(pdf.length > 1000);
});
