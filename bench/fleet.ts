// SPDX-License-Identifier: EUPL-1.2
/**
 * A deployment for the benchmark, written as an operator would write it: one YAML with N publishers,
 * each with one feed, one X account and one Facebook Page (so 2×N accounts), validated by the real
 * config loader. The service then runs from it as a separate `banditore` process (bench/service.ts).
 */
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseConfig } from '../src/config/load.ts';
import { readEnvironment } from '../src/config/env.ts';

export interface FleetOptions {
  feedUrls: string[];
  xUrl: string;
  graphUrl: string;
  pollInterval: string;
  onFirstPoll: 'skip' | 'post';
  /** Per-account limits written for both networks; undefined keeps the safe defaults. */
  limits?: string;
  concurrency?: number;
  redis: { url?: string; clusterNodes?: string[] };
  logLevel?: string;
  /** The dashboard's port (0: any free one) and a token that may read its /metrics. */
  dashboardPort?: number;
  metricsToken?: string;
}

export interface Fleet {
  dir: string;
  file: string;
  prefix: string;
  publishers: string[];
  remove(): void;
}

export const pageIdOf = (i: number) => String(7_000_000_000 + i);

/** The lanes the service's worker runs on a network with this deployment (the bare loop runs as many). */
export { lanesOf } from '../src/app/lanes.ts';
export const publisherId = (i: number) => `cpi-${String(i).padStart(4, '0')}`;

export function writeFleet(o: FleetOptions): Fleet {
  const prefix = `bench-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const redis = o.redis.clusterNodes
    ? `  clusterNodes: [${o.redis.clusterNodes.map((n) => `"${n}"`).join(', ')}]`
    : `  url: ${o.redis.url ?? 'redis://127.0.0.1:6379'}`;
  const limits = o.limits ? `\n        limits: ${o.limits}` : '';
  const pubs = o.feedUrls.map((url, i) => `
  - id: ${publisherId(i)}
    name: Centro per l'Impiego n. ${i}
    feeds:
      - url: ${url}
        pollInterval: ${o.pollInterval}
        onFirstPoll: ${o.onFirstPoll}
    channels:
      twitter:
        apiBaseUrl: ${o.xUrl}
        appKey: bench-app-key
        appSecret: bench-app-secret
        accessToken: bench-x-token-${i}
        accessSecret: bench-x-secret-${i}${limits}
      facebook:
        graphBaseUrl: ${o.graphUrl}
        pageId: "${pageIdOf(i)}"
        pageAccessToken: bench-fb-token-${i}${limits}`).join('');
  const text = `redis:
${redis}
  prefix: ${prefix}
dashboard:
  port: ${o.dashboardPort ?? 0}${o.metricsToken ? `\n  metricsToken: ${o.metricsToken}` : ''}
  username: operator
  password: bench-dashboard-password
worker:${o.concurrency ? `\n  concurrency: ${o.concurrency}` : ''}
  postTimeout: 10s
log:
  level: ${o.logLevel ?? 'info'}
publishers:${pubs}
`;
  // Fail here, with the loader's message, rather than in the child.
  parseConfig(text, { env: readEnvironment({}), source: 'bench fleet' });
  const dir = mkdtempSync(join(tmpdir(), 'banditore-bench-'));
  const file = join(dir, 'banditore.yaml');
  writeFileSync(file, text);
  return { dir, file, prefix, publishers: o.feedUrls.map((_, i) => publisherId(i)), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
