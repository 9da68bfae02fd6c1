/**
 * The Redis side of one delivery attempt, in three atomic steps (one round trip each):
 *
 *   admit  — paused? quiet hours? a learned wait? then take the account lock and read the ledger entry
 *            and the offer, all at once: nothing can pause the channel or take the account in between;
 *   commit — a learned wait may have arrived for the app meanwhile; take a slot in every limit window
 *            and write the ledger's "sending" (before the network call), or neither;
 *   finish — the call succeeded: settle the slot at the call's end, ledger "posted", last post time,
 *            counter, a wait the answer taught, release the account lock, and read the offer's state
 *            (it may have changed while the post was in flight).
 *
 * Each step is the same work the stores (ledger, limits, gate, channel state, counters) do one by one,
 * through their own Lua functions; together they cost three round trips instead of about fifteen, which
 * is what lets one worker keep up with a burst (issue #7, `npm run bench`).
 */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import type { LimitWindow } from '../config/schema.ts';
import type { NetworkName } from '../domain/offer.ts';
import { defineScript, type RunScript } from '../redis/scripts.ts';
import { WINDOWS_LUA, windowArgs } from '../limits/sliding-window.ts';
import { GATE_LUA } from '../limits/account-gate.ts';
import { LEDGER_LUA, decodeLedger, recentMember, trimRecentNow, type LedgerEntry } from '../ledger/ledger.ts';
import { decodeOffer, type StoredOffer } from '../ledger/offers.ts';
import { postCounterField, type PostOutcomeLabel } from '../state/counters.ts';

function learnedWaitLua(first: number): string {
  return `
local function learned_wait()
  local w = 0
  for i = ${first}, #KEYS do
    local v = tonumber(redis.call('GET', KEYS[i]) or '0')
    if v > w then w = v end
  end
  return w
end`;
}

// KEYS: channel state, account lock, ledger, offer, then the learned-wait keys (account, app).
// ARGV: now, lock token, lock ttl, quiet (1/0), read the offer (1/0).
const ADMIT = `${learnedWaitLua(5)}
if redis.call('HGET', KEYS[1], 'paused') == '1' then return {'paused'} end
if ARGV[4] == '1' then return {'quiet'} end
local w = learned_wait()
if w > tonumber(ARGV[1]) then return {'wait', tostring(w)} end
if not redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3], 'NX') then return {'busy'} end
local offer = {}
if ARGV[5] == '1' then offer = redis.call('HGETALL', KEYS[4]) end
return {'admitted', redis.call('HGETALL', KEYS[3]), offer}`;

// KEYS: ledger, the learned-wait keys (account, app), then the limit windows.
// ARGV: now, slot name, text, content hash, number of windows, then the windows' triples.
const COMMIT = `${WINDOWS_LUA}
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[5])
local w = 0
for i = 2, #KEYS - n do
  local v = tonumber(redis.call('GET', KEYS[i]) or '0')
  if v > w then w = v end
end
if w > now then return {'wait', tostring(w)} end
local free = take_windows(#KEYS - n + 1, n, 6, now, ARGV[2])
if free > 0 then return {'limit', tostring(free)} end
${LEDGER_LUA}
mark_sending(KEYS[1], ARGV[1], ARGV[3], ARGV[4])
return {'ok'}`;

// KEYS: ledger, recent posts, channel state, counters, offer, account lock, learned wait, then windows.
// ARGV: now, slot ('' = none), recent member, remote id, permalink, content hash, trim (1/0), counter
// field, lock token ('' = keep the lock), wait until (0 = none), number of windows, then their triples.
const FINISH = `${WINDOWS_LUA}${GATE_LUA}${LEDGER_LUA}
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[11])
if ARGV[2] ~= '' then settle_windows(8, n, 12, now, ARGV[2]) end
mark_posted(KEYS[1], KEYS[2], ARGV[3], ARGV[1], ARGV[4], ARGV[5], ARGV[6], ARGV[7])
redis.call('HSET', KEYS[3], 'lastPostAt', ARGV[1])
redis.call('HINCRBY', KEYS[4], ARGV[8], 1)
local until_ms = tonumber(ARGV[10])
if until_ms > now then extend_wait(KEYS[7], until_ms, now) end
if ARGV[9] ~= '' then release_lock(KEYS[6], ARGV[9]) end
return redis.call('HMGET', KEYS[5], 'state', 'contentHash')`;

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

