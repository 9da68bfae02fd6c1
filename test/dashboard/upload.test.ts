// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 12, the upload in the dashboard: an operator drops XML files for one of their offices and sees
 * what each offer became, through the inbox's own path (posted once on the X and Graph emulators),
 * audited; a viewer, or an operator of another office, is refused and nothing is posted.
 */
import { describe, it, expect, afterEach } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startStack, waitFor, type Stack } from '../helpers/stack.ts';
import { drained } from '../helpers/evidence.ts';
import { RedisOperatorService } from '../../src/state/operator-service.ts';
import { makeDashboard, login, PEOPLE_PASSWORD } from './fixture.ts';
import { clicLavoro, code25 } from '../integration/sources-kit.ts';

let stack: Stack | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); app = undefined; await stack?.stop(); stack = undefined; });

async function start() {
  stack = await startStack({ initialOffers: 0, publisherExtra: '    inbox:\n      path: /nonexistent/inbox\n      link: "https://lavoro.provincia.pescara.it/offerta/{{code}}"' });
  await stack.startWorkers();
  const rt = stack.rt;
  const operator = new RedisOperatorService(rt);
  const d = await makeDashboard({
    operator, withPeople: true,
    deps: { publishers: [{ id: 'pescara', name: 'Provincia di Pescara', networks: ['twitter', 'facebook'] }], upload: { publishers: rt.config.publishers, intake: rt.intake, now: rt.now, maxBytes: 100_000 } },
  });
  app = d.app;
  return { s: stack, app: d.app, operator };
}

const send = (a: FastifyInstance, who: { cookie: string; csrf: string }, name: string, xml: string, publisher = 'pescara') => a.inject({
  method: 'POST', url: `/actions/upload/${publisher}?name=${encodeURIComponent(name)}`, payload: xml,
  headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/xml', accept: 'application/json' },
});

describe('the upload of XML files in the dashboard', () => {
  it('an operator of the office uploads files and sees what each offer became; posted once, audited', async () => {
    const { s, app: a, operator } = await start();
    const maria = await login(a, '10.0.0.5', 'maria.pescara', PEOPLE_PASSWORD);
    const page = await a.inject({ method: 'GET', url: '/upload', headers: { cookie: maria.cookie, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('type="file"');
    expect(page.body).toContain('Provincia di Pescara');
    expect(page.body).toContain('/assets/upload.js');
    expect((await a.inject({ method: 'GET', url: '/assets/upload.js' })).body).toContain('application/xml');

    const code = code25(70);
    const first = await send(a, maria, 'offerte.xml', clicLavoro({ code, title: 'Pizzaiolo', text: 'Chiamare il 347 7654321' }));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ verdict: 'done', offers: [{ became: 'new', code, title: 'Pizzaiolo' }] });
    await waitFor('posted on both networks', () => s.x.posts().length === 1 && s.graph.posts().length === 1);
    expect(s.x.posts()[0]!.text).not.toMatch(/347\s?7654321/);

    const again = await send(a, maria, 'offerte.xml', clicLavoro({ code, title: 'Pizzaiolo', text: 'Chiamare il 347 7654321' }));
    expect(again.json().offers[0].became).toBe('known');
    const corrected = await send(a, maria, 'offerte-2.xml', clicLavoro({ code, title: 'Pizzaiolo esperto' }));
    expect(corrected.json().offers[0].became).toBe('correction');
    const closed = await send(a, maria, 'chiusa.xml', clicLavoro({ code, title: 'Pizzaiolo esperto', closed: '01' }));
    expect(closed.json().offers[0].became).toBe('closed');
    const broken = await send(a, maria, 'rotto.xml', clicLavoro({ code: code25(71), title: 'X' }).replace(/<codiceofferta>.*<\/codiceofferta>/, ''));
    expect(broken.json().verdict).toBe('rejected');
    expect(broken.json().reason).toContain('codiceofferta');
    expect(broken.json().offers[0].became).toBe('rejected');

    await waitFor('the X post deleted', () => s.x.posts()[0]?.deleted === true);
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(1);
    expect(s.graph.posts()).toHaveLength(1);

    // Without JavaScript: a pasted document, and the answer is the page with the results.
    const pasted = await a.inject({
      method: 'POST', url: '/actions/upload', headers: { cookie: maria.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: new URLSearchParams({ _csrf: maria.csrf, publisher: 'pescara', name: 'incollato.xml', document: clicLavoro({ code: code25(72), title: 'Barista' }) }).toString(),
    });
    expect(pasted.statusCode).toBe(200);
    expect(pasted.body).toContain('incollato.xml: preso');
    expect(pasted.body).toContain('pubblicata (nuova)');
    await waitFor('the pasted offer posted', () => s.x.posts().length === 2);

    const audit = await operator.audit(50);
    const uploads = audit.filter((e) => e.action === 'upload');
    expect(uploads.map((e) => [e.who, e.target, e.result])).toEqual(expect.arrayContaining([
      ['maria.pescara', 'pescara/offerte.xml', 'ok'], ['maria.pescara', 'pescara/rotto.xml', 'error'], ['maria.pescara', 'pescara/incollato.xml', 'ok'],
    ]));
  });

  it('refuses a viewer, an operator of another office, and a request without the CSRF token', async () => {
    const { s, app: a, operator } = await start();
    const doc = clicLavoro({ code: code25(80), title: 'Giardiniere' });
    const vera = await login(a, '10.0.0.6', 'vera.lettrice', PEOPLE_PASSWORD);
    expect((await send(a, vera, 'a.xml', doc)).statusCode).toBe(403);
    const viewerPage = await a.inject({ method: 'GET', url: '/upload', headers: { cookie: vera.cookie, accept: 'text/html' } });
    expect(viewerPage.body).not.toContain('type="file"');
    const tito = await login(a, '10.0.0.7', 'tito.teramo', PEOPLE_PASSWORD);
    expect((await send(a, tito, 'a.xml', doc)).statusCode).toBe(403);
    const maria = await login(a, '10.0.0.8', 'maria.pescara', PEOPLE_PASSWORD);
    expect((await send(a, { cookie: maria.cookie, csrf: 'wrong' }, 'a.xml', doc)).statusCode).toBe(403);
    await drained(s.rt);
    expect(s.x.posts()).toHaveLength(0);
    expect(await s.rt.offers.count('pescara')).toBe(0);
    const denied = (await operator.audit(50)).filter((e) => e.action === 'upload');
    expect(denied.map((e) => [e.who, e.result])).toEqual(expect.arrayContaining([['tito.teramo', 'denied']]));
  });
});
