import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../core/bytes.ts';
import { carriesSecret, commandName } from '../core/ins.ts';
import type { Exchange } from '../channel/recorder.ts';
import { formatTrace } from './trace.ts';

function ex(command: string, response: string): Exchange {
  return { seq: 1, kind: 'apdu', at: 0, durationMs: 0.1, command: fromHex(command), response: fromHex(response) };
}

test('PINs and key material are masked unless shown; the PSAM encryption of a PIN block too', () => {
  assert.ok(carriesSecret(0x00, 0x20)); // VERIFY
  assert.ok(carriesSecret(0x84, 0xd4)); // WRITE KEY
  assert.ok(carriesSecret(0x80, 0xfa, 0x00)); // PSAM DES CALCULATION, encryption
  assert.ok(!carriesSecret(0x80, 0xfa, 0x05)); // PSAM MAC: record data, no secret
  assert.ok(!carriesSecret(0x00, 0xb2));
  assert.equal(commandName(0x80, 0x1a), 'DES CALCULATION INITIALISE');
  const verify = ex('002000000312345F', '9000');
  const masked = formatTrace([verify], { showSecrets: false });
  assert.match(masked, /\(3 bytes masked\)/);
  assert.doesNotMatch(masked, /12 34 5F/);
  assert.match(formatTrace([verify], { showSecrets: true }), /12 34 5F/);
  const psamEncrypt = formatTrace([ex('80FA000008061234561FFFFFFF00', '6108')], { showSecrets: false });
  assert.match(psamEncrypt, /DES CALCULATION[\s\S]*\(8 bytes masked\)/);
  const psamMac = formatTrace([ex('80FA050004AABBCCDD00', '6104')], { showSecrets: false });
  assert.match(psamMac, /AA BB CC DD/);
});
