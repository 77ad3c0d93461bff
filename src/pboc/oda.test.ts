import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Bytes, concat, fromHex, toHex } from '../core/bytes.ts';
import { sha1, sm3 } from '../crypto/hash.ts';
import { generateRsaKey, rsaPrivate, rsaPublic } from '../crypto/rsa.ts';
import { generateSm2Key, sm2Sign } from '../crypto/sm2.ts';
import { type Certificate, iccCertificate, issuerCertificate, parseExpiry, recoverIccKey, recoverIssuerKey } from './oda.ts';
import { type PrivateKey, type PublicKey, OdaError, issuerIdentifier, panField, publicOf } from './oda-format.ts';
import {
  cdaDynamicData,
  parseCdaDynamicData,
  recoverDynamicData,
  signDynamicData,
  signStaticData,
  transactionDataHash,
  verifyStaticData,
} from './oda-data.ts';
import { caOf, iccOf, iccPrivateKeyOf, issuerOf, loadPki, privateKeyOf, publicKeyOf } from './pki.ts';

const pki = loadPki();
const PAN = '6217000000123456786';
const STATIC = fromHex('5A0A6217000000123456786F5F24033012317D00');
const TODAY = new Date(Date.UTC(2026, 5, 15)); // June 2026
const NONE = new Uint8Array(0);

/** assert.throws for an OdaError with the given check. */
function fails(fn: () => unknown, check: string | string[], message?: string): void {
  const checks = Array.isArray(check) ? check : [check];
  assert.throws(
    fn,
    (e: unknown) => {
      assert.ok(e instanceof OdaError, `an OdaError, got ${String(e)}`);
      assert.ok(checks.includes(e.check), `check ${checks.join(' | ')}, got ${e.check}: ${e.message}`);
      return true;
    },
    message,
  );
}

function flip(b: Bytes, at: number, mask = 0x01): Bytes {
  const c = b.slice();
  c[at]! ^= mask;
  return c;
}

const keysOf = (suite: 'rsa' | 'sm2') => {
  const issuerJson = issuerOf(pki, `${suite}-issuer`);
  const ca = privateKeyOf(caOf(pki, issuerJson.ca));
  const issuer = privateKeyOf(issuerJson);
  const icc = privateKeyOf(iccOf(pki, `${suite}-icc-1`));
  return { ca, issuer, icc };
};

// ---------------------------------------------------------------- round trips, both suites

