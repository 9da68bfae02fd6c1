// SPDX-License-Identifier: EUPL-1.2
/**
 * Acceptance of issue 13's "Done when" clauses, on the whole stack (test/helpers/stack.ts): real Redis,
 * the X and Graph emulators with their unkind modes, a real poller and real workers, an office feed
 * served over HTTP by this file (so each poll can be given the document it should see), and /metrics
 * read over HTTP from a real dashboard.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { startStack, waitFor, type Stack } from '../helpers/stack.ts';
import { drained, pollCount, pollsAfter } from '../helpers/evidence.ts';
import { startDashboard, startBackgroundDuties, type Stop } from '../../src/app/roles.ts';

interface Offer { code: string; title: string; url: string }
type Doc = { offers: Offer[]; broken?: string };

/** An office page with one JobPosting JSON-LD block per offer; `broken` names an offer whose block does not parse. */
function page(doc: Doc): string {
  const blocks = doc.offers.map((o) => {
    const ld = JSON.stringify({
      '@context': 'https://schema.org', '@type': 'JobPosting', title: o.title, url: o.url,
      identifier: { '@type': 'PropertyValue', name: 'CPI', value: o.code },
      description: `<p>${o.title}: offerta di prova del centro per l'impiego.</p>`,
      datePosted: '2026-11-30T09:00:00+01:00', validThrough: '2027-06-30',
      jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: 'Pescara', addressRegion: 'PE', addressCountry: 'IT' } },
    });
    return `<script type="application/ld+json">${o.code === doc.broken ? ld.slice(0, ld.length - 25) : ld}</script>`;
  });
  return `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Offerte</title>${blocks.join('\n')}</head><body><h1>Offerte</h1></body></html>`;
}

