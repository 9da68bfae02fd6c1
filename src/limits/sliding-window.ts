// SPDX-License-Identifier: EUPL-1.2
/**
 * Per-account sliding-window limits, counted atomically in Redis so every worker process shares them.
 * BullMQ's own limiter is one fixed window per queue (bursts of 2×max at a window edge, no per-account
 * key), so it cannot express "17 per 24h for this X user": we keep a log of send times per window.
 */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys, LimitBudget } from '../redis/keys.ts';
import type { LimitWindow } from '../config/schema.ts';
import { bindScript, SCRIPTS, type GroupItem } from '../redis/scripts.ts';
import { scriptNow, onCallerClock, redisTime, type ScriptClock } from '../redis/clock.ts';

/**
 * The limit windows of an account as a script's repeated group (src/redis/lua/includes/windows.lua):
 * each window's key and its (max, perMs, marginMs), in config order. `budget`: posts or modifications,
 * which count in windows of their own.
 */
export function windowItems(keys: Keys, accountKey: string, windows: readonly LimitWindow[], budget: LimitBudget = 'post'): GroupItem<'window', 'max' | 'perMs' | 'marginMs'>[] {
  return windows.map((w) => ({ keys: { window: keys.limitWindow(accountKey, w, budget) }, args: { max: w.max, perMs: w.per, marginMs: marginFor(w.per) } }));
}

/**
 * How long after its wake a job refused a slot may take to come back before it stops counting among
 * the waiters (its job ended another way: the offer closed, the channel paused). Long enough for a
 * loaded worker's late wake and a few "account busy" bounces.
 */
export const WAITER_STALE_MS = 30_000;

/** Entries expire a little after their window, so a post sent at the window's edge still counts at the network. */
export function marginFor(perMs: number): number {
  return Math.min(5000, Math.max(50, Math.round(perMs * 0.01)));
}

export interface WindowUse { max: number; perMs: number; used: number; nextFreeAt: number }

/**
 * The windows' times are those of the scripts' clock (src/redis/clock.ts): Redis TIME when built with
 * `clock: 'redis'` (createRuntime does), else the `now` each call passes.
 */
export class SlidingWindowLimiter {
  private readonly takeScript;
  private readonly settleScript;
  private readonly clock: ScriptClock;

  constructor(private readonly redis: RedisClient, private readonly keys: Keys, opts: { clock?: ScriptClock } = {}) {
    this.takeScript = bindScript(redis, SCRIPTS.takeWindows);
    this.settleScript = bindScript(redis, SCRIPTS.settleWindows);
    this.clock = opts.clock ?? 'caller';
  }

  /** The Redis keys of an account's windows, in window order. */
  windowKeys(accountKey: string, windows: readonly LimitWindow[], budget: LimitBudget = 'post'): string[] {
    return windows.map((w) => this.keys.limitWindow(accountKey, w, budget));
  }

  /**
   * Takes one slot in every window of the account, or says when to come back. The returned `slot`
   * names the entry, for settle() and giveBack().
   */
  async take(accountKey: string, windows: readonly LimitWindow[], now: number, member: string): Promise<{ ok: true; slot: string } | { ok: false; retryAt: number }> {
    const slot = `${now}-${member}`;
    if (!windows.length) return { ok: true, slot };
    const [free, at] = (await this.takeScript({}, { now: scriptNow(this.clock, now), member: slot }, windowItems(this.keys, accountKey, windows))) as [number, number];
    return free === 0 ? { ok: true, slot } : { ok: false, retryAt: onCallerClock(free, at, now) };
  }

  /**
   * Moves a slot to the time the call ended. The network counts a request when it arrives, somewhere
   * between our take() and the end of the call; stamping the end makes the window free up no earlier
   * than `per` after the network's own count, whatever the latency was (a slow request at a window's
   * edge would otherwise let the next one in too early). An outcome we do not know (a timeout, a
   * dropped answer) may still land at the network after we stopped waiting: `afterMs` (the grace)
   * keeps it counted as if it landed that much later. On Redis's clock, `endedAt` is not used: the
   * script stamps its own time.
   */
  async settle(accountKey: string, windows: readonly LimitWindow[], slot: string, endedAt: number, o: { afterMs?: number; budget?: LimitBudget } = {}): Promise<void> {
    if (!windows.length) return;
    await this.settleScript({}, { now: scriptNow(this.clock, endedAt), member: slot, afterMs: Math.max(0, Math.ceil(o.afterMs ?? 0)) }, windowItems(this.keys, accountKey, windows, o.budget));
  }

  /** Gives a slot back (the call never reached the network). */
  async giveBack(accountKey: string, windows: readonly LimitWindow[], slot: string, budget: LimitBudget = 'post'): Promise<void> {
    await Promise.all(windows.map((w) => this.redis.zrem(this.keys.limitWindow(accountKey, w, budget), slot)));
  }

  /** How full each window is at `now` (the caller's clock; nextFreeAt is on it too). */
  async usage(accountKey: string, windows: readonly LimitWindow[], now: number, budget: LimitBudget = 'post'): Promise<WindowUse[]> {
    const at = this.clock === 'redis' && windows.length ? await redisTime(this.redis) : now;
    return Promise.all(windows.map(async (w) => {
      const key = this.keys.limitWindow(accountKey, w, budget);
      const margin = marginFor(w.per);
      const scores = (await this.redis.zrangebyscore(key, `(${at - w.per - margin}`, '+inf', 'WITHSCORES'))
        .filter((_, j) => j % 2 === 1).map(Number);
      const used = scores.length;
      const nextFreeAt = used < w.max ? now : onCallerClock(scores[used - w.max]! + w.per + margin, at, now);
      return { max: w.max, perMs: w.per, used, nextFreeAt };
    }));
  }
}
