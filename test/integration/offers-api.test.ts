// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 12, the offers API: an office's IT pushes offers with its publisher's Bearer token. Refused
 * without it (and with another publisher's), 201 when new and 200 when pushed again (nothing posted
 * twice), a correction edits, DELETE closes the posts, bad input answers 400/422 with a list of
 * problems in Italian, and the OpenAPI document is served. Against the X and Graph emulators.
 */
import { describe, it, expect, afterEach } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startStack, waitFor, type Stack } from '../helpers/stack.ts';
import { drained } from '../helpers/evidence.ts';
import { startDashboard } from '../../src/app/roles.ts';
import { clicLavoro, code25 } from './sources-kit.ts';
import { pushedExpiryDuty } from '../../src/sources/expiry-duty.ts';

const TOKEN = 'pescara-api-token-TEST-7777';
const OTHER = 'chieti-api-token-TEST-8888';

let stack: Stack | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); app = undefined; await stack?.stop(); stack = undefined; });

async function start(opts: { initialOffers?: number } = {}): Promise<{ s: Stack; app: FastifyInstance }> {
  stack = await startStack({
    initialOffers: opts.initialOffers ?? 0,
    extraEnv: { PESCARA_API_TOKEN: TOKEN, CHIETI_API_TOKEN: OTHER },
    publisherExtra: `    api:\n      tokens: ["\${PESCARA_API_TOKEN}"]\n      link: "https://lavoro.provincia.pescara.it/offerta/{{code}}"\n      maxBytes: 20000`,
    // A second publisher with its own token (and no feeds at all: the API is its only source).
    channelsExtra: `  - id: chieti
    name: Provincia di Chieti
    api:
      tokens: ["\${CHIETI_API_TOKEN}"]
    channels:
      twitter:
        apiBaseUrl: http://127.0.0.1:9
        appKey: \${X_APP_KEY}
        appSecret: \${X_APP_SECRET}
        accessToken: chieti-x-token
        accessSecret: chieti-x-secret`,
  });
  await stack.startWorkers();
  const d = await startDashboard(stack.rt);
  app = d.app;
  return { s: stack, app };
}

const posting = (o: { id?: string; title: string; validThrough?: string; description?: string }) => JSON.stringify({
  '@context': 'https://schema.org', '@type': 'JobPosting',
  ...(o.id ? { identifier: o.id } : {}),
  title: o.title, description: o.description ?? 'Si cerca personale.',
  url: `https://lavoro.provincia.pescara.it/offerte/${o.id ?? 'x'}`,
  datePosted: '2026-11-30', validThrough: o.validThrough ?? '2099-01-31',
  jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: 'Pescara', addressRegion: 'PE' } },
});
const push = (a: FastifyInstance, body: string, opts: { token?: string; type?: string; publisher?: string } = {}) => a.inject({
  method: 'POST', url: `/api/v1/publishers/${opts.publisher ?? 'pescara'}/offers`, payload: body,
  headers: { 'content-type': opts.type ?? 'application/ld+json', ...(opts.token !== undefined ? { authorization: `Bearer ${opts.token}` } : { authorization: `Bearer ${TOKEN}` }) },
});

