/**
 * One request in flight per account, and the waits the networks taught us (429 resets, usage headers,
 * app-wide throttles). Both live in Redis so that every worker process honours them. The lock is taken
 * by an attempt's admit step (src/delivery/attempt-store.ts), atomically with its checks; this class
 * keeps it alive, releases it, and reads and extends the waits.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import { defineScript, releaseLockScript, RELEASE_LOCK_LUA, type RunScript } from '../redis/scripts.ts';

/**
 * Lua functions shared with the attempt scripts (src/delivery/attempt-store.ts):
 *  - release_lock deletes an account lock only if this holder's token is still in it;
 *  - extend_wait only ever moves a wait later: two answers arriving out of order never shorten it.
 */
export const GATE_LUA = `${RELEASE_LOCK_LUA}
local function extend_wait(key, want, now)
  local cur = tonumber(redis.call('GET', key) or '0')
  if want > cur then redis.call('SET', key, want, 'PX', math.max(1, want - now)) end
  return 1
end
`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const EXTEND_WAIT = `${GATE_LUA}\nreturn extend_wait(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))`;

/** Drawn once: a random draw per attempt showed up in the workers' profiles, a counter costs nothing. */
const PROCESS_TOKEN = randomBytes(8).toString('hex');
let tokenSerial = 0;

export class AccountGate {
  private readonly release: RunScript;
  private readonly renewScript: RunScript;
  private readonly extendWait: RunScript;

  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {
    this.release = releaseLockScript(redis);
    this.renewScript = defineScript(redis, 'banditoreRenewLock', RENEW);
    this.extendWait = defineScript(redis, 'banditoreExtendWait', EXTEND_WAIT);
  }

  /** A fresh token naming one holder of an account lock: unique per process (random) and per attempt (counter). */
  static token(): string {
    return `${PROCESS_TOKEN}.${(++tokenSerial).toString(36)}`;
  }

  /** Extends a lock this process still holds; false when it was lost (expired and taken). */
  async renew(accountKey: string, token: string, ttlMs: number): Promise<boolean> {
    return Number(await this.renewScript([this.keys.accountLock(accountKey)], [token, ttlMs])) === 1;
  }

  /**
   * Keeps a held lock alive while its holder works: a short TTL renewed as long as this process lives,
   * so a killed worker blocks its account for seconds, not for a whole post timeout. Returns the stop.
   */
  keepAlive(accountKey: string, token: string, ttlMs: number): () => void {
    const timer = setInterval(() => { this.renew(accountKey, token, ttlMs).catch(() => undefined); }, Math.max(100, Math.floor(ttlMs / 3)));
    return () => clearInterval(timer);
  }

  async unlock(accountKey: string, token: string): Promise<void> {
    await this.release([this.keys.accountLock(accountKey)], [token]);
  }

  async waitUntil(scopeKeys: readonly string[]): Promise<number> {
    if (!scopeKeys.length) return 0;
    const values = await this.redis.mget(...scopeKeys.map((s) => this.keys.learnedWait(s)));
    return Math.max(0, ...values.map((v) => Number(v ?? 0)));
  }

  async learnWait(scopeKey: string, untilMs: number, now: number): Promise<void> {
    if (untilMs <= now) return;
    await this.extendWait([this.keys.learnedWait(scopeKey)], [Math.ceil(untilMs), now]);
  }
}
