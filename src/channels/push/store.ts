// SPDX-License-Identifier: EUPL-1.2
/**
 * What the app's notifications keep in Redis, per publisher, under `ch:push:{publisher}:`:
 *   subs            Hash  subscription id → {endpoint, keys, prefs, createdAt}   (id = hash of the endpoint)
 *   notices         Hash  offer key → the notification of one offer {key, title, body, url, at}
 *   pending:{id}    ZSet  offer keys waiting for the subscription's next notification (its outbox), by arrival
 *   sent:{id}       ZSet  offer keys the subscription was notified of (its ledger), by time: at most once
 *   fails:{id}      String  consecutive transient failures (5xx) of the subscription, for its backoff
 *   wait:{scope}    String  epoch ms before which nothing goes to a push service (429) or a subscription (5xx)
 *   rate:{client}   String  subscriptions made by one client address in the current hour
 * A subscription's endpoint and keys are personal data: they are deleted with the subscription (404/410
 * or the follower's own unsubscribe), and never logged.
 */
import type { RedisClient } from '../../redis/connection.ts';
import type { Keys } from '../../redis/keys.ts';
import { shortHash } from '../../redis/keys.ts';
import type { Preferences } from '../audience/preferences.ts';
import type { Notice } from './notice.ts';

export const NET = 'push';

export interface PushKeys { p256dh: string; auth: string }
export interface Subscription {
  id: string;
  endpoint: string;
  keys: PushKeys;
  prefs: Preferences;
  createdAt: number;
}

/** How long the ledger remembers an offer notified: longer than any offer stays open. */
const SENT_MEMORY_MS = 180 * 24 * 3_600_000;

export const subscriptionId = (endpoint: string) => shortHash(endpoint, 24);

export class PushStore {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  private k(pub: string, ...parts: string[]): string { return this.keys.channelData(NET, pub, ...parts); }

  async save(pub: string, s: Omit<Subscription, 'id'>): Promise<Subscription> {
    const sub: Subscription = { id: subscriptionId(s.endpoint), ...s };
    await this.redis.hset(this.k(pub, 'subs'), sub.id, JSON.stringify(sub));
    return sub;
  }

  async get(pub: string, id: string): Promise<Subscription | null> {
    const raw = await this.redis.hget(this.k(pub, 'subs'), id);
    return raw ? (JSON.parse(raw) as Subscription) : null;
  }

  async all(pub: string): Promise<Subscription[]> {
    const raw = await this.redis.hvals(this.k(pub, 'subs'));
    return raw.map((r) => JSON.parse(r) as Subscription);
  }

  async count(pub: string): Promise<number> { return this.redis.hlen(this.k(pub, 'subs')); }

  /** Forgets the subscription and everything kept for it. */
  async remove(pub: string, id: string): Promise<boolean> {
    const [gone] = await Promise.all([
      this.redis.hdel(this.k(pub, 'subs'), id),
      this.redis.del(this.k(pub, 'pending', id), this.k(pub, 'sent', id), this.k(pub, 'fails', id), this.k(pub, 'wait', id)),
    ]);
    return gone > 0;
  }

  async putNotice(pub: string, n: Notice): Promise<void> { await this.redis.hset(this.k(pub, 'notices'), n.key, JSON.stringify(n)); }
  async notices(pub: string, offerKeys: readonly string[]): Promise<Array<Notice | null>> {
    if (!offerKeys.length) return [];
    const raw = await this.redis.hmget(this.k(pub, 'notices'), ...offerKeys);
    return raw.map((r) => (r ? (JSON.parse(r) as Notice) : null));
  }
  async dropNotice(pub: string, offerKey: string): Promise<void> { await this.redis.hdel(this.k(pub, 'notices'), offerKey); }
  async noticeByUrl(pub: string, url: string): Promise<Notice | null> {
    const all = await this.redis.hvals(this.k(pub, 'notices'));
    return all.map((v) => JSON.parse(v) as Notice).find((n) => n.url === url) ?? null;
  }
  /** Forgets notices older than `before` (the outboxes drop such offers as stale). */
  async pruneNotices(pub: string, before: number): Promise<number> {
    const all = await this.redis.hgetall(this.k(pub, 'notices'));
    const old = Object.entries(all).filter(([, v]) => (JSON.parse(v) as Notice).at < before).map(([k]) => k);
    if (old.length) await this.redis.hdel(this.k(pub, 'notices'), ...old);
    return old.length;
  }

  /** Whether the subscription was already notified of the offer (the ledger's word). */
  async wasSent(pub: string, id: string, offerKey: string): Promise<boolean> {
    return (await this.redis.zscore(this.k(pub, 'sent', id), offerKey)) !== null;
  }

  async enqueue(pub: string, id: string, offerKey: string, at: number): Promise<void> {
    // NX: a retried post keeps the first arrival time.
    await this.redis.zadd(this.k(pub, 'pending', id), 'NX', at, offerKey);
  }

  async pending(pub: string, id: string): Promise<string[]> { return this.redis.zrange(this.k(pub, 'pending', id), '0', '-1'); }

  async unqueue(pub: string, id: string, offerKeys: readonly string[]): Promise<void> {
    if (offerKeys.length) await this.redis.zrem(this.k(pub, 'pending', id), ...offerKeys);
  }

  /**
   * Claims the offers in the ledger before the notification goes out, so that a pass that dies after
   * sending never notifies again. Returns the offers that were not claimed before.
   */
  async claim(pub: string, id: string, offerKeys: readonly string[], at: number): Promise<string[]> {
    const key = this.k(pub, 'sent', id);
    const fresh: string[] = [];
    for (const o of offerKeys) if ((await this.redis.zadd(key, 'NX', at, o)) === 1) fresh.push(o);
    await this.redis.zremrangebyscore(key, '-inf', at - SENT_MEMORY_MS);
    return fresh;
  }

  /** Gives back a claim when the push service certainly did not take the notification (a refusal). */
  async unclaim(pub: string, id: string, offerKeys: readonly string[]): Promise<void> {
    if (offerKeys.length) await this.redis.zrem(this.k(pub, 'sent', id), ...offerKeys);
  }

  async sent(pub: string, id: string): Promise<string[]> { return this.redis.zrange(this.k(pub, 'sent', id), '0', '-1'); }

  async waitUntil(pub: string, scope: string): Promise<number> { return Number(await this.redis.get(this.k(pub, 'wait', scope))) || 0; }
  async setWait(pub: string, scope: string, until: number, now: number): Promise<void> {
    if (until > now) await this.redis.set(this.k(pub, 'wait', scope), String(until), 'PX', until - now);
  }

  async failed(pub: string, id: string): Promise<number> { return this.redis.incr(this.k(pub, 'fails', id)); }
  async succeeded(pub: string, id: string): Promise<void> { await this.redis.del(this.k(pub, 'fails', id)); }

  /** Counts one subscription by a client in the current hour; false once it is over `max`. */
  async admit(pub: string, client: string, max: number, now: number): Promise<boolean> {
    const hour = Math.floor(now / 3_600_000);
    const key = this.k(pub, 'rate', shortHash(`${client}|${hour}`));
    const n = await this.redis.incr(key);
    if (n === 1) await this.redis.pexpire(key, 3_600_000);
    return n <= max;
  }
}
