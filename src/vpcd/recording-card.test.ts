import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../core/bytes.ts';
import { RecordingVirtualCard } from './recording-card.ts';

test('records power-ups, resets and exchanges in order, as the card saw them', () => {
  let powered = 0;
  const card = new RecordingVirtualCard({
    reset: () => fromHex('3B00'),
    powerOn: () => fromHex(`3B0${++powered}`),
    process: (apdu) => (apdu[1] === 0xa4 ? fromHex('9000') : fromHex('6D00')),
  });
  assert.equal(toHex(card.powerOn!()), '3B01');
  const command = fromHex('00A4040000');
  card.process(command);
  command[0] = 0xff; // the recorder keeps its own copy
  card.reset();
  card.process(fromHex('00B0000000'));
  const log = card.exchanges;
  assert.deepEqual(
    log.map((x) => [x.seq, x.kind, toHex(x.command), toHex(x.response)]),
    [
      [1, 'reset', '', '3B01'],
      [2, 'apdu', '00A4040000', '9000'],
      [3, 'reset', '', '3B00'],
      [4, 'apdu', '00B0000000', '6D00'],
    ],
  );
  assert.ok(log.every((x, i) => x.durationMs >= 0 && (i === 0 || x.at >= log[i - 1]!.at)));
});

test('a card that throws is recorded with the error and the error still reaches the server', () => {
  const card = new RecordingVirtualCard({
    reset: () => fromHex('3B00'),
    process: () => {
      throw new Error('card torn');
    },
  });
  assert.equal(card.powerOn, undefined);
  assert.throws(() => card.process(fromHex('0084000008')), /card torn/);
  assert.equal(card.exchanges[0]!.error, 'card torn');
});
