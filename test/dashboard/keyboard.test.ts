// SPDX-License-Identifier: EUPL-1.2
/**
 * A keyboard-only walk through the dashboard (WCAG 2.1.1, 2.4.3, 2.4.7): sign in, search an offer,
 * pause a channel, retry a failure, using nothing but Tab, Shift+Tab, Enter, Space and typing. Every
 * element the walk lands on must show where the focus is (a visible outline, on screen), and each action's
 * result must be on the page the person then sees.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { PASSWORD, USER, makeDashboard } from './fixture.ts';
import { describeBrowser, launchBrowser } from '../helpers/browser.ts';

interface Focused { name: string; tag: string; visible: boolean; why: string }

/** The focused element: its accessible name (as the tests of browser.test.ts read it) and whether its focus shows. */
async function focused(page: Page): Promise<Focused> {
  // A string expression: it runs in the page (this file is typed for Node).
  return page.evaluate<Focused>(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { name: '', tag: 'body', visible: false, why: 'nothing focused' };
    const label = el.id ? document.querySelector('label[for="' + CSS.escape(el.id) + '"]') : null;
    const name = (el.getAttribute('aria-label') ?? (label ? label.textContent : null) ?? el.textContent ?? '').trim();
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const onScreen = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight;
    const ring = el.matches(':focus-visible') && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    return { name, tag: el.tagName.toLowerCase(), visible: onScreen && ring, why: 'outline ' + s.outlineStyle + ' ' + s.outlineWidth + ', focus-visible ' + el.matches(':focus-visible') + ', on screen ' + onScreen };
  })()`);
}

/** Presses `key` (Tab or Shift+Tab) until the focus is on the element named `name`; each stop must show its focus. */
async function moveTo(page: Page, name: string | RegExp, key: 'Tab' | 'Shift+Tab' = 'Tab', max = 80): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    seen.push(f.name);
    expect(f.visible, `focus on "${f.name}" (${f.tag}) is not visible: ${f.why}`).toBe(true);
    if (typeof name === 'string' ? f.name === name : name.test(f.name)) return f;
  }
  throw new Error(`${key} never reached "${name}"; it reached: ${seen.join(' | ')}`);
}

describeBrowser('the dashboard with the keyboard alone', () => {
  let browser: Browser;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ app } = await makeDashboard());
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('signs in, searches an offer, pauses a channel and retries a failure', async () => {
    const page = await browser.newPage();
    try {
      // Sign in.
      await page.goto(`${base}/`);
      expect(page.url()).toContain('/login');
      expect((await moveTo(page, 'Vai al contenuto')).tag).toBe('a');
      await moveTo(page, 'Nome utente');
      await page.keyboard.type(USER);
      await moveTo(page, 'Password');
      await page.keyboard.type(PASSWORD);
      await moveTo(page, 'Accedi');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/`);
      expect(await page.locator('#signed-in-as').textContent()).toContain(USER);

      // Search an offer.
      await moveTo(page, 'Offerte');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/offers`);
      await moveTo(page, 'Cerca per codice o titolo');
      await page.keyboard.type('cuoco');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/offers\?search=cuoco/);
      expect(await page.locator('table.grid caption').textContent()).toBe('1 offerta trovata');
      expect(await page.locator('table.grid tbody th a').allTextContents()).toEqual(['Cuoco stagionale']);

      // Back to the overview (Shift+Tab, up to the navigation), and pause a channel with Space.
      await moveTo(page, 'Panoramica', 'Shift+Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/`);
      const state = page.locator('tr[data-channel="pescara/twitter"] [data-field="state"]');
      expect(await state.textContent()).toBe('attivo');
      await moveTo(page, 'Metti in pausa X di Provincia di Pescara');
      await page.keyboard.press('Space');
      await page.waitForURL(/msg=done/);
      expect(await page.locator('p.flash[role="status"]').textContent()).toBe('Fatto.');
      expect(await state.textContent()).toBe(`in pausa: sospeso da ${USER}`);

      // Retry a failure.
      await moveTo(page, 'Errori');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/failures`);
      expect(await page.getByText('HTTP 503 from X').count()).toBe(1);
      await moveTo(page, 'Riprova X per Cuoco stagionale');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/failures\?msg=done/);
      expect(await page.locator('p.flash[role="status"]').textContent()).toBe('Fatto.');
      expect(await page.getByText('HTTP 503 from X').count()).toBe(0);
      // The footer's links are reached too, after the page's own content.
      await moveTo(page, 'Codice sorgente (EUPL-1.2)');
    } finally {
      await page.close();
    }
  });

  it('stops posting an offer through its confirmation page, with the keyboard and without JavaScript', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    try {
      await page.goto(`${base}/login`);
      await moveTo(page, 'Nome utente');
      await page.keyboard.type(USER);
      await moveTo(page, 'Password');
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/`);
      await page.goto(`${base}/offers/pescara/d4e5f6`);
      await moveTo(page, 'Non pubblicare più questa offerta');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/offers/pescara/d4e5f6/cancel`);
      expect(await page.locator('h1').textContent()).toBe('Non pubblicare più l\'offerta PE-2026-042?');
      const consequences = await page.locator('#consequences > li').allTextContents();
      expect(consequences[0]).toBe('non sarà pubblicata su: X;');
      expect(consequences[1]).toMatch(/^resta pubblicata su: Facebook\. Banditore non chiude né cancella questi post/);
      await moveTo(page, 'Sì, non pubblicare più l\'offerta');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/offers/pescara/d4e5f6?msg=cancelled`);
      expect(await page.locator('p.flash[role="status"]').textContent()).toBe('L\'offerta non sarà più pubblicata. I post già pubblicati restano sulle reti.');
      expect(await page.locator('dl.facts').textContent()).toContain('annullata');
      expect(await page.getByRole('heading', { name: 'X: annullato' }).count()).toBe(1);
    } finally {
      await ctx.close();
    }
  });
});
