// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 13, post once on X's Free tier: a post left in doubt is found out by `reconcile: read | resend |
 * auto` (src/delivery/reconcile.ts). On the Free tier the timeline answers 403 client-not-enrolled, so
 * `auto` sends the ledger's stored text again and takes X's "duplicate content" as "posted". An in-doubt
 * post always goes again with its stored text, never a fresh render. Real Redis, in-process emulators.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { waitFor } from '../helpers/stack.ts';
import { startLife, offer, postsOf, keyOf, lifeConfig, type Life } from './life-kit.ts';
import { REMOTE_ID_UNKNOWN, REMOTE_ID_NOT_READ } from '../../src/delivery/on-error.ts';

let life: Life | undefined;
afterEach(async () => { await life?.stop(); life = undefined; });

const xLedger = async (l: Life, link: string) => l.rt.ledger.get('pescara', 'twitter', await keyOf(l, link));
const fbLedger = async (l: Life, link: string) => l.rt.ledger.get('pescara', 'facebook', await keyOf(l, link));
const counted = async (l: Life, outcome: string) => (await l.rt.counters.read()).posts.filter((p) => p.network === 'twitter' && p.outcome === outcome).reduce((a, p) => a + p.value, 0);

/** X alone, with a short post timeout so an in-doubt post is looked at again within seconds. */
async function xOnly(extra = ''): Promise<Life> {
  life = await startLife({ initial: [offer(1)], networks: ['twitter'], postTimeout: '1s', twitterExtra: extra });
  return life;
}

describe('reconcile: auto on X\'s Free tier (the timeline cannot be read)', () => {
  it('a request that hung before X committed it is sent again and posted once; the refused read is remembered', async () => {
    const l = await xOnly();
    l.x.hangBeforeCommitNext(1);
    await l.startWorkers();
    await l.pollOnce();
    const link = l.office.linkOf(offer(1).code);
    await waitFor('posted', async () => (await xLedger(l, link))?.state === 'posted', 30_000, 100);
    const xs = postsOf(l, link).x;
    expect(xs).toHaveLength(1);
    const entry = (await xLedger(l, link))!;
    // This time X answered: the ledger has the real id.
    expect(entry.remoteId).toBe(xs[0]!.id);
    expect(entry.attempts).toBe(2);
    expect((await l.rt.channels.get('pescara', 'twitter')).readsRefusedUntil).toBeGreaterThan(Date.now());
  });

  it('a commit-then-drop is found by X\'s duplicate answer and never posted twice; a later one does not ask the timeline again', async () => {
    const l = await xOnly();
    l.x.dropNext(1);
    await l.startWorkers();
    await l.pollOnce();
    const link = l.office.linkOf(offer(1).code);
    await waitFor('posted', async () => (await xLedger(l, link))?.state === 'posted', 30_000, 100);
    expect(postsOf(l, link).x).toHaveLength(1);
    const entry = (await xLedger(l, link))!;
    expect(entry.remoteId).toBe('');
    expect(entry.reason).toBe(REMOTE_ID_UNKNOWN);
    expect(await counted(l, 'duplicate')).toBe(1);

    // The account could now be read, but the refusal is remembered for a while: the next post in doubt
    // goes by resend (an empty id) instead of reading (which would find its id).
    l.x.setTier('basic');
    l.office.list = [offer(1), offer(2)];
    l.x.dropNext(1);
    await l.pollOnce();
    const link2 = l.office.linkOf(offer(2).code);
    await waitFor('the second posted', async () => (await xLedger(l, link2))?.state === 'posted', 30_000, 100);
    expect(postsOf(l, link2).x).toHaveLength(1);
    expect((await xLedger(l, link2))!.remoteId).toBe('');
  });

  it('X\'s duplicate answer where no send was recorded (a lost `sending` mark) is "posted", not "failed"', async () => {
    const l = await xOnly();
    await l.startWorkers();
    await l.pollOnce();
    const link = l.office.linkOf(offer(1).code);
    await waitFor('posted', async () => (await xLedger(l, link))?.state === 'posted', 30_000, 100);
    // Redis forgot what happened (AOF without fsync): the entry is back at queued, and the job runs again.
    const key = await keyOf(l, link);
    await l.rt.ledger.update('pescara', 'twitter', key, { state: 'queued' }, ['remoteId', 'permalink', 'postedAt', 'sendingSince']);
    await l.rt.queues.addDeliveries([{ task: { kind: 'post', publisher: 'pescara', network: 'twitter', offerKey: key }, attempts: 3, variant: 'again' }]);
    await waitFor('recorded again', async () => ['posted', 'failed'].includes((await xLedger(l, link))?.state ?? '') && (await counted(l, 'duplicate')) === 1, 30_000, 100);
    const entry = (await xLedger(l, link))!;
    expect(entry.state).toBe('posted');
    expect(entry.remoteId).toBe('');
    expect(entry.reason).toBe(REMOTE_ID_UNKNOWN);
    expect(postsOf(l, link).x).toHaveLength(1);
  });
});

describe('reconcile: read and resend', () => {
  it('an in-doubt post whose offer was corrected in between is re-sent with its stored text (and Facebook then edits it)', async () => {
    life = await startLife({ initial: [offer(1)], postTimeout: '1s', twitterExtra: '        reconcile: read' });
    const l = life;
    l.x.setTier('basic');
    l.x.hangBeforeCommitNext(1);
    l.graph.hangBeforeCommitNext(1);
    await l.startWorkers();
    await l.pollOnce();
    const link = l.office.linkOf(offer(1).code);
    await waitFor('both posts in doubt', async () => (await xLedger(l, link))?.state === 'unknown' && (await fbLedger(l, link))?.state === 'unknown', 20_000, 20);
    const stored = (await xLedger(l, link))!.text!;
    expect(stored).toContain('Operaio/a di produzione n. 1');

    // The office corrects the offer before the next attempt looks.
    l.office.list = [offer(1, { title: 'Saldatore/trice a filo' })];
    expect(await l.pollOnce()).toMatchObject({ changed: 1 });
    expect((await xLedger(l, link))!.state).toBe('unknown');

    await waitFor('posted on both', async () => (await xLedger(l, link))?.state === 'posted' && (await fbLedger(l, link))?.state === 'posted', 30_000, 100);
    const xs = postsOf(l, link).x;
    expect(xs).toHaveLength(1);
    expect(xs[0]!.text).toBe(stored);
    // Facebook can edit: the post went out with its stored text, then followed the correction.
    await waitFor('the Facebook post edited', () => postsOf(l, link).fb[0]?.history.length === 1, 20_000, 100);
    const fb = postsOf(l, link).fb;
    expect(fb).toHaveLength(1);
    expect(fb[0]!.history[0]!.message).toContain('Operaio/a di produzione n. 1');
    expect(fb[0]!.message).toContain('Saldatore/trice a filo');
  });

  it('reconcile: read on the Free tier never guesses: nothing is sent until the account can be read', async () => {
    const l = await xOnly('        reconcile: read');
    l.x.hangBeforeCommitNext(1);
    await l.startWorkers();
    await l.pollOnce();
    const link = l.office.linkOf(offer(1).code);
    await waitFor('a refused read', async () => /reconcile: read/.test((await xLedger(l, link))?.lastError ?? ''), 30_000, 100);
    expect(postsOf(l, link).x).toHaveLength(0);
    expect((await xLedger(l, link))!.state).not.toBe('posted');
    l.x.setTier('basic');
    await waitFor('posted once the timeline can be read', async () => (await xLedger(l, link))?.state === 'posted', 30_000, 100);
    expect(postsOf(l, link).x).toHaveLength(1);
  });

  it('reconcile: resend never reads, even where it could: a commit-then-drop is recorded by the duplicate answer', async () => {
    const l = await xOnly('        reconcile: resend');
    l.x.setTier('pro');
    l.x.dropNext(1);
    await l.startWorkers();
    await l.pollOnce();
    const link = l.office.linkOf(offer(1).code);
    await waitFor('posted', async () => (await xLedger(l, link))?.state === 'posted', 30_000, 100);
    expect(postsOf(l, link).x).toHaveLength(1);
    expect((await xLedger(l, link))!.remoteId).toBe('');
    expect((await xLedger(l, link))!.reason).toBe(REMOTE_ID_NOT_READ);
    expect(await counted(l, 'duplicate')).toBe(1);
  });

  it('the config refuses resend on Facebook, naming the key, and defaults both channels to auto', () => {
    const yaml = (fb: string) => `
dashboard: { username: u, password: p }
publishers:
  - id: pescara
    name: P
    feeds: [{ url: "https://a.example/f.xml" }]
    channels:
      twitter: { appKey: k, appSecret: s, accessToken: t, accessSecret: ts }
      facebook: { pageId: "1", pageAccessToken: pt${fb} }
`;
    const ok = lifeConfig(yaml('')).config.publishers[0]!.channels;
    expect(ok.twitter!.reconcile).toBe('auto');
    expect(ok.facebook!.reconcile).toBe('auto');
    expect(() => lifeConfig(yaml(', reconcile: resend'))).toThrow(/publishers\[0\]\.channels\.facebook\.reconcile: resend is not safe on Facebook/);
  });
});
