// SPDX-License-Identifier: EUPL-1.2
import { describe, it, expect, afterEach } from 'vitest';
import { startStack, waitFor, livePosts, SECRETS, type Stack } from '../helpers/stack.ts';
import { cli, startRole, writeConfig } from '../helpers/cli.ts';
import { entryFor } from '../helpers/evidence.ts';

let stack: Stack | undefined;
afterEach(async () => { await stack?.stop(); stack = undefined; });

const secretValues = Object.values(SECRETS);
const expectNoSecret = (text: string) => { for (const s of secretValues) expect(text).not.toContain(s); };

describe('the banditore binary', () => {
  it('prints its commands', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['run', 'poller', 'worker', 'dashboard', 'check', 'preview', 'status', 'pause', 'resume', 'offer', 'failures', 'retry', 'cancel', 'parse']) expect(r.stdout).toContain(`banditore ${c}`);
    expect(r.stdout).toContain('Uso:');
    const en = await cli(['--help', '--lang', 'en']);
    expect(en.stdout).toContain('Usage:');
    expect(en.stdout).toContain('banditore pause --config FILE PUBLISHER/CHANNEL');
  });

  it('refuses a bad config, naming the key, without printing secrets', async () => {
    stack = await startStack();
    const file = writeConfig(stack.yaml.replace('pollInterval: 1s', 'pollInterval: 1s\n        pollEvery: 5m'));
    const r = await cli(['run', '--config', file], stack.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('publishers[0].feeds[0]: chiave sconosciuta "pollEvery"');
    expectNoSecret(r.stdout + r.stderr);
    const en = await cli(['run', '--config', file, '--lang', 'en'], stack.env);
    expect(en.code).toBe(2);
    expect(en.stderr).toContain('publishers[0].feeds[0]: unknown key "pollEvery"');
    const missing = await cli(['check', '--config', file], { ...stack.env, X_APP_KEY: '' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("publishers[0].channels.twitter.appKey: variabile d'ambiente X_APP_KEY non impostata");
    const soon = writeConfig(stack.yaml.replace('pollInterval: 1s', 'pollInterval: soon'));
    const bad = await cli(['worker', '--config', soon], stack.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('publishers[0].feeds[0].pollInterval: "soon" non è una durata (scrivere 500ms, 30s, 15m, 1h o 1d)');
  });

  it('check verifies every account and fails on a revoked token without printing it', async () => {
    stack = await startStack();
    const file = writeConfig(stack.yaml);
    const ok = await cli(['check', '--config', file], stack.env);
    expect(ok.stdout).toMatch(/pescara\/twitter: ok — @\S+/);
    expect(ok.stdout).toMatch(/pescara\/facebook: ok — Pagina "Provincia di Pescara"/);
    expect(ok.stdout).toContain('configurazione: ok (1 ente, 1 feed)');
    expect(ok.stdout).toContain('tutto a posto');
    expect(ok.code).toBe(0);
    stack.graph.revoke(SECRETS.FB_PAGE_TOKEN);
    const bad = await cli(['check', '--config', file], stack.env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/pescara\/facebook: ERRORE/);
    expect(bad.stdout).toContain('1 problema trovato');
    expectNoSecret(bad.stdout + bad.stderr);
  });

  it('run posts every offer once; pause holds a channel, resume releases it; status shows it; SIGTERM exits 0', async () => {
    stack = await startStack({ initialOffers: 2 });
    const s = stack;
    const file = writeConfig(s.yaml);
    const run = startRole(['run', '--config', file], s.env);
    try {
      await waitFor('the first offers posted', () => livePosts(s.x.posts()).length === 2 && livePosts(s.graph.posts()).length === 2, 30_000);

      const paused = await cli(['pause', '--config', file, 'pescara/facebook'], s.env);
      expect(paused.code).toBe(0);
      s.feed.publishNext();
      await waitFor('the new offer on X', () => livePosts(s.x.posts()).length === 3, 30_000);
      // Its Facebook job ran and was held (the ledger says so): only now does "not on Facebook" mean something.
      await waitFor('the new offer held on Facebook', async () => (await entryFor(s.rt, 'pescara', 'facebook', s.feed.published().at(-1)!.url))?.state === 'held', 30_000);
      expect(livePosts(s.graph.posts())).toHaveLength(2);

      const status = await cli(['status', '--config', file, '--json'], s.env);
      expect(status.code).toBe(0);
      const report = JSON.parse(status.stdout);
      const fb = report.channels.find((c: { network: string }) => c.network === 'facebook');
      expect(fb.state).toBe('paused');
      expect(fb.paused.kind).toBe('operator');
      expect(fb.counts.held).toBe(1);
      const text = await cli(['status', '--config', file], s.env);
      expect(text.stdout).toMatch(/pescara\/facebook: IN PAUSA \(sospeso da cli:\S+, dal \d{1,2} [a-z]{3} \d{4}, \d\d:\d\d\)/);
      const english = await cli(['status', '--config', file, '--lang', 'en'], s.env);
      expect(english.stdout).toMatch(/pescara\/facebook: PAUSED \(paused by cli:\S+, since \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d\)/);
      expectNoSecret(status.stdout + text.stdout);

      const resumed = await cli(['resume', '--config', file, 'pescara/facebook'], s.env);
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toContain('pescara/facebook ripreso; 1 post trattenuto rilasciato');
      await waitFor('the held offer on Facebook', () => livePosts(s.graph.posts()).length === 3, 30_000);
      const newest = s.feed.published().at(-1)!;
      expect(s.graph.posts().filter((p) => p.link === newest.url)).toHaveLength(1);
      expect(s.x.posts().filter((p) => p.text.includes(newest.url))).toHaveLength(1);

      const audit = await s.rt.audit.latest(10);
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['pause', 'resume']));
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
    expectNoSecret(run.output());
  }, 180_000);
});
