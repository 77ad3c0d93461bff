/**
 * A static file server for one run's output directory, on 127.0.0.1 with an
 * ephemeral port: the report as a lab publishes it on its web server, next
 * to the matrix and the dossier. Read-only; nothing outside the directory is
 * served.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

export interface Served {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  origin: string;
  close(): Promise<void>;
}

/** The file a request path names inside `root`, or undefined when it leaves `root`. */
export function fileOf(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const file = resolve(join(root, decoded));
  return file === root || file.startsWith(root + sep) ? file : undefined;
}

/** Serves `dir` until `close()`. */
export async function serveDirectory(dir: string): Promise<Served> {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    let file = fileOf(root, new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    try {
      if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) throw new Error('refused');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
