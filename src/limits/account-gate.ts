/**
 * One request in flight per account, and the waits the networks taught us (429 resets, usage headers,
 * app-wide throttles). Both live in Redis so that every worker process honours them.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
// Only ever moves a wait later: two answers arriving out of order never shorten it.
const EXTEND_WAIT = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local want = tonumber(ARGV[1])
if want > cur then redis.call('SET', KEYS[1], want, 'PX', math.max(1, want - tonumber(ARGV[2]))) end
return 1`;

export class AccountGate {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  /** Returns a release token, or null when another request of the account is in flight. */
  async lock(accountKey: string, ttlMs: number): Promise<string | null> {
    const token = randomBytes(8).toString('hex');
    const ok = await this.redis.set(this.keys.accountLock(accountKey), token, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? token : null;
  }

  /** Extends a lock this process still holds; false when it was lost (expired and taken). */
  async renew(accountKey: string, token: string, ttlMs: number): Promise<boolean> {
    return Number(await this.redis.eval(RENEW, 1, this.keys.accountLock(accountKey), token, ttlMs)) === 1;
  }

  /**
   * Holds the account's lock while `work` runs: a short TTL renewed as long as this process lives, so a
   * killed worker blocks its account for seconds, not for a whole post timeout. Returns null when busy.
   */
  async withLock<T>(accountKey: string, ttlMs: number, work: () => Promise<T>): Promise<{ value: T } | null> {
    const token = await this.lock(accountKey, ttlMs);
    if (!token) return null;
    const timer = setInterval(() => { this.renew(accountKey, token, ttlMs).catch(() => undefined); }, Math.max(100, Math.floor(ttlMs / 3)));
    try {
      return { value: await work() };
    } finally {
      clearInterval(timer);
      await this.unlock(accountKey, token);
    }
  }

  async unlock(accountKey: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.keys.accountLock(accountKey), token);
  }

  async waitUntil(scopeKeys: readonly string[]): Promise<number> {
    if (!scopeKeys.length) return 0;
    const values = await this.redis.mget(...scopeKeys.map((s) => this.keys.learnedWait(s)));
    return Math.max(0, ...values.map((v) => Number(v ?? 0)));
  }

  async learnWait(scopeKey: string, untilMs: number, now: number): Promise<void> {
    if (untilMs <= now) return;
    await this.redis.eval(EXTEND_WAIT, 1, this.keys.learnedWait(scopeKey), Math.ceil(untilMs), now);
  }
}
