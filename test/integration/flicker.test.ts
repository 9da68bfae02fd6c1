// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 13, "a flickering feed never closes offers for good": one poll that lists half the offers, or a
 * page where one JSON-LD block is broken, closes nothing; an offer closes only after it was missing from
 * `closeAfterMissing` complete polls in a row; and a withdrawn offer that comes back is reopened, its
 * posts back without a follower ever seeing two of them. Real Redis, the emulators and a page that
 * serves exactly what each test says.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { waitFor, livePosts } from '../helpers/stack.ts';
import { startPageLife, offer, type PageLife } from './feed-page-kit.ts';

let life: PageLife | undefined;
afterEach(async () => { await life?.stop(); life = undefined; });

const offers = (n: number) => Array.from({ length: n }, (_, i) => offer(i + 1));
/** Posts on each network that carry the offer's link (X: in the text; Facebook: the link field). */
function postsOf(l: PageLife, code: string) {
  const link = l.page.linkOf(code);
  return { x: l.x.posts().filter((p) => p.text.includes(link)), fb: l.graph.posts().filter((p) => p.link === link) };
}

/** Positive evidence that nothing more is on its way: no delivery job active, waiting, delayed or prioritized. */
async function queuesIdle(l: PageLife): Promise<void> {
  await waitFor('the delivery queues idle', async () => {
    const c = await Promise.all([l.rt.queues.queueOf('twitter'), l.rt.queues.queueOf('facebook')].map((q) => q.getJobCounts('active', 'waiting', 'delayed', 'prioritized')));
    return c.every((x) => Object.values(x).every((v) => v === 0));
  });
}

async function postAll(l: PageLife, n: number): Promise<void> {
  await l.startWorkers();
  expect(await l.pollOnce()).toMatchObject({ result: 'ok', fresh: n });
  await waitFor(`${n} offers on both networks`, () => l.x.posts().length === n && l.graph.posts().length === n);
}

/** Nothing was taken down: every post is live and unedited, and every offer open. */
async function expectAllUp(l: PageLife, n: number): Promise<void> {
  expect(livePosts(l.x.posts())).toHaveLength(n);
  expect(l.graph.posts().filter((p) => !p.deleted && p.history.length === 0)).toHaveLength(n);
  for (const key of await l.rt.offers.list('pescara', 0, 100)) expect((await l.rt.offers.get('pescara', key))?.state).toBe('open');
}

function warnings(l: PageLife, text: RegExp): number {
  return l.logs.filter((line) => text.test(line) && /"level":40/.test(line)).length;
}

