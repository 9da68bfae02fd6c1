// SPDX-License-Identifier: EUPL-1.2
/**
 * One description of what operators see (two offices, their channels, offers, posts, failures, feeds,
 * counters and audit entries) that becomes either an in-memory operator or a real runtime on real Redis
 * seeded through the service's own stores and queues. The contract suite and the page tests build both
 * from the same World, so they assert the same things against both implementations.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { parseConfig, type LoadedConfig } from '../../src/config/load.ts';
import { readEnvironment } from '../../src/config/env.ts';
import { buildChannelBook, createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { RedisOperatorService } from '../../src/state/operator-service.ts';
import { startDeliveryWorker } from '../../src/queue/workers.ts';
import { GiveUp, jobIdFor } from '../../src/delivery/task.ts';
import { recentMember } from '../../src/ledger/ledger.ts';
import { previewLength } from '../../src/format/length.ts';
import { formatter } from '../../src/app/formatter.ts';
import { createLogger } from '../../src/log/logger.ts';
import { marginFor } from '../../src/limits/sliding-window.ts';
import type { AuditEntry, ChannelStatus, Counters, FeedStatus, OfferChannelView, OfferView, PauseKind, PostState } from '../../src/state/operator.ts';
import type { ErrorClass } from '../../src/channels/channel.ts';
import type { JobOffer, NetworkName } from '../../src/domain/offer.ts';
import { MemoryOperator } from './memory-operator.ts';
import { TEST_REDIS_URL, cleanPrefix, connectTestRedis, uniquePrefix } from './redis.ts';
import { waitFor } from './stack.ts';

export interface WorldPublisher { id: string; name: string; networks: NetworkName[]; feeds: string[]; timezone?: string }
export interface WorldPost {
  network: NetworkName;
  state: PostState;
  remoteId?: string;
  permalink?: string;
  postedAt?: number;
  /** The text as sent (the preview shows it). */
  text?: string;
  error?: { errorClass: ErrorClass; message: string; at: number };
  /** When the entry took its state (a post in doubt counts once it is older than the settle time). */
  since?: number;
}
export interface WorldOffer {
  publisher: string; key: string; code: string; title: string; url: string; firstSeenAt: number;
  state?: OfferView['state']; location?: string;
  /** Posts per network; a configured network left out has its post queued. */
  posts: WorldPost[];
}
export interface World {
  now: number;
  publishers: WorldPublisher[];
  offers: WorldOffer[];
  paused?: Array<{ publisher: string; network: NetworkName; kind: PauseKind; reason: string; since: number; by?: string }>;
  feeds?: Array<{ publisher: string; url: string; ok?: { at: number; items: number; fresh: number; nextPollAt: number }; failing?: { times: number; error: string; at: number; nextPollAt: number } }>;
  /** Failed delivery jobs (post jobs of an offer above). */
  failures?: Array<{ publisher: string; network: NetworkName; offerKey: string; errorClass: ErrorClass; message: string }>;
  /** Jobs waiting in a queue (no worker runs in a world). */
  queued?: Array<{ publisher: string; network: NetworkName; offerKey: string; delayed?: boolean }>;
  /** Slots used in each limit window of a channel (windows in the order given, shortest first). */
  limits?: Array<{ publisher: string; network: NetworkName; windows: Array<{ max: number; per: string; perMs: number; used: number }> }>;
  counters?: Omit<Counters, 'queues'>;
  audit?: AuditEntry[];
  /** Post jobs parked by a pause, waiting for resume (the channel's held set). */
  held?: Array<{ publisher: string; network: NetworkName; offerKey: string }>;
  /** The last error each channel had from its network (the channel state's lastError). */
  channelErrors?: Array<{ publisher: string; network: NetworkName; errorClass: ErrorClass; message: string; at: number }>;
}

export const WORLD_PASSWORD = 'Pa55-segreta-9f3c1e';

/** The world's config as YAML; `dashboard` replaces the dashboard section's body (indented by two spaces). */
export function worldYaml(world: World, prefix: string, o: { dashboard?: string; logLevel?: string } = {}): string {
  return yamlFor(world, prefix, o);
}

