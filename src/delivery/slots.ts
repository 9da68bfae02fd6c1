// SPDX-License-Identifier: EUPL-1.2
/**
 * An account's limit windows around one network call: a slot is taken before the call (or a delay is
 * returned when none is free) and settled when the call ends, so it counts from when the network saw it.
 *
 * Two budgets: posts spend the channel's `limits`; modifications (edits, deletes) spend its
 * `modifyLimits`, windows of their own, because the networks count them apart (X: DELETE /2/tweets has
 * its own cap) and closing an offer must never cost a post. A channel whose folder declares no
 * `modifyLimits` keeps its modifications in the posting windows, the safe side.
 */
import type { DeliveryResult } from './task.ts';
import type { DeliveryDeps, ChannelEntry } from './deps.ts';
import type { LimitWindow } from '../config/fields.ts';
import type { LimitBudget } from '../redis/keys.ts';

export function jitter(max: number): number {
  return Math.floor(Math.random() * max);
}

/** How long after a post timeout a request may still land at the network. */
export function settleGrace(postTimeoutMs: number): number {
  return Math.min(30_000, postTimeoutMs);
}

/**
 * The latest, after the slot is taken, that the call can reach the network: the timeout plus the grace.
 * The slot counts until then while the call is in flight (src/redis/lua/includes/windows.lua).
 */
export function inFlightMs(d: Pick<DeliveryDeps, 'postTimeoutMs'>): number {
  return d.postTimeoutMs + settleGrace(d.postTimeoutMs);
}

/** The windows a call of this kind spends, and under which budget they are kept. */
export function budgetOf(entry: ChannelEntry, kind: 'post' | 'modify'): { windows: readonly LimitWindow[]; budget: LimitBudget } {
  if (kind === 'modify' && entry.config.modifyLimits) return { windows: entry.config.modifyLimits, budget: 'modify' };
  return { windows: entry.config.limits, budget: 'post' };
}

/**
 * Takes a slot in every modification window of the account (returns the slot's name), or returns a
 * delay when none is free. The learned waits are read again here, under the account lock: the answer to
 * the request that held the lock just before may have said "remaining 0", and it must teach this one.
 * One script does both (src/redis/lua/take-slot.lua), on the scripts' clock. A refused job is given
 * its staggered wake (its turn among the account's waiters).
 */
export async function takeSlot(d: DeliveryDeps, entry: ChannelEntry, jobId: string, now: number): Promise<DeliveryResult | string> {
  const slot = `${now}-${jobId}`;
  const { windows, budget } = budgetOf(entry, 'modify');
  const taken = await d.attempts.takeSlot(entry.channel, { now, slot, windows, inFlightMs: inFlightMs(d), waiter: jobId, budget });
  if (taken.kind === 'ok') return slot;
  if (taken.kind === 'wait') return { kind: 'delay', until: taken.until + jitter(250), reason: 'waiting as the network asked' };
  await d.counters.windowWait(entry.publisher.id, entry.network);
  return { kind: 'delay', until: taken.until + jitter(50), reason: 'account limit reached' };
}

/**
 * The call is over: its slot counts from now (see SlidingWindowLimiter.settle), or, when its outcome
 * is unknown (a timeout, a dropped answer), from the latest it may still land: now plus the grace.
 */
export async function settleSlot(d: DeliveryDeps, entry: ChannelEntry, slot: string, o: { kind: 'post' | 'modify'; unknownOutcome?: boolean }): Promise<void> {
  const { windows, budget } = budgetOf(entry, o.kind);
  await d.limiter.settle(entry.channel.accountKey, windows, slot, d.now(), { budget, afterMs: o.unknownOutcome ? settleGrace(d.postTimeoutMs) : 0 });
}
