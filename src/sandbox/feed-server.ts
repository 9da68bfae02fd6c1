// SPDX-License-Identifier: EUPL-1.2
/**
 * The demo office: an HTTP server that publishes job offers like a Centro per l'Impiego would, as RSS 2.0
 * (/offerte.xml) and schema.org JobPosting JSON-LD (/offerte.jsonld), with a detail page per offer
 * (/offerte/{code}). It answers conditional GETs (ETag, Last-Modified, 304) so pollers can be polite,
 * and publishes a new offer every `newEveryMs`, so a demo shows the whole path from feed to post.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { makeSampleOffer, type SampleOffer } from './sample-offers.ts';

export interface FeedServerOptions {
  port?: number;
  host?: string;
  /** Publish one more offer this often; 0 turns it off. Default 60 s. */
  newEveryMs?: number;
  /** Offers already published at start. Default 10. */
  initial?: number;
  now?: () => number;
  /** Base of the offer links, when the server is reached under another name (e.g. in Docker). */
  publicUrl?: string;
}

export interface FeedServer {
  url: string;
  rssUrl: string;
  jsonLdUrl: string;
  close(): Promise<void>;
  publishNext(): void;
  published(): SampleOffer[];
}

const ZONE = 'Europe/Rome';
/** Feeds show the latest offers only, like a portal's "ultime offerte". */
const FEED_SIZE = 100;

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const html = xml;
const rfc822 = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).setLocale('en-US').toFormat('ccc, dd LLL yyyy HH:mm:ss ZZZ');
const iso = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toISO({ suppressMilliseconds: true }) ?? new Date(ms).toISOString();

function rss(offers: SampleOffer[], base: string, builtMs: number): string {
  const items = offers.map((o) => `    <item>
      <title>${xml(o.title)}</title>
      <link>${xml(o.url)}</link>
      <guid isPermaLink="false">${xml(o.code)}</guid>
      <pubDate>${rfc822(o.datePosted)}</pubDate>
      <category>${xml(o.contract)}</category>
      <description><![CDATA[<p>${xml(o.description)}</p><p><strong>Sede:</strong> ${xml(o.location)} (PE)${o.employer ? ` &ndash; <strong>Azienda:</strong> ${xml(o.employer)}` : ''}</p><p><strong>Orario:</strong> ${xml(o.hours)} &ndash; <strong>Posti:</strong> ${o.positions} &ndash; <strong>Scadenza:</strong> ${DateTime.fromMillis(o.validThrough, { zone: ZONE }).toFormat('dd/MM/yyyy')}</p>]]></description>
    </item>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Offerte di lavoro – Centro per l'Impiego di Pescara (demo)</title>
    <link>${xml(base)}/</link>
    <atom:link href="${xml(base)}/offerte.xml" rel="self" type="application/rss+xml"/>
    <description>Offerte di lavoro pubblicate dai Centri per l'Impiego della provincia di Pescara (dati dimostrativi).</description>
    <language>it-it</language>
    <lastBuildDate>${rfc822(builtMs)}</lastBuildDate>
${items}
  </channel>
</rss>
`;
}

function jobPosting(o: SampleOffer): Record<string, unknown> {
  return {
    '@type': 'JobPosting',
    identifier: { '@type': 'PropertyValue', name: "Centro per l'Impiego di Pescara", value: o.code },
    title: o.title,
    description: `<p>${html(o.description)}</p>`,
    datePosted: iso(o.datePosted),
    validThrough: iso(o.validThrough),
    employmentType: o.employmentType,
    // Anonymous offers (the CPI keeps the employer's name private) carry no organization.
    ...(o.employer ? { hiringOrganization: { '@type': 'Organization', name: o.employer } } : {}),
    jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: o.location, addressRegion: o.province, addressCountry: 'IT' } },
    totalJobOpenings: o.positions,
    workHours: o.hours,
    url: o.url,
  };
}

function jsonLd(offers: SampleOffer[], base: string): string {
  return JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'ItemList',
    name: "Offerte di lavoro – Centro per l'Impiego di Pescara (demo)",
    url: `${base}/offerte.jsonld`,
    itemListElement: offers.map((o, i) => ({ '@type': 'ListItem', position: i + 1, item: jobPosting(o) })),
  }, null, 2);
}

