import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../core/bytes.ts';
import type { Exchange } from '../channel/recorder.ts';
import { factorsGivenToPsam, readsSfi, sentCommands, shiftDate } from './terminal.ts';

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
