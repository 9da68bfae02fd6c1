// SPDX-License-Identifier: EUPL-1.2
/** The fixture feeds of each format through parseFeedBytes, judged by content, not Content-Type. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFeedBytes } from '../../../src/feeds/pipeline.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/feeds');
const now = new Date('2026-11-26T09:00:00Z');
const load = (file: string, contentType?: string, feedUrl = `https://cpi.example/${file}`) =>
  parseFeedBytes(readFileSync(path.join(fixtures, file)), contentType, { publisherId: 'abruzzo', timezone: 'Europe/Rome', feedUrl, now });

describe('fixture feeds', () => {
  it('RSS 2.0 (served as text/html by a careless server): contract from category, relative link, zone-less date', () => {
    const feed = load('cpi-pescara.rss.xml', 'text/html', 'https://cpi-pescara.example/rss');
    expect(feed.format).toBe('rss');
    expect(feed.items.map((i) => i.decision)).toEqual(['post', 'post', 'post']);
    const [a, b, c] = feed.items.map((i) => i.offer!);
    expect(a).toMatchObject({ sourceId: 'PE-2026-1001', contract: 'Tempo determinato', published: '2026-11-23T08:15:00.000Z' });
    // Written in prose only: "rif. PE-2026-1001" in the title, "Scadenza: 15/12/2026" in the text.
    expect(a).toMatchObject({ code: 'PE-2026-1001', validThrough: '2026-12-15T22:59:59.999Z' });
    expect(b!.code).toBeUndefined();
    expect(a!.text).toBe('Ristorante in centro cerca cuoco/a capo partita.\nOrario: 40 ore settimanali, turni serali.\nScadenza: 15/12/2026');
    expect(a!.raw).toMatchObject({ categories: ['Ristorazione'] });
    expect(b).toMatchObject({ url: 'https://cpi-pescara.example/offerte/1002', contract: 'Part-time', text: 'Requisiti\nPatentino per carrelli elevatori\nDisponibilità immediata' });
    expect(c).toMatchObject({ title: 'Addetto/a pulizie & sanificazione – Montesilvano (PE)', published: '2026-11-25T07:30:00.000Z' });
  });
  it('HTML page with an ItemList of JobPostings', () => {
    const feed = load('cpi-teramo.jobposting.html', 'text/html; charset=utf-8', 'https://cpi-teramo.example/offerte');
    expect(feed.format).toBe('json-ld');
    expect(feed.items[0]!.offer).toMatchObject({
      sourceId: 'TE-2026-77', contract: 'Tempo pieno', positions: 3, location: 'Teramo', province: 'TE',
      employer: 'Meccanica Adriatica srl', validThrough: '2026-12-20T22:59:59.999Z', published: '2026-11-19T23:00:00.000Z',
    });
    expect(feed.items[1]!.offer).toMatchObject({ url: 'https://cpi-teramo.example/offerte/TE-2026-78', contract: 'Tirocinio', published: '2026-11-20T23:00:00.000Z' });
  });
  it('Atom 1.0 with xml:base and an HTML title', () => {
    const feed = load('cpi-chieti.atom.xml', 'application/xml');
    expect(feed.format).toBe('atom');
    expect(feed.items[0]!.offer).toMatchObject({
      sourceId: 'urn:cpi-chieti:offerta:CH-2026-5', url: 'https://cpi-chieti.example/offerte/CH-2026-5',
      title: 'Commesso/a banco salumeria – Ortona (CH)', contract: 'Part-time', published: '2026-11-24T10:00:00.000Z',
      text: 'Supermercato cerca commesso/a, 24 ore settimanali.',
    });
  });
  it('JSON Feed 1.1 served as text/plain', () => {
    const feed = load('cpi-lanciano.json', 'text/plain');
    expect(feed.format).toBe('json-feed');
    expect(feed.items[0]!.offer).toMatchObject({ sourceId: 'LA-2026-31', contract: 'Tempo determinato', published: '2026-11-22T07:00:00.000Z' });
  });
  it('RSS 1.0 / RDF: identity from rdf:about', () => {
    const rdf = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://cpi.example/"><title>c</title><link>https://cpi.example/</link><description>d</description></channel>
      <item rdf:about="https://cpi.example/o/1"><title>Barista</title><link>https://cpi.example/o/1</link><dc:date>2026-11-20</dc:date><description>&lt;p&gt;Bar&lt;/p&gt;</description></item></rdf:RDF>`;
    const feed = parseFeedBytes(Buffer.from(rdf), 'text/xml', { publisherId: 'p', timezone: 'Europe/Rome', feedUrl: 'https://cpi.example/rdf' });
    expect(feed.format).toBe('rdf');
    expect(feed.items[0]).toMatchObject({ sourceId: 'https://cpi.example/o/1', title: 'Barista', text: 'Bar', published: '2026-11-19T23:00:00.000Z', decision: 'post' });
  });
});

describe('empty feeds', () => {
  it('reads a feed whose offers were all withdrawn as no items, not as an error', () => {
    const ctx = { publisherId: 'p', timezone: 'Europe/Rome', feedUrl: 'https://cpi.example/f' };
    for (const [xml, format] of [
      ['<rss version="2.0"><channel></channel></rss>', 'rss'],
      ['<rss version="2.0"><channel/></rss>', 'rss'],
      ['<feed xmlns="http://www.w3.org/2005/Atom"></feed>', 'atom'],
    ] as const) {
      expect(parseFeedBytes(Buffer.from(xml), undefined, ctx)).toEqual({ format, items: [], problems: [] });
    }
    expect(parseFeedBytes(Buffer.from('[]'), 'application/ld+json', ctx)).toEqual({ format: 'json-ld', items: [], problems: [] });
    const page = '<html><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"ItemList","itemListElement":[]}</script></head></html>';
    expect(parseFeedBytes(Buffer.from(page), 'text/html', ctx)).toEqual({ format: 'json-ld', items: [], problems: [] });
  });
});