describe('the offers API', () => {
  it('refuses a request without a token, with a wrong one, and with another publisher\'s token', async () => {
    const { s, app: a } = await start();
    const none = await a.inject({ method: 'POST', url: '/api/v1/publishers/pescara/offers', payload: posting({ id: 'A1', title: 'Cuoco' }), headers: { 'content-type': 'application/json' } });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/Bearer/);
    expect(none.json().problems[0].message).toMatch(/Authorization: Bearer/);
    expect((await push(a, posting({ id: 'A1', title: 'Cuoco' }), { token: 'nope-nope-nope-nope' })).statusCode).toBe(401);
    expect((await push(a, posting({ id: 'A1', title: 'Cuoco' }), { token: OTHER })).statusCode).toBe(401);
    expect((await a.inject({ method: 'DELETE', url: '/api/v1/publishers/pescara/offers/A1', headers: { authorization: `Bearer ${OTHER}` } })).statusCode).toBe(401);
    // A token is not a dashboard sign-in either.
    expect((await a.inject({ method: 'GET', url: '/api/status', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).not.toBe(200);
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(0);
    expect(await s.rt.offers.count('pescara')).toBe(0);
    // The token never reached a log line.
    expect(s.logs.join('')).not.toContain(TOKEN);
  });

  it('posts a JobPosting once (201, then 200), edits on a correction, closes on DELETE (idempotent, 404 when unknown)', async () => {
    const { s, app: a } = await start();
    const first = await push(a, posting({ id: 'PE-2026-0101', title: 'Cuoco' }));
    expect(first.statusCode).toBe(201);
    expect(first.json().offers).toMatchObject([{ offer: 1, code: 'PE-2026-0101', became: 'new' }]);
    await waitFor('posted on both networks', () => s.x.posts().length === 1 && s.graph.posts().length === 1);

    const again = await push(a, posting({ id: 'PE-2026-0101', title: 'Cuoco' }));
    expect(again.statusCode).toBe(200);
    expect(again.json().offers[0].became).toBe('known');

    const corrected = await push(a, posting({ id: 'PE-2026-0101', title: 'Cuoco capopartita' }));
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json().offers[0].became).toBe('correction');
    await waitFor('the Facebook post edited', () => s.graph.posts()[0]?.history.length === 1);
    expect(s.graph.posts()[0]!.message).toContain('Cuoco capopartita');
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(1);
    expect(s.graph.posts()).toHaveLength(1);

    const del = await a.inject({ method: 'DELETE', url: '/api/v1/publishers/pescara/offers/PE-2026-0101', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(del.statusCode).toBe(200);
    expect(del.json().offers[0].became).toBe('closed');
    await waitFor('the X post deleted', () => s.x.posts()[0]?.deleted === true);
    await waitFor('the Facebook post closed', () => /chiusa/i.test(s.graph.posts()[0]?.message ?? ''));
    const twice = await a.inject({ method: 'DELETE', url: '/api/v1/publishers/pescara/offers/PE-2026-0101', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(twice.statusCode).toBe(200);
    expect(twice.json().offers[0].became).toBe('known');
    expect((await a.inject({ method: 'DELETE', url: '/api/v1/publishers/pescara/offers/NOPE', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(404);
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(1);
    expect(s.graph.posts()).toHaveLength(1);

    // Pushed again after its withdrawal: reopened, as a feed's withdrawn offer that comes back.
    const back = await push(a, posting({ id: 'PE-2026-0101', title: 'Cuoco capopartita' }));
    expect(back.statusCode).toBe(200);
    expect(back.json().offers[0]).toMatchObject({ became: 'correction', reason: 'offerta riaperta' });
    await waitFor('posted again on X, and the Facebook post edited back', () => s.x.posts().filter((p) => !p.deleted).length === 1 && !/chiusa/i.test(s.graph.posts()[0]?.message ?? 'chiusa'));
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(2);
    expect(s.graph.posts()).toHaveLength(1);
  });

  it('the same offer pushed twice at the same moment is posted once: one 201, one 200', async () => {
    const { s, app: a } = await start();
    const body = posting({ id: 'PE-2026-0202', title: 'Elettricista' });
    const answers = await Promise.all([push(a, body), push(a, body), push(a, body)]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    await waitFor('posted on both networks', () => s.x.posts().length === 1 && s.graph.posts().length === 1);
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(1);
    expect(s.graph.posts()).toHaveLength(1);
  });

  it('takes a ClicLavoro XML document (links from api.link), not twice', async () => {
    const { s, app: a } = await start();
    const doc = clicLavoro({ code: code25(7), title: 'Autista', text: 'Scrivere a luigi.bianchi@gmail.com' });
    const r = await push(a, doc, { type: 'application/xml' });
    expect(r.statusCode).toBe(201);
    await waitFor('posted on X', () => s.x.posts().length === 1);
    expect(s.x.posts()[0]!.text).toContain(`https://lavoro.provincia.pescara.it/offerta/${code25(7)}`);
    expect(s.x.posts()[0]!.text).not.toContain('luigi.bianchi');
    expect((await push(a, doc, { type: 'text/xml' })).statusCode).toBe(200);
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(1);
  });

  it('answers bad input with 400 or 422 and a list of problems in Italian; a body too large with 413', async () => {
    const { s, app: a } = await start();
    const notADoc = await push(a, 'ciao', { type: 'text/plain' });
    expect(notADoc.statusCode).toBe(400);
    expect(notADoc.json().problems[0].message).toMatch(/non è un documento di offerte leggibile/);

    const noId = await push(a, posting({ title: 'Cuoco' }));
    expect(noId.statusCode).toBe(422);
    expect(noId.json().problems).toEqual([expect.objectContaining({ path: 'identifier', message: expect.stringMatching(/manca identifier/) })]);

    const badDate = await push(a, posting({ id: 'PE-1', title: 'Cuoco', validThrough: 'domani' }));
    expect(badDate.statusCode).toBe(422);
    expect(badDate.json().problems[0]).toMatchObject({ path: 'validThrough', message: expect.stringMatching(/non è una data leggibile/) });

    const broken = await push(a, clicLavoro({ code: code25(8), title: 'Muratore' }).replace(/<codiceofferta>.*<\/codiceofferta>/, ''), { type: 'application/xml' });
    expect(broken.statusCode).toBe(422);
    expect(JSON.stringify(broken.json().problems)).toContain('codiceofferta');

    const big = await push(a, posting({ id: 'PE-2', title: 'Cuoco', description: 'x'.repeat(30_000) }));
    expect(big.statusCode).toBe(413);
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(0);
  });

  it('refuses an offer already expired (422), and leaves a feed\'s offer to its feed (DELETE answers 404)', async () => {
    const { s, app: a } = await start({ initialOffers: 1 });
    const expired = await push(a, clicLavoro({ code: code25(9), title: 'Vetraio', deadline: '2020-01-31' }), { type: 'application/xml' });
    expect(expired.statusCode).toBe(422);
    expect(expired.json().offers[0]).toMatchObject({ became: 'rejected', reason: expect.stringMatching(/già scaduta/) });

    await s.pollOnce();
    await waitFor('the feed\'s offer on X', () => s.x.posts().length === 1);
    const [key] = await s.rt.offers.list('pescara', 0, 10);
    const fromFeed = (await s.rt.offers.get('pescara', key!))!.offer.sourceId;
    const del = await a.inject({ method: 'DELETE', url: `/api/v1/publishers/pescara/offers/${encodeURIComponent(fromFeed)}`, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(del.statusCode).toBe(404);
    await drained(s.rt);
    expect(s.x.posts()[0]!.deleted).toBe(false);
    expect((await s.rt.offers.get('pescara', key!))!.state).toBe('open');
  });

  it('closes the pushed offers of a publisher without feeds once they expire (the pushed-expiry duty)', async () => {
    const { s, app: a } = await start();
    const r = await push(a, posting({ id: 'CH-1', title: 'Infermiere', validThrough: '2099-01-31' }), { publisher: 'chieti', token: OTHER });
    expect(r.statusCode).toBe(201);
    const key = r.json().offers[0].key as string;
    const duty = pushedExpiryDuty({ config: s.rt.config, offers: s.rt.offers, closer: s.rt.closer });
    const ctx = (at: string) => ({ now: () => Date.parse(at), logger: s.rt.logger, signal: new AbortController().signal });
    expect(await duty.run(ctx('2099-01-15T00:00:00Z'))).toEqual({ closed: 0 });
    expect((await s.rt.offers.get('chieti', key))!.state).toBe('open');
    expect(await duty.run(ctx('2099-02-02T00:00:00Z'))).toEqual({ closed: 1 });
    expect(await s.rt.offers.get('chieti', key)).toMatchObject({ state: 'closed', closedBy: 'expired' });
    expect(await duty.run(ctx('2099-02-03T00:00:00Z'))).toEqual({ closed: 0 });
  });

  it('serves its OpenAPI document without a token', async () => {
    const { app: a } = await start();
    const r = await a.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(['/api/v1/publishers/{publisher}/offers', '/api/v1/publishers/{publisher}/offers/{code}']);
    expect(doc.paths['/api/v1/publishers/{publisher}/offers'].post.responses).toHaveProperty('422');
    expect(doc.paths['/api/v1/publishers/{publisher}/offers/{code}']).toHaveProperty('delete');
  });
});
