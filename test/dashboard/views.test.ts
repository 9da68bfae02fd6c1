// SPDX-License-Identifier: EUPL-1.2
/** What the pages say about offers and feeds, and that data never becomes markup or a dangerous link. */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { html, safeHref } from '../../src/web/html.ts';
import { basic, makeDashboard, seededOperator } from './fixture.ts';

let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); app = undefined; });

describe('html helper', () => {
  it('escapes every interpolated value and keeps nested html as built', () => {
    const inner = html`<b>${'<i>"x"&\'y\'</i>'}</b>`;
    expect(html`<p title="${'" onmouseover="x'}">${inner}</p>`.value)
      .toBe('<p title="&quot; onmouseover=&quot;x"><b>&lt;i&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/i&gt;</b></p>');
  });
  it('links only http(s) URLs', () => {
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,x')).toBeUndefined();
    expect(safeHref('https://x.example/a')).toBe('https://x.example/a');
  });
});

describe('pages', () => {
  const get = (url: string) => app!.inject({ url, headers: { authorization: basic(), accept: 'text/html' } });

  it('finds offers by code or title and filters by network and state', async () => {
    ({ app } = await makeDashboard());
    const byCode = await get('/offers?search=PE-2026-042');
    expect(byCode.body).toContain('Cuoco stagionale');
    expect(byCode.body).not.toContain('Magazziniere');
    const failedOnX = await get('/offers?network=twitter&state=failed');
    expect(failedOnX.body).toContain('1 offerta trovata');
    expect(failedOnX.body).toContain('Cuoco stagionale');
    expect((await get('/offers?search=nessuna-offerta')).body).toContain('Nessuna offerta.');
  });

  it('shows an offer on each channel with its permalink and the post preview measured against 280', async () => {
    ({ app } = await makeDashboard());
    const page = await get('/offers/pescara/a1b2c3');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="https://x.example/i/status/1900000000000000001"');
    expect(page.body).toContain('Magazziniere a Pescara https://lavoro.example.it/o/41');
    expect(page.body).toContain('Lunghezza: 46 su 280');
    expect((await get('/offers/pescara/nope')).statusCode).toBe(404);
    expect((await get('/offers/elsewhere/a1b2c3')).statusCode).toBe(404);
  });

  it('shows each feed with its result and failures, and a javascript: permalink as plain text', async () => {
    const operator = seededOperator();
    operator.offers[0]!.channels[0]!.permalink = 'javascript:alert(1)';
    ({ app } = await makeDashboard({ operator }));
    const feeds = await get('/feeds');
    expect(feeds.body).toContain('https://teramo.example.it/feed');
    expect(feeds.body).toMatch(/<td>3<\/td>/);
    const offer = await get('/offers/pescara/a1b2c3');
    expect(offer.body).not.toContain('href="javascript:');
    const home = await get('/');
    expect(home.body).not.toContain('href="javascript:');
  });

  it('shows failures grouped by class with the network message', async () => {
    ({ app } = await makeDashboard());
    const page = await get('/failures');
    expect(page.body).toContain('Errore temporaneo (1)');
    expect(page.body).toContain('HTTP 503 from X');
    expect(page.body).toContain('Riprova tutti (1)');
  });
});
