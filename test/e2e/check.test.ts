// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore check` (the real binary) on the networks' real modes: it reports X's tier as what it finds
 * (can the account's posts be read?) and the token's access level from `x-access-level` (a read-only
 * token is an error), and checks that Facebook's GET /me is the Page `pageId` (a user token is an error).
 */
import { describe, it, expect, afterEach } from 'vitest';
import { startStack, SECRETS, PAGE_ID, type Stack } from '../helpers/stack.ts';
import { cli, writeConfig } from '../helpers/cli.ts';

let stack: Stack | undefined;
afterEach(async () => { await stack?.stop(); stack = undefined; });

const expectNoSecret = (text: string) => { for (const s of Object.values(SECRETS)) expect(text).not.toContain(s); };

describe('banditore check on the networks\' real modes', () => {
  it('reports the access level and that X\'s Free tier cannot read the timeline (not an error with reconcile: auto), then a tier that can', async () => {
    stack = await startStack();
    const file = writeConfig(stack.yaml);
    const free = await cli(['check', '--config', file], stack.env);
    expect(free.stdout).toMatch(/pescara\/twitter: ok — @\S+ \(id \d+\)/);
    expect(free.stdout).toContain('  livello di accesso del token (x-access-level): read-write, può pubblicare');
    expect(free.stdout).toContain("  lettura dei post dell'account: non consentita dal livello di accesso (come il livello Free di X): un post in dubbio si verifica inviandone di nuovo lo stesso testo (reconcile: auto)");
    expect(free.stdout).toMatch(/pescara\/facebook: ok — Pagina "Provincia di Pescara"/);
    expect(free.code).toBe(0);

    stack.x.setTier('basic');
    const basic = await cli(['check', '--config', file], stack.env);
    expect(basic.stdout).toContain("  lettura dei post dell'account: consentita (livello Basic o superiore)");
    expect(basic.code).toBe(0);
    expectNoSecret(free.stdout + free.stderr + basic.stdout + basic.stderr);
  });

  it('a read-only X token, reconcile: read on a tier that cannot read, and a Facebook token whose GET /me is not the Page are errors (exit 1)', async () => {
    stack = await startStack({ twitterExtra: '        reconcile: read' });
    stack.x.setAccessLevel(SECRETS.X_ACCESS_TOKEN, 'read');
    stack.graph.addUser({ id: '555000111', name: 'Mario Rossi', token: SECRETS.FB_PAGE_TOKEN });
    const r = await cli(['check', '--config', writeConfig(stack.yaml)], stack.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/pescara\/twitter: ERRORE — @\S+/);
    expect(r.stdout).toContain('  ERRORE: il token ha accesso in sola lettura (x-access-level: read)');
    expect(r.stdout).toContain('con reconcile: read un post in dubbio resterebbe in attesa');
    // A user token: /me answers a person, not the Page.
    expect(r.stdout).toMatch(/pescara\/facebook: ERRORE — Pagina "Mario Rossi" \(id 555000111\)/);
    expect(r.stdout).toContain(`  ERRORE: GET /me risponde «Mario Rossi» (id 555000111), non la Pagina con pageId ${PAGE_ID}`);
    expect(r.stdout).toContain("3 problemi trovati");
    expectNoSecret(r.stdout + r.stderr);
  });
});
