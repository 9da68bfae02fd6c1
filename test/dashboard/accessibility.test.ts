// SPDX-License-Identifier: EUPL-1.2
/**
 * WCAG 2.1 A and AA (EN 301 549, as AGID's guidelines ask of the software PA staff use): axe-core in
 * Chromium on every dashboard page of ./pages.ts, each with 0 violations; and every GET page route the
 * dashboard registers is in that list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { makeDashboard } from './fixture.ts';
import { NOT_PAGES, PAGES, SIGN_IN, type Who } from './pages.ts';
import { describeBrowser, launchBrowser } from '../helpers/browser.ts';

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Violation { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }

/** The GET routes fastify has, as full paths, read from its route tree. */
export function getRoutes(app: FastifyInstance): string[] {
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

describe('the list of pages checked for accessibility', () => {
  it('holds every GET page route the dashboard registers', async () => {
    const { app } = await makeDashboard({ withPeople: true });
    await app.ready();
    const routes = getRoutes(app);
    // The route tree was read: the known pages are there.
    expect(routes).toEqual(expect.arrayContaining(['/', '/offers', '/offers/:publisher/:key', '/login', '/api/status', '/queues']));
    const pages = routes.filter((r) => !NOT_PAGES.some((re) => re.test(r)));
    const listed = new Set(PAGES.map((p) => p.route));
    expect(pages.filter((r) => !listed.has(r)), 'GET routes missing from test/dashboard/pages.ts').toEqual([]);
    await app.close();
  });
});

describeBrowser('every dashboard page meets WCAG 2.1 AA (axe-core)', () => {
  let browser: Browser;
  let app: FastifyInstance;
  let base: string;
  const contexts = new Map<Who, BrowserContext>();

  async function contextFor(who: Who): Promise<BrowserContext> {
    const known = contexts.get(who);
    if (known) return known;
    // axe is injected as an inline script, which our own CSP forbids (rightly): only the tests bypass it.
    const ctx = await browser.newContext({ bypassCSP: true });
    if (who !== 'anonymous') {
      const page = await ctx.newPage();
      await page.goto(`${base}/login`);
      await page.getByLabel('Nome utente').fill(SIGN_IN[who].user);
      await page.getByLabel('Password').fill(SIGN_IN[who].pass);
      await page.getByRole('button', { name: 'Accedi' }).click();
      await page.waitForURL(`${base}/`);
      await page.close();
    }
    contexts.set(who, ctx);
    return ctx;
  }

  async function violations(page: Page): Promise<Violation[]> {
    await page.addScriptTag({ path: AXE });
    // A string expression: it runs in the page (this file is typed for Node).
    return page.evaluate<Violation[]>(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} }, resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`);
  }

  const describeViolations = (vs: Violation[]) => vs.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary?.replace(/\n/g, ' ') ?? ''}`).join('\n')}`).join('\n');

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ app } = await makeDashboard({ withPeople: true }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const c of contexts.values()) await c.close();
    await browser?.close();
    await app?.close();
  });

  it.each(PAGES.map((p) => [p.name, p] as const))('%s', async (_name, p) => {
    const page = await (await contextFor(p.as)).newPage();
    try {
      let status: number | undefined;
      page.on('response', (r) => { if (r.request().isNavigationRequest() && r.request().frame() === page.mainFrame()) status = r.status(); });
      if (p.open) await p.open(page, base);
      else await page.goto(`${base}${p.path}`);
      expect(status, `${p.name}: HTTP status`).toBe(p.status);
      // The page is the one meant (not the login page instead of it): it has its own main content.
      expect(await page.locator('main h1').count()).toBe(1);
      const found = await violations(page);
      expect(found, `${p.name} (${page.url()}):\n${describeViolations(found)}`).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
