// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #6, `banditore preview` through the binary against the demo feed server: the operator sees the
 * X and Facebook text each offer would get, its length against the limit, and what was shortened.
 * It sends nothing: the emulators are not even running.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { stackYaml, SECRETS } from '../helpers/stack.ts';
import { uniquePrefix, TEST_REDIS_URL } from '../helpers/redis.ts';
import { startFeedServer, type FeedServer } from '../../src/sandbox/feed-server.ts';

let feed: FeedServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await feed?.close(); feed = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/banditore.js', ...args], { env: { ...process.env, ...SECRETS, REDIS_URL: TEST_REDIS_URL }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => { stdout += String(b); });
  child.stderr.on('data', (b) => { stderr += String(b); });
  const kill = setTimeout(() => child.kill('SIGKILL'), 45_000);
  return new Promise((r) => child.on('exit', (code) => { clearTimeout(kill); r({ code, stdout, stderr }); }));
}

describe('banditore preview', () => {
  it('prints the X and Facebook text of the newest offers, their length, and what was shortened', async () => {
    feed = await startFeedServer({ initial: 4, newEveryMs: 0 });
    dir = mkdtempSync(join(tmpdir(), 'banditore-preview-'));
    const yaml = stackYaml({ prefix: uniquePrefix('preview'), xUrl: 'http://127.0.0.1:9', graphUrl: 'http://127.0.0.1:9', feedUrl: feed.rssUrl, publisherExtra: '    hashtags: [OfferteLavoro]' });
    writeFileSync(join(dir, 'banditore.yaml'), yaml);

    const { code, stdout, stderr } = await run(['preview', '--config', join(dir, 'banditore.yaml'), '--limit', '2']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`== pescara — ${feed.rssUrl}`);
    expect(stdout).toMatch(/4 voci, 4 da pubblicare; ne mostro 2/);

    const newest = feed.published().slice(-2).reverse();
    const shown = stdout.match(/^--- (twitter|facebook) · (\S+)/gm) ?? [];
    expect(shown).toEqual(newest.flatMap((o) => [`--- twitter · ${o.code}`, `--- facebook · ${o.code}`]));
    for (const o of newest) {
      const xBlock = stdout.slice(stdout.indexOf(`--- twitter · ${o.code}`), stdout.indexOf(`--- facebook · ${o.code}`));
      // The demo descriptions do not fit X whole: the note says so, the text ends its cut with "…".
      expect(xBlock).toMatch(/^--- twitter · \S+ · \d+\/280 · accorciato: descrizione/);
      expect(xBlock).toContain(o.title);
      expect(xBlock).toContain(o.url);
      expect(xBlock).toContain('…');
      expect(xBlock).toContain('#OfferteLavoro');
      const fbStart = stdout.indexOf(`--- facebook · ${o.code}`);
      const fbBlock = stdout.slice(fbStart, stdout.indexOf('\n---', fbStart + 1) === -1 ? undefined : stdout.indexOf('\n---', fbStart + 1));
      expect(fbBlock).toMatch(/^--- facebook · \S+ · \d+\/63206\n/);
      expect(fbBlock).not.toContain('accorciato');
      expect(fbBlock).toContain(o.description);
      expect(fbBlock).toContain(o.url);
    }
    for (const secret of Object.values(SECRETS)) expect(stdout).not.toContain(secret);
  });

  it('names the feed that failed and exits 1', async () => {
    dir = mkdtempSync(join(tmpdir(), 'banditore-preview-'));
    const yaml = stackYaml({ prefix: uniquePrefix('preview'), xUrl: 'http://127.0.0.1:9', graphUrl: 'http://127.0.0.1:9', feedUrl: 'http://127.0.0.1:9/offerte.xml' });
    writeFileSync(join(dir, 'banditore.yaml'), yaml);
    const { code, stdout } = await run(['preview', '--config', join(dir, 'banditore.yaml')]);
    expect(code).toBe(1);
    expect(stdout).toContain('== pescara — http://127.0.0.1:9/offerte.xml');
    expect(stdout).toMatch(/ERRORE/);
  });
});