function detailPage(o: SampleOffer): string {
  // '<' escaped inside the script so no text of the offer can close the tag.
  const ld = JSON.stringify({ '@context': 'https://schema.org', ...jobPosting(o) }).replace(/</g, '\\u003c');
  const deadline = DateTime.fromMillis(o.validThrough, { zone: ZONE }).toFormat('dd/MM/yyyy');
  return `<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>${html(o.title)} – ${html(o.code)}</title>
<script type="application/ld+json">${ld}</script></head>
<body><h1>${html(o.title)}</h1>
<p>Codice offerta: <strong>${html(o.code)}</strong></p>
<ul><li>Sede: ${html(o.location)} (PE)</li>${o.employer ? `<li>Azienda: ${html(o.employer)}</li>` : ''}
<li>Contratto: ${html(o.contract)}</li><li>Orario: ${html(o.hours)}</li><li>Posti: ${o.positions}</li><li>Scadenza: ${deadline}</li></ul>
<p>${html(o.description)}</p>
<p>Per candidarsi rivolgersi al Centro per l'Impiego indicando il codice dell'offerta.</p></body></html>
`;
}

/** True when the request's validators match: then the answer is 304 (RFC 9110 §13.1.2: If-None-Match wins). */
function notModified(req: IncomingMessage, etag: string, lastModifiedMs: number): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    return inm.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === '*' || t === etag);
  }
  const ims = req.headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  // HTTP dates have whole seconds.
  return Number.isFinite(since) && Math.floor(lastModifiedMs / 1000) * 1000 <= since;
}

export async function startFeedServer(opts: FeedServerOptions = {}): Promise<FeedServer> {
  const now = opts.now ?? Date.now;
  const host = opts.host ?? '127.0.0.1';
  const offers: SampleOffer[] = [];
  let version = 0;
  // A restarted server must not answer 304 to validators of a previous run.
  const instance = randomBytes(4).toString('hex');
  let lastModified = now();
  let base = '';

  const publishAt = (postedMs: number) => {
    // Whole seconds: RSS dates have no milliseconds, and both feeds should tell the same time.
    offers.push(makeSampleOffer(offers.length, Math.floor(postedMs / 1000) * 1000, base));
    version++;
    // Last-Modified has whole seconds: each change must move it by at least one, or an
    // If-Modified-Since poller would be told "not modified" after two offers in one second.
    lastModified = Math.max(Math.floor(lastModified / 1000) * 1000 + 1000, now());
  };

  const send = (req: IncomingMessage, res: ServerResponse, type: string, body: string, conditional: boolean) => {
    const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-cache' };
    if (conditional) {
      const etag = `"${instance}-${version}"`;
      headers.etag = etag;
      headers['last-modified'] = new Date(lastModified).toUTCString();
      if (notModified(req, etag, lastModified)) { res.writeHead(304, headers).end(); return; }
    }
    headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
  };

  const server = createServer((req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { allow: 'GET, HEAD' }).end(); return; }
      const latest = offers.slice(-FEED_SIZE).reverse();
      if (path === '/offerte.xml') return send(req, res, 'application/rss+xml; charset=utf-8', rss(latest, base, lastModified), true);
      if (path === '/offerte.jsonld') return send(req, res, 'application/ld+json; charset=utf-8', jsonLd(latest, base), true);
      const m = /^\/offerte\/([A-Za-z0-9-]+)$/.exec(path);
      const offer = m ? offers.find((o) => o.code === m[1]) : undefined;
      if (offer) return send(req, res, 'text/html; charset=utf-8', detailPage(offer), false);
      if (path === '/') {
        return send(req, res, 'text/html; charset=utf-8', `<!doctype html><meta charset="utf-8"><title>Offerte (demo)</title><h1>Offerte di lavoro (demo)</h1><p><a href="/offerte.xml">RSS</a> · <a href="/offerte.jsonld">JSON-LD</a></p><ul>${latest.map((o) => `<li><a href="/offerte/${o.code}">${html(o.title)} – ${html(o.location)}</a></li>`).join('')}</ul>`, false);
      }
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Offerta non trovata\n');
    } catch {
      if (!res.headersSent) res.writeHead(500).end();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  base = (opts.publicUrl ?? `http://${shownHost}:${port}`).replace(/\/$/, '');

  // The initial offers look as if published over the last hours, oldest first.
  const initial = Math.max(0, Math.floor(opts.initial ?? 10));
  const start = now();
  for (let i = 0; i < initial; i++) publishAt(start - (initial - i) * 45 * 60_000);
  lastModified = start;

  const every = opts.newEveryMs ?? 60_000;
  const timer = every > 0 ? setInterval(() => publishAt(now()), every) : undefined;
  timer?.unref();

  return {
    url: base,
    rssUrl: `${base}/offerte.xml`,
    jsonLdUrl: `${base}/offerte.jsonld`,
    publishNext: () => publishAt(now()),
    published: () => offers.map((o) => ({ ...o })),
    close: () => new Promise<void>((resolve) => {
      if (timer) clearInterval(timer);
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
