// SPDX-License-Identifier: EUPL-1.2
/**
 * The ledger: what happened to each (offer, channel). It is the source of truth for "already posted";
 * BullMQ job ids only deduplicate while a job exists. The state moves
 *   queued → sending (written BEFORE the network call) → posted | failed | unknown
 * and `sending`/`unknown` found at the start of an attempt means the last outcome is unknown: the post
 * is reconciled against the network before anything is sent again.
 */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import type { NetworkName } from '../domain/offer.ts';
import type { ErrorClass } from '../channels/channel.ts';
import type { PostState } from '../state/operator.ts';
import { bindScript, SCRIPTS } from '../redis/scripts.ts';

export interface LedgerEntry {
  state: PostState;
  remoteId?: string;
  permalink?: string;
  postedAt?: number;
  sendingSince?: number;
  updatedAt?: number;
  attempts: number;
  contentHash?: string;
  reason?: string;
  errorClass?: ErrorClass;
  lastError?: string;
  lastErrorAt?: number;
  closedAt?: number;
  /** The text as posted (or as it will be), for the dashboard preview. */
  text?: string;
  /**
   * One more on every write to the entry (here and in the attempt scripts, src/redis/lua/includes/ledger.lua):
   * an attempt compares the rev it read at admit with the one at commit, and sends nothing when they differ.
   */
  rev?: number;
  /** The operator who marked the post posted or not posted by hand ("segna come…"), and when. */
  markedBy?: string;
  markedAt?: number;
  /** '1': an operator asked to send the stored text again ("invia comunque"), knowing it may double. */
  sendAnyway?: string;
  /** What the entry was when closing its offer cancelled it (a reopen puts it back). */
  cancelledFrom?: PostState;
  /** When a feed last reopened the offer (src/poller/reopen-offer.ts). */
  reopenedAt?: number;
  /** How many times the post was deleted on close and posted again on reopen, and the last deleted post's id. */
  reposts?: number;
  repostOf?: string;
}

const NUMERIC = new Set(['postedAt', 'sendingSince', 'updatedAt', 'attempts', 'lastErrorAt', 'closedAt', 'reopenedAt', 'reposts', 'rev', 'markedAt']);

/** A ledger hash as Redis holds it (all strings) → an entry; null when there is none. */
export function decodeLedger(h: Record<string, string>): LedgerEntry | null {
  if (!h.state) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(h)) out[k] = NUMERIC.has(k) ? Number(v) : v;
  out.attempts ??= 0;
  return out as unknown as LedgerEntry;
}

/** The member of the "latest posts" sorted set for one post. */
export function recentMember(pub: string, net: NetworkName, key: string): string {
  return `${pub}|${net}|${key}`;
}

/** Keep the "latest posts" list bounded; trimming on one post in twenty is enough and saves work. */
export function trimRecentNow(): boolean {
  return Math.random() < 0.05;
}

export class Ledger {
  private readonly holdIfQueued;
  private readonly updateScript;

  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {
    this.holdIfQueued = bindScript(redis, SCRIPTS.holdIfQueued);
    this.updateScript = bindScript(redis, SCRIPTS.ledgerUpdate);
    this.reindexScript = bindScript(redis, SCRIPTS.reindexDoubt);
  }

  private readonly reindexScript;

  /**
   * The one-time catch-up for entries written before the index of entries in doubt existed: walks the
   * publisher's offers by first sighting, `limit` per call, from where the last call stopped (a cursor in
   * keys.sweeperCursor), and indexes each one's entry on each network by its state. Returns how many
   * entries it found in doubt, and whether it is done. (An offer pruned meanwhile shifts the walk by one:
   * at worst an old entry is looked at twice or once less; every entry written since is indexed anyway.)
   */
  async catchUpDoubt(pub: string, networks: readonly NetworkName[], limit: number, at: number): Promise<{ found: number; done: boolean }> {
    const cursorKey = this.keys.sweeperCursor();
    const cur = await this.redis.hget(cursorKey, pub);
    if (cur === 'done') return { found: 0, done: true };
    const from = Number(cur ?? 0);
    const keys = await this.redis.zrange(this.keys.offerIndex(pub), String(from), String(from + limit - 1));
    let found = 0;
    for (const key of keys) {
      for (const net of networks) found += Number(await this.reindexScript({ ledger: this.keys.ledger(pub, net, key), doubt: this.keys.inDoubt(pub, net) }, { key, at }));
    }
    const done = keys.length < limit;
    await this.redis.hset(cursorKey, pub, done ? 'done' : String(from + keys.length));
    return { found, done };
  }

