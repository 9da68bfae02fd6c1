// SPDX-License-Identifier: EUPL-1.2
/**
 * Portal pages as a source: one poll reads the listing page (conditional GET), finds the links to offer
 * pages (listing.ts), reads the offer pages it has not read yet (at most `maxNewPerPoll` per poll: the
 * rest wait for the next polls; a slow portal gives fewer) and the known ones whose listing entry changed or that were read
 * REFETCH_EVERY_POLLS polls ago (conditional GET again), and gives the poller every listed offer it
 * knows, like a feed's items: what leaves the listing is then handled as what leaves a feed.
 * Every request goes through the feeds' fetch layer (host limits, User-Agent, size and time limits)
 * and is first checked against the host's robots.txt. What was read is kept in Redis
 * (`keys.pageOffers`), so a known offer page is not fetched on every poll, across processes.
 */
import type { Config, PageConfig, PublisherConfig } from '../../config/schema.ts';
import type { RedisClient } from '../../redis/connection.ts';
import type { Keys } from '../../redis/keys.ts';
import { fetchFeed, type FetchOptions, type Validators } from '../../feeds/fetch.ts';
import { FeedError } from '../../feeds/errors.ts';
import { HostBusyError } from '../../feeds/host-limiter.ts';
import { decodeBody } from '../../feeds/decode.ts';
import { parseRawItems, type ParsedFeed } from '../../feeds/pipeline.ts';
import type { RawItem } from '../../feeds/raw-item.ts';
import { findOfferLinks, type OfferLink } from './listing.ts';
import { readOfferPage, selectorSpec, type PageSpec } from './offer-page.ts';
import { PRESETS } from './myportal.ts';
import { RobotsCache } from './robots.ts';

export { RobotsCache, parseRobots } from './robots.ts';
export { findOfferLinks } from './listing.ts';
export { readOfferPage } from './offer-page.ts';

/** A known offer page is read again after this many polls even if its listing entry did not change. */
export const REFETCH_EVERY_POLLS = 4;
/**
 * One poll stops starting offer-page fetches after this many `fetch.timeout`s: a slow portal gives
 * fewer pages per poll (the rest next poll) instead of holding the page's poll lock for long.
 */
export const OFFER_FETCHING_TIMEOUTS = 2;

export function specOf(page: PageConfig): PageSpec {
  if (page.preset) return PRESETS[page.preset];
  return selectorSpec(page.links!, page.fields!);
}

/** What is kept of one offer page between polls. */
interface Cached {
  entry: string;
  etag?: string;
  lastModified?: string;
  fetchedAt: number;
  /** Absent while the page could not be read yet (a new page that failed: tried again later). */
  item?: RawItem;
}

export interface PageRead {
  parsed: ParsedFeed;
  /** The listing's validators, for the next conditional GET. */
  validators: Validators;
  listed: number;
  fetched: number;
  /** Offer pages listed but not read yet (over maxNewPerPoll, host busy, or failing): next polls. */
  pending: number;
  /** Offer pages robots.txt forbids: never read. */
  blocked: number;
}

export type FetchSettings = Config['fetch'];

const LISTING_FIELD = '@listing';

function fetchOptions(f: FetchSettings): FetchOptions {
  return { timeoutMs: f.timeout, connectTimeoutMs: f.connectTimeout, maxBytes: f.maxBytes, maxRedirects: f.maxRedirects, userAgent: f.userAgent, perHost: f.perHost };
}

/** robots.txt through the fetch layer: a 4xx is "no robots.txt", anything else that fails is a failure. */
export function robotsFor(f: FetchSettings): RobotsCache {
  return new RobotsCache(async (url) => {
    try {
      const got = await fetchFeed(url, fetchOptions(f));
      if (got.kind !== 'ok') return { status: 'missing' };
      return { status: 'ok', body: decodeBody(got.body, got.contentType).text };
    } catch (e) {
      if (e instanceof FeedError && /^HTTP 4\d\d$/.test(e.reason)) return { status: 'missing' };
      throw e;
    }
  });
}

