// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 12, portal pages: a local HTTP server serves a portal in the regional template ("Lavoro per
 * Te" / MyPortal: listing with navigation, news and privacy links, offer pages, robots.txt), and the
 * real stack (Redis, poller, workers, the X and Graph API emulators) reads it through `pages:`.
 * The offers are posted once on both networks with their title and place and the office's reference;
 * nothing else on the page is fetched or posted (the server's request log says what was fetched);
 * at most maxNewPerPoll new offer pages are read per poll; known pages are not read again every poll;
 * robots.txt Disallow is respected; an offer gone from the listing closes after closeAfterMissing polls.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, livePosts, type Stack } from '../helpers/stack.ts';
import { drained } from '../helpers/evidence.ts';
import { RunningClock } from './life-kit.ts';
import { startPortalServer, type PortalOffer, type PortalServer } from '../../src/sandbox/portal-server.ts';

let stack: Stack | undefined;
let portal: PortalServer | undefined;
afterEach(async () => {
  await stack?.stop(); stack = undefined;
  await portal?.close(); portal = undefined;
});

const PLACES = ['Pescara (PE)', 'Montesilvano (PE)', 'Penne (PE)', 'Chieti (CH)'];
const offer = (id: number): PortalOffer => ({
  id, title: `Operatore/trice numero ${id} (M/F)`, code: `${id}/2026`, place: PLACES[id % PLACES.length]!, contract: 'Lavoro a tempo determinato',
  istat: '8.1.4.3.0 - Personale non qualificato', published: '2026-11-20T09:30:00', deadline: '31-12-2099', positions: 1,
  text: `Mansioni della posizione ${id}. Per informazioni chiamare il 333 1234567.`,
});

async function start(offers: PortalOffer[], pageExtra = '', robots?: string | null, now?: () => number): Promise<{ s: Stack; p: PortalServer; poll: () => Promise<Record<string, unknown>> }> {
  portal = await startPortalServer({ offers, ...(robots !== undefined ? { robots } : {}) });
  const p = portal;
  stack = await startStack({
    publisherExtra: `    pages:
      - url: ${p.listingUrl}
        preset: myportal
        pollInterval: 1s
        onFirstPoll: post
${pageExtra}`,
    ...(now ? { now } : {}),
  });
  const s = stack;
  await s.startWorkers();
  return { s, p, poll: async () => (await s.rt.poller.poll('pescara', p.listingUrl)) as unknown as Record<string, unknown> };
}

const offerPagesFetched = (p: PortalServer) => p.requests.filter((r) => r.path.startsWith('/welcomepage/vacancy/view/'));
const NOT_OFFERS = /news|privacy|cookie|cittadini|aziende|search|facebook|img/;

