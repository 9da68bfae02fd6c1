// SPDX-License-Identifier: EUPL-1.2
/** Entity bombs, XXE, truncated XML, HTML pages, markup and unsafe links — served over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, rss, item, type TestServer } from './helpers/server.ts';
import { assertHarmless, poll, pollError } from './helpers/poll.ts';

const lol = (n: number) => Array.from({ length: n }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n');
const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol0 "lol">\n${lol(9)}]>
<rss version="2.0"><channel><title>t</title><item><title>&lol9;</title><link>http://x.example/1</link></item></channel></rss>`;
const FLAT = `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY big "${'A'.repeat(5000)}">]>
<rss version="2.0"><channel><title>t</title><item><title>${'&big;'.repeat(2000)}</title><link>http://x.example/1</link></item></channel></rss>`;
const XXE_SYSTEM = `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title><link>http://x.example/1</link></item></channel></rss>`;
const XXE_PUBLIC = `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe PUBLIC "-//X//Y" "http://127.0.0.1:1/evil.dtd">]>
<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title><link>http://x.example/1</link></item></channel></rss>`;
const RSS091 = `<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>t</title><link>http://x.example/</link><description>d</description>${item(1)}</channel></rss>`;

const MARKUP = rss(
  `<item><title>&lt;script&gt;alert(1)&lt;/script&gt;Cuoco &lt;b&gt;capo&lt;/b&gt; &lt;img src=x onerror=alert(2)&gt;</title>
   <link>http://cpi.example/o/1</link>
   <description><![CDATA[<p>Ottimo <a href="javascript:alert(3)">posto</a></p><script>alert(4)</script><style>p{}</style><iframe src="http://evil/">x</iframe><svg><script>alert(5)</script></svg>]]></description></item>
   <item><title>Link JS</title><link>javascript:alert(1)</link></item>
   <item><title>Link data</title><link>data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</link></item>
   <item><title>Link vbscript</title><link> vbscript:msgbox(1)</link></item>`,
);

let server: TestServer;
beforeAll(async () => {
  const xml = (body: string, type = 'application/rss+xml') => (_req: any, res: any) => res.writeHead(200, { 'content-type': type }).end(body);
  server = await startServer({
    '/billion': xml(BILLION_LAUGHS),
    '/flat': xml(FLAT),
    '/xxe-system': xml(XXE_SYSTEM),
    '/xxe-public': xml(XXE_PUBLIC),
    '/rss091': xml(RSS091),
    '/truncated': xml(rss(item(1) + item(2)).slice(0, -40)),
    '/truncated-mid-item': xml(rss(item(1) + item(2)).replace(/<\/item><\/channel><\/rss>$/, '')),
    '/html': xml('<!DOCTYPE html><html><head><title>Offerte</title></head><body><h1>Offerte di lavoro</h1></body></html>', 'text/html'),
    '/html-as-xml': xml('<html><body><p>Manutenzione in corso</p></body></html>', 'application/rss+xml'),
    '/garbage': xml('Service temporarily unavailable', 'text/plain'),
    '/markup': xml(MARKUP),
    '/proto': xml(rss(`<item><title>P</title><link>http://cpi.example/p</link><__proto__><polluted>yes</polluted></__proto__><constructor><prototype><polluted>yes</polluted></prototype></constructor></item>`)),
  });
});
afterAll(async () => { await server.close(); });

describe('hostile XML feeds', () => {
  it('refuses nested entity expansion (billion laughs)', async () => {
    expect((await pollError(server.url('/billion'))).reason).toBe('XML declares entities in its DOCTYPE (refused: entity expansion / XXE)');
  });
  it('refuses flat entity expansion', async () => {
    expect((await pollError(server.url('/flat'))).reason).toMatch(/entities in its DOCTYPE/);
  });
  it('refuses XXE with SYSTEM and PUBLIC identifiers', async () => {
    expect((await pollError(server.url('/xxe-system'))).reason).toMatch(/XXE/);
    expect((await pollError(server.url('/xxe-public'))).reason).toMatch(/XXE/);
  });
  it('still reads an RSS 0.91 feed with a plain DOCTYPE PUBLIC', async () => {
    const feed = await poll(server.url('/rss091'));
    expect(feed.items.map((i) => i.title)).toEqual(['Offerta 1']);
  });
  it('refuses truncated XML instead of posting half a feed', async () => {
    expect((await pollError(server.url('/truncated'))).reason).toBe('truncated XML (the root element is never closed)');
    expect((await pollError(server.url('/truncated-mid-item'))).reason).toMatch(/truncated XML/);
  });
  it('says an HTML page is not a feed', async () => {
    expect((await pollError(server.url('/html'))).reason).toBe('HTML page, not a feed');
    expect((await pollError(server.url('/html-as-xml'))).reason).toBe('HTML page, not a feed');
    expect((await pollError(server.url('/garbage'))).reason).toBe('not a feed (neither XML nor JSON)');
  });
  it('strips script and markup from titles and text, and drops javascript:/data: links with a reason', async () => {
    const feed = await poll(server.url('/markup'));
    assertHarmless(feed);
    const [first, js, data, vb] = feed.items;
    expect(first!.decision).toBe('post');
    expect(first!.title).toBe('Cuoco capo');
    expect(first!.text).toBe('Ottimo posto'); // script, style, iframe and svg contents dropped
    expect(js).toMatchObject({ decision: 'unsafe-link', reason: 'javascript: link refused (only http and https)' });
    expect(js!.offer).toBeUndefined();
    expect(data).toMatchObject({ decision: 'unsafe-link', reason: 'data: link refused (only http and https)' });
    expect(vb).toMatchObject({ decision: 'unsafe-link' });
  });
  it('refuses __proto__ / constructor element names and does not pollute Object.prototype', async () => {
    expect((await pollError(server.url('/proto'))).reason).toBe('XML uses reserved element names (__proto__, constructor): refused');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('literal text fields', () => {
  it('keeps harmless brackets but removes scripts and loading tags from Atom type="text"', async () => {
    const s = await startServer({
      '/atom': (_req, res) => res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(
        `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>urn:1</id><link href="http://cpi.example/1"/>
         <title type="text">Età &lt;30 &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;Cuoco</title></entry></feed>`),
    });
    try {
      const feed = await poll(s.url('/atom'));
      expect(feed.items[0]!.title).toBe('Età <30 Cuoco');
      assertHarmless(feed);
    } finally {
      await s.close();
    }
  });
});
