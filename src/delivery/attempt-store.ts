// SPDX-License-Identifier: EUPL-1.2
/**
 * The Redis side of one delivery attempt, in three atomic steps (one round trip each):
 *
 *   admit  — paused? quiet hours? a learned wait? then take the account lock and read the ledger entry
 *            and the offer, all at once: nothing can pause the channel or take the account in between;
 *   commit — the fence: is the account lock still this attempt's, and is the ledger entry the one admit
 *            read? (an attempt that stalled may have been overtaken by another that posted); a learned
 *            wait may have arrived for the app meanwhile; take a slot in every limit window and write
 *            the ledger's "sending" (before the network call), or neither;
 *   finish — the call succeeded: settle the slot at the call's end, ledger "posted", last post time,
 *            counter, a wait the answer taught, release the account lock, and read the offer's state
 *            (it may have changed while the post was in flight).
 *
 * Each step is one script (src/redis/lua/admit.lua, commit-send.lua, finish-post.lua) made of the
 * functions the stores (ledger, limits, gate) share in src/redis/lua/includes/; together they cost three round trips instead of about fifteen, which
 * is what lets one worker keep up with a burst (issue #7, `npm run bench`).
 */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys, LimitBudget } from '../redis/keys.ts';
import type { LimitWindow } from '../config/schema.ts';
import type { NetworkName } from '../domain/offer.ts';
import { bindScript, SCRIPTS } from '../redis/scripts.ts';
import { scriptNow, onCallerClock, type ScriptClock } from '../redis/clock.ts';
import { windowItems, WAITER_STALE_MS } from '../limits/sliding-window.ts';
import { decodeLedger, recentMember, trimRecentNow, type LedgerEntry } from '../ledger/ledger.ts';
import { decodeOffer, type StoredOffer } from '../ledger/offers.ts';
import { postCounterField, type PostOutcomeLabel } from '../state/counters.ts';

export interface AttemptSubject {
  publisher: string;
  network: NetworkName;
  offerKey: string;
  accountKey: string;
  appKey: string;
}

export type Admission =
  | { kind: 'paused' }
  | { kind: 'quiet' }
  | { kind: 'wait'; until: number }
  | { kind: 'busy' }
  | { kind: 'admitted'; ledger: LedgerEntry | null; offer: StoredOffer | null };

/**
 * `fenced`: the attempt no longer holds the account lock (`lock`), or its ledger entry changed since
 * admit (`ledger`): another attempt may have taken over and posted. Nothing was written.
 */
export type Commitment = { kind: 'ok' } | { kind: 'wait' | 'limit'; until: number } | { kind: 'fenced'; why: 'lock' | 'ledger' };

function pairs(flat: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const a = flat as string[];
  for (let i = 0; i + 1 < a.length; i += 2) out[a[i]!] = a[i + 1]!;
  return out;
}

/**
 * The instants it returns (`until`, a ledger's `sendingSince`) are on the caller's clock, whatever
 * clock the scripts decided by (src/redis/clock.ts): createRuntime passes clock 'redis'.
 */
export class AttemptStore {
  private readonly admitScript;
  private readonly commitScript;
  private readonly finishScript;
  private readonly slotScript;
  private readonly clock: ScriptClock;

  constructor(redis: RedisClient, private readonly keys: Keys, opts: { clock?: ScriptClock } = {}) {
    this.admitScript = bindScript(redis, SCRIPTS.admit);
    this.commitScript = bindScript(redis, SCRIPTS.commitSend);
    this.finishScript = bindScript(redis, SCRIPTS.finishPost);
    this.slotScript = bindScript(redis, SCRIPTS.takeSlot);
    this.clock = opts.clock ?? 'caller';
  }

  private waitKeys(s: { accountKey: string; appKey: string }) {
    return { accountWait: this.keys.learnedWait(s.accountKey), appWait: this.keys.learnedWait(s.appKey) };
  }

  /**
   * Step 1: see the docblock. On `admitted` the caller holds the account lock under `token`, and the
   * entry's `rev` is what commitSend must find again.
   */
  async admit(s: AttemptSubject, o: { now: number; token: string; lockTtlMs: number; quiet: boolean; readOffer: boolean }): Promise<Admission> {
    const k = this.keys;
    const res = (await this.admitScript(
      { channelState: k.channelState(s.publisher, s.network), lock: k.accountLock(s.accountKey), ledger: k.ledger(s.publisher, s.network, s.offerKey), offer: k.offer(s.publisher, s.offerKey), ...this.waitKeys(s) },
      { now: scriptNow(this.clock, o.now), token: o.token, lockTtlMs: o.lockTtlMs, quiet: o.quiet ? 1 : 0, readOffer: o.readOffer ? 1 : 0 },
    )) as [string, unknown?, unknown?, number?];
    switch (res[0]) {
      case 'paused': return { kind: 'paused' };
      case 'quiet': return { kind: 'quiet' };
      case 'busy': return { kind: 'busy' };
      case 'wait': return { kind: 'wait', until: onCallerClock(Number(res[1]), Number(res[2]), o.now) };
      default: {
        const ledger = decodeLedger(pairs(res[1]));
        // Written on the scripts' clock; the caller compares it with its own.
        if (ledger?.sendingSince) ledger.sendingSince = onCallerClock(ledger.sendingSince, Number(res[3]), o.now);
        return { kind: 'admitted', ledger, offer: decodeOffer(pairs(res[2])) };
      }
    }
  }