for (const suite of ['rsa', 'sm2'] as const) {
  const { ca, issuer, icc } = keysOf(suite);

  test(`${suite}: CA → issuer → ICC certificate chain recovers the keys and the certificate fields`, () => {
    const ic = issuerCertificate(ca, publicOf(issuer), { id: '621700', expiry: '1230', serial: '000001' });
    const rec = recoverIssuerKey(publicOf(ca), ic, { pan: PAN, today: TODAY });
    assert.deepEqual(rec.key, publicOf(issuer));
    assert.equal(rec.expiry, '1230');
    assert.equal(rec.serial, '000001');
    assert.equal(toHex(rec.id), '621700FF');
    const cc = iccCertificate(issuer, publicOf(icc), { id: PAN, expiry: '1230', serial: '000101' }, STATIC);
    const back = recoverIccKey(rec.key, cc, STATIC, { pan: PAN, today: TODAY });
    assert.deepEqual(back.key, publicOf(icc));
    assert.equal(toHex(back.id), toHex(panField(PAN)));
    assert.equal(back.serial, '000101');
    if (suite === 'rsa') {
      // 1024-bit issuer key under a 1152-bit CA: N_I = 128 > N_CA − 36 = 108, 20 bytes in the remainder (92);
      // 768-bit ICC key under the issuer: N_IC = 96 > N_I − 42 = 86, 10 bytes in the remainder (9F48)
      assert.equal(ic.cert.length, 144);
      assert.equal(ic.remainder.length, 20);
      assert.equal(toHex(ic.exponent), '03');
      assert.equal(cc.cert.length, 128);
      assert.equal(cc.remainder.length, 10);
      assert.equal(toHex(cc.exponent), '03');
    } else {
      assert.equal(ic.cert.length, 141);
      assert.equal(cc.cert.length, 147);
    }
  });

  test(`${suite}: signed static data (DAC) and signed dynamic data (DDA, CDA) round-trip`, () => {
    const ssad = signStaticData(issuer, STATIC, fromHex('DAC1'));
    assert.equal(toHex(verifyStaticData(publicOf(issuer), ssad, STATIC)), 'DAC1');
    fails(() => verifyStaticData(publicOf(issuer), ssad, STATIC.slice(1)), suite === 'rsa' ? 'hash' : 'signature');
    // DDA: ICC dynamic data = the ICC dynamic number with its length, terminal data = the DDOL data
    const dda = signDynamicData(icc, { iccDynamicData: fromHex('0411223344'), terminalDynamicData: fromHex('CAFEBABE') });
    assert.equal(toHex(recoverDynamicData(publicOf(icc), dda, fromHex('CAFEBABE'))), '0411223344');
    fails(
      () => recoverDynamicData(publicOf(icc), dda, fromHex('CAFEBABF')),
      suite === 'rsa' ? 'hash' : 'signature',
      'the unpredictable number is signed',
    );
    // CDA
    const hashAlg = suite === 'sm2' ? 'sm3' : 'sha1';
    const tdh = transactionDataHash(hashAlg, fromHex('000000001000'));
    const iccDyn = cdaDynamicData({
      dynamicNumber: fromHex('0102030405060708'),
      cid: 0x80,
      ac: fromHex('1122334455667788'),
      transactionDataHash: tdh,
    });
    const sdad = signDynamicData(icc, { iccDynamicData: iccDyn, terminalDynamicData: fromHex('12345678') });
    const back = recoverDynamicData(publicOf(icc), sdad, fromHex('12345678'));
    assert.equal(toHex(back), toHex(iccDyn));
    const parsed = parseCdaDynamicData(back, tdh.length);
    assert.equal(toHex(parsed.dynamicNumber), '0102030405060708');
    assert.equal(parsed.cid, 0x80);
    assert.equal(toHex(parsed.ac), '1122334455667788');
    assert.equal(toHex(parsed.transactionDataHash), toHex(tdh));
  });

  test(`${suite}: the card's ICC key (CRT parts / d from pki) signs what the ICC public key verifies`, () => {
    const cardKey = iccPrivateKeyOf(pki, `${suite}-icc-2`);
    const sdad = signDynamicData(cardKey, { iccDynamicData: fromHex('02ABCD'), terminalDynamicData: fromHex('01020304') });
    assert.equal(toHex(recoverDynamicData(publicKeyOf(iccOf(pki, `${suite}-icc-2`)), sdad, fromHex('01020304'))), '02ABCD');
    fails(
      () => recoverDynamicData(publicOf(icc), sdad, fromHex('01020304')),
      suite === 'rsa' ? ['trailer', 'header', 'recovery'] : 'signature',
      'another ICC key',
    );
  });
}

// ---------------------------------------------------------------- RSA tampering: every check

/** An RSA "certificate" with a chosen recovered content: 6A ‖ body ‖ hash ‖ BC, signed by `signer`. */
function forgeRsa(signer: PrivateKey, parts: { header?: number; body: Bytes; hash: Bytes; trailer?: number }): Bytes {
  if (signer.suite !== 'rsa') throw new Error('RSA only');
  return rsaPrivate(signer, concat([parts.header ?? 0x6a], parts.body, parts.hash, [parts.trailer ?? 0xbc]));
}

/** The recovered body (format … padding) of an RSA certificate. */
function bodyOf(pub: PublicKey, cert: Bytes): Bytes {
  if (pub.suite !== 'rsa') throw new Error('RSA only');
  const m = rsaPublic(pub, cert);
  return m.slice(1, m.length - 21);
}

