// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #7, beyond one machine: the whole path on a three-master Redis Cluster, with a `poller` and two
 * `worker` processes of the real binary, the real SDKs and the emulators (real HTTP servers in this
 * process). Every offer must reach each network exactly once, an operator's pause, status and resume
 * from the command line must reach the workers, and every key we and BullMQ write must live under the
 * hash-tagged prefix.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startLocalCluster, type LocalCluster } from './local-cluster.ts';
import { startXEmulator, type XEmulator } from '../../src/channels/twitter/emulator.ts';
import { startGraphEmulator, type GraphEmulator } from '../../src/channels/facebook/emulator.ts';
import { startFeedServer, type FeedServer } from '../../src/sandbox/feed-server.ts';
import { waitFor, livePosts } from '../helpers/stack.ts';
import { pollCount, pollsAfter } from '../helpers/evidence.ts';
import { CounterStore } from '../../src/state/counters.ts';
import { keysFor } from '../../src/redis/keys.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PUBLISHERS = 3;
const INITIAL = 4;

interface Child { role: string; proc: ChildProcess; out: string[] }

let cluster: LocalCluster | undefined;
let x: XEmulator | undefined;
let graph: GraphEmulator | undefined;
const feeds: FeedServer[] = [];
const children: Child[] = [];
let dir: string | undefined;

const pageId = (i: number) => String(9000000001 + i);
const env = (i: number) => ({ [`X_TOKEN_${i}`]: `xaccess-CLUSTER-${i}-${randomBytes(3).toString('hex')}`, [`FB_TOKEN_${i}`]: `fbtoken-CLUSTER-${i}-${randomBytes(3).toString('hex')}` });

function yaml(prefix: string, nodes: string[]): string {
  const pubs = feeds.map((f, i) => `
  - id: office-${i}
    name: Centro per l'Impiego ${i}
    feeds:
      - url: ${f.rssUrl}
        pollInterval: 1s
        onFirstPoll: post
    channels:
      twitter:
        apiBaseUrl: ${x!.url}
        appKey: \${X_APP_KEY}
        appSecret: \${X_APP_SECRET}
        accessToken: \${X_TOKEN_${i}}
        accessSecret: \${X_APP_SECRET}
        limits: []
        backoff: { initial: 200ms, factor: 2, max: 2s }
      facebook:
        graphBaseUrl: ${graph!.url}
        pageId: "${pageId(i)}"
        pageAccessToken: \${FB_TOKEN_${i}}
        limits: []
        backoff: { initial: 200ms, factor: 2, max: 2s }`).join('');
  return `redis:
  prefix: ${prefix}
  clusterNodes: [${nodes.map((n) => `"${n}"`).join(', ')}]
dashboard:
  username: operator
  password: \${DASHBOARD_PASSWORD}
worker:
  concurrency: 8
  postTimeout: 3s
log:
  level: info
publishers:${pubs}
`;
}

function startRole(role: string, config: string, childEnv: Record<string, string>): Child {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/banditore.js'), role, '--config', config], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_FORMAT: 'json', ...childEnv }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  proc.stdout!.on('data', (b) => out.push(String(b)));
  proc.stderr!.on('data', (b) => out.push(String(b)));
  const c = { role, proc, out };
  children.push(c);
  return c;
}

/** Runs an operator command (status, pause, resume) of the real binary to its end. */
async function cli(args: string[], childEnv: Record<string, string>): Promise<{ code: number | null; stdout: string; output: string }> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/banditore.js'), ...args], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...childEnv }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let output = '';
  proc.stdout!.on('data', (b) => { stdout += String(b); output += String(b); });
  proc.stderr!.on('data', (b) => { output += String(b); });
  const code = await new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
  return { code, stdout, output };
}

async function stopChild(c: Child): Promise<number | null> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return c.proc.exitCode;
  const exited = new Promise<number | null>((r) => c.proc.once('exit', (code) => r(code)));
  c.proc.kill('SIGTERM');
  const t = setTimeout(() => c.proc.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(t);
  return code;
}

beforeAll(async () => {
  cluster = await startLocalCluster();
  x = await startXEmulator();
  graph = await startGraphEmulator();
  for (let i = 0; i < PUBLISHERS; i++) feeds.push(await startFeedServer({ initial: INITIAL, newEveryMs: 0 }));
}, 60_000);

