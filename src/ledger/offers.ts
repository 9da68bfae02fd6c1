// SPDX-License-Identifier: EUPL-1.2
/**
 * The offers a publisher's feeds have shown, as last seen. An offer is "known" once `seenAt` is written,
 * which happens only AFTER its posts were queued: a crash in between makes the next poll see it as new
 * again, and the ledger plus deterministic job ids keep that from posting twice (promise 2 and 1).
 */
import type { RedisClient } from '../redis/connection.ts';
import { feedRef, type Keys } from '../redis/keys.ts';
import type { JobOffer } from '../domain/offer.ts';

/**
 * Why an offer closed. Only an offer `withdrawn` from its feed is reopened when the feed lists it again;
 * one that `expired` or that an `operator` cancelled stays closed whatever a feed says.
 */
export type ClosedBy = 'withdrawn' | 'expired' | 'operator';

export interface StoredOffer {
  offer: JobOffer;
  firstSeenAt: number;
  seenAt?: number;
  state: 'open' | 'closed' | 'cancelled';
  closedBy?: ClosedBy;
  closedAt?: number;
  /** How many times a feed reopened it (numbers the reopen's jobs). */
  reopens?: number;
}

export interface KnownOffer {
  contentHash: string;
  state: StoredOffer['state'];
  seen: boolean;
  /** The feed that owns it: its feedRef (older offers hold the URL itself); compare with ownedBy(). */
  feed: string;
  closedBy?: ClosedBy;
  /** Only a "seen" mark is left (src/duties/pruner.ts): the offer itself and its posts' ledger are gone. */
  pruned: boolean;
}

/** Whether the `feed` field of a stored offer names the feed with this URL. */
export function ownedBy(feedField: string | undefined, url: string): boolean {
  return Boolean(feedField) && (feedField === url || feedField === feedRef(url));
}

/** An offer hash as Redis holds it (all strings) → the stored offer; null when there is none (or only a seen mark). */
export function decodeOffer(h: Record<string, string>): StoredOffer | null {
  if (!h.data) return null;
  const offer = JSON.parse(h.data) as JobOffer;
  offer.feedUrl = h.feed ?? offer.feedUrl ?? '';
  const out: StoredOffer = { offer, firstSeenAt: Number(h.firstSeenAt), seenAt: h.seenAt ? Number(h.seenAt) : undefined, state: (h.state || 'open') as StoredOffer['state'] };
  if (h.closedBy) out.closedBy = h.closedBy as ClosedBy;
  if (h.closedAt) out.closedAt = Number(h.closedAt);
  if (h.reopens) out.reopens = Number(h.reopens);
  return out;
}

/** What the feed tracks (see keys.feedItems / keys.feedMissing): every key, and the misses of those absent. */
export interface FeedPresence { tracked: string[]; absent: Map<string, number> }

/** The writes one poll makes to a feed's presence, all at once. */
export interface PresenceWrite { add: string[]; remove: string[]; setMisses: Record<string, number>; clearMisses: string[] }

export class OfferStore {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  async get(pub: string, key: string): Promise<StoredOffer | null> {
    return decodeOffer(await this.redis.hgetall(this.keys.offer(pub, key)));
  }

  /**
   * Writes the offer's latest content (raw fields are not kept: they are for `banditore parse`). The
   * owning feed is stored as its feedRef, never as its URL: a feed URL may carry a key.
   */
  async save(offer: JobOffer, now: number): Promise<void> {
    const { raw: _raw, feedUrl, ...lean } = offer;
    const k = this.keys.offer(offer.publisherId, offer.key);
    const multi = this.redis.multi()
      .hset(k, { data: JSON.stringify(lean), contentHash: offer.contentHash })
      .hsetnx(k, 'firstSeenAt', String(now))
      // The feed that first showed an offer owns it: another feed listing the same offer with fewer
      // fields must not "correct" it back and forth.
      .hsetnx(k, 'feed', feedRef(feedUrl))
      .zadd(this.keys.offerIndex(offer.publisherId), 'NX', now, offer.key);
    const expires = offer.validThrough ? Date.parse(offer.validThrough) : NaN;
    if (Number.isFinite(expires)) multi.zadd(this.keys.expiries(offer.publisherId), expires, offer.key);
    else multi.zrem(this.keys.expiries(offer.publisherId), offer.key);
    await multi.exec();
  }

  async markSeen(pub: string, keys: string[], now: number): Promise<void> {
    if (!keys.length) return;
    const multi = this.redis.multi();
    for (const key of keys) multi.hset(this.keys.offer(pub, key), 'seenAt', now);
    await multi.exec();
  }

