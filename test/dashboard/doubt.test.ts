// SPDX-License-Identifier: EUPL-1.2
/**
 * Posts in doubt on the dashboard, over RedisOperatorService on real Redis: the overview's "In dubbio"
 * section and the offer page's buttons, and the three answers an operator gives for one post —
 * "segna come pubblicato", "segna come non pubblicato", "invia comunque" — through the API and the
 * forms: each scoped (another office's post: 403, nothing changes), each audited in Italian, each
 * leaving the ledger (and its index of entries in doubt) as it says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PEOPLE_PASSWORD, basic, login, makeDashboard } from './fixture.ts';
import { redisWorld, type RedisWorld } from '../helpers/operator-world.ts';
import { fixtureWorld } from '../helpers/fixture-world.ts';

const FORM = 'application/x-www-form-urlencoded';
const HOUR = 3_600_000;

let app: FastifyInstance | undefined;
let world: RedisWorld | undefined;
afterEach(async () => { await app?.close(); app = undefined; await world?.close(); world = undefined; });

/** The fixture world, with four posts in doubt (an hour ago): three of Pescara, one of Teramo. */
async function start() {
  world = await redisWorld(fixtureWorld());
  const { rt } = world;
  const ago = Date.now() - HOUR;
  await rt.ledger.update('pescara', 'twitter', 'd4e5f6', { state: 'unknown', text: 'Cuoco stagionale a Pescara https://lavoro.example.it/o/42', sendingSince: ago, updatedAt: ago, attempts: 8 }, ['errorClass']);
  await rt.ledger.update('pescara', 'facebook', 'd4e5f6', { state: 'unknown', text: 'Cuoco stagionale', sendingSince: ago, updatedAt: ago }, ['remoteId', 'permalink']);
  await rt.ledger.update('pescara', 'twitter', 'a1b2c3', { state: 'sending', sendingSince: ago, updatedAt: ago }, ['remoteId', 'permalink']);
  await rt.ledger.update('teramo', 'facebook', 't7e8r9', { state: 'unknown', text: 'Operaio edile', sendingSince: ago, updatedAt: ago }, ['remoteId', 'permalink']);
  ({ app } = await makeDashboard({ operator: world.operator, withPeople: true, deps: { queues: rt.queues.all() } }));
  return { app, rt };
}
const as = (name: string) => ({ authorization: basic(name, PEOPLE_PASSWORD) });
const audit = async () => (await world!.rt.audit.latest(50));

