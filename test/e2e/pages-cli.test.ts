// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore check` and `banditore preview` (the real binary) on portal pages (issue 12): check says in
 * Italian that each page answers and yields offer links, or that it does not; preview shows what a
 * page's offers would post, like a feed's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.ts';
import { cli, writeConfig } from '../helpers/cli.ts';
import { startPortalServer, DEMO_PORTAL_OFFERS, type PortalServer } from '../../src/sandbox/portal-server.ts';

let stack: Stack | undefined;
let portal: PortalServer | undefined;
afterEach(async () => {
  await stack?.stop(); stack = undefined;
  await portal?.close(); portal = undefined;
});

async function start(): Promise<{ s: Stack; p: PortalServer; file: string }> {
  portal = await startPortalServer({ offers: DEMO_PORTAL_OFFERS });
  stack = await startStack({ publisherExtra: `    pages:\n      - url: ${portal.listingUrl}\n        preset: myportal\n` });
  return { s: stack, p: portal, file: writeConfig(stack.yaml) };
}

describe('portal pages on the command line', () => {
  it('check: the page answers and yields its offer links; a page without offers is an error (exit 1)', async () => {
    const { s, p, file } = await start();
    const ok = await cli(['check', '--config', file], s.env);
    expect(ok.stdout).toContain(`pescara/pages: ok — la pagina del portale risponde e ha 2 link a offerte (${p.listingUrl})`);
    expect(ok.code).toBe(0);

    p.offers = [];
    const none = await cli(['check', '--config', file], s.env);
    expect(none.stdout).toContain(`pescara/pages: ERRORE — la pagina del portale ${p.listingUrl} risponde ma non ha nessun link a offerte`);
    expect(none.code).toBe(1);
  });

  it('preview: shows the posts of the page\'s offers, with title and place, without the personal e-mail', async () => {
    const { s, p, file } = await start();
    const r = await cli(['preview', '--config', file, '--limit', '5'], s.env);
    expect(r.stdout).toContain(`== pescara — ${p.listingUrl}`);
    expect(r.stdout).toContain('# Cuoco/a (M/F)');
    expect(r.stdout).toContain('# Magazziniere con patentino muletto (M/F)');
    expect(r.stdout).toContain('Montesilvano (PE)');
    expect(r.stdout).not.toContain('mario.rossi@example.com');
    expect(p.requests.filter((q) => /news|privacy/.test(q.path))).toEqual([]);
  });
});
