// SPDX-License-Identifier: EUPL-1.2
/**
 * Real Redis for tests: a unique key prefix per test, removed afterwards. If no Redis answers, the test
 * fails with a message that says how to start one; it never skips.
 */
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';

export const TEST_REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

export async function connectTestRedis(): Promise<Redis> {
  const r = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
  } catch (e) {
    r.disconnect();
    throw new Error(`Redis is not reachable at ${TEST_REDIS_URL} (${(e as Error).message}). Start one with: redis-server --daemonize yes`);
  }
  return r;
}

export function uniquePrefix(label = 't'): string {
  return `bt-${label}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under the prefix (SCAN, never KEYS). */
export async function cleanPrefix(r: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await r.unlink(...keys);
  } while (cursor !== '0');
}