describe('posts in doubt on the dashboard', () => {
  it('the overview counts and lists them (an office sees its own), and the offer page offers the three answers', async () => {
    const { app } = await start();
    const admin = await login(app, '10.0.0.1', 'ada.admin', PEOPLE_PASSWORD);
    const home = (await app.inject({ url: '/', headers: { cookie: admin.cookie, accept: 'text/html' } })).body;
    expect(home).toContain('<h2 id="doubt-h">In dubbio <span class="count" data-field="doubt-count">(4)</span></h2>');
    expect(home).toContain('data-doubt="pescara/twitter/d4e5f6"');
    expect(home).toContain('data-doubt="teramo/facebook/t7e8r9"');
    expect(home).toContain('esito sconosciuto');

    const maria = await login(app, '10.0.0.2', 'maria.pescara', PEOPLE_PASSWORD);
    const hers = (await app.inject({ url: '/', headers: { cookie: maria.cookie, accept: 'text/html' } })).body;
    expect(hers).toContain('data-field="doubt-count">(3)</span>');
    expect(hers).not.toContain('t7e8r9');
    const api = (await app.inject({ url: '/api/in-doubt', headers: as('maria.pescara') })).json() as Array<{ publisher: string }>;
    expect(api).toHaveLength(3);
    expect(api.every((p) => p.publisher === 'pescara')).toBe(true);

    const page = (await app.inject({ url: '/offers/pescara/d4e5f6', headers: { cookie: maria.cookie, accept: 'text/html' } })).body;
    for (const label of ['Segna come pubblicato', 'Segna come non pubblicato', 'Invia comunque']) expect(page).toContain(label);
    expect(page).toContain('action="/actions/mark-posted"');
    expect(page).toContain('<label for="doubt-twitter-remote">');
    // A viewer reads, never acts: no buttons.
    const vera = await login(app, '10.0.0.3', 'vera.lettrice', PEOPLE_PASSWORD);
    const hersToo = (await app.inject({ url: '/offers/pescara/d4e5f6', headers: { cookie: vera.cookie, accept: 'text/html' } })).body;
    expect(hersToo).not.toContain('Segna come pubblicato');
  });

  it('"segna come pubblicato" records the post with its id and address, out of doubt, audited in Italian', async () => {
    const { app, rt } = await start();
    const res = await app.inject({ method: 'POST', url: '/api/posts/pescara/twitter/d4e5f6/mark-posted', headers: { ...as('maria.pescara'), 'content-type': 'application/json' },
      payload: { remoteId: '1900000000000000042', permalink: 'https://x.example/i/status/1900000000000000042' } });
    expect(res.statusCode).toBe(200);
    const l = (await rt.ledger.get('pescara', 'twitter', 'd4e5f6'))!;
    expect(l).toMatchObject({ state: 'posted', remoteId: '1900000000000000042', permalink: 'https://x.example/i/status/1900000000000000042', markedBy: 'maria.pescara' });
    expect(await rt.redis.zscore(rt.keys.inDoubt('pescara', 'twitter'), 'd4e5f6')).toBeNull();
    expect((await audit())[0]).toMatchObject({ who: 'maria.pescara', action: 'mark-posted', target: 'pescara/twitter/d4e5f6', result: 'ok', publisher: 'pescara', network: 'twitter' });
    const page = (await app.inject({ url: '/audit', headers: as('maria.pescara') })).body;
    expect(page).toContain('ha segnato come pubblicato il post pescara/twitter/d4e5f6');
    // Without an id it is posted, confirmed by a person: no longer in doubt either.
    const form = await login(app, '10.0.0.4', 'maria.pescara', PEOPLE_PASSWORD);
    const viaForm = await app.inject({ method: 'POST', url: '/actions/mark-posted', headers: { cookie: form.cookie, 'content-type': FORM },
      payload: new URLSearchParams({ _csrf: form.csrf, publisher: 'pescara', network: 'twitter', key: 'a1b2c3', remoteId: '', permalink: 'javascript:alert(1)', back: '/offers/pescara/a1b2c3' }).toString() });
    expect(viaForm.statusCode).toBe(303);
    expect(viaForm.headers.location).toBe('/offers/pescara/a1b2c3?msg=done');
    const other = (await rt.ledger.get('pescara', 'twitter', 'a1b2c3'))!;
    expect(other).toMatchObject({ state: 'posted', remoteId: '', permalink: '', markedBy: 'maria.pescara' });
    expect(await rt.ledger.countInDoubt('pescara', 'twitter', Date.now())).toBe(0);
  });

  it('"segna come non pubblicato" fails the post for good: its queued job sends nothing', async () => {
    const { app, rt } = await start();
    await rt.queues.addDeliveries([{ task: { kind: 'post', publisher: 'pescara', network: 'facebook', offerKey: 'd4e5f6' }, attempts: 3, delay: HOUR }]);
    const res = await app.inject({ method: 'POST', url: '/api/posts/pescara/facebook/d4e5f6/mark-not-posted', headers: as('maria.pescara') });
    expect(res.statusCode).toBe(200);
    const l = (await rt.ledger.get('pescara', 'facebook', 'd4e5f6'))!;
    expect(l).toMatchObject({ state: 'failed', markedBy: 'maria.pescara' });
    expect(await rt.redis.zscore(rt.keys.inDoubt('pescara', 'facebook'), 'd4e5f6')).toBeNull();
    expect(await rt.queues.queueOf('facebook').getJob('post.pescara.facebook.d4e5f6')).toBeUndefined();
    // An attempt that still ran would find the mark and stop (no channel call: the world has no network).
    const r = await rt.deliverer.attempt({ kind: 'post', publisher: 'pescara', network: 'facebook', offerKey: 'd4e5f6' }, { jobId: 'post.pescara.facebook.d4e5f6.late', attempt: 1, maxAttempts: 1 });
    expect(r).toEqual({ kind: 'done', note: 'marked not posted by an operator' });
    expect((await audit())[0]).toMatchObject({ who: 'maria.pescara', action: 'mark-not-posted', result: 'ok' });
    expect((await app.inject({ url: '/api/audit', headers: as('maria.pescara') })).json().entries[0].text).toBe('maria.pescara ha segnato come non pubblicato il post pescara/facebook/d4e5f6');
  });

  it('"invia comunque" queues the stored text to go again, out of doubt, audited', async () => {
    const { app, rt } = await start();
    const res = await app.inject({ method: 'POST', url: '/api/posts/pescara/twitter/d4e5f6/send-anyway', headers: as('maria.pescara') });
    expect(res.statusCode).toBe(200);
    const l = (await rt.ledger.get('pescara', 'twitter', 'd4e5f6'))!;
    expect(l).toMatchObject({ state: 'queued', sendAnyway: '1', text: 'Cuoco stagionale a Pescara https://lavoro.example.it/o/42' });
    const jobs = await rt.queues.queueOf('twitter').getJobs(['waiting', 'prioritized']);
    expect(jobs.map((j) => j.id)).toContain(`post.pescara.twitter.d4e5f6.anyway-${l.rev}`);
    expect(await rt.redis.zscore(rt.keys.inDoubt('pescara', 'twitter'), 'd4e5f6')).toBeNull();
    expect((await audit())[0]).toMatchObject({ who: 'maria.pescara', action: 'send-anyway', target: 'pescara/twitter/d4e5f6', result: 'ok' });
    // Asked twice, it stays one job per state of the entry; a post not in doubt is "not found".
    expect((await app.inject({ method: 'POST', url: '/api/posts/pescara/twitter/a1b2c3/send-anyway', headers: as('maria.pescara') })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/posts/pescara/facebook/a1b2c3/mark-posted', headers: as('maria.pescara') })).statusCode).toBe(404);
  });

  it('answers 403 to each action on another office\'s post or from a viewer, changes nothing, and audits the refusal', async () => {
    const { app, rt } = await start();
    for (const action of ['mark-posted', 'mark-not-posted', 'send-anyway']) {
      const res = await app.inject({ method: 'POST', url: `/api/posts/teramo/facebook/t7e8r9/${action}`, headers: as('maria.pescara') });
      expect(res.statusCode, action).toBe(403);
      expect((await audit())[0]).toMatchObject({ who: 'maria.pescara', action, target: 'teramo/facebook/t7e8r9', result: 'denied', publisher: 'teramo' });
      const viewer = await app.inject({ method: 'POST', url: `/api/posts/pescara/twitter/d4e5f6/${action}`, headers: as('vera.lettrice') });
      expect(viewer.statusCode, action).toBe(403);
    }
    expect((await rt.ledger.get('teramo', 'facebook', 't7e8r9'))!.state).toBe('unknown');
    expect((await rt.ledger.get('pescara', 'twitter', 'd4e5f6'))!.state).toBe('unknown');
    expect(await rt.ledger.countInDoubt('teramo', 'facebook', Date.now())).toBe(1);
    const tito = await login(app, '10.0.0.5', 'tito.teramo', PEOPLE_PASSWORD);
    expect((await app.inject({ url: '/audit', headers: { cookie: tito.cookie, accept: 'text/html' } })).body).toContain('ha provato a segnare come pubblicato il post teramo/facebook/t7e8r9');
    // Without the CSRF token a form post from a session is refused before it acts.
    const maria = await login(app, '10.0.0.6', 'maria.pescara', PEOPLE_PASSWORD);
    const forged = await app.inject({ method: 'POST', url: '/actions/mark-not-posted', headers: { cookie: maria.cookie, 'content-type': FORM },
      payload: new URLSearchParams({ publisher: 'pescara', network: 'twitter', key: 'd4e5f6' }).toString() });
    expect(forged.statusCode).toBe(403);
    expect((await rt.ledger.get('pescara', 'twitter', 'd4e5f6'))!.state).toBe('unknown');
  });
});
