// SPDX-License-Identifier: EUPL-1.2
/**
 * What the a11y task put on the pages, as the HTML says it: the footer's links (accessibility statement,
 * source), the config keys behind them, the overview's held and posted counts and last error per channel,
 * and "Non pubblicare più" with its confirmation step (on the in-memory operator and on Redis).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { basic, makeDashboard, PEOPLE_PASSWORD } from './fixture.ts';
import { fixtureWorld } from '../helpers/fixture-world.ts';
import { memoryOperatorFor, redisWorld, worldYaml, type RedisWorld } from '../helpers/operator-world.ts';
import { parseConfig } from '../../src/config/load.ts';
import { readEnvironment } from '../../src/config/env.ts';
import { SOURCE_REPOSITORY_URL } from '../../src/config/schema.ts';
import type { OperatorService } from '../../src/state/operator.ts';

let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); app = undefined; });

const page = (url: string, auth = basic()) => app!.inject({ url, headers: { authorization: auth, accept: 'text/html' } });
const form = (url: string, fields: Record<string, string>, auth = basic()) => app!.inject({
  method: 'POST', url, headers: { authorization: auth, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});
/** The text of an element found by an attribute (the pages are small and regular). */
const cell = (body: string, row: string, field: string) => {
  const tr = body.slice(body.indexOf(`<tr data-channel="${row}">`));
  const m = new RegExp(`data-field="${field}"[^>]*>([\\s\\S]*?)</td>`).exec(tr.slice(0, tr.indexOf('</tr>')));
  return m?.[1]?.replace(/<[^>]+>/g, '').trim();
};
const footerOf = (body: string) => /<footer[\s\S]*<\/footer>/.exec(body)?.[0] ?? '';

describe('the footer', () => {
  it('says in Italian that the office has given no accessibility statement yet, and links to the source', async () => {
    ({ app } = await makeDashboard());
    for (const url of ['/', '/offers', '/failures']) {
      const f = footerOf((await page(url)).body);
      expect(f, url).toContain('Dichiarazione di accessibilità: l&#39;ente non l&#39;ha ancora indicata.');
      expect(f, url).toContain(`<a href="${SOURCE_REPOSITORY_URL}">Codice sorgente (EUPL-1.2)</a>`);
    }
    // Before signing in, too.
    const login = await app.inject({ url: '/login', headers: { accept: 'text/html' } });
    expect(footerOf(login.body)).toContain('Codice sorgente');
  });

  it('links to the configured statement and repository on every page', async () => {
    ({ app } = await makeDashboard({ config: { accessibilityUrl: 'https://ente.example.it/accessibilita', sourceUrl: 'https://git.ente.example.it/banditore' } }));
    for (const url of ['/', '/feeds', '/audit', '/pagina-che-non-esiste']) {
      const f = footerOf((await page(url)).body);
      expect(f, url).toContain('<a href="https://ente.example.it/accessibilita">Dichiarazione di accessibilità</a>');
      expect(f, url).toContain('<a href="https://git.ente.example.it/banditore">');
      expect(f, url).not.toContain('non l&#39;ha ancora indicata');
    }
  });
});

describe('the footer\'s config keys', () => {
  const yaml = (extra: string) => worldYaml(fixtureWorld(), 'cfg', { dashboard: `  username: operatore\n  password: una-password-lunga${extra}` });
  const load = (extra: string) => parseConfig(yaml(extra), { env: readEnvironment({} as NodeJS.ProcessEnv), source: 'test' }).config.dashboard;

  it('defaults sourceUrl to the repository that publiccode.yml names, and leaves accessibilityUrl unset', () => {
    const d = load('');
    const publiccode = parseYaml(readFileSync(new URL('../../publiccode.yml', import.meta.url), 'utf8')) as { url: string };
    expect(d.sourceUrl).toBe(publiccode.url);
    expect(d.accessibilityUrl).toBeUndefined();
  });

  it('takes http(s) URLs and refuses anything else, saying which key', () => {
    expect(load('\n  accessibilityUrl: https://ente.example.it/a11y\n  sourceUrl: https://git.example.it/b').accessibilityUrl).toBe('https://ente.example.it/a11y');
    expect(() => load('\n  accessibilityUrl: javascript:alert(1)')).toThrow(/accessibilityUrl/);
    expect(() => load('\n  sourceUrl: ftp://git.example.it/b')).toThrow(/sourceUrl/);
  });
});

