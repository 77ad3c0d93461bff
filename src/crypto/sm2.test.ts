import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import { generateSm2Key, sm2PublicKey, sm2Sign, sm2Verify, sm2Za } from './sm2.ts';

// GM/T 0003.5 / GB/T 32918 signature example on the recommended curve, ID 1234567812345678 (digest §4)
const D = fromHex('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8');
const PUB = fromHex('09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020' + 'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13');
const K = fromHex('59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21');
const MSG = new TextEncoder().encode('message digest');

test('published example: public key, Z_A, signature r ‖ s', () => {
  assert.equal(toHex(sm2PublicKey(D)), toHex(PUB));
  assert.equal(toHex(sm2Za(PUB)), 'B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3');
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
