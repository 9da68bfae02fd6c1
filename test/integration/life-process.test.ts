// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #6, the whole life of an offer through the real binary (`banditore run`, its own scheduler
 * polling every second) over real Redis, with the office feed and both emulators in this process:
 * posted once, corrected (Facebook edited, nothing new on X), withdrawn (closed on both), and a clean
 * SIGTERM at the end.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor, stackYaml, SECRETS, PAGE_ID } from '../helpers/stack.ts';
import { uniquePrefix, TEST_REDIS_URL, connectTestRedis, cleanPrefix } from '../helpers/redis.ts';
import { startXEmulator, type XEmulator } from '../../src/channels/twitter/emulator.ts';
import { startGraphEmulator, type GraphEmulator } from '../../src/channels/facebook/emulator.ts';
import { startOffice, offer, type Office } from './life-kit.ts';

let parts: { x: XEmulator; graph: GraphEmulator; office: Office; dir: string; prefix: string; child?: ChildProcess } | undefined;
afterEach(async () => {
  if (!parts) return;
  const { child } = parts;
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
  await Promise.all([parts.x.close(), parts.graph.close(), parts.office.close()]);
  const redis = await connectTestRedis();
  await cleanPrefix(redis, parts.prefix);
  await redis.quit();
  rmSync(parts.dir, { recursive: true, force: true });
  parts = undefined;
});

describe('an offer\'s whole life through `banditore run`', () => {
  it('is posted once, corrected on Facebook only, then closed on both networks when withdrawn', async () => {
    const x = await startXEmulator();
    const graph = await startGraphEmulator({ pages: [{ id: PAGE_ID, name: 'Provincia di Pescara', token: SECRETS.FB_PAGE_TOKEN }] });
    const office = await startOffice([offer(1), offer(2)]);
    const dir = mkdtempSync(join(tmpdir(), 'banditore-life-'));
    const prefix = uniquePrefix('life-proc');
    parts = { x, graph, office, dir, prefix };
    writeFileSync(join(dir, 'banditore.yaml'), stackYaml({ prefix, xUrl: x.url, graphUrl: graph.url, feedUrl: office.url, onFirstPoll: 'post', feedExtra: '        onRemoval: close' }));
    const child = spawn(process.execPath, ['bin/banditore.js', 'run', '--config', join(dir, 'banditore.yaml')], {
      env: { ...process.env, ...SECRETS, REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    parts.child = child;
    let output = '';
    child.stdout!.on('data', (b) => { output += String(b); });
    child.stderr!.on('data', (b) => { output += String(b); });

    const linkOf = (n: number) => office.linkOf(offer(n).code);
    const onX = (n: number) => x.posts().filter((p) => p.text.includes(linkOf(n)));
    const onFb = (n: number) => graph.posts().filter((p) => p.link === linkOf(n));
    await waitFor('both offers on both networks', () => x.posts().length === 2 && graph.posts().length === 2, 45_000);

    office.list = [offer(1, { title: 'Operaio/a di produzione, turno di notte' }), offer(2)];
    await waitFor('offer 1 edited on Facebook', () => onFb(1)[0]?.message.includes('turno di notte'), 30_000);

    office.list = [offer(1, { title: 'Operaio/a di produzione, turno di notte' })];
    await waitFor('offer 2 closed on both networks', () => onX(2)[0]?.deleted && onFb(2)[0]?.message.includes('Offerta chiusa'), 30_000);

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (c) => r(c))));
    expect(code, output).toBe(0);

    // Once each, whatever the number of polls in between.
    expect(x.posts()).toHaveLength(2);
    expect(graph.posts()).toHaveLength(2);
    expect(onX(1)[0]!.deleted).toBe(false);
    expect(onX(1)[0]!.text).not.toContain('turno di notte');
    expect(onFb(1)[0]!.history).toHaveLength(1);
    expect(onFb(2)[0]!.history).toHaveLength(1);
    for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
  });
});