describe('the overview, per channel', () => {
  it('shows the posts held by a pause, the posts out, and the last error from the network', async () => {
    const w = fixtureWorld();
    const operator = memoryOperatorFor({
      ...w,
      held: [{ publisher: 'teramo', network: 'facebook', offerKey: 'h1' }, { publisher: 'teramo', network: 'facebook', offerKey: 'h2' }],
      channelErrors: [{ publisher: 'teramo', network: 'facebook', errorClass: 'auth', message: 'Error validating access token (code 190)', at: w.now - 60_000 }],
    });
    ({ app } = await makeDashboard({ operator }));
    const body = (await page('/')).body;
    expect(body).toContain('<th scope="col">Trattenuti</th><th scope="col">Pubblicati</th><th scope="col">Ultimo errore</th>');
    expect(cell(body, 'teramo/facebook', 'held')).toBe('2');
    expect(cell(body, 'teramo/facebook', 'posted')).toBe('1');
    expect(cell(body, 'teramo/facebook', 'lastError')).toMatch(/^Autenticazione: Error validating access token \(code 190\) \(.+\)$/);
    expect(cell(body, 'pescara/twitter', 'held')).toBe('0');
    expect(cell(body, 'pescara/twitter', 'posted')).toBe('5');
    expect(cell(body, 'pescara/twitter', 'lastError')).toBe('nessuno');
  });
});

describe.each(['memory', 'redis'] as const)('"Non pubblicare più", over the %s operator', (kind) => {
  let world: RedisWorld | undefined;
  afterEach(async () => { await world?.close(); world = undefined; });
  async function start(withPeople = false): Promise<OperatorService> {
    let operator: OperatorService;
    if (kind === 'memory') operator = memoryOperatorFor(fixtureWorld());
    else { world = await redisWorld(fixtureWorld()); operator = world.operator; }
    ({ app } = await makeDashboard({ operator, withPeople }));
    return operator;
  }

  it('is a link to a page that spells out what it will do, network by network, and changes nothing', async () => {
    const op = await start();
    const offer = (await page('/offers/pescara/d4e5f6')).body;
    expect(offer).toContain('<a class="button danger" href="/offers/pescara/d4e5f6/cancel">Non pubblicare più questa offerta</a>');
    expect(offer).not.toContain('action="/actions/cancel"');
    const confirm = await page('/offers/pescara/d4e5f6/cancel');
    expect(confirm.statusCode).toBe(200);
    const text = confirm.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Non pubblicare più l&#39;offerta PE-2026-042?');
    // X: failed, not yet out → stopped. Facebook: posted → stays, with a link to close it there.
    expect(text).toContain('non sarà pubblicata su: X;');
    expect(text).toContain('resta pubblicata su: Facebook. Banditore non chiude né cancella questi post');
    expect(confirm.body).toContain('href="https://facebook.example/111_333"');
    expect(confirm.body).toMatch(/<button type="submit" class="danger">Sì, non pubblicare più l&#39;offerta<\/button>/);
    expect((await op.getOffer('pescara', 'd4e5f6'))!.state).toBe('open');
  });

  it('does nothing on a form without the confirmation: it sends the browser to the confirmation page', async () => {
    const op = await start();
    const res = await form('/actions/cancel', { publisher: 'pescara', key: 'd4e5f6', back: '/failures' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/offers/pescara/d4e5f6/cancel?back=%2Ffailures');
    expect((await op.getOffer('pescara', 'd4e5f6'))!.state).toBe('open');
    expect((await op.audit(10)).filter((e) => e.action === 'cancel')).toEqual([]);
  });

  it('cancels once confirmed: the offer and its unsent post are cancelled, the page says so, the audit names who', async () => {
    const op = await start();
    const res = await form('/actions/cancel', { publisher: 'pescara', key: 'd4e5f6', confirm: 'yes', back: '/offers/pescara/d4e5f6' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/offers/pescara/d4e5f6?msg=cancelled');
    const after = (await op.getOffer('pescara', 'd4e5f6'))!;
    expect(after.state).toBe('cancelled');
    expect(after.channels.map((c) => [c.network, c.state])).toEqual([['twitter', 'cancelled'], ['facebook', 'posted']]);
    const shown = (await page(res.headers.location as string)).body;
    expect(shown).toContain('L&#39;offerta non sarà più pubblicata. I post già pubblicati restano sulle reti.');
    // A cancelled offer offers no second cancel.
    expect(shown).not.toContain('Non pubblicare più questa offerta');
    expect((await page('/offers/pescara/d4e5f6/cancel')).body).toContain('L&#39;offerta non è aperta');
    const entry = (await op.audit(10)).find((e) => e.action === 'cancel');
    expect(entry).toMatchObject({ who: 'operatore', target: 'pescara/d4e5f6', result: 'ok' });
  });

  it('is not offered to a viewer, whose confirmation page answers 403', async () => {
    await start(true);
    const viewer = basic('vera.lettrice', PEOPLE_PASSWORD);
    expect((await page('/offers/pescara/d4e5f6', viewer)).body).not.toContain('/cancel');
    expect((await page('/offers/pescara/d4e5f6/cancel', viewer)).statusCode).toBe(403);
    expect((await page('/failures', viewer)).body).not.toContain('/cancel');
  });
});