describe('a flickering feed', () => {
  it('that lists half its offers for one poll closes nothing', async () => {
    life = await startPageLife({ initial: offers(8), feedExtra: '        onRemoval: close' });
    const l = life;
    await postAll(l, 8);
    l.page.show = { offers: offers(8).slice(0, 4) };
    expect(await l.pollOnce()).toMatchObject({ result: 'ok', removed: 0 });
    l.page.show = { offers: offers(8) };
    for (let i = 0; i < 4; i++) expect(await l.pollOnce()).toMatchObject({ removed: 0 });
    await expectAllUp(l, 8);
  });

  it('that loses most of its offers in two polls in a row is suspect: it counts none of them, warns once, and closes nothing', async () => {
    life = await startPageLife({ initial: offers(10), feedExtra: '        onRemoval: close\n        closeAfterMissing: 1' });
    const l = life;
    await postAll(l, 10);
    // Even with closeAfterMissing: 1, losing most of the offers at once is not taken as withdrawals.
    l.page.show = { offers: offers(10).slice(0, 4) }; // 6 of 10 lost
    expect(await l.pollOnce()).toMatchObject({ result: 'ok', removed: 0 });
    l.page.show = { offers: [offer(1), ...offers(10).slice(4)] }; // 3 of the 4 listed last time lost
    expect(await l.pollOnce()).toMatchObject({ result: 'ok', removed: 0 });
    l.page.show = { offers: offers(10) };
    for (let i = 0; i < 3; i++) expect(await l.pollOnce()).toMatchObject({ removed: 0 });
    await expectAllUp(l, 10);
    expect(warnings(l, /lost most of its offers at once/)).toBe(1);
  });

  it('whose page has one broken JSON-LD block counts nothing as missing, for as long as it stays broken', async () => {
    life = await startPageLife({ initial: offers(6), feedExtra: '        onRemoval: close' });
    const l = life;
    await postAll(l, 6);
    // The broken block is offer 3's: without the flag it would look withdrawn.
    l.page.show = { offers: offers(6), broken: [offer(3).code] };
    for (let i = 0; i < 5; i++) expect(await l.pollOnce()).toMatchObject({ removed: 0 });
    await expectAllUp(l, 6);
    expect(warnings(l, /part of the feed could not be read/)).toBe(1);
    // An offer that really leaves while the page is still broken is not counted either…
    l.page.show = { offers: offers(6).filter((o) => o.code !== offer(5).code), broken: [offer(3).code] };
    for (let i = 0; i < 4; i++) expect(await l.pollOnce()).toMatchObject({ removed: 0 });
    // …and is closed once the page reads whole again and still lacks it.
    l.page.show = { offers: offers(6).filter((o) => o.code !== offer(5).code) };
    expect(await l.pollOnce()).toMatchObject({ removed: 0 });
    expect(await l.pollOnce()).toMatchObject({ removed: 0 });
    expect(await l.pollOnce()).toMatchObject({ removed: 1 });
    await waitFor('offer 5 closed on both networks', () => postsOf(l, offer(5).code).x[0]?.deleted && postsOf(l, offer(5).code).fb[0]?.history.length === 1);
    expect(livePosts(l.x.posts())).toHaveLength(5);
  });

  it('that really loses most of its offers closes them, one poll later than a single withdrawal, with one warning', async () => {
    life = await startPageLife({ initial: offers(8), feedExtra: '        onRemoval: close' });
    const l = life;
    await postAll(l, 8);
    l.page.show = { offers: offers(8).slice(0, 2) };
    const removed: number[] = [];
    for (let i = 0; i < 4; i++) removed.push((await l.pollOnce()).removed ?? -1);
    expect(removed).toEqual([0, 0, 0, 6]);
    await waitFor('six X posts deleted', () => livePosts(l.x.posts()).length === 2);
    expect(warnings(l, /lost most of its offers at once/)).toBe(1);
  });

  it('with closeAfterMissing: 1 closes on the first complete poll that lacks the offer', async () => {
    life = await startPageLife({ initial: offers(3), feedExtra: '        onRemoval: close\n        closeAfterMissing: 1' });
    const l = life;
    await postAll(l, 3);
    l.page.show = { offers: offers(3).slice(1) };
    expect(await l.pollOnce()).toMatchObject({ removed: 1 });
    await waitFor('its X post deleted', () => postsOf(l, offer(1).code).x[0]?.deleted);
  });

  it('counts an unchanged page (same body, no validators) as another poll that lacks the offer', async () => {
    life = await startPageLife({ initial: offers(3), feedExtra: '        onRemoval: close' });
    const l = life;
    await postAll(l, 3);
    l.page.show = { offers: offers(3).slice(1) };
    expect(await l.pollOnce()).toMatchObject({ result: 'ok', removed: 0 });
    expect(await l.pollOnce()).toMatchObject({ result: 'not-modified', removed: 0 });
    expect(await l.pollOnce()).toMatchObject({ result: 'not-modified', removed: 1 });
  });
});

describe('the acceptance check, on the poller role at 2-second polls', () => {
  it('half the offers for one poll, then one broken JSON-LD block: nothing closes; an offer that really left closes within a minute', async () => {
    life = await startPageLife({ initial: offers(6), feedExtra: '        onRemoval: close', pollInterval: '2s' });
    const l = life;
    await l.startWorkers();
    await l.startPoller();
    await waitFor('6 offers on both networks', () => l.x.posts().length === 6 && l.graph.posts().length === 6, 30_000);
    // One answer with half the offers, then four with offer 2's block broken, then the whole page.
    l.page.plan = [{ offers: offers(6).slice(3) }, ...Array.from({ length: 4 }, () => ({ offers: offers(6), broken: [offer(2).code] }))];
    await waitFor('the planned answers served', () => l.page.plan.length === 0, 60_000, 20);
    await l.polls(4);
    await expectAllUp(l, 6);

    l.page.show = { offers: offers(6).filter((o) => o.code !== offer(4).code) };
    const leftAt = Date.now();
    await waitFor('offer 4 closed: its X post deleted, its Facebook post edited', () => postsOf(l, offer(4).code).x[0]?.deleted && postsOf(l, offer(4).code).fb[0]?.history.length === 1, 60_000, 50);
    expect(Date.now() - leftAt).toBeLessThan(60_000);
    expect(livePosts(l.x.posts())).toHaveLength(5);
    expect(l.graph.posts().filter((p) => p.history.length === 0)).toHaveLength(5);
  });
});

