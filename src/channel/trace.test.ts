import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Bytes, fromHex, toHex } from '../core/bytes.ts';
import type { CardChannel } from './channel.ts';
import { composeChannel } from './compose.ts';
import { type Exchange, ExchangeRecorder, RecordingChannel } from './recorder.ts';
import { decodeExchange, decodeTrace } from './trace.ts';

function ex(command: string, response: string, extra: Partial<Exchange> = {}): Exchange {
  return { seq: 1, kind: 'apdu', at: 1000, durationMs: 0.5, command: fromHex(command), response: fromHex(response), ...extra };
}

// ---------------------------------------------------------------- trace model

test('decodeExchange: a command with data and Le, its name, response data and status word', () => {
  const d = decodeExchange(ex('00A404000E315041592E5359532E444446303100', '6F0A8408A000000333010101' + '9000'));
  assert.equal(d.name, 'SELECT');
  assert.equal(d.command?.ins, 0xa4);
  assert.equal(toHex(d.command!.data), '315041592E5359532E4444463031');
  assert.equal(d.command?.ne, 256);
  assert.equal(d.sw, 0x9000);
  assert.equal(toHex(d.data), '6F0A8408A000000333010101');
  assert.equal(d.malformed, undefined);
  assert.deepEqual([d.seq, d.kind, d.at, d.durationMs], [1, 'apdu', 1000, 0.5]);
});

test('decodeExchange: a proprietary class names the command of its application', () => {
  assert.equal(decodeExchange(ex('80A80000028300' + '00', '9000')).name, 'GET PROCESSING OPTIONS');
  assert.equal(decodeExchange(ex('00CA9F1700', '6A88')).name, 'GET DATA');
  assert.equal(decodeExchange(ex('006A0000', '6D00')).name, 'INS 6A');
});

test('decodeExchange: a malformed command keeps its bytes, the reason and a name', () => {
  const d = decodeExchange(ex('00A4040002A0', '6700'));
  assert.equal(d.command, undefined);
  assert.match(d.malformed ?? '', /Lc 2/);
  assert.equal(d.name, 'SELECT (malformed)');
  assert.equal(d.sw, 0x6700);
  assert.equal(decodeExchange(ex('00', '6700')).name, '(malformed)');
});

test('decodeExchange: a reset carries the ATR as its data and no status word', () => {
  const d = decodeExchange({
    seq: 3,
    kind: 'reset',
    at: 0,
    durationMs: 1,
    command: new Uint8Array(0),
    response: fromHex('3B6800000073C84013009000'),
  });
  assert.equal(d.name, 'RESET');
  assert.equal(d.sw, undefined);
  assert.equal(toHex(d.data), '3B6800000073C84013009000');
  assert.equal(d.command, undefined);
});

test('decodeExchange: a transport failure or a response without SW1 SW2 has no status word', () => {
  const failed = decodeExchange(ex('00B0000008', '', { error: 'reader removed' }));
  assert.equal(failed.error, 'reader removed');
  assert.equal(failed.sw, undefined);
  assert.equal(failed.data.length, 0);
  const short = decodeExchange(ex('00B0000008', '90'));
  assert.equal(short.sw, undefined);
  assert.equal(short.data.length, 0);
  assert.equal(short.raw.response.length, 1);
});

test('decodeTrace keeps the order and the recorded exchanges', () => {
  const xs = [ex('00A40000023F00', '9000', { seq: 1 }), ex('00B0000008', '6B00', { seq: 2 })];
  const decoded = decodeTrace(xs);
  assert.deepEqual(
    decoded.map((d) => [d.seq, d.name, d.sw]),
    [
      [1, 'SELECT', 0x9000],
      [2, 'READ BINARY', 0x6b00],
    ],
  );
  assert.equal(decoded[1]!.raw, xs[1]);
});

// ---------------------------------------------------------------- the recorder, synchronous

test('ExchangeRecorder records a synchronous operation with its own copies and numbers across clear()', () => {
  const log = new ExchangeRecorder();
  const command = fromHex('0084000008');
  const answer = fromHex('01020304050607089000');
  assert.equal(
    log.record('apdu', command, () => answer),
    answer,
  );
  command[0] = 0xff;
  answer[0] = 0xff;
  assert.equal(toHex(log.exchanges[0]!.command), '0084000008');
  assert.equal(toHex(log.exchanges[0]!.response), '01020304050607089000');
  assert.throws(
    () =>
      log.record('reset', new Uint8Array(0), () => {
        throw new Error('no power');
      }),
    /no power/,
  );
  assert.deepEqual(
    log.exchanges.map((x) => [x.seq, x.kind, x.error]),
    [
      [1, 'apdu', undefined],
      [2, 'reset', 'no power'],
    ],
  );
  assert.ok(log.exchanges.every((x) => x.durationMs >= 0 && Number.isFinite(x.at)));
  log.clear();
  log.record('apdu', command, () => fromHex('9000'));
  assert.equal(log.exchanges[0]!.seq, 3);
});

// ---------------------------------------------------------------- the decorator stack

/** A card that answers a SELECT 61 02 and a GET RESPONSE with two bytes. */
function t0Card(): CardChannel & { got: string[] } {
  const got: string[] = [];
  return {
    got,
    atr: fromHex('3B00'),
    protocol: 'T=0',
    description: 'T=0 card',
    transmit: async (c: Bytes) => {
      got.push(toHex(c));
      return c[1] === 0xc0 ? fromHex('AABB9000') : fromHex('6102');
    },
    reset: async () => fromHex('3B00'),
    close: async () => {},
  };
}

test('composeChannel: handled chains GET RESPONSE, raw does not, and the recorder sees both as the card did', async () => {
  const card = t0Card();
  const stack = composeChannel(card, { record: true });
  assert.ok(stack.recorder instanceof RecordingChannel);
  assert.equal(stack.raw, stack.recorder);
  assert.equal(toHex(await stack.handled.transmit(fromHex('00A4040001A000'))), 'AABB9000');
  assert.equal(toHex(await stack.raw.transmit(fromHex('00A4040001A000'))), '6102');
  assert.deepEqual(card.got, ['00A4040001A000', '00C0000002', '00A4040001A000']);
  assert.deepEqual(
    stack.recorder.exchanges.map((x) => toHex(x.command)),
    card.got,
  );
});

test('composeChannel: without recording raw is the transport itself; GET RESPONSE options reach the handling', async () => {
  const card = t0Card();
  const stack = composeChannel(card, { getResponse: { claForProprietary: 0x80 } });
  assert.equal(stack.recorder, undefined);
  assert.equal(stack.raw, card);
  await stack.handled.transmit(fromHex('80A8000002830000'));
  assert.deepEqual(card.got, ['80A8000002830000', '80C0000002']);
});
