// SPDX-License-Identifier: EUPL-1.2
/**
 * What "in doubt" means for a ledger entry, in one place for the sweeper, the gauge and the dashboard
 * (the index itself is kept by src/redis/lua/includes/doubt.lua with the same rule): the last outcome
 * is unknown (`sending`, `unknown`), or the entry says `posted` without the network's id and no operator
 * confirmed it.
 */
import type { LedgerEntry } from './ledger.ts';

export function isInDoubt(l: LedgerEntry): boolean {
  return l.state === 'sending' || l.state === 'unknown' || (l.state === 'posted' && !l.remoteId && !l.markedBy);
}

/**
 * How long an entry is in doubt before it counts: the attempt's own timeout and the grace a slow network
 * gets to commit (src/delivery/deliver.ts). Before that, `sending` is a post in flight, not a doubt.
 */
export function settleMs(postTimeoutMs: number): number {
  return postTimeoutMs + Math.min(30_000, postTimeoutMs);
}

/** The sweeper's mark (keys.swept) for an entry it left to the operator, said once. */
export const LEFT_TO_OPERATOR = 'operator';
