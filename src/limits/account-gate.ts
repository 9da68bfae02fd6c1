// SPDX-License-Identifier: EUPL-1.2
/**
 * One request in flight per account, and the waits the networks taught us (429 resets, usage headers,
 * app-wide throttles). Both live in Redis so that every worker process honours them. The lock is taken
 * by an attempt's admit step (src/delivery/attempt-store.ts), atomically with its checks; this class
 * keeps it alive, releases it, and reads and extends the waits.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import { bindScript, SCRIPTS } from '../redis/scripts.ts';
import { scriptNow, type ScriptClock } from '../redis/clock.ts';

/** A held lock kept alive: `signal` aborts as soon as a renewal finds the lock lost (expired, maybe taken). */
export interface KeptLock {
  readonly signal: AbortSignal;
  stop(): void;
}

/** Drawn once: a random draw per attempt showed up in the workers' profiles, a counter costs nothing. */
const PROCESS_TOKEN = randomBytes(8).toString('hex');
let tokenSerial = 0;

export class AccountGate {
  private readonly release;
  private readonly renewScript;
  private readonly extendWait;
  private readonly clock: ScriptClock;

  /** `clock`: what the waits are timed by (src/redis/clock.ts); createRuntime passes 'redis'. */
  constructor(private readonly redis: RedisClient, private readonly keys: Keys, opts: { clock?: ScriptClock } = {}) {
    this.release = bindScript(redis, SCRIPTS.releaseLock);
    this.renewScript = bindScript(redis, SCRIPTS.renewLock);
    this.extendWait = bindScript(redis, SCRIPTS.extendWait);
    this.clock = opts.clock ?? 'caller';
  }

  /** A fresh token naming one holder of an account lock: unique per process (random) and per attempt (counter). */
  static token(): string {
    return `${PROCESS_TOKEN}.${(++tokenSerial).toString(36)}`;
  }

  /** Extends a lock this process still holds; false when it was lost (expired and taken). */
  async renew(accountKey: string, token: string, ttlMs: number): Promise<boolean> {
    return Number(await this.renewScript({ lock: this.keys.accountLock(accountKey) }, { token, ttlMs })) === 1;
  }

  /**
   * Keeps a held lock alive while its holder works: a short TTL renewed as long as this process lives,
   * so a killed worker blocks its account for seconds, not for a whole post timeout. A process that
   * stalls (a long synchronous parse, a GC pause) cannot renew; when it wakes, the first renewal finds
   * the lock lost and aborts `signal`, so the holder stops before its network call. A renewal that
   * fails on the connection proves nothing and changes nothing.
   */
  keepAlive(accountKey: string, token: string, ttlMs: number): KeptLock {
    const lost = new AbortController();
    const timer = setInterval(() => {
      this.renew(accountKey, token, ttlMs).then((held) => {
        if (!held && !lost.signal.aborted) { clearInterval(timer); lost.abort(new Error('account lock lost')); }
      }, () => undefined);
    }, Math.max(100, Math.floor(ttlMs / 3)));
    return { signal: lost.signal, stop: () => clearInterval(timer) };
  }

  async unlock(accountKey: string, token: string): Promise<void> {
    await this.release({ lock: this.keys.accountLock(accountKey) }, { token });
  }

  async waitUntil(scopeKeys: readonly string[]): Promise<number> {
    if (!scopeKeys.length) return 0;
    const values = await this.redis.mget(...scopeKeys.map((s) => this.keys.learnedWait(s)));
    return Math.max(0, ...values.map((v) => Number(v ?? 0)));
  }

  /**
   * Keeps a wait the network taught until `untilMs` on the caller's clock (read at `now`). It is stored
   * as that much time from the scripts' own now, so a worker whose clock is off still waits as long as
   * it was told.
   */
  async learnWait(scopeKey: string, untilMs: number, now: number): Promise<void> {
    if (untilMs <= now) return;
    await this.extendWait({ wait: this.keys.learnedWait(scopeKey) }, { now: scriptNow(this.clock, now), waitForMs: Math.ceil(untilMs - now) });
  }
}
