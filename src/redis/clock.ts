// SPDX-License-Identifier: EUPL-1.2
/**
 * Which clock the Lua scripts decide limits, locks and waits by.
 *
 *  - 'redis' (what createRuntime wires, in production): the Redis server's TIME. Every worker shares
 *    it, so workers on machines whose clocks disagree still respect one sliding window. The callers'
 *    `now` only translates the instants a script returns (a window's next free slot, a learned wait)
 *    into the caller's clock, and durations (a wait the network taught) go in as durations.
 *  - 'caller': the `now` each call passes. Tests that drive time with a controllable clock use it
 *    (RuntimeOptions.scriptClock); it is also what a store built without options does, as before.
 *
 * The scripts take `now` as an optional argument: '' makes them read Redis TIME.
 */
import type { ScriptArg } from './scripts.ts';

export type ScriptClock = 'redis' | 'caller';

/** The scripts' `now` argument for a call made at `callerNow`. */
export function scriptNow(clock: ScriptClock, callerNow: number): ScriptArg {
  return clock === 'caller' ? callerNow : '';
}

/** An instant on the clock a script decided by (its reply's `now`), moved onto the caller's clock. */
export function onCallerClock(instant: number, scriptTime: number, callerNow: number): number {
  return instant - scriptTime + callerNow;
}

/** Redis's own time in epoch ms (for reads outside a script, e.g. a window's usage). */
export async function redisTime(redis: { time(): Promise<unknown> }): Promise<number> {
  const [s, us] = (await redis.time()) as [string | number, string | number];
  return Number(s) * 1000 + Math.floor(Number(us) / 1000);
}
