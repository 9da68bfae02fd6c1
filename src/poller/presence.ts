// SPDX-License-Identifier: EUPL-1.2
/**
 * Which offers a feed still lists, poll after poll, and when one that is missing counts as gone. One
 * poll is weak evidence: a portal under load lists half its offers, a CMS widget breaks one JSON-LD
 * block, a cache serves a page cut short. So an offer counts as gone only after it was missing from
 * `closeAfterMissing` consecutive polls that were
 *   - successful (a failed poll says nothing),
 *   - complete (every part of the document was read: see ParsedFeed.incomplete), and
 *   - not suspect (a poll that loses more than half of the offers present before, with at least
 *     SUSPECT_MIN_BEFORE of them, is more likely broken than the office's doing).
 * A suspect poll counts nothing, but its losses are remembered as "absent, not yet counted": if the
 * next polls list the same, they count from there (an office that really closed many offers at once
 * sees them closed one poll later), and if the offers come back, nothing happened. A document that
 * lists no usable offer at all is held for as long as it says so: it never closes anything.
 *
 * Pure: the store reads and writes around it are in poll-feed.ts.
 */
import type { FeedPresence, PresenceWrite } from '../ledger/offers.ts';

/** A suspect poll loses more than half of at least this many offers present before. */
export const SUSPECT_MIN_BEFORE = 4;

export interface Observation {
  /** Keys of every item the document lists with an identity (usable or not). */
  present: ReadonlySet<string>;
  /** How many of them are usable offers (post or expired); 0 means the document lists nothing usable. */
  usable: number;
  /** Every part of the document was read. */
  complete: boolean;
}

export type Verdict = 'counted' | 'suspect' | 'incomplete' | 'empty';

export interface PresenceStep extends PresenceWrite {
  verdict: Verdict;
  /** Keys that were missing from enough polls: gone from the feed (removed from what it tracks). */
  left: string[];
  /** Keys present before and missing now (for the suspect warning). */
  lost: number;
  presentBefore: number;
}

export function observe(prev: FeedPresence, obs: Observation, closeAfterMissing: number): PresenceStep {
  const tracked = new Set(prev.tracked);
  const presentBefore = prev.tracked.filter((k) => !prev.absent.has(k));
  const add = [...obs.present].filter((k) => !tracked.has(k));
  const clearMisses = [...obs.present].filter((k) => prev.absent.has(k));
  const lostNow = presentBefore.filter((k) => !obs.present.has(k));
  const step: PresenceStep = { verdict: 'counted', add, remove: [], setMisses: {}, clearMisses, left: [], lost: lostNow.length, presentBefore: presentBefore.length };

  if (!obs.complete) { step.verdict = 'incomplete'; return step; }
  if (obs.usable === 0 && prev.tracked.length > 0) { step.verdict = 'empty'; return step; }
  if (presentBefore.length >= SUSPECT_MIN_BEFORE && lostNow.length * 2 > presentBefore.length) {
    step.verdict = 'suspect';
    for (const k of lostNow) step.setMisses[k] = 0;
    return step;
  }
  for (const k of prev.tracked) {
    if (obs.present.has(k)) continue;
    const misses = (prev.absent.get(k) ?? 0) + 1;
    if (misses >= closeAfterMissing) step.left.push(k);
    else step.setMisses[k] = misses;
  }
  step.remove = step.left;
  return step;
}

/** What an unchanged document (304, or the same body) shows: the same as the last one read. */
export function sameAsBefore(prev: FeedPresence): Set<string> {
  return new Set(prev.tracked.filter((k) => !prev.absent.has(k)));
}
