/**
 * The chaos suite (`npm run test:chaos`): promise 1 (post once) and promise 2 (lose nothing) while
 * everything that can die does. A private redis-server (AOF, fsync always), the emulators in their own
 * process with commit-then-drop on a share of the posts, one `run` process (poller, workers, dashboard)
 * and two `worker` processes. For a couple of minutes a random process is SIGKILLed every few seconds
 * and restarted, new offers keep appearing in the feeds, and Redis itself is killed once and restarted
 * on the same directory. At the end every offer is on each channel exactly once.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { waitFor } from '../helpers/stack.ts';
import { startFleet, type Fleet } from './helpers/fleet.ts';
import { privateRedis, tempDir, type PrivateRedis, type TempDir } from './helpers/processes.ts';
import { ProcessPool, tally, lostAnswers, sleep, between } from './helpers/chaos-kit.ts';

const CHAOS_MS = 150_000;
const DROP_PROBABILITY = 0.2;

let redisDir: TempDir | undefined;
let redis: PrivateRedis | undefined;
let fleet: Fleet | undefined;
let pool: ProcessPool | undefined;
afterAll(async () => {
  await pool?.stopAll();
  await fleet?.stop();
  await redis?.stop();
  await redisDir?.remove();
});

describe('chaos: kills of run, worker and Redis, lost answers', () => {
  it('posts every offer exactly once on each channel', async () => {
    redisDir = await tempDir('chaos-redis');
    redis = await privateRedis(redisDir.dir);
    // 2 posts per 2 s per account: the backlog lasts, so the kills land while posts are in flight.
    const limits = '        limits: [{ max: 2, per: 2s }]';
    fleet = await startFleet({ publishers: 2, offersEach: 12, emulatorsOutOfProcess: true, redisUrl: redis.url, pollInterval: '2s', postTimeout: '3s', twitterExtra: limits, facebookExtra: limits });
    const f = fleet;
    await f.xControl('setDropProbability', DROP_PROBABILITY);
    await f.graphControl('setDropProbability', DROP_PROBABILITY);
    pool = new ProcessPool(f);
    const p = pool;
    await p.start('run', 1);
    await p.start('worker', 2);

    const started = Date.now();
    let redisKills = 0;
    let published = 0;
    const restarts: Promise<void>[] = [];
    while (Date.now() - started < CHAOS_MS) {
      await sleep(between(2000, 6000));
      if (Math.random() < 0.5) { f.pubs[Math.floor(Math.random() * f.pubs.length)]!.feed.publishNext(); published++; }
      if (redisKills === 0 && Date.now() - started > CHAOS_MS / 2) {
        await redis.kill();
        redisKills++;
        await sleep(between(1000, 3000));
        await redis.start();
        continue;
      }
      await p.killRandom();
      restarts.push(p.restartDead().catch((e: unknown) => { console.error('restart failed', e); }));
    }
    await Promise.all(restarts);
    await p.restartDead();
    await waitFor('every offer on each channel', async () => (await tally(f)).missing.length === 0, 150_000, 500);
    await sleep(2000);

    const t = await tally(f);
    const lost = await lostAnswers(f);
    console.log([
      'chaos summary',
      `  process kills (SIGKILL): ${p.kills}, Redis kills: ${redisKills}`,
      `  offers published during the run: ${published}; posts expected: ${t.expected}`,
      `  lost answers (committed, answer dropped) found by reconciliation: ${lost.reconciled}; duplicate answers from the networks: ${lost.duplicateAnswers}`,
      `  duplicates: ${t.duplicates.length}${t.duplicates.length ? ` (${t.duplicates.join(', ')})` : ''}; missing: ${t.missing.length}`,
    ].join('\n'));
    expect(t.duplicates).toEqual([]);
    expect(t.missing).toEqual([]);
    expect(p.kills).toBeGreaterThan(10);
    expect(lost.reconciled).toBeGreaterThan(0);
  });
});
