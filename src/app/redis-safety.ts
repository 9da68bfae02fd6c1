/**
 * Promise 2 (lose nothing) depends on Redis keeping what it is given: warn at start when it would
 * evict keys or forget them on restart.
 */
import type { Runtime } from './runtime.ts';

export async function checkRedisSafety(rt: Runtime): Promise<string[]> {
  const warnings: string[] = [];
  try {
    const client = 'nodes' in rt.redis ? rt.redis.nodes('master')[0] : rt.redis;
    if (!client) return warnings;
    const policy = ((await client.config('GET', 'maxmemory-policy')) as string[])[1];
    if (policy && policy !== 'noeviction') warnings.push(`Redis maxmemory-policy is "${policy}": it may evict queued jobs and the ledger; set it to noeviction`);
    const aof = ((await client.config('GET', 'appendonly')) as string[])[1];
    const save = ((await client.config('GET', 'save')) as string[])[1];
    if (aof !== 'yes' && !save) warnings.push('Redis persistence is off (no AOF, no RDB snapshots): a Redis restart loses queued offers; enable appendonly yes');
    else if (aof !== 'yes') warnings.push('Redis AOF is off: a crash loses the writes since the last snapshot; enable appendonly yes (appendfsync everysec)');
  } catch (e) {
    warnings.push(`could not read the Redis configuration (${(e as Error).message}); make sure it runs with AOF and maxmemory-policy noeviction`);
  }
  for (const w of warnings) rt.logger.warn(w);
  return warnings;
}