/** Refuses a page robots.txt keeps us out of (or cannot be read for), in words for an operator. */
async function assertAllowed(robots: RobotsCache, url: string, userAgent: string): Promise<void> {
  const r = await robots.rulesFor(url);
  const u = new URL(url);
  if (r.unreachable) throw new FeedError(`robots.txt of ${u.host} cannot be read (${r.unreachable}): nothing is fetched from this host until it can`);
  if (!r.rules.allows(userAgent, `${u.pathname}${u.search}`)) throw new FeedError(`robots.txt of ${u.host} disallows ${u.pathname} for our User-Agent`);
}

export interface ListingCheck { links: OfferLink[]; blocked: number; finalUrl: string }

/** For `banditore check`: the page answers, robots.txt lets us in, and it yields offer links. */
export async function checkPage(page: PageConfig, f: FetchSettings, robots = robotsFor(f)): Promise<ListingCheck> {
  await assertAllowed(robots, page.url, f.userAgent);
  const got = await fetchFeed(page.url, fetchOptions(f));
  if (got.kind !== 'ok') throw new FeedError('not modified');
  const links = findOfferLinks(decodeBody(got.body, got.contentType).text, got.finalUrl, specOf(page));
  let blocked = 0;
  for (const l of links) if (!(await robots.allows(l.url, f.userAgent))) blocked++;
  return { links, blocked, finalUrl: got.finalUrl };
}

/**
 * For `banditore preview`: reads the listing and its first `limit` offer pages (those robots.txt
 * allows) the way a poll would, without Redis and without remembering anything.
 */
export async function previewPage(pub: PublisherConfig, page: PageConfig, f: FetchSettings, limit: number, robots = robotsFor(f)): Promise<ParsedFeed & { listed: number; blocked: number }> {
  const { links, blocked } = await checkPage(page, f, robots);
  const spec = specOf(page);
  const items: RawItem[] = [];
  for (const link of links) {
    if (items.length >= Math.min(limit, page.maxNewPerPoll)) break;
    if (!(await robots.allows(link.url, f.userAgent))) continue;
    const got = await fetchFeed(link.url, fetchOptions(f));
    if (got.kind === 'ok') items.push(readOfferPage(decodeBody(got.body, got.contentType).text, link.url, spec));
  }
  const parsed = parseRawItems('portal-page', items, { publisherId: pub.id, timezone: pub.timezone, feedUrl: page.url, allowedContacts: pub.allowedContacts });
  return { ...parsed, listed: links.length, blocked };
}

export interface PageReaderDeps {
  config: Config;
  redis: RedisClient;
  keys: Keys;
  now: () => number;
  robots?: RobotsCache;
}

export class PageReader {
  private readonly robots: RobotsCache;

  constructor(private readonly d: PageReaderDeps) {
    this.robots = d.robots ?? robotsFor(d.config.fetch);
  }

