// SPDX-License-Identifier: EUPL-1.2
/**
 * The dashboard's access rules, seen from outside: who gets in, what is refused, and that no secret is
 * ever in an answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PASSWORD, TOKENS, USER, basic, cookieFrom, csrfIn, login, makeDashboard } from './fixture.ts';

let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); app = undefined; });

const FORM = 'application/x-www-form-urlencoded';

describe('who gets in', () => {
  it('sends anonymous browsers to the login page and answers 401 to anonymous scripts', async () => {
    ({ app } = await makeDashboard());
    const page = await app.inject({ url: '/offers', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/login?next=%2Foffers');
    for (const url of ['/', '/api/status', '/api/recent', '/api/offers', '/metrics', '/queues', '/feeds', '/audit']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic /);
    }
    const post = await app.inject({ method: 'POST', url: '/api/channels/pescara/twitter/pause' });
    expect(post.statusCode).toBe(401);
  });

  it('leaves /healthz and /readyz open', async () => {
    ({ app } = await makeDashboard());
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ ready: true });
  });

  it('lets scripts in with HTTP Basic and refuses a wrong password with 401', async () => {
    ({ app } = await makeDashboard());
    const ok = await app.inject({ url: '/api/status', headers: { authorization: basic() } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().channels).toHaveLength(3);
    const wrong = await app.inject({ url: '/api/status', headers: { authorization: basic(USER, 'nope') }, remoteAddress: '10.9.9.9' });
    expect(wrong.statusCode).toBe(401);
    const wrongUser = await app.inject({ url: '/metrics', headers: { authorization: basic('root', PASSWORD) }, remoteAddress: '10.9.9.9' });
    expect(wrongUser.statusCode).toBe(401);
  });

  it('logs people in with a form, sets a safe session cookie, audits the sign-in and keeps the failure apart', async () => {
    let operator;
    ({ app, operator } = await makeDashboard({ publicUrl: 'https://lavoro.example.it' }));
    const page = await app.inject({ url: '/login' });
    const bad = await app.inject({
      method: 'POST', url: '/login', headers: { cookie: `banditore_login=${cookieFrom(page, 'banditore_login')}`, 'content-type': FORM },
      payload: new URLSearchParams({ _csrf: csrfIn(page.body)!, username: USER, password: 'sbagliata' }).toString(),
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.body).toContain('Nome utente o password errati.');
    const page2 = await app.inject({ url: '/login' });
    const good = await app.inject({
      method: 'POST', url: '/login', headers: { cookie: `banditore_login=${cookieFrom(page2, 'banditore_login')}`, 'content-type': FORM },
      payload: new URLSearchParams({ _csrf: csrfIn(page2.body)!, username: USER, password: PASSWORD, next: '/feeds' }).toString(),
    });
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe('/feeds');
    const set = ([] as string[]).concat(good.headers['set-cookie'] ?? []).find((c) => c.startsWith('banditore_session='))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=(Lax|Strict)/i);
    expect(set).toMatch(/Secure/i);
    const feeds = await app.inject({ url: '/feeds', headers: { cookie: set.split(';')[0]!, accept: 'text/html' } });
    expect(feeds.statusCode).toBe(200);
    expect(feeds.body).toContain('https://lavoro.example.it/offerte.rss');
    const audit = await operator.audit(10);
    expect(audit.filter((a) => a.action === 'login' && a.who === USER).map((a) => a.result)).toEqual(['ok']);
    expect((await operator.signInFailures(10)).map((f) => [f.who, f.reason, f.via])).toEqual([[USER, 'password', 'form']]);
  });

  it('never redirects after login to another site', async () => {
    ({ app } = await makeDashboard());
    const page = await app.inject({ url: '/login' });
    const res = await app.inject({
      method: 'POST', url: '/login', headers: { cookie: `banditore_login=${cookieFrom(page, 'banditore_login')}`, 'content-type': FORM },
      payload: new URLSearchParams({ _csrf: csrfIn(page.body)!, username: USER, password: PASSWORD, next: '//evil.example/x' }).toString(),
    });
    expect(res.headers.location).toBe('/');
  });

  it('rate-limits failed logins per client IP with 429, even for the right password afterwards', async () => {
    ({ app } = await makeDashboard());
    const ip = '10.1.2.3';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const page = await app.inject({ url: '/login', remoteAddress: ip });
      const res = await app.inject({
        method: 'POST', url: '/login', remoteAddress: ip, headers: { cookie: `banditore_login=${cookieFrom(page, 'banditore_login')}`, 'content-type': FORM },
        payload: new URLSearchParams({ _csrf: csrfIn(page.body)!, username: USER, password: `guess${i}` }).toString(),
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const basicRight = await app.inject({ url: '/api/status', remoteAddress: ip, headers: { authorization: basic() } });
    expect(basicRight.statusCode).toBe(429);
    expect(basicRight.headers['retry-after']).toBeDefined();
    // Another client is not affected.
    const other = await app.inject({ url: '/api/status', remoteAddress: '10.1.2.4', headers: { authorization: basic() } });
    expect(other.statusCode).toBe(200);
  });
});

describe('requests from elsewhere', () => {
  it('refuses a cross-site POST with 403 and changes nothing, with Basic auth or a session', async () => {
    let operator;
    ({ app, operator } = await makeDashboard());
    const viaBasic = await app.inject({ method: 'POST', url: '/api/channels/pescara/twitter/pause', headers: { authorization: basic(), origin: 'https://evil.example' } });
    expect(viaBasic.statusCode).toBe(403);
    const fetchSite = await app.inject({ method: 'POST', url: '/api/failures/transient/retry', headers: { authorization: basic(), 'sec-fetch-site': 'cross-site' } });
    expect(fetchSite.statusCode).toBe(403);
    const s = await login(app);
    const viaForm = await app.inject({
      method: 'POST', url: '/actions/pause', headers: { cookie: s.cookie, origin: 'https://evil.example', 'content-type': FORM },
      payload: new URLSearchParams({ _csrf: s.csrf, publisher: 'pescara', network: 'twitter' }).toString(),
    });
    expect(viaForm.statusCode).toBe(403);
    const status = await operator.status();
    expect(status.channels.find((c) => c.publisher === 'pescara' && c.network === 'twitter')!.state).toBe('active');
    expect((await operator.failures()).transient).toHaveLength(1);
    expect((await operator.audit(50)).some((a) => a.who === USER && (a.action === 'pause' || a.action === 'retry-group'))).toBe(false);
  });

  it('refuses a form without the CSRF token with 403, and accepts it with the token', async () => {
    let operator;
    ({ app, operator } = await makeDashboard());
    const s = await login(app);
    const missing = await app.inject({
      method: 'POST', url: '/actions/pause', headers: { cookie: s.cookie, 'content-type': FORM },
      payload: new URLSearchParams({ publisher: 'pescara', network: 'twitter' }).toString(),
    });
    expect(missing.statusCode).toBe(403);
    const wrong = await app.inject({
      method: 'POST', url: '/actions/pause', headers: { cookie: s.cookie, 'content-type': FORM },
      payload: new URLSearchParams({ _csrf: 'x'.repeat(43), publisher: 'pescara', network: 'twitter' }).toString(),
    });
    expect(wrong.statusCode).toBe(403);
    expect((await operator.status()).channels[0]!.state).toBe('active');
    const ok = await app.inject({
      method: 'POST', url: '/actions/pause', headers: { cookie: s.cookie, 'content-type': FORM, origin: 'http://localhost:80' },
      payload: new URLSearchParams({ _csrf: s.csrf, publisher: 'pescara', network: 'twitter' }).toString(),
    });
    expect(ok.statusCode).toBe(303);
    expect((await operator.status()).channels[0]!.state).toBe('paused');
    const page = await app.inject({ url: '/', headers: { cookie: s.cookie } });
    expect(page.body).toContain(`in pausa: sospeso da ${USER}`);
  });

  it('lets JSON API calls with Basic auth act without a CSRF token, and answers 404 for unknown targets', async () => {
    let operator;
    ({ app, operator } = await makeDashboard());
    const h = { authorization: basic() };
    const pause = await app.inject({ method: 'POST', url: '/api/channels/pescara/facebook/pause', headers: h });
    expect(pause.statusCode).toBe(200);
    expect((await operator.status()).channels[1]!.state).toBe('paused');
    const resume = await app.inject({ method: 'POST', url: '/api/channels/pescara/facebook/resume', headers: h });
    expect(resume.json()).toEqual({ ok: true, released: 0 });
    expect((await app.inject({ method: 'POST', url: '/api/channels/nowhere/twitter/pause', headers: h })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/channels/teramo/twitter/pause', headers: h })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/failures/bogus/retry', headers: h })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/jobs/missing-job/retry', headers: h })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/offers/pescara/zzz/cancel', headers: h })).statusCode).toBe(404);
    const retried = await app.inject({ method: 'POST', url: '/api/failures/transient/retry', headers: h });
    expect(retried.json()).toEqual({ ok: true, retried: 1 });
    expect((await operator.failures()).transient ?? []).toEqual([]);
    const audit = (await operator.audit(50)).map((a) => `${a.who} ${a.action} ${a.target} ${a.result}`);
    expect(audit).toContain(`${USER} pause pescara/facebook ok`);
    expect(audit).toContain(`${USER} retry-group transient ok`);
    expect(audit).toContain(`${USER} retry missing-job error`);
  });
});

describe('what answers carry', () => {
  it('sends security headers on pages, API and login', async () => {
    ({ app } = await makeDashboard());
    for (const res of [await app.inject({ url: '/login' }), await app.inject({ url: '/api/status', headers: { authorization: basic() } }), await app.inject({ url: '/healthz' })]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBeDefined();
    }
  });

  it('escapes data from feeds and networks', async () => {
    ({ app } = await makeDashboard());
    const s = await login(app);
    const page = await app.inject({ url: '/', headers: { cookie: s.cookie } });
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const feeds = await app.inject({ url: '/feeds', headers: { cookie: s.cookie } });
    expect(feeds.body).toContain('HTTP 503 &lt;b&gt;down&lt;/b&gt;');
  });

  it('never shows the password or a token in any page, API answer or metric', async () => {
    let operator;
    ({ app, operator } = await makeDashboard());
    // Someone typed the password into the username field: the audit log must not keep it.
    const page = await app.inject({ url: '/login', remoteAddress: '10.7.7.7' });
    await app.inject({
      method: 'POST', url: '/login', remoteAddress: '10.7.7.7', headers: { cookie: `banditore_login=${cookieFrom(page, 'banditore_login')}`, 'content-type': FORM },
      payload: new URLSearchParams({ _csrf: csrfIn(page.body)!, username: PASSWORD, password: PASSWORD }).toString(),
    });
    await app.inject({ url: '/api/status', remoteAddress: '10.7.7.8', headers: { authorization: basic(PASSWORD, 'x') } });
    const s = await login(app);
    await app.inject({ method: 'POST', url: '/api/jobs/post.pescara.twitter.d4e5f6/retry', headers: { authorization: basic() } });
    const urls = ['/', '/offers', '/offers?search=PE-2026', '/offers/pescara/a1b2c3', '/offers/pescara/d4e5f6', '/feeds', '/failures', '/audit', '/login',
      '/api/status', '/api/recent', '/api/offers', '/metrics', '/queues', '/queues/api/queues', '/assets/dashboard.js', '/nope'];
    const secrets = [PASSWORD, ...TOKENS, Buffer.from(`${USER}:${PASSWORD}`).toString('base64')];
    for (const url of urls) {
      for (const headers of [{ cookie: s.cookie, accept: 'text/html' }, { authorization: basic() }]) {
        const res = await app.inject({ url, headers });
        expect(res.statusCode, url).toBeLessThan(500);
        const whole = JSON.stringify(res.headers) + res.body;
        for (const secret of secrets) expect(whole.includes(secret), `${secret} in ${url}`).toBe(false);
      }
    }
    expect(JSON.stringify(await operator.audit(100))).not.toContain(PASSWORD);
  });

  it('serves Prometheus metrics from the operator counters, with Basic auth', async () => {
    ({ app } = await makeDashboard());
    const res = await app.inject({ url: '/metrics', headers: { authorization: basic() } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('banditore_posts_total{publisher="pescara",network="twitter",outcome="posted"} 5');
    expect(res.body).toContain('banditore_feed_polls_total{publisher="pescara",result="ok"} 9');
    expect(res.body).toContain('banditore_limit_refusals_total{publisher="pescara",network="twitter"} 2');
    expect(res.body).toContain('banditore_queue_jobs{network="twitter",state="waiting"} 2');
    expect(res.body).toContain('banditore_limit_used_ratio{publisher="pescara",network="twitter",window="86400s"} 1');
    expect(res.body).toContain('process_cpu_user_seconds_total');
  });

  it('speaks English when configured', async () => {
    ({ app } = await makeDashboard({ language: 'en' }));
    const page = await app.inject({ url: '/login' });
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('Operator login');
  });
});