test('rsa issuer certificate: each tampering fails at its own check', () => {
  const { ca, issuer } = keysOf('rsa');
  const caPub = publicOf(ca);
  const good = issuerCertificate(ca, publicOf(issuer), { id: '621700', expiry: '1230', serial: '000001' });
  const body = bodyOf(caPub, good.cert);
  const tail = concat(good.remainder, good.exponent);
  const signed = (b: Bytes, over?: Bytes, extra: Partial<{ header: number; trailer: number }> = {}): Certificate => ({
    ...good,
    cert: forgeRsa(ca, { ...extra, body: b, hash: sha1(concat(over ?? b, tail)) }),
  });
  // the forger reproduces the real certificate: the helpers are right
  assert.equal(toHex(signed(body).cert), toHex(good.cert));
  fails(() => recoverIssuerKey(caPub, { ...good, remainder: good.remainder.slice(1) }), 'hash', 'a remainder byte missing');

  fails(
    () => recoverIssuerKey(caPub, { ...good, cert: flip(good.cert, 40) }),
    ['recovery', 'trailer', 'header'],
    'one bit of the certificate',
  );
  fails(() => recoverIssuerKey(caPub, { ...good, cert: good.cert.slice(1) }), 'length', 'a byte short');
  fails(
    () => recoverIssuerKey(publicOf({ suite: 'rsa', ...generateRsaKey(1152, 3) }), good),
    ['recovery', 'trailer', 'header'],
    'another CA key',
  );
  fails(() => recoverIssuerKey(caPub, { ...good, cert: new Uint8Array(144).fill(0xff) }), 'recovery', 'not below the modulus');
  fails(() => recoverIssuerKey(caPub, signed(body, undefined, { trailer: 0xbd })), 'trailer');
  fails(() => recoverIssuerKey(caPub, signed(body, undefined, { header: 0x6b })), 'header');
  fails(() => recoverIssuerKey(caPub, signed(flip(body, 0, 0x06))), 'format', 'format 04 instead of 02');
  fails(() => recoverIssuerKey(caPub, signed(body, flip(body, 20))), 'hash', 'a hash over other data');
  fails(() => recoverIssuerKey(caPub, { ...good, exponent: fromHex('010001') }), 'hash', 'another exponent (it is hashed)');
  fails(() => recoverIssuerKey(caPub, signed(flip(body, 10, 0x03))), 'algorithm', 'hash algorithm indicator 02');
  fails(() => recoverIssuerKey(caPub, signed(flip(body, 11, 0x03))), 'algorithm', 'public key algorithm indicator 02');
  fails(() => recoverIssuerKey(caPub, good, { pan: '6228480000000000000' }), 'issuer-id');
  fails(
    () =>
      recoverIssuerKey(caPub, issuerCertificate(ca, publicOf(issuer), { id: '621700', expiry: '0524', serial: '000001' }), {
        today: TODAY,
      }),
    'expired',
    'expired May 2024',
  );
  const badDate = body.slice();
  badDate.set(fromHex('1330'), 5);
  fails(() => recoverIssuerKey(caPub, signed(badDate), { today: TODAY }), 'date', 'month 13');
  const bigger = body.slice();
  bigger[12] = 0x90; // says 144 bytes: 108 in the certificate + 20 in the remainder give 128
  fails(() => recoverIssuerKey(caPub, signed(bigger)), 'remainder');

  // no options: the PAN and date steps are the caller's choice
  assert.equal(
    recoverIssuerKey(caPub, issuerCertificate(ca, publicOf(issuer), { id: '621700', expiry: '0524', serial: '000001' })).expiry,
    '0524',
  );
  // the certificate is valid through the last day of its month
  assert.equal(
    recoverIssuerKey(caPub, issuerCertificate(ca, publicOf(issuer), { id: '621700', expiry: '0626', serial: '000001' }), { today: TODAY })
      .expiry,
    '0626',
  );
  fails(
    () =>
      recoverIssuerKey(caPub, issuerCertificate(ca, publicOf(issuer), { id: '621700', expiry: '0526', serial: '000001' }), {
        today: TODAY,
      }),
    'expired',
  );
});

test('rsa: the part of a modulus beyond the certificate room travels in the remainder (92 / 9F48), which is hashed', () => {
  const { ca } = keysOf('rsa');
  const big = { suite: 'rsa' as const, ...generateRsaKey(1120, 3) }; // 140 bytes, 108 in the certificate
  const ic = issuerCertificate(ca, publicOf(big), { id: '621700', expiry: '1230', serial: '000009' });
  assert.equal(ic.remainder.length, 140 - 108);
  assert.deepEqual(recoverIssuerKey(publicOf(ca), ic).key, publicOf(big));
  fails(() => recoverIssuerKey(publicOf(ca), { ...ic, remainder: NONE }), 'hash', 'the remainder is hashed');
  fails(() => recoverIssuerKey(publicOf(ca), { ...ic, remainder: flip(ic.remainder, 0) }), 'hash');
  const icc = { suite: 'rsa' as const, ...generateRsaKey(1024, 3) }; // 128 bytes, 98 in the certificate
  const cc = iccCertificate(big, publicOf(icc), { id: PAN, expiry: '1230', serial: '000109' }, STATIC);
  assert.equal(cc.remainder.length, 128 - 98);
  assert.deepEqual(recoverIccKey(publicOf(big), cc, STATIC).key, publicOf(icc));
});

