/**
 * One poll of one feed: fetch (conditional GET) → parse → decide what is new, changed, gone or expired
 * → queue the work → only then remember what was seen (a crash in between re-queues, and the ledger
 * with deterministic job ids keeps that from posting twice). A failing feed logs one clear line and
 * fails only this poll.
 */
import type { Logger } from '../log/logger.ts';
import type { Config, FeedConfig, PublisherConfig } from '../config/schema.ts';
import type { JobOffer, NetworkName } from '../domain/offer.ts';
import { fetchFeed } from '../feeds/fetch.ts';
import { FeedError } from '../feeds/errors.ts';
import { parseFeedBytes } from '../feeds/pipeline.ts';
import type { OfferStore } from '../ledger/offers.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { FeedHealth } from '../state/feed-health.ts';
import type { CounterStore } from '../state/counters.ts';
import { shortHash } from '../redis/keys.ts';
import type { DeliveryTask } from '../delivery/task.ts';
import type { OfferCloser } from './close-offer.ts';
import { quietUntil, heldSlot } from '../format/quiet-hours.ts';
import { configuredNetworks, definitionOf } from '../channels/registry.ts';

/** One delivery to queue; `delay` (ms) keeps it waiting, e.g. until quiet hours end. */
export interface QueuedTask { task: DeliveryTask; attempts: number; variant?: string; delay?: number }

/** How poll jobs name a feed without carrying its URL (which may hold a key). */
export function feedRef(url: string): string {
  return shortHash(url, 16);
}

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
}

export interface PollSummary { result: 'ok' | 'not-modified' | 'error' | 'skipped'; items?: number; fresh?: number; changed?: number; removed?: number; expired?: number; error?: string }

export class FeedPoller {
  constructor(private readonly d: PollDeps) {}

  /** `feed` is the feed's URL or its feedRef (what poll jobs carry). */
  async poll(publisherId: string, feed_: string): Promise<PollSummary> {
    const pub = this.d.config.publishers.find((p) => p.id === publisherId);
    const feed = pub?.feeds.find((f) => f.url === feed_ || feedRef(f.url) === feed_);
    if (!pub || !feed) return { result: 'skipped' }; // removed from the config since it was scheduled
    // One poll of a feed at a time, across processes: an older body applied after a newer one would
    // make the newer offers look withdrawn.
    const lock = await this.d.feeds.lockPoll(pub.id, feed.url, this.d.config.fetch.timeout + 60_000);
    if (!lock) return { result: 'skipped' };
    try {
      return await this.pollLocked(pub, feed);
    } finally {
      await this.d.feeds.unlockPoll(pub.id, feed.url, lock);
    }
  }

