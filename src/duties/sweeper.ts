// SPDX-License-Identifier: EUPL-1.2
/**
 * The sweeper (like Oban's Lifeline): a post whose outcome stayed unknown after its last attempt —
 * `sending` left by a killed worker, `unknown` after attempts spent on a network that could not be
 * read, a digest that never went out — has no job left to find out, and would stay in doubt forever.
 * Each pass reads the index of entries in doubt (keys.inDoubt, kept by the ledger's own scripts), and
 * for every entry whose job is gone, failed or finished, queues its delivery job again under an id made
 * of the entry's `rev`: two sweeps that see the same entry queue one job, and the job reconciles as any
 * attempt does (src/delivery/reconcile.ts): it reads where the network allows, sends the stored text
 * again where the network detects duplicates. A network that can never read and cannot resend safely
 * (readsPosts 'never' without a duplicate rule) is left to the operator, said once per entry.
 *
 * It also releases the held jobs of a channel that is not paused (a resume that stopped half-way).
 * `posted` entries without the network's id (X said "duplicate" while the account could not be read)
 * are looked up where the channel can read now (a few per pass: reads have limits of their own), and
 * get their id; elsewhere an operator confirms them ("segna come pubblicato").
 */
import type { NetworkName } from '../domain/offer.ts';
import type { Config } from '../config/schema.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { OfferStore } from '../ledger/offers.ts';
import type { ChannelEntry } from '../delivery/deps.ts';
import { isInDoubt, settleMs, LEFT_TO_OPERATOR } from '../ledger/doubt.ts';
import type { ChannelBook } from '../delivery/deps.ts';
import type { ChannelStates } from '../state/channel-state.ts';
import type { QueueSet } from '../queue/queues.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import { jobIdFor, type DeliveryTask } from '../delivery/task.ts';
import { READS_REFUSED_TTL_MS } from '../delivery/reconcile.ts';
import type { Duty, DutyContext, DutyReport } from './duty.ts';

export const SWEEPER_INTERVAL_MS = 60_000;
/** Entries looked at per channel per pass; the next pass goes on. */
const PER_CHANNEL = 200;
/** Offers per publisher per pass whose entries the one-time catch-up indexes (entries from before the index). */
const CATCH_UP = 1000;
/** Posts without their id looked up per channel per pass. */
const LOOKUPS = 10;
/** How far before the post the read looks (clocks differ; a busy account posts in between). */
const LOOK_BACK_MS = 10 * 60_000;
/** A job in one of these states will still look at its entry by itself. */
const LIVE = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

export interface SweeperServices {
  config: Config;
  ledger: Ledger;
  offers: OfferStore;
  book: ChannelBook;
  channels: ChannelStates;
  queues: QueueSet;
  redis: RedisClient;
  keys: Keys;
}

export function sweeperDuty(d: SweeperServices): Duty {
  return {
    name: 'sweeper',
    intervalMs: d.config.sweeper.interval,
    async run({ now, signal, logger }) {
      const report = { driven: 0, live: 0, leftToOperator: 0, unconfirmed: 0, idsFound: 0, stale: 0, released: 0, caughtUp: 0 } satisfies DutyReport;
      // Entries written before the index existed (an upgrade) are put in it first, a batch per pass.
      const byPublisher = new Map<string, NetworkName[]>();
      for (const e of d.book.all()) byPublisher.set(e.publisher.id, [...(byPublisher.get(e.publisher.id) ?? []), e.network]);
      for (const pub of d.config.publishers) {
        if (signal.aborted) break;
        report.caughtUp += (await d.ledger.catchUpDoubt(pub.id, byPublisher.get(pub.id) ?? [], CATCH_UP, now())).found;
      }
      const before = now() - settleMs(d.config.worker.postTimeout);
      // Most channels have nothing in doubt and nothing held: two counts each, all at once (the
      // connection pipelines them), so an idle deployment of thousands of channels costs little per pass.
      const entries = d.book.all();
      const busy = await Promise.all(entries.map(async (e) => {
        const [doubt, held] = await Promise.all([d.ledger.countInDoubt(e.publisher.id, e.network, before), d.redis.scard(d.keys.held(e.publisher.id, e.network))]);
        return doubt > 0 || held > 0;
      }));
      for (const [i, entry] of entries.entries()) {
        if (signal.aborted) break;
        if (!busy[i]) continue;
        const pub = entry.publisher.id;
        const net = entry.network;
        const state = await d.channels.get(pub, net);
        // A paused channel holds its jobs on purpose: resume drives them (and the sweep after it).
        if (state.paused) continue;
        const held = await d.redis.smembers(d.keys.held(pub, net));
        if (held.length) report.released += await releaseHeld(d, net, held, pub);
        const sweptKey = d.keys.swept(pub, net);
        let lookups = (await canRead(d, entry, now())) ? LOOKUPS : 0;
        for (const { key } of await d.ledger.inDoubt(pub, net, before, PER_CHANNEL)) {
          const l = await d.ledger.get(pub, net, key);
          if (!l || !isInDoubt(l)) { await d.ledger.dropFromDoubt(pub, net, key); report.stale++; continue; }
          if (l.state === 'posted') {
            // Posted, its id unknown: look it up while this pass may still read this channel.
            const found = lookups > 0 ? await findMissingId(d, entry, key, l.postedAt ?? now(), now, logger) : 'not-read';
            lookups = found === 'failed' || found === 'not-read' ? 0 : lookups - 1;
            if (found === 'found') report.idsFound++; else report.unconfirmed++;
            continue;
          }
          const task: DeliveryTask = { kind: key.startsWith('digest-') ? 'digest' : 'post', publisher: pub, network: net, offerKey: key, ...(key.startsWith('digest-') ? { count: 0 } : {}) };
          const last = await d.redis.hget(sweptKey, key);
          if (last === LEFT_TO_OPERATOR) { report.leftToOperator++; continue; }
          if (await anyLive(d.queues, net, [jobIdFor(task), ...(last ? [last] : [])])) { report.live++; continue; }
          if (entry.definition.readsPosts === 'never' && !entry.definition.resendDetectsDuplicates) {
            await d.redis.hset(sweptKey, key, LEFT_TO_OPERATOR);
            logger.warn({ publisher: pub, channel: net, offer: key, state: l.state },
              'post in doubt on a network that cannot be read and cannot resend safely: left to the operator (segna come pubblicato / non pubblicato / invia comunque)');
            report.leftToOperator++;
            continue;
          }
          const variant = `sweep-${l.rev ?? 0}`;
          const jobId = jobIdFor(task, variant);
          // The same id finished before (the entry did not change since): let it run again.
          const old = await d.queues.queueOf(net).getJob(jobId);
          if (old && !LIVE.has(await old.getState())) await old.remove().catch(() => undefined);
          await d.redis.hset(sweptKey, key, jobId);
          await d.queues.addDeliveries([{ task, attempts: entry.config.attempts, variant }]);
          logger.info({ publisher: pub, channel: net, offer: key, job: jobId, state: l.state }, 'post in doubt with no job left: reconciling it again');
          report.driven++;
        }
      }
      return report;
    },
  };
}