test('rsa ICC certificate: static data, PAN, expiry, format and key checks', () => {
  const { issuer, icc } = keysOf('rsa');
  const issuerPub = publicOf(issuer);
  const good = iccCertificate(issuer, publicOf(icc), { id: PAN, expiry: '1230', serial: '000101' }, STATIC);
  const body = bodyOf(issuerPub, good.cert);
  const signed = (b: Bytes): Certificate => ({
    ...good,
    cert: forgeRsa(issuer, { body: b, hash: sha1(concat(b, good.remainder, good.exponent, STATIC)) }),
  });
  assert.equal(toHex(signed(body).cert), toHex(good.cert));

  fails(() => recoverIccKey(issuerPub, good, flip(STATIC, 3)), 'hash', 'other static data');
  fails(
    () => recoverIccKey(issuerPub, { ...good, cert: flip(good.cert, 77) }, STATIC),
    ['recovery', 'trailer', 'header'],
    'one bit of the certificate',
  );
  fails(() => recoverIccKey(publicOf(keysOf('rsa').ca), good, STATIC), 'length', 'the CA key instead of the issuer key');
  fails(() => recoverIccKey(issuerPub, signed(flip(body, 0, 0x06)), STATIC), 'format', 'format 02 instead of 04');
  fails(() => recoverIccKey(issuerPub, signed(flip(body, 16, 0x03)), STATIC), 'algorithm');
  fails(() => recoverIccKey(issuerPub, signed(flip(body, 17, 0x03)), STATIC), 'algorithm');
  fails(() => recoverIccKey(issuerPub, good, STATIC, { pan: '6217000000123456787' }), 'pan');
  fails(() => recoverIccKey(issuerPub, good, STATIC, { pan: '621700000012345678' }), 'pan', 'a shorter PAN');
  const expired = iccCertificate(issuer, publicOf(icc), { id: PAN, expiry: '1225', serial: '000101' }, STATIC);
  fails(() => recoverIccKey(issuerPub, expired, STATIC, { pan: PAN, today: TODAY }), 'expired');
  const badDate = body.slice();
  badDate.set(fromHex('0A30'), 11);
  fails(() => recoverIccKey(issuerPub, signed(badDate), STATIC, { today: TODAY }), 'date', 'not BCD');
  assert.deepEqual(recoverIccKey(issuerPub, good, STATIC, { pan: PAN, today: TODAY }).key, publicOf(icc));
});

test('rsa signed static data (93) and signed dynamic data (9F4B): format, hash and algorithm checks', () => {
  const { issuer, icc } = keysOf('rsa');
  const ssad = signStaticData(issuer, STATIC, fromHex('DAC1'));
  const sBody = bodyOf(publicOf(issuer), ssad);
  assert.equal(toHex(sBody.slice(0, 4)), '0301DAC1');
  const sSigned = (b: Bytes) => forgeRsa(issuer, { body: b, hash: sha1(concat(b, STATIC)) });
  assert.equal(toHex(sSigned(sBody)), toHex(ssad));
  fails(() => verifyStaticData(publicOf(issuer), sSigned(flip(sBody, 0, 0x06)), STATIC), 'format', 'format 05 instead of 03');
  fails(() => verifyStaticData(publicOf(issuer), sSigned(flip(sBody, 1, 0x03)), STATIC), 'algorithm');
  fails(() => verifyStaticData(publicOf(issuer), flip(ssad, 5), STATIC), ['recovery', 'trailer', 'header']);
  fails(() => verifyStaticData(publicOf(icc), ssad, STATIC), 'length', 'the ICC key');

  const un = fromHex('12345678');
  const sdad = signDynamicData(icc, { iccDynamicData: fromHex('0411223344'), terminalDynamicData: un });
  const dBody = bodyOf(publicOf(icc), sdad);
  assert.equal(toHex(dBody.slice(0, 3)), '050105');
  const dSigned = (b: Bytes) => forgeRsa(icc, { body: b, hash: sha1(concat(b, un)) });
  assert.equal(toHex(dSigned(dBody)), toHex(sdad));
  fails(() => recoverDynamicData(publicOf(icc), dSigned(flip(dBody, 0, 0x01)), un), 'format', 'format 04 instead of 05');
  const tooLong = dBody.slice();
  tooLong[2] = 0xff;
  fails(() => recoverDynamicData(publicOf(icc), dSigned(tooLong), un), 'length');
  fails(() => recoverDynamicData(publicOf(icc), sdad, fromHex('12345679')), 'hash');
  assert.throws(
    () => signDynamicData(icc, { iccDynamicData: new Uint8Array(96 - 24), terminalDynamicData: un }),
    RangeError,
    'at most N_IC − 25',
  );
});

