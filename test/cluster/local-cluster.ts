// SPDX-License-Identifier: EUPL-1.2
/**
 * A throwaway three-master Redis Cluster on loopback, for tests and benchmarks: three `redis-server
 * --cluster-enabled yes` children in a temp dir, joined with `redis-cli --cluster create`, killed and
 * removed by stop(). The children are ours (spawned here), so stop() ends exactly them, by pid.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';

const run = promisify(execFile);

export interface LocalCluster {
  /** "127.0.0.1:PORT" of each master, as `redis.clusterNodes` wants them. */
  nodes: string[];
  dir: string;
  /** A cluster client for assertions (keys, slots); closed by stop(). */
  client(): Cluster;
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port P such that P and its cluster bus port P+10000 are both free. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const p = 20000 + Math.floor(Math.random() * 20000);
    if (taken.has(p) || taken.has(p + 10000)) continue;
    if ((await portFree(p)) && (await portFree(p + 10000))) { taken.add(p); taken.add(p + 10000); return p; }
  }
  throw new Error('no free port pair for a Redis Cluster node');
}

async function waitUntil(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() - start > timeoutMs) throw new Error(`local cluster: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startLocalCluster(): Promise<LocalCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'banditore-cluster-'));
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) ports.push(await freeClusterPort(taken));
  const children: ChildProcess[] = [];
  const clients: Cluster[] = [];
  const stop = async () => {
    for (const c of clients) c.disconnect();
    await Promise.all(children.map((c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    })));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const p of ports) {
      const child = spawn('redis-server', [
        '--port', String(p), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
        '--cluster-config-file', `nodes-${p}.conf`, '--dir', dir, '--save', '', '--appendonly', 'no',
        '--cluster-node-timeout', '5000', '--maxmemory-policy', 'noeviction',
      ], { stdio: 'ignore' });
      children.push(child);
    }
    for (const p of ports) {
      await waitUntil(`redis-server on ${p}`, async () => (await run('redis-cli', ['-p', String(p), 'ping'])).stdout.trim() === 'PONG', 10_000);
    }
    const nodes = ports.map((p) => `127.0.0.1:${p}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes']);
    for (const p of ports) {
      await waitUntil(`cluster state ok on ${p}`, async () => /cluster_state:ok/.test((await run('redis-cli', ['-p', String(p), 'cluster', 'info'])).stdout), 20_000);
    }
    return {
      nodes, dir, stop,
      client() {
        const c = new Cluster(ports.map((port) => ({ host: '127.0.0.1', port })), { redisOptions: { maxRetriesPerRequest: 3 } });
        clients.push(c);
        return c;
      },
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
