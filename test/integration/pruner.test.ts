// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 13, "Redis never grows without bound": the pruner forgets closed, cancelled and expired offers
 * (and offers that left their feed with onRemoval: ignore, and digests) `retention` after they ended,
 * with their ledger entries on every network, index entries and presence entries; while a feed still
 * lists an offer, a small seen mark stays, so nothing is posted again. The pruner's pass runs with a
 * clock set past the retention; the service runs on real time.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { waitFor, livePosts } from '../helpers/stack.ts';
import { prunerDuty } from '../../src/duties/pruner.ts';
import { startPageLife, offer, type PageLife } from './feed-page-kit.ts';
import type { DutyReport } from '../../src/duties/duty.ts';

let life: PageLife | undefined;
afterEach(async () => { await life?.stop(); life = undefined; });

const DAY = 86_400_000;

async function prune(l: PageLife, at: number): Promise<DutyReport> {
  const duty = prunerDuty({ config: l.rt.config, retention: l.rt.retention });
  return duty.run({ now: () => at, logger: l.rt.logger, signal: new AbortController().signal });
}

/** Every key under the deployment's prefix that mentions the offer key, with its type. */
async function traces(l: PageLife, key: string): Promise<string[]> {
  const r = l.rt.redis;
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${l.rt.keys.prefix}:*`, 'COUNT', 500);
    cursor = next;
    for (const k of keys) {
      if (k.includes(key)) { out.push(k); continue; }
      const type = await r.type(k);
      if (type === 'zset' && (await r.zrange(k, '0', '-1')).some((m) => m.includes(key))) out.push(k);
      else if (type === 'set' && (await r.sismember(k, key))) out.push(k);
      else if (type === 'hash' && /feedmissing/.test(k) && (await r.hexists(k, key))) out.push(k);
    }
  } while (cursor !== '0');
  // BullMQ's own keys bound themselves (job retention), and limit windows hold slots only for their window.
  return out.filter((k) => !/:(twitter|facebook|poll):|:limit:/.test(k));
}

async function keyOfCode(l: PageLife, code: string): Promise<string> {
  for (const key of await l.rt.offers.list('pescara', 0, 1000)) {
    if ((await l.rt.offers.get('pescara', key))?.offer.url === l.page.linkOf(code)) return key;
  }
  throw new Error(`no stored offer for ${code}`);
}

async function postAll(l: PageLife, n: number): Promise<void> {
  await l.startWorkers();
  await l.pollOnce();
  await waitFor(`${n} offers on both networks`, () => l.x.posts().length === n && l.graph.posts().length === n);
}

describe('the pruner', () => {
  it('forgets a withdrawn offer retention after it closed: offer, ledger on every network, indexes and presence', async () => {
    life = await startPageLife({ initial: [offer(1), offer(2)], feedExtra: '        onRemoval: close\n        closeAfterMissing: 1' });
    const l = life;
    await postAll(l, 2);
    const k1 = await keyOfCode(l, offer(1).code);
    l.page.show = { offers: [offer(2)] };
    expect(await l.pollOnce()).toMatchObject({ removed: 1 });
    await waitFor('closed on X', () => l.x.posts().some((p) => p.deleted));
    await waitFor('the ledger says closed', async () => (await l.rt.ledger.get('pescara', 'facebook', k1))?.state === 'closed');
    expect((await traces(l, k1)).length).toBeGreaterThan(3);

    // Not yet: a day before the retention ends.
    expect(await prune(l, Date.now() + l.rt.config.retention - DAY)).toMatchObject({ forgotten: 0 });
    expect(await l.rt.offers.get('pescara', k1)).not.toBeNull();

    expect(await prune(l, Date.now() + l.rt.config.retention + DAY)).toMatchObject({ forgotten: 1, marked: 0 });
    expect(await traces(l, k1), "traces left").toEqual([]);
    expect(await l.rt.ledger.get('pescara', 'twitter', k1)).toBeNull();
    expect(await l.rt.ledger.get('pescara', 'facebook', k1)).toBeNull();
    // The other offer is untouched, and the feed goes on as before.
    const k2 = await keyOfCode(l, offer(2).code);
    expect((await l.rt.ledger.get('pescara', 'twitter', k2))?.state).toBe('posted');
    expect(await l.pollOnce()).toMatchObject({ result: 'not-modified', removed: 0 });
  });

  it('leaves a seen mark for an expired offer the feed still lists, so it is never posted again; the mark goes once no feed lists it', async () => {
    const soon = new Date(Date.now() + 2500).toISOString();
    life = await startPageLife({ initial: [offer(1, { validThrough: soon }), offer(2)], feedExtra: '        onRemoval: close' });
    const l = life;
    await postAll(l, 2);
    const k1 = await keyOfCode(l, offer(1).code);
    await waitFor('offer 1 expired and closed', async () => { await l.pollOnce(); return (await l.rt.offers.get('pescara', k1))?.state === 'closed'; }, 20_000, 250);
    await waitFor('its X post deleted', () => l.x.posts().some((p) => p.deleted));

    const at = Date.now() + l.rt.config.retention + DAY;
    const full = Number(await l.rt.redis.memory('USAGE', l.rt.keys.offer('pescara', k1)));
    expect(await prune(l, at)).toMatchObject({ marked: 1, forgotten: 0 });
    expect(await l.rt.offers.get('pescara', k1)).toBeNull(); // the dashboard no longer knows it
    expect(await l.rt.ledger.get('pescara', 'twitter', k1)).toBeNull();
    const mark = await l.rt.redis.hgetall(l.rt.keys.offer('pescara', k1));
    expect(Object.keys(mark).sort()).toEqual(['closedBy', 'contentHash', 'feed', 'pruned', 'seenAt', 'state']);
    expect(Number(await l.rt.redis.memory('USAGE', l.rt.keys.offer('pescara', k1)))).toBeLessThan(full / 2);

    // The feed still lists it (with its past deadline, or a new one): nothing is posted again.
    l.page.show = { offers: [offer(1, { validThrough: new Date(Date.now() + 30 * DAY).toISOString() }), offer(2)] };
    expect(await l.pollOnce()).toMatchObject({ result: 'ok', fresh: 0, reopened: 0 });
    expect(await l.pollOnce()).toMatchObject({ result: 'not-modified' });
    await waitFor('the delivery queues idle', async () => (await l.rt.queues.queueOf('twitter').getJobCounts('active', 'waiting', 'delayed', 'prioritized')).waiting === 0);
    expect(l.x.posts()).toHaveLength(2);
    expect(livePosts(l.x.posts())).toHaveLength(1);

    // A day later, still listed: the mark stays.
    expect(await prune(l, at + DAY + 1000)).toMatchObject({ marksDropped: 0 });
    expect(await l.rt.redis.exists(l.rt.keys.offer('pescara', k1))).toBe(1);
    // It leaves the feed (three complete polls), and the next look drops the mark.
    l.page.show = { offers: [offer(2)] };
    for (let i = 0; i < 3; i++) await l.pollOnce();
    expect(await prune(l, at + 2 * DAY + 2000)).toMatchObject({ marksDropped: 1 });
    expect(await traces(l, k1), "traces left").toEqual([]);
  });

  it('forgets an offer that left its feed (onRemoval: ignore) retention after it left, and keeps its posts up', async () => {
    life = await startPageLife({ initial: [offer(1), offer(2)] });
    const l = life;
    await postAll(l, 2);
    const k1 = await keyOfCode(l, offer(1).code);
    const k2 = await keyOfCode(l, offer(2).code);
    l.page.show = { offers: [offer(2)] };
    for (let i = 0; i < 3; i++) expect(await l.pollOnce()).toMatchObject({ removed: 0 });
    expect((await l.rt.offers.get('pescara', k1))?.state).toBe('open');
    expect(await prune(l, Date.now() + l.rt.config.retention + DAY)).toMatchObject({ forgotten: 1 });
    expect(await traces(l, k1), "traces left").toEqual([]);
    expect(livePosts(l.x.posts())).toHaveLength(2); // nothing was taken down
    expect(await l.rt.offers.get('pescara', k2)).not.toBeNull(); // still listed, never ended
  });

  it('keeps an offer that left and came back', async () => {
    life = await startPageLife({ initial: [offer(1), offer(2)] });
    const l = life;
    await postAll(l, 2);
    const k1 = await keyOfCode(l, offer(1).code);
    l.page.show = { offers: [offer(2)] };
    for (let i = 0; i < 3; i++) await l.pollOnce();
    l.page.show = { offers: [offer(1), offer(2)] };
    await l.pollOnce();
    expect(await prune(l, Date.now() + l.rt.config.retention + DAY)).toMatchObject({ forgotten: 0, stillOpen: 1 });
    expect((await l.rt.ledger.get('pescara', 'twitter', k1))?.state).toBe('posted');
    expect(await l.rt.redis.zscore(l.rt.keys.ended('pescara'), k1)).toBeNull();
  });

  it('catches up with offers closed before it existed: on its list from its first pass, forgotten retention later', async () => {
    life = await startPageLife({ initial: [offer(1), offer(2)], feedExtra: '        onRemoval: close\n        closeAfterMissing: 1' });
    const l = life;
    await postAll(l, 2);
    const k1 = await keyOfCode(l, offer(1).code);
    l.page.show = { offers: [offer(2)] };
    expect(await l.pollOnce()).toMatchObject({ removed: 1 });
    await waitFor('the ledger says closed', async () => (await l.rt.ledger.get('pescara', 'twitter', k1))?.state === 'closed');
    // As an older version left it: closed, on no list of the pruner's.
    await l.rt.redis.zrem(l.rt.keys.ended('pescara'), k1);
    const first = Date.now() + l.rt.config.retention + DAY;
    expect(await prune(l, first)).toMatchObject({ caughtUp: 1, forgotten: 0 });
    expect(await prune(l, first + DAY)).toMatchObject({ caughtUp: 0, forgotten: 0 }); // looked at once
    expect(await l.rt.offers.get('pescara', k1)).not.toBeNull();
    expect(await prune(l, first + l.rt.config.retention + DAY)).toMatchObject({ forgotten: 1 });
    expect(await traces(l, k1), 'traces left').toEqual([]);
  });

  it('forgets the ledger entries of a digest, on every network', async () => {
    life = await startPageLife({ initial: [], publisherExtra: '    digest: { over: 2, link: https://cpi.example/offerte }' });
    const l = life;
    await l.startWorkers();
    await l.pollOnce();
    l.page.show = { offers: [offer(1), offer(2), offer(3)] };
    await l.pollOnce();
    await waitFor('a digest on both networks', () => l.x.posts().length === 1 && l.graph.posts().length === 1);
    const digest = (await l.rt.redis.zrange(l.rt.keys.ended('pescara'), '0', '-1')).find((k) => k.startsWith('digest-'))!;
    expect(digest).toBeDefined();
    expect((await l.rt.ledger.get('pescara', 'twitter', digest))?.state).toBe('posted');
    expect(await prune(l, Date.now() + l.rt.config.retention + DAY)).toMatchObject({ forgotten: 1 });
    expect(await l.rt.ledger.get('pescara', 'twitter', digest)).toBeNull();
    expect(await l.rt.ledger.get('pescara', 'facebook', digest)).toBeNull();
  });
});
