// SPDX-License-Identifier: EUPL-1.2
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../../src/feeds/decode.ts';
import { parseFeedBytes } from '../../../src/feeds/pipeline.ts';

const ctx = { publisherId: 'p', timezone: 'Europe/Rome', feedUrl: 'https://cpi.example/feed.xml' };
const CP1252 = Buffer.from([0x80, 0x20, 0x93, 0x63, 0x69, 0x61, 0x6f, 0x94, 0x20, 0x96, 0x20, 0xe8]); // € “ciao” – è

describe('decodeBody', () => {
  it('decodes windows-1252 from the Content-Type charset (€ “ ” – è survive)', () => {
    expect(decodeBody(CP1252, 'text/xml; charset=windows-1252').text).toBe('€ “ciao” – è');
  });
  it('reads the charset from the XML declaration when the header has none', () => {
    const doc = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1252"?><x>'), CP1252, Buffer.from('</x>')]);
    expect(decodeBody(doc, 'application/rss+xml').text).toBe('<?xml version="1.0" encoding="windows-1252"?><x>€ “ciao” – è</x>');
  });
  it('reads ISO-8859-1 (labelled latin1 in the header)', () => {
    const doc = iconv.encode('Città: Pescara, età ½', 'latin1');
    expect(decodeBody(doc, 'text/xml; charset="ISO-8859-1"').text).toBe('Città: Pescara, età ½');
  });
  it('lets a BOM win over a wrong header, and strips it', () => {
    const doc = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<rss>è</rss>')]);
    expect(decodeBody(doc, 'text/xml; charset=windows-1252')).toMatchObject({ text: '<rss>è</rss>', charset: 'utf-8' });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<rss>è</rss>', 'utf16le')]);
    expect(decodeBody(utf16).text).toBe('<rss>è</rss>');
  });
  it('reads the charset of an HTML meta tag', () => {
    const doc = Buffer.concat([Buffer.from('<html><head><meta charset="windows-1252"></head><body>'), CP1252]);
    expect(decodeBody(doc).text.endsWith('€ “ciao” – è')).toBe(true);
  });
  it('falls back to windows-1252 when bytes declared UTF-8 are not UTF-8', () => {
    expect(decodeBody(CP1252, 'text/xml; charset=utf-8')).toMatchObject({ text: '€ “ciao” – è', fellBack: true });
  });
  it('treats an unknown charset label as UTF-8', () => {
    expect(decodeBody(Buffer.from('è'), 'text/xml; charset=x-klingon').text).toBe('è');
  });
});

describe('encodings through the whole path', () => {
  it('a windows-1252 RSS feed keeps its typographic characters', () => {
    const body = iconv.encode('<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>t</title><item><title>Cuoco “capo” – 1.500 € – Città Sant’Angelo</title><link>http://cpi.example/1</link></item></channel></rss>', 'windows-1252');
    expect(parseFeedBytes(body, 'application/rss+xml', ctx).items[0]!.title).toBe('Cuoco “capo” – 1.500 € – Città Sant’Angelo');
  });
});
