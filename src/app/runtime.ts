// SPDX-License-Identifier: EUPL-1.2
/**
 * Builds the service's parts from a validated config, once per process. Every role (run, poller,
 * worker, dashboard) and the operator commands start from here, so they share one wiring.
 */
import type { LoadedConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { createRedis, effectivePrefix, type RedisClient } from '../redis/connection.ts';
import { keysFor, type Keys } from '../redis/keys.ts';
import type { ScriptClock } from '../redis/clock.ts';
import { checkSharedAccounts } from '../limits/shared-accounts.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import { Ledger } from '../ledger/ledger.ts';
import { OfferStore } from '../ledger/offers.ts';
import { RetentionStore } from '../ledger/retention.ts';
import { SlidingWindowLimiter } from '../limits/sliding-window.ts';
import { AccountGate } from '../limits/account-gate.ts';
import { ChannelStates } from '../state/channel-state.ts';
import { CounterStore } from '../state/counters.ts';
import { AuditLog } from '../state/audit-log.ts';
import { FeedHealth } from '../state/feed-health.ts';
import { QueueSet } from '../queue/queues.ts';
import { configuredNetworks, createChannel, definitionOf } from '../channels/registry.ts';
import { CredentialsNotLoadedChannel } from '../channels/not-loaded.ts';
import { loadTemplates } from '../format/templates.ts';
import type { ChannelBook, ChannelEntry } from '../delivery/deps.ts';
import { Deliverer } from '../delivery/deliver.ts';
import { AttemptStore } from '../delivery/attempt-store.ts';
import { QuietRelease } from '../limits/quiet-release.ts';
import { FeedPoller } from '../poller/poll-feed.ts';
import { PageReader } from '../sources/pages/index.ts';
import { OfferCloser } from '../poller/close-offer.ts';
import { formatter } from './formatter.ts';
import type { ChannelServices } from '../channels/definition.ts';
import type { IntakeDeps } from '../sources/intake.ts';

export interface RuntimeOptions {
  logger?: Logger;
  /** A controllable clock for tests; defaults to Date.now. */
  now?: () => number;
  /**
   * What the Lua scripts decide limits, locks and waits by (src/redis/clock.ts): Redis TIME by default,
   * shared by every worker. Tests that drive the scripts' time with `now` pass 'caller'.
   */
  scriptClock?: ScriptClock;
}

export interface Runtime {
  loaded: LoadedConfig;
  config: Config;
  logger: Logger;
  redis: RedisClient;
  keys: Keys;
  prefix: string;
  now: () => number;
  ledger: Ledger;
  offers: OfferStore;
  /** What the pruner removes (src/duties/pruner.ts). */
  retention: RetentionStore;
  limiter: SlidingWindowLimiter;
  gate: AccountGate;
  channels: ChannelStates;
  counters: CounterStore;
  audit: AuditLog;
  feeds: FeedHealth;
  queues: QueueSet;
  book: ChannelBook;
  deliverer: Deliverer;
  poller: FeedPoller;
  closer: OfferCloser;
  /** What channels' adapters, duties and public pages may use (src/channels/definition.ts). */
  services: ChannelServices;
  /** What pushed documents (inbox, offers API, upload) are taken in with (src/sources/intake.ts). */
  intake: IntakeDeps;
  close(): Promise<void>;
}

/** Where a channel built outside a runtime (`banditore check`) would ask for services: nowhere. */
const NO_SERVICES = (): ChannelServices => { throw new Error('channel services are not available in this process'); };

export function buildChannelBook(config: Config, baseDir: string, notLoaded: ReadonlySet<string> = new Set(), services: () => ChannelServices = NO_SERVICES): ChannelBook {
  const templates = loadTemplates(config, baseDir);
  const entries = new Map<string, ChannelEntry>();
  for (const pub of config.publishers) {
    for (const network of configuredNetworks(pub)) {
      const cfg = pub.channels[network]!;
      // Without its credentials a channel gets no SDK client: a stand-in that refuses every call.
      const loaded = !notLoaded.has(`${pub.id}/${network}`);
      entries.set(`${pub.id}/${network}`, {
        publisher: pub, network, definition: definitionOf(network), config: cfg,
        channel: loaded ? createChannel(network, cfg, { timeoutMs: config.worker.postTimeout, publisher: pub, services }) : new CredentialsNotLoadedChannel(network, pub.id),
        template: templates.get(pub.id)?.[network],
        ...(loaded ? {} : { credentials: 'not-loaded' as const }),
      });
    }
  }
  // Publishers that share one account (one X user, one Page) share its windows: their limits must agree.
  checkSharedAccounts(config, [...entries.values()]);
  return { get: (p, n) => entries.get(`${p}/${n}`), all: () => [...entries.values()] };
}

export function createRuntime(loaded: LoadedConfig, opts: RuntimeOptions = {}): Runtime {
  const { config } = loaded;
  const logger = opts.logger ?? createLogger({ level: loaded.env.logLevel ?? config.log.level, secrets: loaded.secrets, pretty: loaded.env.prettyLogs });
  const now = opts.now ?? Date.now;
  // Templates and channels first: a bad template stops the start before any connection is opened. The
  // channels' services exist once the stores do; adapters ask for them only when first used.
  let services: ChannelServices | undefined;
  const book = buildChannelBook(config, loaded.baseDir, loaded.credentialsNotLoaded, () => services ?? NO_SERVICES());
  const redis = createRedis(config.redis);
  redis.on('error', (e) => logger.warn({ err: e }, 'redis connection problem; retrying'));
  // Our own stores get a second connection. Not ioredis' automatic pipelining: commands in flight on one
  // connection share its round trips anyway, and each automatic batch built a Pipeline object that copies
  // every defined script onto itself; without it a drain of held posts took about a tenth less CPU per
  // post (`npm run bench -- --only held`, alternating runs).
  const stores = createRedis(config.redis);
  stores.on('error', (e) => logger.warn({ err: e }, 'redis connection problem; retrying'));
  const prefix = effectivePrefix(config.redis);
  const keys = keysFor(prefix);
  const ledger = new Ledger(stores, keys);
  const offers = new OfferStore(stores, keys);
  const retention = new RetentionStore(stores, keys);
  const clock = { clock: opts.scriptClock ?? 'redis' } as const;
  const limiter = new SlidingWindowLimiter(stores, keys, clock);
  const gate = new AccountGate(stores, keys, clock);
  const channels = new ChannelStates(stores, keys);
  const counters = new CounterStore(stores, keys);
  const audit = new AuditLog(stores, keys);
  const feeds = new FeedHealth(stores, keys);
  const queues = new QueueSet(redis, prefix, [...new Set(config.publishers.flatMap((p) => configuredNetworks(p)))]);
  const enqueue = (tasks: Parameters<QueueSet['addDeliveries']>[0]) => queues.addDeliveries(tasks);
  const quiet = new QuietRelease(stores, keys);
  const deliverer = new Deliverer({ book, ledger, offers, limiter, gate, channels, counters, attempts: new AttemptStore(stores, keys, clock), format: formatter, logger, now, postTimeoutMs: config.worker.postTimeout, enqueue, quiet });
  const closer = new OfferCloser({ offers, ledger, enqueue });
  const pages = new PageReader({ config, redis: stores, keys, now });
  const poller = new FeedPoller({ config, offers, ledger, feeds, counters, closer, enqueue, logger, now, pages, quiet, reissues: { redis: stores, keys, offers } });
  services = { config, redis: stores, keys, logger, now, offers, ...(config.dashboard.publicUrl ? { publicUrl: config.dashboard.publicUrl } : {}) };
  const intake: IntakeDeps = { offers, ledger, closer, enqueue, redis: stores, keys, logger, postTimeoutMs: config.worker.postTimeout };
  return {
    loaded, config, logger, redis, keys, prefix, now, ledger, offers, retention, limiter, gate, channels, counters, audit, feeds, queues, book, deliverer, poller, closer, services, intake,
    async close() {
      await queues.close();
      await stores.quit().catch(() => stores.disconnect());
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