  /**
   * One poll of a page. Throws FeedError when the listing cannot be read (the poll fails, nothing is
   * counted missing) and HostBusyError when its host has no free turn for the listing.
   */
  async read(pub: PublisherConfig, page: PageConfig, validators: Validators): Promise<PageRead> {
    const f = this.d.config.fetch;
    const spec = specOf(page);
    const key = this.d.keys.pageOffers(pub.id, page.url);
    await assertAllowed(this.robots, page.url, f.userAgent);
    const stored = await this.d.redis.hgetall(key);
    const cachedLinks = parseJson<OfferLink[]>(stored[LISTING_FIELD]);
    let got = await fetchFeed(page.url, { ...fetchOptions(f), validators: cachedLinks ? validators : {}, busyRetryWithinMs: page.pollInterval });
    let links: OfferLink[];
    if ((got.kind === 'not-modified' || got.unchanged) && cachedLinks) links = cachedLinks;
    else {
      if (got.kind === 'not-modified') got = await fetchFeed(page.url, { ...fetchOptions(f), busyRetryWithinMs: page.pollInterval });
      if (got.kind !== 'ok') throw new FeedError('listing answered 304 without a conditional request');
      links = findOfferLinks(decodeBody(got.body, got.contentType).text, got.finalUrl, spec);
    }

    const now = this.d.now();
    const staleAfter = REFETCH_EVERY_POLLS * page.pollInterval;
    const writes: Record<string, string> = { [LISTING_FIELD]: JSON.stringify(links) };
    const items: RawItem[] = [];
    const stopAt = now + OFFER_FETCHING_TIMEOUTS * f.timeout;
    let fetchedNew = 0; let refetched = 0; let pending = 0; let blocked = 0; let hostBusy = false;
    for (const link of links) {
      const c = parseJson<Cached>(stored[link.id]);
      // Forbidden by robots.txt: never fetched (one read before the rule came stays listed as it was).
      if (!(await this.robots.allows(link.url, f.userAgent))) { blocked++; if (c?.item) items.push(c.item); continue; }
      const isNew = !c?.item;
      const due = isNew
        ? !c || now - c.fetchedAt >= staleAfter // a new page that failed is tried again some polls later
        : c.entry !== link.entry || now - c.fetchedAt >= staleAfter;
      const budgetLeft = isNew ? fetchedNew < page.maxNewPerPoll : refetched < page.maxNewPerPoll;
      if (!due || !budgetLeft || hostBusy || this.d.now() >= stopAt) {
        if (c?.item) items.push(c.item);
        else pending++;
        continue;
      }
      if (isNew) fetchedNew++; else refetched++;
      const next = await this.fetchOffer(link, c, spec, now).catch((e: unknown) => {
        if (e instanceof HostBusyError || (e instanceof FeedError && e.reason.startsWith('host busy'))) hostBusy = true;
        return undefined;
      });
      if (next) {
        writes[link.id] = JSON.stringify(next);
        if (next.item) items.push(next.item);
        else pending++;
      } else if (c?.item) items.push(c.item); // a known page that failed this time: still listed, as last read
      else { pending++; if (!hostBusy) writes[link.id] = JSON.stringify({ entry: link.entry, fetchedAt: now } satisfies Cached); }
    }
    const listed = new Set(links.map((l) => l.id));
    const gone = Object.keys(stored).filter((k) => k !== LISTING_FIELD && !listed.has(k));
    const tx = this.d.redis.multi().hset(key, writes);
    if (gone.length) tx.hdel(key, ...gone);
    await tx.exec();

    const parsed = parseRawItems('portal-page', items, { publisherId: pub.id, timezone: pub.timezone, feedUrl: page.url, now: new Date(now), allowedContacts: pub.allowedContacts });
    return { parsed, validators: got.validators, listed: links.length, fetched: fetchedNew + refetched, pending, blocked };
  }

  private async fetchOffer(link: OfferLink, c: Cached | undefined, spec: PageSpec, now: number): Promise<Cached> {
    const f = this.d.config.fetch;
    const validators: Validators = c?.item ? { ...(c.etag ? { etag: c.etag } : {}), ...(c.lastModified ? { lastModified: c.lastModified } : {}) } : {};
    const got = await fetchFeed(link.url, { ...fetchOptions(f), validators });
    if (got.kind === 'not-modified') return { ...c!, entry: link.entry, fetchedAt: now };
    // An offer page that sends us to another site is not this office's offer page.
    if (new URL(got.finalUrl).host !== new URL(link.url).host) throw new FeedError('offer page redirects to another host');
    const item = readOfferPage(decodeBody(got.body, got.contentType).text, link.url, spec);
    const next: Cached = { entry: link.entry, fetchedAt: now, item };
    if (got.validators.etag) next.etag = got.validators.etag;
    if (got.validators.lastModified) next.lastModified = got.validators.lastModified;
    return next;
  }
}

function parseJson<T>(s: string | undefined): T | undefined {
  if (!s) return undefined;
  try { return JSON.parse(s) as T; } catch { return undefined; }
}
