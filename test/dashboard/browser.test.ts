/**
 * The dashboard in a real browser (Debian chromium through playwright-core): log in, watch channels and
 * posts, pause and resume, retry a failure, read the audit log, move with the keyboard. bull-board is
 * mounted over a real BullMQ queue on real Redis. Screenshots land in test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createDashboard } from '../../src/dashboard/server.ts';
import { createLogger } from '../../src/log/logger.ts';
import { PASSWORD, PUBLISHERS, TOKENS, USER, seededOperator } from './fixture.ts';
import { cleanPrefix, connectTestRedis, uniquePrefix } from '../helpers/redis.ts';
import type { MemoryOperator } from '../helpers/memory-operator.ts';
import { describeBrowser, launchBrowser } from '../helpers/browser.ts';

const ARTIFACTS = 'test-artifacts';

let browser: Browser;
let app: FastifyInstance;
let base: string;
let operator: MemoryOperator;
let redis: Redis;
let queue: Queue;
let prefix: string;
const cspErrors: string[] = [];

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

const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}/dashboard-${name}.png`, fullPage: true });

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  redis = await connectTestRedis();
  prefix = uniquePrefix('dash');
  queue = new Queue('twitter', { connection: redis.duplicate(), prefix });
  await queue.add('publish', { offer: 'PE-2026-041' }, { jobId: 'pescara-a1b2c3-twitter' });
  operator = seededOperator();
  app = await createDashboard({
    config: { host: '127.0.0.1', port: 0, username: USER, password: PASSWORD, language: 'it' },
    operator, logger: createLogger({ level: 'silent', secrets: [PASSWORD, ...TOKENS] }), isReady: async () => true,
    publishers: PUBLISHERS, queues: [queue],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await queue?.close();
  if (redis) { await cleanPrefix(redis, prefix); await redis.quit(); }
});

describeBrowser('the dashboard in a browser', () => {
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
      await operator.resume('pescara', 'facebook');
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
    expect(await page.getByText('Nessun errore.').count()).toBe(1);
    await page.getByRole('link', { name: 'Registro attività' }).click();
    const row = page.locator('#audit tbody tr', { hasText: 'pescara-d4e5f6-twitter' });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain(USER);
    expect(await row.textContent()).toContain('riuscita');
    await shot(page, 'audit');
    await page.goto(`${base}/offers/pescara/d4e5f6`);
    expect(await page.getByRole('heading', { name: /X: in coda/ }).count()).toBe(1);
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
    await operator.resume('pescara', 'facebook');
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
