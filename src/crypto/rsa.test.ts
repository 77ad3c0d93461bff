import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { concat, fromHex, toHex } from '../core/bytes.ts';
import { sha1 } from './hash.ts';
import { generateRsaKey, modPow, rsaKeyFromCrt, rsaPrivate, rsaPublic, toBigInt } from './rsa.ts';

// The worked example of the Wikipedia article "RSA (cryptosystem)", §Example.
test('modPow: textbook RSA with p = 61, q = 53 (n = 3233, e = 17, d = 2753)', () => {
  assert.equal(modPow(65n, 17n, 3233n), 2790n);
  assert.equal(modPow(2790n, 2753n, 3233n), 65n);
});

// RSA Laboratories, PKCS #1 v2.1 test vectors, pkcs1v15sign-vectors.txt,
// "Example 1: A 1024-bit RSA key pair" and "PKCS#1 v1.5 Signature Example 1.1"
// (ftp.rsa.com/pub/rsalabs/tmp/pkcs1v15sign-vectors.txt, reproduced in many
// crypto test suites). The signature is RSASP1(EM) of the EMSA-PKCS1-v1_5
// encoding EM = 00 01 FF…FF 00 ‖ DigestInfo(SHA-1) ‖ SHA-1(M) (RFC 8017 §9.2),
// so it checks the raw primitive in both directions.
const PKCS1 = {
  n:
    'A56E4A0E701017589A5187DC7EA841D156F2EC0E36AD52A44DFEB1E61F7AD991D8C51056FFEDB162B4C0F283A12A88A394DFF526AB7291CBB307CEABFCE0B1DF' +
    'D5CD9508096D5B2B8B6DF5D671EF6377C0921CB23C270A70E2598E6FF89D19F105ACC2D3F0CB35F29280E1386B6F64C4EF22E1E1F20D0CE8CFFB2249BD9A2137',
  e: '010001',
  d:
    '33A5042A90B27D4F5451CA9BBBD0B44771A101AF884340AEF9885F2A4BBE92E894A724AC3C568C8F97853AD07C0266C8C6A3CA0929F1E8F11231884429FC4D9A' +
    'E55FEE896A10CE707C3ED7E734E44727A39574501A532683109C2ABACABA283C31B4BD2F53C3EE37E352CEE34F9E503BD80C0622AD79C6DCEE883547C6A3B325',
  p: 'E7E8942720A877517273A356053EA2A1BC0C94AA72D55C6E86296B2DFC967948C0A72CBCCCA7EACB35706E09A1DF55A1535BD9B3CC34160B3B6DCD3EDA8E6443',
  q: 'B69DCA1CF7D4D7EC81E75B90FCCA874ABCDE123FD2700180AA90479B6E48DE8D67ED24F9F19D85BA275874F542CD20DC723E6963364A1F9425452B269A6799FD',
  dp: '28FA13938655BE1F8A159CBACA5A72EA190C30089E19CD274A556F36C4F6E19F554B34C077790427BBDD8DD3EDE2448328F385D81B30E8E43B2FFFA027861979',
  dq: '1A8B38F398FA712049898D7FB79EE0A77668791299CDFA09EFC0E507ACB21ED74301EF5BFD48BE455EAEB6E1678255827580A8E4E8E14151D1510A82A3F2E729',
  qinv: '27156ABA4126D24A81F3A528CBFB27F56886F840A9F6E86E17A44B94FE9319584B8E22FDDE1E5A2E3BD8AA5BA8D8584194EB2190ACF832B847F13A3D24A79F4D',
  message:
    'CDC87DA223D786DF3B45E0BBBC721326D1EE2AF806CC315475CC6F0D9C66E1B62371D45CE2392E1AC92844C310102F156A0D8D52C1F4C40BA3AA65095786CB76' +
    '9757A6563BA958FED0BCC984E8B517A3D5F515B23B8A41E74AA867693F90DFB061A6E86DFAAEE64472C00E5F20945729CBEBE77F06CE78E08F4098FBA41F9D61' +
    '93C0317E8B60D4B6084ACB42D29E3808A3BC372D85E331170FCBF7CC72D0B71C296648B3A4D10F416295D0807AA625CAB2744FD9EA8FD223C42537029828BD16' +
    'BE02546F130FD2E33B936D2676E08AED1B73318B750A0167D0',
  signature:
    '6BC3A06656842930A247E30D5864B4D819236BA7C68965862AD7DBC4E24AF28E86BB531F03358BE5FB74777C6086F850CAEF893F0D6FCC2D0C91EC013693B4EA' +
    '00B80CD49AAC4ECB5F8911AFE539ADA4A8F3823D1D13E472D1490547C659C7617F3D24087DDB6F2B72096167FC097CAB18E9A458FCB634CDCE8EE35894C484D7',
};