function yamlFor(world: World, prefix: string, o: { dashboard?: string; logLevel?: string } = {}): string {
  const limitsOf = (p: string, n: NetworkName) => world.limits?.find((l) => l.publisher === p && l.network === n)?.windows;
  const pubs = world.publishers.map((p) => {
    const channels = p.networks.map((n) => {
      const w = limitsOf(p.id, n);
      const limits = w ? `\n        limits: [${w.map((x) => `{ max: ${x.max}, per: ${x.per} }`).join(', ')}]` : '';
      return n === 'twitter'
        ? `      twitter:\n        apiBaseUrl: http://127.0.0.1:9\n        appKey: k-${p.id}\n        appSecret: s-${p.id}\n        accessToken: t-${p.id}\n        accessSecret: a-${p.id}${limits}`
        : `      facebook:\n        graphBaseUrl: http://127.0.0.1:9\n        pageId: "1234567890"\n        pageAccessToken: fbtoken-${p.id}${limits}`;
    }).join('\n');
    return `  - id: ${p.id}\n    name: ${JSON.stringify(p.name)}\n    timezone: ${p.timezone ?? 'Europe/Rome'}\n    feeds:\n${p.feeds.map((f) => `      - url: ${f}`).join('\n')}\n    channels:\n${channels}`;
  }).join('\n');
  const dashboard = o.dashboard ?? `  username: operatore\n  password: ${WORLD_PASSWORD}`;
  return `redis:\n  url: ${TEST_REDIS_URL}\n  prefix: ${prefix}\ndashboard:\n${dashboard}\nlog:\n  level: ${o.logLevel ?? 'silent'}\npublishers:\n${pubs}\n`;
}

export function worldConfig(world: World, prefix = 'world'): LoadedConfig {
  return parseConfig(yamlFor(world, prefix), { env: readEnvironment({} as NodeJS.ProcessEnv), source: 'world config' });
}

function jobOffer(o: WorldOffer, world: World): JobOffer {
  const feed = world.publishers.find((p) => p.id === o.publisher)!.feeds[0]!;
  return {
    publisherId: o.publisher, sourceId: o.code, key: o.key, url: o.url, title: o.title, text: o.title, code: o.code,
    contentHash: createHash('sha256').update(`${o.title}|${o.url}`).digest('hex'), feedUrl: feed,
    ...(o.location ? { location: o.location } : {}),
  };
}

const postJobId = (publisher: string, network: NetworkName, offerKey: string) => jobIdFor({ kind: 'post', publisher, network, offerKey });

