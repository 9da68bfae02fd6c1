// SPDX-License-Identifier: EUPL-1.2
/**
 * A real HTTP server on 127.0.0.1 (port 0) whose routes are plain handlers: the fake feed host for
 * fetch and hostile-feed tests. close() also ends sockets a hostile route left hanging.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface TestServer {
  url: (path: string) => string;
  /** Requests seen, in order: method, path and headers. */
  requests: Array<{ path: string; headers: http.IncomingHttpHeaders }>;
  close: () => Promise<void>;
}

export async function startServer(routes: Record<string, Route>): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const requests: TestServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ path, headers: req.headers });
    const route = routes[path];
    if (!route) { res.writeHead(404).end('not found'); return; }
    route(req, res);
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

export const FAST = {
  timeoutMs: 2_000, connectTimeoutMs: 1_000, maxBytes: 1024 * 1024, maxRedirects: 5,
  userAgent: 'Banditore-test/1 (+mailto:ops@example.org)',
};

export function rss(items: string, channelExtra = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>CPI</title><link>http://cpi.example/</link>${channelExtra}${items}</channel></rss>`;
}

export function item(n: number, extra = ''): string {
  return `<item><title>Offerta ${n}</title><link>http://cpi.example/offerte/${n}</link><guid isPermaLink="false">PE-${n}</guid>${extra}</item>`;
}
