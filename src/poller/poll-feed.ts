// SPDX-License-Identifier: EUPL-1.2
/**
 * One poll of one source, a feed or a portal page (PolledSource: the feed's fetch and parse, or
 * src/sources/pages/), then the same for both: fetch (conditional GET) → parse → decide what is new, changed, back or gone, and
 * what expired → queue the work → only then remember what was seen (a crash in between re-queues, and
 * the ledger with deterministic job ids keeps that from posting twice). A failing feed logs one clear
 * line and fails only this poll. What counts as "gone" is presence.ts: several complete polls in a row.
 */
import type { Logger } from '../log/logger.ts';
import type { Config, FeedConfig, PageConfig, PublisherConfig } from '../config/schema.ts';
import type { JobOffer, NetworkName } from '../domain/offer.ts';
import { fetchFeed, type Validators } from '../feeds/fetch.ts';
import { FeedError } from '../feeds/errors.ts';
import { HostBusyError } from '../feeds/host-limiter.ts';
import { parseFeedBytes, type ParsedFeed, type ParsedItem } from '../feeds/pipeline.ts';
import { offerKey } from '../feeds/normalize.ts';
import { ownedBy, type OfferStore } from '../ledger/offers.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { FeedHealth, FeedRecord } from '../state/feed-health.ts';
import type { CounterStore } from '../state/counters.ts';
import { feedRef } from '../redis/keys.ts';
import type { OfferCloser } from './close-offer.ts';
import { OfferReopener } from './reopen-offer.ts';
import { observe, sameAsBefore, type PresenceStep } from './presence.ts';
import type { QuietRelease } from '../limits/quiet-release.ts';
import { OFFER_FETCHING_TIMEOUTS, type PageReader } from '../sources/pages/index.ts';
import { applyOffers, type QueuedTask } from './apply-offers.ts';
import { canonicalKey, keyFor, type ReissueDeps } from './reissues.ts';

export { feedRef };

export type { QueuedTask };

export interface PollDeps {
  config: Config;
  offers: OfferStore;
  ledger: Ledger;
  feeds: FeedHealth;
  counters: CounterStore;
  closer: OfferCloser;
  enqueue: (tasks: QueuedTask[]) => Promise<void>;
  logger: Logger;
  now: () => number;
  /** Reads `publishers[].pages` (src/sources/pages/); without it, page sources are skipped. */
  pages?: PageReader;
  /** Where posts held by quiet hours take their turn (absent: they all go at the end). */
  quiet?: QuietRelease;
  /** Re-issue aliases (shared with the other sources). */
  reissues: ReissueDeps;
}

/**
 * What the poller needs of a source, a feed or a portal page: the settings that say what its new,
 * changed and missing offers mean, and one read of it. Everything after the read is the same for both.
 */
export type SourceSettings = Pick<FeedConfig, 'url' | 'pollInterval' | 'onFirstPoll' | 'onUpdate' | 'onRemoval' | 'closeAfterMissing' | 'onExpiry'>;

/** One read of a source: the same document as last time, or what it lists now. */
export type SourceRead =
  | { kind: 'not-modified'; validators: Validators }
  | { kind: 'ok'; parsed: ParsedFeed; validators: Validators };

export interface PolledSource {
  settings: SourceSettings;
  /** How long one poll may hold the source's lock (its fetches' timeouts, and a margin). */
  lockMs: number;
  read(rec: FeedRecord, now: number): Promise<SourceRead>;
}

export interface PollSummary {
  /** `busy`: the feed's host had no free slot; poll again in `retryInMs` (not a failure). */
  result: 'ok' | 'not-modified' | 'error' | 'skipped' | 'busy';
  items?: number; fresh?: number; changed?: number; removed?: number; reopened?: number; expired?: number; error?: string;
  retryInMs?: number;
}

/** Presence incidents an operator is warned about once each (src/poller/presence.ts). */
const INCIDENT_TEXT: Record<string, string> = {
  suspect: 'feed lost most of its offers at once; counting none of them as withdrawn on this poll',
  empty: 'feed lists no usable offer at all; keeping the previous ones open until it lists some again',
  incomplete: 'part of the feed could not be read; offers missing from it are not counted as withdrawn until it reads whole again',
};

export class FeedPoller {
  private readonly reopener: OfferReopener;

  constructor(private readonly d: PollDeps) {
    this.reopener = new OfferReopener({ offers: d.offers, ledger: d.ledger });
  }

