import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, fromHex, toHex } from '../core/bytes.ts';
import {
  SM2_N,
  type Sm2Engine,
  generateSm2Key,
  sm2Digest,
  sm2Engine,
  sm2PublicKey,
  sm2Sign,
  sm2Verify,
  sm2Za,
  useSm2Engine,
} from './sm2.ts';
import { nodeHasSm2Curve } from './sm2-node.ts';
import { fromBigInt, toBigInt } from './rsa.ts';

// GM/T 0003.5 / GB/T 32918 signature example on the recommended curve sm2p256v1,
// ID 1234567812345678, message "message digest" (docs/sources.md §5: d, Px, Py, k, Z_A, e, r, s).
const D = fromHex('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8');
const PUB = fromHex(
  '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020' + 'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13',
);
const K = fromHex('59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21');
const MSG = new TextEncoder().encode('message digest');

test('published example: public key, Z_A, e, signature r ‖ s', () => {
  assert.equal(toHex(sm2PublicKey(D)), toHex(PUB));
  assert.equal(toHex(sm2Za(PUB)), 'B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3');
  assert.equal(toHex(sm2Za(PUB, new TextEncoder().encode('1234567812345678'))), toHex(sm2Za(PUB)), 'the default ID');
  assert.equal(toHex(sm2Digest(PUB, MSG)), 'F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640');
  assert.equal(
    toHex(sm2Sign(D, MSG, { k: K })),
    'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3' + 'B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
  );
  assert.ok(sm2Verify(PUB, MSG, sm2Sign(D, MSG, { k: K })));
});

test('random and deterministic signatures verify; tampering does not', () => {
  const { d, publicKey } = generateSm2Key();
  const sig = sm2Sign(d, MSG);
  assert.ok(sm2Verify(publicKey, MSG, sig));
  assert.equal(toHex(sm2Sign(d, MSG, { deterministic: true })), toHex(sm2Sign(d, MSG, { deterministic: true })));
  assert.ok(sm2Verify(publicKey, MSG, sm2Sign(d, MSG, { deterministic: true })));
  const bad = sig.slice();
  bad[63]! ^= 1;
  assert.ok(!sm2Verify(publicKey, MSG, bad));
  assert.ok(!sm2Verify(publicKey, new TextEncoder().encode('message digesT'), sig));
  assert.ok(!sm2Verify(PUB, MSG, sig));
  assert.ok(!sm2Verify(publicKey, MSG, sig, { id: new TextEncoder().encode('ALICE123@YAHOO.COM') }));
});

test('the example signature does not verify under another ID, message or key', () => {
  const sig = sm2Sign(D, MSG, { k: K });
  assert.ok(!sm2Verify(PUB, MSG, sig, { id: new TextEncoder().encode('1234567812345679') }));
  assert.ok(!sm2Verify(PUB, new TextEncoder().encode('message digest '), sig));
  const other = PUB.slice();
  other[63]! ^= 1; // not on the curve any more
  assert.ok(!sm2Verify(other, MSG, sig));
  assert.ok(!sm2Verify(PUB, MSG, sig.slice(0, 63)));
});

test('r, s out of range and invalid keys or nonces are refused', () => {
  const sig = sm2Sign(D, MSG, { k: K });
  const zeroR = sig.slice();
  zeroR.fill(0, 0, 32);
  assert.ok(!sm2Verify(PUB, MSG, zeroR));
  const bigS = sig.slice();
  bigS.set(fromBigInt(SM2_N, 32), 32);
  assert.ok(!sm2Verify(PUB, MSG, bigS));
  assert.throws(() => sm2PublicKey(new Uint8Array(32)), RangeError, 'd = 0');
  assert.throws(() => sm2PublicKey(fromBigInt(SM2_N - 1n, 32)), RangeError, 'd = n - 1');
  assert.throws(() => sm2Sign(D, MSG, { k: new Uint8Array(32) }), RangeError, 'k = 0');
  assert.throws(() => sm2Sign(D, MSG, { k: fromBigInt(SM2_N, 32) }), RangeError, 'k = n');
});

