// SPDX-License-Identifier: EUPL-1.2
/**
 * The roles a process can play over one Redis: `run` (all of them), `poller`, `worker`, `dashboard`.
 * Each returns a stop function; SIGTERM/SIGINT stop taking work, let active jobs finish (a job that
 * cannot finish in time is left to the ledger's reconciliation), close connections and exit 0.
 */
import type { FastifyInstance } from 'fastify';
import type { Worker } from 'bullmq';
import type { Runtime } from './runtime.ts';
import { shortHash } from '../redis/keys.ts';
import { startDeliveryWorker, startPollWorker, backoffDelay } from '../queue/workers.ts';
import { RedisOperatorService } from '../state/operator-service.ts';
import { feedRef } from '../poller/poll-feed.ts';
import { createDashboard } from '../dashboard/server.ts';
import { checkRedisSafety } from './redis-safety.ts';
import { configuredNetworks, definitionOf, networkIds } from '../channels/registry.ts';
import { startDuties } from '../duties/runner.ts';
import { dutiesFor } from '../duties/registry.ts';
import { InboxWatcher } from '../sources/inbox.ts';
import { inboxDir } from '../sources/inbox-folder.ts';
import { lanesOf } from './lanes.ts';

export type Role = 'run' | 'poller' | 'worker' | 'dashboard';
export type Stop = () => Promise<void>;

export function feedScheduleId(publisher: string, url: string): string {
  return `feed.${publisher}.${shortHash(url, 12)}`;
}

export async function startWorkers(rt: Runtime): Promise<Stop> {
  const workers: Worker[] = [];
  const lanes: Record<string, number> = {};
  // One worker per network that some publisher uses.
  for (const net of new Set(rt.book.all().map((e) => e.network))) {
    lanes[net] = lanesOf(rt, net);
    workers.push(startDeliveryWorker(net, {
      connection: rt.redis, prefix: rt.prefix, logger: rt.logger,
      tuning: { concurrency: lanes[net] },
      process: (task, ctx) => rt.deliverer.attempt(task, ctx),
      backoff: (task, attemptsMade) => {
        const cfg = rt.book.get(task.publisher, task.network)?.config;
        return backoffDelay(cfg?.backoff ?? { initial: 5000, factor: 2, max: 900_000 }, attemptsMade);
      },
    }));
  }
  // A dashboard started without the channels' tokens reads the accounts' keys from here.
  await rt.channels.recordAccounts(rt.book.all().filter((e) => !e.credentials).map((e) => ({ publisher: e.publisher.id, network: e.network, accountKey: e.channel.accountKey, appKey: e.channel.appKey })));
  rt.logger.info({ queues: workers.map((w) => w.name), concurrency: lanes }, 'delivery workers started');
  return async () => { await Promise.all(workers.map((w) => w.close())); };
}

export async function startPoller(rt: Runtime): Promise<Stop> {
  const keep = new Set<string>();
  for (const p of rt.config.publishers) {
    // Portal pages are polled like feeds: their own schedule entry, under their URL.
    for (const f of [...p.feeds, ...p.pages]) {
      const id = feedScheduleId(p.id, f.url);
      keep.add(id);
      await rt.queues.schedulePoll(id, { publisher: p.id, feed: feedRef(f.url) }, f.pollInterval);
      // A feed that is new, or overdue after a stop, is polled soon rather than at its spread slot,
      // which may be a whole interval away; still spread a little, so a start is not a stampede.
      const due = (await rt.feeds.get(p.id, f.url)).status.nextPollAt;
      if (!due || due < rt.now()) await rt.queues.pollNow({ publisher: p.id, feed: feedRef(f.url) }, id, Math.floor(Math.random() * Math.min(f.pollInterval, 30_000)));
    }
  }
  const dropped = await rt.queues.dropStaleSchedules(keep);
  const worker = startPollWorker({
    connection: rt.redis, prefix: rt.prefix, logger: rt.logger, concurrency: 16,
    // Jobs queued by an older version carried the URL itself.
    process: async (t) => {
      const ref = t.feed ?? feedRef((t as unknown as { feedUrl: string }).feedUrl);
      const polled = await rt.poller.poll(t.publisher, ref);
      // Its host was busy with other feeds: the poll comes back at the turn the host gave it.
      if (polled.result === 'busy') await rt.queues.pollNow({ publisher: t.publisher, feed: ref }, `turn.${t.publisher}.${ref}`, polled.retryInMs ?? 1000);
    },
  });
  const inboxes = startInboxes(rt);
  rt.logger.info({ feeds: keep.size, inboxes: inboxes.length, droppedSchedules: dropped }, 'poller started');
  return async () => { await Promise.all(inboxes.map((s) => s())); await worker.close(); };
}

