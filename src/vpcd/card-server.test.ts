import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Server, type Socket, createServer } from 'node:net';
import { join } from 'node:path';
import { fromHex, toHex } from '../core/bytes.ts';
import { PROJECT_ROOT } from '../core/json.ts';
import { loadProfile } from '../lab/profile.ts';
import { loadKeyset } from '../model/keyset.ts';
import { keysetPath } from '../lab/profile.ts';
import { personalisedCard } from '../lab/cards.ts';
import { FrameReader, TORN_ANSWER, VpcdCardServer, frame, parseEndpoint } from './card-server.ts';

test('FrameReader reassembles frames split anywhere, and several in one chunk', () => {
  const r = new FrameReader();
  const a = frame(fromHex('00A4040000'));
  const b = frame(fromHex('04'));
  const stream = new Uint8Array([...a, ...b]);
  const frames: string[] = [];
  for (const byte of stream) frames.push(...r.push(Uint8Array.of(byte)).map((f) => toHex(f)));
  assert.deepEqual(frames, ['00A4040000', '04']);
  assert.deepEqual(
    r.push(stream).map((f) => toHex(f)),
    ['00A4040000', '04'],
  );
  assert.deepEqual(r.push(a.slice(0, 1)), []);
  assert.equal(r.pending, 1);
  assert.deepEqual(
    r.push(a.slice(1)).map((f) => toHex(f)),
    ['00A4040000'],
  );
});

test('parseEndpoint: defaults, host only, port only, bad port', () => {
  assert.deepEqual(parseEndpoint(undefined), { host: '127.0.0.1', port: 35963 });
  assert.deepEqual(parseEndpoint('127.0.0.2'), { host: '127.0.0.2', port: 35963 });
  assert.deepEqual(parseEndpoint(':4000'), { host: '127.0.0.1', port: 4000 });
  assert.throws(() => parseEndpoint('h:70000'), RangeError);
  assert.deepEqual(parseEndpoint('127.0.0.2:35990', { portRequired: true }), { host: '127.0.0.2', port: 35990 });
  assert.throws(() => parseEndpoint('localhost', { portRequired: true }), /give HOST:PORT, got "localhost"/);
  assert.throws(() => parseEndpoint(undefined, { portRequired: true }), /give HOST:PORT/);
});

/** A stand-in for pcscd's vpcd: accepts the card, talks the framing, splits header and body as Debian's does. */
function fakeVpcd(): Promise<{ server: Server; port: number; next: () => Promise<Socket> }> {
  return new Promise((resolve) => {
    const waiting: ((s: Socket) => void)[] = [];
    const server = createServer((s) => waiting.shift()?.(s));
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({ server, port, next: () => new Promise((r) => waiting.push(r)) });
    });
  });
}

function exchange(s: Socket, reader: FrameReader, payload: Uint8Array, expectAnswer = true): Promise<Uint8Array | undefined> {
  const f = frame(payload);
  s.write(f.slice(0, 2));
  s.write(f.slice(2));
  if (!expectAnswer) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      const frames = reader.push(new Uint8Array(chunk));
      if (frames.length) {
        s.off('data', onData);
        resolve(frames[0]);
      }
    };
    s.on('data', onData);
  });
}

/** The reference card served to a fake vpcd, powered on: the card, its server, vpcd, and the accepted connection. */
async function servedCard(reconnectMs: number) {
  const file = join(PROJECT_ROOT, 'profiles', 'default.json');
  const profile = loadProfile(file);
  const card = await personalisedCard(profile, loadKeyset(keysetPath(profile, file)));
  const vpcd = await fakeVpcd();
  const server = new VpcdCardServer(card, { host: '127.0.0.1', port: vpcd.port, reconnectMs });
  const accepted = vpcd.next();
  await server.start();
  const socket = await accepted;
  const reader = new FrameReader();
  await exchange(socket, reader, Uint8Array.of(0x01), false);
  return { card, vpcd, server, socket, reader };
}

test('the simulated card answers vpcd: power on, get ATR, APDUs; reconnects after the connection drops', async () => {
  const served = await servedCard(50);
  const { card, vpcd, server, reader } = served;
  let s = served.socket;
  const atr = await exchange(s, reader, Uint8Array.of(0x04));
  assert.equal(toHex(atr!), toHex(card.reset()));
  const sel = await exchange(s, reader, fromHex('00A404000E315041592E5359532E444446303100'));
  assert.equal(toHex(sel!).slice(-4), '611C');
  const bad = await exchange(s, reader, fromHex('00FF0000'));
  assert.equal(toHex(bad!), '6D00');
  // pcscd restarts: the card comes back by itself
  const again = vpcd.next();
  s.destroy();
  s = await again;
  const atr2 = await exchange(s, new FrameReader(), Uint8Array.of(0x04));
  assert.equal(toHex(atr2!), toHex(card.reset()));
  assert.equal(server.stats.connections, 2);
  assert.ok(server.stats.apdus >= 2);
  await server.stop();
  vpcd.server.close();
});

test('a card torn by a power cut answers one byte, no status word, stays in the reader and is back after a reset', async () => {
  const { card, vpcd, server, socket: s, reader } = await servedCard(5000);
  const selectPse = fromHex('00A404000E315041592E5359532E444446303100');
  const before = await exchange(s, reader, selectPse);
  assert.equal(toHex(before!), '611C');
  card.armTear(1);
  const torn = await exchange(s, reader, fromHex('0020000003123456'));
  assert.equal(toHex(torn!), toHex(TORN_ANSWER), 'one byte: no response APDU, the terminal sees no status word');
  assert.equal(TORN_ANSWER.length, 1);
  // the terminal resets the card (pcscd: power down, power up, ATR): the same connection, the card answers again
  await exchange(s, reader, Uint8Array.of(0x00), false);
  await exchange(s, reader, Uint8Array.of(0x01), false);
  const atr = await exchange(s, reader, Uint8Array.of(0x04));
  assert.equal(toHex(atr!), toHex(card.reset()));
  const after = await exchange(s, reader, selectPse);
  assert.equal(toHex(after!), '611C');
  assert.equal(server.stats.connections, 1, 'no reinsertion');
  await server.stop();
  vpcd.server.close();
});

test('a card pulled out while a command is in flight leaves the reader: the connection drops, no answer', async () => {
  const file = join(PROJECT_ROOT, 'profiles', 'default.json');
  const profile = loadProfile(file);
  const inner = await personalisedCard(profile, loadKeyset(keysetPath(profile, file)));
  const vpcd = await fakeVpcd();
  let server: VpcdCardServer | undefined;
  const card = {
    reset: () => inner.reset(),
    process: (apdu: Uint8Array) => {
      if (apdu[1] === 0x20) {
        void server!.stop();
        throw new Error('pulled out');
      }
      return inner.process(apdu);
    },
  };
  server = new VpcdCardServer(card, { host: '127.0.0.1', port: vpcd.port, reconnectMs: 20 });
  const accepted = vpcd.next();
  await server.start();
  const s = await accepted;
  const outcome = new Promise<string>((resolve) => {
    s.on('data', () => resolve('answered'));
    s.on('close', () => resolve('closed'));
  });
  await exchange(s, new FrameReader(), fromHex('0020000003123456'), false);
  assert.equal(await outcome, 'closed');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(server.stats.connections, 1, 'a stopped server does not come back');
  vpcd.server.close();
});
