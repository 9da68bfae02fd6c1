/**
 * Issue #6, quiet hours: a publisher's night (22:00 → 07:00 in its zone, crossing midnight) posts
 * nothing; what was found inside goes out after the end, spread over `spread`, not in a burst.
 * The clock runs at real speed from a moment just before 07:00 in Rome, so BullMQ's real delays and the
 * service's clock agree.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { DateTime } from 'luxon';
import { waitFor } from '../helpers/stack.ts';
import { heldSlot } from '../../src/format/quiet-hours.ts';
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
    // Not a burst at 07:00: the posts of each account are spread over the window (the slots cover at
    // least 60% of it; a loaded machine can only make the first ones late, so ask for a quarter).
    for (const net of ['twitter', 'facebook'] as const) {
      const times = postedAt[net]!;
      expect(Math.max(...times) - Math.min(...times), `${net} posts spread`).toBeGreaterThanOrEqual(SPREAD_MS / 4);
    }
    expect(l.x.posts()).toHaveLength(4);
    expect(l.graph.posts()).toHaveLength(4);
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

describe('held slots', () => {
  it('start at the end of the quiet hours and fill the spread evenly, however many posts were held', () => {
    const end = rome('2026-03-10T07:00:00');
    expect(heldSlot(end, 0, 600_000)).toBe(end);
    for (const n of [2, 5, 17, 40]) {
      const slots = Array.from({ length: n }, (_, i) => heldSlot(end, i, 600_000, 0.3)).sort((a, b) => a - b);
      expect(slots[0]!).toBeGreaterThanOrEqual(end);
      expect(slots.at(-1)!).toBeLessThan(end + 600_000);
      // No two posts closer than a fifth of an even share of the window: never a burst.
      const gaps = slots.slice(1).map((t, i) => t - slots[i]!);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(600_000 / n / 5);
    }
    expect(heldSlot(end, 3, 0)).toBe(end);
  });
});
