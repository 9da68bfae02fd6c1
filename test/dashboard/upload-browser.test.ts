// SPDX-License-Identifier: EUPL-1.2
/**
 * The upload page in Chromium: an operator picks two XML files, the page's script sends each one and
 * shows what each offer became; the good file's offer is on the X emulator once, the broken one says why.
 */
import { afterAll, beforeAll, afterEach, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { describeBrowser, launchBrowser } from '../helpers/browser.ts';
import { startStack, waitFor, type Stack } from '../helpers/stack.ts';
import { drained } from '../helpers/evidence.ts';
import { RedisOperatorService } from '../../src/state/operator-service.ts';
import { makeDashboard, PEOPLE_PASSWORD } from './fixture.ts';
import { clicLavoro, code25 } from '../integration/sources-kit.ts';

let browser: Browser;
let stack: Stack | undefined;
let app: FastifyInstance | undefined;

describeBrowser('the upload page in a browser', () => {
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => { await browser?.close(); });
  afterEach(async () => { await app?.close(); app = undefined; await stack?.stop(); stack = undefined; });

  it('sends each chosen file and shows what each offer became', async () => {
    stack = await startStack({ initialOffers: 0, publisherExtra: '    inbox:\n      path: /nonexistent/inbox\n      link: "https://lavoro.provincia.pescara.it/offerta/{{code}}"' });
    await stack.startWorkers();
    const rt = stack.rt;
    ({ app } = await makeDashboard({
      operator: new RedisOperatorService(rt), withPeople: true,
      deps: { publishers: [{ id: 'pescara', name: 'Provincia di Pescara', networks: ['twitter', 'facebook'] }], upload: { publishers: rt.config.publishers, intake: rt.intake, now: rt.now, maxBytes: 100_000 } },
    }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('Nome utente').fill('maria.pescara');
    await page.getByLabel('Password').fill(PEOPLE_PASSWORD);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/`);
    await page.getByRole('link', { name: 'Carica file' }).click();
    await page.waitForURL(`${base}/upload`);

    await page.getByLabel('File XML').setInputFiles([
      { name: 'buono.xml', mimeType: 'application/xml', buffer: Buffer.from(clicLavoro({ code: code25(95), title: 'Tornitore' })) },
      { name: 'rotto.xml', mimeType: 'application/xml', buffer: Buffer.from(clicLavoro({ code: code25(96), title: 'X' }).replace(/<codiceofferta>.*<\/codiceofferta>/, '')) },
    ]);
    await page.getByRole('button', { name: 'Carica' }).click();
    await page.locator('.upload-report').nth(1).waitFor();
    const reports = await page.locator('.upload-report').allTextContents();
    expect(reports[0]).toContain('buono.xml: preso');
    expect(reports[0]).toContain('Tornitore');
    expect(reports[0]).toContain('pubblicata (nuova)');
    expect(reports[1]).toContain('rotto.xml: rifiutato');
    expect(reports[1]).toContain('codiceofferta');
    await waitFor('posted on X', () => stack!.x.posts().length === 1);
    await drained(rt);
    expect(stack.x.posts()).toHaveLength(1);
    expect(stack.x.posts()[0]!.text).toContain('Tornitore');
  });
});