describe('a withdrawn offer that comes back', () => {
  it('is reopened: the Facebook post edited back, the X post posted again, once each', async () => {
    life = await startPageLife({ initial: offers(2), feedExtra: '        onRemoval: close\n        closeAfterMissing: 1' });
    const l = life;
    await postAll(l, 2);
    const first = postsOf(l, offer(1).code);
    l.page.show = { offers: [offer(2)] };
    expect(await l.pollOnce()).toMatchObject({ removed: 1 });
    await waitFor('closed on both networks', () => postsOf(l, offer(1).code).x[0]?.deleted && postsOf(l, offer(1).code).fb[0]?.history.length === 1);
    expect(postsOf(l, offer(1).code).fb[0]!.message).toMatch(/Offerta chiusa/);

    l.page.show = { offers: offers(2) };
    expect(await l.pollOnce()).toMatchObject({ result: 'ok', reopened: 1, fresh: 0 });
    await waitFor('posted again on X and edited back on Facebook', () => livePosts(postsOf(l, offer(1).code).x).length === 1 && postsOf(l, offer(1).code).fb[0]?.history.length === 2);
    await l.pollOnce();
    await queuesIdle(l);

    const now = postsOf(l, offer(1).code);
    expect(now.x).toHaveLength(2); // the deleted one and the new one
    expect(livePosts(now.x)).toHaveLength(1);
    expect(now.fb).toHaveLength(1); // the same post, edited back
    expect(now.fb[0]!.id).toBe(first.fb[0]!.id);
    expect(now.fb[0]!.message).not.toMatch(/Offerta chiusa/);
    expect(now.fb[0]!.message).toContain(offer(1).title);
    const k1 = await keyOfCode(l, offer(1).code);
    expect((await l.rt.offers.get('pescara', k1))?.state).toBe('open');
    const tw = await l.rt.ledger.get('pescara', 'twitter', k1);
    expect(tw).toMatchObject({ state: 'posted', reposts: 1, repostOf: first.x[0]!.id });
    expect(tw?.remoteId).toBe(livePosts(now.x)[0]!.id);
    expect(await l.rt.ledger.get('pescara', 'facebook', k1)).toMatchObject({ state: 'posted', remoteId: first.fb[0]!.id });
    // Offer 2 was never touched.
    expect(livePosts(l.x.posts())).toHaveLength(2);
  });

  it('with closeAction: delete, gets its Facebook post posted again too; and can close and come back again', async () => {
    life = await startPageLife({ initial: offers(2), feedExtra: '        onRemoval: close\n        closeAfterMissing: 1', facebookExtra: '        closeAction: delete' });
    const l = life;
    await postAll(l, 2);
    for (let round = 1; round <= 2; round++) {
      l.page.show = { offers: [offer(2)] };
      expect(await l.pollOnce()).toMatchObject({ removed: 1 });
      await waitFor(`round ${round}: deleted on both networks`, () => livePosts(postsOf(l, offer(1).code).x).length === 0 && livePosts(postsOf(l, offer(1).code).fb).length === 0);
      l.page.show = { offers: offers(2) };
      expect(await l.pollOnce()).toMatchObject({ reopened: 1 });
      await waitFor(`round ${round}: posted again on both networks`, () => livePosts(postsOf(l, offer(1).code).x).length === 1 && livePosts(postsOf(l, offer(1).code).fb).length === 1);
    }
    expect(postsOf(l, offer(1).code).x).toHaveLength(3);
    expect(postsOf(l, offer(1).code).fb).toHaveLength(3);
    const k1 = await keyOfCode(l, offer(1).code);
    expect(await l.rt.ledger.get('pescara', 'facebook', k1)).toMatchObject({ state: 'posted', reposts: 2 });
  });

  it('before its posts went out, gets them posted once', async () => {
    life = await startPageLife({ initial: offers(2), feedExtra: '        onRemoval: close\n        closeAfterMissing: 1' });
    const l = life;
    await l.pollOnce(); // queued; no worker yet
    l.page.show = { offers: [offer(2)] };
    expect(await l.pollOnce()).toMatchObject({ removed: 1 });
    l.page.show = { offers: offers(2) };
    expect(await l.pollOnce()).toMatchObject({ reopened: 1 });
    await l.startWorkers();
    await waitFor('both offers on both networks', () => l.x.posts().length === 2 && l.graph.posts().length === 2);
    await queuesIdle(l);
    expect(postsOf(l, offer(1).code).x).toHaveLength(1);
    expect(postsOf(l, offer(1).code).fb).toHaveLength(1);
  });

  it('while its close still waits in the queue, keeps its posts up', async () => {
    life = await startPageLife({ initial: offers(2), feedExtra: '        onRemoval: close\n        closeAfterMissing: 1' });
    const l = life;
    const workers = await l.startWorkers();
    expect(await l.pollOnce()).toMatchObject({ fresh: 2 });
    await waitFor('both offers on both networks', () => l.x.posts().length === 2 && l.graph.posts().length === 2);
    await workers();
    l.page.show = { offers: [offer(2)] };
    expect(await l.pollOnce()).toMatchObject({ removed: 1 }); // its close jobs wait: no worker
    l.page.show = { offers: offers(2) };
    expect(await l.pollOnce()).toMatchObject({ reopened: 1 });
    await l.startWorkers();
    await waitFor('the close jobs ran', async () => ((await l.rt.queues.queueOf('twitter').getJobCounts('completed')).completed ?? 0) >= 3);
    expect(livePosts(l.x.posts())).toHaveLength(2);
    expect(l.graph.posts().every((p) => p.history.length === 0)).toBe(true);
  });
});

