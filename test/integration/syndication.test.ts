// SPDX-License-Identifier: EUPL-1.2
import { describe, it, expect, afterEach } from 'vitest';
import { startStack, waitFor, livePosts, type Stack } from '../helpers/stack.ts';
import { drained, pollCount, pollsAfter } from '../helpers/evidence.ts';

let stack: Stack | undefined;
afterEach(async () => { await stack?.stop(); stack = undefined; });

describe('end-to-end syndication on real Redis, real SDKs and emulators', () => {
  it('posts every offer of the feed once on X and once on the Facebook Page, with clean text and a link', async () => {
    stack = await startStack({ initialOffers: 3 });
    await stack.startWorkers();
    await stack.startPoller();
    const s = stack;
    await waitFor('3 posts on each network', () => livePosts(s.x.posts()).length === 3 && livePosts(s.graph.posts()).length === 3);

    s.feed.publishNext();
    await waitFor('the new offer on each network', () => livePosts(s.x.posts()).length === 4 && livePosts(s.graph.posts()).length === 4);
    // Several more polls of an unchanged feed post nothing again: wait until two more polls have ended
    // and what they queued (nothing, we expect) has run.
    await pollsAfter(s.rt, 'pescara', await pollCount(s.rt, 'pescara'), 2);
    await drained(s.rt);
    const xs = livePosts(s.x.posts());
    const fbs = livePosts(s.graph.posts());
    expect(xs).toHaveLength(4);
    expect(fbs).toHaveLength(4);

    const offers = s.feed.published();
    for (const o of offers) {
      const onX = xs.filter((p) => p.text.includes(o.url));
      expect(onX, `X posts for ${o.code}`).toHaveLength(1);
      expect(onX[0]!.text).toContain(o.title);
      const onFb = fbs.filter((p) => p.link === o.url);
      expect(onFb, `Facebook posts for ${o.code}`).toHaveLength(1);
      expect(onFb[0]!.message).toContain(o.title);
    }
    for (const p of [...xs.map((p) => p.text), ...fbs.map((p) => p.message)]) {
      expect(p).not.toMatch(/<[a-z/]|&[a-z]+;|&#\d+;/i);
    }
    // Poll jobs name their feed by a hash: a feed URL may carry a key, and job data is shown in bull-board.
    const pollJobs = await s.rt.queues.poll.getJobs(['completed', 'delayed', 'waiting', 'active'], 0, 50);
    expect(pollJobs.length).toBeGreaterThan(0);
    for (const j of pollJobs) expect(JSON.stringify(j?.data)).not.toContain(s.feed.rssUrl);
    // The ledger shows each post with its permalink.
    const key = (await s.rt.offers.list('pescara', 0, 1))[0]!;
    const fb = await s.rt.ledger.get('pescara', 'facebook', key);
    const tw = await s.rt.ledger.get('pescara', 'twitter', key);
    expect(fb?.state).toBe('posted');
    expect(fb?.permalink).toMatch(/^https:\/\/www\.facebook\.com\/1234567890_\d+$/);
    expect(tw?.state).toBe('posted');
    expect(tw?.permalink).toMatch(/^https:\/\/x\.com\/[^/]+\/status\/\d+$/);
  });

  it('skips the offers already in a feed at its first poll when onFirstPoll is skip, and posts the later ones', async () => {
    stack = await startStack({ initialOffers: 4, onFirstPoll: 'skip' });
    const s = stack;
    await s.startWorkers();
    await s.pollOnce();
    // The poll has decided: the ledger says skipped for every offer on both networks, and nothing is queued.
    const keys = await s.rt.offers.list('pescara', 0, 100);
    expect(keys).toHaveLength(4);
    for (const key of keys) for (const net of ['twitter', 'facebook'] as const) expect((await s.rt.ledger.get('pescara', net, key))?.state, `${key} on ${net}`).toBe('skipped');
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(0);
    expect(s.graph.posts()).toHaveLength(0);
    s.feed.publishNext();
    await s.pollOnce();
    await waitFor('only the new offer posted', () => s.x.posts().length === 1 && s.graph.posts().length === 1);
    const newest = s.feed.published().at(-1)!;
    expect(s.x.posts()[0]!.text).toContain(newest.url);
    expect(s.graph.posts()[0]!.link).toBe(newest.url);
  });
});
