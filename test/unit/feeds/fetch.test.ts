// SPDX-License-Identifier: EUPL-1.2
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchFeed, parseRetryAfter } from '../../../src/feeds/fetch.ts';
import { FeedError } from '../../../src/feeds/errors.ts';
import { HostLimiter } from '../../../src/feeds/host-limiter.ts';
import { FAST, item, rss, startServer, type TestServer } from '../../hostile/helpers/server.ts';

let server: TestServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

async function failure(p: Promise<unknown>): Promise<FeedError> {
  try { await p; } catch (err) { expect(err).toBeInstanceOf(FeedError); return err as FeedError; }
  throw new Error('expected a FeedError');
}

describe('fetchFeed', () => {
  it('sends an identifying User-Agent and gzip, and returns the validators', async () => {
    server = await startServer({
      '/feed': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': 'Mon, 23 Nov 2026 08:00:00 GMT' }).end(rss(item(1))),
    });
    const r = await fetchFeed(server.url('/feed'), FAST);
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.body.toString()).toContain('Offerta 1');
    expect(r.validators).toMatchObject({ etag: '"v1"', lastModified: 'Mon, 23 Nov 2026 08:00:00 GMT' });
    expect(server.requests[0]!.headers['user-agent']).toBe(FAST.userAgent);
    expect(server.requests[0]!.headers['accept-encoding']).toContain('gzip');
  });

  it('sends validators back and reports 304 as not modified', async () => {
    server = await startServer({
      '/feed': (req, res) => {
        if (req.headers['if-none-match'] === '"v1"' && req.headers['if-modified-since'] === 'Mon, 23 Nov 2026 08:00:00 GMT') res.writeHead(304).end();
        else res.writeHead(200, { etag: '"v1"' }).end(rss(item(1)));
      },
    });
    const r = await fetchFeed(server.url('/feed'), { ...FAST, validators: { etag: '"v1"', lastModified: 'Mon, 23 Nov 2026 08:00:00 GMT' } });
    expect(r).toEqual({ kind: 'not-modified', validators: { etag: '"v1"', lastModified: 'Mon, 23 Nov 2026 08:00:00 GMT' } });
  });

  it('reports an unchanged body by its hash when the server sends no validators', async () => {
    server = await startServer({ '/feed': (_req, res) => res.end(rss(item(1))) });
    const first = await fetchFeed(server.url('/feed'), FAST);
    if (first.kind !== 'ok') throw new Error('expected ok');
    expect(first.unchanged).toBe(false);
    expect(first.validators.bodyHash).toMatch(/^[0-9a-f]{64}$/);
    const second = await fetchFeed(server.url('/feed'), { ...FAST, validators: first.validators });
    expect(second.kind === 'ok' && second.unchanged).toBe(true);
  });

  it('decompresses gzip', async () => {
    server = await startServer({ '/feed': (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(rss(item(7)))) });
    const r = await fetchFeed(server.url('/feed'), FAST);
    expect(r.kind === 'ok' && r.body.toString()).toContain('Offerta 7');
  });

  it('follows redirects and reports the final URL', async () => {
    server = await startServer({
      '/old': (_req, res) => res.writeHead(301, { location: '/new' }).end(),
      '/new': (_req, res) => res.end(rss(item(2))),
    });
    const r = await fetchFeed(server.url('/old'), FAST);
    expect(r.kind === 'ok' && r.finalUrl).toBe(server.url('/new'));
  });

  it('stops after maxRedirects', async () => {
    const routes: Record<string, (req: any, res: any) => void> = {};
    for (let i = 0; i < 10; i++) routes[`/r${i}`] = (_req, res) => res.writeHead(302, { location: `/r${i + 1}` }).end();
    server = await startServer(routes);
    expect((await failure(fetchFeed(server.url('/r0'), { ...FAST, maxRedirects: 3 }))).reason).toBe('too many redirects (more than 3)');
  });

  it('reports Retry-After of a 429 (seconds) and a 503 (HTTP date)', async () => {
    const later = new Date(Date.now() + 120_000).toUTCString();
    server = await startServer({
      '/busy': (_req, res) => res.writeHead(429, { 'retry-after': '90' }).end(),
      '/down': (_req, res) => res.writeHead(503, { 'retry-after': later }).end(),
    });
    const busy = await failure(fetchFeed(server.url('/busy'), FAST));
    expect(busy.retryAfterMs).toBe(90_000);
    expect(busy.reason).toBe('rate limited (HTTP 429), retry after 90 s');
    const down = await failure(fetchFeed(server.url('/down'), FAST));
    expect(down.retryAfterMs).toBeGreaterThan(60_000);
    expect(down.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('turns other statuses and refused connections into FeedErrors', async () => {
    server = await startServer({ '/gone': (_req, res) => res.writeHead(410).end() });
    expect((await failure(fetchFeed(server.url('/gone'), FAST))).reason).toBe('HTTP 410');
    const port = new URL(server.url('/')).port;
    await server.close();
    server = undefined;
    expect((await failure(fetchFeed(`http://127.0.0.1:${port}/feed`, FAST))).reason).toBe('connection refused');
    expect((await failure(fetchFeed('ftp://example.org/feed', FAST))).reason).toMatch(/unsupported URL scheme/);
  });

  it('parses Retry-After values', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:00 GMT', Date.parse('2026-11-26T09:59:00Z'))).toBe(60_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('runs at most perHost requests at once per host, and other hosts are not held up', async () => {
    let inFlight = 0;
    let peak = 0;
    const pending: Array<() => void> = [];
    server = await startServer({
      '/slow': (_req, res) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        pending.push(() => { inFlight--; res.end(rss(item(1))); });
      },
    });
    const other = await startServer({ '/fast': (_req, res) => res.end(rss(item(2))) });
    try {
      const limiter = new HostLimiter();
      const slowUrl = server.url('/slow');
      const slow = [1, 2, 3, 4].map(() => fetchFeed(slowUrl, { ...FAST, timeoutMs: 10_000, perHost: 2, limiter }));
      // Another port is another host (host = name:port) for the limiter.
      const fast = await fetchFeed(other.url('/fast'), { ...FAST, timeoutMs: 10_000, perHost: 2, limiter });
      expect(fast.kind).toBe('ok');
      while (pending.length < 2) await new Promise((r) => setTimeout(r, 10));
      expect(limiter.activeFor(new URL(slowUrl).host)).toBe(2);
      // Answer the four requests one by one as they arrive (the last two only start once slots free up).
      for (let answered = 0; answered < 4;) {
        const next = pending.shift();
        if (next) { next(); answered++; } else await new Promise((r) => setTimeout(r, 10));
      }
      const results = await Promise.all(slow);
      expect(results.every((r) => r.kind === 'ok')).toBe(true);
      expect(peak).toBe(2);
    } finally {
      await other.close();
    }
  });
});
