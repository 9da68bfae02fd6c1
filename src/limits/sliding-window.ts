/**
 * Per-account sliding-window limits, counted atomically in Redis so every worker process shares them.
 * BullMQ's own limiter is one fixed window per queue (bursts of 2×max at a window edge, no per-account
 * key), so it cannot express "17 per 24h for this X user": we keep a log of send times per window.
 */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import type { LimitWindow } from '../config/schema.ts';

// KEYS: one sorted set per window. ARGV: now, member, then (max, perMs, marginMs) per window.
// Returns 0 when a slot was taken in every window, else the epoch ms when the next slot frees up.
const TAKE = `
local now = tonumber(ARGV[1])
local member = ARGV[2]
local wait = 0
for i = 1, #KEYS do
  local max = tonumber(ARGV[3 + (i - 1) * 3])
  local per = tonumber(ARGV[4 + (i - 1) * 3])
  local margin = tonumber(ARGV[5 + (i - 1) * 3])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - per - margin)
  local count = redis.call('ZCARD', KEYS[i])
  if count >= max then
    local oldest = redis.call('ZRANGE', KEYS[i], count - max, count - max, 'WITHSCORES')
    -- The entry leaves the window (ZREMRANGEBYSCORE above is inclusive) at exactly this time.
    local free = tonumber(oldest[2]) + per + margin
    if free > wait then wait = free end
  end
end
if wait > 0 then return wait end
for i = 1, #KEYS do
  local per = tonumber(ARGV[4 + (i - 1) * 3])
  local margin = tonumber(ARGV[5 + (i - 1) * 3])
  redis.call('ZADD', KEYS[i], now, member)
  redis.call('PEXPIRE', KEYS[i], per + margin + 1000)
end
return 0
`;

/** Entries expire a little after their window, so a post sent at the window's edge still counts at the network. */
export function marginFor(perMs: number): number {
  return Math.min(5000, Math.max(50, Math.round(perMs * 0.01)));
}

export interface WindowUse { max: number; perMs: number; used: number; nextFreeAt: number }

export class SlidingWindowLimiter {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  /**
   * Takes one slot in every window of the account, or says when to come back. The returned `slot`
   * names the entry, for settle() and giveBack().
   */
  async take(accountKey: string, windows: readonly LimitWindow[], now: number, member: string): Promise<{ ok: true; slot: string } | { ok: false; retryAt: number }> {
    const slot = `${now}-${member}`;
    if (!windows.length) return { ok: true, slot };
    const keys = windows.map((_, i) => this.keys.limitWindow(accountKey, i));
    const args: (string | number)[] = [now, slot];
    for (const w of windows) args.push(w.max, w.per, marginFor(w.per));
    const res = Number(await this.redis.eval(TAKE, keys.length, ...keys, ...args));
    return res === 0 ? { ok: true, slot } : { ok: false, retryAt: res };
  }

  /**
   * Moves a slot to the time the call ended. The network counts a request when it arrives, somewhere
   * between our take() and the end of the call; stamping the end makes the window free up no earlier
   * than `per` after the network's own count, whatever the latency was (a slow request at a window's
   * edge would otherwise let the next one in too early).
   */
  async settle(accountKey: string, windows: readonly LimitWindow[], slot: string, endedAt: number): Promise<void> {
    if (!windows.length) return;
    const multi = this.redis.multi();
    windows.forEach((w, i) => {
      const key = this.keys.limitWindow(accountKey, i);
      multi.zadd(key, 'XX', 'GT', endedAt, slot);
      multi.pexpire(key, w.per + marginFor(w.per) + 1000);
    });
    await multi.exec();
  }

  /** Gives a slot back (the call never reached the network). */
  async giveBack(accountKey: string, windows: readonly LimitWindow[], slot: string): Promise<void> {
    await Promise.all(windows.map((_, i) => this.redis.zrem(this.keys.limitWindow(accountKey, i), slot)));
  }

  async usage(accountKey: string, windows: readonly LimitWindow[], now: number): Promise<WindowUse[]> {
    return Promise.all(windows.map(async (w, i) => {
      const key = this.keys.limitWindow(accountKey, i);
      const margin = marginFor(w.per);
      const scores = (await this.redis.zrangebyscore(key, `(${now - w.per - margin}`, '+inf', 'WITHSCORES'))
        .filter((_, j) => j % 2 === 1).map(Number);
      const used = scores.length;
      const nextFreeAt = used < w.max ? now : scores[used - w.max]! + w.per + margin;
      return { max: w.max, perMs: w.per, used, nextFreeAt };
    }));
  }
}
