// SPDX-License-Identifier: EUPL-1.2
/** ParsedFeed.incomplete: the parts of a document the reader could not read (issue 13). */
import { describe, expect, it } from 'vitest';
import { parseFeedBytes } from '../../../src/feeds/pipeline.ts';

const ctx = { publisherId: 'p', timezone: 'Europe/Rome', feedUrl: 'https://cpi.example/offerte.html', now: new Date('2026-11-26T09:00:00Z') };
const posting = (n: number) => JSON.stringify({ '@context': 'https://schema.org', '@type': 'JobPosting', identifier: `PE-${n}`, title: `Offerta ${n}`, url: `https://cpi.example/o/${n}` });
const page = (...blocks: string[]) => Buffer.from(`<!doctype html><html><head>${blocks.map((b) => `<script type="application/ld+json">${b}</script>`).join('')}</head><body></body></html>`);

describe('a document read in part', () => {
  it('is complete when every block and item was read', () => {
    expect(parseFeedBytes(page(posting(1), posting(2)), 'text/html', ctx).incomplete).toBeUndefined();
  });

  it('says so when a JSON-LD block does not parse, and still gives the other offers', () => {
    const parsed = parseFeedBytes(page(posting(1), posting(2).slice(0, 30), posting(3)), 'text/html', ctx);
    expect(parsed.incomplete).toEqual(['1 JSON-LD block(s) that do not parse']);
    expect(parsed.items.map((i) => i.sourceId)).toEqual(['PE-1', 'PE-3']);
  });

  it('says so when an item has neither id nor link (its identity is unknown)', () => {
    const rss = Buffer.from('<?xml version="1.0"?><rss version="2.0"><channel><title>CPI</title><item><title>Senza link</title></item><item><title>Ok</title><link>https://cpi.example/o/1</link></item></channel></rss>');
    expect(parseFeedBytes(rss, 'application/rss+xml', ctx).incomplete).toEqual(['1 item(s) without id or link']);
  });

  it('an item with an identity but unfit to post (no title) keeps the document complete', () => {
    const rss = Buffer.from('<?xml version="1.0"?><rss version="2.0"><channel><title>CPI</title><item><guid isPermaLink="false">PE-9</guid><link>https://cpi.example/o/9</link></item></channel></rss>');
    const parsed = parseFeedBytes(rss, 'application/rss+xml', ctx);
    expect(parsed.items[0]!.decision).toBe('no-title');
    expect(parsed.incomplete).toBeUndefined();
  });
});
