/**
 * An account's limit windows around one network call: a slot is taken before the call (or a delay is
 * returned when none is free) and settled when the call ends, so it counts from when the network saw it.
 */
import type { DeliveryResult } from './task.ts';
import type { DeliveryDeps, ChannelEntry } from './deps.ts';

export function jitter(max: number): number {
  return Math.floor(Math.random() * max);
}

/**
 * Takes a slot in every limit window of the account (returns the slot's name), or returns a delay
 * when none is free. The learned waits are read again here, under the account lock: the answer to
 * the request that held the lock just before may have said "remaining 0", and it must teach this one.
 * One script does both (src/redis/lua/take-slot.lua), on the scripts' clock.
 */
export async function takeSlot(d: DeliveryDeps, entry: ChannelEntry, jobId: string, now: number): Promise<DeliveryResult | string> {
  const slot = `${now}-${jobId}`;
  const taken = await d.attempts.takeSlot(entry.channel, { now, slot, windows: entry.config.limits });
  if (taken.kind === 'ok') return slot;
  if (taken.kind === 'wait') return { kind: 'delay', until: taken.until + jitter(250), reason: 'waiting as the network asked' };
  return { kind: 'delay', until: taken.until + jitter(200), reason: 'account limit reached' };
}

/** The call is over: its slot counts from now (see SlidingWindowLimiter.settle). */
export async function settleSlot(d: DeliveryDeps, entry: ChannelEntry, slot: string): Promise<void> {
  await d.limiter.settle(entry.channel.accountKey, entry.config.limits, slot, d.now());
}