  private async pollLocked(pub: PublisherConfig, feed: FeedConfig): Promise<PollSummary> {
    const log = this.d.logger.child({ publisher: pub.id, feed: feed.url });
    const now = this.d.now();
    const rec = await this.d.feeds.get(pub.id, feed.url);
    if (rec.notBefore && rec.notBefore > now) return { result: 'skipped' };
    const nextPollAt = now + feed.pollInterval;
    try {
      const f = this.d.config.fetch;
      const got = await fetchFeed(feed.url, {
        validators: { etag: rec.etag, lastModified: rec.lastModified, bodyHash: rec.bodyHash },
        timeoutMs: f.timeout, connectTimeoutMs: f.connectTimeout, maxBytes: f.maxBytes, maxRedirects: f.maxRedirects, userAgent: f.userAgent, perHost: f.perHost,
      });
      if (got.kind === 'not-modified' || got.unchanged) {
        const expired = await this.sweepExpired(pub, now);
        await this.d.feeds.success(pub.id, feed.url, { now, result: 'not-modified', ...got.validators, nextPollAt });
        await this.d.counters.poll(pub.id, 'not-modified');
        return { result: 'not-modified', expired };
      }
      const parsed = parseFeedBytes(got.body, got.contentType, { publisherId: pub.id, timezone: pub.timezone, feedUrl: got.finalUrl, now: new Date(now) });
      const summary = await this.apply(pub, feed, parsed.items.filter((i) => i.decision === 'post' && i.offer).map((i) => ({ ...i.offer!, feedUrl: feed.url })), parsed.items.map((i) => i.offer?.key).filter((k): k is string => Boolean(k)), !rec.firstPollDone, now, log);
      const expired = await this.sweepExpired(pub, now);
      await this.d.feeds.success(pub.id, feed.url, { now, result: 'ok', etag: got.validators.etag ?? '', lastModified: got.validators.lastModified ?? '', bodyHash: got.validators.bodyHash ?? '', items: parsed.items.length, fresh: summary.fresh, nextPollAt });
      await this.d.counters.poll(pub.id, 'ok');
      if (summary.fresh || summary.changed || summary.removed || expired) log.info({ ...summary, expired, format: parsed.format }, 'feed polled');
      return { result: 'ok', items: parsed.items.length, ...summary, expired };
    } catch (e) {
      const reason = e instanceof FeedError ? e.reason : `unexpected: ${(e as Error).message}`;
      const retryAfter = e instanceof FeedError ? e.retryAfterMs : undefined;
      const failures = await this.d.feeds.failure(pub.id, feed.url, { now, error: reason, nextPollAt: Math.max(nextPollAt, retryAfter ? now + retryAfter : 0), notBefore: retryAfter ? now + retryAfter : undefined });
      await this.d.counters.poll(pub.id, 'error');
      log.error({ reason, consecutiveFailures: failures }, `feed poll failed: ${feed.url}: ${reason}`);
      return { result: 'error', error: reason };
    }
  }

  private async apply(pub: PublisherConfig, feed: FeedConfig, offers: JobOffer[], presentKeys: string[], firstPoll: boolean, now: number, log: Logger) {
    const networks = configuredNetworks(pub);
    const known = await this.d.offers.known(pub.id, offers.map((o) => o.key));
    const fresh = offers.filter((o) => !known.get(o.key)?.seen);
    const changed = offers.filter((o) => { const k = known.get(o.key); return k?.seen && k.state === 'open' && k.feed === o.feedUrl && k.contentHash !== o.contentHash; });

    // Independent writes go out together (the store connection pipelines them): a poll of a busy feed
    // must not wait for one round trip per offer while the workers keep the event loop busy.
    await Promise.all([...fresh, ...changed].map((o) => this.d.offers.save(o, now)));

    const silent = firstPoll && feed.onFirstPoll === 'skip';
    const digest = !silent && pub.digest && fresh.length > pub.digest.over ? pub.digest : undefined;
    // Networks that post one digest instead of a flood; the others (which group offers themselves) get every offer.
    const digested = new Set(digest ? networks.filter((n) => definitionOf(n).digestPosts) : []);
    const tasks: QueuedTask[] = [];
    const opens: Promise<boolean>[] = [];
    for (const o of fresh) {
      for (const net of networks) {
        if (silent || digested.has(net)) opens.push(this.d.ledger.open(pub.id, net, o.key, 'skipped', now, silent ? 'already in the feed at its first poll' : 'announced in a digest'));
        else {
          opens.push(this.d.ledger.open(pub.id, net, o.key, 'queued', now));
          tasks.push({ task: { kind: 'post', publisher: pub.id, network: net, offerKey: o.key }, attempts: attemptsOf(pub, net) });
        }
      }
    }
    await Promise.all(opens);
    if (digest) {
      const id = `digest-${shortHash(fresh.map((o) => o.key).sort().join(','))}`;
      for (const net of digested) {
        await this.d.ledger.open(pub.id, net, id, 'queued', now);
        tasks.push({ task: { kind: 'digest', publisher: pub.id, network: net, offerKey: id, count: fresh.length }, attempts: attemptsOf(pub, net) });
      }
      log.info({ count: fresh.length, over: digest.over }, 'many new offers at once: one digest per network instead of a flood');
    }
    // A change never posts an offer again: only networks that can edit in place (Facebook, not X) are edited.
    for (const net of feed.onUpdate === 'edit' ? networks.filter((n) => definitionOf(n).canEdit) : []) {
      const entries = await Promise.all(changed.map((o) => this.d.ledger.get(pub.id, net, o.key)));
      for (const [i, o] of changed.entries()) {
        const l = entries[i];
        const edit = { task: { kind: 'edit', publisher: pub.id, network: net, offerKey: o.key } as DeliveryTask, attempts: attemptsOf(pub, net), variant: o.contentHash.slice(0, 12) };
        if (l?.state === 'posted') tasks.push(edit);
        // A post in flight carries the old text: edit it once its outcome is known (the edit compares
        // content hashes, so it does nothing if the post went out corrected). A queued post needs no
        // edit: it renders the stored offer when it is sent.
        else if (l?.state === 'sending' || l?.state === 'unknown') tasks.push({ ...edit, delay: this.d.config.worker.postTimeout + 5000 });
      }
    }
    const held = holdForQuietHours(pub, tasks, now);
    if (held) log.info({ count: tasks.length, until: new Date(held).toISOString() }, 'quiet hours: posts held until they end, then spread out');
    await this.d.enqueue(tasks);
    await this.d.offers.markSeen(pub.id, fresh.map((o) => o.key), now);

    let removed = 0;
    // A feed that suddenly lists nothing is more likely broken than emptied by the office: closing every
    // offer (deleting every post) on that evidence would do real harm, so wait for a feed with items.
    if (!presentKeys.length && (await this.d.offers.feedItems(pub.id, feed.url)).length) {
      log.warn('feed lists no offers at all; keeping the previous ones open until it lists some again');
      return { fresh: silent ? 0 : fresh.length, skippedAtFirstPoll: silent ? fresh.length : 0, changed: changed.length, removed };
    }
    const gone = await this.d.offers.replaceFeedItems(pub.id, feed.url, presentKeys);
    if (feed.onRemoval === 'close') {
      for (const key of gone) {
        // Only the feed that owns an offer can withdraw it.
        const stored = await this.d.offers.get(pub.id, key);
        if (stored?.offer.feedUrl === feed.url && (await this.d.closer.close(pub, key, 'withdrawn from the feed', now))) removed++;
      }
    }
    return { fresh: silent ? 0 : fresh.length, skippedAtFirstPoll: silent ? fresh.length : 0, changed: changed.length, removed };
  }

