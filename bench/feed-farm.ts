// SPDX-License-Identifier: EUPL-1.2
/**
 * Many employment offices' feeds for the benchmark: `hosts` HTTP servers (each one "host" for the
 * per-host limit), each serving its share of the feeds at /f/{n}.xml as RSS 2.0 with an ETag per feed
 * version and 304 for unchanged feeds, like a polite office portal. It remembers, per feed, when it first
 * served each version (the poll that sees new offers) and how many requests each host had at once, so the
 * benchmark can time "poll → post" and check the per-host limit from the server's side.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FarmFeed {
  index: number;
  url: string;
  host: number;
  version: number;
  items: Array<{ code: string; title: string; url: string; postedAt: number }>;
  /** Version → epoch ms of the first 200 answer that carried it. */
  seenAt: Map<number, number>;
  /** Epoch ms of every request that reached this feed. */
  hits: number[];
}

export interface FeedFarm {
  feeds: FarmFeed[];
  /** Adds `count` new offers to a feed (a new version). */
  publish(feed: number, count: number): void;
  /** Requests answered so far, by status. */
  answered: { ok: number; notModified: number };
  /** Most requests any single host had in flight at once. */
  peakPerHost(host: number): number;
  /** Delays every answer of a host (a slow office server). */
  setDelay(host: number, ms: number): void;
  close(): Promise<void>;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function rss(feed: FarmFeed, base: string): string {
  const items = feed.items.slice(-50).reverse().map((o) => `<item><title>${xml(o.title)}</title><link>${xml(o.url)}</link><guid isPermaLink="false">${o.code}</guid><pubDate>${new Date(o.postedAt).toUTCString()}</pubDate><description>Offerta di lavoro ${o.code}: ${xml(o.title)}. Sede di lavoro in provincia. Contratto a tempo determinato, 12 mesi, orario pieno.</description></item>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Offerte CPI ${feed.index}</title><link>${base}/</link><description>Offerte di lavoro</description><language>it-it</language>\n${items}\n</channel></rss>`;
}

export async function startFeedFarm(opts: { feeds: number; hosts: number; initialItems?: number; hostOf?: (feed: number) => number }): Promise<FeedFarm> {
  const feeds: FarmFeed[] = [];
  const servers: Server[] = [];
  const bases: string[] = [];
  const inFlight = new Map<number, number>();
  const peak = new Map<number, number>();
  const delay = new Map<number, number>();
  const answered = { ok: 0, notModified: 0 };
  let serial = 0;

  const addItems = (f: FarmFeed, count: number) => {
    const now = Date.now();
    for (let i = 0; i < count; i++) {
      const code = `B${f.index}-${++serial}`;
      f.items.push({ code, title: `Operatore/operatrice ${serial} presso CPI ${f.index}`, url: `${bases[f.host]}/offerte/${code}`, postedAt: now - 60_000 });
    }
    f.version++;
  };

  for (let h = 0; h < opts.hosts; h++) {
    const host = h;
    const server = createServer((req, res) => {
      const m = /^\/f\/(\d+)\.xml$/.exec(req.url ?? '');
      const feed = m ? feeds[Number(m[1])] : undefined;
      if (!feed || feed.host !== host) { res.writeHead(404).end(); return; }
      feed.hits.push(Date.now());
      const n = (inFlight.get(host) ?? 0) + 1;
      inFlight.set(host, n);
      peak.set(host, Math.max(peak.get(host) ?? 0, n));
      const answer = () => {
        inFlight.set(host, (inFlight.get(host) ?? 1) - 1);
        const etag = `"v${feed.version}"`;
        if (req.headers['if-none-match'] === etag) { answered.notModified++; res.writeHead(304, { etag }).end(); return; }
        if (!feed.seenAt.has(feed.version)) feed.seenAt.set(feed.version, Date.now());
        answered.ok++;
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(rss(feed, bases[host]!));
      };
      const d = delay.get(host) ?? 0;
      if (d > 0) setTimeout(answer, d); else answer();
    });
    server.keepAliveTimeout = 10 * 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    bases.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  for (let i = 0; i < opts.feeds; i++) {
    const host = opts.hostOf ? opts.hostOf(i) : i % opts.hosts;
    const f: FarmFeed = { index: i, url: `${bases[host]}/f/${i}.xml`, host, version: 0, items: [], seenAt: new Map(), hits: [] };
    addItems(f, opts.initialItems ?? 5);
    feeds.push(f);
  }
  return {
    feeds, answered,
    publish: (i, count) => addItems(feeds[i]!, count),
    peakPerHost: (h) => peak.get(h) ?? 0,
    setDelay: (h, ms) => { delay.set(h, ms); },
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); })));
    },
  };
}
