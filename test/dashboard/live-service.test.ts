// SPDX-License-Identifier: EUPL-1.2
/**
 * The dashboard of the running service (real Redis, queues, workers, emulators, feed) in Chromium:
 * an operator logs in, watches a new offer's posts appear with working links, pauses and resumes a
 * channel, retries a failed post and finds each action in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startStack, waitFor, livePosts, SECRETS, type Stack } from '../helpers/stack.ts';
import { startDashboard } from '../../src/app/roles.ts';
import { describeBrowser, launchBrowser } from '../helpers/browser.ts';
import { entryFor } from '../helpers/evidence.ts';

const ARTIFACTS = 'test-artifacts';
let stack: Stack;
let browser: Browser;
let base: string;
let stopDashboard: () => Promise<void>;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startStack({ initialOffers: 2 });
  await stack.startWorkers();
  const d = await startDashboard(stack.rt);
  base = d.url.replace('localhost', '127.0.0.1');
  stopDashboard = d.stop;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stopDashboard?.();
  await stack?.stop();
});

async function login(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  await page.getByLabel('Nome utente').fill('operator');
  await page.getByLabel('Password').fill(SECRETS.DASHBOARD_PASSWORD);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.waitForURL(`${base}/`);
  return page;
}

describeBrowser('the dashboard of the running service', () => {
  it('shows a new offer\'s posts appear live, with links to the posts and to the offer', async () => {
    const page = await login();
    await stack.pollOnce();
    await waitFor('the first posts', () => livePosts(stack.x.posts()).length === 2 && livePosts(stack.graph.posts()).length === 2);
    const offer = stack.feed.published()[0]!;
    // The overview updates itself: the post links appear without a reload.
    const links = page.getByRole('link', { name: new RegExp(`apri il post.*${offer.title.slice(0, 20).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`) });
    await waitFor('post links on the overview', async () => (await links.count()) === 2, 30_000, 500);
    const hrefs = (await links.evaluateAll((els) => els.map((a) => a.getAttribute('href')))).sort();
    const xPost = stack.x.posts().find((p) => p.text.includes(offer.url))!;
    const fbPost = stack.graph.posts().find((p) => p.link === offer.url)!;
    expect(hrefs).toHaveLength(2);
    expect(hrefs).toContain(`https://www.facebook.com/${fbPost.id}`);
    expect(hrefs.some((h) => new RegExp(`^https://x\\.com/[^/]+/status/${xPost.id}$`).test(h ?? ''))).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/live-overview.png`, fullPage: true });

    // The offer page shows each channel's status, the live post and the preview as followers see it.
    await page.goto(`${base}/offers?search=${encodeURIComponent(offer.code)}`);
    await page.getByRole('link', { name: offer.title }).first().click();
    const body = await page.locator('main').textContent();
    expect(body).toContain(offer.title);
    expect(body).toMatch(/Lunghezza: \d+ su 280/);
    const offerHref = await page.locator(`a[href="${offer.url}"]`).first().getAttribute('href');
    const res = await fetch(offerHref!);
    expect(res.status).toBe(200);
    await page.screenshot({ path: `${ARTIFACTS}/live-offer.png`, fullPage: true });
    await page.close();
  });

  it('pauses and resumes a channel: the held post goes out once after resume', async () => {
    const page = await login();
    await page.getByRole('button', { name: 'Metti in pausa Facebook di Provincia di Pescara – Servizi per il lavoro' }).click();
    await page.waitForURL(/msg=done/);
    expect(await page.locator('tr[data-channel="pescara/facebook"] [data-field="state"]').textContent()).toContain('in pausa');
    stack.feed.publishNext();
    await stack.pollOnce();
    const newest = stack.feed.published().at(-1)!;
    await waitFor('the new offer on X', () => stack.x.posts().some((p) => p.text.includes(newest.url)));
    await waitFor('the new offer held on Facebook', async () => (await entryFor(stack.rt, 'pescara', 'facebook', newest.url))?.state === 'held');
    expect(stack.graph.posts().filter((p) => p.link === newest.url)).toHaveLength(0);
    await page.getByRole('button', { name: 'Riprendi Facebook di Provincia di Pescara – Servizi per il lavoro' }).click();
    await page.waitForURL(/msg=done/);
    await waitFor('the held post on Facebook', () => stack.graph.posts().some((p) => p.link === newest.url));
    expect(stack.graph.posts().filter((p) => p.link === newest.url)).toHaveLength(1);
    await page.close();
  });

  it('retries a failed post and records every action in the audit log', async () => {
    const page = await login();
    // The network refuses the next Facebook post for good (its link cannot be read): the post fails.
    // (A policy block, #368, would pause the channel instead: test/integration/pausing-refusals.test.ts.)
    stack.graph.failNext(1, { status: 400, code: 1609005, message: '(#1609005) Error Posting Link: the link could not be read' });
    stack.feed.publishNext();
    await stack.pollOnce();
    const newest = stack.feed.published().at(-1)!;
    await waitFor('the failure recorded', async () => (await stack.rt.ledger.get('pescara', 'facebook', (await stack.rt.offers.list('pescara', 0, 1))[0]!))?.state === 'failed');
    await page.getByRole('link', { name: 'Errori' }).click();
    expect(await page.getByText(/Error Posting Link/).count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}/live-failures.png`, fullPage: true });
    await page.getByRole('button', { name: new RegExp(`^Riprova Facebook per ${newest.title.slice(0, 15).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`) }).click();
    await page.waitForURL(/msg=done/);
    await waitFor('the retried post on Facebook', () => stack.graph.posts().some((p) => p.link === newest.url));
    expect(stack.graph.posts().filter((p) => p.link === newest.url)).toHaveLength(1);

    await page.getByRole('link', { name: 'Registro attività' }).click();
    const audit = await page.locator('#audit').textContent();
    for (const words of ['ha messo in pausa pescara/facebook', 'ha ripreso pescara/facebook', 'ha riprovato il post post.pescara.facebook.']) expect(audit).toContain(words);
    await page.screenshot({ path: `${ARTIFACTS}/live-audit.png`, fullPage: true });
    // No page shows a secret.
    for (const path of ['/', '/offers', '/feeds', '/failures', '/audit', '/api/status', '/metrics']) {
      const html = await (await page.request.get(`${base}${path}`)).text();
      for (const s of Object.values(SECRETS)) expect(html, `${path} shows a secret`).not.toContain(s);
    }
    await page.close();
  });
});
