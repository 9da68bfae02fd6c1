// SPDX-License-Identifier: EUPL-1.2
/**
 * A Redis of the benchmark's own (a child redis-server on a free port, AOF and noeviction; fsync on every
 * write as docker-compose.yml ships it, or `everysec` to measure what that setting saves), so that other
 * work on the shared Redis neither slows the numbers down nor shows up in Redis' CPU and command
 * statistics, which the benchmark reports as the service's own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';

export interface PrivateRedis {
  url: string;
  client: Redis;
  /** Redis' own CPU seconds (user + sys) so far. */
  cpuSeconds(): Promise<number>;
  /** Calls per command so far (INFO commandstats). */
  commandCalls(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => resolve(port)); });
  });
}

export async function startPrivateRedis(opts: { appendfsync?: 'always' | 'everysec' } = {}): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'banditore-bench-redis-'));
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    '--appendonly', 'yes', '--appendfsync', opts.appendfsync ?? 'always', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, retryStrategy: () => null });
  client.on('error', () => { /* connection problems surface as failed commands */ });
  // The server needs a moment to listen: try until it answers.
  for (let i = 0; ; i++) {
    try { await client.connect(); break; } catch (e) {
      if (i > 100) throw new Error(`private redis-server did not start: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const info = async (section: string) => String(await client.info(section));
  return {
    url, client,
    cpuSeconds: async () => {
      const s = await info('cpu');
      return Number(/used_cpu_user:([\d.]+)/.exec(s)?.[1] ?? 0) + Number(/used_cpu_sys:([\d.]+)/.exec(s)?.[1] ?? 0);
    },
    commandCalls: async () => {
      const out = new Map<string, number>();
      for (const m of (await info('commandstats')).matchAll(/cmdstat_([a-z|_-]+):calls=(\d+)/g)) out.set(m[1]!, Number(m[2]));
      return out;
    },
    stop: async () => {
      client.disconnect();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