  /**
   * Step 2, right before the network call. The fence first: the attempt must still hold the account
   * lock under `token`, and the ledger entry must still be at `rev` (as admit read it). Then a slot in
   * every window and the ledger's "sending", or neither (with when to come back).
   */
  async commitSend(s: AttemptSubject, o: { now: number; token: string; rev: number; slot: string; windows: readonly LimitWindow[]; text: string; contentHash?: string; inFlightMs: number; waiter: string }): Promise<Commitment> {
    const k = this.keys;
    const res = (await this.commitScript(
      { ledger: k.ledger(s.publisher, s.network, s.offerKey), lock: k.accountLock(s.accountKey), ...this.waitKeys(s), waiters: k.limitWaiters(s.accountKey, 'post'), doubt: k.inDoubt(s.publisher, s.network) },
      { now: scriptNow(this.clock, o.now), at: o.now, token: o.token, rev: o.rev, slot: o.slot, text: o.text, contentHash: o.contentHash ?? '',
        inFlightMs: Math.ceil(o.inFlightMs), waiter: o.waiter, staleMs: WAITER_STALE_MS, key: s.offerKey },
      windowItems(k, s.accountKey, o.windows),
    )) as [string, string | number, number?];
    if (res[0] === 'ok') return { kind: 'ok' };
    if (res[0] === 'fenced') return { kind: 'fenced', why: res[1] === 'lock' ? 'lock' : 'ledger' };
    return { kind: res[0] as 'wait' | 'limit', until: onCallerClock(Number(res[1]), Number(res[2]), o.now) };
  }

  /**
   * A slot in every modification window for an edit or a delete (under the account lock), unless a
   * learned wait holds the account or its app back. Returns the slot's name or when to come back.
   */
  async takeSlot(s: { accountKey: string; appKey: string }, o: { now: number; slot: string; windows: readonly LimitWindow[]; inFlightMs: number; waiter: string; budget?: LimitBudget }): Promise<Exclude<Commitment, { kind: 'fenced' }>> {
    const budget = o.budget ?? 'modify';
    const res = (await this.slotScript(
      { ...this.waitKeys(s), waiters: this.keys.limitWaiters(s.accountKey, budget) },
      { now: scriptNow(this.clock, o.now), slot: o.slot, inFlightMs: Math.ceil(o.inFlightMs), waiter: o.waiter, staleMs: WAITER_STALE_MS },
      windowItems(this.keys, s.accountKey, o.windows, budget),
    )) as [string, number, number?];
    if (res[0] === 'ok') return { kind: 'ok' };
    return { kind: res[0] as 'wait' | 'limit', until: onCallerClock(Number(res[1]), Number(res[2]), o.now) };
  }

  /**
   * Step 3, after a post that the network accepted (or that reconciliation found): everything at once.
   * `slot` is settled when given; the lock is released when `token` is given. Returns the offer's state
   * and content version as they are now (null when the offer is not stored).
   */
  async finishPosted(s: AttemptSubject, o: {
    now: number; remoteId: string; permalink: string; contentHash?: string; outcome: PostOutcomeLabel;
    slot?: string; windows: readonly LimitWindow[]; token?: string; wait?: { scopeKey: string; until: number };
  }): Promise<{ state: StoredOffer['state']; contentHash: string } | null> {
    const k = this.keys;
    const windows = o.slot ? o.windows : [];
    const [state, contentHash] = (await this.finishScript(
      { ledger: k.ledger(s.publisher, s.network, s.offerKey), recent: k.recentPosts(), channelState: k.channelState(s.publisher, s.network), counters: k.counters(), offer: k.offer(s.publisher, s.offerKey),
        lock: k.accountLock(s.accountKey), wait: k.learnedWait(o.wait?.scopeKey ?? s.accountKey), doubt: k.inDoubt(s.publisher, s.network) },
      { now: scriptNow(this.clock, o.now), at: o.now, slot: o.slot ?? '', member: recentMember(s.publisher, s.network, s.offerKey), remoteId: o.remoteId, permalink: o.permalink,
        contentHash: o.contentHash ?? '', trim: trimRecentNow() ? 1 : 0, counterField: postCounterField(s.publisher, s.network, o.outcome), token: o.token ?? '',
        waitForMs: o.wait ? Math.max(0, Math.ceil(o.wait.until - o.now)) : 0, key: s.offerKey },
      windowItems(k, s.accountKey, windows),
    )) as [string | null, string | null];
    return contentHash ? { state: (state || 'open') as StoredOffer['state'], contentHash } : null;
  }
}
