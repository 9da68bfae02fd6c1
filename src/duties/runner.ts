// SPDX-License-Identifier: EUPL-1.2
/**
 * Runs the duties of one process. Each duty's timer ticks a few times per interval (with jitter); a
 * tick takes the duty's lock (`SET NX PX interval`) or does nothing. The lock outlives the pass: it
 * expires `interval` after the pass started, so whichever process ticks next after that runs the next
 * pass, and the duty runs about once per interval across the deployment. A pass longer than its
 * interval keeps its lock alive (a living holder renews it) so that no other process starts a second
 * one; a holder that dies lets the lock expire, and another process takes over.
 */
import type { Logger } from '../log/logger.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import { SCRIPTS, bindScript } from '../redis/scripts.ts';
import type { Duty } from './duty.ts';

export interface DutyRunnerDeps {
  redis: RedisClient;
  keys: Keys;
  logger: Logger;
  now?: () => number;
}

export type StopDuties = () => Promise<void>;

/** Ticks per interval, bounded: a one-minute duty looks every 15 s, a daily one every minute. */
export function tickEvery(intervalMs: number): number {
  return Math.min(60_000, Math.max(250, Math.floor(intervalMs / 4)));
}

export function startDuties(deps: DutyRunnerDeps, duties: readonly Duty[]): StopDuties {
  const now = deps.now ?? Date.now;
  // The lock's own scripts (src/redis/lua/): extend it while it is ours, or delete it while it is ours.
  const renewLock = bindScript(deps.redis, SCRIPTS.renewLock);
  const releaseLock = bindScript(deps.redis, SCRIPTS.releaseLock);
  const expireIfHeld = (lock: string, token: string, ms: number) => (ms > 0 ? renewLock({ lock }, { token, ttlMs: ms }) : releaseLock({ lock }, { token }));
  const abort = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();

  for (const duty of duties) {
    const log = deps.logger.child({ duty: duty.name });
    const lockKey = deps.keys.dutyLock(duty.name);
    let busy = false;

    const pass = async (): Promise<void> => {
      const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
      const took = await deps.redis.set(lockKey, token, 'PX', duty.intervalMs, 'NX');
      if (took !== 'OK') return;
      const started = Date.now();
      // Renew while the pass lasts, so that a long pass never overlaps another process's.
      const renewEvery = Math.max(100, Math.min(10_000, Math.floor(duty.intervalMs / 3)));
      const renew = setInterval(() => {
        const left = started + duty.intervalMs - Date.now();
        void expireIfHeld(lockKey, token, Math.max(left, renewEvery * 3)).catch(() => undefined);
      }, renewEvery);
      try {
        const report = await duty.run({ now, logger: log, signal: abort.signal });
        log.info({ ...report, tookMs: Date.now() - started }, `duty ${duty.name} ran`);
      } catch (e) {
        log.error({ err: e, tookMs: Date.now() - started }, `duty ${duty.name} failed; next pass at its next interval`);
      } finally {
        clearInterval(renew);
        // The lock stays until `interval` after the pass started (once per interval, deployment-wide);
        // a pass that took longer frees it now.
        const left = started + duty.intervalMs - Date.now();
        await expireIfHeld(lockKey, token, Math.max(0, left)).catch(() => undefined);
      }
    };

    const tick = () => {
      if (abort.signal.aborted) return;
      if (!busy) {
        busy = true;
        const p = pass().catch((e) => log.error({ err: e }, `duty ${duty.name}: could not take its lock`)).finally(() => { busy = false; running.delete(p); });
        running.add(p);
      }
      schedule(tickEvery(duty.intervalMs));
    };
    const schedule = (ms: number) => {
      const t = setTimeout(() => { timers.delete(t); tick(); }, Math.round(ms * (0.8 + Math.random() * 0.4)));
      t.unref();
      timers.add(t);
    };
    // The first look soon after start (spread, so that a fleet starting together does not race).
    schedule(Math.min(tickEvery(duty.intervalMs), 5_000));
  }

  return async () => {
    abort.abort();
    for (const t of timers) clearTimeout(t);
    timers.clear();
    await Promise.all([...running]);
  };
}
