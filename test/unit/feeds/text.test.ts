// SPDX-License-Identifier: EUPL-1.2
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../../src/feeds/html-text.ts';
import { parseFeedBytes } from '../../../src/feeds/pipeline.ts';

const ctx = { publisherId: 'p', timezone: 'Europe/Rome', feedUrl: 'https://cpi.example/feeds/offerte.xml' };
const rssOf = (items: string, attrs = '') =>
  Buffer.from(`<?xml version="1.0"?><rss version="2.0"${attrs}><channel><title>t</title><link>https://cpi.example/</link>${items}</channel></rss>`);
const first = (body: Buffer) => parseFeedBytes(body, undefined, ctx).items[0]!;

describe('htmlToText', () => {
  it('keeps block elements apart and drops what a reader never sees', () => {
    expect(htmlToText('<h2>Cuoco</h2><p>Sede:<br>Pescara</p><ul><li>uno</li><li>due</li></ul><script>x()</script><style>p{}</style>fine'))
      .toBe('Cuoco\nSede:\nPescara\nuno\ndue\nfine');
  });
  it('decodes entities once, in text only', () => {
    expect(htmlToText('Caff&egrave; &amp;egrave; &#8364; <a title="&lt;x&gt;">link</a>')).toBe('Caffè &egrave; € link');
  });
  it('treats a bare < as text and survives unclosed markup', () => {
    expect(htmlToText('età < 30 anni <b>bold')).toBe('età < 30 anni bold');
    expect(htmlToText('prima<script>document.write(1)')).toBe('prima');
  });
});

describe('titles and texts of items', () => {
  it('decodes entities exactly once: &amp;egrave; in the XML is the text "&egrave;"', () => {
    const it = first(rssOf('<item><title>Caff&#232; e &amp;egrave;</title><link>/1</link><description>&lt;p&gt;Bar &amp;amp; ristorante&lt;/p&gt;</description></item>'));
    expect(it.title).toBe('Caffè e &egrave;');
    expect(it.text).toBe('Bar & ristorante');
  });
  it('collapses white space in titles and caps their length', () => {
    const it = first(rssOf(`<item><title>  Cuoco\n\t  capo  ${'x'.repeat(400)}</title><link>/1</link></item>`));
    expect(it.title!.startsWith('Cuoco capo x')).toBe(true);
    expect(it.title!.length).toBeLessThanOrEqual(300);
    expect(it.title!.endsWith('…')).toBe(true);
  });
  it('prefers content:encoded to description', () => {
    const it = first(rssOf('<item><title>T</title><link>/1</link><description>breve</description><content:encoded>&lt;p&gt;lunga&lt;/p&gt;</content:encoded></item>', ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'));
    expect(it.text).toBe('lunga');
  });
});

describe('links', () => {
  it('resolves relative links against the document URL and xml:base', () => {
    expect(first(rssOf('<item><title>T</title><link>dettaglio?id=1</link></item>')).url).toBe('https://cpi.example/feeds/dettaglio?id=1');
    expect(first(rssOf('<item><title>T</title><link>/offerte/1</link></item>', ' xml:base="https://altro.example/base/"')).url).toBe('https://altro.example/offerte/1');
    const atom = Buffer.from('<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example/x/"><title>t</title><entry xml:base="y/"><id>urn:1</id><title>T</title><link href="z"/></entry></feed>');
    expect(first(atom).url).toBe('https://a.example/x/y/z');
  });
  it('uses an RSS guid as the link only when it is a permalink', () => {
    expect(first(rssOf('<item><title>T</title><guid>https://cpi.example/o/7</guid></item>')).url).toBe('https://cpi.example/o/7');
    expect(first(rssOf('<item><title>T</title><guid isPermaLink="false">https://cpi.example/o/7</guid></item>'))).toMatchObject({ decision: 'no-link', sourceId: 'https://cpi.example/o/7' });
  });
  it('drops credentials from links', () => {
    expect(first(rssOf('<item><title>T</title><link>https://user:pw@cpi.example/o/1</link></item>')).url).toBe('https://cpi.example/o/1');
  });
});

describe('identity', () => {
  it('keys an offer by the first 24 hex chars of sha256(sourceId), and flags a repeated identity', () => {
    const items = parseFeedBytes(rssOf('<item><title>A</title><link>/1</link><guid isPermaLink="false">PE-1</guid></item><item><title>B</title><link>/2</link><guid isPermaLink="false">PE-1</guid></item><item><title>C</title><link>/3</link></item>'), undefined, ctx).items;
    expect(items[0]!.offer!.key).toBe(createHash('sha256').update('PE-1').digest('hex').slice(0, 24));
    expect(items[1]!.decision).toBe('duplicate-in-feed');
    expect(items[2]!.sourceId).toBe('https://cpi.example/3'); // no guid: the canonical URL
  });
  it('changes the content hash when what followers see changes, not when the guid is the same', () => {
    const a = first(rssOf('<item><title>A</title><link>/1</link><guid>g</guid><description>uno</description></item>')).offer!;
    const b = first(rssOf('<item><title>A</title><link>/1</link><guid>g</guid><description>due</description></item>')).offer!;
    expect(a.key).toBe(b.key);
    expect(a.contentHash).not.toBe(b.contentHash);
  });
});

describe('hostile markup', () => {
  it('scans a bounded prefix of pathological HTML and leaves no tags behind', () => {
    for (const html of ['<iframe>x'.repeat(25_000), '<a "'.repeat(50_000), `<a '"<b "'`.repeat(20_000), '<script>'.repeat(25_000)]) {
      const text = htmlToText(html);
      expect(text.length).toBeLessThanOrEqual(60_000);
      expect(text).not.toMatch(/<iframe|<script/i);
    }
  });
});
