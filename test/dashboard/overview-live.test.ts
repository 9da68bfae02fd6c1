// SPDX-License-Identifier: EUPL-1.2
/**
 * The overview's held and posted counts and last error follow the service without a reload
 * (assets/dashboard.js), the page stays accessible after the script rewrote it, and only data going
 * stale is announced to screen readers (not the update every 5 seconds).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { PASSWORD, USER, makeDashboard } from './fixture.ts';
import type { MemoryOperator } from '../helpers/memory-operator.ts';
import { describeBrowser, launchBrowser } from '../helpers/browser.ts';
import { axeViolations, describeViolations } from './axe.ts';

describeBrowser('the overview\'s per-channel counts, live', () => {
  let browser: Browser;
  let app: FastifyInstance;
  let operator: MemoryOperator;
  let base: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ app, operator } = await makeDashboard());
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => { await browser?.close(); await app?.close(); });

  it('rewrites held, posted and the last error when the channel changes', async () => {
    const ctx = await browser.newContext({ bypassCSP: true });
    const page = await ctx.newPage();
    try {
      await page.goto(`${base}/login`);
      await page.getByLabel('Nome utente').fill(USER);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Accedi' }).click();
      await page.waitForURL(`${base}/`);
      const row = page.locator('tr[data-channel="pescara/facebook"]');
      expect(await row.locator('[data-field="held"]').textContent()).toBe('0');
      expect(await row.locator('[data-field="lastError"]').textContent()).toBe('nessuno');
      const ch = operator.channels.find((c) => c.publisher === 'pescara' && c.network === 'facebook')!;
      ch.counts.held = 3;
      ch.counts.posted = 12;
      ch.lastError = { errorClass: 'rate-limited', message: 'Application request limit reached (code 4)', at: Date.now() };
      await row.locator('[data-field="lastError"]', { hasText: 'Limite di frequenza: Application request limit reached (code 4)' }).waitFor({ timeout: 20_000 });
      expect(await row.locator('[data-field="held"]').textContent()).toBe('3');
      expect(await row.locator('[data-field="posted"]').textContent()).toBe('12');
      expect(await row.locator('[data-field="lastError"]').getAttribute('class')).toBe('error');
      // What the script wrote keeps the page accessible.
      const found = await axeViolations(page);
      expect(found, describeViolations(found)).toEqual([]);
      // Routine updates are not announced to screen readers; data going stale is, and recovery clears it.
      await page.locator('#live', { hasText: /^Aggiornato alle / }).waitFor({ timeout: 20_000 });
      expect(await page.locator('#live').getAttribute('aria-live')).toBeNull();
      expect(await page.locator('#live-alert').textContent()).toBe('');
      await page.route('**/api/status', (route) => route.abort('connectionrefused'));
      await page.locator('#live-alert[aria-live="polite"]', { hasText: /^Aggiornamento non riuscito: dati fermi alle / }).waitFor({ timeout: 20_000 });
      await page.unroute('**/api/status');
      await page.locator('#live', { hasText: /^Aggiornato alle / }).waitFor({ timeout: 20_000 });
      expect(await page.locator('#live-alert').textContent()).toBe('');
    } finally {
      await ctx.close();
    }
  });
});
