// SPDX-License-Identifier: EUPL-1.2
/**
 * Redis connections: one standalone server or a Redis Cluster, as the config says. BullMQ needs
 * `maxRetriesPerRequest: null` on the connections its workers block on; we use it everywhere so that a
 * Redis restart makes commands wait instead of failing (promise 2: lose nothing).
 */
import { Redis, Cluster, type RedisOptions } from 'ioredis';
import type { Config } from '../config/schema.ts';

export type RedisClient = Redis | Cluster;

const common: RedisOptions = {
  maxRetriesPerRequest: null,
  enableReadyCheck: true,
  // Reconnect forever with a capped delay: a Redis restart must not kill the service.
  retryStrategy: (times) => Math.min(200 + times * 200, 2000),
};

export function createRedis(redis: Config['redis'], extra: RedisOptions = {}): RedisClient {
  if (redis.clusterNodes?.length) {
    const nodes = redis.clusterNodes.map((n) => {
      const [host, port] = n.split(':');
      return { host: host!, port: Number(port) };
    });
    return new Cluster(nodes, { redisOptions: { ...common, ...extra }, clusterRetryStrategy: common.retryStrategy });
  }
  return new Redis(redis.url, { ...common, ...extra });
}

/**
 * The prefix every key lives under. On Redis Cluster it must be a hash tag so that a Lua script's keys
 * and each BullMQ queue's keys share one slot.
 */
export function effectivePrefix(redis: Config['redis']): string {
  if (redis.clusterNodes?.length && !/\{[^}]+\}/.test(redis.prefix)) return `{${redis.prefix}}`;
  return redis.prefix;
}
