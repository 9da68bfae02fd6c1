// SPDX-License-Identifier: EUPL-1.2
/**
 * The office's web app in Chromium, served by the dashboard process from the stored offers: a visitor
 * opens /app/pescara, sees the open offers, filters them by place with the keyboard only, the app is
 * installable (its manifest) and its service worker takes control (http://127.0.0.1 is a secure
 * context), then the page still lists the offers offline; axe finds no accessibility violation.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import webpush from 'web-push';
import type { Browser } from 'playwright-core';
import { describeBrowser, launchBrowser } from '../helpers/browser.ts';
import { startStack, waitFor, type Stack } from '../helpers/stack.ts';
import { startDashboard, type Stop } from '../../src/app/roles.ts';

const VAPID = webpush.generateVAPIDKeys();
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describeBrowser('the web app in a browser', () => {
  let browser: Browser;
  let stack: Stack;
  let url: string;
  let stopDashboard: Stop;

  beforeAll(async () => {
    stack = await startStack({
      networks: [], initialOffers: 4, feedFormat: 'jsonld', extraEnv: { PUSH_VAPID_PRIVATE: VAPID.privateKey },
      channelsExtra: `      push:
        vapidPublicKey: ${VAPID.publicKey}
        vapidPrivateKey: \${PUSH_VAPID_PRIVATE}
        subject: mailto:lavoro@provincia.example.it
`,
    });
    await stack.pollOnce();
    await waitFor('the offers stored', async () => (await stack.rt.offers.latestOpen('pescara', 10)).length === 4);
    const dash = await startDashboard(stack.rt);
    stopDashboard = dash.stop;
    url = dash.url;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stopDashboard?.();
    await stack?.stop();
  });

  it('lists the open offers, filters by place with the keyboard, registers its manifest and service worker, works offline', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/app/pescara`);
    expect(new URL(page.url()).pathname).toBe('/app/pescara/');
    expect(await page.locator('html').getAttribute('lang')).toBe('it');
    await expect.poll(() => page.locator('h1').count()).toBe(1);
    expect(await page.locator('.offerte li').count()).toBe(4);
    expect(await page.locator('#conteggio').textContent()).toBe('4 offerte aperte');
    expect(await page.getByRole('link', { name: 'Cameriere/a di sala' }).getAttribute('href')).toMatch(/\/offerte\/PE-2026-00124$/);

    // Keyboard only: focus the field by its label, type, Enter submits the search.
    await page.getByLabel('Comune o sigla della provincia').focus();
    await page.keyboard.type('Pescara');
    await Promise.all([page.waitForURL(/luogo=Pescara/), page.keyboard.press('Enter')]);
    expect(await page.locator('.offerte li h2').allTextContents()).toEqual(['Cameriere/a di sala']);
    expect(await page.locator('#conteggio').textContent()).toBe('1 offerta aperta');

    // Installable: the manifest the page links to, with its scope.
    // (Page code as strings: the tests compile without the DOM's types.)
    const manifest = await page.evaluate(`(async () => (await fetch(document.querySelector('link[rel="manifest"]').href)).json())()`) as { start_url: string; scope: string; display: string; icons: unknown[] };
    expect(manifest).toMatchObject({ start_url: '/app/pescara/', scope: '/app/pescara/', display: 'standalone' });
    expect(manifest.icons.length).toBeGreaterThan(0);

    // The service worker takes control, within the app's scope.
    const scope = await page.evaluate(`(async () => (await navigator.serviceWorker.ready).scope)()`);
    expect(scope).toBe(`${url}/app/pescara/`);
    await page.reload();
    await expect.poll(() => page.evaluate('navigator.serviceWorker.controller !== null')).toBe(true);
    // The notifications panel shows where the browser can subscribe.
    expect(await page.locator('#notifiche').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Attiva le notifiche' }).isVisible()).toBe(true);

    // Offline: the last copy of the page, from the service worker's cache.
    await page.goto(`${url}/app/pescara/`);
    await context.setOffline(true);
    await page.reload();
    expect(await page.locator('.offerte li').count()).toBe(4);
    expect(await page.locator('#offline').isVisible()).toBe(true);
    await context.close();
  }, 60_000);

  it('has no accessibility violation that axe can find', async () => {
    // axe is injected as an inline script, which the app's CSP forbids: only this context bypasses it.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${url}/app/pescara/`);
    await page.addScriptTag({ content: AXE });
    const violations = await page.evaluate(`(async () => {
      const r = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] });
      return r.violations.map((v) => v.id + ' (' + v.nodes.length + ')');
    })()`);
    expect(violations).toEqual([]);
    await context.close();
  }, 60_000);
});
