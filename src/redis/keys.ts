// SPDX-License-Identifier: EUPL-1.2
/**
 * Every Redis key the service writes (besides BullMQ's own, which live under `{prefix}:{queue}:`),
 * in one place so the layout can be read at a glance. All keys share the deployment prefix; on Redis
 * Cluster the prefix is a hash tag, so every key below lives in one slot and Lua scripts may touch
 * several of them.
 */
import { createHash } from 'node:crypto';
import type { NetworkName } from '../domain/offer.ts';

export function shortHash(text: string, len = 16): string {
  return createHash('sha256').update(text).digest('hex').slice(0, len);
}

/** How jobs and stored offers name a feed without carrying its URL (which may hold a key). */
export function feedRef(url: string): string {
  return shortHash(url, 16);
}

export function keysFor(prefix: string) {
  const k = (...parts: string[]) => [prefix, ...parts].join(':');
  return {
    prefix,
    /** Hash: one offer as last seen (data JSON, contentHash, feed, firstSeenAt, seenAt, state). */
    offer: (pub: string, key: string) => k('offer', pub, key),
    /** Sorted set of a publisher's offer keys by first-seen time (dashboard listing and search). */
    offerIndex: (pub: string) => k('offers', pub),
    /** Sorted set of a publisher's open offer keys by validThrough (ms): the expiry sweep reads only what is due. */
    expiries: (pub: string) => k('expiries', pub),
    /** Hash: feed health and conditional-GET validators. */
    feed: (pub: string, url: string) => k('feed', pub, shortHash(url)),
    /** String: one poll of a feed at a time (an older body applied last would "withdraw" newer offers). */
    pollLock: (pub: string, url: string) => k('polllock', pub, shortHash(url)),
    /** Set: offer keys the feed tracks: present in its last poll, or missing but not yet counted gone (withdrawal detection). */
    feedItems: (pub: string, url: string) => k('feeditems', pub, shortHash(url)),
    /** Hash: tracked offer keys missing from the feed's last poll → consecutive complete polls they were missing from. */
    feedMissing: (pub: string, url: string) => k('feedmissing', pub, shortHash(url)),
    /** Hash: a portal page's offer pages (offer identity → validators, listing entry, when read, the offer read) and `@listing` (its last links). */
    pageOffers: (pub: string, url: string) => k('pageoffers', pub, shortHash(url)),
    /** Sorted set of a publisher's offer (and digest) keys by when they ended (closed, cancelled, or left every feed): the pruner's work list. */
    ended: (pub: string) => k('ended', pub),
    /** Sorted set of a publisher's offer keys by when a feed reopened them (their posts are checked again for a while). */
    reopened: (pub: string) => k('reopened', pub),
    /** Hash: publisher → first-seen time up to which the pruner has looked for ended offers missing from `ended` (offers from before it existed). */
    prunerCursor: () => k('pruner', 'cursor'),
    /** String: one run of a background duty at a time across the deployment (src/duties). */
    dutyLock: (name: string) => k('duty', name),
    /** Hash: what happened to one offer on one channel (state, remote id, permalink, times, last error). */
    ledger: (pub: string, net: NetworkName, key: string) => k('ledger', pub, net, key),
    /**
     * Sorted set of one publisher×network's offer (and digest) keys whose ledger entry is in doubt, by
     * when it entered doubt: `sending`/`unknown`, or `posted` with an empty remote id that no operator
     * confirmed. Written in the same atomic step as the entry (src/redis/lua/includes/doubt.lua), so the
     * sweeper and the `banditore_posts_in_doubt` gauge read it instead of scanning the ledger.
     */
    inDoubt: (pub: string, net: NetworkName) => k('doubt', pub, net),
    /** Hash: publisher → how many of its offers (by first sighting) the sweeper's catch-up has put in the index of entries in doubt, or `done`. */
    sweeperCursor: () => k('sweeper', 'cursor'),
    /** Hash: offer key → the job id the sweeper last queued for it (src/duties/sweeper.ts), or `operator` once it left it to one. */
    swept: (pub: string, net: NetworkName) => k('swept', pub, net),
    /** Sorted set of `pub|net|key` by post time: the latest posts. */
    recentPosts: () => k('recent'),
    /**
     * Sorted set, one per limit window of an account (the sliding-window log), keyed by what the window
     * is (`limit:{account}:100per900000`), not by its place in the config: reordering `limits` keeps
     * each window's count. Windows written under the older keys (`limit:{account}:0`) are ignored and
     * expire by themselves within their window. Modifications (edits, deletes) count in windows of their
     * own (`limit:{account}:modify:50per900000`): a network counts them apart from posts.
     */
    limitWindow: (accountKey: string, window: { max: number; per: number }, budget: LimitBudget = 'post') =>
      budget === 'post' ? k('limit', accountKey, `${window.max}per${window.per}`) : k('limit', accountKey, budget, `${window.max}per${window.per}`),
    /** Sorted set: an account's jobs waiting for a slot of one budget, by the wake each was given (staggered wakes). */
    limitWaiters: (accountKey: string, budget: LimitBudget = 'post') => k('limitwait', accountKey, budget),
    /** Sorted set: the offer keys a channel's quiet hours held until `endMs`, by when each was first held (src/limits/quiet-release.ts). */
    quietHeld: (pub: string, net: NetworkName, endMs: number) => k('quiet', pub, net, String(endMs)),
    /** String: one request in flight per account. */
    accountLock: (accountKey: string) => k('lock', accountKey),
    /** String (epoch ms): a wait learned from the network for an account or an app. */
    learnedWait: (scopeKey: string) => k('wait', scopeKey),
    /** Hash: a publisher's channel run state (paused, why, since, last error, last post). */
    channelState: (pub: string, net: NetworkName) => k('channel', pub, net),
    /** Set of job ids held while the channel is paused. */
    held: (pub: string, net: NetworkName) => k('held', pub, net),
    /**
     * Anything a channel keeps of its own (a newsletter's subscribers, an outbox), under `ch:{network}:`:
     * the channel's folder names the rest of the key and documents it.
     */
    channelData: (net: NetworkName, ...parts: string[]) => k('ch', net, ...parts),
    /** List (newest first) of operator actions. */
    audit: () => k('audit'),
    /** List (newest first) of the operator actions that touched one publisher: what its people may read. */
    auditOf: (pub: string) => k('audit', 'pub', pub),
    /** Stream of failed sign-ins, apart from the actions (guessing cannot push them out). */
    signInFailures: () => k('audit', 'signin-failures'),
    /** Hash: one dashboard session, by the sha256 of its cookie value (expires when idle). */
    session: (idHash: string) => k('session', idHash),
    /** Hash: a sign-in with the identity provider in progress (state, nonce, PKCE verifier), by cookie hash. */
    oidcPending: (idHash: string) => k('oidc', idHash),
    /** Hash of deployment-wide counters (every process adds to them). */
    counters: () => k('counters'),
    /** Hash: offer key → the key of the offer it re-issues (ClicLavoro codiceoffertaprecedente), per publisher. */
    sourcesAlias: (pub: string) => k('alias', pub),
    /** String: one process's claim on an inbox file (path+size+mtime), with a TTL. */
    sourcesClaim: (pub: string, id: string) => k('inboxclaim', pub, id),
    /** String (JSON): what an inbox document with this content hash became, written before the file moves. */
    sourcesResult: (pub: string, contentHash: string) => k('intake', pub, contentHash),
  };
}

export type Keys = ReturnType<typeof keysFor>;

/** Which of an account's budgets a call spends: posts, or modifications (edits and deletes). */
export type LimitBudget = 'post' | 'modify';
