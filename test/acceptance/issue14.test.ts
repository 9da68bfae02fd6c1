// SPDX-License-Identifier: EUPL-1.2
/**
 * Acceptance of issue 14's "Done when", against the running service: two offices (pescara on X,
 * teramo on Facebook) read from their own feeds by a real poller and posted by real workers through the
 * emulators; two dashboard processes (two runtimes) over one Redis, reached over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../../src/config/load.ts';
import { readEnvironment } from '../../src/config/env.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { startWorkers, startPoller, startDashboard, type Stop } from '../../src/app/roles.ts';
import { createLogger } from '../../src/log/logger.ts';
import { hashPassword } from '../../src/access/password-hash.ts';
import { startXEmulator, type XEmulator } from '../../src/channels/twitter/emulator.ts';
import { startGraphEmulator, type GraphEmulator } from '../../src/channels/facebook/emulator.ts';
import { cleanPrefix, connectTestRedis, uniquePrefix, TEST_REDIS_URL } from '../helpers/redis.ts';
import { SECRETS, PAGE_ID, waitFor } from '../helpers/stack.ts';
import { describeBrowser, launchBrowser } from '../helpers/browser.ts';

const PASS = 'una parola lunga abbastanza';
const ROOT = join(import.meta.dirname, '..', '..');

/** An office's RSS feed with offers whose codes and titles name the office, so a leak is visible; `add()` lists one more. */
async function officeFeed(office: string, n: number): Promise<{ server: Server; url: string; add(): void }> {
  let count = n;
  const item = (i: number) => `<item><title>Offerta ${office} numero ${i + 1}</title>
<link>http://127.0.0.1/${office}/${i + 1}</link><guid isPermaLink="false">${office.toUpperCase()}-${1000 + i}</guid>
<pubDate>${new Date(Date.UTC(2026, 10, 30, 8, i)).toUTCString()}</pubDate>
<description>Lavoro a ${office}, offerta ${i + 1}.</description></item>`;
  const server = createServer((_req, res) => {
    const items = Array.from({ length: count }, (_, i) => item(i)).join('\n');
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${office}</title><link>http://127.0.0.1/</link><description>x</description>${items}</channel></rss>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`, add: () => { count++; } };
}

interface Http { status: number; body: string; headers: Headers }
async function call(base: string, path: string, init: RequestInit & { cookie?: string; basic?: [string, string]; xff?: string } = {}): Promise<Http> {
  const headers: Record<string, string> = { accept: 'text/html', ...(init.headers as Record<string, string> | undefined) };
  if (init.cookie) headers.cookie = init.cookie;
  if (init.basic) headers.authorization = `Basic ${Buffer.from(init.basic.join(':')).toString('base64')}`;
  if (init.xff) headers['x-forwarded-for'] = init.xff;
  const res = await fetch(base + path, { ...init, headers, redirect: 'manual' });
  return { status: res.status, body: await res.text(), headers: res.headers };
}
const cookieOf = (h: Headers, name: string) => h.getSetCookie().find((c) => c.startsWith(`${name}=`))?.split(';')[0];
const csrfIn = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1];

/** Signs in through the login form, as a browser does; returns the status and the session cookie if any. */
async function signIn(base: string, user: string, pass: string, xff?: string): Promise<{ status: number; cookie?: string }> {
  const page = await call(base, '/login', { ...(xff ? { xff } : {}) });
  const login = cookieOf(page.headers, 'banditore_login')!;
  const res = await call(base, '/login', {
    method: 'POST', cookie: login, ...(xff ? { xff } : {}),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfIn(page.body)!, username: user, password: pass, next: '/' }).toString(),
  });
  const session = cookieOf(res.headers, 'banditore_session');
  return { status: res.status, ...(session ? { cookie: session } : {}) };
}

