import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import { OdaError, cdaDynamicData, iccCertificate, issuerCertificate, parseCdaDynamicData, publicOf, recoverDynamicData, recoverIccKey, recoverIssuerKey, signDynamicData, signStaticData, verifyStaticData } from './oda.ts';
import { caOf, iccOf, issuerOf, loadPki, privateKeyOf, publicKeyOf } from './pki.ts';

const pki = loadPki();
const STATIC = fromHex('5A0A6217000000123456786F5F24033012317D00');

for (const suite of ['rsa', 'sm2'] as const) {
  const issuerJson = issuerOf(pki, `${suite}-issuer`);
  const ca = caOf(pki, issuerJson.ca);
  const issuer = privateKeyOf(issuerJson);
  const icc = privateKeyOf(iccOf(pki, `${suite}-icc-1`));

  test(`${suite}: the certificate chain CA → issuer → ICC recovers the keys; tampering is detected`, () => {
    const ic = issuerCertificate(privateKeyOf(ca), publicOf(issuer), { id: '621700', expiry: '1230', serial: '000001' });
    const rec = recoverIssuerKey(publicKeyOf(ca), ic);
    assert.deepEqual(rec.key, publicOf(issuer));
    assert.equal(rec.expiry, '1230');
    const cc = iccCertificate(issuer, publicOf(icc), { id: '6217000000123456786', expiry: '1230', serial: '000101' }, STATIC);
    assert.deepEqual(recoverIccKey(publicOf(issuer), cc, STATIC).key, publicOf(icc));
    const bad = ic.cert.slice();
    bad[10]! ^= 0x01;
    assert.throws(() => recoverIssuerKey(publicKeyOf(ca), { ...ic, cert: bad }), OdaError);
    const otherStatic = STATIC.slice();
    otherStatic[3]! ^= 0x01;
    assert.throws(() => recoverIccKey(publicOf(issuer), cc, otherStatic), (e: unknown) => e instanceof OdaError && ['hash', 'signature'].includes(e.check));
    assert.throws(() => recoverIssuerKey(publicOf(issuer), ic), OdaError, 'another key does not recover the certificate');
  });

  test(`${suite}: signed static data and dynamic data verify; CDA dynamic data round-trip`, () => {
    const ssad = signStaticData(issuer, STATIC, fromHex('DAC1'));
    assert.equal(toHex(verifyStaticData(publicOf(issuer), ssad, STATIC)), 'DAC1');
    assert.throws(() => verifyStaticData(publicOf(issuer), ssad, STATIC.slice(1)), OdaError);
    const iccDyn = cdaDynamicData({ dynamicNumber: fromHex('0102030405060708'), cid: 0x80, ac: fromHex('1122334455667788'), transactionDataHash: new Uint8Array(suite === 'sm2' ? 32 : 20).fill(7) });
    const sdad = signDynamicData(icc, { iccDynamicData: iccDyn, terminalDynamicData: fromHex('12345678') });
    const back = recoverDynamicData(publicOf(icc), sdad, fromHex('12345678'));
    assert.equal(toHex(back), toHex(iccDyn));
    assert.equal(toHex(parseCdaDynamicData(back, suite === 'sm2' ? 32 : 20).ac), '1122334455667788');
    assert.throws(() => recoverDynamicData(publicOf(icc), sdad, fromHex('12345679')), OdaError, 'the unpredictable number is signed');
  });
}

test('RSA recovered data carry the EMV header 6A, format and trailer BC', () => {
  const issuer = privateKeyOf(issuerOf(pki, 'rsa-issuer'));
  const ssad = signStaticData(issuer, STATIC, fromHex('0000'));
  assert.throws(() => recoverIssuerKey(publicOf(issuer), { cert: ssad, remainder: new Uint8Array(0), exponent: fromHex('03') }), (e: unknown) => e instanceof OdaError && e.check === 'format');
});
