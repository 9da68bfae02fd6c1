// SPDX-License-Identifier: EUPL-1.2
/** 50,000 items through the real fetch + parse path, in its own process so RSS is its own. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, rss, item, type TestServer } from './helpers/server.ts';
import { poll } from './helpers/poll.ts';

const MB = 1024 * 1024;
let server: TestServer;

beforeAll(async () => {
  const many = Buffer.from(rss(Array.from({ length: 50_000 }, (_, i) => item(i, `<description>Descrizione dell'offerta numero ${i} con qualche parola in piu.</description>`)).join('')));
  server = await startServer({
    '/many': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(many),
  });
});
afterAll(async () => { await server.close(); });

describe('a feed with 50,000 items', () => {
  it('parses 50,000 items within bounded memory', async () => {
    const feed = await poll(server.url('/many'), { maxBytes: 50 * MB, timeoutMs: 30_000 });
    expect(feed.items).toHaveLength(50_000);
    expect(feed.items[49_999]).toMatchObject({ decision: 'post', title: 'Offerta 49999', sourceId: 'PE-49999' });
    console.log('rss MB', Math.round(process.memoryUsage().rss / MB));
    expect(process.memoryUsage().rss).toBeLessThan(300 * MB);
  });
});