describe('an offer closed for another reason is never reopened by its feed', () => {
  it('an offer that expired stays closed when the feed lists it with a later deadline', async () => {
    const soon = new Date(Date.now() + 3000).toISOString();
    life = await startPageLife({ initial: [offer(1, { validThrough: soon }), offer(2)], feedExtra: '        onRemoval: close' });
    const l = life;
    await postAll(l, 2);
    const k1 = await keyOfCode(l, offer(1).code);
    await waitFor('offer 1 expired and closed', async () => (await l.pollOnce()).expired === 1 || (await l.rt.offers.get('pescara', k1))?.state === 'closed', 20_000, 200);
    await waitFor('its X post deleted', () => postsOf(l, offer(1).code).x[0]?.deleted);
    l.page.show = { offers: [offer(1, { validThrough: new Date(Date.now() + 86_400_000).toISOString() }), offer(2)] };
    for (let i = 0; i < 3; i++) expect(await l.pollOnce()).toMatchObject({ reopened: 0 });
    expect((await l.rt.offers.get('pescara', k1))?.state).toBe('closed');
    expect(livePosts(postsOf(l, offer(1).code).x)).toHaveLength(0);
  });

  it('an offer an operator cancelled stays cancelled when it leaves and comes back', async () => {
    life = await startPageLife({ initial: offers(2), feedExtra: '        onRemoval: close\n        closeAfterMissing: 1' });
    const l = life;
    await l.pollOnce(); // queued, no worker
    const k1 = await keyOfCode(l, offer(1).code);
    expect(await l.rt.closer.close(l.rt.config.publishers[0]!, k1, 'cancelled by an operator', Date.now(), { cancel: true })).toBe(true);
    l.page.show = { offers: [offer(2)] };
    await l.pollOnce();
    l.page.show = { offers: offers(2) };
    expect(await l.pollOnce()).toMatchObject({ reopened: 0 });
    await l.startWorkers();
    await waitFor('offer 2 posted', () => l.x.posts().length === 1 && l.graph.posts().length === 1);
    await l.pollOnce();
    expect(postsOf(l, offer(1).code)).toEqual({ x: [], fb: [] });
    expect((await l.rt.offers.get('pescara', k1))?.state).toBe('cancelled');
  });
});

async function keyOfCode(l: PageLife, code: string): Promise<string> {
  for (const key of await l.rt.offers.list('pescara', 0, 1000)) {
    if ((await l.rt.offers.get('pescara', key))?.offer.url === l.page.linkOf(code)) return key;
  }
  throw new Error(`no stored offer for ${code}`);
}
