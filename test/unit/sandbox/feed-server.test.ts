// SPDX-License-Identifier: EUPL-1.2
import { parseRssFeed } from 'feedsmith';
import { afterEach, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../../../src/sandbox/feed-server.ts';
import { SAMPLE_OFFER_SEEDS, sampleCode } from '../../../src/sandbox/sample-offers.ts';

let server: FeedServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const NOW = Date.parse('2026-11-26T09:00:00Z');

describe('demo feed server', () => {
  it('serves the initial offers as RSS 2.0 with code guids, links, dates with zone and contract categories', async () => {
    server = await startFeedServer({ initial: 5, newEveryMs: 0, now: () => NOW });
    const res = await fetch(server.rssUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/rss\+xml/);
    const feed = parseRssFeed(await res.text());
    expect(feed.items).toHaveLength(5);
    const newest = feed.items?.[0];
    expect(newest?.guid).toEqual({ value: sampleCode(4), isPermaLink: false });
    expect(newest?.link).toBe(`${server.url}/offerte/${sampleCode(4)}`);
    expect(newest?.title).toBe(SAMPLE_OFFER_SEEDS[4]?.title);
    expect(newest?.pubDate).toMatch(/^\w{3}, \d{2} \w{3} 2026 \d{2}:\d{2}:\d{2} \+0100$/);
    expect(newest?.categories?.[0]?.name).toBe(SAMPLE_OFFER_SEEDS[4]?.contract);
  });

  it('answers 304 to a conditional GET, and 200 with the new offer after publishNext', async () => {
    let now = NOW;
    server = await startFeedServer({ initial: 3, newEveryMs: 0, now: () => now });
    const first = await fetch(server.rssUrl);
    const etag = first.headers.get('etag');
    const lastModified = first.headers.get('last-modified');
    expect(etag).toBeTruthy();
    expect(lastModified).toBeTruthy();
    await first.text();

    const again = await fetch(server.rssUrl, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const bySince = await fetch(server.jsonLdUrl, { headers: { 'if-modified-since': lastModified! } });
    expect(bySince.status).toBe(304);

    now += 1000;
    server.publishNext();
    const changed = await fetch(server.rssUrl, { headers: { 'if-none-match': etag!, 'if-modified-since': lastModified! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const feed = parseRssFeed(await changed.text());
    expect(feed.items?.map((i) => i.guid?.value)).toEqual([sampleCode(3), sampleCode(2), sampleCode(1), sampleCode(0)]);
    const sinceOld = await fetch(server.rssUrl, { headers: { 'if-modified-since': lastModified! } });
    expect(sinceOld.status).toBe(200);
    await sinceOld.text();
    expect(server.published().map((o) => o.code)).toContain(sampleCode(3));
  });

  it('serves a schema.org JobPosting ItemList as JSON-LD', async () => {
    server = await startFeedServer({ initial: 2, newEveryMs: 0, now: () => NOW });
    const res = await fetch(server.jsonLdUrl);
    expect(res.headers.get('content-type')).toMatch(/application\/ld\+json/);
    const doc = await res.json() as { '@type': string; itemListElement: { item: Record<string, any> }[] };
    expect(doc['@type']).toBe('ItemList');
    const posting = doc.itemListElement[0]!.item;
    const seed = SAMPLE_OFFER_SEEDS[1]!;
    expect(posting['@type']).toBe('JobPosting');
    expect(posting.identifier).toMatchObject({ '@type': 'PropertyValue', value: sampleCode(1) });
    expect(posting.title).toBe(seed.title);
    expect(posting.jobLocation.address).toMatchObject({ addressLocality: seed.location, addressRegion: 'PE' });
    expect(posting.totalJobOpenings).toBe(seed.positions);
    expect(posting.workHours).toBe(seed.hours);
    expect(posting.employmentType).toBe(seed.employmentType);
    expect(Date.parse(posting.validThrough)).toBeGreaterThan(Date.parse(posting.datePosted));
    expect(posting.url).toBe(`${server.url}/offerte/${sampleCode(1)}`);
  });

  it('serves a detail page per offer and 404 for unknown ones', async () => {
    server = await startFeedServer({ initial: 1, newEveryMs: 0, now: () => NOW });
    const [offer] = server.published();
    const page = await fetch(offer!.url);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain(offer!.code);
    expect(body).toContain('application/ld+json');
    expect((await fetch(`${server.url}/offerte/PE-2026-99999`)).status).toBe(404);
  });

  it('publishes on its own every newEveryMs', async () => {
    server = await startFeedServer({ initial: 0, newEveryMs: 20 });
    await expect.poll(() => server!.published().length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    const codes = server.published().map((o) => o.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('sample offers', () => {
  it('are about forty, distinct, in the Pescara area', () => {
    expect(SAMPLE_OFFER_SEEDS.length).toBeGreaterThanOrEqual(40);
    const places = new Set(SAMPLE_OFFER_SEEDS.map((s) => s.location));
    for (const p of ['Pescara', 'Montesilvano', 'Spoltore', "Città Sant'Angelo", 'Penne', 'Scafa', 'Popoli', 'Manoppello']) expect(places).toContain(p);
    expect(SAMPLE_OFFER_SEEDS.some((s) => !s.employer)).toBe(true);
    expect(sampleCode(0)).toBe('PE-2026-00123');
  });
});
