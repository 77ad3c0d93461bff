/**
 * Generates the lab's test PKI (pki/test-pki.json) — run once:
 *   node --import tsx src/pboc/pki-generate.ts > pki/test-pki.json
 * RSA: CA 1152 bits, issuer 1024 bits, ICC 768 bits, e = 3. SM2: sm2p256v1.
 */
import { toHex } from '../core/bytes.ts';
import { generateRsaKey } from '../crypto/rsa.ts';
import { generateSm2Key } from '../crypto/sm2.ts';

function rsa(id: string, label: string, bits: number) {
  const k = generateRsaKey(bits, 3);
  return { id, suite: 'rsa', label, n: toHex(k.n), e: toHex(k.e), d: toHex(k.d), p: toHex(k.p), q: toHex(k.q), dp: toHex(k.dp), dq: toHex(k.dq), qinv: toHex(k.qinv) };
}

function sm2(id: string, label: string) {
  const k = generateSm2Key();
  return { id, suite: 'sm2', label, d: toHex(k.d), publicKey: toHex(k.publicKey) };
}

export function generatePki() {
  return {
    $schema: '../schemas/pki.schema.json',
    description: 'TEST PKI generated for ssc-lab (src/pboc/pki-generate.ts): CA, issuer and ICC keys for offline data authentication of simulated cards. Never use these keys for issued cards.',
    rid: 'A000000333',
    cas: [
      { index: '80', ...rsa('rsa-ca', 'test CA, RSA 1152 bits', 1152) },
      { index: '81', ...sm2('sm2-ca', 'test CA, SM2') },
    ],
    issuers: [
      { ...rsa('rsa-issuer', 'test issuer, RSA 1024 bits', 1024), ca: '80', issuerId: '621700', expiry: '1230', serial: '000001' },
      { ...sm2('sm2-issuer', 'test issuer, SM2'), ca: '81', issuerId: '621700', expiry: '1230', serial: '000002' },
    ],
    iccs: [
      { ...rsa('rsa-icc-1', 'test ICC key 1, RSA 768 bits', 768), expiry: '1230', serial: '000101' },
      { ...rsa('rsa-icc-2', 'test ICC key 2, RSA 768 bits', 768), expiry: '1230', serial: '000102' },
      { ...sm2('sm2-icc-1', 'test ICC key 1, SM2'), expiry: '1230', serial: '000201' },
      { ...sm2('sm2-icc-2', 'test ICC key 2, SM2'), expiry: '1230', serial: '000202' },
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(generatePki(), null, 2));
