// SPDX-License-Identifier: EUPL-1.2
/**
 * The dashboard in a real browser (Debian chromium through playwright-core): log in, watch channels and
 * posts, pause and resume, retry a failure, read the audit log, move with the keyboard. The same pages
 * run twice: over the in-memory operator (with bull-board over a real BullMQ queue on real Redis) and
 * over RedisOperatorService on a runtime seeded with the same world. Screenshots land in test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { PASSWORD, USER, makeDashboard, seededOperator } from './fixture.ts';
import { cleanPrefix, connectTestRedis, uniquePrefix } from '../helpers/redis.ts';
import { redisWorld, type RedisWorld } from '../helpers/operator-world.ts';
import { fixtureWorld } from '../helpers/fixture-world.ts';
import type { OperatorService } from '../../src/state/operator.ts';
import { describeBrowser, launchBrowser } from '../helpers/browser.ts';

const ARTIFACTS = 'test-artifacts';

let browser: Browser;
const cspErrors: string[] = [];

describeBrowser('the dashboard in a browser', () => {
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => { await browser?.close(); });

describe.each(['memory', 'redis'] as const)('the dashboard in a browser, over the %s operator', (kind) => {
  let app: FastifyInstance;
  let base: string;
  let operator: OperatorService;
  let redis: Redis;
  let queue: Queue | undefined;
  let prefix: string;
  let world: RedisWorld | undefined;

  async function newLoggedInPage(): Promise<Page> {
    const page = await browser.newPage();
    // bull-board's UI asks for Google Fonts, which our policy blocks on purpose: judge only our own pages.
    page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text()) && !page.url().includes('/queues')) cspErrors.push(m.text()); });
    await page.goto(`${base}/`);
    await page.getByLabel('Nome utente').fill(USER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/`);
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}/dashboard-${kind}-${name}.png`, fullPage: true });

  beforeAll(async () => {
    let queues: Queue[];
    if (kind === 'memory') {
      redis = await connectTestRedis();
      prefix = uniquePrefix('dash');
      queue = new Queue('twitter', { connection: redis.duplicate(), prefix });
      await queue.add('publish', { offer: 'PE-2026-041' }, { jobId: 'post.pescara.twitter.a1b2c3' });
      operator = seededOperator();
      queues = [queue];
    } else {
      world = await redisWorld(fixtureWorld());
      operator = world.operator;
      queues = world.rt.queues.all();
    }
    ({ app } = await makeDashboard({ operator, deps: { queues } }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await queue?.close();
    if (redis) { await cleanPrefix(redis, prefix); await redis.quit(); }
    await world?.close();
  });

  it('logs in and shows the channels and the latest posts with links to them', async () => {
    const page = await newLoggedInPage();
    expect(await page.locator('html').getAttribute('lang')).toBe('it');
    const rows = page.locator('#channels tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await page.locator('tr[data-channel="teramo/facebook"] [data-field="state"]').textContent()).toContain('problema di autenticazione');
    const posts = page.getByRole('link', { name: /apri il post.*Magazziniere/ });
    const hrefs = await posts.evaluateAll((els) => els.map((a) => a.getAttribute('href')));
    expect(hrefs.sort()).toEqual(['https://facebook.example/111_222', 'https://x.example/i/status/1900000000000000001']);
    expect(await page.getByRole('link', { name: /PE-2026-041/ }).count()).toBeGreaterThan(0);
    await shot(page, 'overview');
    await page.close();
  });

  it('pauses and resumes a channel, and the page shows each state', async () => {
    const page = await newLoggedInPage();
    const state = page.locator('tr[data-channel="pescara/twitter"] [data-field="state"]');
    expect(await state.textContent()).toBe('attivo');
    await page.getByRole('button', { name: 'Metti in pausa X di Provincia di Pescara' }).click();
    await page.waitForURL(/msg=done/);
    expect(await state.textContent()).toBe(`in pausa: sospeso da ${USER}`);
    await shot(page, 'paused');
    await page.getByRole('button', { name: 'Riprendi X di Provincia di Pescara' }).click();
    await page.waitForURL(/msg=done/);
    expect(await state.textContent()).toBe('attivo');
    await page.close();
  });

  it('updates the overview without reloading when a channel changes', async () => {
    const page = await newLoggedInPage();
    const state = page.locator('tr[data-channel="pescara/facebook"] [data-field="state"]');
    expect(await state.textContent()).toBe('attivo');
    await operator.pause('pescara', 'facebook', 'worker');
    try {
      await state.filter({ hasText: 'sospeso da worker' }).waitFor({ timeout: 20_000 });
      expect(await page.getByRole('button', { name: 'Riprendi Facebook di Provincia di Pescara' }).isVisible()).toBe(true);
      expect(await page.locator('#live').textContent()).toMatch(/^Aggiornato alle /);
    } finally {
      await operator.resume('pescara', 'facebook', 'test');
      await page.close();
    }
  });

  it('retries a failed post and shows the action in the audit log', async () => {
    const page = await newLoggedInPage();
    await page.getByRole('link', { name: 'Errori' }).click();
    expect(await page.getByRole('heading', { name: /Errore temporaneo/ }).count()).toBe(1);
    expect(await page.getByText('HTTP 503 from X').count()).toBe(1);
    await shot(page, 'failures');
    await page.getByRole('button', { name: 'Riprova X per Cuoco stagionale' }).click();
    await page.waitForURL(/msg=done/);
    expect(await page.getByRole('heading', { name: /Errore temporaneo/ }).count()).toBe(0);
    expect(await page.getByText('HTTP 503 from X').count()).toBe(0);
    // The other office's failure is still there: one retry touched one post.
    expect(await page.getByRole('heading', { name: /Autenticazione \(1\)/ }).count()).toBe(1);
    await page.getByRole('link', { name: 'Registro attività' }).click();
    const row = page.locator('#audit tbody tr', { hasText: 'post.pescara.twitter.d4e5f6' });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain(USER);
    expect(await row.textContent()).toContain('ha riprovato il post post.pescara.twitter.d4e5f6');
    expect(await row.textContent()).toContain('riuscita');
    await shot(page, 'audit');
    await page.close();
  });

  it('reaches the main actions with the keyboard alone', async () => {
    const page = await newLoggedInPage();
    const reached: string[] = [];
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      // A string expression: it runs in the page, where `document` exists (this file is typed for Node).
      reached.push(await page.evaluate<string>("(document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '').trim()"));
    }
    expect(reached[0]).toBe('Vai al contenuto');
    for (const want of ['Offerte', 'Errori', 'Registro attività', 'Metti in pausa X di Provincia di Pescara', 'Riprendi Facebook di CPI Teramo']) {
      expect(reached, want).toContain(want);
    }
    // Enter on the focused pause button acts.
    await page.getByRole('button', { name: 'Metti in pausa Facebook di Provincia di Pescara' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/msg=done/);
    expect(await page.locator('tr[data-channel="pescara/facebook"] [data-field="state"]').textContent()).toContain('in pausa');
    await operator.resume('pescara', 'facebook', 'test');
    await page.close();
  });

  it('opens bull-board behind the same login, and no page breaks the content security policy', async () => {
    const page = await newLoggedInPage();
    await page.goto(`${base}/queues`);
    // The queue's name, as bull-board lists it once its script has loaded the queues from our Redis.
    await page.getByText('twitter', { exact: true }).first().waitFor({ timeout: 20_000 });
    await shot(page, 'queues');
    const anon = await browser.newPage();
    await anon.goto(`${base}/queues`);
    expect(anon.url()).toContain('/login');
    await anon.close();
    await page.close();
    expect(cspErrors).toEqual([]);
  });
});
});
