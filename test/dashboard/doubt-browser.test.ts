// SPDX-License-Identifier: EUPL-1.2
/**
 * Posts in doubt in Chromium, over RedisOperatorService on real Redis: the overview's "In dubbio"
 * section and the offer page's three answers pass axe-core (WCAG 2 A/AA), and an operator settles a post
 * with the keyboard-reachable buttons: the ledger and the audit log say so.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { PASSWORD, USER, makeDashboard } from './fixture.ts';
import { redisWorld, type RedisWorld } from '../helpers/operator-world.ts';
import { fixtureWorld } from '../helpers/fixture-world.ts';
import { describeBrowser, launchBrowser } from '../helpers/browser.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describeBrowser('posts in doubt in a browser', () => {
  let browser: Browser;
  let app: FastifyInstance;
  let world: RedisWorld;
  let base = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    world = await redisWorld(fixtureWorld());
    const ago = Date.now() - 3_600_000;
    await world.rt.ledger.update('pescara', 'twitter', 'd4e5f6', { state: 'unknown', text: 'Cuoco stagionale a Pescara', sendingSince: ago, updatedAt: ago, attempts: 8 }, ['errorClass']);
    ({ app } = await makeDashboard({ operator: world.operator, deps: { queues: world.rt.queues.all() } }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => { await app?.close(); await world?.close(); await browser?.close(); });

  async function signedIn(): Promise<Page> {
    // axe-core is put in the page by the test itself, past the dashboard's script policy.
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('Nome utente').fill(USER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/`);
    return page;
  }
  async function violations(page: Page): Promise<string[]> {
    await page.evaluate(AXE);
    // A string, run in the page (the test's TypeScript has no DOM types).
    return page.evaluate("axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }).then((r) => r.violations.map((v) => v.id + ' (' + v.nodes.length + ')'))") as Promise<string[]>;
  }

  it('shows the post in doubt on the overview and its answers on the offer page, accessibly, and settles it', async () => {
    const page = await signedIn();
    expect(await page.getByRole('heading', { name: 'In dubbio (1)' }).count()).toBe(1);
    const row = page.locator('#doubt tbody tr[data-doubt="pescara/twitter/d4e5f6"]');
    expect(await row.textContent()).toContain('esito sconosciuto');
    expect(await violations(page)).toEqual([]);

    await row.getByRole('link', { name: /Cuoco stagionale/ }).click();
    await page.waitForURL(/\/offers\/pescara\/d4e5f6/);
    expect(await page.getByRole('heading', { name: 'Post in dubbio su X' }).count()).toBe(1);
    expect(await page.getByLabel('Id del post sulla rete (facoltativo)').count()).toBe(1);
    expect(await violations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Segna come non pubblicato' }).click();
    await page.waitForURL(/msg=done/);
    expect(await world.rt.ledger.get('pescara', 'twitter', 'd4e5f6')).toMatchObject({ state: 'failed', markedBy: USER });
    expect(await page.getByRole('button', { name: 'Segna come non pubblicato' }).count()).toBe(0);
    await page.goto(`${base}/audit`);
    expect(await page.locator('#audit tbody tr', { hasText: 'ha segnato come non pubblicato il post pescara/twitter/d4e5f6' }).count()).toBe(1);
    await page.goto(`${base}/`);
    expect(await page.getByRole('heading', { name: 'In dubbio (0)' }).count()).toBe(1);
    await page.close();
  });
});