  /** `feed` is the source's URL or its feedRef (what poll jobs carry): a feed's or a portal page's. */
  async poll(publisherId: string, feed_: string): Promise<PollSummary> {
    const pub = this.d.config.publishers.find((p) => p.id === publisherId);
    const source = pub && this.sourceOf(pub, feed_);
    if (!pub || !source) return { result: 'skipped' }; // removed from the config since it was scheduled
    const url = source.settings.url;
    // One poll of a source at a time, across processes: an older body applied after a newer one would
    // make the newer offers look withdrawn. A page's offer pages take longer than one fetch.
    const lock = await this.d.feeds.lockPoll(pub.id, url, source.lockMs);
    if (!lock) return { result: 'skipped' };
    try {
      return await this.pollLocked(pub, source);
    } finally {
      await this.d.feeds.unlockPoll(pub.id, url, lock);
    }
  }

  private sourceOf(pub: PublisherConfig, ref: string): PolledSource | undefined {
    const feed = pub.feeds.find((f) => f.url === ref || feedRef(f.url) === ref);
    if (feed) return this.feedSource(pub, feed);
    const page = pub.pages.find((f) => f.url === ref || feedRef(f.url) === ref);
    if (page && this.d.pages) return this.pageSource(pub, page, this.d.pages);
    return undefined;
  }

  private feedSource(pub: PublisherConfig, feed: FeedConfig): PolledSource {
    return {
      settings: feed,
      lockMs: this.d.config.fetch.timeout + 60_000,
      read: async (rec, now) => {
        const f = this.d.config.fetch;
        const got = await fetchFeed(feed.url, {
          validators: { etag: rec.etag, lastModified: rec.lastModified, bodyHash: rec.bodyHash },
          timeoutMs: f.timeout, connectTimeoutMs: f.connectTimeout, maxBytes: f.maxBytes, maxRedirects: f.maxRedirects, userAgent: f.userAgent, perHost: f.perHost,
          // A host busy with other feeds' polls gives this one a turn within seconds, unless the wait
          // would outlast the feed's own next poll.
          busyRetryWithinMs: feed.pollInterval,
        });
        if (got.kind === 'not-modified' || got.unchanged) return { kind: 'not-modified', validators: got.validators };
        const parsed = parseFeedBytes(got.body, got.contentType, { publisherId: pub.id, timezone: pub.timezone, feedUrl: got.finalUrl, now: new Date(now), allowedContacts: pub.allowedContacts, ...(feed.link ? { linkTemplate: feed.link } : {}) });
        return { kind: 'ok', parsed, validators: got.validators };
      },
    };
  }

  /** A portal page: read afresh every poll (its offer pages are cached), so never "not modified". */
  private pageSource(pub: PublisherConfig, page: PageConfig, reader: PageReader): PolledSource {
    return {
      settings: page,
      // robots.txt, the listing, OFFER_FETCHING_TIMEOUTS of offer pages and the one still in flight.
      lockMs: (3 + OFFER_FETCHING_TIMEOUTS) * this.d.config.fetch.timeout + 60_000,
      read: async (rec) => {
        const r = await reader.read(pub, page, { etag: rec.etag, lastModified: rec.lastModified, bodyHash: rec.bodyHash });
        if (r.pending || r.blocked) this.d.logger.child({ publisher: pub.id, feed: page.url }).debug({ listed: r.listed, fetched: r.fetched, pending: r.pending, blocked: r.blocked }, 'portal page read');
        return { kind: 'ok', parsed: r.parsed, validators: r.validators };
      },
    };
  }

