// SPDX-License-Identifier: EUPL-1.2
/**
 * The release of posts held by quiet hours. Every post held during one night of a publisher's channel
 * is written down, in the order it was first held; when the quiet hours end, the first goes out at
 * once and the others one every `spread / n` after it (n: how many the night held), so followers get
 * neither a burst at 07:00 nor a single post kept waiting for most of the spread.
 *
 * Held jobs are all due at the end of the quiet hours; on waking each reads its turn here, and one
 * that is early waits for it. Kept in Redis so every worker (and the poller that held them) agrees.
 */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import type { NetworkName } from '../domain/offer.ts';

/** How long a night's list outlives its spread (a late worker still finds its turn). */
const KEEP_AFTER_SPREAD_MS = 3_600_000;

export class QuietRelease {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  /**
   * Writes down posts (by offer key) held until `endMs`; one already written keeps its turn. `at`
   * orders them (the first held goes first).
   */
  async hold(pub: string, net: NetworkName, offerKeys: readonly string[], endMs: number, spreadMs: number, at: number): Promise<void> {
    if (!offerKeys.length) return;
    const key = this.keys.quietHeld(pub, net, endMs);
    const m = this.redis.multi();
    // Within one batch (a poll's new offers), in the feed's order.
    m.zadd(key, 'NX', ...offerKeys.flatMap((k, i) => [at + i / 1000, k]));
    // Relative to the caller's clock (the service's, which a test may set), not Redis's.
    m.pexpire(key, Math.max(1, endMs + spreadMs + KEEP_AFTER_SPREAD_MS - at));
    await m.exec();
  }

  /**
   * When the post of `offerKey` held until `endMs` may go out: `endMs` for the first held, then evenly
   * over `spreadMs`. Null when it was not held that night (it goes at once).
   */
  async releaseAt(pub: string, net: NetworkName, offerKey: string, endMs: number, spreadMs: number): Promise<number | null> {
    const key = this.keys.quietHeld(pub, net, endMs);
    const [rank, count] = await Promise.all([this.redis.zrank(key, offerKey), this.redis.zcard(key)]);
    if (rank === null || !count) return null;
    return releaseSlot(endMs, rank, count, spreadMs);
  }
}

/** The `rank`-th (0-based) of `count` held posts goes out at end + rank · spread / count. */
export function releaseSlot(endMs: number, rank: number, count: number, spreadMs: number): number {
  if (count <= 1 || spreadMs <= 0) return endMs;
  return endMs + Math.floor((Math.max(0, rank) * spreadMs) / count);
}
