// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #13, respect each network: edits and deletes spend windows of their own (`modifyLimits`), never
 * the posting budget. On X's Free tier (17 posts a day, the default `limits`), closing offers (onExpiry:
 * close deletes their X posts) must not cost posts: the day's 17 still go out.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { DateTime } from 'luxon';
import { waitFor } from '../helpers/stack.ts';
import { startLife, offer, keyOf, TestClock, type Life } from './life-kit.ts';
import { budgetOf } from '../../src/delivery/slots.ts';

let life: Life | undefined;
afterEach(async () => { await life?.stop(); life = undefined; });

const rome = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Rome' }).toMillis();

describe('modifications spend their own windows', () => {
  it('on X Free (17 a day), closing ten offers leaves the posting budget whole: 17 posts go out, the 18th waits', async () => {
    const clock = new TestClock(rome('2026-03-10T10:00:00'));
    const expiring = Array.from({ length: 10 }, (_, i) => offer(i + 1, { validThrough: '2026-03-10' }));
    life = await startLife({ clock, networks: ['twitter'], initial: expiring });
    const l = life;
    await l.startWorkers();
    await l.pollOnce();
    await waitFor('the first ten offers on X', () => l.x.posts().length === 10);

    // Past midnight: the ten expire (their X posts are deleted), and eight new offers come.
    clock.set(rome('2026-03-11T00:00:30'));
    const fresh = Array.from({ length: 8 }, (_, i) => offer(100 + i));
    l.office.list = [...expiring, ...fresh];
    expect(await l.pollOnce()).toMatchObject({ expired: 10, fresh: 8 });
    await waitFor('ten X posts deleted and seventeen posted', () => l.x.posts().filter((p) => p.deleted).length === 10 && l.x.posts().length === 17, 30_000);

    // The eighteenth is refused by the day's window (positive evidence: its job waits for hours).
    const last = await waitFor('one post job delayed by the daily window', async () => {
      const delayed = (await Promise.all(l.rt.queues.deliveries().map((q) => q.getJobs(['delayed'])))).flat().filter((j) => String(j.id).startsWith('post.'));
      return delayed.length === 1 && delayed[0]!.delay > 3_600_000 ? delayed[0] : undefined;
    });
    expect(last).toBeDefined();

    // What X received: 17 posts (the day's whole budget) and 10 deletes; each new offer but one is up.
    expect(l.x.posts()).toHaveLength(17);
    const texts = l.x.posts().filter((p) => !p.deleted).map((p) => p.text);
    expect(fresh.filter((o) => texts.some((t) => t.includes(l.office.linkOf(o.code))))).toHaveLength(7);
    for (const o of expiring) expect((await l.rt.ledger.get('pescara', 'twitter', await keyOf(l, l.office.linkOf(o.code))))?.state).toBe('closed');

    // In Redis: the posting windows hold the 17 posts, the modification windows the 10 deletes.
    const entry = l.rt.book.get('pescara', 'twitter')!;
    const posts = await l.rt.limiter.usage(entry.channel.accountKey, entry.config.limits, clock.now());
    const mods = budgetOf(entry, 'modify');
    expect(mods.budget).toBe('modify');
    const modifications = await l.rt.limiter.usage(entry.channel.accountKey, mods.windows, clock.now(), mods.budget);
    expect(posts.find((w) => w.perMs === 86_400_000)?.used).toBe(17);
    expect(modifications.map((w) => w.used)).toEqual([10, 10]);
  });
});