test('generated keys: d in range, public key = d·G; 20 random messages sign and verify', () => {
  for (let i = 0; i < 20; i++) {
    const { d, publicKey } = generateSm2Key();
    assert.equal(d.length, 32);
    assert.equal(toHex(sm2PublicKey(d)), toHex(publicKey));
    const m = new Uint8Array(i * 7).fill(i);
    assert.ok(sm2Verify(publicKey, m, sm2Sign(d, m)));
  }
});

const ENGINES: Sm2Engine[] = ['javascript', 'node:crypto'];
const noNodeSm2 = !nodeHasSm2Curve() && "this Node's OpenSSL has no SM2 curve";

test('node:crypto is the default engine wherever OpenSSL has the SM2 curve', () => {
  assert.equal(sm2Engine(), nodeHasSm2Curve() ? 'node:crypto' : 'javascript');
});

for (const engine of ENGINES) {
  test(`published example with the ${engine} engine: public key, signature, verification`, {
    skip: engine === 'node:crypto' && noNodeSm2,
  }, () => {
    assert.equal(toHex(sm2PublicKey(D, { engine })), toHex(PUB));
    const sig = sm2Sign(D, MSG, { k: K, engine });
    assert.equal(
      toHex(sig),
      'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3' +
        'B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
    );
    assert.ok(sm2Verify(PUB, MSG, sig, { engine }));
    assert.ok(!sm2Verify(PUB, new TextEncoder().encode('message digesT'), sig, { engine }));
    assert.ok(!sm2Verify(PUB, MSG, sig, { engine, id: new TextEncoder().encode('1234567812345679') }));
  });
}

test('the two engines agree: public keys, deterministic signatures, verdicts on good and altered signatures', { skip: noNodeSm2 }, () => {
  for (let i = 0; i < 12; i++) {
    const { d, publicKey } = generateSm2Key({ engine: 'javascript' });
    assert.equal(toHex(sm2PublicKey(d, { engine: 'node:crypto' })), toHex(publicKey));
    const m = new Uint8Array(i * 11).fill(0x30 + i);
    const sig = sm2Sign(d, m, { deterministic: true, engine: 'node:crypto' });
    assert.equal(toHex(sm2Sign(d, m, { deterministic: true, engine: 'javascript' })), toHex(sig));
    const random = sm2Sign(d, m, { engine: 'node:crypto' });
    const altered = [sig, random];
    for (const at of [0, 17, 31, 32, 50, 63]) {
      const bad = sig.slice();
      bad[at]! ^= 1 << (i % 8);
      altered.push(bad);
    }
    const other = generateSm2Key({ engine: 'node:crypto' }).publicKey;
    for (const s of altered) {
      for (const [pub, msg] of [
        [publicKey, m],
        [other, m],
        [publicKey, concat(m, [0])],
      ] as const) {
        const js = sm2Verify(pub, msg, s, { engine: 'javascript' });
        assert.equal(sm2Verify(pub, msg, s, { engine: 'node:crypto' }), js);
      }
    }
    assert.ok(sm2Verify(publicKey, m, sig, { engine: 'javascript' }));
    assert.ok(sm2Verify(publicKey, m, random, { engine: 'javascript' }));
  }
});

test('the signature with r = e mod n, which the node:crypto check cannot take, is decided as the JavaScript engine does', {
  skip: noNodeSm2,
}, () => {
  // r − e ≡ 0: the ECDSA form of the check has no r' (sm2-node.ts); sm2Verify falls back.
  const e = toBigInt(sm2Digest(PUB, MSG));
  const sig = concat(fromBigInt(e % SM2_N, 32), fromBigInt(12345n, 32));
  assert.equal(sm2Verify(PUB, MSG, sig, { engine: 'node:crypto' }), sm2Verify(PUB, MSG, sig, { engine: 'javascript' }));
  assert.equal(sm2Verify(PUB, MSG, sig), false);
});

test('useSm2Engine sets the default engine and undefined restores the automatic choice', () => {
  const automatic = sm2Engine();
  useSm2Engine('javascript');
  try {
    assert.equal(sm2Engine(), 'javascript');
    assert.equal(toHex(sm2Sign(D, MSG, { k: K }).slice(0, 32)), 'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3');
  } finally {
    useSm2Engine(undefined);
  }
  assert.equal(sm2Engine(), automatic);
});
