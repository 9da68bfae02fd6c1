/**
 * Per-account sliding-window limits, counted atomically in Redis so every worker process shares them.
 * BullMQ's own limiter is one fixed window per queue (bursts of 2×max at a window edge, no per-account
 * key), so it cannot express "17 per 24h for this X user": we keep a log of send times per window.
 */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import type { LimitWindow } from '../config/schema.ts';
import { defineScript, type RunScript } from '../redis/scripts.ts';

/**
 * Lua functions over an account's windows, shared with the attempt scripts (src/delivery/attempt-store.ts)
 * so that taking a slot can be one atomic step with the checks around it. Windows are KEYS[k0 .. k0+n-1],
 * each with an ARGV triple (max, perMs, marginMs) starting at ARGV[a0].
 *  - take_windows returns 0 when a slot was taken in every window, else the epoch ms when one frees up;
 *  - settle_windows moves a taken slot to the time its call ended.
 */
export const WINDOWS_LUA = `
local function take_windows(k0, n, a0, now, member)
  local wait = 0
  for i = 0, n - 1 do
    local key = KEYS[k0 + i]
    local max = tonumber(ARGV[a0 + i * 3])
    local per = tonumber(ARGV[a0 + i * 3 + 1])
    local margin = tonumber(ARGV[a0 + i * 3 + 2])
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - per - margin)
    local count = redis.call('ZCARD', key)
    if count >= max then
      local oldest = redis.call('ZRANGE', key, count - max, count - max, 'WITHSCORES')
      -- The entry leaves the window (ZREMRANGEBYSCORE above is inclusive) at exactly this time.
      local free = tonumber(oldest[2]) + per + margin
      if free > wait then wait = free end
    end
  end
  if wait > 0 then return wait end
  for i = 0, n - 1 do
    local per = tonumber(ARGV[a0 + i * 3 + 1])
    local margin = tonumber(ARGV[a0 + i * 3 + 2])
    redis.call('ZADD', KEYS[k0 + i], now, member)
    redis.call('PEXPIRE', KEYS[k0 + i], per + margin + 1000)
  end
  return 0
end
local function settle_windows(k0, n, a0, ended, member)
  for i = 0, n - 1 do
    local per = tonumber(ARGV[a0 + i * 3 + 1])
    local margin = tonumber(ARGV[a0 + i * 3 + 2])
    redis.call('ZADD', KEYS[k0 + i], 'XX', 'GT', ended, member)
    redis.call('PEXPIRE', KEYS[k0 + i], per + margin + 1000)
  end
end
`;

// KEYS: one sorted set per window. ARGV: now (or, to settle, when the call ended), member, then
// (max, perMs, marginMs) per window.
const TAKE = `${WINDOWS_LUA}
return take_windows(1, #KEYS, 3, tonumber(ARGV[1]), ARGV[2])`;
const SETTLE = `${WINDOWS_LUA}
settle_windows(1, #KEYS, 3, tonumber(ARGV[1]), ARGV[2])
return 0`;

/** The ARGV triples (max, perMs, marginMs) of WINDOWS_LUA, in window order. */
export function windowArgs(windows: readonly LimitWindow[]): number[] {
  return windows.flatMap((w) => [w.max, w.per, marginFor(w.per)]);
}

/** Entries expire a little after their window, so a post sent at the window's edge still counts at the network. */
export function marginFor(perMs: number): number {
  return Math.min(5000, Math.max(50, Math.round(perMs * 0.01)));
}

export interface WindowUse { max: number; perMs: number; used: number; nextFreeAt: number }

export class SlidingWindowLimiter {
  private readonly takeScript: RunScript;
  private readonly settleScript: RunScript;

  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {
    this.takeScript = defineScript(redis, 'banditoreTakeWindows', TAKE);
    this.settleScript = defineScript(redis, 'banditoreSettleWindows', SETTLE);
  }

  /** The Redis keys of an account's windows, in window order. */
  windowKeys(accountKey: string, windows: readonly LimitWindow[]): string[] {
    return windows.map((_, i) => this.keys.limitWindow(accountKey, i));
  }

  /**
   * Takes one slot in every window of the account, or says when to come back. The returned `slot`
   * names the entry, for settle() and giveBack().
   */
  async take(accountKey: string, windows: readonly LimitWindow[], now: number, member: string): Promise<{ ok: true; slot: string } | { ok: false; retryAt: number }> {
    const slot = `${now}-${member}`;
    if (!windows.length) return { ok: true, slot };
    const res = Number(await this.takeScript(this.windowKeys(accountKey, windows), [now, slot, ...windowArgs(windows)]));
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
    await this.settleScript(this.windowKeys(accountKey, windows), [endedAt, slot, ...windowArgs(windows)]);
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
