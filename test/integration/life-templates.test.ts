// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #6, templates: an operator's inline `template` and `templateFile` shape the posts each network
 * gets; X posts stay valid (long text shortened by whole words, never the link nor the required text);
 * place hashtags are CamelCase; a template naming an unknown field stops the start, naming it.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import twitterText from 'twitter-text';
import { waitFor, stackYaml, SECRETS } from '../helpers/stack.ts';
import { uniquePrefix, TEST_REDIS_URL, connectTestRedis, cleanPrefix } from '../helpers/redis.ts';
import { loadTemplates } from '../../src/format/templates.ts';
import { ConfigError } from '../../src/config/load.ts';
import { startLife, offer, postsOf, lifeConfig, type Life } from './life-kit.ts';

let life: Life | undefined;
let dir: string | undefined;
afterEach(async () => {
  await life?.stop(); life = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const REQUIRED = 'Offerte rivolte a entrambi i sessi (D.Lgs. 198/2006).';
const LONG = Array.from({ length: 40 }, (_, i) => `Frase numero ${i + 1} della descrizione, con dettagli sul lavoro da svolgere.`).join(' ');

describe('operator templates', () => {
  it('an inline X template and a Facebook templateFile shape the posts; X stays valid and keeps link and required text', async () => {
    dir = mkdtempSync(join(tmpdir(), 'banditore-tpl-'));
    writeFileSync(join(dir, 'fb.mustache'), 'OFFERTA {{code}} | {{title}}\n{{#employer}}Datore: {{employer}}\n{{/employer}}Scade il {{deadline}}\n{{text}}\nCandidati: {{url}}\n— {{publisher}} {{hashtags}}\n');
    life = await startLife({
      baseDir: dir,
      initial: [
        offer(1, { location: "Città Sant'Angelo", employer: 'Trasporti Vestini spa', validThrough: '2099-01-31' }),
        offer(2, { location: 'Penne', description: LONG, validThrough: '2099-02-28' }),
      ],
      publisherExtra: `    hashtags: [OfferteLavoro]\n    requiredText: "${REQUIRED}"`,
      twitterExtra: '        template: "🔔 {{title}} a {{location}} (scade {{deadline}})\\n{{text}}\\n{{url}}\\n{{hashtags}}"',
      facebookExtra: '        templateFile: fb.mustache',
    });
    const l = life;
    await l.startWorkers();
    await l.pollOnce();
    await waitFor('both offers on both networks', () => l.x.posts().length === 2 && l.graph.posts().length === 2);

    const one = postsOf(l, l.office.linkOf(offer(1).code));
    expect(one.x[0]!.text).toMatch(/^🔔 Operaio\/a di produzione n\. 1 a Città Sant'Angelo \(scade 31\/01\/2099\)\n/);
    expect(one.x[0]!.text).toContain('#OfferteLavoro #LavoroCittàSantAngelo');
    expect(one.x[0]!.text.endsWith(REQUIRED)).toBe(true);
    expect(one.fb[0]!.message).toMatch(/^OFFERTA PE-2026-00001 \| Operaio\/a di produzione n\. 1\nDatore: Trasporti Vestini spa\nScade il 31\/01\/2099\n/);
    expect(one.fb[0]!.message).toContain(`Candidati: ${l.office.linkOf(offer(1).code)}`);
    expect(one.fb[0]!.message).toContain('— Provincia di Pescara – Servizi per il lavoro #OfferteLavoro #LavoroCittàSantAngelo');

    // The long offer: whole on Facebook, shortened by words with "…" on X, link and required text whole.
    const two = postsOf(l, l.office.linkOf(offer(2).code));
    const x = two.x[0]!.text;
    expect(twitterText.parseTweet(x).valid).toBe(true);
    expect(x).toContain('Frase numero 1 della descrizione');
    expect(x).not.toContain('Frase numero 40');
    expect(x).toMatch(/\p{L}…\n/u);
    expect(x).toContain(`\n${l.office.linkOf(offer(2).code)}\n`);
    expect(x.endsWith(REQUIRED)).toBe(true);
    expect(two.fb[0]!.message).toContain('Frase numero 40 della descrizione');
    expect(two.fb[0]!.message).not.toContain('…');
  });

  it('a template naming an unknown field stops the start with a message naming the field and the key', () => {
    const yaml = stackYaml({
      prefix: uniquePrefix('tpl'), xUrl: 'http://127.0.0.1:9', graphUrl: 'http://127.0.0.1:9', feedUrl: 'http://127.0.0.1:9/feed',
      twitterExtra: '        template: "{{titolo}} {{url}}"',
    });
    const loaded = lifeConfig(yaml);
    // What the runtime does at start, before anything runs (without opening Redis here).
    let error: unknown;
    try { loadTemplates(loaded.config, loaded.baseDir); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('unknown field "titolo"');
    expect((error as Error).message).toContain('publishers[0].channels.twitter.template');
  });

  it('the same through the binary: `banditore run` exits 2 naming the unknown field of a templateFile', async () => {
    dir = mkdtempSync(join(tmpdir(), 'banditore-tpl-'));
    writeFileSync(join(dir, 'fb.mustache'), '{{title}}\n{{scadenza}}\n{{url}}\n');
    const prefix = uniquePrefix('tpl');
    const yaml = stackYaml({
      prefix, xUrl: 'http://127.0.0.1:9', graphUrl: 'http://127.0.0.1:9', feedUrl: 'http://127.0.0.1:9/feed',
      facebookExtra: '        templateFile: fb.mustache',
    });
    writeFileSync(join(dir, 'banditore.yaml'), yaml);
    const child = spawn(process.execPath, ['bin/banditore.js', 'run', '--config', join(dir, 'banditore.yaml')], {
      env: { ...process.env, ...SECRETS, REDIS_URL: TEST_REDIS_URL }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b) => { stderr += String(b); });
    child.stdout.resume();
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    clearTimeout(kill);
    // The runtime may have touched Redis (BullMQ queue metadata) before failing: leave nothing behind.
    const redis = await connectTestRedis();
    await cleanPrefix(redis, prefix);
    await redis.quit();
    expect(code).toBe(2);
    expect(stderr).toContain('unknown field "scadenza"');
    expect(stderr).toContain('publishers[0].channels.facebook.templateFile (fb.mustache)');
    for (const secret of Object.values(SECRETS)) expect(stderr).not.toContain(secret);
  });
});