/** The in-memory operator for a world, derived the way the real service derives its answers. */
export function memoryOperatorFor(world: World): MemoryOperator {
  const loaded = worldConfig(world);
  const book = buildChannelBook(loaded.config, loaded.baseDir);
  const byOffer = new Map(world.offers.map((o) => [`${o.publisher}/${o.key}`, o]));
  const counters = world.counters ?? { posts: [], polls: [], limitRefusals: [] };
  const failures = world.failures ?? [];
  const queued = world.queued ?? [];

  const channels: ChannelStatus[] = book.all().map((e) => {
    const pub = e.publisher.id;
    const net = e.network;
    const pause = world.paused?.find((p) => p.publisher === pub && p.network === net);
    const windows = world.limits?.find((l) => l.publisher === pub && l.network === net)?.windows;
    const limits = windows
      ? windows.map((w) => ({ max: w.max, perMs: w.perMs, used: w.used, nextFreeAt: w.used >= w.max ? world.now + w.perMs : world.now }))
      : e.config.limits.map((l) => ({ max: l.max, perMs: l.per, used: 0, nextFreeAt: world.now }));
    const posted = counters.posts.filter((p) => p.publisher === pub && p.network === net && ['posted', 'reconciled', 'duplicate'].includes(p.outcome)).reduce((a, p) => a + p.value, 0);
    const mine = queued.filter((q) => q.publisher === pub && q.network === net);
    const held = new Set((world.held ?? []).filter((h) => h.publisher === pub && h.network === net).map((h) => h.offerKey)).size;
    const lastError = world.channelErrors?.find((x) => x.publisher === pub && x.network === net);
    return {
      publisher: pub, network: net, state: pause ? 'paused' : 'active',
      ...(pause ? { paused: { kind: pause.kind, reason: pause.reason, since: pause.since, ...(pause.by ? { by: pause.by } : {}) } } : {}),
      counts: { waiting: mine.filter((q) => !q.delayed).length, delayed: mine.filter((q) => q.delayed).length, active: 0, failed: failures.filter((f) => f.publisher === pub && f.network === net).length, held, posted },
      limits,
      ...(lastError ? { lastError: { errorClass: lastError.errorClass, message: lastError.message, at: lastError.at } } : {}),
    };
  });

  const feeds: FeedStatus[] = world.publishers.flatMap((p) => p.feeds.map((url): FeedStatus => {
    const f = world.feeds?.find((x) => x.publisher === p.id && x.url === url);
    if (f?.failing) return { publisher: p.id, url, lastPollAt: f.failing.at, lastResult: 'error', lastError: f.failing.error, consecutiveFailures: f.failing.times, nextPollAt: f.failing.nextPollAt, ...(f.ok ? { lastSuccessAt: f.ok.at, lastItems: f.ok.items, lastNew: f.ok.fresh } : {}) };
    if (f?.ok) return { publisher: p.id, url, lastPollAt: f.ok.at, lastSuccessAt: f.ok.at, lastResult: 'ok', consecutiveFailures: 0, nextPollAt: f.ok.nextPollAt, lastItems: f.ok.items, lastNew: f.ok.fresh };
    return { publisher: p.id, url, consecutiveFailures: 0 };
  }));

  const offers: OfferView[] = world.offers.map((o) => {
    const pub = world.publishers.find((p) => p.id === o.publisher)!;
    const views: OfferChannelView[] = pub.networks.map((net) => {
      const post = o.posts.find((p) => p.network === net);
      const e = book.get(o.publisher, net)!;
      let preview: OfferChannelView['preview'];
      try {
        const text = post?.text ?? formatter.renderPost(jobOffer(o, world), e.publisher, net, e.template).post.text;
        const len = previewLength(text, net);
        preview = { text, link: o.url, length: len.length, limit: len.limit };
      } catch { preview = undefined; }
      return {
        network: net, state: post?.state ?? 'queued',
        ...(post?.remoteId ? { remoteId: post.remoteId } : {}), ...(post?.permalink ? { permalink: post.permalink } : {}),
        ...(post?.postedAt ? { postedAt: post.postedAt, updatedAt: post.postedAt } : {}),
        ...(post?.since ? { updatedAt: post.since } : {}),
        ...(post?.error ? { lastError: post.error } : {}),
        ...(post?.state === 'sending' || post?.state === 'unknown' ? { inDoubt: true } : {}),
        ...(preview ? { preview } : {}),
      };
    });
    return {
      publisher: o.publisher, key: o.key, code: o.code, title: o.title, url: o.url, firstSeenAt: o.firstSeenAt, state: o.state ?? 'open', channels: views,
      ...(o.location ? { location: o.location } : {}),
    };
  });

  return new MemoryOperator({
    channels, feeds, offers,
    failures: failures.map((f) => ({
      errorClass: f.errorClass, jobId: postJobId(f.publisher, f.network, f.offerKey), publisher: f.publisher, network: f.network, offerKey: f.offerKey,
      title: byOffer.get(`${f.publisher}/${f.offerKey}`)?.title ?? f.offerKey, message: f.message, at: world.now,
    })),
    audit: world.audit ?? [],
    counters: {
      ...counters,
      queues: [...new Set(book.all().map((e) => e.network))].map((net) => ({
        network: net, waiting: queued.filter((q) => q.network === net && !q.delayed).length, delayed: queued.filter((q) => q.network === net && q.delayed).length,
        active: 0, failed: failures.filter((f) => f.network === net).length, completed: 0,
      })),
    },
  });
}

export interface RedisWorld { rt: Runtime; operator: RedisOperatorService; prefix: string; loaded: LoadedConfig; close(): Promise<void> }

/** A real runtime on real Redis (its own prefix), seeded through the service's stores and queues. */
export async function redisWorld(world: World): Promise<RedisWorld> {
  const check = await connectTestRedis();
  const prefix = uniquePrefix('world');
  const loaded = worldConfig(world, prefix);
  const logger = createLogger({ level: 'silent', secrets: loaded.secrets, destination: new Writable({ write(_c, _e, cb) { cb(); } }) });
  // The world seeds limit slots at past instants: the scripts take the caller's times, not Redis's.
  const rt = createRuntime(loaded, { logger, now: () => Date.now(), scriptClock: 'caller' });
  try {
    await seed(rt, world);
  } catch (e) {
    await rt.close();
    await cleanPrefix(check, prefix);
    await check.quit();
    throw e;
  }
  return {
    rt, prefix, loaded, operator: new RedisOperatorService(rt),
    async close() {
      await rt.close().catch(() => undefined);
      await cleanPrefix(check, prefix);
      await check.quit();
    },
  };
}