// ---------------------------------------------------------------- SM2 tampering: every check

/** An SM2 structure with a chosen body, signed by `signer` over body ‖ extra. */
function forgeSm2(signer: PrivateKey, body: Bytes, extra: Bytes = NONE): Bytes {
  if (signer.suite !== 'sm2') throw new Error('SM2 only');
  return concat(body, sm2Sign(signer.d, concat(body, extra), { deterministic: true }));
}

test('sm2 issuer and ICC certificates (12, 14): each tampering fails at its own check', () => {
  const { ca, issuer, icc } = keysOf('sm2');
  const caPub = publicOf(ca);
  const good = issuerCertificate(ca, publicOf(issuer), { id: '621700', expiry: '1230', serial: '000002' });
  const body = good.cert.slice(0, 77);
  assert.equal(toHex(forgeSm2(ca, body)), toHex(good.cert), 'deterministic signatures: the forger reproduces the certificate');
  assert.equal(toHex(body.slice(0, 13)), '12621700FF1230000002040440');
  const cert = (c: Bytes): Certificate => ({ cert: c, remainder: NONE, exponent: NONE });

  fails(() => recoverIssuerKey(caPub, cert(flip(good.cert, 40))), 'signature', 'one bit of the public key');
  fails(() => recoverIssuerKey(caPub, cert(flip(good.cert, 100))), 'signature', 'one bit of the signature');
  fails(() => recoverIssuerKey({ suite: 'sm2', q: generateSm2Key().publicKey }, good), 'signature', 'another CA key');
  fails(() => recoverIssuerKey(caPub, cert(flip(good.cert, 0, 0x06))), 'format', 'format 14 instead of 12');
  fails(() => recoverIssuerKey(caPub, cert(good.cert.slice(0, 140))), 'length');
  fails(() => recoverIssuerKey(caPub, cert(forgeSm2(ca, flip(body, 10, 0x03)))), 'algorithm');
  fails(() => recoverIssuerKey(caPub, cert(forgeSm2(ca, flip(body, 12, 0x01)))), 'length', 'public key length 41');
  fails(() => recoverIssuerKey(caPub, good, { pan: '6228480000000000000' }), 'issuer-id');
  fails(
    () =>
      recoverIssuerKey(caPub, issuerCertificate(ca, publicOf(issuer), { id: '621700', expiry: '0124', serial: '000002' }), {
        today: TODAY,
      }),
    'expired',
  );
  const badDate = body.slice();
  badDate.set(fromHex('0030'), 5);
  fails(() => recoverIssuerKey(caPub, cert(forgeSm2(ca, badDate)), { today: TODAY }), 'date', 'month 00');

  const issuerPub = publicOf(issuer);
  const cc = iccCertificate(issuer, publicOf(icc), { id: PAN, expiry: '1230', serial: '000201' }, STATIC);
  const ccBody = cc.cert.slice(0, 83);
  assert.equal(toHex(forgeSm2(issuer, ccBody, STATIC)), toHex(cc.cert));
  fails(() => recoverIccKey(issuerPub, cc, flip(STATIC, 3)), 'signature', 'other static data');
  fails(() => recoverIccKey(caPub, cc, STATIC), 'signature', 'the CA key instead of the issuer key');
  fails(() => recoverIccKey(issuerPub, cert(flip(cc.cert, 0, 0x06)), STATIC), 'format');
  fails(() => recoverIccKey(issuerPub, cert(forgeSm2(issuer, flip(ccBody, 17, 0x03), STATIC)), STATIC), 'algorithm');
  fails(() => recoverIccKey(issuerPub, cc, STATIC, { pan: '6217000000123456787' }), 'pan');
  fails(
    () =>
      recoverIccKey(issuerPub, iccCertificate(issuer, publicOf(icc), { id: PAN, expiry: '0526', serial: '000201' }, STATIC), STATIC, {
        today: TODAY,
      }),
    'expired',
  );
  assert.deepEqual(recoverIccKey(issuerPub, cc, STATIC, { pan: PAN, today: TODAY }).key, publicOf(icc));
});

