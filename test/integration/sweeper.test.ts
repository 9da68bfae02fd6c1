// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 13, "posts left in doubt stay there forever": two posts whose requests hung before X committed
 * them, on X's Free tier (the timeline answers 403) with `reconcile: read`, spend their attempts and stay
 * in doubt. `banditore_posts_in_doubt` shows them; once X can be read, the sweeper drives them again
 * through reconciliation and each ends posted exactly once (the emulator accepts duplicates, so a double
 * would show). And two sweepers at once queue one job for one entry. Real Redis, in-process emulators.
 */
import { describe, it, expect, afterEach } from 'vitest';
import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { waitFor } from '../helpers/stack.ts';
import { startLife, offer, postsOf, keyOf, type Life } from './life-kit.ts';
import { registerMetrics } from '../../src/dashboard/metrics.ts';
import { RedisOperatorService } from '../../src/state/operator-service.ts';
import { startBackgroundDuties } from '../../src/app/roles.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { createLogger } from '../../src/log/logger.ts';
import { sweeperDuty } from '../../src/duties/sweeper.ts';
import { redisWorld, type RedisWorld } from '../helpers/operator-world.ts';
import { fixtureWorld } from '../helpers/fixture-world.ts';
import type { ChannelBook } from '../../src/delivery/deps.ts';

let life: Life | undefined;
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  await life?.stop();
  life = undefined;
});

/** GET /metrics as Prometheus scrapes it, on the service's own metrics route. */
async function scrape(rt: Runtime): Promise<string> {
  const app = Fastify();
  registerMetrics(app, new RedisOperatorService(rt));
  try { return (await app.inject({ method: 'GET', url: '/metrics' })).body; } finally { await app.close(); }
}

function gauge(text: string): number {
  const line = text.split('\n').find((l) => l.startsWith('banditore_posts_in_doubt{') && l.includes('publisher="pescara"') && l.includes('network="twitter"'));
  return line ? Number(line.split(' ').at(-1)) : NaN;
}

const jobsOf = async (l: Life, state: 'failed' | 'completed' | 'waiting' | 'prioritized') => l.rt.queues.queueOf('twitter').getJobs([state]);

