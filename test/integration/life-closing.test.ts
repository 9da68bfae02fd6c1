// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #6, the end of an offer's life: withdrawn from its feed (onRemoval: close) or expired (its
 * validThrough passed; onExpiry: close by default). Closing edits the Facebook post to say "Offerta
 * chiusa" (closeAction: edit) or deletes it (closeAction: delete), and deletes the X post; the ledger
 * and the dashboard's offer view show it closed. A withdrawal counts once the offer has been missing
 * from `closeAfterMissing` (3) complete polls in a row (issue 13: one poll is weak evidence).
 */
import { describe, it, expect, afterEach } from 'vitest';
import { DateTime } from 'luxon';
import { waitFor } from '../helpers/stack.ts';
import { RedisOperatorService } from '../../src/state/operator-service.ts';
import { startLife, offer, postsOf, settle, keyOf, TestClock, type Life } from './life-kit.ts';

let life: Life | undefined;
afterEach(async () => { await life?.stop(); life = undefined; });

const rome = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Rome' }).toMillis();

async function postBoth(l: Life, count: number): Promise<void> {
  await l.startWorkers();
  await l.pollOnce();
  await waitFor(`${count} offer(s) on both networks`, () => l.x.posts().length === count && l.graph.posts().length === count);
}

/** The polls before the one that closes a missing offer (closeAfterMissing: 3): each closes nothing. */
async function missingPollsBeforeClose(l: Life): Promise<void> {
  for (let i = 0; i < 2; i++) expect(await l.pollOnce()).toMatchObject({ removed: 0 });
}

async function expectClosedEverywhere(l: Life, link: string): Promise<void> {
  const key = await keyOf(l, link);
  const view = await new RedisOperatorService(l.rt).getOffer('pescara', key);
  expect(view?.state).toBe('closed');
  expect(view?.channels.map((c) => [c.network, c.state])).toEqual([['twitter', 'closed'], ['facebook', 'closed']]);
}

describe('an offer withdrawn from its feed', () => {
  it('with onRemoval: close and closeAction: edit, is closed once missing from three polls: Facebook post edited to say "chiusa", X post deleted', async () => {
    life = await startLife({ initial: [offer(1), offer(2)], feedExtra: '        onRemoval: close' });
    const l = life;
    await postBoth(l, 2);
    const gone = l.office.linkOf(offer(1).code);
    const stays = l.office.linkOf(offer(2).code);

    l.office.list = [offer(2)];
    await missingPollsBeforeClose(l);
    expect(postsOf(l, gone).x[0]!.deleted).toBe(false);
    expect(await l.pollOnce()).toMatchObject({ removed: 1 });
    await waitFor('the X post deleted and the Facebook post edited', () => postsOf(l, gone).x[0]?.deleted && postsOf(l, gone).fb[0]?.history.length === 1);
    await l.pollOnce();
    await settle(l);

    const fb = postsOf(l, gone).fb;
    expect(fb).toHaveLength(1);
    expect(fb[0]!.deleted).toBe(false);
    expect(fb[0]!.message).toMatch(/Offerta chiusa/);
    expect(fb[0]!.message.toLowerCase()).toContain('chiusa');
    expect(fb[0]!.message).toContain(offer(1).title);
    expect(fb[0]!.history).toHaveLength(1);
    expect(postsOf(l, gone).x).toHaveLength(1);
    expect(postsOf(l, gone).x[0]!.deleted).toBe(true);
    // The other offer is untouched, and nothing new was posted.
    expect(postsOf(l, stays).x[0]!.deleted).toBe(false);
    expect(postsOf(l, stays).fb[0]!.history).toHaveLength(0);
    expect(l.x.posts()).toHaveLength(2);
    expect(l.graph.posts()).toHaveLength(2);
    await expectClosedEverywhere(l, gone);
  });

  it('with closeAction: delete, deletes the Facebook post too', async () => {
    life = await startLife({ initial: [offer(1), offer(2)], feedExtra: '        onRemoval: close', facebookExtra: '        closeAction: delete' });
    const l = life;
    await postBoth(l, 2);
    const gone = l.office.linkOf(offer(1).code);
    l.office.list = [offer(2)];
    await missingPollsBeforeClose(l);
    expect(await l.pollOnce()).toMatchObject({ removed: 1 });
    await waitFor('both posts deleted', () => postsOf(l, gone).x[0]?.deleted && postsOf(l, gone).fb[0]?.deleted);
    await settle(l);
    expect(postsOf(l, gone).fb[0]!.history).toHaveLength(0);
    expect(l.graph.posts().filter((p) => !p.deleted)).toHaveLength(1);
    expect(l.x.posts().filter((p) => !p.deleted)).toHaveLength(1);
    await expectClosedEverywhere(l, gone);
  });

  it('by default (onRemoval: ignore) leaves its posts up', async () => {
    life = await startLife({ initial: [offer(1), offer(2)] });
    const l = life;
    await postBoth(l, 2);
    l.office.list = [offer(2)];
    expect(await l.pollOnce()).toMatchObject({ removed: 0 });
    await settle(l);
    expect(l.x.posts().filter((p) => !p.deleted)).toHaveLength(2);
    expect(l.graph.posts().every((p) => !p.deleted && p.history.length === 0)).toBe(true);
  });

  it('before it was posted, is never posted', async () => {
    life = await startLife({ initial: [offer(1), offer(2)], feedExtra: '        onRemoval: close' });
    const l = life;
    await l.pollOnce(); // queued, no worker yet
    l.office.list = [offer(2)];
    await missingPollsBeforeClose(l);
    expect(await l.pollOnce()).toMatchObject({ removed: 1 });
    await l.startWorkers();
    await waitFor('the remaining offer posted', () => l.x.posts().length === 1 && l.graph.posts().length === 1);
    await settle(l);
    expect(postsOf(l, l.office.linkOf(offer(1).code))).toEqual({ x: [], fb: [] });
    const key = await keyOf(l, l.office.linkOf(offer(1).code));
    expect((await l.rt.ledger.get('pescara', 'twitter', key))?.state).toBe('cancelled');
    expect((await l.rt.ledger.get('pescara', 'facebook', key))?.state).toBe('cancelled');
  });

  it('a feed that suddenly lists no usable offer closes nothing (more likely broken than emptied)', async () => {
    life = await startLife({ initial: [offer(1), offer(2)], feedExtra: '        onRemoval: close' });
    const l = life;
    await postBoth(l, 2);
    // It parses, but its one item has no title: no offer at all.
    l.office.list = [offer(3, { title: '' })];
    expect(await l.pollOnce()).toMatchObject({ result: 'ok', removed: 0 });
    await settle(l);
    expect(l.x.posts().filter((p) => !p.deleted)).toHaveLength(2);
    expect(l.graph.posts().every((p) => !p.deleted && p.history.length === 0)).toBe(true);
  });
});

