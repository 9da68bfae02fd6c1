// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #6, quiet hours: a publisher's night (22:00 → 07:00 in its zone, crossing midnight) posts
 * nothing; what was found inside goes out after the end, spread over `spread`, not in a burst.
 * Issue #13: the first held post goes out when they end (a single one is not kept waiting for most of
 * the spread), the others evenly spaced over `spread`.
 * The clock runs at real speed from a moment just before 07:00 in Rome, so BullMQ's real delays and the
 * service's clock agree.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { DateTime } from 'luxon';
import { waitFor } from '../helpers/stack.ts';
import { releaseSlot } from '../../src/limits/quiet-release.ts';
import { startLife, offer, keyOf, RunningClock, type Life } from './life-kit.ts';

let life: Life | undefined;
afterEach(async () => { await life?.stop(); life = undefined; });

const rome = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Rome' }).toMillis();
const SPREAD_MS = 4000;

describe('quiet hours', () => {
  it('hold every post found inside them, then release them all after the end, spread out', async () => {
    const clock = new RunningClock();
    const offers = [offer(1), offer(2), offer(3), offer(4)];
    life = await startLife({ clock, initial: offers, publisherExtra: `    quietHours: { from: "22:00", to: "07:00", spread: ${SPREAD_MS}ms }` });
    const l = life;
    await l.startWorkers();
    const end = rome('2026-03-10T07:00:00');
    clock.setNow(end - 6000);
    expect(await l.pollOnce()).toMatchObject({ result: 'ok', fresh: 4 });

    // The poll held every post (4 offers × 2 networks): each job waits, delayed to the end or later by
    // the service's clock. This is the path that keeps them quiet; the look below is only meaningful after it.
    const held = (await Promise.all(l.rt.queues.deliveries().map((q) => q.getJobs(['delayed'])))).flat();
    expect(held).toHaveLength(8);
    for (const job of held) expect(job.timestamp + job.delay + clock.offset, `${job.id} is due inside the quiet hours`).toBeGreaterThanOrEqual(end);

    // Inside the quiet hours, nothing reaches either network.
    let looked = 0;
    while (clock.now() < end - 200) {
      expect(l.x.posts(), 'an X post inside quiet hours').toHaveLength(0);
      expect(l.graph.posts(), 'a Facebook post inside quiet hours').toHaveLength(0);
      looked++;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(looked, 'the poll took the whole quiet window; nothing was observed inside it').toBeGreaterThan(0);

    await waitFor('every held offer on both networks', () => l.x.posts().length === 4 && l.graph.posts().length === 4, 30_000);
    const postedAt: Record<string, number[]> = { twitter: [], facebook: [] };
    for (const o of offers) {
      const key = await keyOf(l, l.office.linkOf(o.code));
      for (const net of ['twitter', 'facebook'] as const) {
        const entry = await l.rt.ledger.get('pescara', net, key);
        expect(entry?.state).toBe('posted');
        // The service's own clock said 07:00 or later for every post.
        expect(entry!.postedAt!).toBeGreaterThanOrEqual(end);
        postedAt[net]!.push(entry!.postedAt!);
      }
    }
    // Not a burst at 07:00, and evenly: per account, the first when they end, then one every spread / 4
    // (1 s here). A post may be late on a loaded machine (BullMQ's wake, two cores shared), never early:
    // each waits for its turn, so no two can bunch up ahead of the schedule.
    for (const net of ['twitter', 'facebook'] as const) {
      const times = postedAt[net]!.sort((a, b) => a - b);
      expect(times[0]! - end, `${net}: the first held post goes out when the quiet hours end`).toBeLessThan(SPREAD_MS / 2);
      times.forEach((t, i) => expect(t, `${net} post ${i} before its turn`).toBeGreaterThanOrEqual(end + (i * SPREAD_MS) / 4));
    }
    expect(l.x.posts()).toHaveLength(4);
    expect(l.graph.posts()).toHaveLength(4);
  });

  it('a single post held by them goes out within a minute of their end, even with a spread of an hour', async () => {
    const clock = new RunningClock();
    life = await startLife({ clock, initial: [offer(1)], publisherExtra: '    quietHours: { from: "22:00", to: "07:00", spread: 1h }' });
    const l = life;
    await l.startWorkers();
    const end = rome('2026-03-10T07:00:00');
    clock.setNow(end - 3000);
    expect(await l.pollOnce()).toMatchObject({ result: 'ok', fresh: 1 });
    // Held: both jobs are due at the end, not before.
    const held = (await Promise.all(l.rt.queues.deliveries().map((q) => q.getJobs(['delayed'])))).flat();
    expect(held).toHaveLength(2);
    await waitFor('the offer on both networks', () => l.x.posts().length === 1 && l.graph.posts().length === 1, 70_000);
    const key = await keyOf(l, l.office.linkOf(offer(1).code));
    // The network has it before the ledger records it: wait for both entries to say posted.
    await waitFor('both ledger entries posted', async () => (await Promise.all((['twitter', 'facebook'] as const).map((net) => l.rt.ledger.get('pescara', net, key)))).every((e) => e?.state === 'posted'));
    for (const net of ['twitter', 'facebook'] as const) {
      const at = (await l.rt.ledger.get('pescara', net, key))?.postedAt ?? 0;
      expect(at, `${net} posted inside the quiet hours`).toBeGreaterThanOrEqual(end);
      expect(at - end, `${net} posted more than a minute after the end`).toBeLessThan(60_000);
    }
  });

  it('outside them, posts go out at once', async () => {
    const clock = new RunningClock();
    life = await startLife({ clock, initial: [offer(1)], publisherExtra: '    quietHours: { from: "22:00", to: "07:00", spread: 1h }' });
    const l = life;
    await l.startWorkers();
    clock.setNow(rome('2026-03-10T12:00:00'));
    await l.pollOnce();
    await waitFor('the offer on both networks', () => l.x.posts().length === 1 && l.graph.posts().length === 1);
  });
});

describe('release slots', () => {
  it('the first at the end, then one every spread / n', () => {
    const end = rome('2026-03-10T07:00:00');
    expect(releaseSlot(end, 0, 1, 600_000)).toBe(end);
    expect([0, 1, 2, 3].map((r) => releaseSlot(end, r, 4, 600_000) - end)).toEqual([0, 150_000, 300_000, 450_000]);
    expect(releaseSlot(end, 3, 4, 0)).toBe(end);
  });
});
