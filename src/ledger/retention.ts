// SPDX-License-Identifier: EUPL-1.2
/**
 * What forgetting an offer removes, in one MULTI each (src/duties/pruner.ts decides when): the offer,
 * its ledger entries on every network of the publisher, its entries in the offer index, the expiry
 * index, the latest-posts list and the feeds' presence sets. Or, while a feed still lists the offer,
 * all of that but a small "seen" mark: the offer hash cut down to what the poller reads to know the
 * offer (seenAt, state, contentHash, feed, closedBy) plus `pruned`, so that the feed's next poll does
 * not take it for a new offer and post it again.
 */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import type { NetworkName } from '../domain/offer.ts';
import { recentMember } from './ledger.ts';

/** The offer hash fields a seen mark keeps (src/ledger/offers.ts `known()` reads them). */
const MARK_FIELDS = new Set(['seenAt', 'state', 'contentHash', 'feed', 'closedBy']);

export interface EndedOffer {
  key: string;
  /** The offer hash has content (`data`); false for a seen mark, or no hash at all (a digest, or gone). */
  full: boolean;
  exists: boolean;
  state?: string;
  /** Some configured feed of the publisher lists it (its key is in the feed's presence set). */
  listed: boolean;
  /** It still waits for its validThrough (the expiry sweep will close it). */
  expiryPending: boolean;
}

export class RetentionStore {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  /** Offer (and digest) keys that ended before `before`, oldest first. */
  async endedBefore(pub: string, before: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.ended(pub), '-inf', `(${before}`, 'LIMIT', 0, limit);
  }

  /** What the pruner needs to know about these keys, read in one pipeline. */
  async inspect(pub: string, keys: string[], feedUrls: string[]): Promise<EndedOffer[]> {
    const multi = this.redis.multi();
    for (const key of keys) {
      multi.hmget(this.keys.offer(pub, key), 'state', 'seenAt').hexists(this.keys.offer(pub, key), 'data').zscore(this.keys.expiries(pub), key);
      for (const url of feedUrls) multi.sismember(this.keys.feedItems(pub, url), key);
    }
    const res = ((await multi.exec()) ?? []).map((r) => r[1]);
    const per = 3 + feedUrls.length;
    return keys.map((key, i) => {
      const [fields, data, expiry, ...listed] = res.slice(i * per, (i + 1) * per) as [(string | null)[], number, string | null, ...number[]];
      const state = fields?.[0] ?? undefined;
      return { key, full: data === 1, exists: data === 1 || state !== undefined || Boolean(fields?.[1]), ...(state ? { state } : {}), listed: listed.some((x) => x === 1), expiryPending: expiry !== null };
    });
  }

  /** Removes every trace of the offer (or digest). */
  async forget(pub: string, key: string, networks: readonly NetworkName[], feedUrls: string[]): Promise<void> {
    const multi = this.dropAround(pub, key, networks).del(this.keys.offer(pub, key)).zrem(this.keys.ended(pub), key);
    for (const url of feedUrls) multi.srem(this.keys.feedItems(pub, url), key).hdel(this.keys.feedMissing(pub, url), key);
    await multi.exec();
  }

  /** Cuts the offer down to a seen mark, and looks at it again at `recheckAt` (is it still listed?). */
  async leaveMark(pub: string, key: string, networks: readonly NetworkName[], recheckAt: number): Promise<void> {
    const k = this.keys.offer(pub, key);
    const drop = (await this.redis.hkeys(k)).filter((f) => !MARK_FIELDS.has(f));
    const multi = this.dropAround(pub, key, networks);
    if (drop.length) multi.hdel(k, ...drop);
    await multi.hset(k, 'pruned', '1').zadd(this.keys.ended(pub), recheckAt, key).exec();
  }

  /**
   * Offers stored before the pruner existed are on no list: each offer is looked at once, when its
   * first sighting gets older than the retention (an offer cannot have ended `retention` ago before
   * that), and one that is closed or cancelled but missing from the list is put on it from `at`.
   * Returns how many were added.
   */
  async catchUp(pub: string, firstSeenBefore: number, at: number, limit: number): Promise<number> {
    const from = Number((await this.redis.hget(this.keys.prunerCursor(), pub)) ?? 0);
    const page = await this.redis.zrangebyscore(this.keys.offerIndex(pub), `(${from}`, `(${firstSeenBefore}`, 'WITHSCORES', 'LIMIT', 0, limit);
    if (!page.length) return 0;
    let keys = page.filter((_, i) => i % 2 === 0);
    let scores = page.filter((_, i) => i % 2 === 1).map(Number);
    // Offers of one poll share their first-seen time: a full page stops before its last time, so that
    // the next pass (which starts after the cursor) takes that poll's offers whole.
    if (keys.length === limit) {
      const last = scores[scores.length - 1]!;
      const before = scores.findIndex((x) => x === last);
      if (before > 0) { keys = keys.slice(0, before); scores = scores.slice(0, before); }
    }
    const multi = this.redis.multi();
    for (const key of keys) multi.hget(this.keys.offer(pub, key), 'state').zscore(this.keys.ended(pub), key);
    const res = ((await multi.exec()) ?? []).map((r) => r[1]);
    const add = keys.filter((_, i) => (res[2 * i] === 'closed' || res[2 * i] === 'cancelled') && res[2 * i + 1] === null);
    const write = this.redis.multi().hset(this.keys.prunerCursor(), pub, scores[scores.length - 1]!);
    if (add.length) write.zadd(this.keys.ended(pub), 'NX', ...add.flatMap((key) => [at, key]));
    await write.exec();
    return add.length;
  }

  /** Not ended after all (open and listed, or waiting for its deadline): off the pruner's list. */
  async notEnded(pub: string, key: string): Promise<void> {
    await this.redis.zrem(this.keys.ended(pub), key);
  }

  async recheckAt(pub: string, key: string, at: number): Promise<void> {
    await this.redis.zadd(this.keys.ended(pub), at, key);
  }

  /** The ledger entries and index entries of an offer, whatever happens to its hash. */
  private dropAround(pub: string, key: string, networks: readonly NetworkName[]) {
    const multi = this.redis.multi().zrem(this.keys.offerIndex(pub), key).zrem(this.keys.expiries(pub), key).zrem(this.keys.reopened(pub), key);
    for (const net of networks) multi.del(this.keys.ledger(pub, net, key)).zrem(this.keys.recentPosts(), recentMember(pub, net, key)).zrem(this.keys.inDoubt(pub, net), key).hdel(this.keys.swept(pub, net), key);
    return multi;
  }
}