/** One watcher per publisher's inbox folder (src/sources/inbox.ts); several pollers share a folder safely. */
export function startInboxes(rt: Runtime): Stop[] {
  return rt.config.publishers.filter((p) => p.inbox).map((p) =>
    new InboxWatcher(rt.intake, p, { dir: inboxDir(rt.loaded.baseDir, p.inbox!.path), maxBytes: rt.config.fetch.maxBytes, now: rt.now }).start());
}

export async function startDashboard(rt: Runtime): Promise<{ stop: Stop; app: FastifyInstance; url: string }> {
  const operator = new RedisOperatorService(rt);
  const app = await createDashboard({
    config: rt.config.dashboard,
    operator,
    logger: rt.logger,
    isReady: async () => { try { return (await rt.redis.ping()) === 'PONG'; } catch { return false; } },
    queues: rt.queues.all(),
    redis: rt.redis,
    keys: rt.keys,
    publishers: rt.config.publishers.map((p) => ({ id: p.id, name: p.name, timezone: p.timezone, networks: configuredNetworks(p) })),
    publicRoutes: { routes: networksInUse(rt).flatMap((n) => definitionOf(n).publicRoutes ?? []), services: rt.services },
    upload: { publishers: rt.config.publishers, intake: rt.intake, now: rt.now, maxBytes: rt.config.fetch.maxBytes },
    ...(rt.config.publishers.some((p) => p.api) ? { offersApi: { publishers: rt.config.publishers, intake: rt.intake, now: rt.now, ...(rt.config.dashboard.publicUrl ? { publicUrl: rt.config.dashboard.publicUrl } : {}) } } : {}),
  });
  const url = await app.listen({ host: rt.config.dashboard.host, port: rt.config.dashboard.port });
  rt.logger.info({ url }, 'dashboard listening');
  return { app, url, stop: async () => { await app.close(); } };
}

export function startBackgroundDuties(rt: Runtime): Stop {
  // The service's own duties, then those of the networks in use (a newsletter's digest sender).
  const duties = [...dutiesFor({ config: rt.config, retention: rt.retention, ledger: rt.ledger, offers: rt.offers, closer: rt.closer, book: rt.book, channels: rt.channels, queues: rt.queues, redis: rt.redis, keys: rt.keys }), ...networksInUse(rt).flatMap((n) => definitionOf(n).duties?.(rt.services) ?? [])];
  return startDuties({ redis: rt.redis, keys: rt.keys, logger: rt.logger, now: rt.now }, duties);
}

/** The networks some publisher of this deployment has configured, in registry order. */
function networksInUse(rt: Runtime): string[] {
  const used = new Set(rt.config.publishers.flatMap((p) => configuredNetworks(p)));
  return networkIds().filter((n) => used.has(n));
}

export async function startRole(rt: Runtime, role: Role): Promise<Stop> {
  await checkRedisSafety(rt);
  const stops: Stop[] = [];
  if (role === 'run' || role === 'worker') stops.push(await startWorkers(rt));
  // Background duties (src/duties) run in every worker, one process at a time across the deployment.
  if (role === 'run' || role === 'worker') stops.push(startBackgroundDuties(rt));
  if (role === 'run' || role === 'poller') stops.push(await startPoller(rt));
  if (role === 'run' || role === 'dashboard') stops.push((await startDashboard(rt)).stop);
  return async () => {
    // Reverse order: stop taking feeds first, then let deliveries finish.
    for (const s of stops.reverse()) await s().catch((e) => rt.logger.error({ err: e }, 'error while stopping'));
    await rt.close();
  };
}
