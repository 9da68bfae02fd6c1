// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 13, durability as shipped is the durability tested: at start the service warns when Redis runs
 * with less than AOF + `appendfsync always` + noeviction, and goes on (one warning) with a Redis that
 * refuses CONFIG, as managed services often do. Each case is a real redis-server with those settings.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { checkRedisSafety } from '../../src/app/redis-safety.ts';
import { createLogger } from '../../src/log/logger.ts';
import { freePort, tempDir, waitForLine, type TempDir } from '../chaos/helpers/processes.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!().catch(() => undefined); });

/** A private redis-server started with these arguments, and a client on it. */
async function redisWith(args: string[]): Promise<Redis> {
  const dir: TempDir = await tempDir('safety-redis');
  cleanups.push(() => dir.remove());
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir.dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((r) => child.once('exit', r));
  cleanups.push(async () => { child.kill('SIGKILL'); await exited; });
  const output: string[] = [];
  child.stdout!.on('data', (b: Buffer) => output.push(...b.toString().split('\n')));
  await waitForLine({ output, alive: () => child.exitCode === null } as Parameters<typeof waitForLine>[0], /Ready to accept connections/i, 15_000);
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  cleanups.push(() => client.quit());
  return client;
}

async function warningsOf(redis: Redis): Promise<{ returned: string[]; logged: string[] }> {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', secrets: [], destination: new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }) });
  const returned = await checkRedisSafety({ redis: redis as never, logger });
  await new Promise((r) => setTimeout(r, 50));
  return { returned, logged: lines.map((l) => (JSON.parse(l) as { msg: string; level: number })).filter((l) => l.level === 40).map((l) => l.msg) };
}

describe('Redis safety at start', () => {
  it('warns when AOF is fsynced only every second: the "sending" mark written before a post may be lost', async () => {
    const { returned, logged } = await warningsOf(await redisWith(['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--save', '']));
    expect(returned).toHaveLength(1);
    expect(returned[0]).toMatch(/appendfsync is "everysec".*"sending" mark.*set appendfsync always/);
    expect(logged).toEqual(returned);
  });

  it('says nothing with the tested setting (AOF, appendfsync always, noeviction)', async () => {
    const { returned } = await warningsOf(await redisWith(['--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction', '--save', '']));
    expect(returned).toEqual([]);
  });

  it('names eviction and missing persistence', async () => {
    const { returned } = await warningsOf(await redisWith(['--appendonly', 'no', '--save', '', '--maxmemory-policy', 'allkeys-lru']));
    expect(returned.join('\n')).toMatch(/maxmemory-policy is "allkeys-lru"/);
    expect(returned.join('\n')).toMatch(/persistence is off/);
  });

  it('tolerates a Redis that refuses CONFIG: one warning that says what to check, and no crash', async () => {
    const { returned } = await warningsOf(await redisWith(['--rename-command', 'CONFIG', '""', '--appendonly', 'no']));
    expect(returned).toHaveLength(1);
    expect(returned[0]).toMatch(/could not read the Redis configuration .*appendfsync always/);
  });
});
