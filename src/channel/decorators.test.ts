import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Bytes, fromHex, toHex } from '../core/bytes.ts';
import type { Protocol } from '../core/atr.ts';
import { type CardChannel, TransportError } from './channel.ts';
import { GetResponseChannel } from './get-response.ts';
import { RecordingChannel } from './recorder.ts';

type Scripted = Bytes | Error;

/**
 * A scripted inner channel: answers each transmit with the next queued
 * response (or throws the queued error), and records every command it got.
 */
class FakeChannel implements CardChannel {
  readonly received: string[] = [];
  readonly resets: (boolean | undefined)[] = [];
  private readonly queue: Scripted[] = [];
  closed = false;
  atr: Bytes = fromHex('3B 60 00 00');
  readonly protocol: Protocol = 'T=0';
  readonly description = 'fake';

  constructor(...responses: (string | Error)[]) {
    this.script(...responses);
  }

  script(...responses: (string | Error)[]): this {
    for (const r of responses) this.queue.push(typeof r === 'string' ? fromHex(r) : r);
    return this;
  }

  get remaining(): number {
    return this.queue.length;
  }

  async transmit(command: Bytes): Promise<Bytes> {
    this.received.push(toHex(command, ' '));
    const next = this.queue.shift();
    if (next === undefined) throw new Error(`unexpected command ${toHex(command, ' ')}`);
    if (next instanceof Error) throw next;
    return next;
  }

