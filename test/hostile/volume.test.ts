// SPDX-License-Identifier: EUPL-1.2
/**
 * Size and encoding attacks through the real fetch + parse path: a 5 MB field, invalid UTF-8, and JSON
 * with __proto__ keys and deep nesting. RSS must stay bounded (50,000 items: volume-items.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, rss, item, type TestServer } from './helpers/server.ts';
import { assertHarmless, poll, pollError } from './helpers/poll.ts';
import { MAX_TEXT_CHARS, MAX_TITLE_CHARS } from '../../src/feeds/text-limits.ts';

const MB = 1024 * 1024;
let server: TestServer;

beforeAll(async () => {
  const huge = Buffer.from(rss(`<item><title>${'Titolo lunghissimo '.repeat(20_000)}</title><link>http://cpi.example/o/1</link><description>${'<p>Testo &egrave; lungo</p>'.repeat(200_000)}</description></item>`));
  const invalidUtf8 = Buffer.concat([
    Buffer.from('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item><title>Caff'),
    Buffer.from([0xe8, 0x20, 0x80]), // windows-1252 "è €" in a feed that claims UTF-8
    Buffer.from('</title><link>http://cpi.example/o/1</link></item></channel></rss>'),
  ]);
  const deep = '{"version":"https://jsonfeed.org/version/1.1","items":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
  const proto = JSON.stringify({
    '@context': 'https://schema.org', '@type': 'JobPosting', title: 'Magazziniere', url: 'https://cpi.example/o/9', identifier: 'PE-9',
  }).replace('{', '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},');
  const protoFeed = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 't', items: [{ id: '1', url: 'https://cpi.example/1', title: 'Uno' }] })
    .replace('"items":[{', '"items":[{"__proto__":{"polluted":"yes"},');
  server = await startServer({
    '/huge': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(huge),
    '/invalid-utf8': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(invalidUtf8),
    '/deep': (_req, res) => res.writeHead(200, { 'content-type': 'application/feed+json' }).end(deep),
    '/proto-ld': (_req, res) => res.writeHead(200, { 'content-type': 'application/ld+json' }).end(proto),
    '/proto-feed': (_req, res) => res.writeHead(200, { 'content-type': 'application/feed+json' }).end(protoFeed),
  });
});
afterAll(async () => { await server.close(); });

describe('volume and encoding attacks', () => {
  it('caps a 5 MB field before it can reach a follower', async () => {
    const feed = await poll(server.url('/huge'), { maxBytes: 20 * MB });
    const offer = feed.items[0]!.offer!;
    expect(offer.title.length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
    expect(offer.text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(offer.text.startsWith('Testo è lungo\nTesto è lungo')).toBe(true);
    expect(JSON.stringify(offer).length).toBeLessThan(20_000);
    console.log('rss MB', Math.round(process.memoryUsage().rss / MB));
    expect(process.memoryUsage().rss).toBeLessThan(300 * MB);
  });
  it('reads invalid UTF-8 as windows-1252 instead of failing or showing U+FFFD', async () => {
    const feed = await poll(server.url('/invalid-utf8'));
    expect(feed.items[0]!.title).toBe('Caffè €');
  });
  it('refuses JSON nested 100,000 deep with one clear reason', async () => {
    expect((await pollError(server.url('/deep'))).reason).toBe('JSON nested deeper than 64 levels');
  });
  it('ignores __proto__ / constructor keys in JSON-LD and JSON Feed, without pollution', async () => {
    const ld = await poll(server.url('/proto-ld'));
    expect(ld.items[0]).toMatchObject({ decision: 'post', title: 'Magazziniere', sourceId: 'PE-9' });
    const jf = await poll(server.url('/proto-feed'));
    expect(jf.items[0]).toMatchObject({ decision: 'post', title: 'Uno' });
    assertHarmless(ld);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