describe('portal pages in the regional template', () => {
  it('posts each offer once on X and Facebook with title, place and reference; fetches only offer pages, at most maxNewPerPoll new ones per poll', async () => {
    const { s, p, poll } = await start([offer(1), offer(2), offer(3)], '        maxNewPerPoll: 2\n');

    expect(await poll()).toMatchObject({ result: 'ok', fresh: 2 });
    expect(offerPagesFetched(p).map((r) => r.path)).toEqual(['/welcomepage/vacancy/view/1', '/welcomepage/vacancy/view/2']);
    await waitFor('two offers on both networks', () => s.x.posts().length === 2 && s.graph.posts().length === 2);

    expect(await poll()).toMatchObject({ result: 'ok', fresh: 1 });
    await waitFor('three offers on both networks', () => s.x.posts().length === 3 && s.graph.posts().length === 3);

    // Nothing new: the listing answers 304 to our conditional GET and no known offer page is read again.
    const before = offerPagesFetched(p).length;
    expect(await poll()).toMatchObject({ result: 'ok', fresh: 0, changed: 0 });
    expect(offerPagesFetched(p)).toHaveLength(before);
    expect(p.requests.filter((r) => r.path === '/welcomepage/').at(-1)).toMatchObject({ conditional: true, status: 304 });
    await drained(s.rt);

    expect(s.x.posts()).toHaveLength(3);
    expect(s.graph.posts()).toHaveLength(3);
    for (const id of [1, 2, 3]) {
      const x = s.x.posts().filter((t) => t.text.includes(`Operatore/trice numero ${id} `));
      const fb = s.graph.posts().filter((t) => t.message.includes(`Operatore/trice numero ${id} `));
      expect(x, `offer ${id} on X`).toHaveLength(1);
      expect(fb, `offer ${id} on Facebook`).toHaveLength(1);
      for (const text of [x[0]!.text, fb[0]!.message]) {
        expect(text).toContain(offer(id).place);
        expect(text).toContain(`${id}/2026`); // the office's reference ("Rif. offerta")
        expect(text).toContain('Provincia di Pescara');
        expect(text).not.toContain('333'); // the personal phone number was taken out
      }
      expect(fb[0]!.link ?? fb[0]!.message).toContain(p.offerUrl(id));
    }
    // Nothing else of the page was ever fetched or posted: no navigation, news, privacy or search link.
    expect(p.requests.filter((r) => NOT_OFFERS.test(r.path))).toEqual([]);
    const everything = [...s.x.posts().map((t) => t.text), ...s.graph.posts().map((t) => t.message)].join('\n');
    expect(everything).not.toMatch(/Notizie|Garanzia Giovani|Privacy|Cerca tra tutte/);
    // Every request identified itself.
    expect(new Set(p.requests.map((r) => r.userAgent))).toEqual(new Set([s.loaded.config.fetch.userAgent]));
  });

  it('never fetches an offer page robots.txt disallows for us, and never posts it', async () => {
    const { s, p, poll } = await start([offer(1), offer(2), offer(3)], '', 'User-agent: *\nDisallow: /welcomepage/login\n\nUser-agent: Banditore\nDisallow: /welcomepage/vacancy/view/2\n');
    expect(await poll()).toMatchObject({ result: 'ok', fresh: 2 });
    await waitFor('two offers on both networks', () => s.x.posts().length === 2 && s.graph.posts().length === 2);
    await poll();
    await drained(s.rt);
    expect(p.requests.filter((r) => r.path === '/welcomepage/vacancy/view/2')).toEqual([]);
    expect(s.x.posts().map((t) => t.text).join('\n')).not.toContain('numero 2 ');
    expect(p.requests.filter((r) => r.path === '/robots.txt')).toHaveLength(1); // kept per host, not read every poll
  });

  it('a listing robots.txt disallows is not read at all: the poll fails and says why', async () => {
    const { s, p, poll } = await start([offer(1)], '', 'User-agent: *\nDisallow: /welcomepage/\n');
    const r = await poll();
    expect(r).toMatchObject({ result: 'error' });
    expect(String(r['error'])).toMatch(/robots\.txt.*disallows/);
    expect(p.requests.map((q) => q.path)).toEqual(['/robots.txt']);
    expect(s.x.posts()).toHaveLength(0);
  });

  it('an offer removed from the listing closes after closeAfterMissing polls: its X post is deleted', async () => {
    const { s, p, poll } = await start([offer(1), offer(2)], '        onRemoval: close\n        closeAfterMissing: 2\n');
    await poll();
    await waitFor('two offers on both networks', () => s.x.posts().length === 2 && s.graph.posts().length === 2);
    p.offers = [offer(2)];
    expect(await poll()).toMatchObject({ result: 'ok', removed: 0 });
    expect(livePosts(s.x.posts())).toHaveLength(2);
    expect(await poll()).toMatchObject({ result: 'ok', removed: 1 });
    await waitFor('the X post of the withdrawn offer deleted', () => livePosts(s.x.posts()).length === 1);
    expect(livePosts(s.x.posts())[0]!.text).toContain('numero 2 ');
    await drained(s.rt);
    const fb = s.graph.posts().find((m) => m.message.includes('numero 1 '));
    expect(fb?.message).toMatch(/Offerta chiusa/);
  });

  it('an offer page whose listing entry changes is read again, and its post edited on Facebook', async () => {
    const { s, p, poll } = await start([offer(1)]);
    await poll();
    await waitFor('the offer on both networks', () => s.x.posts().length === 1 && s.graph.posts().length === 1);
    const reads = offerPagesFetched(p).length;
    p.offers = [{ ...offer(1), title: 'Operatore/trice numero 1 capo turno (M/F)' }];
    expect(await poll()).toMatchObject({ result: 'ok', fresh: 0, changed: 1 });
    expect(offerPagesFetched(p).length).toBe(reads + 1);
    await waitFor('the Facebook post edited', () => s.graph.posts()[0]?.message.includes('capo turno'));
    expect(s.x.posts()).toHaveLength(1);
  });

  it('a new offer page that fails is tried again some polls later, and a known page is re-read every few polls with a conditional GET', async () => {
    const clock = new RunningClock();
    const { s, p, poll } = await start([offer(1), offer(2)], '', undefined, clock.now);
    p.failing.add(2);
    expect(await poll()).toMatchObject({ result: 'ok', fresh: 1 });
    await waitFor('offer 1 on both networks', () => s.x.posts().length === 1 && s.graph.posts().length === 1);
    const reads = (id: number) => offerPagesFetched(p).filter((r) => r.path === `/welcomepage/vacancy/view/${id}`);
    expect(reads(2)).toHaveLength(1);

    // The next poll does not hammer the failing page, nor read the known one again.
    p.failing.delete(2);
    expect(await poll()).toMatchObject({ result: 'ok', fresh: 0 });
    expect(reads(2)).toHaveLength(1);
    expect(reads(1)).toHaveLength(1);

    // Four poll intervals (1 s each) later, both are read again: the new one posted, the known one 304.
    clock.setNow(clock.now() + 4_500);
    expect(await poll()).toMatchObject({ result: 'ok', fresh: 1, changed: 0 });
    expect(reads(2)).toHaveLength(2);
    expect(reads(1)).toHaveLength(2);
    expect(reads(1).at(-1)).toMatchObject({ conditional: true, status: 304 });
    await waitFor('offer 2 on both networks', () => s.x.posts().length === 2 && s.graph.posts().length === 2);
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(2);
  });

  it('the poller schedules a page like a feed: its offers arrive on both networks without a manual poll, each once', async () => {
    const { s, p } = await start([offer(1), offer(2)]);
    await s.startPoller();
    const pageOffers = (texts: string[]) => texts.filter((t) => /Operatore\/trice numero \d/.test(t));
    await waitFor('the page offers posted by the scheduled polls', () => pageOffers(s.x.posts().map((t) => t.text)).length === 2 && pageOffers(s.graph.posts().map((t) => t.message)).length === 2);
    // More scheduled polls of the page (1 s apart) post nothing again.
    const listingReads = () => p.requests.filter((r) => r.path === '/welcomepage/').length;
    const before = listingReads();
    await waitFor('two more polls of the page', () => listingReads() >= before + 2, 10_000);
    await drained(s.rt);
    expect(pageOffers(s.x.posts().map((t) => t.text))).toHaveLength(2);
    expect(pageOffers(s.graph.posts().map((t) => t.message))).toHaveLength(2);
  });
});
