import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../core/bytes.ts';
import type { CardSession } from '../channel/session.ts';
import {
  type RecordFault,
  actionCodeWith,
  arcOfSecondAc,
  askedCryptogram,
  generateAcs,
  tsiHas,
  tvrBitOf,
  versionPlus,
  withRecordFault,
} from './terminal-financial.ts';
import type { SentCommand } from './terminal.ts';

test('askedCryptogram reads GENERATE AC P1 b8-b7', () => {
  assert.equal(askedCryptogram(0x00), 'AAC');
  assert.equal(askedCryptogram(0x40), 'TC');
  assert.equal(askedCryptogram(0x80), 'ARQC');
  assert.equal(askedCryptogram(0x90), 'ARQC');
  assert.equal(askedCryptogram(0xc0), 'RFU');
});

test('generateAcs finds the GENERATE ACs with their CDA request and position', () => {
  const c = (cla: number, ins: number, p1: number, data = ''): SentCommand => ({ cla, ins, p1, p2: 0, data: fromHex(data), sw: 0x9000 });
  const acs = generateAcs([c(0x80, 0xa8, 0), c(0x80, 0xae, 0x90), c(0x00, 0x82, 0), c(0x80, 0xae, 0x40, '3030')]);
  assert.deepEqual(
    acs.map((a) => [a.asked, a.cda, a.index]),
    [
      ['ARQC', true, 1],
      ['TC', false, 3],
    ],
  );
  assert.deepEqual(arcOfSecondAc(fromHex('8A029F0206'), acs[1]!), fromHex('3030'));
});

test('versionPlus is a near miss of the card version', () => {
  assert.equal(versionPlus('0020', 1), '0021');
  assert.equal(versionPlus('00FF', 1), '0100');
});

test('actionCodeWith sets the one TVR bit of a wording; tsiHas reads the TSI', () => {
  assert.deepEqual(actionCodeWith(tvrBitOf('ICC and terminal have different application versions')), fromHex('0080000000'));
  assert.deepEqual(actionCodeWith(tvrBitOf('new card')), fromHex('0008000000'));
  assert.throws(() => tvrBitOf('no such bit'));
  assert.equal(tsiHas(fromHex('8000'), 'Offline data authentication was performed'), true);
  assert.equal(tsiHas(fromHex('7F00'), 'Offline data authentication was performed'), false);
});

test('withRecordFault answers the n-th READ RECORD after GET PROCESSING OPTIONS, nothing before', async () => {
  const reads: number[] = [];
  const fake = {
    recorder: { mark: () => 42 },
    send: async () => ({ data: new Uint8Array(0), sw: 0x9000 }),
    readRecord: async (n: number) => {
      reads.push(n);
      return { data: fromHex('70'), sw: 0x9000 };
    },
  } as unknown as CardSession;
  const fault: RecordFault = {};
  const card = withRecordFault(fake, 2, 0x6a83, fault);
  assert.equal((await card.readRecord(1, { sfi: 1 })).sw, 0x9000); // the PSE directory, before GPO
  await card.send(fromHex('80A8000002830000'));
  assert.equal((await card.readRecord(1, { sfi: 2 })).sw, 0x9000);
  assert.equal((await card.readRecord(2, { sfi: 2 })).sw, 0x6a83);
  assert.equal(fault.at, 42);
  assert.deepEqual(reads, [1, 1]);
});