  /**
   * Closing records why and when, and puts the offer on the pruner's list (keys.ended); opening again
   * (a withdrawn offer back in its feed) takes it off and counts the reopen.
   */
  async setState(pub: string, key: string, state: StoredOffer['state'], opts: { closedBy?: ClosedBy; now?: number } = {}): Promise<void> {
    const k = this.keys.offer(pub, key);
    const multi = this.redis.multi().hset(k, 'state', state);
    if (state !== 'open') {
      const at = opts.now ?? Date.now();
      multi.zrem(this.keys.expiries(pub), key).hset(k, { closedAt: at, ...(opts.closedBy ? { closedBy: opts.closedBy } : {}) }).zadd(this.keys.ended(pub), at, key);
    } else {
      multi.hdel(k, 'closedBy', 'closedAt').hincrby(k, 'reopens', 1).zrem(this.keys.ended(pub), key);
      // Reopens older than an hour are of no more interest (the poller looks back ten minutes).
      if (opts.now !== undefined) multi.zadd(this.keys.reopened(pub), opts.now, key).zremrangebyscore(this.keys.reopened(pub), '-inf', opts.now - 3_600_000);
    }
    await multi.exec();
  }

  /** Puts an open offer that left every feed on the pruner's list, from now (or a digest, from when it was sent). */
  async markEnded(pub: string, keys: string[], at: number): Promise<void> {
    if (!keys.length) return;
    await this.redis.zadd(this.keys.ended(pub), ...keys.flatMap((key) => [at, key]));
  }

  /** Offers a feed reopened since `since` (their posts are looked at again: a close may have been in flight). */
  async reopenedSince(pub: string, since: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.reopened(pub), since, '+inf', 'LIMIT', 0, 100);
  }

  async forgetExpiry(pub: string, key: string): Promise<void> {
    await this.redis.zrem(this.keys.expiries(pub), key);
  }

  /** Open offers whose validThrough has passed. */
  async due(pub: string, now: number, limit = 500): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.expiries(pub), '-inf', now, 'LIMIT', 0, limit);
  }

  /** Which of these keys are already known (seen), with their stored content hash and state. */
  async known(pub: string, keys: string[]): Promise<Map<string, KnownOffer>> {
    const out = new Map<string, KnownOffer>();
    if (!keys.length) return out;
    const multi = this.redis.multi();
    for (const key of keys) multi.hmget(this.keys.offer(pub, key), 'contentHash', 'state', 'seenAt', 'feed', 'closedBy', 'data');
    const res = (await multi.exec()) ?? [];
    keys.forEach((key, i) => {
      const [hash, state, seenAt, feed, closedBy, data] = (res[i]?.[1] ?? []) as (string | null)[];
      if (!hash) return;
      const known: KnownOffer = { contentHash: hash, state: (state || 'open') as StoredOffer['state'], seen: Boolean(seenAt), feed: feed ?? '', pruned: !data };
      if (closedBy) known.closedBy = closedBy as ClosedBy;
      out.set(key, known);
    });
    return out;
  }

  /**
   * The keys the feed tracks, and how many complete polls each absent one was missing from. With
   * `onlyIfAbsent`, null when none is absent (an unchanged document then has nothing to count, and the
   * tracked set need not be read).
   */
  async presence(pub: string, url: string, opts: { onlyIfAbsent?: boolean } = {}): Promise<FeedPresence | null> {
    const missing = await this.redis.hgetall(this.keys.feedMissing(pub, url));
    const absent = new Map(Object.entries(missing).map(([k, v]) => [k, Number(v)]));
    if (opts.onlyIfAbsent && !absent.size) return null;
    return { tracked: await this.redis.smembers(this.keys.feedItems(pub, url)), absent };
  }

  async writePresence(pub: string, url: string, w: PresenceWrite): Promise<void> {
    const items = this.keys.feedItems(pub, url);
    const missing = this.keys.feedMissing(pub, url);
    const multi = this.redis.multi();
    if (w.add.length) multi.sadd(items, ...w.add);
    if (w.remove.length) multi.srem(items, ...w.remove);
    const clear = [...w.clearMisses, ...w.remove];
    if (clear.length) multi.hdel(missing, ...clear);
    if (Object.keys(w.setMisses).length) multi.hset(missing, w.setMisses);
    if ((multi as unknown as { length: number }).length) await multi.exec();
  }

  async feedItems(pub: string, url: string): Promise<string[]> {
    return this.redis.smembers(this.keys.feedItems(pub, url));
  }

  /** Keys by first-seen time, newest first. */
  /** The publisher's newest open offers (by first sighting), at most `limit`, looking through at most `depth`. */
  async latestOpen(pub: string, limit: number, depth = 2000): Promise<JobOffer[]> {
    const out: JobOffer[] = [];
    for (let offset = 0; offset < depth && out.length < limit; offset += 200) {
      const keys = await this.list(pub, offset, 200);
      if (!keys.length) break;
      const stored = await Promise.all(keys.map((k) => this.get(pub, k)));
      for (const s of stored) if (s && s.state === 'open' && out.length < limit) out.push(s.offer);
    }
    return out;
  }

  async list(pub: string, offset: number, limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.keys.offerIndex(pub), offset, offset + limit - 1);
  }

  async count(pub: string): Promise<number> {
    return this.redis.zcard(this.keys.offerIndex(pub));
  }
}