  async reset(cold?: boolean): Promise<Bytes> {
    this.resets.push(cold);
    const next = this.queue.shift();
    if (next instanceof Error) throw next;
    if (next !== undefined) this.atr = next;
    return this.atr;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

async function send(ch: CardChannel, hex: string): Promise<string> {
  return toHex(await ch.transmit(fromHex(hex)), ' ');
}

// ---------------------------------------------------------------- GET RESPONSE

test('GetResponseChannel: 61xx triggers 00 C0 00 00 xx and the data is concatenated', async () => {
  const inner = new FakeChannel('61 04', '6F 02 84 00 90 00');
  const ch = new GetResponseChannel(inner);
  assert.equal(await send(ch, '00 A4 04 00 02 A0 00'), '6F 02 84 00 90 00');
  assert.deepEqual(inner.received, ['00 A4 04 00 02 A0 00', '00 C0 00 00 04']);
});

test('GetResponseChannel: data that came with 61xx is kept in front', async () => {
  const inner = new FakeChannel('01 02 61 02', '03 04 90 00');
  const ch = new GetResponseChannel(inner);
  assert.equal(await send(ch, '00 B2 01 0C 00'), '01 02 03 04 90 00');
});

test('GetResponseChannel: chained 61xx issues several GET RESPONSEs', async () => {
  const inner = new FakeChannel('61 03', 'AA BB CC 61 02', 'DD EE 61 01', 'FF 90 00');
  const ch = new GetResponseChannel(inner);
  assert.equal(await send(ch, '00 A4 04 00 01 A0'), 'AA BB CC DD EE FF 90 00');
  assert.deepEqual(inner.received, ['00 A4 04 00 01 A0', '00 C0 00 00 03', '00 C0 00 00 02', '00 C0 00 00 01']);
});

test('GetResponseChannel: 6100 means 256 bytes (GET RESPONSE with Le 00)', async () => {
  const big = toHex(new Uint8Array(256).fill(0x5a), ' ');
  const inner = new FakeChannel('61 00', `${big} 61 02`, '01 02 90 00');
  const ch = new GetResponseChannel(inner);
  const r = await ch.transmit(fromHex('00 A4 04 00 01 A0'));
  assert.equal(r.length, 256 + 2 + 2);
  assert.equal(toHex(r.subarray(-4)), '01029000');
  assert.deepEqual(inner.received.slice(1), ['00 C0 00 00 00', '00 C0 00 00 02']);
});

test('GetResponseChannel: the final status word is that of the last GET RESPONSE', async () => {
  const inner = new FakeChannel('61 02', 'AA BB 62 82');
  const ch = new GetResponseChannel(inner);
  assert.equal(await send(ch, '00 A4 04 00 01 A0'), 'AA BB 62 82');
});

test('GetResponseChannel: 6Cxx re-issues a case 1 command with Le = xx', async () => {
  const inner = new FakeChannel('6C 10', `${'11 '.repeat(16)}90 00`);
  const ch = new GetResponseChannel(inner);
  const r = await ch.transmit(fromHex('00 B0 00 00'));
  assert.equal(r.length, 18);
  assert.deepEqual(inner.received, ['00 B0 00 00', '00 B0 00 00 10']);
});

test('GetResponseChannel: 6Cxx re-issues a case 2 command with Le = xx', async () => {
  const inner = new FakeChannel('6C 08', '11 11 11 11 11 11 11 11 90 00');
  const ch = new GetResponseChannel(inner);
  assert.equal(await send(ch, '00 B2 01 B4 20'), '11 11 11 11 11 11 11 11 90 00');
  assert.deepEqual(inner.received, ['00 B2 01 B4 20', '00 B2 01 B4 08']);
});

test('GetResponseChannel: 6C00 re-issues with Le 00 (256)', async () => {
  const inner = new FakeChannel('6C 00', '90 00');
  const ch = new GetResponseChannel(inner);
  await send(ch, '00 B0 00 00 10');
  assert.deepEqual(inner.received, ['00 B0 00 00 10', '00 B0 00 00 00']);
});

test('GetResponseChannel: 6Cxx re-issues a case 4 command with the same data and Le = xx', async () => {
  const inner = new FakeChannel('6C 1C', '61 1C', `${'6F '.repeat(28)}90 00`);
  const ch = new GetResponseChannel(inner);
  const r = await ch.transmit(fromHex('00 A4 04 00 02 A0 00 00'));
  assert.equal(r.length, 30);
  assert.deepEqual(inner.received, ['00 A4 04 00 02 A0 00 00', '00 A4 04 00 02 A0 00 1C', '00 C0 00 00 1C']);
});

test('GetResponseChannel: 6Cxx on an extended command keeps the extended form', async () => {
  const inner = new FakeChannel('6C 05', '01 02 03 04 05 90 00');
  const ch = new GetResponseChannel(inner);
  await send(ch, '00 B0 00 00 00 01 00');
  assert.deepEqual(inner.received, ['00 B0 00 00 00 01 00', '00 B0 00 00 00 00 05']);
});

test('GetResponseChannel: 6Cxx is re-issued only once', async () => {
  const inner = new FakeChannel('6C 08', '6C 04');
  const ch = new GetResponseChannel(inner);
  assert.equal(await send(ch, '00 B0 00 00 10'), '6C 04');
  assert.equal(inner.received.length, 2);
});

test('GetResponseChannel: 6Cxx for a malformed command is passed through', async () => {
  const inner = new FakeChannel('6C 08');
  const ch = new GetResponseChannel(inner);
  assert.equal(await send(ch, '00 B0 00 00 00 10'), '6C 08');
  assert.deepEqual(inner.received, ['00 B0 00 00 00 10']);
});

test('GetResponseChannel: a 6Cxx answer to GET RESPONSE is retried with the right Le', async () => {
  const inner = new FakeChannel('61 10', '6C 08', '01 02 03 04 05 06 07 08 90 00');
  const ch = new GetResponseChannel(inner);
  assert.equal(await send(ch, '00 A4 04 00 01 A0'), '01 02 03 04 05 06 07 08 90 00');
  assert.deepEqual(inner.received, ['00 A4 04 00 01 A0', '00 C0 00 00 10', '00 C0 00 00 08']);
});

test('GetResponseChannel: proprietary CLA 80 uses CLA 00 for GET RESPONSE', async () => {
  const inner = new FakeChannel('61 02', 'AA BB 90 00');
  const ch = new GetResponseChannel(inner);
  assert.equal(await send(ch, '80 A8 00 00 02 83 00 00'), 'AA BB 90 00');
  assert.deepEqual(inner.received, ['80 A8 00 00 02 83 00 00', '00 C0 00 00 02']);
});

test('GetResponseChannel: claForProprietary option and logical-channel bits', async () => {
  const a = new FakeChannel('61 01', 'AA 90 00');
  await send(new GetResponseChannel(a, { claForProprietary: 0x80 }), '84 A8 00 00 02 83 00');
  assert.equal(a.received[1], '80 C0 00 00 01');
  // interindustry CLA: logical channel bits kept, secure-messaging bits dropped
  const b = new FakeChannel('61 01', 'AA 90 00');
  await send(new GetResponseChannel(b), '0D A4 04 00 01 A0');
  assert.equal(b.received[1], '01 C0 00 00 01');
});

test('GetResponseChannel: maxChain limits the number of GET RESPONSEs', async () => {
  const inner = new FakeChannel('61 01', '01 61 01', '02 61 01', '03 61 01', '04 61 01');
  const ch = new GetResponseChannel(inner, { maxChain: 2 });
  assert.equal(await send(ch, '00 A4 04 00 01 A0'), '01 02 61 01');
  assert.equal(inner.received.length, 3);
  assert.equal(inner.remaining, 2);
});

test('GetResponseChannel: the default maxChain is 32', async () => {
  const inner = new FakeChannel('61 01');
  for (let i = 0; i < 40; i++) inner.script('EE 61 01');
  const ch = new GetResponseChannel(inner);
  const r = await ch.transmit(fromHex('00 A4 04 00 01 A0'));
  assert.equal(inner.received.length, 1 + 32);
  assert.equal(r.length, 32 + 2);
  assert.equal(toHex(r.subarray(-2)), '6101');
});

test('GetResponseChannel: other status words pass through untouched', async () => {
  for (const resp of ['90 00', '6A 82', '62 83', '01 02 03 90 00', '6F 00', '63 C2', '91 00', '6B 00']) {
    const inner = new FakeChannel(resp);
    const ch = new GetResponseChannel(inner);
    assert.equal(await send(ch, '00 A4 04 00 01 A0'), resp);
    assert.equal(inner.received.length, 1, resp);
  }
});

test('GetResponseChannel: a transport error from the inner channel propagates', async () => {
  const inner = new FakeChannel('61 02', new TransportError('card removed'));
  const ch = new GetResponseChannel(inner);
  await assert.rejects(() => ch.transmit(fromHex('00 A4 04 00 01 A0')), TransportError);
});

test('GetResponseChannel forwards atr, protocol, description, reset and close', async () => {
  const inner = new FakeChannel('3B 61 00 00 41');
  const ch = new GetResponseChannel(inner);
  assert.equal(ch.protocol, 'T=0');
  assert.equal(ch.description, 'fake');
  assert.equal(toHex(ch.atr), '3B600000');
  assert.equal(toHex(await ch.reset(true)), '3B61000041');
  assert.deepEqual(inner.resets, [true]);
  assert.equal(toHex(ch.atr), '3B61000041');
  await ch.close();
  assert.equal(inner.closed, true);
});

// ---------------------------------------------------------------- recorder

test('RecordingChannel records seq, kind, command, response and duration', async () => {
  const inner = new FakeChannel('6F 00 90 00', '6A 82');
  const rec = new RecordingChannel(inner);
  assert.equal(await send(rec, '00 A4 00 00 02 3F 00'), '6F 00 90 00');
  assert.equal(await send(rec, '00 A4 00 00 02 12 34'), '6A 82');
  const log = rec.exchanges;
  assert.equal(log.length, 2);
  assert.deepEqual(
    log.map((e) => [e.seq, e.kind, toHex(e.command), toHex(e.response), e.error]),
    [
      [1, 'apdu', '00A4000002' + '3F00', '6F009000', undefined],
      [2, 'apdu', '00A4000002' + '1234', '6A82', undefined],
    ],
  );
  for (const e of log) {
    assert.ok(e.durationMs >= 0, `durationMs ${e.durationMs}`);
    assert.ok(Number.isFinite(e.at));
  }
});

test('RecordingChannel copies the command and response bytes', async () => {
  const inner = new FakeChannel('90 00');
  const rec = new RecordingChannel(inner);
  const cmd = fromHex('00 B0 00 00 01');
  const resp = await rec.transmit(cmd);
  cmd[0] = 0xff;
  resp[0] = 0x00;
  assert.equal(toHex(rec.exchanges[0]!.command), '00B0000001');
  assert.equal(toHex(rec.exchanges[0]!.response), '9000');
});

test('RecordingChannel mark and since', async () => {
  const inner = new FakeChannel('90 00', '90 01', '90 02');
  const rec = new RecordingChannel(inner);
  assert.equal(rec.mark(), 0);
  await send(rec, '00 00 00 00');
  const m = rec.mark();
  assert.equal(m, 1);
  await send(rec, '00 00 00 01');
  await send(rec, '00 00 00 02');
  assert.deepEqual(
    rec.since(m).map((e) => [e.seq, toHex(e.response)]),
    [
      [2, '9001'],
      [3, '9002'],
    ],
  );
  assert.equal(rec.since(rec.mark()).length, 0);
  assert.equal(rec.since(0).length, 3);
});

test('RecordingChannel clear empties the log but keeps numbering', async () => {
  const inner = new FakeChannel('90 00', '90 00');
  const rec = new RecordingChannel(inner);
  await send(rec, '00 00 00 00');
  rec.clear();
  assert.equal(rec.exchanges.length, 0);
  assert.equal(rec.mark(), 0);
  await send(rec, '00 00 00 00');
  assert.equal(rec.exchanges[0]!.seq, 2);
});

test('RecordingChannel records the error message and rethrows when the inner channel throws', async () => {
  const failure = new TransportError('reader removed');
  const inner = new FakeChannel(failure, '90 00');
  const rec = new RecordingChannel(inner);
  await assert.rejects(
    () => rec.transmit(fromHex('00 A4 00 00')),
    (e: unknown) => e === failure,
  );
  const e = rec.exchanges[0]!;
  assert.equal(e.seq, 1);
  assert.equal(e.kind, 'apdu');
  assert.equal(toHex(e.command), '00A40000');
  assert.equal(e.response.length, 0);
  assert.equal(e.error, 'reader removed');
  assert.ok(e.durationMs >= 0);
  // recording continues afterwards
  assert.equal(await send(rec, '00 A4 00 00'), '90 00');
  assert.equal(rec.exchanges[1]!.seq, 2);
  assert.equal(rec.exchanges[1]!.error, undefined);
});

test('RecordingChannel records a thrown non-Error as its string', async () => {
  const inner: CardChannel = {
    atr: new Uint8Array(0),
    protocol: 'T=1',
    description: 'throws a string',
    transmit: () => Promise.reject('boom'),
    reset: () => Promise.reject(42),
    close: async () => {},
  };
  const rec = new RecordingChannel(inner);
  await assert.rejects(() => rec.transmit(fromHex('00 00 00 00')));
  await assert.rejects(() => rec.reset());
  assert.equal(rec.exchanges[0]!.error, 'boom');
  assert.equal(rec.exchanges[1]!.error, '42');
  assert.equal(rec.exchanges[1]!.kind, 'reset');
});

test('RecordingChannel: reset exchanges have kind reset and the ATR as response', async () => {
  const inner = new FakeChannel('90 00', '3B 6B 00 00 86 58 4D 4C 2D 53 53 43 6C 61 62');
  const rec = new RecordingChannel(inner);
  await send(rec, '00 A4 00 00');
  const atr = await rec.reset(true);
  assert.equal(toHex(atr), '3B6B000086584D4C2D5353436C6162');
  assert.deepEqual(inner.resets, [true]);
  const e = rec.exchanges[1]!;
  assert.equal(e.seq, 2);
  assert.equal(e.kind, 'reset');
  assert.equal(e.command.length, 0);
  assert.equal(toHex(e.response), '3B6B000086584D4C2D5353436C6162');
  assert.ok(e.durationMs >= 0);
  await rec.reset();
  assert.deepEqual(inner.resets, [true, undefined]);
});

test('RecordingChannel under GetResponseChannel sees every exchange as the card saw it', async () => {
  const inner = new FakeChannel('6C 02', '61 02', 'AA BB 90 00');
  const rec = new RecordingChannel(inner);
  const ch = new GetResponseChannel(rec);
  assert.equal(await send(ch, '00 A4 04 00 01 A0 00'), 'AA BB 90 00');
  assert.deepEqual(
    rec.exchanges.map((e) => [e.seq, toHex(e.command, ' '), toHex(e.response, ' ')]),
    [
      [1, '00 A4 04 00 01 A0 00', '6C 02'],
      [2, '00 A4 04 00 01 A0 02', '61 02'],
      [3, '00 C0 00 00 02', 'AA BB 90 00'],
    ],
  );
});