/** A feed whose next answers can be scripted: `once(doc)` for the next request, `set(doc)` from then on. */
async function officeFeed(path = '/offerte.html') {
  let current: Doc = { offers: [] };
  const queue: Doc[] = [];
  let served = 0;
  let failNext = 0;
  const server: Server = createServer((req, res) => {
    served++;
    // A moved feed whose new address carries a token the config never named, and that fails.
    if ((req.url ?? '').startsWith('/moved')) { res.writeHead(302, { location: `${base}/dest?access_token=SEGRETO-redirect-4Kp2` }).end(); return; }
    if ((req.url ?? '').startsWith('/dest')) { res.writeHead(503, { 'content-type': 'text/plain' }).end('manutenzione'); return; }
    if (failNext > 0) { failNext--; res.writeHead(500, { 'content-type': 'text/plain' }).end('errore interno'); return; }
    const doc = queue.shift() ?? current;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).end(page(doc));
    void req;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base, url: base + path,
    set(d: Doc) { current = d; },
    once(d: Doc) { queue.push(d); },
    pending: () => queue.length,
    served: () => served,
    fail(n: number) { failNext += n; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
type OfficeFeed = Awaited<ReturnType<typeof officeFeed>>;

const offersOf = (base: string, n: number, from = 1): Offer[] =>
  Array.from({ length: n }, (_, i) => ({ code: `PE-2026-${String(from + i).padStart(4, '0')}`, title: `Addetto numero ${from + i}`, url: `${base}/offerta/${from + i}` }));

const feedLines = (url: string, extra: string, onFirstPoll = 'post') => `      - url: "${url}"
        pollInterval: 2s
        onFirstPoll: ${onFirstPoll}
${extra}`;

let stack: Stack | undefined;
let feed: OfficeFeed | undefined;
const stops: Stop[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
  await stack?.stop();
  await feed?.close();
  stack = undefined; feed = undefined;
});

const xLive = (s: Stack) => s.x.posts().filter((p) => !p.deleted);
const xWith = (s: Stack, url: string) => s.x.posts().filter((p) => p.text.includes(url));
const fbWith = (s: Stack, url: string) => s.graph.posts().filter((p) => (p.link ?? '') === url || p.message.includes(url) || p.history.some((h) => h.link === url));

describe('issue 13: a flickering feed closes nothing; an offer that really left closes within a minute', () => {
  it('half the offers for one poll, then a broken JSON-LD block for several, close nothing; a withdrawn offer closes at 2 s polls', async () => {
    feed = await officeFeed();
    const all = offersOf(feed.base, 8);
    feed.set({ offers: all });
    stack = await startStack({ initialOffers: 0, feedExtra: feedLines(feed.url, '        onRemoval: close') });
    await stack.startWorkers();
    await stack.startPoller();
    await waitFor('8 posts on X and on Facebook', () => xLive(stack!).length === 8 && stack!.graph.posts().length === 8, 40_000);
    await drained(stack.rt);

    // One poll that lists half the offers, then polls whose page has one broken JSON-LD block.
    const half = { offers: all.slice(0, 4) };
    const broken = { offers: all, broken: all[6]!.code };
    feed.once(half);
    for (let i = 0; i < 5; i++) feed.once(broken);
    await waitFor('the scripted documents served', () => feed!.pending() === 0, 40_000);
    // Two more complete polls of the whole feed (a third one has begun, so they ended), and their work done.
    const s0 = feed.served();
    await waitFor('three more polls of the office feed', () => feed!.served() >= s0 + 3, 40_000);
    await drained(stack.rt);

    expect(xLive(stack).length).toBe(8);
    expect(stack.x.posts().filter((p) => p.deleted)).toEqual([]);
    expect(stack.graph.posts().filter((p) => p.history.length > 0 || p.deleted)).toEqual([]);

    // Now one offer really leaves the feed: its X post is deleted and its Facebook post edited within a minute.
    const gone = all[2]!;
    const left = Date.now();
    feed.set({ offers: all.filter((o) => o !== gone) });
    await waitFor('the withdrawn offer closed on X and Facebook', () =>
      xWith(stack!, gone.url).every((p) => p.deleted) && fbWith(stack!, gone.url).some((p) => p.history.length > 0), 60_000, 100);
    const tookMs = Date.now() - left;
    expect(tookMs).toBeLessThan(60_000);
    expect(xWith(stack, gone.url)).toHaveLength(1);
    await drained(stack.rt);
    expect(xLive(stack).length).toBe(7);
    expect(xLive(stack).some((p) => p.text.includes(gone.url))).toBe(false);
    // Only that offer: no other post was touched.
    expect(stack.graph.posts().filter((p) => p.history.length > 0)).toHaveLength(1);

    // It comes back: reopened, posted again once on X, and its Facebook post edited back.
    feed.set({ offers: all });
    await waitFor('the returning offer reposted on X', () => xWith(stack!, gone.url).filter((p) => !p.deleted).length === 1, 60_000, 100);
    await waitFor('its Facebook post edited back', () => fbWith(stack!, gone.url).some((p) => p.history.length >= 2), 60_000, 100);
    await drained(stack.rt);
    expect(xWith(stack, gone.url)).toHaveLength(2);
    expect(fbWith(stack, gone.url)).toHaveLength(1);
    expect(xLive(stack)).toHaveLength(8);
  }, 150_000);
});

describe('issue 13: posts left in doubt on X\'s Free tier', () => {
  it('two posts whose requests hung until their attempts were spent show in banditore_posts_in_doubt and end posted exactly once after X can be read again', async () => {
    stack = await startStack({
      initialOffers: 2, networks: ['twitter'], postTimeout: '1s',
      twitterExtra: '        attempts: 2\n',
      headExtra: 'sweeper:\n  interval: 1s',
    });
    stack.x.setTier('free');
    // Every attempt of both posts hangs before X commits it: 2 posts × 2 attempts.
    stack.x.hangBeforeCommitNext(4);
    await stack.startWorkers();
    await stack.startPoller();
    const dash = await startDashboard(stack.rt);
    stops.push(dash.stop);
    const auth = `Basic ${Buffer.from(`operator:${stack.env.DASHBOARD_PASSWORD}`).toString('base64')}`;
    const gauge = async () => {
      const text = await (await fetch(`${dash.url}/metrics`, { headers: { authorization: auth } })).text();
      const line = text.split('\n').find((l) => l.startsWith('banditore_posts_in_doubt{') && l.includes('publisher="pescara"') && l.includes('network="twitter"'));
      return line ? Number(line.split(' ').pop()) : undefined;
    };

    // Both jobs end with their attempts spent, nothing is on X, and the gauge says 2.
    await waitFor('both delivery jobs failed', async () => (await stack!.rt.queues.deliveries().find((q) => q.name === 'twitter')!.getJobCounts('failed')).failed === 2, 40_000);
    expect(stack.x.posts()).toEqual([]);
    await waitFor('banditore_posts_in_doubt = 2', async () => (await gauge()) === 2, 20_000);
    // The dashboard shows them, and the API lists both.
    const overview = await (await fetch(`${dash.url}/`, { headers: { authorization: auth } })).text();
    expect(overview).toContain('In dubbio');
    for (const o of stack.feed.published()) expect(overview).toContain(o.title);
    const listed = JSON.parse(await (await fetch(`${dash.url}/api/in-doubt`, { headers: { authorization: auth, accept: 'application/json' } })).text());
    expect(JSON.stringify(listed).match(/"network":"twitter"/g)).toHaveLength(2);

    // X can be read again; the sweeper (as in every worker) drives them through reconciliation.
    stack.x.setTier('basic');
    stops.push(startBackgroundDuties(stack.rt));
    await waitFor('both offers on X', () => stack!.x.posts().length === 2, 40_000, 100);
    await waitFor('banditore_posts_in_doubt = 0', async () => (await gauge()) === 0, 20_000);
    await drained(stack.rt);
    // Exactly once each: two posts, of two different offers, none deleted.
    const links = stack.feed.published().map((o) => o.url);
    for (const url of links) expect(stack.x.posts().filter((p) => p.text.includes(url)), url).toHaveLength(1);
    expect(stack.x.posts().filter((p) => p.deleted)).toEqual([]);
    // And it stays so through further sweeps.
    const since = await pollCount(stack.rt, 'pescara');
    await pollsAfter(stack.rt, 'pescara', since, 3, 20_000);
    await drained(stack.rt);
    expect(stack.x.posts()).toHaveLength(2);
  }, 150_000);
});

describe('issue 13: posts left in doubt while the timeline cannot be read (reconcile: read)', () => {
  it('two posts that hung, then could not be looked up until their attempts were spent, are posted once each after X can be read', async () => {
    stack = await startStack({
      initialOffers: 2, networks: ['twitter'], postTimeout: '1s',
      twitterExtra: '        attempts: 2\n        reconcile: read\n',
      headExtra: 'sweeper:\n  interval: 1s',
    });
    stack.x.setTier('free');
    stack.x.hangBeforeCommitNext(2);
    await stack.startWorkers();
    await stack.startPoller();
    const dash = await startDashboard(stack.rt);
    stops.push(dash.stop);
    const auth = `Basic ${Buffer.from(`operator:${stack.env.DASHBOARD_PASSWORD}`).toString('base64')}`;
    const gauge = async () => {
      const text = await (await fetch(`${dash.url}/metrics`, { headers: { authorization: auth } })).text();
      const line = text.split('\n').find((l) => l.startsWith('banditore_posts_in_doubt{') && l.includes('publisher="pescara"') && l.includes('network="twitter"'));
      return line ? Number(line.split(' ').pop()) : undefined;
    };
    stops.push(startBackgroundDuties(stack.rt));
    // While X's Free tier refuses the read, nothing is sent again and both stay counted.
    await waitFor('banditore_posts_in_doubt = 2', async () => (await gauge()) === 2, 30_000);
    const twitter = stack.rt.queues.deliveries().find((q) => q.name === 'twitter')!;
    await waitFor('both delivery jobs failed or re-queued by the sweeper at least once', async () => {
      const jobs = (await twitter.getJobs(['failed', 'completed', 'delayed', 'waiting', 'active', 'prioritized'], 0, 50)).filter(Boolean);
      return jobs.filter((j) => /sweep/.test(String(j?.id))).length >= 2 || ((await twitter.getJobCounts('failed')).failed ?? 0) >= 2;
    }, 30_000);
    expect(stack.x.posts()).toEqual([]);
    expect(await gauge()).toBe(2);

    stack.x.setTier('basic');
    await waitFor('both offers on X', () => stack!.x.posts().length === 2, 60_000, 100);
    await waitFor('banditore_posts_in_doubt = 0', async () => (await gauge()) === 0, 30_000);
    await drained(stack.rt);
    for (const url of stack.feed.published().map((o) => o.url)) expect(stack.x.posts().filter((p) => p.text.includes(url)), url).toHaveLength(1);
  }, 150_000);

  it('two posts X committed whose answers were lost, on the Free tier, end posted exactly once (X\'s duplicate answer), counted in doubt until their ids are known', async () => {
    stack = await startStack({
      initialOffers: 2, networks: ['twitter'], postTimeout: '1s',
      twitterExtra: '        attempts: 2\n',
      headExtra: 'sweeper:\n  interval: 1s',
    });
    stack.x.setTier('free');
    stack.x.commitThenHangNext(2);
    await stack.startWorkers();
    await stack.startPoller();
    const dash = await startDashboard(stack.rt);
    stops.push(dash.stop);
    const auth = `Basic ${Buffer.from(`operator:${stack.env.DASHBOARD_PASSWORD}`).toString('base64')}`;
    const gauge = async () => {
      const text = await (await fetch(`${dash.url}/metrics`, { headers: { authorization: auth } })).text();
      const line = text.split('\n').find((l) => l.startsWith('banditore_posts_in_doubt{') && l.includes('publisher="pescara"') && l.includes('network="twitter"'));
      return line ? Number(line.split(' ').pop()) : undefined;
    };
    stops.push(startBackgroundDuties(stack.rt));
    await waitFor('both posts committed at X', () => stack!.x.posts().length === 2, 30_000);
    await waitFor('both ledger entries posted', async () => {
      const keys = await stack!.rt.offers.list('pescara', 0, 100);
      const entries = await Promise.all(keys.map((k) => stack!.rt.ledger.get('pescara', 'twitter', k)));
      return entries.length === 2 && entries.every((e) => e?.state === 'posted');
    }, 30_000);
    await drained(stack.rt, { timeoutMs: 30_000 });
    // Posted without the network's id: still counted, as README says, until it is looked up.
    await waitFor('banditore_posts_in_doubt = 2', async () => (await gauge()) === 2, 30_000);
    stack.x.setTier('basic');
    // Several sweeps later nothing was sent again.
    const since = await pollCount(stack.rt, 'pescara');
    await pollsAfter(stack.rt, 'pescara', since, 4, 20_000);
    await drained(stack.rt);
    expect(stack.x.posts()).toHaveLength(2);
    for (const url of stack.feed.published().map((o) => o.url)) expect(stack.x.posts().filter((p) => p.text.includes(url)), url).toHaveLength(1);
  }, 150_000);
});

describe('issue 13: a suspect poll closes nothing even when one missing poll would close', () => {
  it('with closeAfterMissing 1, a poll that lists 3 of 8, or a page with a broken block, closes nothing; 7 of 8 closes one', async () => {
    feed = await officeFeed();
    const all = offersOf(feed.base, 8);
    feed.set({ offers: all });
    stack = await startStack({ initialOffers: 0, networks: ['twitter'], feedExtra: feedLines(feed.url, '        onRemoval: close\n        closeAfterMissing: 1') });
    await stack.startWorkers();
    await stack.startPoller();
    await waitFor('8 posts on X', () => xLive(stack!).length === 8, 40_000);
    await drained(stack.rt);
    feed.once({ offers: all.slice(0, 3) });
    feed.once({ offers: all, broken: all[7]!.code });
    await waitFor('the scripted documents served', () => feed!.pending() === 0, 40_000);
    const s0 = feed.served();
    await waitFor('two more polls of the office feed', () => feed!.served() >= s0 + 2, 40_000);
    await drained(stack.rt);
    expect(stack.x.posts().filter((p) => p.deleted)).toEqual([]);
    feed.set({ offers: all.slice(1) });
    await waitFor('the first offer closed', () => xWith(stack!, all[0]!.url).every((p) => p.deleted), 30_000, 100);
    await drained(stack.rt);
    expect(xLive(stack)).toHaveLength(7);
  }, 120_000);
});

describe('issue 13: a feed URL with a key never shows the key in a log line', () => {
  it('neither a good poll, a failed poll nor an unreachable host logs the key', async () => {
    const KEY = 'SEGRETO-feedkey-7Qz91';
    feed = await officeFeed('/offerte.html');
    feed.set({ offers: offersOf(feed.base, 2) });
    feed.fail(2);
    const dead = createServer(); // a port nobody listens on
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    stack = await startStack({
      initialOffers: 0, networks: ['twitter'],
      feedExtra: `      - url: "${feed.url}?key=${KEY}"
        pollInterval: 1s
        onFirstPoll: post
      - url: "http://127.0.0.1:${deadPort}/offerte.xml?Key=${KEY}&x=1"
        pollInterval: 1s
      - url: "http://ufficio:SEGRETO-userinfo-9Vb3@127.0.0.1:${deadPort}/altre.xml"
        pollInterval: 1s
      - url: "${feed.base}/moved"
        pollInterval: 1s
`,
    });
    await stack.startWorkers();
    await stack.startPoller();
    await waitFor('both offers of the keyed feed posted', () => xLive(stack!).length === 2, 40_000);
    const since = await pollCount(stack.rt, 'pescara');
    await pollsAfter(stack.rt, 'pescara', since, 6, 30_000);
    await drained(stack.rt);
    const lines = stack.logs.join('').split('\n').filter(Boolean);
    // The feeds were logged about (so the check means something), and the key never.
    expect(lines.some((l) => l.includes(String(deadPort)))).toBe(true);
    expect(lines.some((l) => l.includes('[redacted]'))).toBe(true);
    expect(lines.filter((l) => l.includes(KEY))).toEqual([]);
    expect(lines.filter((l) => l.includes('feedkey-7Qz91'))).toEqual([]);
    expect(lines.some((l) => l.includes('/moved') || l.includes('/dest'))).toBe(true);
    expect(lines.filter((l) => l.includes('SEGRETO'))).toEqual([]);
    // Nor does the dashboard show it (README: a key in a URL is a secret wherever it appears).
    const dash = await startDashboard(stack.rt);
    stops.push(dash.stop);
    const auth = `Basic ${Buffer.from(`operator:${stack.env.DASHBOARD_PASSWORD}`).toString('base64')}`;
    for (const path of ['/feeds', '/api/status', '/api/offers', '/failures', '/api/failures']) {
      const res = await fetch(`${dash.url}${path}`, { headers: { authorization: auth, accept: path.startsWith('/api') ? 'application/json' : 'text/html' } });
      const body = await res.text();
      expect(res.status, path).toBe(200);
      expect(body, path).not.toContain('SEGRETO');
    }
    const feedsPage = await (await fetch(`${dash.url}/feeds`, { headers: { authorization: auth } })).text();
    expect(feedsPage).toContain(String(deadPort));
  }, 90_000);
});

describe('issue 13: quiet hours release', () => {
  it('a single post held by quiet hours goes out within a minute of their end', async () => {
    const zone = 'Europe/Rome';
    const now = DateTime.now().setZone(zone);
    // Quiet hours from this minute to the next whole minute at least 20 s away, with a long spread.
    const end = now.startOf('minute').plus({ minutes: now.second < 40 ? 1 : 2 });
    const from = now.startOf('minute').toFormat('HH:mm');
    const to = end.toFormat('HH:mm');
    stack = await startStack({
      initialOffers: 1, networks: ['twitter'],
      publisherExtra: `    timezone: ${zone}\n    quietHours: { from: "${from}", to: "${to}", spread: 10m }`,
    });
    await stack.startWorkers();
    await stack.startPoller();
    const held = await pollCount(stack.rt, 'pescara');
    await pollsAfter(stack.rt, 'pescara', held, 1, 20_000);
    expect(Date.now()).toBeLessThan(end.toMillis());
    await waitFor('the held post on X', () => stack!.x.posts().length === 1, end.toMillis() - Date.now() + 70_000, 100);
    const at = Date.parse(stack.x.posts()[0]!.createdAt);
    expect(at).toBeGreaterThanOrEqual(end.toMillis() - 1000);
    expect(at - end.toMillis()).toBeLessThan(60_000);
  }, 200_000);
});

describe('issue 13: edits and deletes do not spend the posting budget', () => {
  it('with 3 posts a day, two offers posted and closed leave room for a third post on X and Facebook', async () => {
    feed = await officeFeed();
    // F stays in the feed throughout, skipped at the first poll: the feed never lists nothing.
    const [f, a, b, c, d] = offersOf(feed.base, 5) as [Offer, Offer, Offer, Offer, Offer];
    feed.set({ offers: [f] });
    stack = await startStack({
      initialOffers: 0,
      feedExtra: feedLines(feed.url, '        onRemoval: close\n        closeAfterMissing: 1', 'skip'),
      twitterExtra: '        limits: [{ max: 3, per: 24h }]\n',
      facebookExtra: '        limits: [{ max: 3, per: 24h }]\n',
    });
    await stack.startWorkers();
    await stack.startPoller();
    const s0 = feed.served();
    await waitFor('the first poll of the office feed', () => feed!.served() >= s0 + 2, 20_000);
    feed.set({ offers: [f, a, b] });
    await waitFor('two posts on X and Facebook', () => xLive(stack!).length === 2 && stack!.graph.posts().length === 2, 40_000);
    await drained(stack.rt);
    // Both offers leave: their X posts are deleted and Facebook posts edited (4 modifications).
    feed.set({ offers: [f] });
    await waitFor('both closed', () => stack!.x.posts().filter((p) => p.deleted).length === 2
      && stack!.graph.posts().filter((p) => p.history.length > 0).length === 2, 40_000, 100);
    await drained(stack.rt);
    // A third offer still fits in the day's 3 posts on both networks.
    feed.set({ offers: [f, c] });
    await waitFor('the third offer posted on X and Facebook', () => xWith(stack!, c.url).length === 1 && fbWith(stack!, c.url).length === 1, 40_000, 100);
    await drained(stack.rt);
    expect(stack.x.posts()).toHaveLength(3);
    expect(stack.graph.posts()).toHaveLength(3);
    expect(xWith(stack, f.url)).toEqual([]);
    // The windows do bind posts: a fourth offer waits for the day's window on both networks.
    feed.set({ offers: [f, c, d] });
    await waitFor('the fourth offer waiting for a slot on both networks', async () => {
      const delayed = await Promise.all(stack!.rt.queues.deliveries().map(async (q) => (await q.getJobCounts('delayed')).delayed ?? 0));
      return delayed.filter((n) => n > 0).length === 2;
    }, 30_000);
    expect(xWith(stack, d.url)).toEqual([]);
    expect(fbWith(stack, d.url)).toEqual([]);
  }, 120_000);
});
