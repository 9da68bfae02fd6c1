// SPDX-License-Identifier: EUPL-1.2
/**
 * Sign-in with the office's identity provider, in Chromium, against a real OpenID provider
 * (oidc-provider, started here on a random port): authorization code with PKCE, the role and offices
 * taken from claims, and every tampering refused: a changed state, a changed nonce, a changed code, a
 * replayed callback, a person with no role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
// oidc-provider ships no types; the test uses its documented constructor and callback() only.
// @ts-expect-error: no declaration file
import Provider from 'oidc-provider';
import type { FastifyInstance } from 'fastify';
import { makeDashboard } from './fixture.ts';
import { redisWorld, type RedisWorld } from '../helpers/operator-world.ts';
import { fixtureWorld } from '../helpers/fixture-world.ts';
import { personFromClaims } from '../../src/dashboard/security/oidc.ts';
import { describeBrowser, launchBrowser } from '../helpers/browser.ts';

const CLIENT_SECRET = 'oidc-client-secret-7c1d9e';

/** The provider's accounts: what its claims say about each person. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  maria: { preferred_username: 'maria.rossi', email: 'maria.rossi@provincia.pescara.it', banditore_role: 'operator', banditore_publishers: ['pescara', 'chieti'] },
  capo: { preferred_username: 'capo', banditore_role: ['viewer', 'admin'] },
  nessuno: { preferred_username: 'nessuno', email: 'nessuno@example.it' },
};

let browser: Browser;
let idp: Server;
let issuer: string;
let app: FastifyInstance;
let base: string;
let world: RedisWorld;
const seen = { sub: [] as string[] };


describeBrowser('signing in with the office identity provider', () => {
beforeAll(async () => {
  idp = createServer();
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', () => r()));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;

  world = await redisWorld(fixtureWorld());
  ({ app } = await makeDashboard({
    operator: world.operator,
    config: { oidc: { issuer, clientId: 'banditore', clientSecret: CLIENT_SECRET, scopes: 'openid profile email', roleClaim: 'banditore_role', publishersClaim: 'banditore_publishers' } },
  }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [{ client_id: 'banditore', client_secret: CLIENT_SECRET, redirect_uris: [`${base}/login/oidc/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
    // The role and the offices come with the profile scope, so the default scopes carry them.
    claims: { openid: ['sub'], profile: ['preferred_username', 'banditore_role', 'banditore_publishers'], email: ['email'] },
    async findAccount(_ctx: unknown, sub: string) {
      seen.sub.push(sub);
      return { accountId: sub, claims: async () => ({ sub, ...(ACCOUNTS[sub] ?? {}) }) };
    },
    cookies: { keys: ['a-cookie-key-for-the-test-provider'] },
    pkce: { required: () => true, methods: ['S256'] },
  });
  idp.on('request', provider.callback());

  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await world?.close();
  await new Promise((r) => idp?.close(r));
});

/** From the dashboard's sign-in page through the provider's own login and consent pages. */
async function signInAtProvider(page: Page, account: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login/);
  await page.getByRole('link', { name: /Accedi con l'identità dell'ente/ }).click();
  await page.waitForURL((u) => u.href.startsWith(issuer));
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill('whatever');
  await page.locator('button[type="submit"]').click();
  // The consent screen (the provider's development interactions).
  await page.waitForURL((u) => u.href.startsWith(issuer) && /interaction/.test(u.pathname));
  await page.locator('button[type="submit"]').click();
}

const fresh = async (): Promise<{ ctx: BrowserContext; page: Page }> => {
  const ctx = await browser.newContext();
  return { ctx, page: await ctx.newPage() };
};

