// SPDX-License-Identifier: EUPL-1.2
/**
 * People in Chromium, over the in-memory operator and over RedisOperatorService: an operator of one
 * office signs in and sees only that office on every page, with no bull-board; a viewer gets no action
 * buttons; live updates that fail say since when the data is still ("dati fermi alle 10:42"), and an
 * ended session sends the browser to the sign-in page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { PEOPLE_PASSWORD, makeDashboard, seededOperator, sessionKeys } from './fixture.ts';
import { redisWorld, type RedisWorld } from '../helpers/operator-world.ts';
import { fixtureWorld } from '../helpers/fixture-world.ts';
import type { OperatorService } from '../../src/state/operator.ts';
import { describeBrowser, launchBrowser } from '../helpers/browser.ts';

const ARTIFACTS = 'test-artifacts';
let browser: Browser;


describeBrowser('people and roles in a browser', () => {
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => { await browser?.close(); });

describe.each(['memory', 'redis'] as const)('people in a browser, over the %s operator', (kind) => {
  let app: FastifyInstance;
  let base: string;
  let world: RedisWorld | undefined;
  let redis: Redis;
  let prefix: string;

  beforeAll(async () => {
    let operator: OperatorService;
    if (kind === 'memory') operator = seededOperator();
    else { world = await redisWorld(fixtureWorld()); operator = world.operator; }
    ({ app, redis, prefix } = await makeDashboard({ operator, withPeople: true }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => { await app?.close(); await world?.close(); });

  async function signIn(name: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('Nome utente').fill(name);
    await page.getByLabel('Password').fill(PEOPLE_PASSWORD);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/`);
    return page;
  }

  it('shows an operator of Pescara only Pescara, on every page, and no bull-board', async () => {
    const page = await signIn('maria.pescara');
    expect(await page.locator('#signed-in-as').textContent()).toBe('maria.pescara (operatore)');
    const rows = await page.locator('#channels tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-channel')));
    expect(rows.sort()).toEqual(['pescara/facebook', 'pescara/twitter']);
    expect(await page.getByRole('link', { name: 'Code (bull-board)' }).count()).toBe(0);
    for (const path of ['/', '/offers', '/feeds', '/failures', '/audit']) {
      await page.goto(`${base}${path}`);
      const text = await page.locator('body').textContent();
      expect(text, path).not.toMatch(/Teramo|TE-2026/);
    }
    await page.goto(`${base}/offers`);
    const offices = await page.getByLabel('Ente').locator('option').allTextContents();
    expect(offices).toEqual(['tutti', 'Provincia di Pescara']);
    await page.getByLabel('Cerca per codice o titolo').fill('Teramo');
    await page.getByRole('button', { name: 'Filtra' }).click();
    expect(await page.getByText('Nessuna offerta.').count()).toBe(1);
    const refused = await page.goto(`${base}/queues`);
    expect(refused!.status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toContain('solo per gli amministratori');
    await page.screenshot({ path: `${ARTIFACTS}/people-${kind}-operator-queues.png`, fullPage: true });
    await page.context().close();
  });

  it('gives a viewer the pages without a single action button', async () => {
    const page = await signIn('vera.lettrice');
    expect(await page.locator('#signed-in-as').textContent()).toBe('vera.lettrice (sola lettura)');
    for (const path of ['/', '/failures', '/offers/pescara/d4e5f6']) {
      await page.goto(`${base}${path}`);
      const names = await page.getByRole('button').allTextContents();
      expect(names, path).toEqual(['Esci']);
    }
    await page.context().close();
  });

  it('says since when the data is still when live updates fail, and sends an ended session to the sign-in page', async () => {
    const page = await signIn('maria.pescara');
    const data = JSON.parse((await page.locator('#live-data').textContent())!) as { generatedAt: number };
    const at = new Intl.DateTimeFormat('it-IT', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Rome' }).format(new Date(data.generatedAt));
    // The network fails under the page: it keeps what it shows and says how old it is.
    await page.route('**/api/status', (route) => route.abort('connectionrefused'));
    await page.locator('#live', { hasText: `dati fermi alle ${at}` }).waitFor({ timeout: 20_000 });
    expect(await page.locator('#live').textContent()).toBe(`Aggiornamento non riuscito: dati fermi alle ${at}.`);
    expect(await page.locator('#channels tbody tr').count()).toBe(2);
    await page.screenshot({ path: `${ARTIFACTS}/people-${kind}-stale.png`, fullPage: true });
    await page.unroute('**/api/status');
    await page.locator('#live', { hasText: /^Aggiornato alle / }).waitFor({ timeout: 20_000 });
    // The session ends (signed out elsewhere): the next update goes to the sign-in page.
    const keys = await sessionKeys(redis, prefix);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    await page.waitForURL(/\/login\?next=%2F/, { timeout: 20_000 });
    expect(await page.getByLabel('Nome utente').count()).toBe(1);
    await page.context().close();
  });
});
});