export type Commitment = { kind: 'ok' } | { kind: 'wait' | 'limit'; until: number };

function pairs(flat: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const a = flat as string[];
  for (let i = 0; i + 1 < a.length; i += 2) out[a[i]!] = a[i + 1]!;
  return out;
}

export class AttemptStore {
  private readonly admitScript: RunScript;
  private readonly commitScript: RunScript;
  private readonly finishScript: RunScript;

  constructor(redis: RedisClient, private readonly keys: Keys) {
    this.admitScript = defineScript(redis, 'banditoreAdmit', ADMIT);
    this.commitScript = defineScript(redis, 'banditoreCommitSend', COMMIT);
    this.finishScript = defineScript(redis, 'banditoreFinishPost', FINISH);
  }

  private waitKeys(s: AttemptSubject): string[] {
    return [this.keys.learnedWait(s.accountKey), this.keys.learnedWait(s.appKey)];
  }

  /** Step 1: see the docblock. On `admitted` the caller holds the account lock under `token`. */
  async admit(s: AttemptSubject, o: { now: number; token: string; lockTtlMs: number; quiet: boolean; readOffer: boolean }): Promise<Admission> {
    const k = this.keys;
    const res = (await this.admitScript(
      [k.channelState(s.publisher, s.network), k.accountLock(s.accountKey), k.ledger(s.publisher, s.network, s.offerKey), k.offer(s.publisher, s.offerKey), ...this.waitKeys(s)],
      [o.now, o.token, o.lockTtlMs, o.quiet ? 1 : 0, o.readOffer ? 1 : 0],
    )) as [string, unknown?, unknown?];
    switch (res[0]) {
      case 'paused': return { kind: 'paused' };
      case 'quiet': return { kind: 'quiet' };
      case 'busy': return { kind: 'busy' };
      case 'wait': return { kind: 'wait', until: Number(res[1]) };
      default: return { kind: 'admitted', ledger: decodeLedger(pairs(res[1])), offer: decodeOffer(pairs(res[2])) };
    }
  }

  /** Step 2: a slot in every window and the ledger's "sending", or neither (with when to come back). */
  async commitSend(s: AttemptSubject, o: { now: number; slot: string; windows: readonly LimitWindow[]; text: string; contentHash?: string }): Promise<Commitment> {
    const windowKeys = o.windows.map((_, i) => this.keys.limitWindow(s.accountKey, i));
    const res = (await this.commitScript(
      [this.keys.ledger(s.publisher, s.network, s.offerKey), ...this.waitKeys(s), ...windowKeys],
      [o.now, o.slot, o.text, o.contentHash ?? '', o.windows.length, ...windowArgs(o.windows)],
    )) as [string, string?];
    return res[0] === 'ok' ? { kind: 'ok' } : { kind: res[0] as 'wait' | 'limit', until: Number(res[1]) };
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
      [k.ledger(s.publisher, s.network, s.offerKey), k.recentPosts(), k.channelState(s.publisher, s.network), k.counters(), k.offer(s.publisher, s.offerKey),
        k.accountLock(s.accountKey), k.learnedWait(o.wait?.scopeKey ?? s.accountKey), ...windows.map((_, i) => k.limitWindow(s.accountKey, i))],
      [o.now, o.slot ?? '', recentMember(s.publisher, s.network, s.offerKey), o.remoteId, o.permalink, o.contentHash ?? '', trimRecentNow() ? 1 : 0,
        postCounterField(s.publisher, s.network, o.outcome), o.token ?? '', o.wait ? Math.ceil(o.wait.until) : 0, windows.length, ...windowArgs(windows)],
    )) as [string | null, string | null];
    return contentHash ? { state: (state || 'open') as StoredOffer['state'], contentHash } : null;
  }
}
