// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 12: "a feed URL may also serve any of the formats above". A ClicLavoro document served at a feed
 * URL is polled like any feed: `feeds[].link` builds the links the format does not carry, a re-issue
 * (codiceoffertaprecedente) edits the earlier offer's posts instead of posting again, and `motivochiusura`
 * closes the posts at once (not after closeAfterMissing polls).
 */
import { describe, it, expect, afterEach } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startStack, waitFor, livePosts, type Stack } from '../helpers/stack.ts';
import { drained } from '../helpers/evidence.ts';
import { clicLavoro, code25 } from './sources-kit.ts';

let stack: Stack | undefined;
let server: Server | undefined;
afterEach(async () => {
  await stack?.stop(); stack = undefined;
  await new Promise<void>((r) => (server ? server.close(() => r()) : r())); server = undefined;
});

const LINK = 'https://lavoro.provincia.pescara.it/offerta/{{code}}';
const linkOf = (code: string) => `https://lavoro.provincia.pescara.it/offerta/${encodeURIComponent(code)}`;

/** A SIL export served over HTTP: whatever `body` holds at the time of each request. */
async function serveVacancy(): Promise<{ url: string; set(xml: string): void }> {
  let body = '';
  server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/xml' }); res.end(body); });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/sil/vacancy.xml`, set: (xml) => { body = xml; } };
}

describe('a ClicLavoro document at a feed URL', () => {
  it('is posted with the feed link template, a re-issue edits instead of posting again, and motivochiusura closes the posts', async () => {
    const sil = await serveVacancy();
    const first = code25(70);
    const second = code25(71);
    sil.set(clicLavoro({ code: first, title: 'Operaio edile', text: 'Impresa edile cerca operaio. Scrivere a giulia.bianchi88@gmail.com' }));
    stack = await startStack({ initialOffers: 0, feedExtra: `      - url: ${sil.url}\n        pollInterval: 1h\n        onFirstPoll: post\n        link: "${LINK}"` });
    await stack.startWorkers();
    const s = stack;
    await s.rt.poller.poll('pescara', sil.url);
    await waitFor('posted on both networks', () => s.x.posts().length === 1 && s.graph.posts().length === 1);
    expect(s.x.posts()[0]!.text).toContain(linkOf(first));
    expect(s.graph.posts()[0]!.link).toBe(linkOf(first));
    expect(s.x.posts()[0]!.text).not.toContain('giulia.bianchi88');

    // The SIL re-issues the offer under a new code, with a corrected title.
    sil.set(clicLavoro({ code: second, previous: first, title: 'Operaio edile specializzato' }));
    await s.rt.poller.poll('pescara', sil.url);
    await waitFor('the Facebook post edited', () => s.graph.posts()[0]?.history.length === 1);
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(1);
    expect(s.graph.posts()).toHaveLength(1);
    expect(s.graph.posts()[0]!.message).toContain('specializzato');

    // Then closes it (under its new code): the posts close now.
    sil.set(clicLavoro({ code: second, title: 'Operaio edile specializzato', closed: '01' }));
    await s.rt.poller.poll('pescara', sil.url);
    await waitFor('the X post deleted', () => livePosts(s.x.posts()).length === 0);
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(1);
    const stored = await s.rt.offers.list('pescara', 0, 10);
    expect(stored).toHaveLength(1);
    expect((await s.rt.offers.get('pescara', stored[0]!))?.state).toBe('closed');
  });

  it('without a link template, its offers are not posted and the poll says why', async () => {
    const sil = await serveVacancy();
    sil.set(clicLavoro({ code: code25(72), title: 'Commesso' }));
    stack = await startStack({ initialOffers: 0, feedExtra: `      - url: ${sil.url}\n        pollInterval: 1h\n        onFirstPoll: post` });
    await stack.startWorkers();
    const r = await stack.rt.poller.poll('pescara', sil.url) as { result: string; items?: number; fresh?: number };
    expect(r.result).toBe('ok');
    expect(r.items).toBe(1);
    expect(r.fresh ?? 0).toBe(0);
    await drained(stack.rt);
    expect(stack.x.posts()).toHaveLength(0);
  });
});
