// SPDX-License-Identifier: EUPL-1.2
/**
 * The settle of the life tests (test/helpers/evidence.ts `drained`): every state that still holds work
 * keeps it waiting, and it fails at its deadline saying what is left. The old settle looked at active and
 * waiting jobs only, so a delayed or prioritized post (every post is prioritized) passed as "nothing more".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { drained, workLeft } from '../helpers/evidence.ts';
import type { Runtime } from '../../src/app/runtime.ts';
import { cleanPrefix, connectTestRedis, uniquePrefix } from '../helpers/redis.ts';

let redis: Redis | undefined;
let queue: Queue | undefined;
let prefix = '';
afterEach(async () => {
  await queue?.close();
  if (redis) { await cleanPrefix(redis, prefix); await redis.quit(); }
  redis = undefined; queue = undefined;
});

async function oneQueue(): Promise<Pick<Runtime, 'queues'>> {
  redis = await connectTestRedis();
  prefix = uniquePrefix('evidence');
  queue = new Queue('twitter', { connection: redis.duplicate(), prefix });
  return { queues: { deliveries: () => [queue] } } as unknown as Pick<Runtime, 'queues'>;
}

describe('drained', () => {
  it('waits for delayed and prioritized jobs, and fails at its deadline naming them', async () => {
    const rt = await oneQueue();
    await queue!.add('publish', { n: 1 }, { jobId: 'later', delay: 60_000 });
    await queue!.add('publish', { n: 2 }, { jobId: 'ranked', priority: 2 });
    expect(await workLeft(rt)).toEqual(['twitter: 1 prioritized', 'twitter: 1 delayed']);
    const error = await drained(rt, { timeoutMs: 300 }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/still hold work after 300 ms: twitter: 1 prioritized, twitter: 1 delayed/);
    expect(error?.message).toMatch(/twitter\/later \(delayed, due in \d+ s/);
    expect(error?.message).toContain('twitter/ranked (prioritized');
  });

  it('returns once no job can run any more (completed and failed jobs are not work)', async () => {
    const rt = await oneQueue();
    await queue!.add('publish', { n: 1 }, { jobId: 'later', delay: 60_000 });
    await (await queue!.getJob('later'))!.remove();
    expect(await workLeft(rt)).toEqual([]);
    await drained(rt, { timeoutMs: 2_000 });
  });
});
