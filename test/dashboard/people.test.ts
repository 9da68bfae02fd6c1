// SPDX-License-Identifier: EUPL-1.2
/**
 * People and roles, over HTTP, against the in-memory operator and RedisOperatorService alike: an
 * operator of one office sees nothing of another through any page or API answer and gets 403 acting on
 * it (audited); "Riprova tutti" stays within their offices; a viewer cannot act; bull-board and
 * /metrics answer admins only (and /metrics the metrics token); the audit log reads in Italian.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { METRICS_TOKEN, PEOPLE_PASSWORD, USER, basic, login, makeDashboard, seededOperator } from './fixture.ts';
import { redisWorld, type RedisWorld } from '../helpers/operator-world.ts';
import { fixtureWorld } from '../helpers/fixture-world.ts';
import type { OperatorService } from '../../src/state/operator.ts';

const FORM = 'application/x-www-form-urlencoded';
/** What of Teramo could leak: its name, id, offer codes and titles, post ids, feed. */
const TERAMO = ['Teramo', 'teramo', 'TE-2026', '333_444', 'Impiegata', 'Operaio edile'];

describe.each(['memory', 'redis'] as const)('people and roles, over the %s operator', (kind) => {
  let app: FastifyInstance | undefined;
  let world: RedisWorld | undefined;
  afterEach(async () => { await app?.close(); app = undefined; await world?.close(); world = undefined; });

  async function start(): Promise<{ app: FastifyInstance; operator: OperatorService }> {
    let operator: OperatorService;
    let queues;
    if (kind === 'memory') operator = seededOperator();
    else { world = await redisWorld(fixtureWorld()); operator = world.operator; queues = world.rt.queues.all(); }
    ({ app } = await makeDashboard({ operator, withPeople: true, deps: queues ? { queues } : {} }));
    return { app, operator };
  }
  const as = (name: string) => ({ authorization: basic(name, PEOPLE_PASSWORD) });

  it('shows an operator of Pescara nothing of Teramo on any page or API answer', async () => {
    const { app } = await start();
    const s = await login(app, '10.0.0.1', 'maria.pescara', PEOPLE_PASSWORD);
    const urls = ['/', '/offers', '/offers?search=edile', '/offers?publisher=teramo', '/offers?state=failed', '/feeds', '/failures', '/audit',
      '/api/status', '/api/recent', '/api/offers', '/api/offers?publisher=teramo', '/api/offers?search=TE-2026', '/api/failures', '/api/audit'];
    for (const url of urls) {
      for (const headers of [{ cookie: s.cookie, accept: 'text/html' }, as('maria.pescara')]) {
        const res = await app.inject({ url, headers });
        expect(res.statusCode, url).toBe(200);
        for (const word of TERAMO) expect(res.body.includes(word), `${word} in ${url}`).toBe(false);
      }
    }
    // And what it does see is Pescara's.
    const status = (await app.inject({ url: '/api/status', headers: as('maria.pescara') })).json();
    expect(status.channels.map((c: { publisher: string; network: string }) => `${c.publisher}/${c.network}`).sort()).toEqual(['pescara/facebook', 'pescara/twitter']);
    expect(status.feeds).toHaveLength(1);
    const offers = (await app.inject({ url: '/api/offers', headers: as('maria.pescara') })).json();
    expect(offers.total).toBe(2);
    const page = await app.inject({ url: '/', headers: { cookie: s.cookie } });
    expect(page.body).toContain('maria.pescara (operatore)');
    expect(page.body).not.toContain('href="/queues"');
    // Naming a Teramo offer is refused, not shown.
    expect((await app.inject({ url: '/offers/teramo/t7e8r9', headers: { cookie: s.cookie, accept: 'text/html' } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/offers/teramo/t7e8r9', headers: as('maria.pescara') })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/offers/pescara/a1b2c3', headers: as('maria.pescara') })).statusCode).toBe(200);
  });

  it('answers 403 to an operator acting on another office, changes nothing there, and audits the attempt', async () => {
    const { app, operator } = await start();
    const h = as('maria.pescara');
    const calls = [
      '/api/channels/teramo/facebook/pause', '/api/channels/teramo/facebook/resume', '/api/jobs/post.teramo.facebook.q1w2e3/retry',
      '/api/offers/teramo/t7e8r9/cancel', '/api/channels/teramo/twitter/pause', '/api/channels/nowhere/facebook/pause',
    ];
    for (const url of calls) expect((await app.inject({ method: 'POST', url, headers: h })).statusCode, url).toBe(403);
    const s = await login(app, '10.0.0.2', 'maria.pescara', PEOPLE_PASSWORD);
    const form = await app.inject({
      method: 'POST', url: '/actions/pause', headers: { cookie: s.cookie, 'content-type': FORM },
      payload: new URLSearchParams({ _csrf: s.csrf, publisher: 'teramo', network: 'facebook' }).toString(),
    });
    expect(form.statusCode).toBe(403);
    expect(form.body).toContain('Non puoi farlo');
    const teramo = (await operator.status()).channels.find((c) => c.publisher === 'teramo')!;
    expect(teramo.paused?.kind).toBe('auth');
    expect((await operator.failures()).auth).toHaveLength(1);
    expect((await operator.getOffer('teramo', 't7e8r9'))!.state).toBe('open');
    const denied = (await operator.audit(100)).filter((e) => e.who === 'maria.pescara' && e.result === 'denied');
    expect(denied.map((e) => `${e.action} ${e.target}`).sort()).toEqual([
      'cancel teramo/t7e8r9', 'pause nowhere/facebook', 'pause teramo/facebook', 'pause teramo/facebook', 'pause teramo/twitter', 'resume teramo/facebook', 'retry post.teramo.facebook.q1w2e3',
    ]);
    // The office that was touched can read the attempt; an unknown id makes no list of its own.
    expect(denied.filter((e) => e.publisher === 'teramo')).toHaveLength(6);
    expect(denied.find((e) => e.target === 'nowhere/facebook')!.publisher).toBeUndefined();
    // Its own office it may act on.
    expect((await app.inject({ method: 'POST', url: '/api/channels/pescara/twitter/pause', headers: h })).statusCode).toBe(200);
  });

  it('retries a whole class ("Riprova tutti") only within the person\'s offices, one audit entry per office', async () => {
    const { app, operator } = await start();
    const none = await app.inject({ method: 'POST', url: '/api/failures/auth/retry', headers: as('maria.pescara') });
    expect(none.json()).toEqual({ ok: true, retried: 0 });
    expect((await operator.failures()).auth).toHaveLength(1);
    const mine = await app.inject({ method: 'POST', url: '/api/failures/transient/retry', headers: as('maria.pescara') });
    expect(mine.json()).toEqual({ ok: true, retried: 1 });
    // An admin's bulk retry across offices is written once per office.
    const all = await app.inject({ method: 'POST', url: '/api/failures/auth/retry', headers: as('ada.admin') });
    expect(all.json()).toEqual({ ok: true, retried: 1 });
    const entries = (await operator.audit(50)).filter((e) => e.action === 'retry-group' && e.result === 'ok');
    expect(entries.map((e) => [e.who, e.publisher, e.count, e.errorClass])).toEqual([['ada.admin', 'teramo', 1, 'auth'], ['maria.pescara', 'pescara', 1, 'transient'], ['maria.pescara', undefined, 0, 'auth']]);
    const api = (await app.inject({ url: '/api/audit', headers: as('ada.admin') })).json();
    expect(api.entries[0]).toMatchObject({ who: 'ada.admin', action: 'retry-group', result: 'ok', publisher: 'teramo', count: 1, text: 'ada.admin ha riprovato 1 post non riuscito (auth)' });
  });

  it('lets a viewer read and answers 403 to every action, audited', async () => {
    const { app, operator } = await start();
    const h = as('vera.lettrice');
    for (const url of ['/', '/offers', '/feeds', '/failures', '/audit', '/offers/pescara/d4e5f6']) {
      const res = await app.inject({ url, headers: { ...h, accept: 'text/html' } });
      expect(res.statusCode, url).toBe(200);
      // No buttons that would be refused.
      for (const word of ['Metti in pausa', 'Riprova', 'Annulla']) expect(res.body.includes(word), `${word} on ${url}`).toBe(false);
    }
    const calls = ['/api/channels/pescara/twitter/pause', '/api/channels/pescara/twitter/resume', '/api/jobs/post.pescara.twitter.d4e5f6/retry', '/api/offers/pescara/d4e5f6/cancel', '/api/failures/transient/retry', '/api/failures/auth/retry'];
    for (const url of calls) expect((await app.inject({ method: 'POST', url, headers: h })).statusCode, url).toBe(403);
    expect((await operator.status()).channels.find((c) => c.publisher === 'pescara' && c.network === 'twitter')!.state).toBe('active');
    expect((await operator.failures()).transient).toHaveLength(1);
    expect((await operator.audit(100)).filter((e) => e.who === 'vera.lettrice' && e.result === 'denied')).toHaveLength(calls.length);
  });

  it('opens bull-board and /metrics to admins only, /metrics to the metrics token, and nothing else to the token', async () => {
    const { app } = await start();
    for (const admin of [basic(), basic('ada.admin', PEOPLE_PASSWORD)]) {
      expect((await app.inject({ url: '/queues', headers: { authorization: admin } })).statusCode).toBe(200);
      expect((await app.inject({ url: '/metrics', headers: { authorization: admin } })).statusCode).toBe(200);
    }
    for (const who of ['maria.pescara', 'vera.lettrice', 'tito.teramo']) {
      expect((await app.inject({ url: '/queues', headers: as(who) })).statusCode, who).toBe(403);
      expect((await app.inject({ url: '/queues/api/queues', headers: as(who) })).statusCode, who).toBe(403);
      expect((await app.inject({ url: '/metrics', headers: as(who) })).statusCode, who).toBe(403);
    }
    const s = await login(app, '10.0.0.3', 'maria.pescara', PEOPLE_PASSWORD);
    const page = await app.inject({ url: '/queues', headers: { cookie: s.cookie, accept: 'text/html' } });
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('solo per gli amministratori');
    const anon = await app.inject({ url: '/queues', headers: { accept: 'text/html' } });
    expect(anon.statusCode).toBe(302);
    expect(anon.headers.location).toBe('/login?next=%2Fqueues');
    const bearer = { authorization: `Bearer ${METRICS_TOKEN}` };
    const metrics = await app.inject({ url: '/metrics', headers: bearer });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('banditore_posts_total{publisher="teramo",network="facebook",outcome="posted"} 1');
    for (const url of ['/', '/api/status', '/queues', '/audit']) expect((await app.inject({ url, headers: bearer })).statusCode, url).toBe(403);
    expect((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer not-the-token-at-all' } })).statusCode).toBe(401);
  });

  it('reads the audit log in Italian, with the machine fields in the API, and keeps failed sign-ins apart', async () => {
    const { app, operator } = await start();
    await app.inject({ method: 'POST', url: '/api/channels/pescara/facebook/pause', headers: as('maria.pescara') });
    await app.inject({ method: 'POST', url: '/api/channels/pescara/facebook/resume', headers: as('maria.pescara') });
    // Wrong passwords from many addresses: they must not push real actions out of the log.
    for (let i = 0; i < 8; i++) await app.inject({ url: '/api/status', headers: { authorization: basic(`guess${i}`, 'wrong') }, remoteAddress: `10.8.0.${i}` });
    const page = await app.inject({ url: '/audit', headers: { authorization: basic(), accept: 'text/html' } });
    expect(page.body).toContain('ha messo in pausa pescara/facebook');
    expect(page.body).toContain('ha ripreso pescara/facebook');
    expect(page.body).toContain('ha messo in pausa teramo/facebook');
    expect(page.body).toContain('Accessi non riusciti');
    expect(page.body).toContain('guess7');
    const api = (await app.inject({ url: '/api/audit?limit=3', headers: { authorization: basic() } })).json();
    expect(api.entries.map((e: { text: string }) => e.text)).toEqual(['maria.pescara ha ripreso pescara/facebook', 'maria.pescara ha messo in pausa pescara/facebook', 'admin ha effettuato l\'accesso']);
    expect(api.entries[0]).toMatchObject({ action: 'resume', target: 'pescara/facebook', result: 'ok', publisher: 'pescara', network: 'facebook', via: 'basic', count: 0 });
    expect((await app.inject({ url: '/api/audit', headers: { authorization: basic() } })).json().signInFailures).toHaveLength(8);
    expect((await operator.audit(100)).some((e) => e.who.startsWith('guess'))).toBe(false);
    // An operator reads their office's entries only, and no sign-in failures.
    const theirs = (await app.inject({ url: '/api/audit', headers: as('maria.pescara') })).json();
    expect(theirs.signInFailures).toBeUndefined();
    expect(theirs.entries.every((e: { publisher?: string }) => e.publisher === 'pescara')).toBe(true);
    expect((await app.inject({ url: '/audit', headers: { ...as('maria.pescara'), accept: 'text/html' } })).body).not.toContain('Accessi non riusciti');
  });
});

describe('bull-board over the real queues', () => {
  let app: FastifyInstance | undefined;
  let world: RedisWorld | undefined;
  afterEach(async () => { await app?.close(); app = undefined; await world?.close(); world = undefined; });
  const as = (name: string) => ({ authorization: basic(name, PEOPLE_PASSWORD) });

  it('audits bull-board\'s state-changing calls with the person\'s name, and refuses them to others', async () => {
    world = await redisWorld(fixtureWorld());
    const operator = world.operator;
    ({ app } = await makeDashboard({ operator, withPeople: true, deps: { queues: world.rt.queues.all() } }));
    const pause = await app.inject({ method: 'PUT', url: '/queues/api/queues/twitter/pause', headers: { authorization: basic('ada.admin', PEOPLE_PASSWORD) } });
    expect(pause.statusCode).toBeLessThan(400);
    const retry = await app.inject({ method: 'PUT', url: '/queues/api/queues/twitter/retry/failed', headers: { authorization: basic() } });
    expect(retry.statusCode).toBeLessThan(400);
    const refused = await app.inject({ method: 'PUT', url: '/queues/api/queues/facebook/clean/failed', headers: as('maria.pescara') });
    expect(refused.statusCode).toBe(403);
    const api = (await app.inject({ url: '/api/audit?limit=3', headers: { authorization: basic() } })).json();
    expect(api.entries.map((e: { text: string; result: string }) => [e.text, e.result])).toEqual([
      ['maria.pescara ha provato a usare bull-board: pulizia dei job «failed» della coda facebook', 'denied'],
      [`${USER} ha usato bull-board: riprova dei job «failed» della coda twitter`, 'ok'],
      ['ada.admin ha usato bull-board: pausa della coda twitter', 'ok'],
    ]);
    // And the calls did what bull-board says: the failed X post is queued again.
    expect((await operator.failures()).transient ?? []).toEqual([]);
  });
});