afterAll(async () => {
  await Promise.all(children.map(stopChild));
  await Promise.all([x?.close(), graph?.close(), ...feeds.map((f) => f.close())]);
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('Redis Cluster (three masters), one poller and two worker processes', () => {
  it('posts every offer exactly once on each network and keeps every key under the hash-tagged prefix', async () => {
    dir = mkdtempSync(join(tmpdir(), 'banditore-cluster-cfg-'));
    const prefix = `bt-cluster-${randomBytes(3).toString('hex')}`;
    const config = join(dir, 'banditore.yaml');
    writeFileSync(config, yaml(prefix, cluster!.nodes));
    const childEnv: Record<string, string> = { X_APP_KEY: 'xappkey-CLUSTER-1', X_APP_SECRET: 'xappsecret-CLUSTER-2', DASHBOARD_PASSWORD: 'dash-CLUSTER-3' };
    for (let i = 0; i < PUBLISHERS; i++) Object.assign(childEnv, env(i));

    startRole('worker', config, childEnv);
    startRole('worker', config, childEnv);
    startRole('poller', config, childEnv);

    const expected = () => feeds.flatMap((f) => f.published());
    const diagnose = () => children.map((c) => `--- ${c.role} (exit ${c.proc.exitCode})\n${c.out.join('').split('\n').slice(-8).join('\n')}`).join('\n');
    const allPosted = () => livePosts(x!.posts()).length >= expected().length && livePosts(graph!.posts()).length >= expected().length;
    try {
      await waitFor(`${PUBLISHERS * INITIAL} offers on each network`, allPosted, 45_000);
      // New offers after the first poll go through the same path.
      for (const f of feeds) f.publishNext();
      await waitFor('the new offers on each network', allPosted, 20_000);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${diagnose()}`);
    }
    // An operator pauses one channel from the command line: the workers (other processes) hold its new
    // post, status shows it held, resume releases it, and it goes out once.
    const paused = await cli(['pause', '--config', config, 'office-0/twitter'], childEnv);
    expect(paused.code, paused.output).toBe(0);
    feeds[0]!.publishNext();
    const held = feeds[0]!.published().at(-1)!;
    try {
      await waitFor('the new offer on Facebook', () => graph!.posts().some((p) => p.link === held.url), 20_000);
      await waitFor('status showing the held X post', async () => {
        const status = await cli(['status', '--config', config, '--json'], childEnv);
        const row = (JSON.parse(status.stdout) as { channels: Array<{ publisher: string; network: string; state: string; counts: { held: number } }> }).channels
          .find((c) => c.publisher === 'office-0' && c.network === 'twitter');
        return row?.state === 'paused' && row.counts.held === 1;
      }, 20_000, 500);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${diagnose()}`);
    }
    expect(x!.posts().filter((p) => p.text.includes(held.url))).toHaveLength(0);
    const resumed = await cli(['resume', '--config', config, 'office-0/twitter'], childEnv);
    expect(resumed.output).toContain('office-0/twitter ripreso; 1 post trattenuto rilasciato');
    await waitFor('the held post on X after resume', allPosted, 20_000);

    // A few more polls of unchanged feeds (every office's poll counter moves on by two), and every job
    // run to its end (status counts no waiting, delayed or active job), before counting duplicates.
    const counters = { counters: new CounterStore(cluster!.client(), keysFor(`{${prefix}}`)) };
    const since = await Promise.all(feeds.map((_, i) => pollCount(counters, `office-${i}`)));
    await Promise.all(feeds.map((_, i) => pollsAfter(counters, `office-${i}`, since[i]!, 2, 30_000)));
    await waitFor('no job left to run', async () => {
      const status = await cli(['status', '--config', config, '--json'], childEnv);
      const rows = (JSON.parse(status.stdout) as { channels: Array<{ counts: { waiting: number; delayed: number; active: number } }> }).channels;
      return rows.length === PUBLISHERS * 2 && rows.every((c) => c.counts.waiting + c.counts.delayed + c.counts.active === 0);
    }, 20_000, 500);

    const xs = livePosts(x!.posts());
    const fbs = livePosts(graph!.posts());
    expect(xs).toHaveLength(expected().length);
    expect(fbs).toHaveLength(expected().length);
    for (const o of expected()) {
      expect(xs.filter((p) => p.text.includes(o.url)), `X posts of ${o.url}`).toHaveLength(1);
      expect(fbs.filter((p) => p.link === o.url), `Facebook posts of ${o.url}`).toHaveLength(1);
    }
    // Each office posted on its own account and Page.
    expect(new Set(xs.map((p) => p.userId)).size).toBe(PUBLISHERS);
    expect(new Set(fbs.map((p) => p.pageId)).size).toBe(PUBLISHERS);

    // Every key (ours and BullMQ's) carries the hash tag, so each Lua script's keys share one slot.
    const client = cluster!.client();
    await client.ping(); // connects, so that the masters are known
    const keys: string[] = [];
    await Promise.all(client.nodes('master').map(async (node) => {
      let cursor = '0';
      do {
        const [next, found] = await node.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
        cursor = next;
        keys.push(...found);
      } while (cursor !== '0');
    }));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !k.startsWith(`{${prefix}}:`))).toEqual([]);
    expect(keys.some((k) => k.startsWith(`{${prefix}}:twitter:`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`{${prefix}}:ledger:`))).toBe(true);

    // Every process stops cleanly on SIGTERM.
    for (const c of [...children].reverse()) expect(await stopChild(c), `${c.role} exit code`).toBe(0);
    // No process logged an error or a crash.
    const errors = children.flatMap((c) => c.out.join('').split('\n').filter((l) => /"level":(50|60)/.test(l)));
    expect(errors).toEqual([]);
  }, 150_000);
});
