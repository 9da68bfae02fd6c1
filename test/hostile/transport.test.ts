// SPDX-License-Identifier: EUPL-1.2
/** Servers that misbehave at the HTTP level: endless bodies, gzip bombs, hangs, drips, loops, 500s. */
import net from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, rss, item, type TestServer } from './helpers/server.ts';
import { pollError } from './helpers/poll.ts';

const timers = new Set<NodeJS.Timeout>();
let server: TestServer;

beforeAll(async () => {
  // ~10 MB of zeros compress to ~10 KB: the cap must apply to what comes out of gunzip.
  const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
  server = await startServer({
    '/endless': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => { while (res.write(chunk)) { /* keep writing until backpressure */ } };
      res.on('drain', pump);
      pump();
    },
    '/bomb': (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/rss+xml' }).end(bomb),
    '/big-declared': (_req, res) => { res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) }); res.write('<rss>'); },
    '/hang': () => { /* never answers */ },
    '/drip': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const body = rss(item(1));
      let i = 0;
      const t = setInterval(() => { if (i < body.length) res.write(body[i++]!); else { clearInterval(t); res.end(); } }, 1000);
      timers.add(t);
      res.on('close', () => clearInterval(t));
    },
    '/loop-a': (_req, res) => res.writeHead(302, { location: '/loop-b' }).end(),
    '/loop-b': (_req, res) => res.writeHead(302, { location: '/loop-a' }).end(),
    '/self': (_req, res) => res.writeHead(301, { location: '/self' }).end(),
    '/nolocation': (_req, res) => res.writeHead(302).end(),
    '/500': (_req, res) => res.writeHead(500).end('<html>Internal Server Error</html>'),
    '/reset': (req) => req.socket.destroy(),
    '/bad-gzip': (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(Buffer.from('not gzip at all')),
  });
});
afterAll(async () => {
  for (const t of timers) clearInterval(t);
  await server.close();
});

describe('hostile feed servers', () => {
  it('aborts an endless body at the byte cap', async () => {
    expect((await pollError(server.url('/endless'), { maxBytes: 512 * 1024 })).reason).toBe('body larger than 524288 bytes');
  });
  it('aborts a gzip bomb at the cap on decompressed bytes', async () => {
    expect((await pollError(server.url('/bomb'), { maxBytes: 1024 * 1024 })).reason).toBe('decompressed body larger than 1048576 bytes');
  });
  it('refuses a declared Content-Length above the cap without reading it', async () => {
    expect((await pollError(server.url('/big-declared'), { maxBytes: 1024 * 1024 })).reason).toBe('body larger than 1048576 bytes');
  });
  it('times out a server that never answers', async () => {
    expect((await pollError(server.url('/hang'), { timeoutMs: 300 })).reason).toBe('timed out after 300 ms');
  });
  it('times out a server that drips one byte a second (total, not idle, timeout)', async () => {
    expect((await pollError(server.url('/drip'), { timeoutMs: 1500 })).reason).toBe('timed out after 1500 ms');
  });
  it('times out a connection that is never established (TLS handshake never answered)', async () => {
    // A TCP listener that accepts and stays silent: for https the connection counts as made only once
    // the TLS handshake ends, so the connect timeout, not the total one, must fire.
    const silent = new Set<net.Socket>();
    const tcp = net.createServer((s) => { silent.add(s); });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    try {
      const { port } = tcp.address() as net.AddressInfo;
      expect((await pollError(`https://127.0.0.1:${port}/feed`, { connectTimeoutMs: 200, timeoutMs: 5_000 })).reason).toBe('could not connect within 200 ms');
    } finally {
      for (const s of silent) s.destroy();
      await new Promise<void>((r) => tcp.close(() => r()));
    }
  });
  it('detects redirect loops', async () => {
    expect((await pollError(server.url('/loop-a'))).reason).toBe('redirect loop');
    expect((await pollError(server.url('/self'))).reason).toBe('redirect loop');
    expect((await pollError(server.url('/nolocation'))).reason).toBe('HTTP 302 redirect without Location');
  });
  it('reports 500s, resets and broken gzip with one clear reason', async () => {
    expect((await pollError(server.url('/500'))).reason).toBe('HTTP 500');
    expect((await pollError(server.url('/reset'))).reason).toBe('connection reset by the server');
    expect((await pollError(server.url('/bad-gzip'))).reason).toBe('bad gzip body');
  });
});
