/**
 * The fixture side of a simulated card served through PC/SC. A lab changes
 * samples between test cases and, for anti-tear tests (LD/T 6001 part 2,
 * 防拔), cuts the power at a chosen moment; a real card needs a technician or
 * a programmable reader for that. A card served by `ssc-lab sim serve
 * --control HOST:PORT` takes these requests on a loopback TCP port, so the
 * scenarios that need them run over the PC/SC path too:
 *
 *   {"op":"info"}                                 → {"ok":true,"card":"…"}
 *   {"op":"new-sample","state":"personalised"}    → the reader holds a new sample
 *   {"op":"new-sample","state":"blank"}             (blank: before personalisation)
 *   {"op":"arm-tear","k":2,"ins":214}             → power cut at write k of the next INS
 *
 * One JSON object per line each way; an error is {"ok":false,"error":"…"}.
 * The port is the lab's own: bind it to loopback only.
 */
import { type Server, type Socket, createConnection, createServer } from 'node:net';

export type ControlRequest =
  | { op: 'info' }
  | { op: 'new-sample'; state: 'personalised' | 'blank' }
  | { op: 'arm-tear'; k: number; ins?: number };

export type ControlResponse = { ok: true; card?: string } | { ok: false; error: string };

export interface ControlHandler {
  info(): string;
  newSample(state: 'personalised' | 'blank'): void;
  armTear(k: number, ins?: number): void;
}

/** Checks a decoded request; returns the request or the reason it is not one. */
export function parseControlRequest(value: unknown): ControlRequest | string {
  if (typeof value !== 'object' || value === null) return 'a request is a JSON object';
  const r = value as Record<string, unknown>;
  switch (r.op) {
    case 'info':
      return { op: 'info' };
    case 'new-sample':
      if (r.state !== 'personalised' && r.state !== 'blank') return 'new-sample: state is "personalised" or "blank"';
      return { op: 'new-sample', state: r.state };
    case 'arm-tear':
      if (!Number.isInteger(r.k) || (r.k as number) < 1) return 'arm-tear: k is the number of the write, 1 or more';
      if (r.ins !== undefined && !(Number.isInteger(r.ins) && (r.ins as number) >= 0 && (r.ins as number) <= 255))
        return 'arm-tear: ins is an instruction byte, 0-255';
      return { op: 'arm-tear', k: r.k as number, ...(r.ins !== undefined ? { ins: r.ins as number } : {}) };
    default:
      return `unknown op ${JSON.stringify(r.op)} (info, new-sample, arm-tear)`;
  }
}

function handle(line: string, handler: ControlHandler): ControlResponse {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const request = parseControlRequest(value);
  if (typeof request === 'string') return { ok: false, error: request };
  try {
    switch (request.op) {
      case 'info':
        return { ok: true, card: handler.info() };
      case 'new-sample':
        handler.newSample(request.state);
        return { ok: true };
      case 'arm-tear':
        handler.armTear(request.k, request.ins);
        return { ok: true };
    }
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** Listens for control requests; one handler call per line. */
export class ControlServer {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly handler: ControlHandler,
    private readonly endpoint: { host: string; port: number },
  ) {}

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
        let buffered = '';
        socket.on('data', (chunk: Buffer) => {
          buffered += chunk.toString('utf8');
          if (buffered.length > 4096) {
            socket.end(`${JSON.stringify({ ok: false, error: 'request too long' })}\n`);
            return;
          }
          for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (line) socket.write(`${JSON.stringify(handle(line, this.handler))}\n`);
          }
        });
      });
      server.once('error', reject);
      server.listen(this.endpoint.port, this.endpoint.host, () => {
        server.off('error', reject);
        this.server = server;
        resolve();
      });
    });
  }

  /** The port listened on (the one asked for, or the one the system chose for port 0). */
  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : this.endpoint.port;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Thrown when the control port does not answer or refuses a request. */
export class ControlError extends Error {
  override name = 'ControlError';
}

/** Sends one request over a short-lived connection and returns the card's answer. */
export function controlRequest(
  endpoint: { host: string; port: number },
  request: ControlRequest,
  timeoutMs = 5000,
): Promise<ControlResponse & { ok: true }> {
  return new Promise((resolve, reject) => {
    const where = `${endpoint.host}:${endpoint.port}`;
    const socket = createConnection(endpoint.port, endpoint.host);
    let buffered = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ControlError(`the simulator control at ${where} did not answer ${request.op} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(new ControlError(`no simulator control at ${where} (ssc-lab sim serve --control ${where}): ${e.message}`));
    });
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      socket.end();
      let response: ControlResponse;
      try {
        response = JSON.parse(buffered.slice(0, nl)) as ControlResponse;
      } catch {
        reject(new ControlError(`the simulator control at ${where} answered no JSON`));
        return;
      }
      if (response.ok) resolve(response);
      else reject(new ControlError(`the simulator control at ${where} refused ${request.op}: ${response.error}`));
    });
  });
}