async function seed(rt: Runtime, world: World): Promise<void> {
  for (const o of world.offers) {
    await rt.offers.save(jobOffer(o, world), o.firstSeenAt);
    if (o.state && o.state !== 'open') await rt.offers.setState(o.publisher, o.key, o.state);
    const pub = world.publishers.find((p) => p.id === o.publisher)!;
    for (const net of pub.networks) {
      const post = o.posts.find((p) => p.network === net);
      await rt.ledger.open(o.publisher, net, o.key, 'queued', o.firstSeenAt);
      if (!post) continue;
      await rt.ledger.update(o.publisher, net, o.key, {
        state: post.state, ...(post.remoteId ? { remoteId: post.remoteId } : {}), ...(post.permalink ? { permalink: post.permalink } : {}),
        ...(post.postedAt ? { postedAt: post.postedAt, updatedAt: post.postedAt } : {}), ...(post.text ? { text: post.text } : {}),
        ...(post.error ? { errorClass: post.error.errorClass, lastError: post.error.message, lastErrorAt: post.error.at } : {}),
        ...(post.since ? { updatedAt: post.since, sendingSince: post.since } : {}),
      });
      if (post.state === 'posted' && post.postedAt) await rt.redis.zadd(rt.keys.recentPosts(), post.postedAt, recentMember(o.publisher, net, o.key));
    }
  }
  for (const p of world.paused ?? []) await rt.channels.pause(p.publisher, p.network, p.kind, p.reason, p.since, p.by);
  for (const h of world.held ?? []) await rt.channels.hold(h.publisher, h.network, postJobId(h.publisher, h.network, h.offerKey));
  for (const e of world.channelErrors ?? []) await rt.channels.recordError(e.publisher, e.network, e.errorClass, e.message, e.at);
  for (const f of world.feeds ?? []) {
    if (f.ok) await rt.feeds.success(f.publisher, f.url, { now: f.ok.at, result: 'ok', items: f.ok.items, fresh: f.ok.fresh, nextPollAt: f.ok.nextPollAt });
    for (let i = 0; i < (f.failing?.times ?? 0); i++) await rt.feeds.failure(f.publisher, f.url, { now: f.failing!.at, error: f.failing!.error, nextPollAt: f.failing!.nextPollAt });
  }
  for (const c of world.counters?.posts ?? []) for (let i = 0; i < c.value; i++) await rt.counters.post(c.publisher, c.network, c.outcome);
  for (const c of world.counters?.polls ?? []) for (let i = 0; i < c.value; i++) await rt.counters.poll(c.publisher, c.result);
  for (const c of world.counters?.limitRefusals ?? []) for (let i = 0; i < c.value; i++) await rt.counters.limitRefusal(c.publisher, c.network);
  for (const l of world.limits ?? []) {
    const e = rt.book.get(l.publisher, l.network)!;
    const windows = e.config.limits;
    // Slots in the longer windows only are taken earlier than the shortest window reaches.
    const shortest = l.windows[0]!;
    const longest = l.windows.at(-1)!;
    const older = longest.used - shortest.used;
    for (let i = 0; i < older; i++) await rt.limiter.take(e.channel.accountKey, windows, world.now - shortest.perMs - marginFor(shortest.perMs) - 60_000, `old-${i}`);
    for (let i = 0; i < shortest.used; i++) await rt.limiter.take(e.channel.accountKey, windows, world.now - 1000, `new-${i}`);
  }
  await seedFailures(rt, world);
  const queued = world.queued ?? [];
  if (queued.length) await rt.queues.addDeliveries(queued.map((q) => ({ task: { kind: 'post', publisher: q.publisher, network: q.network, offerKey: q.offerKey }, attempts: 1, ...(q.delayed ? { delay: 3_600_000 } : {}) })));
  for (const a of world.audit ?? []) await rt.audit.record(a);
}

/** Failed jobs are made the real way: queued, taken by a worker of the queue seam, and given up. */
async function seedFailures(rt: Runtime, world: World): Promise<void> {
  const failures = world.failures ?? [];
  if (!failures.length) return;
  await rt.queues.addDeliveries(failures.map((f) => ({ task: { kind: 'post', publisher: f.publisher, network: f.network, offerKey: f.offerKey }, attempts: 1 })));
  const message = new Map(failures.map((f) => [postJobId(f.publisher, f.network, f.offerKey), f]));
  const workers = [...new Set(failures.map((f) => f.network))].map((net) => startDeliveryWorker(net, {
    connection: rt.redis, prefix: rt.prefix, logger: rt.logger, tuning: { concurrency: 4 }, backoff: () => 1000,
    process: async (task, ctx) => {
      const f = message.get(ctx.jobId)!;
      await rt.ledger.recordError(task.publisher, task.network, task.offerKey, 'failed', f.errorClass, f.message, world.now);
      throw new GiveUp(f.message);
    },
  }));
  try {
    await waitFor('the seeded failures', async () => {
      let n = 0;
      for (const net of new Set(failures.map((f) => f.network))) n += await rt.queues.queueOf(net).getFailedCount();
      return n === failures.length;
    });
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
}
