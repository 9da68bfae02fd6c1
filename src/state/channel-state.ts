// SPDX-License-Identifier: EUPL-1.2
/**
 * The run state of each publisher's channel: active or paused (by an auth failure, a usage cap or an
 * operator), with the reason, plus the ids of the jobs held while paused so that resume releases them.
 * An automatic pause alerts once per incident: the incident ends when an operator resumes.
 */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import type { NetworkName } from '../domain/offer.ts';
import type { ErrorClass } from '../channels/channel.ts';
import type { PauseKind } from './operator.ts';

export interface ChannelRunState {
  paused: boolean;
  kind?: PauseKind;
  reason?: string;
  since?: number;
  by?: string;
  lastErrorClass?: ErrorClass;
  lastError?: string;
  lastErrorAt?: number;
  /** Written by an attempt's finish step (src/delivery/attempt-store.ts). */
  lastPostAt?: number;
  /** The account's limit and wait keys, as the last worker with its credentials computed them. */
  accountKey?: string;
  appKey?: string;
  /** Until when the account's posts are known to be unreadable on its access level (X Free tier), epoch ms. */
  readsRefusedUntil?: number;
}

export class ChannelStates {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  async get(pub: string, net: NetworkName): Promise<ChannelRunState> {
    const h = await this.redis.hgetall(this.keys.channelState(pub, net));
    return {
      paused: h.paused === '1',
      kind: (h.kind || undefined) as PauseKind | undefined,
      reason: h.reason || undefined,
      since: h.since ? Number(h.since) : undefined,
      by: h.by || undefined,
      lastErrorClass: (h.lastErrorClass || undefined) as ErrorClass | undefined,
      lastError: h.lastError || undefined,
      lastErrorAt: h.lastErrorAt ? Number(h.lastErrorAt) : undefined,
      lastPostAt: h.lastPostAt ? Number(h.lastPostAt) : undefined,
      accountKey: h.accountKey || undefined,
      appKey: h.appKey || undefined,
      readsRefusedUntil: h.readsRefusedUntil ? Number(h.readsRefusedUntil) : undefined,
    };
  }

  /**
   * Remembers each channel's account keys (secret-free: an id or a hash), written by the workers at start.
   * A process without the credentials (the dashboard, `banditore status`) cannot compute an X account's
   * key, which is a hash of its token, and reads it here to show that account's limit windows.
   */
  async recordAccounts(accounts: Array<{ publisher: string; network: NetworkName; accountKey: string; appKey: string }>): Promise<void> {
    if (!accounts.length) return;
    const multi = this.redis.multi();
    for (const a of accounts) multi.hset(this.keys.channelState(a.publisher, a.network), { accountKey: a.accountKey, appKey: a.appKey });
    await multi.exec();
  }

  /**
   * Reconciliation learned that this account's posts cannot be read on its access level (X's Free tier):
   * remember it for a while, so each in-doubt post does not ask again; a tier upgrade is noticed after.
   */
  async markReadsRefused(pub: string, net: NetworkName, until: number): Promise<void> {
    await this.redis.hset(this.keys.channelState(pub, net), 'readsRefusedUntil', until);
  }

  async readsRefused(pub: string, net: NetworkName, now: number): Promise<boolean> {
    const until = Number(await this.redis.hget(this.keys.channelState(pub, net), 'readsRefusedUntil'));
    return Number.isFinite(until) && until > now;
  }

  /** Pauses the channel; returns true only for the call that started the incident (alert once). */
  async pause(pub: string, net: NetworkName, kind: PauseKind, reason: string, now: number, by?: string): Promise<boolean> {
    const k = this.keys.channelState(pub, net);
    // HSETNX decides who starts the incident: only that caller writes the reason and alerts.
    const first = await this.redis.hsetnx(k, 'paused', '1');
    if (first) await this.redis.hset(k, { kind, reason: reason.slice(0, 500), since: now, by: by ?? '' });
    return first === 1;
  }

  /** Resumes; returns the held job ids, which the caller releases. */
  async resume(pub: string, net: NetworkName): Promise<string[]> {
    const k = this.keys.channelState(pub, net);
    await this.redis.multi().hdel(k, 'paused', 'kind', 'reason', 'since', 'by').exec();
    const held = await this.redis.smembers(this.keys.held(pub, net));
    return held;
  }

  async hold(pub: string, net: NetworkName, jobId: string): Promise<void> {
    await this.redis.sadd(this.keys.held(pub, net), jobId);
  }

  async released(pub: string, net: NetworkName, jobIds: string[]): Promise<void> {
    if (jobIds.length) await this.redis.srem(this.keys.held(pub, net), ...jobIds);
  }

  async heldCount(pub: string, net: NetworkName): Promise<number> {
    return this.redis.scard(this.keys.held(pub, net));
  }

  async recordError(pub: string, net: NetworkName, errorClass: ErrorClass, message: string, now: number): Promise<void> {
    await this.redis.hset(this.keys.channelState(pub, net), { lastErrorClass: errorClass, lastError: message.slice(0, 500), lastErrorAt: now });
  }
}
