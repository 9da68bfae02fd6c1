// SPDX-License-Identifier: EUPL-1.2
/**
 * The newsletter's public pages in a real browser (Debian's Chromium): no axe-core violations on the form,
 * on the form with its errors and on the confirmation page; the errors are tied to their fields; the
 * form posts, and the confirmation button confirms.
 */
import { it, expect, beforeAll, afterAll } from 'vitest';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser } from '../helpers/browser.ts';
import { waitFor } from '../helpers/stack.ts';
import { Subscribers } from '../../src/channels/newsletter/subscribers.ts';
import { startWorld, PUBLIC, type World } from '../integration/newsletter-kit.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let world: World | undefined;
let browser: Browser | undefined;

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  // A string, run in the page: the test's TypeScript has no DOM types.
  const found = await page.evaluate<string[]>(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
    .then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
  return found;
}

describeBrowser('the newsletter pages in a browser', () => {
  beforeAll(async () => {
    world = await startWorld();
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => { await browser?.close(); await world?.stop(); });

  it('subscribes through the form and confirms with the button, accessibly', async () => {
    const w = world!;
    // axe-core goes in as an inline script, which the pages' CSP (rightly) forbids: only the checker bypasses it.
    const page = await (await browser!.newContext({ bypassCSP: true })).newPage();
    await page.goto(`${w.url}/iscriviti/pescara`);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await violations(page)).toEqual([]);

    // Sent without consent: the page says so, and the error is the consent box's description.
    await page.fill('#email', 'sara@example.org');
    await page.click('button[type="submit"]');
    await page.waitForSelector('#consent-error');
    expect(await page.getAttribute('#consent', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#consent', 'aria-describedby')).toBe('consent-error');
    expect(await page.title()).toMatch(/^Errore:/);
    expect(await violations(page)).toEqual([]);

    await page.fill('#places', 'Pescara, TE');
    await page.check('#contract-apprendistato');
    await page.check('#consent');
    await page.click('button[type="submit"]');
    await page.waitForSelector('text=Controlla la tua casella di posta');

    const mail = await waitFor('the confirmation e-mail', () => w.smtp.to('sara@example.org')[0]);
    const link = /https:\/\/lavoro\.example\.it\/iscriviti\/pescara\/conferma\?t=\S+/.exec(mail!.text)![0];
    await page.goto(w.url + link.slice(PUBLIC.length));
    expect(await violations(page)).toEqual([]);
    await page.click('button[type="submit"]');
    await page.waitForSelector('text=Iscrizione confermata');
    const sub = await new Subscribers(w.rt.services).byEmail('pescara', 'sara@example.org');
    expect(sub).toMatchObject({ state: 'confirmed', prefs: { places: ['Pescara', 'TE'], contracts: ['apprendistato'] } });
  }, 60_000);
});
