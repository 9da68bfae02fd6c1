// SPDX-License-Identifier: EUPL-1.2
/**
 * The contract of an OperatorService: what `banditore status`, the dashboard and its API may rely on,
 * asserted the same way against every implementation (the in-memory double of the page tests and
 * RedisOperatorService on real Redis). The scope rules are part of it: a view of one office sees
 * nothing of another and may not act on it; a read-only view may not act at all.
 *
 * A new OperatorService method gets its cases here, so the double can never drift from the real one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OperatorService } from '../../src/state/operator.ts';
import { FULL_SCOPE, NotFoundError, OutOfScopeError, scopeOf } from '../../src/state/scope.ts';
import { fixtureWorld } from '../helpers/fixture-world.ts';
import type { World } from '../helpers/operator-world.ts';

export type MakeOperator = (world: World) => Promise<{ op: OperatorService; close(): Promise<void> }>;

const PESCARA = scopeOf(['pescara'], true);
const PESCARA_VIEWER = scopeOf(['pescara'], false);

export function operatorContract(name: string, make: MakeOperator): void {
  describe(`OperatorService contract: ${name}`, () => {
    let closeIt: (() => Promise<void>) | undefined;
    afterEach(async () => { await closeIt?.(); closeIt = undefined; });
    const world = async (w: World = fixtureWorld()) => { const made = await make(w); closeIt = made.close; return made.op; };
    const channelOf = async (op: OperatorService, id: string) => (await op.status()).channels.find((c) => `${c.publisher}/${c.network}` === id);

    describe('what an unrestricted view reads', () => {
      it('reports every channel and feed, with pauses and counts derived from the queues', async () => {
        const op = await world();
        const s = await op.status();
        expect(s.channels.map((c) => `${c.publisher}/${c.network}`).sort()).toEqual(['pescara/facebook', 'pescara/twitter', 'teramo/facebook']);
        const teramo = s.channels.find((c) => c.publisher === 'teramo')!;
        expect(teramo.state).toBe('paused');
        expect(teramo.paused).toMatchObject({ kind: 'auth', reason: 'Error validating access token (code 190)' });
        const x = s.channels.find((c) => c.publisher === 'pescara' && c.network === 'twitter')!;
        expect(x.counts).toMatchObject({ waiting: 2, delayed: 1, failed: 1, held: 0, posted: 5 });
        expect(x.limits.map((l) => [l.max, l.perMs, l.used])).toEqual([[100, 900_000, 4], [17, 86_400_000, 17]]);
        expect(s.feeds.map((f) => [f.publisher, f.url, f.lastResult, f.consecutiveFailures])).toEqual([
          ['pescara', 'https://lavoro.example.it/offerte.rss', 'ok', 0],
          ['teramo', 'https://teramo.example.it/feed', 'error', 3],
        ]);
      });

      it('reports per channel the posts held by a pause, the posts out, and the last error from the network', async () => {
        const w = fixtureWorld();
        const op = await world({
          ...w,
          held: [{ publisher: 'teramo', network: 'facebook', offerKey: 'h1' }, { publisher: 'teramo', network: 'facebook', offerKey: 'h2' }],
          channelErrors: [{ publisher: 'teramo', network: 'facebook', errorClass: 'auth', message: 'Error validating access token (code 190)', at: w.now - 60_000 }],
        });
        const teramo = (await channelOf(op, 'teramo/facebook'))!;
        expect(teramo.counts).toMatchObject({ held: 2, posted: 1 });
        expect(teramo.lastError).toEqual({ errorClass: 'auth', message: 'Error validating access token (code 190)', at: w.now - 60_000 });
        const x = (await channelOf(op, 'pescara/twitter'))!;
        expect(x.counts).toMatchObject({ held: 0, posted: 5 });
        expect(x.lastError).toBeUndefined();
        // Resume releases what the pause held, and the count says so.
        expect(await op.resume('teramo', 'facebook', 'maria')).toEqual({ released: 2 });
        expect((await channelOf(op, 'teramo/facebook'))!.counts.held).toBe(0);
      });

      it('lists offers by publisher (in config order), newest first; finds them by code or title; filters', async () => {
        const op = await world();
        const all = await op.listOffers({});
        expect(all.total).toBe(4);
        expect(all.offers.map((o) => o.key)).toEqual(['d4e5f6', 'a1b2c3', 'q1w2e3', 't7e8r9']);
        expect((await op.listOffers({ search: 'pe-2026-042' })).offers.map((o) => o.key)).toEqual(['d4e5f6']);
        expect((await op.listOffers({ search: 'CUOCO' })).offers.map((o) => o.key)).toEqual(['d4e5f6']);
        expect((await op.listOffers({ publisher: 'teramo' })).offers.map((o) => o.key)).toEqual(['q1w2e3', 't7e8r9']);
        expect((await op.listOffers({ network: 'twitter', state: 'failed' })).offers.map((o) => o.key)).toEqual(['d4e5f6']);
        expect((await op.listOffers({ state: 'failed' })).offers.map((o) => o.key)).toEqual(['d4e5f6', 'q1w2e3']);
        const page = await op.listOffers({ limit: 2, offset: 1 });
        expect(page.total).toBe(4);
        expect(page.offers.map((o) => o.key)).toEqual(['a1b2c3', 'q1w2e3']);
      });

      it('shows one offer on every configured channel with its post and the text as sent', async () => {
        const op = await world();
        const o = (await op.getOffer('pescara', 'a1b2c3'))!;
        expect(o).toMatchObject({ publisher: 'pescara', key: 'a1b2c3', code: 'PE-2026-041', state: 'open', url: 'https://lavoro.example.it/o/41' });
        expect(o.channels.map((c) => [c.network, c.state, c.permalink])).toEqual([
          ['twitter', 'posted', 'https://x.example/i/status/1900000000000000001'],
          ['facebook', 'posted', 'https://facebook.example/111_222'],
        ]);
        expect(o.channels[0]!.preview).toEqual({ text: 'Magazziniere a Pescara https://lavoro.example.it/o/41', link: 'https://lavoro.example.it/o/41', length: 46, limit: 280 });
        expect((await op.getOffer('pescara', 'd4e5f6'))!.channels[0]!.lastError).toMatchObject({ errorClass: 'transient', message: 'HTTP 503 from X' });
        expect(await op.getOffer('pescara', 'nope')).toBeNull();
        expect(await op.getOffer('nowhere', 'a1b2c3')).toBeNull();
      });

      it('lists the latest posts newest first, with their links', async () => {
        const op = await world();
        const recent = await op.recentPosts(10);
        expect(recent.map((p) => `${p.publisher}/${p.network}/${p.offerKey}`)).toEqual(['pescara/facebook/d4e5f6', 'teramo/facebook/t7e8r9', 'pescara/facebook/a1b2c3', 'pescara/twitter/a1b2c3']);
        expect(recent[0]).toMatchObject({ title: 'Cuoco stagionale', code: 'PE-2026-042', permalink: 'https://facebook.example/111_333' });
        expect((await op.recentPosts(2)).map((p) => p.offerKey)).toEqual(['d4e5f6', 't7e8r9']);
      });

      it('groups failed posts by class with the network\'s words', async () => {
        const op = await world();
        const f = await op.failures();
        expect(Object.keys(f).sort()).toEqual(['auth', 'transient']);
        expect(f.transient).toEqual([expect.objectContaining({ jobId: 'post.pescara.twitter.d4e5f6', publisher: 'pescara', network: 'twitter', offerKey: 'd4e5f6', title: 'Cuoco stagionale', message: 'HTTP 503 from X' })]);
        expect(f.auth!.map((i) => i.publisher)).toEqual(['teramo']);
      });

      it('keeps the audit log newest first, and failed sign-ins apart from it', async () => {
        const op = await world();
        const before = await op.audit(100);
        expect(before.map((e) => `${e.action} ${e.target}`)).toEqual(['login dashboard', 'resume pescara/facebook', 'pause pescara/facebook', 'resume teramo/facebook', 'pause teramo/facebook']);
        await op.recordAudit({ at: Date.now(), who: 'maria', action: 'pause', target: 'pescara/twitter', result: 'ok', publisher: 'pescara', network: 'twitter', via: 'password' });
        await op.recordSignInFailure({ at: Date.now(), who: 'maria', ip: '10.0.0.9', reason: 'password', via: 'form' });
        await op.recordSignInFailure({ at: Date.now() + 1, who: 'mario', ip: '10.0.0.8', reason: 'limited', via: 'form' });
        const after = await op.audit(2);
        expect(after[0]).toMatchObject({ who: 'maria', action: 'pause', publisher: 'pescara', via: 'password' });
        expect(after).toHaveLength(2);
        expect((await op.audit(100)).some((e) => e.who === 'mario')).toBe(false);
        expect((await op.signInFailures(10)).map((e) => e.who)).toEqual(['mario', 'maria']);
      });

      it('reads counters per publisher for the metrics', async () => {
        const op = await world();
        const c = await op.counters();
        expect(c.posts).toEqual(expect.arrayContaining([{ publisher: 'pescara', network: 'twitter', outcome: 'posted', value: 5 }, { publisher: 'teramo', network: 'facebook', outcome: 'posted', value: 1 }]));
        expect(c.queues.find((q) => q.network === 'twitter')).toMatchObject({ waiting: 2, delayed: 1, failed: 1 });
      });
    });

    describe('what an unrestricted view does', () => {
      it('pauses a channel (saying who) and resumes it', async () => {
        const op = await world();
        await op.pause('pescara', 'facebook', 'maria');
        expect(await channelOf(op, 'pescara/facebook')).toMatchObject({ state: 'paused', paused: { kind: 'operator', by: 'maria' } });
        expect(await op.resume('pescara', 'facebook', 'maria')).toEqual({ released: 0 });
        expect((await channelOf(op, 'pescara/facebook'))!.state).toBe('active');
        await expect(op.pause('teramo', 'twitter', 'maria')).rejects.toBeInstanceOf(NotFoundError);
        await expect(op.resume('nowhere', 'facebook', 'maria')).rejects.toBeInstanceOf(NotFoundError);
      });

      it('retries one failed post: it leaves the failures and the failed count', async () => {
        const op = await world();
        await op.retryJob('post.pescara.twitter.d4e5f6', 'maria');
        expect((await op.failures()).transient ?? []).toEqual([]);
        expect((await channelOf(op, 'pescara/twitter'))!.counts.failed).toBe(0);
        await expect(op.retryJob('post.pescara.twitter.nope', 'maria')).rejects.toBeInstanceOf(NotFoundError);
      });

      it('retries a whole class and says how many', async () => {
        const op = await world();
        expect(await op.retryFailures('auth', 'maria')).toBe(1);
        expect((await op.failures()).auth ?? []).toEqual([]);
        expect((await op.failures()).transient).toHaveLength(1);
        expect(await op.retryFailures('permanent', 'maria')).toBe(0);
      });

      it('cancels an offer: posts not sent are cancelled, a sent one stays, its failure is no longer work', async () => {
        const op = await world();
        await op.cancelOffer('pescara', 'd4e5f6', 'maria');
        const o = (await op.getOffer('pescara', 'd4e5f6'))!;
        expect(o.state).toBe('cancelled');
        expect(o.channels.map((c) => [c.network, c.state])).toEqual([['twitter', 'cancelled'], ['facebook', 'posted']]);
        expect((await op.failures()).transient ?? []).toEqual([]);
        await expect(op.cancelOffer('pescara', 'zzz', 'maria')).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('the scope of one office', () => {
      it('sees only its own channels, feeds, offers, posts, failures, counters and audit entries', async () => {
        const op = (await world()).forScope(PESCARA);
        expect(op.scope).toEqual(PESCARA);
        const s = await op.status();
        expect(s.channels.map((c) => c.publisher)).toEqual(['pescara', 'pescara']);
        expect(s.feeds.map((f) => f.publisher)).toEqual(['pescara']);
        const offers = await op.listOffers({});
        expect(offers.total).toBe(2);
        expect(offers.offers.every((o) => o.publisher === 'pescara')).toBe(true);
        expect((await op.listOffers({ publisher: 'teramo' })).total).toBe(0);
        expect((await op.listOffers({ search: 'Teramo' })).total).toBe(0);
        expect((await op.listOffers({ state: 'failed' })).offers.map((o) => o.key)).toEqual(['d4e5f6']);
        expect((await op.recentPosts(10)).every((p) => p.publisher === 'pescara')).toBe(true);
        expect((await op.recentPosts(10))).toHaveLength(3);
        const f = await op.failures();
        expect(Object.keys(f)).toEqual(['transient']);
        const audit = await op.audit(100);
        expect(audit.map((e) => `${e.action} ${e.target}`)).toEqual(['resume pescara/facebook', 'pause pescara/facebook']);
        expect(await op.signInFailures(10)).toEqual([]);
        const c = await op.counters();
        expect(c.posts.map((p) => p.publisher)).toEqual(['pescara']);
        expect(c.polls.map((p) => p.publisher)).toEqual(['pescara']);
        expect(c.queues).toEqual([]);
      });

      it('refuses to show or act on another office, and changes nothing there', async () => {
        const full = await world();
        const op = full.forScope(PESCARA);
        await expect(op.getOffer('teramo', 't7e8r9')).rejects.toBeInstanceOf(OutOfScopeError);
        await expect(op.pause('teramo', 'facebook', 'maria')).rejects.toBeInstanceOf(OutOfScopeError);
        await expect(op.resume('teramo', 'facebook', 'maria')).rejects.toBeInstanceOf(OutOfScopeError);
        await expect(op.retryJob('post.teramo.facebook.q1w2e3', 'maria')).rejects.toBeInstanceOf(OutOfScopeError);
        await expect(op.cancelOffer('teramo', 't7e8r9', 'maria')).rejects.toBeInstanceOf(OutOfScopeError);
        // An office it does not know is outside it too: the answer says nothing about what exists.
        await expect(op.pause('nowhere', 'facebook', 'maria')).rejects.toBeInstanceOf(OutOfScopeError);
        expect((await channelOf(full, 'teramo/facebook'))!.paused!.kind).toBe('auth');
        expect((await full.failures()).auth).toHaveLength(1);
        expect((await full.getOffer('teramo', 't7e8r9'))!.state).toBe('open');
      });

      it('retries a class only within its offices', async () => {
        const full = await world();
        const op = full.forScope(PESCARA);
        expect(await op.retryFailures('auth', 'maria')).toBe(0);
        expect((await full.failures()).auth).toHaveLength(1);
        expect(await op.retryFailures('transient', 'maria')).toBe(1);
        expect((await full.failures()).transient ?? []).toEqual([]);
      });

      it('acts on its own office', async () => {
        const full = await world();
        const op = full.forScope(PESCARA);
        await op.pause('pescara', 'twitter', 'maria');
        expect((await channelOf(full, 'pescara/twitter'))!.state).toBe('paused');
        await op.retryJob('post.pescara.twitter.d4e5f6', 'maria');
        expect((await full.failures()).transient ?? []).toEqual([]);
      });

      it('can be narrowed but never widened', async () => {
        const full = await world();
        const wider = full.forScope(PESCARA).forScope(FULL_SCOPE);
        expect(wider.scope).toEqual(PESCARA);
        expect((await wider.status()).channels.every((c) => c.publisher === 'pescara')).toBe(true);
        const none = full.forScope(PESCARA).forScope(scopeOf(['teramo'], true));
        expect((await none.status()).channels).toEqual([]);
        expect((await none.listOffers({})).total).toBe(0);
      });
    });

    describe('posts in doubt', () => {
      /** The fixture world with two posts in doubt for an hour: Pescara's on Facebook, Teramo's. */
      const doubtful = (): World => {
        const w = fixtureWorld();
        const since = w.now - 3_600_000;
        const a = w.offers.find((o) => o.key === 'd4e5f6')!;
        a.posts = a.posts.map((p) => (p.network === 'facebook' ? { network: 'facebook', state: 'unknown', text: 'Cuoco stagionale', since } : p));
        const t = w.offers.find((o) => o.key === 't7e8r9')!;
        t.posts = [{ network: 'facebook', state: 'unknown', text: 'Operaio edile', since }];
        return w;
      };
      const keysOf = async (op: OperatorService) => (await op.inDoubt()).map((p) => `${p.publisher}/${p.network}/${p.offerKey}/${p.state}`).sort();

      it('lists and counts them per channel, each view its own offices', async () => {
        const full = await world(doubtful());
        expect(await keysOf(full)).toEqual(['pescara/facebook/d4e5f6/unknown', 'teramo/facebook/t7e8r9/unknown']);
        const counts = Object.fromEntries((await full.inDoubtCounts()).map((c) => [`${c.publisher}/${c.network}`, c.value]));
        expect(counts).toEqual({ 'pescara/facebook': 1, 'pescara/twitter': 0, 'teramo/facebook': 1 });
        const mine = full.forScope(PESCARA);
        expect(await keysOf(mine)).toEqual(['pescara/facebook/d4e5f6/unknown']);
        expect((await mine.inDoubtCounts()).every((c) => c.publisher === 'pescara')).toBe(true);
        await expect(mine.inDoubt({ publisher: 'teramo' })).rejects.toBeInstanceOf(OutOfScopeError);
        expect((await full.getOffer('pescara', 'd4e5f6'))!.channels.find((c) => c.network === 'facebook')!.inDoubt).toBe(true);
      });

      it('marks one posted, another not posted, and sends one anyway; each leaves the doubt', async () => {
        const full = await world(doubtful());
        const op = full.forScope(PESCARA);
        await op.markPosted('pescara', 'facebook', 'd4e5f6', 'maria', { remoteId: '111_999', permalink: 'https://facebook.example/111_999' });
        const fb = (await full.getOffer('pescara', 'd4e5f6'))!.channels.find((c) => c.network === 'facebook')!;
        expect(fb).toMatchObject({ state: 'posted', remoteId: '111_999', permalink: 'https://facebook.example/111_999' });
        expect(fb.inDoubt).toBeUndefined();
        await expect(op.markNotPosted('pescara', 'facebook', 'd4e5f6', 'maria')).rejects.toBeInstanceOf(NotFoundError);
        await full.markNotPosted('teramo', 'facebook', 't7e8r9', 'admin');
        expect((await full.getOffer('teramo', 't7e8r9'))!.channels[0]!.state).toBe('failed');
        await full.sendAnyway('teramo', 'facebook', 't7e8r9', 'admin');
        expect((await full.getOffer('teramo', 't7e8r9'))!.channels[0]!.state).toBe('queued');
        expect(await keysOf(full)).toEqual([]);
      });

      it('refuses another office and a read-only view, and changes nothing', async () => {
        const full = await world(doubtful());
        for (const op of [full.forScope(PESCARA), full.forScope(PESCARA_VIEWER)]) {
          await expect(op.markPosted('teramo', 'facebook', 't7e8r9', 'x')).rejects.toBeInstanceOf(OutOfScopeError);
          await expect(op.markNotPosted('teramo', 'facebook', 't7e8r9', 'x')).rejects.toBeInstanceOf(OutOfScopeError);
          await expect(op.sendAnyway('teramo', 'facebook', 't7e8r9', 'x')).rejects.toBeInstanceOf(OutOfScopeError);
        }
        await expect(full.forScope(PESCARA_VIEWER).markPosted('pescara', 'facebook', 'd4e5f6', 'v')).rejects.toMatchObject({ name: 'OutOfScopeError', why: 'read-only' });
        expect(await keysOf(full)).toEqual(['pescara/facebook/d4e5f6/unknown', 'teramo/facebook/t7e8r9/unknown']);
      });
    });

    describe('a read-only view', () => {
      it('reads its offices and may not act at all', async () => {
        const full = await world();
        const op = full.forScope(PESCARA_VIEWER);
        expect((await op.status()).channels).toHaveLength(2);
        await expect(op.pause('pescara', 'twitter', 'v')).rejects.toMatchObject({ name: 'OutOfScopeError', why: 'read-only' });
        await expect(op.resume('pescara', 'twitter', 'v')).rejects.toBeInstanceOf(OutOfScopeError);
        await expect(op.retryJob('post.pescara.twitter.d4e5f6', 'v')).rejects.toBeInstanceOf(OutOfScopeError);
        await expect(op.retryFailures('transient', 'v')).rejects.toBeInstanceOf(OutOfScopeError);
        await expect(op.cancelOffer('pescara', 'd4e5f6', 'v')).rejects.toBeInstanceOf(OutOfScopeError);
        expect((await channelOf(full, 'pescara/twitter'))!.state).toBe('active');
        expect((await full.failures()).transient).toHaveLength(1);
        const everything = full.forScope(scopeOf('*', false));
        await expect(everything.pause('teramo', 'facebook', 'v')).rejects.toBeInstanceOf(OutOfScopeError);
      });
    });
  });
}
