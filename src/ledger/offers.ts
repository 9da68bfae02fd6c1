/**
 * The offers a publisher's feeds have shown, as last seen. An offer is "known" once `seenAt` is written,
 * which happens only AFTER its posts were queued: a crash in between makes the next poll see it as new
 * again, and the ledger plus deterministic job ids keep that from posting twice (promise 2 and 1).
 */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import type { JobOffer } from '../domain/offer.ts';

export interface StoredOffer {
  offer: JobOffer;
  firstSeenAt: number;
  seenAt?: number;
  state: 'open' | 'closed' | 'cancelled';
}

export interface KnownOffer { contentHash: string; state: StoredOffer['state']; seen: boolean; /** URL of the feed that owns it. */ feed: string }

/** An offer hash as Redis holds it (all strings) → the stored offer; null when there is none. */
export function decodeOffer(h: Record<string, string>): StoredOffer | null {
  if (!h.data) return null;
  const offer = JSON.parse(h.data) as JobOffer;
  if (h.feed) offer.feedUrl = h.feed;
  return { offer, firstSeenAt: Number(h.firstSeenAt), seenAt: h.seenAt ? Number(h.seenAt) : undefined, state: (h.state || 'open') as StoredOffer['state'] };
}

export class OfferStore {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  async get(pub: string, key: string): Promise<StoredOffer | null> {
    return decodeOffer(await this.redis.hgetall(this.keys.offer(pub, key)));
  }

  /** Writes the offer's latest content (raw fields are not kept: they are for `banditore parse`). */
  async save(offer: JobOffer, now: number): Promise<void> {
    const { raw: _raw, ...lean } = offer;
    const k = this.keys.offer(offer.publisherId, offer.key);
    const multi = this.redis.multi()
      .hset(k, { data: JSON.stringify(lean), contentHash: offer.contentHash })
      .hsetnx(k, 'firstSeenAt', String(now))
      // The feed that first showed an offer owns it: another feed listing the same offer with fewer
      // fields must not "correct" it back and forth.
      .hsetnx(k, 'feed', offer.feedUrl)
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

  async setState(pub: string, key: string, state: StoredOffer['state']): Promise<void> {
    const multi = this.redis.multi().hset(this.keys.offer(pub, key), 'state', state);
    if (state !== 'open') multi.zrem(this.keys.expiries(pub), key);
    await multi.exec();
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
    for (const key of keys) multi.hmget(this.keys.offer(pub, key), 'contentHash', 'state', 'seenAt', 'feed');
    const res = (await multi.exec()) ?? [];
    keys.forEach((key, i) => {
      const [hash, state, seenAt, feed] = (res[i]?.[1] ?? []) as (string | null)[];
      if (hash) out.set(key, { contentHash: hash, state: (state || 'open') as StoredOffer['state'], seen: Boolean(seenAt), feed: feed ?? '' });
    });
    return out;
  }

  /** Replaces the set of keys the feed showed in its last poll; returns the keys that left it. */
  async replaceFeedItems(pub: string, url: string, keys: string[]): Promise<string[]> {
    const k = this.keys.feedItems(pub, url);
    const previous = await this.redis.smembers(k);
    const now = new Set(keys);
    const multi = this.redis.multi().del(k);
    if (keys.length) multi.sadd(k, ...keys);
    await multi.exec();
    return previous.filter((p) => !now.has(p));
  }

  async feedItems(pub: string, url: string): Promise<string[]> {
    return this.redis.smembers(this.keys.feedItems(pub, url));
  }

  /** Keys by first-seen time, newest first. */
  async list(pub: string, offset: number, limit: number): Promise<string[]> {
    return this.redis.zrevrange(this.keys.offerIndex(pub), offset, offset + limit - 1);
  }

  async count(pub: string): Promise<number> {
    return this.redis.zcard(this.keys.offerIndex(pub));
  }
}