  private async pollLocked(pub: PublisherConfig, source: PolledSource): Promise<PollSummary> {
    const feed = source.settings;
    // The feed URL is bound scrubbed (a key in it never reaches a log line: src/log/logger.ts).
    const log = this.d.logger.child({ publisher: pub.id, feed: feed.url });
    const now = this.d.now();
    const rec = await this.d.feeds.get(pub.id, feed.url);
    if (rec.notBefore && rec.notBefore > now) return { result: 'skipped' };
    const nextPollAt = now + feed.pollInterval;
    try {
      const got = await source.read(rec, now);
      if (got.kind === 'not-modified') {
        // The same document as last time says the same about missing offers: keep counting (or holding).
        const gone = rec.presence === 'count' ? await this.followPresence(pub, feed, null, rec, now, log) : { removed: 0 };
        await this.enqueueRechecks(pub, now);
        const expired = await this.sweepExpired(pub, now);
        await this.d.feeds.success(pub.id, feed.url, { now, result: 'not-modified', ...got.validators, nextPollAt });
        await this.d.counters.poll(pub.id, 'not-modified');
        if (gone.removed) log.info({ removed: gone.removed }, 'feed polled');
        return { result: 'not-modified', expired, removed: gone.removed, reopened: 0 };
      }
      const parsed = got.parsed;
      await this.followReissues(pub, parsed);
      const offers = parsed.items.filter((i) => i.decision === 'post' && i.offer).map((i) => ({ ...i.offer!, feedUrl: feed.url }));
      const summary = await this.apply(pub, feed, offers, !rec.firstPollDone, now, log);
      const closedAtSource = await this.closeListedAsClosed(pub, feed, parsed, now);
      const gone = await this.followPresence(pub, feed, parsed, rec, now, log);
      gone.removed += closedAtSource;
      await this.enqueueRechecks(pub, now);
      const expired = await this.sweepExpired(pub, now);
      await this.d.feeds.success(pub.id, feed.url, { now, result: 'ok', etag: got.validators.etag ?? '', lastModified: got.validators.lastModified ?? '', bodyHash: got.validators.bodyHash ?? '', items: parsed.items.length, fresh: summary.fresh, nextPollAt, presence: gone.presence, incident: gone.incident });
      await this.d.counters.poll(pub.id, 'ok');
      const result = { ...summary, removed: gone.removed };
      if (result.fresh || result.changed || result.removed || result.reopened || expired) log.info({ ...result, expired, format: parsed.format }, 'feed polled');
      return { result: 'ok', items: parsed.items.length, ...result, expired };
    } catch (e) {
      // A fast host that is busy with other feeds: not a failure, the poll job comes back in a moment.
      if (e instanceof HostBusyError) {
        log.debug({ retryInMs: e.retryInMs }, 'feed host busy; polling again shortly');
        return { result: 'busy', retryInMs: e.retryInMs };
      }
      const reason = e instanceof FeedError ? e.reason : `unexpected: ${(e as Error).message}`;
      const retryAfter = e instanceof FeedError ? e.retryAfterMs : undefined;
      const failures = await this.d.feeds.failure(pub.id, feed.url, { now, error: reason, nextPollAt: Math.max(nextPollAt, retryAfter ? now + retryAfter : 0), notBefore: retryAfter ? now + retryAfter : undefined });
      await this.d.counters.poll(pub.id, 'error');
      log.error({ reason, consecutiveFailures: failures }, `feed poll failed: ${feed.url}: ${reason}`);
      return { result: 'error', error: reason };
    }
  }

  private async apply(pub: PublisherConfig, feed: SourceSettings, offers: JobOffer[], firstPoll: boolean, now: number, log: Logger) {
    const { outcome: _outcome, ...counts } = await applyOffers({ offers: this.d.offers, ledger: this.d.ledger, reopener: this.reopener, enqueue: this.d.enqueue, postTimeoutMs: this.d.config.worker.postTimeout, ...(this.d.quiet ? { quiet: this.d.quiet } : {}), clock: this.d.now }, pub, feed, offers, firstPoll, now, log);
    return counts;
  }

  /**
   * A re-issued offer (`codiceoffertaprecedente`) in a feed is the earlier offer corrected: its items take
   * the earlier offer's key before anything else looks at them, so it is edited, never posted again, and
   * the earlier key stays present (src/poller/reissues.ts).
   */
  private async followReissues(pub: PublisherConfig, parsed: ParsedFeed): Promise<void> {
    // Nearly every poll of nearly every feed has no re-issue and no alias: then nothing to look up, rather
    // than one lookup per item of a feed that may list thousands.
    if (!parsed.items.some((i) => i.offer?.replaces) && !(await this.d.reissues.redis.exists(this.d.reissues.keys.sourcesAlias(pub.id)))) return;
    for (const item of parsed.items) {
      if (item.offer) {
        const key = await keyFor(this.d.reissues, pub.id, item.offer.key, item.offer.replaces);
        if (key !== item.offer.key) {
          const stored = await this.d.offers.get(pub.id, key);
          item.offer = { ...item.offer, key, sourceId: stored?.offer.sourceId ?? item.offer.sourceId };
        }
      } else if (item.key) item.key = await canonicalKey(this.d.reissues, pub.id, item.key);
    }
  }