/** EMSA-PKCS1-v1_5 with SHA-1 (RFC 8017 §9.2, DigestInfo prefix of its Note 1). */
function emsaPkcs1Sha1(message: Uint8Array, k: number): Uint8Array {
  const t = concat(fromHex('3021300906052B0E03021A05000414'), sha1(message));
  return concat([0x00, 0x01], new Uint8Array(k - t.length - 3).fill(0xff), [0x00], t);
}

test('published vector: PKCS #1 v2.1 pkcs1v15sign-vectors Example 1.1 (raw RSASP1 / RSAVP1)', () => {
  const h = (name: keyof typeof PKCS1) => fromHex(PKCS1[name]);
  const em = emsaPkcs1Sha1(h('message'), 128);
  const crt = { n: h('n'), e: h('e'), p: h('p'), q: h('q'), dp: h('dp'), dq: h('dq'), qinv: h('qinv') };
  assert.equal(toHex(rsaPrivate(crt, em)), PKCS1.signature, 'CRT with the published dp, dq, qinv');
  assert.equal(toHex(rsaPrivate({ n: h('n'), e: h('e'), d: h('d') }, em)), PKCS1.signature, 'plain d');
  assert.equal(toHex(rsaPrivate({ n: h('n'), e: h('e'), p: h('p'), q: h('q') }, em)), PKCS1.signature, 'CRT parts derived from p, q, e');
  assert.equal(
    toHex(rsaPrivate({ n: h('n'), e: h('e'), d: h('d'), p: h('p'), q: h('q') }, em)),
    PKCS1.signature,
    'CRT parts derived from d',
  );
  assert.equal(toHex(rsaPublic({ n: h('n'), e: h('e') }, h('signature'))), toHex(em));
  const rebuilt = rsaKeyFromCrt(crt, 128);
  assert.equal(toHex(rebuilt.n), PKCS1.n);
  // rsaKeyFromCrt takes d = e⁻¹ mod φ(n), the file's d is e⁻¹ mod λ(n): different numbers, the same signatures
  assert.equal(toHex(rsaPrivate({ n: rebuilt.n, e: rebuilt.e, d: rebuilt.d }, em)), PKCS1.signature);
});

test('sign with the private key, recover with the public key; agrees with OpenSSL raw RSA', () => {
  const key = generateRsaKey(768, 3);
  assert.equal(key.n.length, 96);
  assert.equal(toHex(key.e), '03');
  const m = new Uint8Array(96);
  m[0] = 0x6a;
  m.set(fromHex('0102030405'), 10);
  m[95] = 0xbc;
  const s = rsaPrivate(key, m);
  assert.equal(toHex(rsaPublic(key, s)), toHex(m));
  const pub = createPublicKey({
    key: { kty: 'RSA', n: Buffer.from(key.n).toString('base64url'), e: Buffer.from(key.e).toString('base64url') },
    format: 'jwk',
  });
  assert.equal(
    Buffer.from(publicEncrypt({ key: pub, padding: constants.RSA_NO_PADDING }, Buffer.from(s)))
      .toString('hex')
      .toUpperCase(),
    toHex(m),
  );
  // the key rebuilt from its CRT components (as the card stores it) signs the same
  const rebuilt = rsaKeyFromCrt(key, 96);
  assert.equal(toBigInt(rebuilt.n), toBigInt(key.n));
  assert.equal(toHex(rsaPrivate(rebuilt, m)), toHex(s));
  // without the CRT parts, d alone gives the same signature
  assert.equal(toHex(rsaPrivate({ n: key.n, e: key.e, d: key.d }, m)), toHex(s));
});

test('generated keys: sizes of the EMV test PKI (1152, 1024, 768 bits), e = 3 or 65537, consistent parts', () => {
  for (const [bits, e] of [
    [1152, 3],
    [1024, 3],
    [768, 65537],
  ] as const) {
    const k = generateRsaKey(bits, e);
    assert.equal(k.n.length, bits / 8);
    assert.equal(toBigInt(k.e), BigInt(e));
    assert.equal(toBigInt(k.p) * toBigInt(k.q), toBigInt(k.n));
    const m = new Uint8Array(bits / 8);
    m[1] = 0x42;
    m[m.length - 1] = 0x17;
    assert.equal(toHex(rsaPublic(k, rsaPrivate(k, m))), toHex(m), `${bits} bits`);
  }
  assert.throws(() => generateRsaKey(1001), RangeError);
});

test('inputs of the wrong length or not below the modulus are refused; a key without private parts cannot sign', () => {
  const key = generateRsaKey(512, 3);
  assert.throws(() => rsaPublic(key, new Uint8Array(63)), RangeError);
  assert.throws(() => rsaPublic(key, new Uint8Array(64).fill(0xff)), RangeError);
  assert.throws(() => rsaPrivate({ n: key.n, e: key.e }, new Uint8Array(64)), /no private exponent/);
  assert.throws(() => rsaPrivate({ ...key, q: key.p }, new Uint8Array(64)), /p · q/);
});