describe('sign-in with the office\'s identity provider', () => {
  it('signs a person in through the provider and lands on the dashboard with the role and offices of the claims', async () => {
    const { ctx, page } = await fresh();
    await signInAtProvider(page, 'maria');
    await page.waitForURL(`${base}/`);
    expect(await page.locator('#signed-in-as').textContent()).toBe('maria.rossi (operatore)');
    // Only Pescara (Chieti is not an office of this deployment, so it is dropped).
    const rows = await page.locator('#channels tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-channel')));
    expect(rows.sort()).toEqual(['pescara/facebook', 'pescara/twitter']);
    expect(await page.locator('main').textContent()).not.toContain('Teramo');
    expect(await page.getByRole('button', { name: /Metti in pausa X di Provincia di Pescara/ }).count()).toBe(1);
    // Not an admin: no bull-board.
    const queues = await page.goto(`${base}/queues`);
    expect(queues!.status()).toBe(403);
    // The session is a dashboard session like any other: the API answers with it, within its scope.
    const status = await (await page.request.get(`${base}/api/status`)).json() as { channels: Array<{ publisher: string }> };
    expect(status.channels.every((c) => c.publisher === 'pescara')).toBe(true);
    const audit = await world.operator.audit(20);
    expect(audit.find((e) => e.action === 'login' && e.who === 'maria.rossi')).toMatchObject({ via: 'oidc', result: 'ok' });
    await ctx.close();
  });

  it('gives an admin from a list of roles every office and bull-board', async () => {
    const { ctx, page } = await fresh();
    await signInAtProvider(page, 'capo');
    await page.waitForURL(`${base}/`);
    expect(await page.locator('#signed-in-as').textContent()).toBe('capo (amministratore)');
    expect(await page.locator('#channels tbody tr').count()).toBe(3);
    expect((await page.goto(`${base}/queues`))!.status()).toBe(200);
    await ctx.close();
  });

  it('refuses a person whose claims give no role, with a page that says why, and opens no session', async () => {
    const { ctx, page } = await fresh();
    const refused = page.waitForResponse((r) => r.url().startsWith(`${base}/login/oidc/callback`));
    await signInAtProvider(page, 'nessuno');
    expect((await refused).status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toContain('Il tuo profilo (nessuno) non ha un ruolo per Banditore');
    await page.goto(`${base}/`);
    expect(page.url()).toContain('/login');
    expect((await world.operator.signInFailures(5))[0]).toMatchObject({ who: 'nessuno', reason: 'oidc' });
    await ctx.close();
  });

  /** Runs a sign-in in which `tamper` rewrites one request on its way; the dashboard must refuse it. */
  async function tampered(tamper: (page: Page) => Promise<void>): Promise<{ status: number; page: Page; ctx: BrowserContext }> {
    const { ctx, page } = await fresh();
    await tamper(page);
    const answer = page.waitForResponse((r) => r.url().startsWith(`${base}/login/oidc/callback`));
    await signInAtProvider(page, 'maria');
    const status = (await answer).status();
    return { status, page, ctx };
  }

  const rewriteParam = (url: string, name: string, value: string) => { const u = new URL(url); u.searchParams.set(name, value); return u.href; };

  /**
   * Playwright does not route the requests a redirect makes, so the tampering happens on the redirect
   * itself: a request starting with `from` is made by the test, redirects within `from` are followed
   * (with the context's cookies), and the first Location starting with `to` gets `name` rewritten.
   */
  async function rewriteRedirect(page: Page, from: string, to: string, name: string, value: string): Promise<void> {
    await page.route((u) => u.href.startsWith(from), async (route) => {
      let url = route.request().url();
      let res = await route.fetch({ maxRedirects: 0 });
      for (let hop = 0; hop < 5; hop++) {
        const location = res.headers().location;
        if (!location) break;
        const next = new URL(location, url).href;
        if (next.startsWith(to)) return route.fulfill({ response: res, headers: { ...res.headers(), location: rewriteParam(next, name, value) } });
        if (!next.startsWith(from)) break;
        url = next;
        res = await page.context().request.get(next, { maxRedirects: 0 });
      }
      return route.fulfill({ response: res });
    });
  }

  it('refuses an answer whose state is not the one it sent', async () => {
    const { status, page, ctx } = await tampered(async (p) => {
      await rewriteRedirect(p, `${base}/login/oidc`, issuer, 'state', 'forged-state-value');
    });
    expect(status).toBe(400);
    expect(await page.getByRole('alert').textContent()).toContain('non è riuscito');
    expect((await page.goto(`${base}/`))!.url()).toContain('/login');
    await ctx.close();
  });

  it('refuses an ID token whose nonce is not the one it sent', async () => {
    const { status, page, ctx } = await tampered(async (p) => {
      await rewriteRedirect(p, `${base}/login/oidc`, issuer, 'nonce', 'forged-nonce-value');
    });
    expect(status).toBe(400);
    expect((await world.operator.signInFailures(1))[0]!.detail).toMatch(/nonce/i);
    expect((await page.goto(`${base}/`))!.url()).toContain('/login');
    await ctx.close();
  });

  it('refuses a callback whose code was changed, and a callback played twice', async () => {
    const { status, page, ctx } = await tampered(async (p) => {
      await rewriteRedirect(p, issuer, `${base}/login/oidc/callback`, 'code', 'forged-code-value');
    });
    expect(status).toBe(400);
    expect((await page.goto(`${base}/`))!.url()).toContain('/login');
    await ctx.close();

    // A good sign-in, then its callback played again (from the history, or by someone who saw it).
    const second = await fresh();
    let callback = '';
    second.page.on('request', (r) => { if (r.url().startsWith(`${base}/login/oidc/callback`)) callback = r.url(); });
    await signInAtProvider(second.page, 'maria');
    await second.page.waitForURL(`${base}/`);
    await second.page.getByRole('button', { name: 'Esci' }).click();
    await second.page.waitForURL(/\/login/);
    const replay = await second.page.goto(callback);
    expect(replay!.status()).toBe(400);
    expect((await second.page.goto(`${base}/`))!.url()).toContain('/login');
    await second.ctx.close();
  });
});

describe('claims to a person', () => {
  const cfg = { roleClaim: 'realm_access.roles', publishersClaim: 'offices' };
  const known = new Set(['pescara', 'teramo']);
  it('reads nested claims (Keycloak), takes the highest role, keeps known offices only', () => {
    expect(personFromClaims({ sub: 'x', preferred_username: 'p', realm_access: { roles: ['offline_access', 'viewer', 'operator'] }, offices: 'pescara, chieti' }, cfg, known))
      .toEqual({ name: 'p', role: 'operator', publishers: ['pescara'], source: 'oidc' });
    expect(personFromClaims({ sub: 'x', realm_access: { roles: ['viewer'] }, offices: ['*'] }, cfg, known)).toMatchObject({ role: 'viewer', publishers: '*' });
    expect(personFromClaims({ sub: 'x', realm_access: { roles: ['viewer'] }, offices: ['chieti'] }, cfg, known)).toHaveProperty('refused');
    expect(personFromClaims({ sub: 'x', realm_access: { roles: ['superuser'] } }, cfg, known)).toHaveProperty('refused');
  });
});
});
