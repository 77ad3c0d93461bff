import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHex, toHex } from '../core/bytes.ts';
import { DataError, validateDocument } from '../core/json.ts';
import { modPow, toBigInt } from '../crypto/rsa.ts';
import { sm2PublicKey } from '../crypto/sm2.ts';
import { PKI_FILE, caOf, caPublicKeys, iccOf, iccPrivateKeyOf, issuerOf, loadPki, privateKeyOf, publicKeyOf } from './pki.ts';
import { TEST_LABEL, generatePki } from './pki-generate.ts';

const pki = loadPki();
const all = () => [...pki.cas, ...pki.issuers, ...pki.iccs];

test('pki/test-pki.json validates and holds the RSA and SM2 test hierarchies', () => {
  assert.equal(pki.rid, 'A000000333');
  assert.match(pki.description, /TEST/);
  assert.deepEqual(
    all().map((k) => k.id),
    ['rsa-ca', 'sm2-ca', 'rsa-issuer', 'sm2-issuer', 'rsa-icc-1', 'rsa-icc-2', 'sm2-icc-1', 'sm2-icc-2'],
  );
  for (const k of all()) assert.ok(k.label.startsWith(TEST_LABEL), `${k.id} is labelled as a TEST key`);
  assert.equal(caOf(pki, '80').suite, 'rsa');
  assert.equal(caOf(pki, '81').suite, 'sm2');
  for (const issuer of pki.issuers) {
    assert.equal(issuer.issuerId, '621700');
    assert.equal(issuer.expiry, '1230');
    assert.equal(caOf(pki, issuer.ca).suite, issuer.suite, `${issuer.id} is certified by a CA of its suite`);
  }
  assert.deepEqual([...caPublicKeys(pki).keys()], ['80', '81']);
  assert.throws(() => caOf(pki, '99'), DataError);
  assert.throws(() => issuerOf(pki, 'nobody'), DataError);
});

test('RSA keys: sizes 1152 / 1024 / 768 bits, e = 3, n = p·q, d and the CRT parts consistent', () => {
  const sizes: Record<string, number> = { 'rsa-ca': 144, 'rsa-issuer': 128, 'rsa-icc-1': 96, 'rsa-icc-2': 96 };
  for (const k of all().filter((x) => x.suite === 'rsa')) {
    const n = toBigInt(fromHex(k.n!));
    const p = toBigInt(fromHex(k.p!));
    const q = toBigInt(fromHex(k.q!));
    const d = toBigInt(fromHex(k.d!));
    assert.equal(fromHex(k.n!).length, sizes[k.id], k.id);
    assert.equal(k.e, '03', k.id);
    assert.equal(p * q, n, `${k.id}: n = p·q`);
    assert.equal(toBigInt(fromHex(k.dp!)), d % (p - 1n), `${k.id}: dp`);
    assert.equal(toBigInt(fromHex(k.dq!)), d % (q - 1n), `${k.id}: dq`);
    assert.equal((toBigInt(fromHex(k.qinv!)) * q) % p, 1n, `${k.id}: qinv`);
    assert.equal(modPow(modPow(0x1234567n, 3n, n), d, n), 0x1234567n, `${k.id}: (m^e)^d = m`);
  }
  const card = iccPrivateKeyOf(pki, 'rsa-icc-1');
  assert.equal(card.suite, 'rsa');
  assert.ok(!('d' in card), 'the card keeps the CRT parts, not d');
});

test('SM2 keys: the stored public key is d·G', () => {
  for (const k of all().filter((x) => x.suite === 'sm2')) {
    assert.equal(toHex(sm2PublicKey(fromHex(k.d!))), k.publicKey, k.id);
    const pub = publicKeyOf(k);
    assert.equal(pub.suite, 'sm2');
    assert.equal(privateKeyOf(k).suite, 'sm2');
  }
});

test('an invalid PKI file is a DataError naming the file and the JSON path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-pki-'));
  try {
    const doc = JSON.parse(readFileSync(PKI_FILE, 'utf8'));
    doc.cas[0].index = '8';
    doc.issuers[0].label = 'a production key';
    delete doc.iccs[2].publicKey;
    doc.iccs[0].colour = 'blue';
    const file = join(dir, 'bad-pki.json');
    writeFileSync(file, JSON.stringify(doc));
    assert.throws(
      () => loadPki(file),
      (e: unknown) => {
        assert.ok(e instanceof DataError);
        assert.match(e.file, /bad-pki\.json$/);
        const text = e.problems.join('\n');
        assert.match(text, /\/cas\/0\/index: must match pattern/);
        assert.match(text, /\/issuers\/0\/label: must match pattern "\^TEST key generated for ssc-lab"/);
        assert.match(text, /\/iccs\/2: must have required property 'publicKey'/);
        assert.match(text, /\/iccs\/0: has unknown property "colour"/);
        return true;
      },
    );
    writeFileSync(file, '{ "rid": ');
    assert.throws(() => loadPki(file), /not valid JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the generator produces a document of the same schema and shape (the committed file is not regenerated)', () => {
  const fresh = generatePki();
  validateDocument(JSON.parse(JSON.stringify(fresh)), 'pki', 'generated');
  assert.deepEqual(
    [...fresh.cas, ...fresh.issuers, ...fresh.iccs].map((k) => [k.id, k.label]),
    all().map((k) => [k.id, k.label]),
  );
  assert.notEqual(JSON.stringify(fresh.cas[0]), JSON.stringify(pki.cas[0]), 'fresh keys');
  assert.equal(iccOf(pki, 'sm2-icc-2').serial, '000202');
});
