import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../core/bytes.ts';
import { fromBigInt, toBigInt } from './rsa.ts';
import { G, N, mod, multiply } from './sm2-curve.ts';
import { nodeBaseMultiply, nodeHasSm2Curve, nodeVerifies } from './sm2-node.ts';
import { sm2Digest, sm2Sign } from './sm2.ts';

const skip = !nodeHasSm2Curve() && "this Node's OpenSSL has no SM2 curve";

test('k·G by OpenSSL is k·G in JavaScript, for the ends of the range and random k', { skip }, () => {
  const ks = [1n, 2n, 3n, N - 1n, N - 2n, 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n];
  for (let i = 0; i < 8; i++) ks.push((toBigInt(fromBigInt(BigInt(i + 1) * 0x9e3779b97f4a7c15n, 32)) * 0x10001n) % N);
  for (const k of ks) assert.deepEqual(nodeBaseMultiply(k), multiply(k, G), `k = ${k.toString(16)}`);
});

test('the ECDSA form of the check accepts exactly the SM2 equation (e + x1) mod n = r', { skip }, () => {
  const d = fromHex('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8');
  const pub = fromHex(
    '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020' + 'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13',
  );
  const msg = new TextEncoder().encode('message digest');
  const sig = sm2Sign(d, msg, { deterministic: true, engine: 'javascript' });
  const e = toBigInt(sm2Digest(pub, msg));
  const r = toBigInt(sig.slice(0, 32));
  const s = toBigInt(sig.slice(32));
  assert.equal(nodeVerifies(pub, e, r, s), true);
  assert.equal(nodeVerifies(pub, e + 1n, r, s), false);
  assert.equal(nodeVerifies(pub, e, r, mod(s + 1n, N)), false);
  assert.equal(nodeVerifies(pub, e, mod(r + 1n, N), s), false);
  // The same point with the other sign of y (−P_A): a signature for n − d, not for d.
  const negated = new Uint8Array(pub);
  negated.set(fromBigInt(mod(-toBigInt(pub.slice(32))), 32), 32);
  assert.equal(nodeVerifies(negated, e, r, s), false);
  assert.equal(nodeVerifies(pub, r, r, s), undefined, 'r − e ≡ 0 is left to the JavaScript engine');
});
