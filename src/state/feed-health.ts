// SPDX-License-Identifier: EUPL-1.2
/**
 * Per-feed poll bookkeeping: conditional-GET validators, first-poll flag, Retry-After, and the health an
 * operator reads (last success, last error, consecutive failures, next poll).
 */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import { releaseLockScript, type RunScript } from '../redis/scripts.ts';
import type { FeedStatus } from './operator.ts';

export interface FeedRecord {
  etag?: string;
  lastModified?: string;
  bodyHash?: string;
  firstPollDone: boolean;
  notBefore?: number;
  /**
   * What the last document read says about missing offers, for the polls that see it unchanged (304):
   * `count` (it was complete: keep counting what it lacks) or `hold` (it was incomplete or listed
   * nothing usable: count nothing). Absent before the first read.
   */
  presence?: 'count' | 'hold';
  /** The presence incident warned about (suspect, incomplete, empty), so that it is warned once. */
  incident?: string;
  status: Omit<FeedStatus, 'publisher' | 'url'>;
}

export class FeedHealth {
  private readonly releaseLock: RunScript;

  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {
    this.releaseLock = releaseLockScript(redis);
  }

  async get(pub: string, url: string): Promise<FeedRecord> {
    const h = await this.redis.hgetall(this.keys.feed(pub, url));
    const num = (v?: string) => (v ? Number(v) : undefined);
    return {
      etag: h.etag || undefined,
      lastModified: h.lastModified || undefined,
      bodyHash: h.bodyHash || undefined,
      firstPollDone: h.firstPollDone === '1',
      notBefore: num(h.notBefore),
      ...(h.presence ? { presence: h.presence as 'count' | 'hold' } : {}),
      ...(h.incident ? { incident: h.incident } : {}),
      status: {
        lastPollAt: num(h.lastPollAt),
        lastSuccessAt: num(h.lastSuccessAt),
        lastResult: (h.lastResult || undefined) as FeedStatus['lastResult'],
        lastError: h.lastError || undefined,
        consecutiveFailures: Number(h.consecutiveFailures ?? 0),
        nextPollAt: num(h.nextPollAt),
        lastItems: num(h.lastItems),
        lastNew: num(h.lastNew),
      },
    };
  }

  /** Returns a token when this process may poll the feed now, null when another poll of it is running. */
  async lockPoll(pub: string, url: string, ttlMs: number): Promise<string | null> {
    const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
    return (await this.redis.set(this.keys.pollLock(pub, url), token, 'PX', ttlMs, 'NX')) === 'OK' ? token : null;
  }

  async unlockPoll(pub: string, url: string, token: string): Promise<void> {
    await this.releaseLock([this.keys.pollLock(pub, url)], [token]);
  }

  async success(pub: string, url: string, r: { now: number; result: 'ok' | 'not-modified'; etag?: string; lastModified?: string; bodyHash?: string; items?: number; fresh?: number; nextPollAt: number; presence?: 'count' | 'hold'; incident?: string }): Promise<void> {
    const k = this.keys.feed(pub, url);
    const fields: Record<string, string | number> = { lastPollAt: r.now, lastSuccessAt: r.now, lastResult: r.result, consecutiveFailures: 0, nextPollAt: r.nextPollAt, firstPollDone: '1' };
    if (r.presence !== undefined) fields.presence = r.presence;
    if (r.incident !== undefined) fields.incident = r.incident;
    if (r.etag !== undefined) fields.etag = r.etag;
    if (r.lastModified !== undefined) fields.lastModified = r.lastModified;
    if (r.bodyHash !== undefined) fields.bodyHash = r.bodyHash;
    if (r.items !== undefined) fields.lastItems = r.items;
    if (r.fresh !== undefined) fields.lastNew = r.fresh;
    await this.redis.multi().hset(k, fields).hdel(k, 'lastError', 'notBefore').exec();
  }

  async failure(pub: string, url: string, r: { now: number; error: string; nextPollAt: number; notBefore?: number }): Promise<number> {
    const k = this.keys.feed(pub, url);
    const res = await this.redis.multi()
      .hset(k, { lastPollAt: r.now, lastResult: 'error', lastError: r.error.slice(0, 500), nextPollAt: r.nextPollAt, ...(r.notBefore ? { notBefore: r.notBefore } : {}) })
      .hincrby(k, 'consecutiveFailures', 1)
      .exec();
    return Number(res?.[1]?.[1] ?? 1);
  }
}
