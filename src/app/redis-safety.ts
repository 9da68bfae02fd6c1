// SPDX-License-Identifier: EUPL-1.2
/**
 * Promises 1 and 2 (post once, lose nothing) depend on Redis keeping what it acknowledged: warn at start
 * when it would evict keys, forget them on restart, or lose the last second of writes in a crash.
 *
 * The tested durability is AOF with `appendfsync always` (the chaos suite kills Redis with it, and
 * docker-compose.yml ships it): every write reaches the disk before Redis answers. With `everysec` a
 * crash of Redis (or of its machine) may lose up to a second of writes, among them the ledger's
 * `sending` mark written just before a post; the post would then be sent again. X refuses the same text
 * and the service takes that as "posted", but Facebook refuses a repeat only right after itself.
 *
 * Managed Redis services often refuse CONFIG (renamed or disabled): then the service says once what it
 * could not check and goes on.
 */
import type { Runtime } from './runtime.ts';

type ConfigReader = { config(op: 'GET', name: string): Promise<unknown> };

/** One CONFIG GET; undefined when Redis refuses CONFIG or does not know the parameter. */
async function configValue(client: ConfigReader, name: string): Promise<{ value?: string; refused?: string }> {
  try {
    const res = (await client.config('GET', name)) as string[];
    return { value: res[1] };
  } catch (e) {
    return { refused: (e as Error).message };
  }
}

export async function checkRedisSafety(rt: Pick<Runtime, 'redis' | 'logger'>): Promise<string[]> {
  const warnings: string[] = [];
  const client = ('nodes' in rt.redis ? rt.redis.nodes('master')[0] : rt.redis) as ConfigReader | undefined;
  if (client) {
    const [policy, aof, fsync, save] = await Promise.all(['maxmemory-policy', 'appendonly', 'appendfsync', 'save'].map((n) => configValue(client, n)));
    const refused = [policy, aof, fsync, save].find((r) => r!.refused)?.refused;
    if (refused) {
      warnings.push(`could not read the Redis configuration (${refused}); make sure it runs with appendonly yes, appendfsync always and maxmemory-policy noeviction`);
    } else {
      if (policy!.value && policy!.value !== 'noeviction') warnings.push(`Redis maxmemory-policy is "${policy!.value}": it may evict queued jobs and the ledger; set it to noeviction`);
      if (aof!.value !== 'yes' && !save!.value) warnings.push('Redis persistence is off (no AOF, no RDB snapshots): a Redis restart loses queued offers; enable appendonly yes with appendfsync always');
      else if (aof!.value !== 'yes') warnings.push('Redis AOF is off: a crash loses the writes since the last snapshot; enable appendonly yes with appendfsync always');
      else if (fsync!.value && fsync!.value !== 'always') {
        warnings.push(`Redis appendfsync is "${fsync!.value}": a crash of Redis may lose its last writes, among them the "sending" mark written just before a post, which could then be sent twice; set appendfsync always (the tested setting, as docker-compose.yml ships it)`);
      }
    }
  }
  for (const w of warnings) rt.logger.warn(w);
  return warnings;
}
