import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { ControlError, ControlServer, controlRequest, parseControlRequest } from './control.ts';

test('control requests are checked before anything is done', () => {
  assert.deepEqual(parseControlRequest({ op: 'new-sample', state: 'blank' }), { op: 'new-sample', state: 'blank' });
  assert.deepEqual(parseControlRequest({ op: 'arm-tear', k: 2, ins: 0xd6 }), { op: 'arm-tear', k: 2, ins: 0xd6 });
  assert.deepEqual(parseControlRequest({ op: 'arm-tear', k: 1 }), { op: 'arm-tear', k: 1 });
  assert.match(parseControlRequest({ op: 'arm-tear', k: 0 }) as string, /k is the number of the write/);
  assert.match(parseControlRequest({ op: 'arm-tear', k: 1, ins: 256 }) as string, /ins is an instruction byte/);
  assert.match(parseControlRequest({ op: 'new-sample', state: 'used' }) as string, /state is/);
  assert.match(parseControlRequest({ op: 'format' }) as string, /unknown op "format"/);
  assert.match(parseControlRequest([1]) as string, /unknown op/);
  assert.match(parseControlRequest('x') as string, /JSON object/);
});

async function withServer(fn: (endpoint: { host: string; port: number }, calls: string[]) => Promise<void>): Promise<void> {
  const calls: string[] = [];
  const server = new ControlServer(
    {
      info: () => 'profile default-t0',
      newSample: (state) => void calls.push(`new-sample ${state}`),
      armTear: (k, ins) => {
        if (k > 9) throw new RangeError('no such write');
        calls.push(`arm-tear ${k} ${ins ?? '-'}`);
      },
    },
    { host: '127.0.0.1', port: 0 },
  );
  await server.listen();
  try {
    await fn({ host: '127.0.0.1', port: server.port }, calls);
  } finally {
    await server.close();
  }
}

test('the fixture control answers info, new samples and power cuts; refusals reach the client as ControlError', async () => {
  await withServer(async (endpoint, calls) => {
    assert.deepEqual(await controlRequest(endpoint, { op: 'info' }), { ok: true, card: 'profile default-t0' });
    await controlRequest(endpoint, { op: 'new-sample', state: 'blank' });
    await controlRequest(endpoint, { op: 'arm-tear', k: 2, ins: 0x20 });
    assert.deepEqual(calls, ['new-sample blank', 'arm-tear 2 32']);
    await assert.rejects(
      controlRequest(endpoint, { op: 'arm-tear', k: 10 }),
      (e: Error) => e instanceof ControlError && /refused arm-tear: no such write/.test(e.message),
    );
  });
});

test('a line that is not JSON gets an error line, and the connection serves the next request', async () => {
  await withServer(async (endpoint) => {
    const lines = await new Promise<string[]>((resolve) => {
      const s = createConnection(endpoint.port, endpoint.host, () => s.write('{nope\n{"op":"info"}\n'));
      let text = '';
      s.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.split('\n').length > 2) {
          s.end();
          resolve(text.trim().split('\n'));
        }
      });
    });
    assert.deepEqual(
      lines.map((l) => JSON.parse(l)),
      [
        { ok: false, error: 'not JSON' },
        { ok: true, card: 'profile default-t0' },
      ],
    );
  });
});

test('no fixture control at the address: a ControlError that says what to start', async () => {
  await assert.rejects(
    controlRequest({ host: '127.0.0.1', port: 1 }, { op: 'info' }),
    (e: Error) => e instanceof ControlError && /sim serve --control 127\.0\.0\.1:1/.test(e.message),
  );
});