  /**
   * Offers the document itself says are closed (ClicLavoro `motivochiusura`, HR-Open status Closed): their
   * posts close now, not after `closeAfterMissing` polls. Only the source that owns an offer closes it.
   */
  private async closeListedAsClosed(pub: PublisherConfig, feed: SourceSettings, parsed: ParsedFeed, now: number): Promise<number> {
    let n = 0;
    for (const item of parsed.items) {
      if (item.decision !== 'closed') continue;
      const key = item.offer?.key ?? item.key;
      if (!key) continue;
      const stored = await this.d.offers.get(pub.id, key);
      if (!stored || stored.state !== 'open' || !ownedBy(stored.offer.feedUrl, feed.url)) continue;
      if (await this.d.closer.close(pub, key, 'closed by its source', now, { cause: 'withdrawn' })) n++;
    }
    return n;
  }

  /**
   * Moves the feed's presence one poll on (`parsed` null: the document is unchanged) and closes, or
   * hands to the pruner, what has been missing from enough complete polls. Only the feed that owns an
   * offer can withdraw it.
   */
  private async followPresence(pub: PublisherConfig, feed: SourceSettings, parsed: ParsedFeed | null, rec: FeedRecord, now: number, log: Logger): Promise<{ removed: number; presence?: 'count' | 'hold'; incident?: string }> {
    const prev = await this.d.offers.presence(pub.id, feed.url, { onlyIfAbsent: !parsed });
    if (!prev) return { removed: 0 }; // the same document, and nothing was missing from it
    const present = parsed ? new Set(parsed.items.map(keyOfItem).filter((k): k is string => k !== undefined)) : sameAsBefore(prev);
    const usable = parsed ? parsed.items.filter((i) => i.offer).length : present.size;
    const step = observe(prev, { present, usable, complete: !parsed?.incomplete }, feed.closeAfterMissing);
    await this.d.offers.writePresence(pub.id, feed.url, step);
    const incident = step.verdict === 'counted' ? '' : step.verdict;
    if (parsed) this.warnOnce(step, rec.incident ?? '', parsed, log);
    let removed = 0;
    const ended: string[] = [];
    for (const key of step.left) {
      const stored = await this.d.offers.get(pub.id, key);
      if (!stored || !ownedBy(stored.offer.feedUrl, feed.url)) continue;
      if (feed.onRemoval === 'close') {
        if (await this.d.closer.close(pub, key, 'withdrawn from the feed', now, { cause: 'withdrawn' })) removed++;
      } else if (stored.state === 'open') ended.push(key); // its posts stay up; the offer is forgotten after `retention`
    }
    await this.d.offers.markEnded(pub.id, ended, now);
    if (!parsed) return { removed };
    return { removed, presence: step.verdict === 'incomplete' || step.verdict === 'empty' ? 'hold' : 'count', incident };
  }

  private warnOnce(step: PresenceStep, before: string, parsed: ParsedFeed, log: Logger): void {
    if (step.verdict === 'counted' || step.verdict === before) return;
    const details = step.verdict === 'incomplete' ? { lost: parsed.incomplete } : { presentBefore: step.presentBefore, missingNow: step.lost };
    log.warn(details, INCIDENT_TEXT[step.verdict]!);
  }

  private async enqueueRechecks(pub: PublisherConfig, now: number): Promise<void> {
    const tasks = await this.reopener.recheck(pub, now);
    if (tasks.length) await this.d.enqueue(tasks);
  }

  /** Closes the publisher's open offers whose validThrough has passed (feeds with onExpiry: close). */
  private async sweepExpired(pub: PublisherConfig, now: number): Promise<number> {
    let n = 0;
    for (const key of await this.d.offers.due(pub.id, now)) {
      const stored = await this.d.offers.get(pub.id, key);
      const feed = [...pub.feeds, ...pub.pages].find((f) => ownedBy(stored?.offer.feedUrl, f.url));
      if (feed && feed.onExpiry === 'ignore') { await this.d.offers.forgetExpiry(pub.id, key); continue; }
      if (await this.d.closer.close(pub, key, 'expired', now, { cause: 'expired' })) n++;
    }
    return n;
  }
}

/** The key of an item the feed lists: its offer's, or (an item unfit to post) the one its identity would give. */
function keyOfItem(i: ParsedItem): string | undefined {
  return i.offer?.key ?? (i.sourceId !== undefined ? offerKey(i.sourceId) : undefined);
}