describe('issue 14: offices apart, roles, shared sessions, sign-in limits (running service)', () => {
  let x: XEmulator; let graph: GraphEmulator;
  const feeds: Server[] = [];
  const runtimes: Runtime[] = [];
  const stops: Stop[] = [];
  const bases: string[] = [];
  let prefix = '';
  let pe: Awaited<ReturnType<typeof officeFeed>>;
  let te: Awaited<ReturnType<typeof officeFeed>>;

  beforeAll(async () => {
    x = await startXEmulator();
    graph = await startGraphEmulator({ pages: [{ id: PAGE_ID, name: 'Provincia di Teramo', token: SECRETS.FB_PAGE_TOKEN }] });
    pe = await officeFeed('pescara', 3);
    te = await officeFeed('teramo', 4);
    feeds.push(pe.server, te.server);
    prefix = uniquePrefix('acc14');
    const hash = await hashPassword(PASS);
    const yaml = `
redis: { url: ${TEST_REDIS_URL}, prefix: ${prefix} }
dashboard:
  host: 127.0.0.1
  port: 0
  trustProxy: true
  users:
    - { name: maria.pescara, role: operator, publishers: [pescara], passwordHash: "${hash}" }
    - { name: vera.pescara, role: viewer, publishers: [pescara], passwordHash: "${hash}" }
    - { name: ada.admin, role: admin, passwordHash: "${hash}" }
worker: { concurrency: 5, postTimeout: 3s }
log: { level: info }
publishers:
  - id: pescara
    name: Provincia di Pescara
    feeds: [{ url: "${pe.url}", pollInterval: 1s, onFirstPoll: post }]
    channels:
      twitter:
        apiBaseUrl: ${x.url}
        appKey: \${X_APP_KEY}
        appSecret: \${X_APP_SECRET}
        accessToken: \${X_ACCESS_TOKEN}
        accessSecret: \${X_ACCESS_SECRET}
        attempts: 1
  - id: teramo
    name: Provincia di Teramo
    feeds: [{ url: "${te.url}", pollInterval: 1s, onFirstPoll: post }]
    channels:
      facebook:
        graphBaseUrl: ${graph.url}
        pageId: "${PAGE_ID}"
        pageAccessToken: \${FB_PAGE_TOKEN}
        attempts: 1
`;
    const env = readEnvironment({ ...SECRETS, REDIS_URL: TEST_REDIS_URL } as NodeJS.ProcessEnv);
    // Two dashboard "processes": two runtimes over the same Redis prefix, each with its own server.
    for (let i = 0; i < 2; i++) {
      const loaded = parseConfig(yaml, { env, source: 'acceptance 14' });
      const logger = createLogger({ level: 'warn', secrets: loaded.secrets, destination: new Writable({ write(_c, _e, cb) { cb(); } }) });
      const rt = createRuntime(loaded, { logger });
      runtimes.push(rt);
      const d = await startDashboard(rt);
      stops.push(d.stop);
      bases.push(d.url);
    }
    stops.push(await startWorkers(runtimes[0]!), await startPoller(runtimes[0]!));
    // Both offices' offers are posted, so there are offers, channels and counts on both sides.
    await waitFor('3 X posts and 4 Facebook posts', () => x.posts().filter((p) => !p.deleted).length === 3 && graph.posts().length === 4, 30_000);
  }, 60_000);

  afterAll(async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    for (const rt of runtimes) await rt.close().catch(() => undefined);
    await Promise.all([x?.close(), graph?.close(), ...feeds.map((f) => new Promise((r) => f.close(r)))]);
    const r = await connectTestRedis();
    await cleanPrefix(r, prefix);
    await r.quit();
  });

  it('an operator of pescara sees no teramo offer, channel or count on the pages and the API, and gets 403 acting on them', async () => {
    const base = bases[0]!;
    const maria = { basic: ['maria.pescara', PASS] as [string, string] };
    const admin = { basic: ['ada.admin', PASS] as [string, string] };

    // The admin sees both, so the operator's view is a real filter and not an empty service.
    const allOffers = JSON.parse((await call(base, '/api/offers', { ...admin, headers: { accept: 'application/json' } })).body);
    expect(JSON.stringify(allOffers)).toContain('TERAMO-1000');
    expect(JSON.stringify(allOffers)).toContain('PESCARA-1000');

    const teramo = (allOffers.offers as Array<{ publisher: string; key: string; state: string }>).find((o) => o.publisher === 'teramo');
    expect(teramo).toBeDefined();
    const key = teramo!.key;

    for (const path of ['/api/status', '/api/offers', '/api/offers?search=teramo', '/api/recent?limit=100', '/api/failures', '/api/in-doubt', '/api/audit']) {
      const res = await call(base, path, { ...maria, headers: { accept: 'application/json' } });
      expect(res.status, path).toBe(200);
      expect(res.body.toLowerCase(), path).not.toContain('teramo');
    }
    const own = await call(base, '/api/offers', { ...maria, headers: { accept: 'application/json' } });
    expect(own.body).toContain('PESCARA-1000');

    expect((await call(base, '/metrics', maria)).status).toBe(403);
    const filtered = await call(base, '/api/offers?publisher=teramo', { ...maria, headers: { accept: 'application/json' } });
    expect([200, 403]).toContain(filtered.status);
    expect(filtered.body).not.toContain('TERAMO-');
    for (const path of ['/', '/offers', '/offers?q=teramo', '/offers?search=Offerta', '/feeds', '/failures', '/audit', '/upload']) {
      const res = await call(base, path, maria);
      expect(res.status, path).toBe(200);
      expect(res.body.toLowerCase(), path).not.toContain('teramo');
    }
    const overview = await call(base, '/', maria);
    expect(overview.body.toLowerCase()).toContain('pescara');
    expect((await call(base, '/offers', maria)).body).toContain('Offerta pescara numero 1');
    expect((await call(base, '/offers', admin)).body).toContain('Offerta teramo numero 1');

    // Naming the other office's offer, or acting on its channel or offer, is refused.
    expect((await call(base, `/api/offers/teramo/${key}`, { ...maria, headers: { accept: 'application/json' } })).status).toBe(403);
    expect((await call(base, `/offers/teramo/${key}`, maria)).status).toBe(403);
    expect((await call(base, '/api/channels/teramo/facebook/pause', { ...maria, method: 'POST' })).status).toBe(403);
    expect((await call(base, `/api/offers/teramo/${key}/cancel`, { ...maria, method: 'POST' })).status).toBe(403);
    expect((await call(base, `/api/posts/teramo/facebook/${key}/mark-not-posted`, { ...maria, method: 'POST' })).status).toBe(403);
    // Nothing changed for teramo: its channel is not paused and its offer not cancelled.
    const status = JSON.parse((await call(base, '/api/status', { ...admin, headers: { accept: 'application/json' } })).body) as { channels: Array<{ publisher: string; network: string; state: string; counts: { posted: number } }> };
    const fb = status.channels.find((c) => c.publisher === 'teramo' && c.network === 'facebook');
    expect(fb?.state).toBe('active');
    expect(fb?.counts.posted).toBe(4);
    const after = (JSON.parse((await call(base, '/api/offers', { ...admin, headers: { accept: 'application/json' } })).body).offers as Array<{ key: string; state: string }>).find((o) => o.key === key);
    expect(after?.state).toBe('open');
    // Maria's status lists pescara's channel only.
    const mine = JSON.parse((await call(base, '/api/status', { ...maria, headers: { accept: 'application/json' } })).body) as typeof status;
    expect(mine.channels.map((c) => `${c.publisher}/${c.network}`)).toEqual(['pescara/twitter']);

    expect((await call(base, `/offers/teramo/${key}/cancel`, maria)).status).toBe(403);
    // Through the pages' own forms, signed in with a session and its CSRF token, as a browser does.
    const s = await signIn(base, 'maria.pescara', PASS, '203.0.113.9');
    const home = await call(base, '/', { cookie: s.cookie! });
    const csrf = csrfIn(home.body)!;
    const form = (path: string, fields: Record<string, string>) => call(base, path, {
      method: 'POST', cookie: s.cookie!, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
    });
    expect((await form('/actions/pause', { publisher: 'teramo', network: 'facebook' })).status).toBe(403);
    expect((await form('/actions/cancel', { publisher: 'teramo', key, confirm: 'yes' })).status).toBe(403);
    expect((await form('/actions/mark-posted', { publisher: 'teramo', network: 'facebook', key })).status).toBe(403);
    // The refusals are audited (seen by the admin).
    const audit = JSON.parse((await call(base, '/api/audit?limit=200', { ...admin, headers: { accept: 'application/json' } })).body) as { entries: Array<{ who: string; result: string; publisher?: string }> };
    expect(audit.entries.filter((e) => e.who === 'maria.pescara' && e.result === 'denied').length).toBeGreaterThanOrEqual(3);

    // The same operator can act on its own office (so the 403s above are the scope, not a broken route).
    const pause = await call(base, '/api/channels/pescara/twitter/pause', { ...maria, method: 'POST' });
    expect(pause.status).toBe(200);
    const paused = JSON.parse((await call(base, '/api/status', { ...admin, headers: { accept: 'application/json' } })).body) as typeof status;
    expect(paused.channels.find((c) => c.publisher === 'pescara')?.state).toBe('paused');
    expect((await call(base, '/api/channels/pescara/twitter/resume', { ...maria, method: 'POST' })).status).toBe(200);
  });

  it('"Riprova tutti" of an operator retries only the failures of its own office', async () => {
    const base = bases[0]!;
    const admin = { basic: ['ada.admin', PASS] as [string, string], headers: { accept: 'application/json' } };
    x.failNext(1, { status: 503, body: { title: 'Service Unavailable', status: 503 } });
    graph.failNext(1, { status: 500, code: 2, transient: true, message: 'Service temporarily unavailable' });
    pe.add(); te.add();
    type Failures = Record<string, Array<{ publisher: string; jobId: string }>>;
    const failures = await waitFor('a failure in each office', async () => {
      const f = JSON.parse((await call(base, '/api/failures', admin)).body) as Failures;
      const all = Object.entries(f).flatMap(([cls, items]) => items.map((i) => ({ ...i, cls })));
      return all.some((i) => i.publisher === 'pescara') && all.some((i) => i.publisher === 'teramo') ? all : undefined;
    }, 30_000);
    const classes = [...new Set(failures!.map((f) => f.cls))];
    expect(classes, 'both failures in one class, so the scope is what tells them apart').toHaveLength(1);
    const retried = await call(base, `/api/failures/${classes[0]}/retry`, { basic: ['maria.pescara', PASS], method: 'POST', headers: { accept: 'application/json' } });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatch(/\b1\b/);
    await waitFor('the pescara offer posted after the retry', () => x.posts().length === 4, 30_000);
    const after = JSON.parse((await call(base, '/api/failures', admin)).body) as Failures;
    const left = Object.values(after).flat();
    expect(left.map((f) => f.publisher)).toEqual(['teramo']);
    expect(graph.posts()).toHaveLength(4);
  });

  it('a teramo post in doubt is not shown to the pescara operator, who cannot settle it', async () => {
    const base = bases[0]!;
    const admin = { basic: ['ada.admin', PASS] as [string, string], headers: { accept: 'application/json' } };
    const maria = { basic: ['maria.pescara', PASS] as [string, string], headers: { accept: 'application/json' } };
    graph.hangBeforeCommitNext(1);
    te.add();
    type Doubt = { publisher: string; network: string; offerKey: string };
    const doubts = async (who: typeof admin) => {
      const body = JSON.parse((await call(base, '/api/in-doubt', who)).body) as Doubt[] | { items?: Doubt[]; posts?: Doubt[] };
      return Array.isArray(body) ? body : (body.items ?? body.posts ?? []);
    };
    const doubt = await waitFor('the teramo post in doubt (seen by the admin)', async () => (await doubts(admin)).find((d) => d.publisher === 'teramo'), 40_000, 200);
    expect(doubt!.network).toBe('facebook');
    expect(await doubts(maria)).toEqual([]);
    const gaugeFor = async () => (await call(base, '/metrics', { basic: ['ada.admin', PASS] })).body;
    await waitFor('the gauge counts the teramo post', async () => /banditore_posts_in_doubt\{[^}]*publisher="teramo"[^}]*\} 1/.test(await gaugeFor()), 30_000, 200);
    expect((await call(base, '/', { basic: ['maria.pescara', PASS] })).body.toLowerCase()).not.toContain('teramo');
    for (const action of ['mark-posted', 'mark-not-posted', 'send-anyway']) {
      expect((await call(base, `/api/posts/teramo/facebook/${doubt!.offerKey}/${action}`, { ...maria, method: 'POST' })).status, action).toBe(403);
    }
    expect((await doubts(admin)).some((d) => d.publisher === 'teramo' && d.offerKey === doubt!.offerKey)).toBe(true);
  }, 60_000);

  describeBrowser('in Chromium', () => {
    it('the operator of pescara signs in and, after the live update, sees no teramo offer, channel or count; signed out, the other dashboard sends it to the login', async () => {
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        await page.goto(`${bases[0]}/login`);
        await page.fill('input[name="username"]', 'maria.pescara');
        await page.fill('input[name="password"]', PASS);
        await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.press('input[name="password"]', 'Enter')]);
        // One live update of the overview has answered (status and recent posts), and the page shows it.
        await page.waitForResponse((r) => r.url().endsWith('/api/status') && r.status() === 200, { timeout: 20_000 });
        await page.waitForResponse((r) => r.url().includes('/api/recent') && r.status() === 200, { timeout: 20_000 });
        const overview = (await page.textContent('body')) ?? '';
        expect(overview.toLowerCase()).toContain('pescara');
        expect(overview.toLowerCase()).not.toContain('teramo');
        await page.goto(`${bases[1]}/offers`);
        const offers = (await page.textContent('body')) ?? '';
        expect(offers).toContain('Offerta pescara numero 1');
        expect(offers.toLowerCase()).not.toContain('teramo');
        // Sign out on dashboard 2: dashboard 1's open overview goes to the login page at its next live update.
        await page.goto(`${bases[0]}/`);
        const cookie = (await page.context().cookies()).find((c) => c.name === 'banditore_session')!;
        const csrf = csrfIn(await page.content())!;
        const out = await call(bases[1]!, '/logout', { method: 'POST', cookie: `banditore_session=${cookie.value}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf }).toString() });
        expect(out.status).toBe(303);
        await page.waitForURL((u) => u.pathname === '/login', { timeout: 30_000 });
      } finally {
        await browser.close();
      }
    }, 90_000);
  });

  it('a viewer cannot act', async () => {
    const base = bases[0]!;
    const vera = { basic: ['vera.pescara', PASS] as [string, string] };
    expect((await call(base, '/api/offers', { ...vera, headers: { accept: 'application/json' } })).status).toBe(200);
    expect((await call(base, '/api/channels/pescara/twitter/pause', { ...vera, method: 'POST' })).status).toBe(403);
    expect((await call(base, '/api/failures/transient/retry', { ...vera, method: 'POST' })).status).toBe(403);
    // The channel is not paused: the refusal was not a pause anyway.
    const st = JSON.parse((await call(base, '/api/status', { basic: ['ada.admin', PASS], headers: { accept: 'application/json' } })).body) as { channels: Array<{ publisher: string; state: string }> };
    expect(st.channels.find((c) => c.publisher === 'pescara')?.state).toBe('active');
    // The pages show the viewer no action buttons.
    const page = await call(base, '/', { basic: ['vera.pescara', PASS] });
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('/actions/pause');
  });

  it('bull-board answers only admins', async () => {
    const base = bases[0]!;
    const asAdmin = await call(base, '/queues', { basic: ['ada.admin', PASS] });
    expect(asAdmin.status).toBe(200);
    for (const who of ['maria.pescara', 'vera.pescara']) {
      expect((await call(base, '/queues', { basic: [who, PASS] })).status, who).toBe(403);
      expect((await call(base, '/queues/api/queues', { basic: [who, PASS], headers: { accept: 'application/json' } })).status, who).toBe(403);
      expect((await call(base, '/queues/api/queues/twitter/clean/completed', { basic: [who, PASS], method: 'PUT', headers: { accept: 'application/json' } })).status, who).toBe(403);
    }
    const anon = await call(base, '/queues');
    expect([302, 303, 401]).toContain(anon.status);
  });

  it('a person signed in on one dashboard process is signed in on the other, and one logout signs out of both', async () => {
    const [a, b] = [bases[0]!, bases[1]!];
    const s = await signIn(a, 'maria.pescara', PASS, '203.0.113.50');
    expect(s.status).toBe(303);
    const cookie = s.cookie!;
    const onB = await call(b, '/', { cookie });
    expect(onB.status).toBe(200);
    expect(onB.body).toContain('maria.pescara');
    const onA = await call(a, '/', { cookie });
    expect(onA.status).toBe(200);
    // Log out on B, with B's page's CSRF token.
    const out = await call(b, '/logout', {
      method: 'POST', cookie, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfIn(onB.body)! }).toString(),
    });
    expect(out.status).toBe(303);
    for (const base of [a, b]) {
      const after = await call(base, '/', { cookie });
      expect(after.status, base).not.toBe(200);
      expect(after.headers.get('location') ?? '', base).toContain('/login');
    }
  });

  it('five wrong passwords from one client behind the proxy do not block a second client', async () => {
    const base = bases[0]!;
    for (let i = 0; i < 5; i++) expect((await signIn(base, 'ada.admin', 'sbagliata-sbagliata', '198.51.100.7')).status).toBe(401);
    // The guessing client is now refused even with the right password...
    expect((await signIn(base, 'ada.admin', PASS, '198.51.100.7')).status).toBe(429);
    // The limit is kept in Redis: the other dashboard refuses that client too.
    expect((await signIn(bases[1]!, 'ada.admin', PASS, '198.51.100.7')).status).toBe(429);
    // ...while another client behind the same proxy signs in.
    const other = await signIn(base, 'ada.admin', PASS, '198.51.100.8');
    expect(other.status).toBe(303);
    expect(other.cookie).toBeTruthy();
    expect((await call(base, '/', { cookie: other.cookie! })).status).toBe(200);
    expect((await signIn(bases[1]!, 'maria.pescara', PASS, '198.51.100.9')).status).toBe(303);
  });
});

describe('issue 14: the reuse rules', () => {
  it('LICENSE is the full EUPL-1.2 text', () => {
    const text = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(text).toContain('EUROPEAN UNION PUBLIC LICENCE v. 1.2');
    // The full text has its 15 articles and the appendix of compatible licences.
    expect(text).toMatch(/Appendix/i);
    expect(text).toContain('GNU Affero General Public License');
    expect(text.length).toBeGreaterThan(10_000);
  });

  it('publiccode.yml names the EUPL-1.2 and has the catalogue\'s mandatory keys', () => {
    const p = parseYaml(readFileSync(join(ROOT, 'publiccode.yml'), 'utf8')) as Record<string, any>;
    for (const k of ['publiccodeYmlVersion', 'name', 'url', 'platforms', 'categories', 'developmentStatus', 'softwareType', 'description', 'legal', 'maintenance', 'localisation']) expect(p, k).toHaveProperty(k);
    expect(p.legal.license).toBe('EUPL-1.2');
    expect(p.description.it.shortDescription.length).toBeLessThanOrEqual(150);
  });

  it('every source file starts with the SPDX line', () => {
    const missing: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) { if (name !== 'node_modules' && !name.startsWith('.')) walk(full); continue; }
        if (!/\.(ts|js|mjs|lua)$/.test(name)) continue;
        const head = readFileSync(full, 'utf8').split('\n').slice(0, 2).join('\n');
        if (!head.includes('SPDX-License-Identifier: EUPL-1.2')) missing.push(full.slice(ROOT.length + 1));
      }
    };
    for (const d of ['src', 'test', 'bin', 'bench', 'scripts']) { try { walk(join(ROOT, d)); } catch { /* absent */ } }
    expect(missing).toEqual([]);
  });
});