  /** Closes the publisher's open offers whose validThrough has passed (feeds with onExpiry: close). */
  private async sweepExpired(pub: PublisherConfig, now: number): Promise<number> {
    let n = 0;
    for (const key of await this.d.offers.due(pub.id, now)) {
      const stored = await this.d.offers.get(pub.id, key);
      const feed = pub.feeds.find((f) => f.url === stored?.offer.feedUrl);
      if (feed && feed.onExpiry === 'ignore') { await this.d.offers.forgetExpiry(pub.id, key); continue; }
      if (await this.d.closer.close(pub, key, 'expired', now)) n++;
    }
    return n;
  }
}

/**
 * Inside the publisher's quiet hours, gives each task a delay so that it goes out after they end, spread
 * over `quietHours.spread` (both networks of one offer share a slot: they are different accounts).
 * Returns when the quiet hours end, or null outside them. Delivery checks quiet hours again, so a job
 * that wakes early (or was queued elsewhere) is still held.
 */
function holdForQuietHours(pub: PublisherConfig, tasks: QueuedTask[], now: number): number | null {
  const end = quietUntil(now, pub.quietHours, pub.timezone);
  if (end === null || !tasks.length) return null;
  const spread = pub.quietHours?.spread ?? 0;
  // Posts held by different polls of the night start from different points of the sequence.
  const seed = ((Math.floor(now / 60_000) * 0.7548776662466927) % 1);
  const slotOf = new Map<string, number>();
  for (const t of tasks) {
    if (!slotOf.has(t.task.offerKey)) slotOf.set(t.task.offerKey, slotOf.size);
    t.delay = Math.max(1, heldSlot(end, slotOf.get(t.task.offerKey)!, spread, seed) - now);
  }
  return end;
}

function attemptsOf(pub: PublisherConfig, net: NetworkName): number {
  return pub.channels[net]?.attempts ?? 8;
}
