// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #6, corrections: when an office corrects an offer (its content hash changes), the Facebook post
 * is edited in place and X gets no second post; a change never posts the offer again.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { waitFor, livePosts } from '../helpers/stack.ts';
import { startLife, offer, postsOf, settle, keyOf, type Life } from './life-kit.ts';

let life: Life | undefined;
afterEach(async () => { await life?.stop(); life = undefined; });

describe('an offer corrected by the office', () => {
  it('edits the Facebook post in place (the emulator keeps the old text in its history) and posts nothing new anywhere', async () => {
    life = await startLife({ initial: [offer(1), offer(2)] });
    const l = life;
    await l.startWorkers();
    await l.pollOnce();
    await waitFor('both offers on both networks', () => l.x.posts().length === 2 && l.graph.posts().length === 2);
    const link = l.office.linkOf(offer(1).code);
    const xBefore = postsOf(l, link).x[0]!.text;

    // The office fixes the title and the deadline of offer 1.
    l.office.list = [offer(1, { title: 'Operaio/a di produzione specializzato/a', validThrough: '2099-12-31' }), offer(2)];
    const summary = await l.pollOnce();
    expect(summary).toMatchObject({ result: 'ok', changed: 1, fresh: 0 });
    await waitFor('the Facebook post edited', () => postsOf(l, link).fb[0]?.history.length === 1);
    // Polls of the corrected (now unchanged) feed do nothing more.
    await l.pollOnce();
    await l.pollOnce();
    await settle(l);

    const fb = postsOf(l, link).fb;
    expect(fb).toHaveLength(1);
    expect(fb[0]!.deleted).toBe(false);
    expect(fb[0]!.message).toContain('Operaio/a di produzione specializzato/a');
    expect(fb[0]!.message).toContain('31/12/2099');
    expect(fb[0]!.history).toHaveLength(1);
    expect(fb[0]!.history[0]!.message).toContain('Operaio/a di produzione n. 1');
    expect(fb[0]!.history[0]!.message).not.toContain('31/12/2099');

    // X cannot edit: its one post stays as it was, and no second post appears.
    expect(l.x.posts()).toHaveLength(2);
    expect(livePosts(l.x.posts())).toHaveLength(2);
    expect(postsOf(l, link).x.map((p) => p.text)).toEqual([xBefore]);
    expect(l.graph.posts()).toHaveLength(2);
    expect(postsOf(l, l.office.linkOf(offer(2).code)).fb[0]!.history).toHaveLength(0);

    // The ledger shows the Facebook post as posted with the corrected text.
    const key = await keyOf(l, link);
    const entry = await l.rt.ledger.get('pescara', 'facebook', key);
    expect(entry?.state).toBe('posted');
    expect(entry?.contentHash).toBe((await l.rt.offers.get('pescara', key))!.offer.contentHash);
  });

  it('with onUpdate: ignore leaves the posts as they are', async () => {
    life = await startLife({ initial: [offer(1)], feedExtra: '        onUpdate: ignore' });
    const l = life;
    await l.startWorkers();
    await l.pollOnce();
    await waitFor('the offer on both networks', () => l.x.posts().length === 1 && l.graph.posts().length === 1);
    l.office.list = [offer(1, { title: 'Titolo corretto' })];
    expect(await l.pollOnce()).toMatchObject({ result: 'ok', changed: 1 });
    await settle(l);
    expect(l.graph.posts()).toHaveLength(1);
    expect(l.graph.posts()[0]!.history).toHaveLength(0);
    expect(l.graph.posts()[0]!.message).not.toContain('Titolo corretto');
    expect(l.x.posts()).toHaveLength(1);
  });

  it('a correction that arrives before the offer was posted is what gets posted, once', async () => {
    life = await startLife({ initial: [offer(1)] });
    const l = life;
    // No workers yet: the post waits in the queue while the office corrects the offer.
    await l.pollOnce();
    l.office.list = [offer(1, { title: 'Titolo corretto prima della pubblicazione' })];
    await l.pollOnce();
    await l.startWorkers();
    await waitFor('the offer on both networks', () => l.x.posts().length === 1 && l.graph.posts().length === 1);
    await settle(l);
    expect(l.x.posts()).toHaveLength(1);
    expect(l.graph.posts()).toHaveLength(1);
    expect(l.x.posts()[0]!.text).toContain('Titolo corretto prima della pubblicazione');
    expect(l.graph.posts()[0]!.message).toContain('Titolo corretto prima della pubblicazione');
    expect(l.graph.posts()[0]!.history).toHaveLength(0);
  });
});
