// SPDX-License-Identifier: EUPL-1.2
/**
 * Posts in doubt as operators see them, and what they may do about one (RedisOperatorService delegates
 * here): list and count them from the index (keys.inDoubt), "segna come pubblicato", "segna come non
 * pubblicato" and "invia comunque". Scope checks are the caller's (operator-service.ts), before this runs.
 *
 * Each action is one ledger write (src/redis/lua/ledger-update.lua), so the index follows at once, and
 * its `rev` fences an attempt that was between admit and commit (it sends nothing and looks again).
 */
import type { NetworkName, JobOffer } from '../domain/offer.ts';
import type { Ledger, LedgerEntry } from '../ledger/ledger.ts';
import type { OfferStore } from '../ledger/offers.ts';
import type { ChannelBook } from '../delivery/deps.ts';
import type { QueueSet } from '../queue/queues.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import { jobIdFor, type DeliveryTask } from '../delivery/task.ts';
import { isInDoubt, settleMs, LEFT_TO_OPERATOR } from '../ledger/doubt.ts';
import { NotFoundError } from './scope.ts';
import type { InDoubtPost } from './operator.ts';

export interface DoubtDeps {
  ledger: Ledger;
  offers: OfferStore;
  book: ChannelBook;
  queues: QueueSet;
  redis: RedisClient;
  keys: Keys;
  now: () => number;
  postTimeoutMs: number;
}

const LIVE = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

function taskOf(publisher: string, network: NetworkName, key: string): DeliveryTask {
  const digest = key.startsWith('digest-');
  return { kind: digest ? 'digest' : 'post', publisher, network, offerKey: key, ...(digest ? { count: 0 } : {}) };
}

export class DoubtDesk {
  constructor(private readonly d: DoubtDeps) {}

  private before(): number { return this.d.now() - settleMs(this.d.postTimeoutMs); }

  async counts(sees: (publisher: string) => boolean): Promise<Array<{ publisher: string; network: NetworkName; value: number }>> {
    const before = this.before();
    const mine = this.d.book.all().filter((e) => sees(e.publisher.id));
    return Promise.all(mine.map(async (e) => ({ publisher: e.publisher.id, network: e.network, value: await this.d.ledger.countInDoubt(e.publisher.id, e.network, before) })));
  }

  async list(sees: (publisher: string) => boolean, filter: { publisher?: string; limit?: number } = {}, code: (o: JobOffer) => string | undefined = () => undefined): Promise<InDoubtPost[]> {
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const before = this.before();
    const out: InDoubtPost[] = [];
    const mine = this.d.book.all().filter((e) => sees(e.publisher.id) && (!filter.publisher || filter.publisher === e.publisher.id));
    // Every channel's index at once (the dashboard asks on each overview; most channels have none).
    const hits = await Promise.all(mine.map((e) => this.d.ledger.inDoubt(e.publisher.id, e.network, before, limit)));
    for (const [i, e] of mine.entries()) {
      const pub = e.publisher.id;
      const swept = this.d.keys.swept(pub, e.network);
      for (const { key, since } of hits[i]!) {
        const l = await this.d.ledger.get(pub, e.network, key);
        if (!l || !isInDoubt(l)) continue;
        const stored = await this.d.offers.get(pub, key);
        const c = stored ? code(stored.offer) : undefined;
        const left = (e.definition.readsPosts === 'never' && !e.definition.resendDetectsDuplicates) || (await this.d.redis.hget(swept, key)) === LEFT_TO_OPERATOR;
        out.push({
          publisher: pub, network: e.network, offerKey: key, title: stored?.offer.title ?? (key.startsWith('digest-') ? 'Riepilogo offerte' : key),
          ...(c ? { code: c } : {}), state: l.state, since, attempts: l.attempts,
          ...(l.lastError ? { lastError: l.lastError } : {}), ...(l.text ? { text: l.text } : {}), leftToOperator: left,
        });
      }
    }
    return out.sort((a, b) => a.since - b.since).slice(0, limit);
  }

  private async entryInDoubt(publisher: string, network: NetworkName, key: string, also: LedgerEntry['state'][] = []): Promise<LedgerEntry> {
    if (!this.d.book.get(publisher, network)) throw new NotFoundError(`not found: no ${network} channel for publisher ${publisher}`);
    const l = await this.d.ledger.get(publisher, network, key);
    if (!l || !(isInDoubt(l) || also.includes(l.state))) throw new NotFoundError(`not found: no post in doubt for ${publisher}/${network}/${key}`);
    return l;
  }

  async markPosted(publisher: string, network: NetworkName, key: string, who: string, found: { remoteId?: string; permalink?: string } = {}): Promise<void> {
    await this.entryInDoubt(publisher, network, key);
    const now = this.d.now();
    await this.d.ledger.update(publisher, network, key, {
      state: 'posted', remoteId: found.remoteId?.trim() ?? '', permalink: found.permalink?.trim() ?? '', postedAt: now, updatedAt: now,
      markedBy: who, markedAt: now, reason: `marked posted by ${who}`,
    }, ['errorClass', 'sendAnyway']);
    await this.d.redis.hdel(this.d.keys.swept(publisher, network), key);
  }

  async markNotPosted(publisher: string, network: NetworkName, key: string, who: string): Promise<void> {
    await this.entryInDoubt(publisher, network, key);
    const now = this.d.now();
    // `failed` with the operator's mark: an attempt still queued finds it and sends nothing (deliver.ts).
    await this.d.ledger.update(publisher, network, key, {
      state: 'failed', errorClass: 'permanent', lastError: `marked not posted by ${who}`, lastErrorAt: now, updatedAt: now,
      markedBy: who, markedAt: now, reason: `marked not posted by ${who}`,
    }, ['sendAnyway']);
    await this.dropJobs(publisher, network, key);
  }

  async sendAnyway(publisher: string, network: NetworkName, key: string, who: string): Promise<void> {
    const entry = this.d.book.get(publisher, network);
    await this.entryInDoubt(publisher, network, key, ['failed']);
    const now = this.d.now();
    // Out of doubt on purpose: the attempt sends the stored text without looking first (deliver.ts).
    await this.d.ledger.update(publisher, network, key, { state: 'queued', sendAnyway: '1', updatedAt: now, reason: `sent again by ${who}` }, ['markedBy', 'markedAt']);
    await this.dropJobs(publisher, network, key);
    const rev = (await this.d.ledger.get(publisher, network, key))?.rev ?? 0;
    const task = taskOf(publisher, network, key);
    const variant = `anyway-${rev}`;
    const old = await this.d.queues.queueOf(network).getJob(jobIdFor(task, variant));
    if (old) await old.remove().catch(() => undefined);
    await this.d.queues.addDeliveries([{ task, attempts: entry!.config.attempts, variant }]);
  }

  /** The entry's jobs that have not run yet go (a running one is fenced by the ledger's rev). */
  private async dropJobs(publisher: string, network: NetworkName, key: string): Promise<void> {
    const task = taskOf(publisher, network, key);
    const swept = this.d.keys.swept(publisher, network);
    const last = await this.d.redis.hget(swept, key);
    for (const id of [jobIdFor(task), ...(last && last !== LEFT_TO_OPERATOR ? [last] : [])]) {
      const job = await this.d.queues.queueOf(network).getJob(id);
      const state = job ? await job.getState() : undefined;
      // An active job holds BullMQ's lock and cannot be removed: the ledger's rev fences it instead.
      if (job && state && state !== 'active' && LIVE.has(state)) await job.remove().catch(() => undefined);
    }
    await this.d.redis.hdel(swept, key);
  }
}
