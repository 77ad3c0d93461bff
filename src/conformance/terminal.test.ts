import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../core/bytes.ts';
import type { Exchange } from '../channel/recorder.ts';
import {
  answeredCommands,
  authenticationFlowDifferences,
  factorsGivenToPsam,
  otherCardFactors,
  readsSfi,
  sentCommands,
  shiftDate,
} from './terminal.ts';

test('shiftDate moves across months, years and leap days', () => {
  assert.equal(shiftDate('20280315', 1), '20280316');
  assert.equal(shiftDate('20280228', 1), '20280229');
  assert.equal(shiftDate('20270228', 1), '20270301');
  assert.equal(shiftDate('20300101', -1), '20291231');
  assert.throws(() => shiftDate('2028-03-15', 1), RangeError);
});

function ex(command: string, response: string, kind: 'apdu' | 'reset' = 'apdu'): Exchange {
  return { seq: 0, kind, at: 0, durationMs: 0, command: fromHex(command), response: fromHex(response) };
}

test('sentCommands folds the T=0 transport: 6Cxx re-issues and GET RESPONSE', () => {
  const sent = sentCommands([
    ex('', '3B00', 'reset'),
    ex('00A404000F7378312E73682EC9E7BBE1B1A3D5CF00', '6113'),
    ex('00C0000013', '6F119000'),
    ex('00B2012800', '6C12'),
    ex('00B2012812', '01109000'),
    ex('FF', '6700'),
  ]);
  assert.deepEqual(
    sent.map((c) => [c.ins, c.sw]),
    [
      [0xa4, 0x9000],
      [0xb2, 0x9000],
    ],
  );
  assert.ok(readsSfi(sent[1]!, 5));
  assert.ok(!readsSfi(sent[1]!, 6));
});

test('factorsGivenToPsam lists the data of every DES CALCULATION INITIALISE', () => {
  const f = factorsGivenToPsam([ex('801A4501103030303035533241310100000000000000', '9000'), ex('80FA000008AABBCCDDEEFF001100', '6108')]);
  assert.equal(f.length, 1);
  assert.equal(Buffer.from(f[0]!).toString('hex').toUpperCase(), '30303030355332413101000000000000');
});

test('answeredCommands gives a command the data and status word of its GET RESPONSE', () => {
  const sent = answeredCommands([
    ex('0084000008', '6108'),
    ex('00C0000008', '01020304050607089000'),
    ex('0082000108AABBCCDDEEFF0011', '9000'),
  ]);
  assert.equal(sent.length, 2);
  assert.equal(sent[0]!.sw, 0x9000);
  assert.deepEqual(sent[0]!.response, fromHex('0102030405060708'));
  assert.deepEqual(sent[1]!.response, new Uint8Array(0));
});

test('otherCardFactors changes the last byte of the first factor only', () => {
  const factors = [fromHex('0011223344556677'), fromHex('1122330000000000')];
  const other = otherCardFactors(factors);
  assert.deepEqual(other[0], fromHex('0011223344556676'));
  assert.deepEqual(other[1], factors[1]);
  assert.deepEqual(factors[0], fromHex('0011223344556677'));
});

test('authenticationFlowDifferences: the PSAM encrypted the challenge and the terminal sent its result', () => {
  const card = [ex('0084000008', '11223344556677889000'), ex('0082000108A1A2A3A4A5A6A7A8', '9000')];
  const psam = (result: string) => [ex('801A27010800000000000000AB', '9000'), ex('80FA0000081122334455667788', `${result}9000`)];
  const factors = fromHex('00000000000000AB');
  assert.deepEqual(authenticationFlowDifferences(card, psam('A1A2A3A4A5A6A7A8'), 'external', factors), []);
  assert.equal(authenticationFlowDifferences(card, psam('A1A2A3A4A5A6A7A9'), 'external', factors).length, 1);
  assert.equal(authenticationFlowDifferences(card, psam('A1A2A3A4A5A6A7A8'), 'external', fromHex('00000000000000AC')).length, 1);
});