/** Whether the sweeper may read this channel's posts now: a mode that reads, a network that can, credentials, no refusal remembered. */
async function canRead(d: SweeperServices, entry: ChannelEntry, now: number): Promise<boolean> {
  if (entry.credentials || entry.definition.readsPosts === 'never') return false;
  const mode = (entry.config as { reconcile?: string }).reconcile ?? 'auto';
  if (mode === 'resend' && entry.definition.resendDetectsDuplicates) return false;
  return !(await d.channels.readsRefused(entry.publisher.id, entry.network, now));
}

/**
 * Reads the account for a post recorded without its id, and records the id when found. `failed`: the
 * account cannot be read after all (a refusal of the access level is remembered, as reconciliation
 * remembers it); no more looks on this channel in this pass.
 */
async function findMissingId(d: SweeperServices, entry: ChannelEntry, key: string, postedAt: number, now: () => number, logger: DutyContext['logger']): Promise<'found' | 'absent' | 'failed' | 'not-read'> {
  const pub = entry.publisher.id;
  const net = entry.network;
  const stored = await d.offers.get(pub, key);
  if (!stored?.offer.url) return 'absent';
  try {
    const found = await entry.channel.findPostByUrl(stored.offer.url, { sinceMs: postedAt - LOOK_BACK_MS });
    if (!found?.remoteId) return 'absent';
    await d.ledger.update(pub, net, key, { remoteId: found.remoteId, permalink: found.permalink, updatedAt: now() }, ['reason']);
    logger.info({ publisher: pub, channel: net, offer: key, remoteId: found.remoteId }, 'found the id of a post recorded without it');
    return 'found';
  } catch (e) {
    if ((e as { readRefused?: boolean })?.readRefused) await d.channels.markReadsRefused(pub, net, now() + READS_REFUSED_TTL_MS);
    else logger.warn({ publisher: pub, channel: net, offer: key, err: e }, 'could not look for the id of a post recorded without it');
    return 'failed';
  }
}

async function anyLive(queues: QueueSet, net: DeliveryTask['network'], ids: string[]): Promise<boolean> {
  for (const id of ids) {
    const job = await queues.queueOf(net).getJob(id);
    if (job && LIVE.has(await job.getState())) return true;
  }
  return false;
}

/** Held jobs of a channel that runs: promote the delayed, retry the failed, forget the gone. */
async function releaseHeld(d: SweeperServices, net: DeliveryTask['network'], ids: string[], pub: string): Promise<number> {
  for (const id of ids) {
    const job = await d.queues.queueOf(net).getJob(id);
    if (!job) continue;
    const st = await job.getState();
    if (st === 'delayed') await job.promote().catch(() => undefined);
    else if (st === 'failed') await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }).catch(() => undefined);
  }
  await d.channels.released(pub, net, ids);
  return ids.length;
}