describe('an offer whose deadline passes', () => {
  it('with a date-only validThrough stays open all that day in Rome and is closed by the first poll after midnight', async () => {
    const clock = new TestClock(rome('2026-03-10T10:00:00'));
    life = await startLife({ clock, initial: [offer(1, { validThrough: '2026-03-10' }), offer(2, { validThrough: '2026-03-20' })] });
    const l = life;
    await postBoth(l, 2);
    const due = l.office.linkOf(offer(1).code);
    expect(postsOf(l, due).fb[0]!.message).toContain('Scadenza: 10/03/2026');

    // 23:59 in Rome (22:59 UTC): still the last day of the offer.
    clock.set(rome('2026-03-10T23:59:00'));
    expect(await l.pollOnce()).toMatchObject({ expired: 0 });
    await settle(l);
    expect(postsOf(l, due).x[0]!.deleted).toBe(false);
    expect(postsOf(l, due).fb[0]!.history).toHaveLength(0);

    clock.set(rome('2026-03-11T00:00:30'));
    expect(await l.pollOnce()).toMatchObject({ expired: 1 });
    await waitFor('the X post deleted and the Facebook post marked closed', () => postsOf(l, due).x[0]?.deleted && postsOf(l, due).fb[0]?.history.length === 1);
    await l.pollOnce();
    await settle(l);
    expect(postsOf(l, due).fb[0]!.message).toContain('Offerta chiusa');
    const other = postsOf(l, l.office.linkOf(offer(2).code));
    expect(other.x[0]!.deleted).toBe(false);
    expect(other.fb[0]!.history).toHaveLength(0);
    expect(l.x.posts()).toHaveLength(2);
    expect(l.graph.posts()).toHaveLength(2);
    await expectClosedEverywhere(l, due);
  });

  it('that expires while its posts still wait in the queue is never posted', async () => {
    const clock = new TestClock(rome('2026-03-10T10:00:00'));
    life = await startLife({ clock, initial: [offer(1, { validThrough: '2026-03-10T12:00:00+01:00' }), offer(2)] });
    const l = life;
    await l.pollOnce(); // queued; no worker yet (say, the channel was busy all morning)
    clock.set(rome('2026-03-10T12:30:00'));
    expect(await l.pollOnce()).toMatchObject({ expired: 1 });
    await l.startWorkers();
    await waitFor('the other offer posted', () => l.x.posts().length === 1 && l.graph.posts().length === 1);
    await settle(l);
    expect(postsOf(l, l.office.linkOf(offer(1).code))).toEqual({ x: [], fb: [] });
    const key = await keyOf(l, l.office.linkOf(offer(1).code));
    expect((await l.rt.ledger.get('pescara', 'twitter', key))?.state).toBe('cancelled');
    expect((await l.rt.offers.get('pescara', key))?.state).toBe('closed');
  });

  it('with onExpiry: ignore keeps its posts up after the deadline', async () => {
    const clock = new TestClock(rome('2026-03-10T10:00:00'));
    life = await startLife({ clock, initial: [offer(1, { validThrough: '2026-03-10T12:00:00+01:00' })], feedExtra: '        onExpiry: ignore' });
    const l = life;
    await postBoth(l, 1);
    clock.set(rome('2026-03-10T13:00:00'));
    expect(await l.pollOnce()).toMatchObject({ expired: 0 });
    await settle(l);
    expect(l.x.posts()[0]!.deleted).toBe(false);
    expect(l.graph.posts()[0]!.history).toHaveLength(0);
  });
});