  async get(pub: string, net: NetworkName, key: string): Promise<LedgerEntry | null> {
    return decodeLedger(await this.redis.hgetall(this.keys.ledger(pub, net, key)));
  }

  /** Creates the entry only if there is none; returns true when it was created. */
  async open(pub: string, net: NetworkName, key: string, state: 'queued' | 'skipped', now: number, reason?: string): Promise<boolean> {
    const k = this.keys.ledger(pub, net, key);
    const created = await this.redis.hsetnx(k, 'state', state);
    if (created) await this.redis.hset(k, { updatedAt: now, attempts: 0, rev: 1, ...(reason ? { reason } : {}) });
    return created === 1;
  }

  /**
   * One atomic write (src/redis/lua/ledger-update.lua): the fields, one more `rev`, and the index of
   * entries in doubt (keys.inDoubt) in step with the state it leaves.
   */
  async update(pub: string, net: NetworkName, key: string, fields: Partial<LedgerEntry>, remove: (keyof LedgerEntry)[] = []): Promise<void> {
    // Strings only: Lua's cjson reads numbers as doubles, and an epoch in ms would come back as 1.7e+12.
    const flat: Record<string, string> = {};
    for (const [f, v] of Object.entries(fields)) if (v !== undefined) flat[f] = String(v);
    const at = Number(fields.updatedAt ?? Date.now());
    await this.updateScript({ ledger: this.keys.ledger(pub, net, key), doubt: this.keys.inDoubt(pub, net) },
      { key, at, fields: JSON.stringify(flat), remove: JSON.stringify(remove) });
  }

  /**
   * The entries of one publisher×network in doubt (see keys.inDoubt) that entered doubt at or before
   * `before`, oldest first, at most `limit`.
   */
  async inDoubt(pub: string, net: NetworkName, before: number, limit: number): Promise<Array<{ key: string; since: number }>> {
    const rows = await this.redis.zrangebyscore(this.keys.inDoubt(pub, net), '-inf', before, 'WITHSCORES', 'LIMIT', 0, limit);
    const out: Array<{ key: string; since: number }> = [];
    for (let i = 0; i + 1 < rows.length; i += 2) out.push({ key: rows[i]!, since: Number(rows[i + 1]) });
    return out;
  }

  /** How many entries of one publisher×network are in doubt since `before` or earlier (one ZCOUNT). */
  async countInDoubt(pub: string, net: NetworkName, before: number): Promise<number> {
    return this.redis.zcount(this.keys.inDoubt(pub, net), '-inf', before);
  }

  /** Drops an index entry that no longer matches its ledger entry (a deleted entry, an old layout). */
  async dropFromDoubt(pub: string, net: NetworkName, key: string): Promise<void> {
    await this.redis.zrem(this.keys.inDoubt(pub, net), key);
  }

  /**
   * Shows a waiting post as held while its channel is paused. Only a `queued` entry moves: `sending` and
   * `unknown` must stay as they are, or the attempt after resume would skip reconciliation.
   */
  async markHeld(pub: string, net: NetworkName, key: string, now: number, reason: string): Promise<boolean> {
    const res = await this.holdIfQueued({ ledger: this.keys.ledger(pub, net, key) }, { at: now, reason: reason.slice(0, 500) });
    return Number(res) === 1;
  }

  async recordError(pub: string, net: NetworkName, key: string, state: PostState, errorClass: ErrorClass, message: string, now: number): Promise<void> {
    await this.update(pub, net, key, { state, errorClass, lastError: message.slice(0, 1000), lastErrorAt: now, updatedAt: now });
  }
}
