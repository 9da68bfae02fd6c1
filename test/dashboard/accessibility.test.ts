// SPDX-License-Identifier: EUPL-1.2
/**
 * WCAG 2.1 A and AA (EN 301 549, as AGID's guidelines ask of the software PA staff use): axe-core in
 * Chromium on every dashboard page of ./pages.ts, each with 0 violations; and every GET page route the
 * dashboard registers is in that list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { makeDashboard, PUBLISHERS } from './fixture.ts';
import type { DashboardDeps } from '../../src/dashboard/server.ts';
import type { PublisherConfig } from '../../src/config/schema.ts';
import type { IntakeDeps } from '../../src/sources/intake.ts';
import { NOT_PAGES, PAGES, SIGN_IN, SITES, type Site, type Who } from './pages.ts';
import { describeBrowser, launchBrowser } from '../helpers/browser.ts';
import { axeViolations, describeViolations } from './axe.ts';

/** The GET routes fastify has, as full paths, read from its route tree. */
function getRoutes(app: FastifyInstance): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ method: 'GET', commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)(?:└── |├── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    if (m[3]?.split(', ').includes('GET')) out.push(stack.join('').replace(/^\/+/, '/'));
  }
  return out;
}

/** A provider nobody answers on: the pages that name it still render (discovery is lazy). */
const OIDC = { issuer: 'http://127.0.0.1:9/realms/lavoro', clientId: 'banditore', scopes: 'openid profile email', roleClaim: 'banditore_role', publishersClaim: 'banditore_publishers' };

/**
 * The upload page, as roles.ts mounts it in a real deployment. Its GET only lists the publishers the
 * person may upload for; taking a file in (intake) is not exercised by a page check, so none is wired.
 */
const UPLOAD: DashboardDeps['upload'] = { publishers: PUBLISHERS as unknown as PublisherConfig[], intake: {} as IntakeDeps, now: Date.now, maxBytes: 1_000_000 };

function siteDashboard(site: Site) {
  const s = SITES[site];
  return makeDashboard({ withPeople: true, language: s.language, deps: { upload: UPLOAD }, ...(s.oidc ? { config: { oidc: OIDC } } : {}) });
}

describe('the list of pages checked for accessibility', () => {
  it('holds every GET page route the dashboard registers', async () => {
    // The dashboard with every optional part on (the identity provider's pages too).
    const { app } = await siteDashboard('oidc');
    await app.ready();
    const routes = getRoutes(app);
    // The route tree was read: the known pages are there.
    expect(routes).toEqual(expect.arrayContaining(['/', '/offers', '/offers/:publisher/:key', '/login', '/login/oidc/callback', '/api/status', '/queues']));
    const pages = routes.filter((r) => !NOT_PAGES.some((re) => re.test(r)));
    const listed = new Set(PAGES.map((p) => p.route));
    expect(pages.filter((r) => !listed.has(r)), 'GET routes missing from test/dashboard/pages.ts').toEqual([]);
    await app.close();
  });
});

describeBrowser('every dashboard page meets WCAG 2.1 AA (axe-core)', () => {
  let browser: Browser;
  const sites = new Map<Site, { app: FastifyInstance; base: string }>();
  const contexts = new Map<string, BrowserContext>();

  async function siteOf(site: Site): Promise<string> {
    const known = sites.get(site);
    if (known) return known.base;
    const { app } = await siteDashboard(site);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    sites.set(site, { app, base });
    return base;
  }

  async function contextFor(site: Site, who: Who): Promise<BrowserContext> {
    const base = await siteOf(site);
    const known = contexts.get(`${site}/${who}`);
    if (known) return known;
    // axe is injected as an inline script, which our own CSP forbids (rightly): only the tests bypass it.
    const ctx = await browser.newContext({ bypassCSP: true });
    if (who !== 'anonymous') {
      const page = await ctx.newPage();
      await page.goto(`${base}/login`);
      await page.locator('#username').fill(SIGN_IN[who].user);
      await page.locator('#password').fill(SIGN_IN[who].pass);
      await page.locator('form.login button[type="submit"]').click();
      await page.waitForURL(`${base}/`);
      await page.close();
    }
    contexts.set(`${site}/${who}`, ctx);
    return ctx;
  }

  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => {
    for (const c of contexts.values()) await c.close();
    await browser?.close();
    for (const s of sites.values()) await s.app.close();
  });

  it.each(PAGES.map((p) => [p.name, p] as const))('%s', async (_name, p) => {
    const site = p.site ?? 'it';
    const page = await (await contextFor(site, p.as)).newPage();
    const base = await siteOf(site);
    try {
      let status: number | undefined;
      page.on('response', (r) => { if (r.request().isNavigationRequest() && r.request().frame() === page.mainFrame()) status = r.status(); });
      if (p.open) await p.open(page, base);
      else await page.goto(`${base}${p.path}`);
      expect(status, `${p.name}: HTTP status`).toBe(p.status);
      // The page is the one meant (not the login page instead of it): it has its own main content.
      expect(await page.locator('main h1').count()).toBe(1);
      expect(await page.locator('html').getAttribute('lang')).toBe(SITES[site].language);
      const found = await axeViolations(page);
      expect(found, `${p.name} (${page.url()}):\n${describeViolations(found)}`).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