describe('the sweeper', () => {
  it('two posts left in doubt while X could not be read show in the gauge and end posted exactly once after X can be read', async () => {
    life = await startLife({
      initial: [offer(1), offer(2)], networks: ['twitter'], postTimeout: '1s',
      twitterExtra: '        reconcile: read\n        attempts: 2', headExtra: 'sweeper:\n  interval: 1s',
    });
    const l = life;
    l.x.setAcceptDuplicates(true);
    l.x.hangBeforeCommitNext(2);
    await l.startWorkers();
    await l.pollOnce();
    const links = [l.office.linkOf(offer(1).code), l.office.linkOf(offer(2).code)];
    const keys = await Promise.all(links.map((link) => keyOf(l, link)));

    // Both jobs spend their attempts: the hang, then a read X refuses on the Free tier.
    await waitFor('both jobs failed', async () => (await jobsOf(l, 'failed')).length === 2, 30_000, 100);
    for (const k of keys) expect((await l.rt.ledger.get('pescara', 'twitter', k))!.state).toBe('unknown');
    expect(l.x.posts()).toHaveLength(0);
    await waitFor('the gauge shows 2', async () => gauge(await scrape(l.rt)) === 2, 10_000, 200);

    // The sweeper runs while X still refuses the read: it drives them, they cannot resolve, nothing is sent.
    const stop = startBackgroundDuties(l.rt);
    closers.push(stop);
    await waitFor('a sweep drove both', () => l.logs.filter((s) => s.includes('reconciling it again')).length >= 2, 30_000, 100);
    await waitFor('the swept jobs failed too', async () => (await jobsOf(l, 'failed')).filter((j) => j.id!.includes('sweep-')).length >= 2, 30_000, 100);
    expect(l.x.posts()).toHaveLength(0);
    expect(gauge(await scrape(l.rt))).toBe(2);

    // X can be read again: the next sweeps drive them, the read finds nothing, the stored text goes once.
    l.x.setTier('basic');
    await waitFor('both posted', async () => {
      for (const k of keys) if ((await l.rt.ledger.get('pescara', 'twitter', k))?.state !== 'posted') return false;
      return true;
    }, 60_000, 200);
    for (const [i, link] of links.entries()) {
      const xs = postsOf(l, link).x;
      expect(xs).toHaveLength(1);
      expect((await l.rt.ledger.get('pescara', 'twitter', keys[i]!))!.remoteId).toBe(xs[0]!.id);
    }
    expect(l.x.posts()).toHaveLength(2);
    expect(gauge(await scrape(l.rt))).toBe(0);
    expect(await l.rt.redis.zcard(l.rt.keys.inDoubt('pescara', 'twitter'))).toBe(0);
  });

  it('two sweepers in two runtimes, at the same instant, queue one job for one entry, and it posts once', async () => {
    life = await startLife({ initial: [offer(1)], networks: ['twitter'], postTimeout: '1s', twitterExtra: '        attempts: 1', headExtra: 'sweeper:\n  interval: 1h' });
    const l = life;
    l.x.setAcceptDuplicates(true);
    l.x.setTier('basic');
    l.x.hangBeforeCommitNext(1);
    const stopWorkers = await l.startWorkers();
    await l.pollOnce();
    const key = await keyOf(l, l.office.linkOf(offer(1).code));
    // One attempt only: the hang spends it, and the entry stays in doubt with its job failed.
    await waitFor('the job failed', async () => (await jobsOf(l, 'failed')).length === 1, 30_000, 100);
    expect((await l.rt.ledger.get('pescara', 'twitter', key))!.state).toBe('unknown');
    await stopWorkers();
    await waitFor('past the settle time', async () => (await l.rt.ledger.countInDoubt('pescara', 'twitter', Date.now() - 2000)) === 1, 10_000, 100);

    // A second runtime of the same deployment; both sweepers run one pass at once (bypassing the lock).
    const other = createRuntime(l.loaded, { logger: createLogger({ level: 'silent', secrets: l.loaded.secrets, destination: new Writable({ write(_c, _e, cb) { cb(); } }) }) });
    closers.push(() => other.close());
    const services = (rt: Runtime) => ({ config: rt.config, ledger: rt.ledger, offers: rt.offers, book: rt.book, channels: rt.channels, queues: rt.queues, redis: rt.redis, keys: rt.keys });
    const ctx = (rt: Runtime) => ({ now: rt.now, logger: rt.logger, signal: new AbortController().signal });
    const [a, b] = await Promise.all([sweeperDuty(services(l.rt)).run(ctx(l.rt)), sweeperDuty(services(other)).run(ctx(other))]);
    expect(Number(a.driven) + Number(b.driven)).toBeGreaterThanOrEqual(1);
    const waiting = [...await jobsOf(l, 'waiting'), ...await jobsOf(l, 'prioritized')];
    expect(waiting.map((j) => j.id)).toHaveLength(1);
    expect(waiting[0]!.id).toMatch(/sweep-/);
    // A later pass while that job waits adds nothing.
    const again = await sweeperDuty(services(other)).run(ctx(other));
    expect(again).toMatchObject({ driven: 0, live: 1 });

    await l.startWorkers();
    await waitFor('posted', async () => (await l.rt.ledger.get('pescara', 'twitter', key))?.state === 'posted', 30_000, 100);
    expect(l.x.posts()).toHaveLength(1);
    const after = await sweeperDuty(services(l.rt)).run(ctx(l.rt));
    expect(after).toMatchObject({ driven: 0 });
    expect(l.x.posts()).toHaveLength(1);
  });

  it('leaves a post on a network that can never read and cannot resend safely to the operator, and says so once', async () => {
    const world: RedisWorld = await redisWorld(fixtureWorld());
    closers.push(() => world.close());
    const { rt } = world;
    const ago = Date.now() - 3_600_000;
    await rt.ledger.update('pescara', 'facebook', 'd4e5f6', { state: 'unknown', text: 'Cuoco stagionale', sendingSince: ago, updatedAt: ago }, ['remoteId', 'permalink']);
    // A network like that (readsPosts 'never', no duplicate rule): Facebook's entry, told so.
    const book: ChannelBook = {
      get: (p, n) => rt.book.get(p, n),
      all: () => rt.book.all().map((e) => (e.network === 'facebook' ? { ...e, definition: { ...e.definition, readsPosts: 'never' as const, resendDetectsDuplicates: false } } : e)),
    };
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', secrets: [], destination: new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }) });
    const duty = sweeperDuty({ config: rt.config, ledger: rt.ledger, offers: rt.offers, book, channels: rt.channels, queues: rt.queues, redis: rt.redis, keys: rt.keys });
    const ctx = { now: () => Date.now(), logger, signal: new AbortController().signal };
    expect(await duty.run(ctx)).toMatchObject({ driven: 0, leftToOperator: 1 });
    expect(await duty.run(ctx)).toMatchObject({ driven: 0, leftToOperator: 1 });
    expect(lines.filter((l) => l.includes('left to the operator'))).toHaveLength(1);
    expect(await rt.queues.queueOf('facebook').getJobs(['waiting', 'prioritized', 'delayed'])).toHaveLength(0);
    expect((await rt.ledger.get('pescara', 'facebook', 'd4e5f6'))!.state).toBe('unknown');
    // Still counted, and listed as the operator's to settle.
    const op = new RedisOperatorService(rt);
    expect((await op.inDoubtCounts()).find((c) => c.publisher === 'pescara' && c.network === 'facebook')?.value).toBe(1);
    expect((await op.inDoubt()).find((p) => p.offerKey === 'd4e5f6' && p.network === 'facebook')).toMatchObject({ leftToOperator: true });
  });

  it('"invia comunque" sends the stored text of a post stuck in doubt once, even after a correction', async () => {
    life = await startLife({ initial: [offer(1)], networks: ['twitter'], postTimeout: '1s', twitterExtra: '        reconcile: read\n        attempts: 1' });
    const l = life;
    l.x.setAcceptDuplicates(true);
    l.x.hangBeforeCommitNext(1);
    await l.startWorkers();
    await l.pollOnce();
    const link = l.office.linkOf(offer(1).code);
    const key = await keyOf(l, link);
    await waitFor('the job failed', async () => (await jobsOf(l, 'failed')).length === 1, 30_000, 100);
    const stored = (await l.rt.ledger.get('pescara', 'twitter', key))!.text!;
    // The office corrects the offer meanwhile: a fresh render would differ.
    l.office.list = [offer(1, { title: 'Saldatore/trice a filo' })];
    await l.pollOnce();
    await new RedisOperatorService(l.rt).sendAnyway('pescara', 'twitter', key, 'maria.pescara');
    await waitFor('posted', async () => (await l.rt.ledger.get('pescara', 'twitter', key))?.state === 'posted', 30_000, 100);
    const xs = postsOf(l, link).x;
    expect(xs).toHaveLength(1);
    expect(xs[0]!.text).toBe(stored);
    expect((await l.rt.ledger.get('pescara', 'twitter', key))!.sendAnyway).toBeUndefined();
  });

  it('after an upgrade, finds entries left in doubt before the index existed, and drives them', async () => {
    const world: RedisWorld = await redisWorld(fixtureWorld());
    closers.push(() => world.close());
    const { rt } = world;
    const ago = Date.now() - 3_600_000;
    // As an older version left it: the entry says unknown, its job failed, and no index knows of it.
    await rt.redis.hset(rt.keys.ledger('pescara', 'twitter', 'd4e5f6'), { state: 'unknown', text: 'Cuoco stagionale', updatedAt: ago, sendingSince: ago });
    await rt.redis.del(rt.keys.inDoubt('pescara', 'twitter'));
    const logger = createLogger({ level: 'silent', secrets: [], destination: new Writable({ write(_c, _e, cb) { cb(); } }) });
    const duty = sweeperDuty({ config: rt.config, ledger: rt.ledger, offers: rt.offers, book: rt.book, channels: rt.channels, queues: rt.queues, redis: rt.redis, keys: rt.keys });
    const report = await duty.run({ now: () => Date.now(), logger, signal: new AbortController().signal });
    expect(report).toMatchObject({ caughtUp: 1, driven: 1 });
    expect(await rt.redis.zscore(rt.keys.inDoubt('pescara', 'twitter'), 'd4e5f6')).toBe(String(ago));
    const rev = (await rt.ledger.get('pescara', 'twitter', 'd4e5f6'))!.rev ?? 0;
    expect(await rt.queues.queueOf('twitter').getJob(`post.pescara.twitter.d4e5f6.sweep-${rev}`)).toBeDefined();
    // Once through, the catch-up does not walk again.
    expect(await rt.redis.hget(rt.keys.sweeperCursor(), 'pescara')).toBe('done');
    expect(await duty.run({ now: () => Date.now(), logger, signal: new AbortController().signal })).toMatchObject({ caughtUp: 0, driven: 0, live: 1 });
  });

  it('finds the id of a post recorded without it once the account can be read', async () => {
    life = await startLife({ initial: [offer(1)], networks: ['twitter'], postTimeout: '1s' });
    const l = life;
    // X committed the post and the answer was lost; its duplicate answer on the Free tier says "posted", id unknown.
    l.x.dropNext(1);
    await l.startWorkers();
    await l.pollOnce();
    const link = l.office.linkOf(offer(1).code);
    const key = await keyOf(l, link);
    await waitFor('posted without its id', async () => (await l.rt.ledger.get('pescara', 'twitter', key))?.state === 'posted', 30_000, 100);
    expect((await l.rt.ledger.get('pescara', 'twitter', key))!.remoteId).toBe('');
    const services = { config: l.rt.config, ledger: l.rt.ledger, offers: l.rt.offers, book: l.rt.book, channels: l.rt.channels, queues: l.rt.queues, redis: l.rt.redis, keys: l.rt.keys };
    const ctx = { now: () => Date.now() + 60_000, logger: l.rt.logger, signal: new AbortController().signal };
    // While the refusal to read is remembered, the sweeper does not ask.
    expect(await sweeperDuty(services).run(ctx)).toMatchObject({ unconfirmed: 1, idsFound: 0 });
    await waitFor('the gauge shows 1', async () => gauge(await scrape(l.rt)) === 1, 10_000, 200);
    // An hour later, on a tier that reads: the id is found, and the post leaves the doubt.
    l.x.setTier('basic');
    await l.rt.redis.hdel(l.rt.keys.channelState('pescara', 'twitter'), 'readsRefusedUntil');
    expect(await sweeperDuty(services).run(ctx)).toMatchObject({ idsFound: 1 });
    const xs = postsOf(l, link).x;
    expect(xs).toHaveLength(1);
    expect((await l.rt.ledger.get('pescara', 'twitter', key))).toMatchObject({ state: 'posted', remoteId: xs[0]!.id });
    expect(gauge(await scrape(l.rt))).toBe(0);
  });
});
