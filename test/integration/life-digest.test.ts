// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #6, digest: when one poll finds more new offers than `digest.over`, each network gets one post
 * ("N nuove offerte di lavoro" and the office's link) instead of a flood; smaller batches post as usual.
 */
import { describe, it, expect, afterEach } from 'vitest';
import twitterText from 'twitter-text';
import { waitFor } from '../helpers/stack.ts';
import { startLife, offer, postsOf, settle, keyOf, type Life } from './life-kit.ts';

let life: Life | undefined;
afterEach(async () => { await life?.stop(); life = undefined; });

const LINK = 'https://lavoro.provincia.pescara.it/offerte';

describe('a digest', () => {
  it('replaces a flood of new offers with one post per network; a small batch later posts one by one', async () => {
    life = await startLife({ initial: [1, 2, 3, 4, 5, 6].map((n) => offer(n)), publisherExtra: `    digest: { over: 3, link: ${LINK} }` });
    const l = life;
    await l.startWorkers();
    await l.pollOnce();
    await waitFor('one digest on each network', () => l.x.posts().length === 1 && l.graph.posts().length === 1);
    await settle(l);

    expect(l.x.posts()).toHaveLength(1);
    expect(l.graph.posts()).toHaveLength(1);
    const x = l.x.posts()[0]!.text;
    expect(x).toContain('6 nuove offerte di lavoro');
    expect(x).toContain(LINK);
    expect(twitterText.parseTweet(x).valid).toBe(true);
    expect(l.graph.posts()[0]!.message).toContain('6 nuove offerte di lavoro');
    expect(l.graph.posts()[0]!.link).toBe(LINK);
    // Each offer is accounted for in the ledger: announced in the digest, not lost.
    const key = await keyOf(l, l.office.linkOf(offer(1).code));
    const entry = await l.rt.ledger.get('pescara', 'twitter', key);
    expect(entry?.state).toBe('skipped');
    expect(entry?.reason).toMatch(/digest/);

    // Two more: not over the threshold, so each gets its own post.
    l.office.list = [...l.office.list, offer(7), offer(8)];
    expect(await l.pollOnce()).toMatchObject({ fresh: 2 });
    await waitFor('the two new offers posted one by one', () => l.x.posts().length === 3 && l.graph.posts().length === 3);
    await settle(l);
    for (const n of [7, 8]) {
      const p = postsOf(l, l.office.linkOf(offer(n).code));
      expect(p.x).toHaveLength(1);
      expect(p.fb).toHaveLength(1);
    }
    expect(l.x.posts()).toHaveLength(3);
    expect(l.graph.posts()).toHaveLength(3);
  });
});
