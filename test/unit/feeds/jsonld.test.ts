// SPDX-License-Identifier: EUPL-1.2
import { describe, expect, it } from 'vitest';
import { parseFeedBytes } from '../../../src/feeds/pipeline.ts';
import { FeedError } from '../../../src/feeds/errors.ts';

const ctx = { publisherId: 'pe', timezone: 'Europe/Rome', feedUrl: 'https://cpi.example/offerte/', now: new Date('2026-11-01T00:00:00Z') };
const parse = (v: unknown, type?: string) => parseFeedBytes(Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)), type, ctx);

const posting = (n: number, extra: Record<string, unknown> = {}) => ({
  '@context': 'https://schema.org/', '@type': 'JobPosting', title: `Offerta ${n}`, url: `/offerte/${n}`,
  identifier: { '@type': 'PropertyValue', name: 'CPI Pescara', value: `PE-2026-${n}` }, ...extra,
});

describe('schema.org JobPosting JSON-LD', () => {
  it('maps every field a follower needs', () => {
    const feed = parse(posting(1, {
      description: '<p>Cuoco per ristorante.</p><p>Requisiti: esperienza.</p>',
      datePosted: '2026-11-20', validThrough: '2026-12-15T23:59',
      employmentType: ['FULL_TIME', 'TEMPORARY'], workHours: '40 ore settimanali', totalJobOpenings: 2,
      hiringOrganization: { '@type': 'Organization', name: 'Trattoria Da Mario' },
      jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: 'Pescara', addressRegion: 'PE', addressCountry: 'IT' } },
    }));
    expect(feed.format).toBe('json-ld');
    expect(feed.items[0]!.decision).toBe('post');
    expect(feed.items[0]!.offer).toMatchObject({
      publisherId: 'pe', sourceId: 'PE-2026-1', code: 'PE-2026-1', url: 'https://cpi.example/offerte/1', title: 'Offerta 1',
      text: 'Cuoco per ristorante.\nRequisiti: esperienza.', location: 'Pescara', province: 'PE', employer: 'Trattoria Da Mario',
      contract: 'Tempo pieno, Tempo determinato', hours: '40 ore settimanali', positions: 2,
      published: '2026-11-19T23:00:00.000Z', validThrough: '2026-12-15T22:59:00.000Z',
    });
  });
  it('maps the other employment types and keeps Italian wording', () => {
    const types = ['PART_TIME', 'INTERN', 'CONTRACTOR', 'PER_DIEM', 'OTHER', 'Apprendistato'];
    const feed = parse(types.map((t, i) => posting(i, { employmentType: t })));
    expect(feed.items.map((i) => i.offer!.contract)).toEqual(['Part-time', 'Tirocinio', 'Collaborazione', 'A giornata', 'OTHER', 'Apprendistato']);
  });
  it('reads @graph, ItemList with ListItem.item, and plain identifiers', () => {
    const graph = parse({ '@context': 'https://schema.org', '@graph': [{ '@type': 'WebPage' }, posting(1), posting(2)] });
    expect(graph.items.map((i) => i.sourceId)).toEqual(['PE-2026-1', 'PE-2026-2']);
    const list = parse({ '@type': 'ItemList', itemListElement: [{ '@type': 'ListItem', position: 1, item: posting(3) }, posting(4, { identifier: 'RIF-4' })] });
    expect(list.items.map((i) => i.sourceId)).toEqual(['PE-2026-3', 'RIF-4']);
  });
  it('falls back to the canonical URL when there is no identifier', () => {
    const feed = parse({ '@type': 'JobPosting', title: 'Senza codice', url: 'https://cpi.example/o/9' });
    expect(feed.items[0]!.sourceId).toBe('https://cpi.example/o/9');
  });
  it('reads JobPostings from the ld+json blocks of an HTML page, skipping a broken block', () => {
    const html = `<!DOCTYPE html><html><head>
      <script type="application/ld+json">{ broken json</script>
      <script type="application/ld+json">${JSON.stringify({ '@type': 'Organization', name: 'CPI' })}</script>
      <script type="application/ld+json">${JSON.stringify(posting(5))}</script>
      </head><body><h1>Offerta 5</h1></body></html>`;
    const feed = parse(html, 'text/html; charset=utf-8');
    expect(feed.items.map((i) => [i.title, i.url])).toEqual([['Offerta 5', 'https://cpi.example/offerte/5']]);
  });
  it('fails clearly for an HTML page without JobPosting and for JSON that is neither format', () => {
    expect(() => parse('<html><head><script type="application/ld+json">{"@type":"Organization"}</script></head></html>')).toThrow(FeedError);
    expect(() => parse({ hello: 'world' })).toThrow('JSON, but neither a JSON Feed nor schema.org JobPosting');
  });
});

describe('JSON Feed 1.1', () => {
  it('reads items with content_html, relative url and a zone-less date', () => {
    const feed = parse({
      version: 'https://jsonfeed.org/version/1.1', title: 'CPI', items: [
        { id: 'jf-1', url: 'dettaglio/1', title: 'Magazziniere', content_html: '<p>Turni &amp; notti</p>', date_published: '2026-11-20T09:00:00' },
        { id: 'jf-2', url: 'https://cpi.example/2', title: 'Autista', content_text: 'Patente <C>' },
      ],
    });
    expect(feed.format).toBe('json-feed');
    expect(feed.items[0]).toMatchObject({ sourceId: 'jf-1', url: 'https://cpi.example/offerte/dettaglio/1', text: 'Turni & notti', published: '2026-11-20T08:00:00.000Z' });
    expect(feed.items[1]!.text).toBe('Patente <C>');
  });
});