test('sm2 signed static data (13) and signed dynamic data (15): layout, format, length, signature', () => {
  const { issuer, icc } = keysOf('sm2');
  const ssad = signStaticData(issuer, STATIC, fromHex('DAC1'));
  assert.equal(ssad.length, 68);
  assert.equal(toHex(ssad.slice(0, 4)), '1304DAC1');
  fails(() => verifyStaticData(publicOf(issuer), flip(ssad, 0, 0x06), STATIC), 'format');
  fails(() => verifyStaticData(publicOf(issuer), flip(ssad, 2), STATIC), 'signature', 'another DAC');
  fails(() => verifyStaticData(publicOf(issuer), forgeSm2(issuer, fromHex('1307DAC1'), STATIC), STATIC), 'algorithm');
  fails(() => verifyStaticData(publicOf(icc), ssad, STATIC), 'signature', 'the ICC key');

  const un = fromHex('12345678');
  const sdad = signDynamicData(icc, { iccDynamicData: fromHex('0411223344'), terminalDynamicData: un });
  assert.equal(toHex(sdad.slice(0, 8)), '1504050411223344');
  assert.equal(sdad.length, 8 + 64);
  fails(() => recoverDynamicData(publicOf(icc), flip(sdad, 0, 0x01), un), 'format');
  fails(() => recoverDynamicData(publicOf(icc), flip(sdad, 2, 0x01), un), 'length', 'L says 4');
  fails(() => recoverDynamicData(publicOf(icc), flip(sdad, 4), un), 'signature');
  fails(() => recoverDynamicData(publicOf(icc), sdad, fromHex('12345679')), 'signature');
});

// ---------------------------------------------------------------- fields and helpers

test('certificate fields: issuer identifier, PAN, expiry; builders refuse malformed fields', () => {
  assert.equal(toHex(issuerIdentifier('621700')), '621700FF');
  assert.equal(toHex(issuerIdentifier('62170012')), '62170012');
  assert.equal(toHex(panField(PAN)), '6217000000123456786F');
  assert.equal(toHex(panField('1234567890123456')), '1234567890123456FFFF');
  assert.throws(() => issuerIdentifier('62'), RangeError);
  assert.throws(() => panField('62170000001234567861'), RangeError);
  assert.deepEqual(parseExpiry('1230'), [2030, 12]);
  assert.deepEqual(parseExpiry('0199'), [1999, 1]);
  assert.equal(parseExpiry('1330'), undefined);
  assert.equal(parseExpiry('0030'), undefined);
  const { ca, issuer } = keysOf('rsa');
  assert.throws(() => issuerCertificate(ca, publicOf(issuer), { id: '621700', expiry: '1330', serial: '000001' }), RangeError);
  assert.throws(() => issuerCertificate(ca, publicOf(issuer), { id: '621700', expiry: '1230', serial: '0001' }), RangeError);
  assert.throws(
    () => issuerCertificate(ca, publicOf(keysOf('sm2').issuer), { id: '621700', expiry: '1230', serial: '000001' }),
    OdaError,
    'suites mixed',
  );
  assert.throws(() => signStaticData(issuer, STATIC, fromHex('DA')), RangeError);
});

test('CDA ICC dynamic data (Table 19): build, parse, and malformed input', () => {
  const tdh = transactionDataHash('sha1', fromHex('00'));
  assert.equal(toHex(tdh), toHex(sha1(fromHex('00'))));
  assert.equal(toHex(transactionDataHash('sm3', fromHex('00'))), toHex(sm3(fromHex('00'))));
  const d = cdaDynamicData({ dynamicNumber: fromHex('A1A2'), cid: 0x40, ac: fromHex('0102030405060708'), transactionDataHash: tdh });
  assert.equal(toHex(d.slice(0, 12)), '02A1A2400102030405060708');
  assert.equal(d.length, 1 + 2 + 1 + 8 + 20);
  fails(() => parseCdaDynamicData(d.slice(0, 20), 20), 'length');
  fails(() => parseCdaDynamicData(concat([0x09], d.slice(1)), 20), 'format');
  assert.throws(
    () => cdaDynamicData({ dynamicNumber: fromHex('A1'), cid: 0x40, ac: fromHex('0102030405060708'), transactionDataHash: tdh }),
    RangeError,
  );
  assert.throws(
    () => cdaDynamicData({ dynamicNumber: fromHex('A1A2'), cid: 0x40, ac: fromHex('01020304'), transactionDataHash: tdh }),
    RangeError,
  );
});
